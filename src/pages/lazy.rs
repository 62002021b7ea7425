//! Screens outside the first load. In the release bundle (`--cfg wasm_split`, see `./run`) each
//! group below is split into its own wasm chunk, fetched the first time one of its screens opens,
//! so the home page does not wait for code it does not show. Elsewhere (tests, `trunk serve`)
//! the same functions run in place.
//!
//! The home page's nearby section is not a chunk: the first screen fetches it anyway, and as a
//! chunk it cost 14.9 KB gzip more than in the first-load module (its own file, the ~20 small
//! chunks it shared with other screens, and the imports between them). `e2e/budget.spec.ts`
//! measures the first load.
//!
//! A chunk that cannot be fetched (offline before it was ever loaded) is an error the page shows
//! with a retry, never a panic: the loaders are `fallible`.

use crate::browser::styles;
use crate::components::search_results::prefetch_search;
use crate::config::ConfigLoadError;
use crate::later::later;
use crate::pages::config_error::ConfigErrorPage;
use crate::pages::me::{MePage, ResetPasswordPage, SignUpPage};
use crate::pages::requests::{NewRequestPage, RequestPage, RequestsPage};
use crate::pages::services::{ServicesPage, TilePage};
use crate::pages::staff::{
    StaffActivitiesPage, StaffActivityPage, StaffCheckInPage, StaffMallPage, StaffPage,
    StaffRequestsPage, StaffTimebankPage,
};
use crate::pages::timebank::TimebankPage;
use crate::pages::volunteer::{ActivityPage, LeaderboardPage, MallPage, PointsPage, VolunteerPage};
use citizen_core::config::AppConfig;
use citizen_core::module::Module;
use citizen_core::route::Route;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// One screen from a chunk: the chunk's name (for its stylesheet, `browser/styles.rs`) and the
/// view, which resolves once the chunk has been fetched (when split) and has drawn it.
pub struct ChunkScreen {
    pub chunk: &'static str,
    pub view: Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>,
}

/// Declares the views of one chunk: `fn(arg) -> ChunkScreen`, whose view loads the chunk (when
/// split) and renders from it; `$split` is the split point itself, `$preload()` only loads the
/// chunk, and `$prefetch()` loads it with its stylesheet, drawing nothing.
macro_rules! chunk {
    ($chunk:ident, $split:ident, $preload:ident, $prefetch:ident: $(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty) $body:block) => {
        $(#[$doc])*
        pub fn $name($arg: $ty) -> ChunkScreen {
            ChunkScreen {
                chunk: stringify!($chunk),
                view: Box::pin($split($arg)),
            }
        }

        #[allow(dead_code, reason = "only the chunks a resident opens next are prefetched")]
        async fn $prefetch() {
            // A failure here is left to the screen, which retries when it opens.
            styles::add(stringify!($chunk));
            let _ = $preload().await;
        }

        later!($chunk, $preload:
            fn $split($arg: $ty) -> AnyView $body
        );
    };
}

/// A few seconds after start, fetches the chunks a resident is likely to open next (with their
/// stylesheets), so that they open at once, and still open if the network drops later. The staff
/// chunk waits until a staff screen asks for it.
pub fn prefetch_later(config: &AppConfig) {
    let requests = config.is_enabled(Module::Requests);
    set_timeout(
        move || {
            spawn_local(async move {
                prefetch_services().await;
                prefetch_search().await;
                prefetch_me().await;
                if requests {
                    prefetch_requests().await;
                }
            })
        },
        Duration::from_secs(3),
    );
}

chunk!(services, services_split, preload_services, prefetch_services:
    /// 办事: every tile by category, and one tile (what it is, who provides it, how to open it).
    fn services_screen(route: Route) {
        match route {
            Route::Tile(id) => view! { <TilePage id=id /> }.into_any(),
            _ => view! { <ServicesPage /> }.into_any(),
        }
    }
);

chunk!(requests, requests_split, preload_requests, prefetch_requests:
    /// The resident's requests: the list, the new-request form, one request.
    fn requests_screen(route: Route) {
        match route {
            Route::NewRequest => view! { <NewRequestPage /> }.into_any(),
            Route::Request(id) => view! { <RequestPage id=id /> }.into_any(),
            _ => view! { <RequestsPage /> }.into_any(),
        }
    }
);

chunk!(staff, staff_split, preload_staff, prefetch_staff:
    /// The staff workspace: its start page, the request queue, activities (each with its
    /// check-in screen), the time bank's review and the mall's stock.
    fn staff_screen(route: Route) {
        match route {
            Route::StaffRequests => view! { <StaffRequestsPage /> }.into_any(),
            Route::StaffActivities => view! { <StaffActivitiesPage /> }.into_any(),
            Route::StaffActivity(id) => {
                view! { <StaffActivityPage id=id.as_str().to_owned() /> }.into_any()
            }
            Route::StaffCheckIn(id) => {
                view! { <StaffCheckInPage id=id.as_str().to_owned() /> }.into_any()
            }
            Route::StaffTimebank => view! { <StaffTimebankPage /> }.into_any(),
            Route::StaffMall => view! { <StaffMallPage /> }.into_any(),
            _ => view! { <StaffPage /> }.into_any(),
        }
    }
);

chunk!(me, me_split, preload_me, prefetch_me:
    /// 我的: sign-in, the signed-in card, language and elder mode; sign-up and a new password
    /// by SMS code.
    fn me_screen(route: Route) {
        match route {
            Route::SignUp => view! { <SignUpPage /> }.into_any(),
            Route::ResetPassword => view! { <ResetPasswordPage /> }.into_any(),
            _ => view! { <MePage /> }.into_any(),
        }
    }
);

chunk!(timebank, timebank_split, preload_timebank, prefetch_timebank:
    /// 时间银行: balance, records to confirm, logging, gifts, the statement.
    fn timebank_screen(route: Route) {
        let _ = route;
        view! { <TimebankPage /> }.into_any()
    }
);

chunk!(volunteer, volunteer_split, preload_volunteer, prefetch_volunteer:
    /// 志愿积分: activities, sign-up and check-in, my points, the mall, the leaderboard.
    fn volunteer_screen(route: Route) {
        match route {
            Route::Activity(id) => view! { <ActivityPage id=id /> }.into_any(),
            Route::Points => view! { <PointsPage /> }.into_any(),
            Route::Mall => view! { <MallPage /> }.into_any(),
            Route::Leaderboard => view! { <LeaderboardPage /> }.into_any(),
            _ => view! { <VolunteerPage /> }.into_any(),
        }
    }
);

chunk!(config_error, config_error_split, preload_config_error, prefetch_config_error:
    /// What is wrong with `config.json`: a page a community sees only when its configuration is
    /// broken, so its code and words stay out of everyone else's first load.
    fn config_error_screen(error: ConfigLoadError) {
        view! { <ConfigErrorPage error=error /> }.into_any()
    }
);
