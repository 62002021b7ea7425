//! 签到: the 6-digit code read from the screen at the activity. A refusal (an expired or wrong
//! code) is said in plain words next to the field, which keeps what was typed.

use super::Volunteering;
use crate::backend::error::Failure;
use crate::components::field::{described_by, field_error};
use crate::i18n::{Msg, use_i18n};
use citizen_core::volunteer::{ActivityView, CheckInCode, Refusal};
use leptos::prelude::*;

const INPUT: &str = "checkin-code";
const HINT: &str = "checkin-code-hint";
const ERROR: &str = "checkin-code-error";

#[component]
pub fn CheckInForm(
    v: Volunteering,
    id: StoredValue<String>,
    on_done: Callback<ActivityView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = typed.get_untracked();
        // The core reads what was typed (spaces, full-width digits) the way every backend does.
        if CheckInCode::parse(&code).is_err() {
            error.set(Some(crate::backend::volunteer::refusal_message(
                Refusal::CodeMalformed,
            )));
            return;
        }
        let id = id.get_value();
        v.call(
            busy,
            move |b, t| async move { b.check_in(&t, &id, &code).await },
            move |result| match result {
                Ok(view) => {
                    error.set(None);
                    on_done.run(view);
                }
                Err(e) => error.set(Some(e.message())),
            },
        );
    };
    view! {
        <form class="form volunteer-checkin" data-testid="checkin-form" on:submit=submit novalidate>
            <div class="field">
                <label class="field__label" for=INPUT>{i18n.text(Msg::VolunteerCodeLabel)}</label>
                <p id=HINT class="field__hint">{i18n.text(Msg::VolunteerCodeHint)}</p>
                <input id=INPUT name="code" class="field__input volunteer-code" type="text"
                    inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                    data-testid="checkin-code-input"
                    aria-invalid=move || error.get().map(|_| "true")
                    aria-describedby=described_by(HINT, ERROR, error)
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        typed.set(event_target_value(&ev));
                        error.set(None);
                    } />
                {field_error(i18n, ERROR, "checkin-error", error)}
            </div>
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="checkin-submit"
                    prop:disabled=move || busy.get()>
                    {move || i18n.t(if busy.get() { Msg::Submitting } else { Msg::VolunteerCheckIn })}
                </button>
            </div>
        </form>
    }
}
