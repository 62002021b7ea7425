use super::signed_in;
use super::words::category_name;
use crate::backend::requests::{RequestsBackend, RequestsError};
use crate::browser::dom::focus;
use crate::browser::geolocation::{GeoFailure, current_position};
use crate::components::field::{Field, described_by, field, field_error};
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::storage::{self, Key};
use citizen_core::geo::LatLng;
use citizen_core::phone::MobileNumber;
use citizen_core::requests::{Address, CATEGORIES, CategoryCode, NewRequest, RequestView};
use citizen_core::text::{Description, TextError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

const CATEGORY: &str = "request-category";
const DESCRIPTION: &str = "request-description";
const ADDRESS: &str = "request-address";
const CONTACT: &str = "request-contact";
const FILED: &str = "request-filed";

/// Everything typed so far, kept in localStorage as it is typed, so a reload (or a webview that
/// re-runs the page) loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Draft {
    category: String,
    description: String,
    address: String,
    position: Option<LatLng>,
    contact: String,
    anonymous: bool,
    /// The idempotency key of the last attempt, and the body it was sent with: the same body is
    /// retried with the same key (never filed twice); an edited one gets a new key.
    attempt: Option<(String, String)>,
}

/// A key no other attempt has: the time and two random draws.
fn new_key() -> String {
    let draw = || (js_sys::Math::random() * 1e15) as u64;
    format!("{:x}-{:x}{:x}", js_sys::Date::now() as u64, draw(), draw())
}

/// 我要反映: file a request; the tracking number shows as soon as the server has it.
#[component]
pub fn NewRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::ModuleNewRequest).to_owned()) />
        {signed_in(|backend, token| view! { <NewRequestForm backend=backend token=token /> }.into_any())}
    }
}

