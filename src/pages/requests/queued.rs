//! A request in the outbox, as the person who filed it sees it: being sent (with the photos'
//! upload progress), waiting for the network, refused with the reason, or filed with its
//! tracking number.

use super::words::field_message;
use crate::backend::requests::{Receipt, RequestsBackend, photo_limit_message};
use crate::browser::dom::focus;
use crate::i18n::{Msg, uploading_photo, use_i18n};
use crate::router::app_href;
use crate::state::acting::acting;
use crate::state::loader::act;
use crate::state::outbox::{CITY_CONFIG, REFUSED, use_request_outbox};
use crate::state::session::use_session;
use citizen_core::outbox::{IdempotencyKey, Status, backoff_ms};
use citizen_core::requests::PhotoLimit;
use leptos::prelude::*;

const FILED: &str = "request-filed";

/// Whether an outbox refusal names a field of the form (rather than the other side's refusal).
fn is_field(reason: &str) -> bool {
    !reason.starts_with(REFUSED) && reason != CITY_CONFIG
}

/// Asks once whether `waiting` has its number; if not, again after the outbox's delay for
/// `attempt`, for as long as the screen shows (`resolved` is disposed with it).
fn ask(
    backend: RequestsBackend,
    person: String,
    waiting: String,
    resolved: RwSignal<Option<String>>,
    attempt: u32,
) {
    leptos::task::spawn_local(async move {
        match backend.resolve(&person, &waiting).await {
            Ok(Some(id)) => {
                resolved.try_set(Some(id));
            }
            answer => {
                if let Err(e) = answer {
                    leptos::logging::warn!("the token could not be asked about: {e}");
                }
                if resolved.is_disposed() {
                    return;
                }
                let wait = std::time::Duration::from_millis(backoff_ms(attempt) as u64);
                set_timeout(
                    move || ask(backend, person, waiting, resolved, attempt + 1),
                    wait,
                );
            }
        }
    });
}

