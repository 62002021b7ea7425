//! The root: load the configuration, then either explain what is wrong with it or start the shell.

use crate::browser::dom;
use crate::components::tab_bar::TabBar;
use crate::config::load_config;
use crate::i18n::{Msg, use_i18n};
use crate::pages::config_error::ConfigErrorPage;
use crate::pages::home::HomePage;
use crate::pages::me::MePage;
use crate::pages::module_pending::ModulePendingPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::services::{ServicesPage, TilePage};
use crate::state::provide_app_state;
use citizen_core::Lang;
use citizen_core::config::AppConfig;
use citizen_core::module::Module;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

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

fn pending(module: Module, title: Msg) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static {
    move || view! { <ModulePendingPage module=module title=title /> }.into_any()
}

/// The main landmark can take focus, so the skip link works without leaving the router's page.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    dom::focus("main");
}

#[component]
fn Shell(config: AppConfig) -> impl IntoView {
    provide_app_state(config);
    let i18n = use_i18n();
    view! {
        <Router base=dom::router_base()>
            <a class="skip-link" href="#main" on:click=skip_to_main>{move || i18n.t(Msg::SkipToContent)}</a>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/services") view=ServicesPage />
                    <Route path=path!("/services/:id") view=TilePage />
                    <Route path=path!("/requests") view=pending(Module::Requests, Msg::ModuleRequests) />
                    <Route path=path!("/requests/new") view=pending(Module::Requests, Msg::ModuleNewRequest) />
                    <Route path=path!("/requests/:id") view=pending(Module::Requests, Msg::ModuleRequestDetail) />
                    <Route path=path!("/volunteer") view=pending(Module::Volunteer, Msg::ModuleVolunteer) />
                    <Route path=path!("/timebank") view=pending(Module::Timebank, Msg::ModuleTimebank) />
                    <Route path=path!("/staff") view=pending(Module::Staff, Msg::ModuleStaff) />
                    <Route path=path!("/me") view=MePage />
                </Routes>
            </main>
            <TabBar />
        </Router>
    }
}
