//! The activity form, for a new activity and for changing one: title, place, details, start and
//! end (China time), places and the points rule. Each field's error says which field and what it
//! needs; nothing typed is lost when something is refused.

use crate::backend::volunteer::{VolunteerBackend, VolunteerError};
use crate::browser::dom::focus;
use crate::components::field::{Field, described_by, field, field_error};
use crate::components::notice::failure_notice;
use crate::i18n::{I18n, Msg, use_i18n};
use crate::state::loader::act;
use citizen_core::time::Timestamp;
use citizen_core::timebank::ServiceStart;
use citizen_core::volunteer::{
    ActivityDetails, ActivityDraft, ActivityPlace, ActivityTitle, ActivityView, AwardRule, Points,
    Slots,
};
use leptos::prelude::*;

/// What the form holds, as typed.
#[derive(Clone, Copy)]
struct Typed {
    title: RwSignal<String>,
    place: RwSignal<String>,
    details: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    slots: RwSignal<String>,
    fixed: RwSignal<bool>,
    per_hour: RwSignal<String>,
    cap: RwSignal<String>,
    points: RwSignal<String>,
}

impl Typed {
    fn new(from: Option<&ActivityView>) -> Typed {
        let text = |f: fn(&ActivityView) -> String| RwSignal::new(from.map(f).unwrap_or_default());
        let (fixed, per_hour, cap, points) = match from.map(|a| a.award) {
            Some(AwardRule::Fixed { points }) => (true, String::new(), String::new(), points.get()),
            Some(AwardRule::PerHour { per_hour, cap }) => {
                (false, per_hour.get().to_string(), cap.get().to_string(), 0)
            }
            None => (false, String::new(), String::new(), 0),
        };
        Typed {
            title: text(|a| a.title.clone()),
            place: text(|a| a.place.clone()),
            details: text(|a| a.details.clone().unwrap_or_default()),
            start: text(|a| a.start.to_china_input()),
            end: text(|a| a.end.to_china_input()),
            slots: text(|a| a.slots.to_string()),
            fixed: RwSignal::new(fixed),
            per_hour: RwSignal::new(per_hour),
            cap: RwSignal::new(cap),
            points: RwSignal::new(if points > 0 {
                points.to_string()
            } else {
                String::new()
            }),
        }
    }
}

/// Each field's error, and the id of the control it belongs to (for focus).
#[derive(Clone, Copy)]
struct Errors {
    title: RwSignal<Option<Msg>>,
    place: RwSignal<Option<Msg>>,
    details: RwSignal<Option<Msg>>,
    start: RwSignal<Option<Msg>>,
    end: RwSignal<Option<Msg>>,
    slots: RwSignal<Option<Msg>>,
    per_hour: RwSignal<Option<Msg>>,
    cap: RwSignal<Option<Msg>>,
    points: RwSignal<Option<Msg>>,
}

impl Errors {
    fn new() -> Errors {
        let e = || RwSignal::new(None);
        Errors {
            title: e(),
            place: e(),
            details: e(),
            start: e(),
            end: e(),
            slots: e(),
            per_hour: e(),
            cap: e(),
            points: e(),
        }
    }