#[component]
fn NewRequestForm(backend: RequestsBackend, token: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let saved: Draft = storage::load(Key::RequestDraft);
    let category = RwSignal::new(saved.category);
    let description = RwSignal::new(saved.description);
    let address = RwSignal::new(saved.address);
    let position = RwSignal::new(saved.position);
    let contact = RwSignal::new(saved.contact);
    let anonymous = RwSignal::new(saved.anonymous);
    let attempt = RwSignal::new(saved.attempt);

    let category_error = RwSignal::new(None::<Msg>);
    let description_error = RwSignal::new(None::<Msg>);
    let address_error = RwSignal::new(None::<Msg>);
    let contact_error = RwSignal::new(None::<Msg>);
    let failure = RwSignal::new(None::<RequestsError>);
    let sending = RwSignal::new(false);
    let locating = RwSignal::new(false);
    let geo_note = RwSignal::new(None::<Msg>);
    let filed = RwSignal::new(None::<RequestView>);

    Effect::new(move |_| {
        let draft = Draft {
            category: category.get(),
            description: description.get(),
            address: address.get(),
            position: position.get(),
            contact: contact.get(),
            anonymous: anonymous.get(),
            attempt: attempt.get(),
        };
        if draft == Draft::default() {
            storage::remove(Key::RequestDraft);
        } else if let Err(e) = storage::save(Key::RequestDraft, &draft) {
            leptos::logging::warn!("{e}");
        }
    });

    let locate = move |_| {
        locating.set(true);
        geo_note.set(None);
        spawn_local(async move {
            match current_position().await {
                Ok(here) => {
                    position.set(Some(here));
                    address_error.set(None);
                }
                Err(GeoFailure::Denied) => geo_note.set(Some(Msg::RequestLocationDenied)),
                Err(GeoFailure::Unavailable) => geo_note.set(Some(Msg::RequestLocationUnavailable)),
            }
            locating.set(false);
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        failure.set(None);
        let code = CategoryCode::parse(&category.get_untracked()).ok_or(Msg::CategoryMissing);
        let text = Description::parse(&description.get_untracked()).map_err(|e| match e {
            TextError::TooShort { .. } => Msg::DescriptionTooShort,
            TextError::TooLong { .. } => Msg::DescriptionTooLong,
        });
        let here = position.get_untracked();
        let typed = address.get_untracked();
        let place = match (typed.trim().is_empty(), here) {
            (true, Some(_)) => Ok(None),
            (true, None) => Err(Msg::AddressMissing),
            (false, _) => Address::parse(&typed)
                .map(Some)
                .map_err(|_| Msg::AddressInvalid),
        };
        let hidden = anonymous.get_untracked();
        let phone = contact.get_untracked();
        let callback = if hidden || phone.trim().is_empty() {
            Ok(None)
        } else {
            MobileNumber::parse(&phone)
                .map(Some)
                .map_err(|_| Msg::MobileInvalid)
        };
        category_error.set(code.err());
        description_error.set(text.as_ref().err().copied());
        address_error.set(place.as_ref().err().copied());
        contact_error.set(callback.as_ref().err().copied());
        let (Ok(code), Ok(text), Ok(place), Ok(callback)) = (code, text, place, callback) else {
            let first = [
                (category_error, CATEGORY),
                (description_error, DESCRIPTION),
                (address_error, ADDRESS),
                (contact_error, CONTACT),
            ]
            .into_iter()
            .find(|(error, _)| error.with_untracked(Option::is_some));
            if let Some((_, id)) = first {
                focus(id);
            }
            return;
        };
        let request = NewRequest {
            category: code,
            description: text,
            position: here,
            address: place,
            contact: callback,
            anonymous: hidden,
        };
        let body = serde_json::to_string(&request).unwrap_or_default();
        let key = match attempt.get_untracked() {
            Some((key, sent)) if sent == body => key,
            _ => {
                let key = new_key();
                attempt.set(Some((key.clone(), body)));
                key
            }
        };
        sending.set(true);
        spawn_local(async move {
            let result = backend.file(&token.get_value(), &request, &key).await;
            sending.set(false);
            match result {
                Ok(view) => {
                    // An empty draft is removed from storage by the effect above.
                    category.set(String::new());
                    description.set(String::new());
                    address.set(String::new());
                    position.set(None);
                    contact.set(String::new());
                    anonymous.set(false);
                    attempt.set(None);
                    filed.set(Some(view));
                    request_animation_frame(|| focus(FILED));
                }
                Err(RequestsError::Field(name)) => {
                    let (error, id, msg) = match name.as_str() {
                        "category" => (category_error, CATEGORY, Msg::CategoryMissing),
                        "description" => (description_error, DESCRIPTION, Msg::DescriptionTooShort),
                        "address" | "position" => (address_error, ADDRESS, Msg::AddressInvalid),
                        "contact" => (contact_error, CONTACT, Msg::MobileInvalid),
                        _ => {
                            failure.set(Some(RequestsError::Field(name)));
                            return;
                        }
                    };
                    error.set(Some(msg));
                    focus(id);
                }
                Err(e) => {
                    leptos::logging::warn!("filing failed: {e}");
                    failure.set(Some(e));
                }
            }
        });
    };

    let categories = move || {
        let lang = i18n.lang.get();
        CATEGORIES
            .iter()
            .map(|c| {
                let code = c.code.as_str();
                view! {
                    <option value=code prop:selected=move || category.with(|v| v == code)>
                        {category_name(c.code, lang)}
                    </option>
                }
            })
            .collect_view()
    };
    let count = move || {
        format!(
            "{} / {}",
            description.with(|d| d.chars().count()),
            Description::MAX
        )
    };

    let address_field = Field {
        id: ADDRESS,
        name: "address",
        error_id: "request-address-error",
        error_testid: "address-error",
        label: Msg::AddressLabel,
        kind: "text",
        inputmode: None,
        autocomplete: "street-address",
        remember: None,
        hint: Some(("request-address-hint", Msg::AddressHint)),
    };
    let location = move || {
        if locating.get() {
            return view! { <p class="status" role="status">{i18n.text(Msg::Locating)}</p> }
                .into_any();
        }
        if position.with(Option::is_some) {
            return view! {
                <p class="status" role="status" data-testid="location-attached">
                    {i18n.text(Msg::LocationAttached)}
                </p>
                <button type="button" class="button button--quiet" on:click=move |_| position.set(None)>
                    {i18n.text(Msg::RemoveLocation)}
                </button>
            }
            .into_any();
        }
        view! {
            <button type="button" class="button" on:click=locate>{i18n.text(Msg::UseMyLocation)}</button>
            {move || geo_note.get().map(|msg| view! {
                <p class="status" role="status" data-testid="location-note">{i18n.text(msg)}</p>
            })}
        }
        .into_any()
    };
    let contact_field = move || {
        (!anonymous.get()).then(|| {
            field(
                i18n,
                Field {
                    id: CONTACT,
                    name: "contact",
                    error_id: "request-contact-error",
                    error_testid: "contact-error",
                    label: Msg::ContactLabel,
                    kind: "tel",
                    inputmode: Some("tel"),
                    autocomplete: "tel",
                    remember: None,
                    hint: Some(("request-contact-hint", Msg::ContactHint)),
                },
                contact,
                contact_error,
            )
        })
    };

    let form = move || {
        view! {
            <form class="form card" data-testid="new-request" on:submit=submit novalidate>
                <p class="muted">{i18n.text(Msg::DraftHint)}</p>
                <div class="field">
                    <label class="field__label" for=CATEGORY>{i18n.text(Msg::RequestCategoryLabel)}</label>
                    <select id=CATEGORY name="category" class="field__input"
                        aria-invalid=move || category_error.get().map(|_| "true")
                        aria-describedby=described_by("", "request-category-error", category_error)
                        on:change=move |ev| {
                            category.set(event_target_value(&ev));
                            category_error.set(None);
                        }>
                        <option value="" prop:selected=move || category.with(String::is_empty)>
                            {i18n.text(Msg::CategoryPrompt)}
                        </option>
                        {categories}
                    </select>
                    {field_error(i18n, "request-category-error", "category-error", category_error)}
                </div>
                <div class="field">
                    <label class="field__label" for=DESCRIPTION>{i18n.text(Msg::DescriptionLabel)}</label>
                    <p id="request-description-hint" class="field__hint">{i18n.text(Msg::DescriptionHint)}</p>
                    <textarea id=DESCRIPTION name="description" class="field__input field__input--text" rows="5"
                        maxlength="2000"
                        aria-invalid=move || description_error.get().map(|_| "true")
                        aria-describedby=described_by(
                            "request-description-hint request-description-count",
                            "request-description-error",
                            description_error,
                        )
                        prop:value=move || description.get()
                        on:input=move |ev| {
                            description.set(event_target_value(&ev));
                            description_error.set(None);
                        }></textarea>
                    <p id="request-description-count" class="field__hint field__count" data-testid="description-count">
                        {count}
                    </p>
                    {field_error(i18n, "request-description-error", "description-error", description_error)}
                </div>
                {field(i18n, address_field, address, address_error)}
                <div class="location">{location}</div>
                <label class="switch">
                    <input type="checkbox" name="anonymous" prop:checked=move || anonymous.get()
                        on:change=move |ev| anonymous.set(event_target_checked(&ev)) />
                    <span class="switch__text">
                        <span>{i18n.text(Msg::Anonymous)}</span>
                        <span class="muted">{i18n.text(Msg::AnonymousHint)}</span>
                    </span>
                </label>
                {contact_field}
                {move || failure.get().map(|e| view! {
                    <p class="notice notice--error" role="alert" data-testid="request-error">
                        {i18n.text(e.message())}
                    </p>
                })}
                <div class="actions">
                    <button type="submit" class="button button--primary" data-testid="submit-request"
                        disabled=move || sending.get()>
                        {move || i18n.t(if sending.get() { Msg::Submitting } else { Msg::Submit })}
                    </button>
                </div>
            </form>
        }
    };
    move || match filed.get() {
        None => form().into_any(),
        Some(request) => {
            let href = app_href(&format!("/requests/{}", request.tracking));
            view! {
                <section class="card" data-testid="request-filed">
                    <h2 id=FILED tabindex="-1">{i18n.text(Msg::RequestFiled)}</h2>
                    <p>{i18n.text(Msg::RequestFiledBody)}</p>
                    <p class="tracking" data-testid="tracking">{request.tracking}</p>
                    <div class="actions">
                        <a href=href class="button button--primary">{i18n.text(Msg::ViewRequest)}</a>
                        <a href=app_href("/requests") class="button button--quiet">{i18n.text(Msg::BackToRequests)}</a>
                    </div>
                </section>
            }
            .into_any()
        }
    }
}
