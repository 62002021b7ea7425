//! The parts of the new-request form a GeoReport endpoint asks for: its services (grouped as it
//! groups them), the questions of the chosen service (each datatype as its own kind of field,
//! required ones marked), and the contact fields, sent only when the resident ticks consent.
//! The answers are checked by the core (`ServiceDefinition::answer`, `Contact::parse`).

use crate::backend::requests::{RequestsBackend, RequestsError};
use crate::components::field::{Field, field};
use crate::components::notice::failure_notice;
use crate::i18n::{I18n, Msg};
use crate::state::loader::Loader;
use citizen_core::georeport::service::{
    AnswerProblem, Answers, Attribute, Contact, ContactError, Datatype, Service, ServiceDefinition,
};
use leptos::prelude::*;

pub const FIRST_NAME: &str = "request-first-name";
pub const LAST_NAME: &str = "request-last-name";
pub const PHONE: &str = "request-phone";
pub const EMAIL: &str = "request-email";

/// The element id of an attribute's field (its first choice, for a list of boxes).
pub fn attribute_id(code: &str) -> String {
    let safe: String = code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("attribute-{safe}")
}

/// What the GeoReport form holds beyond the fields every form has.
#[derive(Clone, Copy)]
pub struct CityFields {
    pub services: Loader<Vec<Service>, RequestsError>,
    /// The chosen service's questions: `None` inside while it has none.
    pub definition: Loader<Option<ServiceDefinition>, RequestsError>,
    pub answers: RwSignal<Answers>,
    /// The refused answer: its attribute's code and why.
    pub answer_error: RwSignal<Option<(String, Msg)>>,
    pub consent: RwSignal<bool>,
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub email: RwSignal<String>,
    pub first_name_error: RwSignal<Option<Msg>>,
    pub last_name_error: RwSignal<Option<Msg>>,
    pub phone_error: RwSignal<Option<Msg>>,
    pub email_error: RwSignal<Option<Msg>>,
}

impl CityFields {
    /// Loads the services, and the chosen one's questions whenever the choice changes.
    /// `phone` is the form's one phone field (kept in the draft with the rest).
    pub fn new(
        backend: RequestsBackend,
        chosen: RwSignal<String>,
        phone: RwSignal<String>,
    ) -> CityFields {
        let services = Loader::new(move || async move { backend.services().await });
        let needs_questions = move || {
            chosen
                .with_untracked(|code| listed(services, code))
                .filter(|s| s.metadata)
                .map(|s| s.service_code)
        };
        let definition = Loader::new(move || {
            let code = untrack(needs_questions);
            async move {
                match code {
                    Some(code) => backend.definition(&code).await.map(Some),
                    None => Ok(None),
                }
            }
        });
        // A new choice (or the list arriving) asks for that service's questions.
        Effect::new(move |previous: Option<Option<String>>| {
            chosen.track();
            services.state.track();
            let now = untrack(needs_questions);
            if previous.is_some_and(|p| p != now) {
                definition.reload();
            }
            now
        });
        CityFields {
            services,
            definition,
            answers: RwSignal::new(Answers::new()),
            answer_error: RwSignal::new(None),
            consent: RwSignal::new(false),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            phone,
            email: RwSignal::new(String::new()),
            first_name_error: RwSignal::new(None),
            last_name_error: RwSignal::new(None),
            phone_error: RwSignal::new(None),
            email_error: RwSignal::new(None),
        }
    }

    /// The chosen service as listed.
    pub fn service(self, code: &str) -> Option<Service> {
        listed(self.services, code)
    }

