//! 志愿积分, the resident's side: activities to sign up for, on-site check-in with the rotating
//! code and check-out, my points and star level, the points mall, the monthly leaderboard. On
//! `rest` a signed-in person is needed; on `local` the demo identity picked in 我的 acts.

mod activity_page;
mod check_in;
mod leaderboard_page;
mod mall_page;
mod messages;
mod points_page;
mod summary;
mod volunteer_page;
pub(crate) mod words;

pub use activity_page::ActivityPage;
pub use leaderboard_page::LeaderboardPage;
pub use mall_page::MallPage;
pub use points_page::PointsPage;
pub use volunteer_page::VolunteerPage;

use crate::backend::volunteer::{VolunteerBackend, VolunteerError};
use crate::components::sign_in_prompt::SignInPrompt;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::state::acting::acting_as;
use crate::state::loader::{Loader, act};
use crate::state::session::use_session;
use crate::state::use_backends;
use leptos::prelude::*;
use std::future::Future;

/// Who volunteers, and where their data lives: what every screen below needs.
#[derive(Clone, Copy)]
pub struct Volunteering {
    pub backend: VolunteerBackend,
    token: StoredValue<String>,
}

impl Volunteering {
    pub fn token(self) -> String {
        self.token.get_value()
    }

    /// Runs one call in the background (see [`act`]): `busy` until its result, which goes to
    /// `done`; nothing while another is on its way. (A sign-in the server no longer accepts has
    /// been ended by the HTTP client, so 我的 asks for a new one.)
    pub fn call<T, Fut>(
        self,
        busy: RwSignal<bool>,
        call: impl FnOnce(VolunteerBackend, String) -> Fut,
        done: impl FnOnce(Result<T, VolunteerError>) + 'static,
    ) where
        Fut: Future<Output = Result<T, VolunteerError>> + 'static,
        T: 'static,
    {
        act(busy, call(self.backend, self.token()), done);
    }

    /// Loads with `call` now, and again on each reload (see [`Loader`]).
    pub fn load<T, Fut>(
        self,
        call: impl Fn(VolunteerBackend, String) -> Fut + Send + Sync + 'static,
    ) -> Loader<T, VolunteerError>
    where
        Fut: Future<Output = Result<T, VolunteerError>> + 'static,
        T: Send + Sync + 'static,
    {
        self.load_into(RwSignal::new(None), call)
    }

    /// [`load`](Self::load), into a signal the caller already holds.
    pub fn load_into<T, Fut>(
        self,
        into: RwSignal<Option<Result<T, VolunteerError>>>,
        call: impl Fn(VolunteerBackend, String) -> Fut + Send + Sync + 'static,
    ) -> Loader<T, VolunteerError>
    where
        Fut: Future<Output = Result<T, VolunteerError>> + 'static,
        T: Send + Sync + 'static,
    {
        Loader::into(into, move || call(self.backend, self.token()))
    }
}

/// Renders `screen` for the person volunteering; otherwise says why not (no sign-in, or a data
/// source this module does not speak).
pub fn volunteering(screen: impl Fn(Volunteering) -> AnyView + Send + Sync + 'static) -> AnyView {
    let Some(backend) = use_backends().volunteer else {
        let i18n = use_i18n();
        return view! {
            <p class="notice notice--error" role="alert">{i18n.text(Msg::BackendUnsupported)}</p>
        }
        .into_any();
    };
    let session = use_session();
    let token = Memo::new(move |_| acting_as(backend.is_local(), session).map(|a| a.token));
    (move || match token.get() {
        Some(token) => screen(Volunteering {
            backend,
            token: StoredValue::new(token),
        }),
        None => view! { <SignInPrompt message=Msg::VolunteerSignIn testid="volunteer-sign-in" /> }
            .into_any(),
    })
    .into_any()
}

/// The way back to 志愿 from its inner screens.
pub fn back_link() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="volunteer-back">
            <a href=app_href("/volunteer") class="volunteer-back__link">{i18n.text(Msg::VolunteerBack)}</a>
        </p>
    }
}
