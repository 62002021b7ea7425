use super::signed_in;
use super::words::{category_name, local_date, state_chip};
use crate::backend::requests::{RequestsBackend, RequestsError};
use crate::components::notice::ErrorNotice;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use citizen_core::requests::RequestView;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// 我的诉求: every request the signed-in person filed, newest first.
#[component]
pub fn RequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::MyRequests).to_owned()) />
        <div class="actions section">
            <a href=app_href("/requests/new") class="button button--primary" data-testid="new-request">
                {i18n.text(Msg::NewRequestButton)}
            </a>
        </div>
        {signed_in(|backend, token| view! { <MyRequests backend=backend token=token /> }.into_any())}
    }
}

#[component]
fn MyRequests(backend: RequestsBackend, token: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = RwSignal::new(None::<Result<Vec<RequestView>, RequestsError>>);
    let load = move || {
        loaded.set(None);
        spawn_local(async move { loaded.set(Some(backend.mine(&token.get_value()).await)) });
    };
    load();
    move || {
        match loaded.get() {
        None => view! { <p class="loading" role="status">{i18n.text(Msg::Loading)}</p> }.into_any(),
        Some(Err(e)) => {
            leptos::logging::warn!("could not list requests: {e}");
            view! { <ErrorNotice message=e.message() on_retry=Callback::new(move |()| load()) /> }
                .into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted" data-testid="requests-empty">{i18n.text(Msg::RequestsEmpty)}</p> }
                .into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="request-list" data-testid="request-list">
                {list.into_iter().map(|r| {
                    let code = r.category;
                    view! {
                        <li>
                            <a class="request-item" href=app_href(&format!("/requests/{}", r.tracking))>
                                <span class="request-item__top">
                                    <span class="request-item__tracking" data-testid="request-tracking">
                                        {r.tracking.clone()}
                                    </span>
                                    {state_chip(i18n, r.state, "request-state")}
                                </span>
                                <span class="request-item__category">
                                    {move || category_name(code, i18n.lang.get())}
                                </span>
                                <span class="muted">{local_date(&r.created_at)}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    }
}
