use crate::browser::dom::app_href;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::NotFoundTitle).to_owned()) />
        <p>{move || i18n.t(Msg::NotFoundBody)}</p>
        <A href=app_href("/") attr:class="button">{move || i18n.t(Msg::GoHome)}</A>
    }
}
