use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::NotFoundTitle).to_owned()) />
        <p>{move || i18n.t(Msg::NotFoundBody)}</p>
        <a href=app_href("/") class="button">{move || i18n.t(Msg::GoHome)}</a>
    }
}