    /// `service`'s answers as fields to send, or the first refused one (marked, with the id to
    /// focus). A service with questions whose definition could not be read cannot be checked:
    /// `Err` without a mark, and the form says the questions could not be loaded.
    pub fn checked_answers(
        self,
        service: Option<&Service>,
    ) -> Result<Vec<(String, String)>, Option<String>> {
        self.answer_error.set(None);
        let Some(service) = service else {
            return Ok(Vec::new());
        };
        if !service.metadata {
            return Ok(Vec::new());
        }
        let Some(Some(definition)) = untrack(|| self.definition.loaded()) else {
            return Err(None);
        };
        let answers = self.answers.get_untracked();
        definition.answer(&answers).map_err(|refused| {
            let msg = match refused.problem {
                AnswerProblem::Missing => Msg::AnswerMissing,
                AnswerProblem::NotANumber => Msg::AnswerNotANumber,
                AnswerProblem::NotATime => Msg::AnswerNotATime,
                AnswerProblem::NotAChoice => Msg::AnswerNotAChoice,
                AnswerProblem::TooLong => Msg::AnswerTooLong,
            };
            let id = attribute_id(&refused.code);
            self.answer_error.set(Some((refused.code, msg)));
            Some(id)
        })
    }

    /// The contact fields, when consent is ticked and any is typed; or the refused field's id.
    pub fn checked_contact(self) -> Result<Option<Contact>, &'static str> {
        for error in [
            self.first_name_error,
            self.last_name_error,
            self.phone_error,
            self.email_error,
        ] {
            error.set(None);
        }
        if !self.consent.get_untracked() {
            return Ok(None);
        }
        let contact = Contact::parse(
            &self.first_name.get_untracked(),
            &self.last_name.get_untracked(),
            &self.phone.get_untracked(),
            &self.email.get_untracked(),
        );
        match contact {
            Ok(contact) => Ok((!contact.is_empty()).then_some(contact)),
            Err(ContactError { field }) => {
                let (error, msg, id) = match field {
                    "first_name" => (self.first_name_error, Msg::NameInvalid, FIRST_NAME),
                    "last_name" => (self.last_name_error, Msg::NameInvalid, LAST_NAME),
                    "email" => (self.email_error, Msg::EmailInvalid, EMAIL),
                    _ => (self.phone_error, Msg::PhoneInvalid, PHONE),
                };
                error.set(Some(msg));
                Err(id)
            }
        }
    }

    /// Empties what was typed, once the request is queued.
    pub fn clear(self) {
        self.answers.set(Answers::new());
        self.consent.set(false);
        for typed in [self.first_name, self.last_name, self.phone, self.email] {
            typed.set(String::new());
        }
    }
}

/// The service `code` in the loaded list (only it is copied, not the list).
fn listed(services: Loader<Vec<Service>, RequestsError>, code: &str) -> Option<Service> {
    services.state.with(|state| match state {
        Some(Ok(list)) => list.iter().find(|s| s.service_code == code).cloned(),
        _ => None,
    })
}

/// The services as `<option>`s, grouped in `<optgroup>`s in the order the endpoint lists them.
pub fn service_options(i18n: I18n, city: CityFields, chosen: RwSignal<String>) -> impl IntoView {
    move || {
        let _ = i18n;
        let list = city.services.loaded().unwrap_or_default();
        let mut groups: Vec<(Option<String>, Vec<Service>)> = Vec::new();
        for service in list {
            let group = service.group.clone().filter(|g| !g.trim().is_empty());
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, members)) => members.push(service),
                None => groups.push((group, vec![service])),
            }
        }
        let option = move |s: Service| {
            let code = s.service_code.clone();
            view! {
                <option value=s.service_code.clone()
                    prop:selected=move || chosen.with(|v| *v == code)>
                    {s.service_name}
                </option>
            }
        };
        groups
            .into_iter()
            .map(|(group, members)| match group {
                Some(label) => view! {
                    <optgroup label=label>{members.into_iter().map(option).collect_view()}</optgroup>
                }
                .into_any(),
                None => members.into_iter().map(option).collect_view().into_any(),
            })
            .collect_view()
    }
}

