use super::qr::qr_path;
use super::words::next_code_in;
use super::{for_staff, module_closed, staff_token};
use crate::backend::volunteer::{VolunteerBackend, VolunteerError};
use crate::components::loaded::{failed, loading};
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, labelled, use_i18n};
use crate::router::app_href;
use crate::state::loader::Loader;
use crate::state::use_backends;
use citizen_core::module::Module;
use citizen_core::volunteer::{ActivityPhase, CheckInDisplay, Refusal, secs_until_next_code};
use leptos::prelude::*;
use std::time::Duration;

/// After a failure to fetch the code (network), ask again this soon.
const RETRY_MS: f64 = 5_000.0;

/// The check-in screen for a tablet at the door: the activity's current 6-digit code, large, as
/// a QR code too, and the seconds until it changes; before the window opens, when it opens;
/// after the end, that check-in has closed.
#[component]
pub fn StaffCheckInPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let backend = use_backends().volunteer;
    let id = StoredValue::new(id);
    let header = move || {
        view! { <PageHeader title=Signal::derive(move || i18n.t(Msg::StaffCheckInCode).to_owned()) /> }
    };
    if let Some(closed) = module_closed(Module::Volunteer, backend.is_some()) {
        return view! { {header()} {closed} }.into_any();
    }
    let Some(backend) = backend else {
        return ().into_any();
    };
    let who = staff_token(backend.is_local());
    // Until the staff sign-in is there, the page is an ordinary one saying why not.
    let staff = Memo::new(move |_| who.with(|w| w.as_ref().is_some_and(|t| !t.is_empty())));
    view! {
        {move || (!staff.get()).then(header)}
        {for_staff(who, move |token| view! {
            <CheckInScreen backend=backend token=token id=id.get_value() />
        }.into_any())}
    }
    .into_any()
}

/// What the screen shows, as a whole; the code and countdown change inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Showing {
    Loading,
    Code,
    NotOpen,
    Closed,
    Failed,
}

fn showing(display: &Option<Result<CheckInDisplay, VolunteerError>>) -> Showing {
    match display {
        None => Showing::Loading,
        Some(Ok(d)) => match d.phase {
            ActivityPhase::CheckInOpen => Showing::Code,
            ActivityPhase::Upcoming => Showing::NotOpen,
            ActivityPhase::Ended => Showing::Closed,
        },
        Some(Err(VolunteerError::Refused(Refusal::CheckInNotOpen))) => Showing::NotOpen,
        Some(Err(VolunteerError::Refused(Refusal::CheckInClosed | Refusal::Ended))) => {
            Showing::Closed
        }
        Some(Err(_)) => Showing::Failed,
    }
}

#[component]
fn CheckInScreen(
    backend: VolunteerBackend,
    token: StoredValue<String>,
    id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    // When the code on screen expires (ms since the epoch; none while a code is on its way), and
    // the clock the countdown reads.
    let deadline = StoredValue::new(f64::INFINITY);
    let now = RwSignal::new(js_sys::Date::now());

    // Its title and times only: without them the screen still shows the code.
    let activity =
        Loader::new(
            move || async move { backend.activity(&token.get_value(), &id.get_value()).await },
        );
    // The code, asked again when it expires (polled: each answer says when the next is due).
    let code_loader = Loader::new(move || async move {
        let result = backend
            .check_in_code(&token.get_value(), &id.get_value())
            .await;
        let at = js_sys::Date::now();
        let wait_ms = match &result {
            Ok(d) => d.secs_left.max(1) as f64 * 1000.0,
            // Not open yet: it can open only when a step begins.
            Err(VolunteerError::Refused(_)) => {
                secs_until_next_code((at / 1000.0) as i64) as f64 * 1000.0
            }
            Err(_) => RETRY_MS,
        };
        deadline.set_value(at + wait_ms);
        now.set(at);
        result
    });
    let display = code_loader.state;
    let fetch = move || {
        deadline.set_value(f64::INFINITY);
        code_loader.refresh();
    };
    let showing = Memo::new(move |_| display.with(showing));
    match set_interval_with_handle(
        move || {
            let at = js_sys::Date::now();
            now.set(at);
            // After the end nothing changes any more: no need to ask.
            if at >= deadline.get_value() && showing.get_untracked() != Showing::Closed {
                fetch();
            }
        },
        Duration::from_secs(1),
    ) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => leptos::logging::warn!("no countdown: {e:?}"),
    }

    let code = Memo::new(move |_| {
        display.with(|d| match d {
            Some(Ok(d)) => d.code.clone(),
            _ => String::new(),
        })
    });
    let secs_left = move || {
        let left = ((deadline.get_value() - now.get()) / 1000.0).ceil();
        left.clamp(0.0, 30.0) as i64
    };
    let qr = move || {
        qr_path(&code.get()).map(|(side, path)| {
            let view_box = format!("0 0 {side} {side}");
            view! {
                <svg class="staff-checkin__qr" viewBox=view_box role="img" data-testid="checkin-qr"
                    aria-label=move || i18n.t(Msg::StaffCheckInQr) shape-rendering="crispEdges">
                    <rect width=side height=side fill="#fff" />
                    <path d=path fill="#000" />
                </svg>
            }
        })
    };
    let body = move || {
        match showing.get() {
        Showing::Loading => loading(),
        Showing::Code => view! {
            <p class="staff-checkin__hint">{i18n.text(Msg::StaffCheckInHint)}</p>
            <p class="staff-checkin__label">{i18n.text(Msg::StaffCheckInCode)}</p>
            <p class="staff-checkin__code" data-testid="checkin-code" aria-live="polite">
                {move || code.get()}
            </p>
            {qr}
            <p class="staff-checkin__countdown" data-testid="checkin-countdown">
                {move || next_code_in(i18n.lang.get(), secs_left())}
            </p>
        }
        .into_any(),
        Showing::NotOpen => view! {
            <p class="staff-checkin__note" role="status" data-testid="checkin-not-open">
                {move || {
                    let lang = i18n.lang.get();
                    match activity.loaded() {
                        Some(a) => labelled(lang, Msg::StaffCheckInOpensAt, &a.check_in_opens.china_minute_text()),
                        None => Msg::RefusalCheckInNotOpen.text(lang).to_owned(),
                    }
                }}
            </p>
        }
        .into_any(),
        Showing::Closed => view! {
            <p class="staff-checkin__note" role="status" data-testid="checkin-closed">
                {i18n.text(Msg::RefusalCheckInClosed)}
            </p>
        }
        .into_any(),
        Showing::Failed => match display.get_untracked() {
            Some(Err(e)) => failed(&e, fetch),
            _ => loading(),
        },
    }
    };
    view! {
        <div class="staff-checkin" data-testid="checkin-screen">
            <PageHeader title=Signal::derive(move || {
                activity.loaded().map_or_else(|| i18n.t(Msg::StaffCheckInCode).to_owned(), |a| a.title)
            }) />
            {body}
            <a class="button staff-checkin__exit" href=move || app_href(&format!("/staff/activities/{}", id.get_value()))>
                {i18n.text(Msg::StaffExit)}
            </a>
        </div>
    }
}
