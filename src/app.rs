//! The root: load the configuration, then either explain what is wrong with it or start the shell.

use crate::browser::dom;
use crate::components::lazy_screen::lazy_screen;
use crate::components::tab_bar::TabBar;
use crate::config::load_config;
use crate::i18n::{Msg, use_i18n};
use crate::pages::config_error::ConfigErrorPage;
use crate::pages::home::HomePage;
use crate::pages::lazy;
use crate::pages::module_pending::ModulePendingPage;
use crate::pages::not_found::NotFoundPage;
use crate::router::provide_navigation;
use crate::state::{provide_app_state, use_config};
use citizen_core::Lang;
use citizen_core::config::AppConfig;
use citizen_core::module::Module;
use citizen_core::route::Route;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Loads the configuration once, in the background, showing a bilingual splash meanwhile.
#[component]
pub fn App() -> impl IntoView {
    let config = RwSignal::new(None);
    spawn_local(async move { config.set(Some(load_config().await)) });
    move || match config.get() {
        None => view! { <Splash /> }.into_any(),
        Some(Err(error)) => view! { <ConfigErrorPage error=error /> }.into_any(),
        Some(Ok(config)) => view! { <Shell config=config /> }.into_any(),
    }
}

/// Before the configuration says which language to use, say it in both.
#[component]
fn Splash() -> impl IntoView {
    view! {
        <p class="splash" role="status">
            <span lang="zh-CN">{Msg::Loading.text(Lang::ZhCn)}</span>
            <span lang="en">{Msg::Loading.text(Lang::En)}</span>
        </p>
    }
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
fn Shell(config: AppConfig) -> impl IntoView {
    let navigation = provide_navigation(config.routing);
    lazy::prefetch_later(&config);
    provide_app_state(config);
    let i18n = use_i18n();
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
        Some(route @ Route::Me) => lazy_screen(move || lazy::me_screen(route.clone())),
        None => view! { <NotFoundPage /> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>{move || i18n.t(Msg::SkipToContent)}</a>
        <main id="main" tabindex="-1">{page}</main>
        <TabBar />
    }
}