/// The chosen service's description, and a failed list's notice with a retry.
pub fn service_notes(i18n: I18n, city: CityFields, chosen: RwSignal<String>) -> impl IntoView {
    let failure = RwSignal::new(None::<RequestsError>);
    Effect::new(move |_| {
        failure.set(city.services.state.with(|s| match s {
            Some(Err(e)) => Some(e.clone()),
            _ => None,
        }))
    });
    view! {
        {move || {
            let code = chosen.get();
            city.service(&code)
                .and_then(|s| s.description)
                .filter(|d| !d.trim().is_empty())
                .map(|d| view! { <p id="request-service-hint" class="field__hint" data-testid="service-description">{d}</p> })
        }}
        {failure_notice(failure, "services-error")}
        {move || failure.with(Option::is_some).then(|| view! {
            <button type="button" class="button" on:click=move |_| city.services.reload()>
                {i18n.text(Msg::Retry)}
            </button>
        })}
    }
}

/// The chosen service's questions, in the city's order.
pub fn questions(i18n: I18n, city: CityFields) -> impl IntoView {
    move || {
        match city.definition.state.get() {
        None => view! { <p class="status" role="status">{i18n.text(Msg::QuestionsLoading)}</p> }
            .into_any(),
        Some(Ok(None)) => ().into_any(),
        Some(Err(_)) => view! {
            <p class="notice notice--error" role="alert" data-testid="questions-error">
                {i18n.text(Msg::QuestionsFailed)}
            </p>
            <button type="button" class="button" on:click=move |_| city.definition.reload()>
                {i18n.text(Msg::Retry)}
            </button>
        }
        .into_any(),
        Some(Ok(Some(definition))) => view! {
            <fieldset class="fieldset" data-testid="questions">
                <legend class="field__label">{i18n.text(Msg::QuestionsHeading)}</legend>
                {definition.in_order().into_iter().cloned().map(|a| question(i18n, city, a)).collect_view()}
            </fieldset>
        }
        .into_any(),
    }
    }
}