#[component]
pub fn QueuedRequest(key: IdempotencyKey, backend: RequestsBackend) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_request_outbox(backend);
    let key = StoredValue::new(key);
    let sent: RwSignal<_> = outbox.sent.clone().into();
    let entries: RwSignal<_> = outbox.entries.clone().into();
    let progress: RwSignal<_> = outbox.progress.clone().into();
    let outbox = StoredValue::new_local(outbox);
    let receipt = Memo::new(move |_| {
        sent.with(|s| {
            s.iter()
                .find(|(k, _)| key.with_value(|key| k == key))
                .map(|(_, r)| r.clone())
        })
    });
    // A GeoReport `token` instead of a number: asked about with the outbox's growing delays
    // until the endpoint gives the number (or the screen is left).
    let resolved = RwSignal::new(None::<String>);
    let session = use_session();
    Effect::new(move |started: Option<bool>| {
        let waiting = match receipt.get() {
            Some(Receipt::Waiting(token)) => token,
            _ => return started.unwrap_or(false),
        };
        if started == Some(true) {
            return true;
        }
        let Some(person) = untrack(|| acting(backend, session)).map(|a| a.token) else {
            return false;
        };
        ask(backend, person, waiting, resolved, 1);
        true
    });
    let tracking = Memo::new(move |_| {
        resolved
            .get()
            .or_else(|| receipt.with(|r| r.as_ref().and_then(Receipt::tracking).map(str::to_owned)))
    });
    Effect::new(move |_| {
        if let Some(filed) = tracking.get() {
            crate::embed::tell(|| crate::embed::Told::Filed(filed));
            request_animation_frame(|| focus(FILED));
        }
    });
    let status = move || {
        entries.with(|e| {
            e.as_ref().and_then(|e| {
                e.iter()
                    .find(|x| key.with_value(|k| &x.key == k))
                    .map(|x| (x.status.clone(), x.attempts))
            })
        })
    };
    let send_now = move |_| outbox.with_value(|o| o.send_now());
    // Discarding a refused request: once it is gone from the outbox, the card goes with it.
    let discarding = RwSignal::new(false);
    let discard_failed = RwSignal::new(false);
    let discard = move |_| {
        let outbox = outbox.get_value();
        let key = key.get_value();
        let answer = async move { outbox.discard(&key).await };
        act(discarding, answer, move |result| {
            if let Err(e) = &result {
                leptos::logging::warn!("could not discard: {e}");
            }
            discard_failed.set(result.is_err());
        });
    };
    let discard_button = move || {
        view! {
            <div class="actions">
                <button type="button" class="button" prop:disabled=move || discarding.get() on:click=discard>
                    {i18n.text(Msg::Discard)}
                </button>
            </div>
            {move || discard_failed.get().then(|| view! {
                <p class="notice notice--error" role="alert">{i18n.text(Msg::DiscardFailed)}</p>
            })}
        }
    };
    let uploading = move || {
        progress.with(|p| {
            p.as_ref()
                .filter(|p| key.with_value(|k| &p.key == k))
                .map(|p| (p.done, p.total))
        })
    };

    (move || {
        if tracking.with(Option::is_none) && matches!(receipt.get(), Some(Receipt::Waiting(_))) {
            return view! {
                <section class="card" data-testid="request-waiting">
                    <h2 id=FILED tabindex="-1">{i18n.text(Msg::RequestFiled)}</h2>
                    <p role="status">{i18n.text(Msg::WaitingForNumber)}</p>
                    <div class="actions">
                        <a href=app_href("/requests") class="button button--quiet">{i18n.text(Msg::BackToRequests)}</a>
                    </div>
                </section>
            }
            .into_any();
        }
        if let Some(tracking) = tracking.get() {
            let href = app_href(&format!("/requests/{tracking}"));
            return view! {
                <section class="card" data-testid="request-filed">
                    <h2 id=FILED tabindex="-1">{i18n.text(Msg::RequestFiled)}</h2>
                    <p>{i18n.text(Msg::RequestFiledBody)}</p>
                    <p class="tracking" data-testid="tracking">{tracking}</p>
                    <div class="actions">
                        <a href=href class="button button--primary">{i18n.text(Msg::ViewRequest)}</a>
                        <a href=app_href("/requests") class="button button--quiet">{i18n.text(Msg::BackToRequests)}</a>
                    </div>
                </section>
            }
            .into_any();
        }
        match status() {
            Some((Status::Refused { reason }, _)) if PhotoLimit::from_code(&reason).is_some() => {
                let limit = PhotoLimit::from_code(&reason).map(photo_limit_message);
                view! {
                    <section class="card" role="alert" data-testid="request-refused">
                        <p>{limit.map(|m| i18n.text(m))}</p>
                        {discard_button()}
                    </section>
                }
                .into_any()
            }
            Some((Status::Refused { reason }, _)) if !is_field(&reason) => {
                let msg = match reason.strip_prefix(REFUSED) {
                    Some("401" | "403") => Msg::FilingKeyRefused,
                    Some(_) => Msg::FilingRefused,
                    None => Msg::CityConfigInvalid,
                };
                view! {
                    <section class="card" role="alert" data-testid="request-refused">
                        <p>{i18n.text(msg)}</p>
                        {discard_button()}
                    </section>
                }
                .into_any()
            }
            Some((Status::Refused { reason }, _)) => view! {
                <section class="card" role="alert" data-testid="request-refused">
                    <p>{i18n.text(Msg::RequestFieldRefused)}</p>
                    <p>{move || field_message(i18n.lang.get(), &reason)}</p>
                    {discard_button()}
                </section>
            }
            .into_any(),
            Some((Status::Waiting, attempts)) if attempts > 0 => view! {
                <section class="card" data-testid="request-queued">
                    <h2>{i18n.text(Msg::RequestQueuedTitle)}</h2>
                    <p>{i18n.text(Msg::RequestQueuedBody)}</p>
                    <div class="actions">
                        <button type="button" class="button button--primary" on:click=send_now>
                            {i18n.text(Msg::SendNow)}
                        </button>
                        <a href=app_href("/requests") class="button button--quiet">{i18n.text(Msg::BackToRequests)}</a>
                    </div>
                </section>
            }
            .into_any(),
            _ => view! {
                <section class="card" data-testid="request-sending">
                    <p role="status" id="sending-status">
                        {move || match uploading() {
                            Some((done, total)) => uploading_photo(i18n.lang.get(), done + 1, total),
                            None => i18n.t(Msg::Submitting).to_owned(),
                        }}
                    </p>
                    {move || uploading().map(|(done, total)| view! {
                        <progress max=total value=done aria-labelledby="sending-status"></progress>
                    })}
                </section>
            }
            .into_any(),
        }
    })
    .into_any()
}
