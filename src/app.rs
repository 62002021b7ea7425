//! The root: load the configuration, then either explain what is wrong with it or start the shell.

use crate::browser::dom;
use crate::components::lazy_screen::lazy_screen;
use crate::components::tab_bar::TabBar;
use crate::config::{ConfigLoadError, load_config};
use crate::i18n::{Msg, use_i18n};
use crate::pages::home::HomePage;
use crate::pages::lazy;
use crate::pages::module_pending::ModulePendingPage;
use crate::pages::not_found::NotFoundPage;
use crate::router::provide_navigation;
use crate::state::{EarlyCatalog, provide_app_state, use_config};
use citizen_core::Lang;
use citizen_core::config::AppConfig;
use citizen_core::module::Module;
use citizen_core::route::Route;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

/// Loads the configuration once, in the background. Meanwhile index.html's painted shell stays
/// (its heading, search field and bilingual loading line); the first screen replaces it.
#[component]
pub fn App() -> impl IntoView {
    let config = RwSignal::new(None);
    let early = EarlyCatalog::ask();
    spawn_local(async move { config.set(Some(load_config().await)) });
    move || {
        let loaded = config.get();
        if loaded.is_some() {
            dom::remove_boot_screen();
        }
        match loaded {
            None => ().into_any(),
            Some(Err(error)) => config_error(error),
            Some(Ok(config)) => view! { <Shell config=config early=early /> }.into_any(),
        }
    }
}

/// What is wrong with the configuration, from its own chunk (`lazy::config_error_screen`). Before
/// a configuration there is no language, so a chunk that cannot be fetched is said in both.
fn config_error(error: ConfigLoadError) -> AnyView {
    let screen = lazy::config_error_screen(error);
    let screen = Suspend::new(SendWrapper::new(async move {
        screen.view.await.unwrap_or_else(|_| {
            view! {
                <p class="splash" role="alert" data-testid="part-load-failed">
                    <span lang="zh-CN">{Msg::PartLoadFailed.text(Lang::ZhCn)}</span>
                    <span lang="en">{Msg::PartLoadFailed.text(Lang::En)}</span>
                </p>
            }
            .into_any()
        })
    }));
    view! { {screen} }.into_any()
}

/// A screen of `module`, where this community offers it; otherwise the page saying it is not
/// offered here (under `title`).
fn offered(module: Module, title: Msg, screen: AnyView) -> AnyView {
    if use_config().is_enabled(module) {
        screen
    } else {
        view! { <ModulePendingPage module=module title=title /> }.into_any()
    }
}

/// The main landmark takes focus; in hash mode the fragment must not become a route.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    dom::focus("main");
}

#[component]
fn Shell(config: AppConfig, early: Option<EarlyCatalog>) -> impl IntoView {
    let navigation = provide_navigation(config.routing);
    lazy::prefetch_later(&config);
    provide_app_state(config, early);
    let i18n = use_i18n();
    crate::embed::start();
    // The route changes with the path only: a new query (`?category=…`) keeps the page mounted.
    let route = navigation.route();
    let page = move || match route.get() {
        Some(Route::Home) => view! { <HomePage /> }.into_any(),
        Some(route @ Route::Services) => lazy_screen(move || lazy::services_screen(route.clone())),
        Some(route @ Route::Tile(_)) => lazy_screen(move || lazy::services_screen(route.clone())),
        Some(route @ (Route::Requests | Route::NewRequest | Route::Request(_))) => offered(
            Module::Requests,
            Msg::ModuleRequests,
            lazy_screen(move || lazy::requests_screen(route.clone())),
        ),
        Some(
            route @ (Route::Volunteer
            | Route::Activity(_)
            | Route::Points
            | Route::Mall
            | Route::Leaderboard),
        ) => offered(
            Module::Volunteer,
            Msg::ModuleVolunteer,
            lazy_screen(move || lazy::volunteer_screen(route.clone())),
        ),
        Some(route @ Route::Timebank) => offered(
            Module::Timebank,
            Msg::ModuleTimebank,
            lazy_screen(move || lazy::timebank_screen(route.clone())),
        ),
        Some(
            route @ (Route::Staff
            | Route::StaffActivities
            | Route::StaffActivity(_)
            | Route::StaffCheckIn(_)
            | Route::StaffTimebank
            | Route::StaffMall),
        ) => offered(
            Module::Staff,
            Msg::ModuleStaff,
            lazy_screen(move || lazy::staff_screen(route.clone())),
        ),
        Some(route @ Route::StaffRequests) => offered(
            Module::Staff,
            Msg::ModuleStaff,
            offered(
                Module::Requests,
                Msg::ModuleRequests,
                lazy_screen(move || lazy::staff_screen(route.clone())),
            ),
        ),
        Some(route @ (Route::Me | Route::SignUp | Route::ResetPassword)) => {
            lazy_screen(move || lazy::me_screen(route.clone()))
        }
        None => view! { <NotFoundPage /> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>{move || i18n.t(Msg::SkipToContent)}</a>
        <main id="main" tabindex="-1">{page}</main>
        <TabBar />
    }
}