fn question(i18n: I18n, city: CityFields, attribute: Attribute) -> AnyView {
    let code = StoredValue::new(attribute.code.clone());
    let id = attribute_id(&attribute.code);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    if !attribute.variable {
        return view! { <p class="muted" data-testid="question-note">{attribute.description}</p> }
            .into_any();
    }
    let error = Memo::new(move |_| {
        city.answer_error.with(|e| {
            e.as_ref()
                .filter(|(c, _)| code.with_value(|code| c == code))
                .map(|(_, msg)| *msg)
        })
    });
    let invalid = move || error.get().map(|_| "true");
    let first = move || {
        city.answers.with(|a| {
            code.with_value(|c| {
                a.get(c)
                    .and_then(|v| v.first().cloned())
                    .unwrap_or_default()
            })
        })
    };
    let set_one = move |value: String| {
        city.answers.update(|a| {
            a.insert(code.get_value(), vec![value]);
        });
        if error.get_untracked().is_some() {
            city.answer_error.set(None);
        }
    };
    let label = if attribute.required {
        format!("{}{}", attribute.description, i18n.t(Msg::RequiredMark))
    } else {
        attribute.description.clone()
    };
    let hint = attribute
        .datatype_description
        .clone()
        .filter(|d| !d.trim().is_empty());
    let described = {
        let (hint_id, error_id, has_hint) = (hint_id.clone(), error_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let hint_view = hint.map(|h| view! { <p id=hint_id.clone() class="field__hint">{h}</p> });
    let error_view = {
        let error_id = error_id.clone();
        move || {
            error.get().map(|msg| {
                view! { <p id=error_id.clone() class="field__error" role="alert" data-testid="answer-error">{i18n.text(msg)}</p> }
            })
        }
    };
    let required = attribute.required;
    let input = match attribute.datatype {
        Datatype::Text => view! {
            <textarea id=id.clone() class="field__input field__input--text" rows="3"
                aria-required=required.then_some("true") aria-invalid=invalid aria-describedby=described
                prop:value=first on:input=move |ev| set_one(event_target_value(&ev))></textarea>
        }
        .into_any(),
        Datatype::Singlevaluelist => view! {
            <select id=id.clone() class="field__input" aria-required=required.then_some("true")
                aria-invalid=invalid aria-describedby=described
                on:change=move |ev| set_one(event_target_value(&ev))>
                <option value="" prop:selected=move || first().is_empty()>{i18n.text(Msg::ChoosePrompt)}</option>
                {attribute.values.iter().cloned().map(|v| {
                    let key = v.key.clone();
                    view! { <option value=v.key prop:selected=move || first() == key>{v.name}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        Datatype::Multivaluelist => {
            let boxes = attribute
                .values
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, v)| {
                    let key = StoredValue::new(v.key.clone());
                    let box_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                    let checked = move || {
                        city.answers.with(|a| {
                            code.with_value(|c| {
                                a.get(c).is_some_and(|vs| key.with_value(|k| vs.contains(k)))
                            })
                        })
                    };
                    view! {
                        <label class="check">
                            <input type="checkbox" id=box_id prop:checked=checked
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    city.answers.update(|a| {
                                        let values = a.entry(code.get_value()).or_default();
                                        let k = key.get_value();
                                        values.retain(|x| *x != k);
                                        if on { values.push(k); }
                                    });
                                    city.answer_error.set(None);
                                } />
                            <span>{v.name}</span>
                        </label>
                    }
                })
                .collect_view();
            return view! {
                <fieldset class="field fieldset" aria-invalid=invalid aria-describedby=described>
                    <legend class="field__label">{label}</legend>
                    {hint_view}
                    {boxes}
                    {error_view}
                </fieldset>
            }
            .into_any();
        }
        Datatype::Datetime => view! {
            <input id=id.clone() class="field__input" type="datetime-local"
                aria-required=required.then_some("true") aria-invalid=invalid aria-describedby=described
                prop:value=first on:input=move |ev| set_one(event_target_value(&ev)) />
        }
        .into_any(),
        Datatype::Number => view! {
            <input id=id.clone() class="field__input" type="text" inputmode="decimal"
                aria-required=required.then_some("true") aria-invalid=invalid aria-describedby=described
                prop:value=first on:input=move |ev| set_one(event_target_value(&ev)) />
        }
        .into_any(),
        Datatype::String | Datatype::Unknown => view! {
            <input id=id.clone() class="field__input" type="text"
                aria-required=required.then_some("true") aria-invalid=invalid aria-describedby=described
                prop:value=first on:input=move |ev| set_one(event_target_value(&ev)) />
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            {hint_view}
            {input}
            {error_view}
        </div>
    }
    .into_any()
}

/// The consent box, and the contact fields once it is ticked.
pub fn contact_consent(i18n: I18n, city: CityFields) -> impl IntoView {
    let text = |(id, error_id), name, label, kind, inputmode, autocomplete| Field {
        id,
        name,
        error_id,
        error_testid: error_id,
        label,
        kind,
        inputmode,
        autocomplete,
        remember: None,
        hint: None,
    };
    view! {
        <label class="switch">
            <input type="checkbox" name="consent" prop:checked=move || city.consent.get()
                on:change=move |ev| city.consent.set(event_target_checked(&ev)) />
            <span class="switch__text">
                <span>{i18n.text(Msg::ContactConsent)}</span>
                <span class="muted">{i18n.text(Msg::ContactConsentHint)}</span>
            </span>
        </label>
        {move || city.consent.get().then(|| view! {
            {field(i18n, text((LAST_NAME, "last-name-error"), "last_name", Msg::LastNameLabel, "text", None, "family-name"), city.last_name, city.last_name_error)}
            {field(i18n, text((FIRST_NAME, "first-name-error"), "first_name", Msg::FirstNameLabel, "text", None, "given-name"), city.first_name, city.first_name_error)}
            {field(i18n, text((PHONE, "phone-error"), "phone", Msg::PhoneLabel, "tel", Some("tel"), "tel"), city.phone, city.phone_error)}
            {field(i18n, text((EMAIL, "email-error"), "email", Msg::EmailLabel, "email", Some("email"), "email"), city.email, city.email_error)}
        })}
    }
}