    /// In the form's order, with their controls' ids.
    fn all(self) -> [(RwSignal<Option<Msg>>, &'static str); 9] {
        [
            (self.title, TITLE.id),
            (self.place, PLACE.id),
            (self.details, DETAILS),
            (self.start, START.id),
            (self.end, END.id),
            (self.slots, SLOTS.id),
            (self.per_hour, PER_HOUR.id),
            (self.cap, CAP.id),
            (self.points, POINTS.id),
        ]
    }

    fn focus_first(self) {
        // `try_`: after an answer, the form may be gone (the person went elsewhere).
        if let Some((_, id)) = self.all().into_iter().find(|(error, _)| {
            error
                .try_with_untracked(Option::is_some)
                .unwrap_or_default()
        }) {
            focus(id);
        }
    }
}

const fn time_field(id: &'static str, error_id: &'static str, label: Msg) -> Field {
    Field {
        kind: "datetime-local",
        ..Field::plain(id, error_id, label)
    }
}

const TITLE: Field = Field::plain(
    "activity-title",
    "title-error",
    Msg::StaffActivityTitleLabel,
);
const PLACE: Field = Field::plain(
    "activity-place",
    "place-error",
    Msg::StaffActivityPlaceLabel,
);
const DETAILS: &str = "activity-details";
const START: Field = time_field(
    "activity-start",
    "start-error",
    Msg::StaffActivityStartLabel,
);
const END: Field = time_field("activity-end", "end-error", Msg::StaffActivityEndLabel);
const SLOTS: Field = Field::number(
    "activity-slots",
    "slots-error",
    Msg::StaffActivitySlotsLabel,
);
const PER_HOUR: Field = Field::number(
    "award-per-hour",
    "per-hour-error",
    Msg::StaffAwardPerHourLabel,
);
const CAP: Field = Field::number("award-cap", "cap-error", Msg::StaffAwardCapLabel);
const POINTS: Field = Field::number("award-points", "points-error", Msg::StaffAwardFixedLabel);

fn whole(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

/// The draft, or every field's error set and `None`.
fn draft(typed: Typed, errors: Errors) -> Option<ActivityDraft> {
    let get = |s: RwSignal<String>| s.get_untracked();
    let title = ActivityTitle::parse(&get(typed.title)).map_err(|_| Msg::StaffActivityTitleInvalid);
    let place = ActivityPlace::parse(&get(typed.place)).map_err(|_| Msg::StaffActivityPlaceInvalid);
    let details = match get(typed.details) {
        d if d.trim().is_empty() => Ok(None),
        d => ActivityDetails::parse(&d)
            .map(Some)
            .map_err(|_| Msg::StaffActivityDetailsTooLong),
    };
    let start = Timestamp::from_china_input(&get(typed.start)).ok_or(Msg::StaffStartMissing);
    let end = Timestamp::from_china_input(&get(typed.end))
        .ok_or(Msg::StaffEndMissing)
        .and_then(|end| match &start {
            Ok(start) if end <= *start => Err(Msg::StaffEndBeforeStart),
            _ => Ok(end),
        });
    let slots = whole(&get(typed.slots))
        .and_then(|n| Slots::new(n).ok())
        .ok_or(Msg::StaffSlotsInvalid);
    let amount = |s: RwSignal<String>| {
        whole(&get(s))
            .and_then(|n| Points::new(n).ok())
            .ok_or(Msg::StaffPointsInvalid)
    };
    let fixed = typed.fixed.get_untracked();
    let (per_hour, cap, points) = if fixed {
        (Ok(None), Ok(None), amount(typed.points).map(Some))
    } else {
        (
            amount(typed.per_hour).map(Some),
            amount(typed.cap).map(Some),
            Ok(None),
        )
    };
    errors.title.set(title.as_ref().err().copied());
    errors.place.set(place.as_ref().err().copied());
    errors.details.set(details.as_ref().err().copied());
    errors.start.set(start.as_ref().err().copied());
    errors.end.set(end.as_ref().err().copied());
    errors.slots.set(slots.as_ref().err().copied());
    errors.per_hour.set(per_hour.as_ref().err().copied());
    errors.cap.set(cap.as_ref().err().copied());
    errors.points.set(points.as_ref().err().copied());
    let award = match (per_hour.ok()?, cap.ok()?, points.ok()?) {
        (_, _, Some(points)) => AwardRule::Fixed { points },
        (Some(per_hour), Some(cap), None) => AwardRule::PerHour { per_hour, cap },
        _ => return None,
    };
    Some(ActivityDraft {
        title: title.ok()?,
        place: place.ok()?,
        details: details.ok()?,
        start: ServiceStart::Unix(start.ok()?.unix_secs()),
        end: ServiceStart::Unix(end.ok()?.unix_secs()),
        slots: slots.ok()?,
        award,
    })
}

/// The error a backend's refusal of `field` (named as in the body) puts under that field;
/// `false` for a field this form does not have.
fn field_refused(errors: Errors, fixed: bool, field: &str) -> bool {
    let (error, msg) = match field {
        "title" => (errors.title, Msg::StaffActivityTitleInvalid),
        "place" => (errors.place, Msg::StaffActivityPlaceInvalid),
        "details" => (errors.details, Msg::StaffActivityDetailsTooLong),
        "start" => (errors.start, Msg::StaffStartMissing),
        "end" => (errors.end, Msg::StaffEndBeforeStart),
        "slots" => (errors.slots, Msg::StaffSlotsInvalid),
        "award" | "points" if fixed => (errors.points, Msg::StaffPointsInvalid),
        "award" | "per_hour" => (errors.per_hour, Msg::StaffPointsInvalid),
        "cap" => (errors.cap, Msg::StaffPointsInvalid),
        _ => return false,
    };
    error.set(Some(msg));
    true
}

/// A new activity (`activity: None`), or changes to `activity`. `on_saved` gets the backend's
/// answer.
#[component]
pub fn ActivityForm(
    backend: VolunteerBackend,
    token: StoredValue<String>,
    #[prop(optional)] activity: Option<ActivityView>,
    on_saved: Callback<ActivityView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(activity.as_ref().map(|a| a.id.clone()));
    let editing = activity.is_some();
    let typed = Typed::new(activity.as_ref());
    let errors = Errors::new();
    let failure = RwSignal::new(None::<VolunteerError>);
    let sending = RwSignal::new(false);
    let saved = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        failure.set(None);
        saved.set(false);
        let Some(draft) = draft(typed, errors) else {
            errors.focus_first();
            return;
        };
        let fixed = typed.fixed.get_untracked();
        act(
            sending,
            async move {
                let token = token.get_value();
                match id.get_value() {
                    Some(id) => backend.edit_activity(&token, &id, &draft).await,
                    None => backend.create_activity(&token, &draft).await,
                }
            },
            move |result| match result {
                Ok(view) => {
                    saved.set(editing);
                    on_saved.try_run(view);
                }
                Err(VolunteerError::Field(name)) if field_refused(errors, fixed, &name) => {
                    errors.focus_first();
                }
                Err(e) => {
                    failure.set(Some(e));
                }
            },
        );
    };

    let award_fields = move || {
        if typed.fixed.get() {
            field(i18n, POINTS, typed.points, errors.points)
        } else {
            view! {
                {field(i18n, PER_HOUR, typed.per_hour, errors.per_hour)}
                {field(i18n, CAP, typed.cap, errors.cap)}
            }
            .into_any()
        }
    };
    let label = if editing {
        Msg::StaffActivitySave
    } else {
        Msg::StaffActivityPublish
    };
    view! {
        <form class="form card" data-testid="activity-form" novalidate on:submit=submit>
            {field(i18n, TITLE, typed.title, errors.title)}
            {field(i18n, PLACE, typed.place, errors.place)}
            {details_field(i18n, typed.details, errors.details)}
            {field(i18n, START, typed.start, errors.start)}
            {field(i18n, END, typed.end, errors.end)}
            {field(i18n, SLOTS, typed.slots, errors.slots)}
            <fieldset class="choices staff-award">
                <legend>{i18n.text(Msg::StaffAwardRuleLabel)}</legend>
                {award_choice(i18n, typed.fixed, false, Msg::StaffAwardPerHour)}
                {award_choice(i18n, typed.fixed, true, Msg::StaffAwardFixed)}
            </fieldset>
            {award_fields}
            {failure_notice(failure, "activity-error")}
            <p class="staff-result" role="status" data-testid="activity-saved">
                {move || saved.get().then(|| i18n.t(Msg::StaffActivitySaved))}
            </p>
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="activity-submit"
                    disabled=move || sending.get()>
                    {move || i18n.t(if sending.get() { Msg::Submitting } else { label })}
                </button>
            </div>
        </form>
    }
}

fn award_choice(i18n: I18n, fixed: RwSignal<bool>, value: bool, label: Msg) -> impl IntoView {
    view! {
        <label class="choice">
            <input type="radio" name="award" value=if value { "fixed" } else { "per_hour" }
                prop:checked=move || fixed.get() == value
                on:change=move |_| fixed.set(value) />
            <span>{i18n.text(label)}</span>
        </label>
    }
}

fn details_field(
    i18n: I18n,
    value: RwSignal<String>,
    error: RwSignal<Option<Msg>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=DETAILS>{i18n.text(Msg::StaffActivityDetailsLabel)}</label>
            <textarea id=DETAILS name="details" class="field__input field__input--text" rows="3"
                maxlength=ActivityDetails::MAX
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by("", "details-error", error)
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    error.set(None);
                }></textarea>
            {field_error(i18n, "details-error", "details-error", error)}
        </div>
    }
}
