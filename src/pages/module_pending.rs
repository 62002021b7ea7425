//! The honest page for a module that is not built yet, or that this community switched off.

use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::state::use_config;
use citizen_core::module::Module;
use leptos::prelude::*;

#[component]
pub fn ModulePendingPage(module: Module, title: Msg) -> impl IntoView {
    let i18n = use_i18n();
    let enabled = use_config().is_enabled(module);
    let (heading, body) = if enabled {
        (Msg::NotAvailableTitle, Msg::NotAvailableBody)
    } else {
        (Msg::ModuleDisabledTitle, Msg::ModuleDisabledBody)
    };
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(title).to_owned()) />
        <section class="card" data-testid="module-pending" data-module=module.key()>
            <h2>{move || i18n.t(heading)}</h2>
            <p>{move || i18n.t(body)}</p>
            <a href=app_href("/") class="button">{move || i18n.t(Msg::GoHome)}</a>
        </section>
    }
}
