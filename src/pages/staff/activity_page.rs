use super::activity_form::ActivityForm;
use super::words::{NONE, phase_name, points, signed_up};
use super::{my_person_id, volunteer_staff};
use crate::backend::volunteer::{VolunteerBackend, VolunteerError};
use crate::components::loaded::{failed, loading};
use crate::components::notice::failure_notice;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, duration, use_i18n};
use crate::pages::volunteer::words::phase_chip;
use crate::router::app_href;
use crate::state::loader::{Loader, act};
use citizen_core::time::{Timestamp, china_span};
use citizen_core::volunteer::{ActivityView, AttendeeView, VerifiedMinutes};
use leptos::prelude::*;

/// One activity for staff: what it is, the way to its check-in screen, its form, and the people
/// signed up, each with their times and the staff's verification of the time they gave.
#[component]
pub fn StaffActivityPage(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(None::<String>);
    let id = StoredValue::new(id);
    view! {
        <PageHeader title=Signal::derive(move || {
            title.get().unwrap_or_else(|| i18n.t(Msg::StaffActivities).to_owned())
        }) />
        {volunteer_staff(move |backend, token| view! {
            <Activity backend=backend token=token id=id.get_value() title=title />
        }.into_any())}
    }
}

#[component]
fn Activity(
    backend: VolunteerBackend,
    token: StoredValue<String>,
    id: String,
    title: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    // As loaded (the form starts from it), and as it stands after the staff's changes.
    let current = RwSignal::new(None::<ActivityView>);
    let loaded = Loader::new(move || async move {
        let result = backend.activity(&token.get_value(), &id.get_value()).await;
        if let Ok(a) = &result {
            title.set(Some(a.title.clone()));
            current.set(Some(a.clone()));
        }
        result
    });
    let attendees =
        Loader::new(
            move || async move { backend.attendees(&token.get_value(), &id.get_value()).await },
        );
    let saved = Callback::new(move |a: ActivityView| {
        title.set(Some(a.title.clone()));
        current.set(Some(a));
    });

    let summary = move || {
        current.get().map(|a| {
            let taken = a.slots.saturating_sub(a.slots_left);
            view! {
                <section class="section card staff-summary" data-testid="activity-summary">
                    <p class="request-item__top">
                        <span data-testid="activity-time">{china_span(a.start, a.end)}</span>
                        {phase_chip(i18n, a.phase, phase_name)}
                    </p>
                    <p>{a.place.clone()}</p>
                    <p class="muted" data-testid="activity-signed-up">
                        {move || signed_up(i18n.lang.get(), taken, a.slots)}
                    </p>
                    <a class="button button--primary staff-big-button" data-testid="open-checkin"
                        href=app_href(&format!("/staff/checkin/{}", a.id))>
                        {i18n.text(Msg::StaffOpenCheckIn)}
                    </a>
                </section>
            }
        })
    };
    let form = move || match loaded.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || loaded.reload()),
        Some(Ok(activity)) => view! {
            <section class="section" aria-labelledby="edit-heading">
                <h2 id="edit-heading">{i18n.text(Msg::StaffActivityEdit)}</h2>
                <ActivityForm backend=backend token=token activity=activity on_saved=saved />
            </section>
        }
        .into_any(),
    };
    let people = move || {
        match attendees.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || attendees.reload()),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted" data-testid="no-attendees">{i18n.text(Msg::StaffNoAttendees)}</p> }
                .into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="request-list" data-testid="attendees">
                {list.into_iter().map(|a| view! {
                    <Attendee backend=backend token=token activity=id attendee=a />
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    view! {
        {summary}
        <section class="section" aria-labelledby="attendees-heading">
            <h2 id="attendees-heading">{i18n.text(Msg::StaffAttendees)}</h2>
            {people}
        </section>
        {form}
    }
}

/// One person signed up: their times, and the verification of the time they gave, once.
#[component]
fn Attendee(
    backend: VolunteerBackend,
    token: StoredValue<String>,
    activity: StoredValue<String>,
    attendee: AttendeeView,
) -> impl IntoView {
    let i18n = use_i18n();
    let person = attendee.person.id.get();
    let minutes = RwSignal::new(
        attendee
            .suggested_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let current = RwSignal::new(attendee);
    let error = RwSignal::new(None::<Msg>);
    let failure = RwSignal::new(None::<VolunteerError>);
    let sending = RwSignal::new(false);
    let input_id = format!("verify-minutes-{person}");
    let error_id: &'static str = "verify-minutes-error";
    let error_id_for = format!("verify-minutes-error-{person}");

    let verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        failure.set(None);
        let Some(verified) = minutes
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| *m > 0)
            .and_then(|m| VerifiedMinutes::new(m).ok())
        else {
            error.set(Some(Msg::StaffMinutesInvalid));
            return;
        };
        act(
            sending,
            async move {
                backend
                    .verify(&token.get_value(), &activity.get_value(), person, verified)
                    .await
            },
            move |result| match result {
                Ok(view) => current.set(view),
                Err(e) => {
                    failure.set(Some(e));
                }
            },
        );
    };

    let time =
        |t: Option<Timestamp>| t.map_or_else(|| NONE.to_owned(), Timestamp::china_minute_text);
    let facts = move || {
        let a = current.get();
        let lang = i18n.lang.get();
        let minutes = |m: Option<u32>| {
            m.map_or_else(|| NONE.to_owned(), |m| duration(lang, i64::from(m), false))
        };
        view! {
            <dl class="facts staff-facts">
                <dt>{i18n.text(Msg::StaffSignedUpAt)}</dt>
                <dd>{a.signed_up_at.china_minute_text()}</dd>
                <dt>{i18n.text(Msg::StaffCheckedInAt)}</dt>
                <dd data-testid="attendee-in">{time(a.checked_in_at)}</dd>
                <dt>{i18n.text(Msg::StaffCheckedOutAt)}</dt>
                <dd data-testid="attendee-out">{time(a.checked_out_at)}</dd>
                <dt>{i18n.text(Msg::StaffSuggestedTime)}</dt>
                <dd data-testid="attendee-suggested">{minutes(a.suggested_minutes)}</dd>
            </dl>
        }
    };
    // Announced when it appears: the result of the verification.
    let verified = move || {
        let a = current.get();
        let lang = i18n.lang.get();
        a.verified_minutes.map(|m| view! {
            <dl class="facts staff-facts">
                <dt>{i18n.text(Msg::StaffVerifiedTime)}</dt>
                <dd data-testid="attendee-verified">{duration(lang, i64::from(m), false)}</dd>
                <dt>{i18n.text(Msg::StaffPointsCredited)}</dt>
                <dd data-testid="attendee-points">{points(lang, u64::from(a.points.unwrap_or(0)))}</dd>
            </dl>
        })
    };
    // Nobody verifies their own attendance: for their own line, staff see why instead.
    let mine = move || my_person_id(backend.is_local()) == Some(person);
    let own = move || {
        let a = current.get();
        (a.verified_minutes.is_none() && a.checked_in_at.is_some() && mine()).then(|| view! {
            <p class="muted" data-testid="verify-own">{i18n.text(Msg::StaffCannotVerifySelf)}</p>
        })
    };
    let form = move || {
        let a = current.get();
        (a.verified_minutes.is_none() && a.checked_in_at.is_some() && !mine()).then(|| {
            let error_id_for = StoredValue::new(error_id_for.clone());
            view! {
                <form class="form staff-verify" data-testid="verify" novalidate on:submit=verify>
                    <div class="field">
                        <label class="field__label" for=input_id.clone()>
                            {i18n.text(Msg::StaffVerifyMinutesLabel)}
                        </label>
                        <input id=input_id.clone() class="field__input" type="text" inputmode="numeric"
                            autocomplete="off"
                            aria-invalid=move || error.get().map(|_| "true")
                            aria-describedby=move || error.get().map(|_| error_id_for.get_value())
                            prop:value=move || minutes.get()
                            on:input=move |ev| {
                                minutes.set(event_target_value(&ev));
                                error.set(None);
                            } />
                        {move || error.get().map(|msg| view! {
                            <p id=error_id_for.get_value() class="field__error" role="alert" data-testid=error_id>
                                {i18n.text(msg)}
                            </p>
                        })}
                    </div>
                    <div class="actions">
                        <button type="submit" class="button button--primary" data-testid="verify-submit"
                            disabled=move || sending.get()>
                            {i18n.text(Msg::StaffDoVerifyTime)}
                        </button>
                    </div>
                </form>
            }
        })
    };
    view! {
        <li class="card staff-card" data-testid="attendee" data-person=person>
            <p class="request-item__tracking" data-testid="attendee-name">
                {move || current.with(|a| a.person.name.clone())}
            </p>
            {facts}
            <div role="status" aria-live="polite">{verified}</div>
            {failure_notice(failure, "verify-error")}
            {own}
            {form}
        </li>
    }
}
