use super::signed_in;
use super::words::{service_name, state_chip};
use crate::backend::requests::RequestsBackend;
use crate::components::loaded::{failed, loading};
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::state::acting::acting;
use crate::state::loader::Loader;
use crate::state::outbox::{RequestOutbox, use_request_outbox};
use citizen_core::outbox::Status;
use leptos::prelude::*;

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
    let loader = Loader::new(move || async move { backend.mine(&token.get_value()).await });
    let loaded = loader.state;
    let outbox = use_request_outbox(backend);
    // A request the outbox files while this list is open joins it.
    {
        let sent: RwSignal<_> = outbox.sent.clone().into();
        Effect::new(move |previous: Option<usize>| {
            let now = sent.with(Vec::len);
            if previous.is_some_and(|p| p != now) {
                loader.reload();
            }
            now
        });
        outbox.kick();
    }
    let waiting = view! { <Waiting outbox=outbox backend=backend /> };
    let list = move || {
        match loaded.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || loader.reload()),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted" data-testid="requests-empty">{i18n.text(Msg::RequestsEmpty)}</p> }
                .into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="request-list" data-testid="request-list">
                {list.into_iter().map(|r| {
                    let shown = StoredValue::new(r.clone());
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
                                    {move || shown.with_value(|r| service_name(r, i18n.lang.get()))}
                                </span>
                                <span class="muted">{r.created_at.china_day_text()}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    view! { {waiting} {list} }
}

/// The person's requests still in the outbox: waiting for the network, or refused.
#[component]
fn Waiting(outbox: RequestOutbox, backend: RequestsBackend) -> impl IntoView {
    let i18n = use_i18n();
    let entries: RwSignal<_> = outbox.entries.clone().into();
    let outbox = StoredValue::new_local(outbox);
    // On a shared phone, only the acting person's own.
    let session = crate::state::session::use_session();
    let me = untrack(|| acting(backend, session)).map(|a| a.person);
    move || {
        let items: Vec<_> = entries.with(|e| {
            e.iter()
                .flatten()
                .filter(|x| Some(x.payload.person) == me)
                .cloned()
                .collect()
        });
        (!items.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="outbox-heading" data-testid="outbox">
                <h2 id="outbox-heading">{i18n.text(Msg::OutboxHeading)}</h2>
                <ul class="request-list">
                    {items.into_iter().map(|entry| {
                        let submission = StoredValue::new(entry.payload.request.clone());
                        let refused = matches!(entry.status, Status::Refused { .. });
                        let chip = if refused { Msg::StateNeedsChange } else { Msg::StateWaitingToSend };
                        view! {
                            <li class="request-item" data-testid="outbox-item">
                                <span class="request-item__top">
                                    <span class="request-item__category">
                                        {move || submission.with_value(|s| s.service_name(i18n.lang.get()))}
                                    </span>
                                    <span class="chip" data-testid="outbox-state">{i18n.text(chip)}</span>
                                </span>
                                <span class="muted">{entry.payload.request.description().chars().take(40).collect::<String>()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| outbox.with_value(|o| o.send_now())>
                        {i18n.text(Msg::SendNow)}
                    </button>
                </div>
            </section>
        })
    }
}
