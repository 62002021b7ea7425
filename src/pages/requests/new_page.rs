use super::city_form::{self, CityFields};
use super::photo_picker::{DraftPhoto, PhotoPicker, release, restore};
use super::queued::QueuedRequest;
use super::signed_in;
use super::words::category_name;
use crate::backend::requests::{CityRequest, RequestsBackend, RequestsError, Submission};
use crate::browser::dom::focus;
use crate::browser::geolocation::{GeoFailure, current_position};
use crate::components::field::{Field, described_by, field, field_error};
use crate::components::notice::failure_notice;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::state::acting::acting;
use crate::state::loader::act;
use crate::state::outbox::{Filing, QueuedPhoto, forget_loose_photos, request_outbox};
use crate::state::session::use_session;
use crate::storage::{self, Key};
use citizen_core::geo::LatLng;
use citizen_core::georeport::service::Answers;
use citizen_core::outbox::IdempotencyKey;
use citizen_core::phone::MobileNumber;
use citizen_core::requests::{Address, CATEGORIES, CategoryCode, NewRequest};
use citizen_core::text::{Description, TextError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

const CATEGORY: &str = "request-category";
const DESCRIPTION: &str = "request-description";
const ADDRESS: &str = "request-address";
const CONTACT: &str = "request-contact";

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
    /// The photos' slots in IndexedDB (the blobs are too big for localStorage).
    photos: Vec<String>,
    /// A GeoReport service's answers, by attribute code.
    answers: Answers,
    /// Consent to send the contact fields (GeoReport).
    consent: bool,
    first_name: String,
    last_name: String,
    email: String,
}

/// Forgets the request being written (its text, position and contact) and its photos, so the
/// next person on a shared phone finds an empty form. Called when someone signs out.
pub fn forget_draft() {
    storage::remove(Key::RequestDraft);
    spawn_local(async {
        if let Err(e) = forget_loose_photos().await {
            leptos::logging::warn!("the draft's photos could not be deleted: {e}");
        }
    });
}

/// A key no other submission has: the time and two random draws (the core checks its form).
fn new_key() -> Option<IdempotencyKey> {
    let draw = || (js_sys::Math::random() * 1e15) as u64;
    IdempotencyKey::parse(&format!(
        "{:x}-{:x}{:x}",
        js_sys::Date::now() as u64,
        draw(),
        draw()
    ))
    .ok()
}

/// 我要反映: file a request. It goes to the outbox first, so it is never lost; the tracking
/// number shows as soon as the server has it, at once when online.
#[component]
pub fn NewRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::ModuleNewRequest).to_owned()) />
        {signed_in(|backend, _| view! { <NewRequestForm backend=backend /> }.into_any())}
    }
}

#[component]
fn NewRequestForm(backend: RequestsBackend) -> impl IntoView {
    let i18n = use_i18n();
    let saved: Draft = storage::load(Key::RequestDraft);
    let category = RwSignal::new(saved.category);
    let description = RwSignal::new(saved.description);
    let address = RwSignal::new(saved.address);
    let position = RwSignal::new(saved.position);
    let contact = RwSignal::new(saved.contact);
    let anonymous = RwSignal::new(saved.anonymous);
    let photos = RwSignal::new(Vec::<DraftPhoto>::new());
    // Until the saved previews are back, the draft keeps the saved slots.
    let restoring = RwSignal::new(false);
    let saved_slots = saved.photos;
    if !saved_slots.is_empty() {
        act(restoring, restore(saved_slots.clone()), move |restored| {
            photos.set(restored)
        });
    }
    on_cleanup(move || photos.with_untracked(|p| release(p)));
    let session = use_session();
    let city = backend.speaks_georeport().then(|| {
        let city = CityFields::new(backend, category, contact);
        city.answers.set(saved.answers);
        city.consent.set(saved.consent);
        city.first_name.set(saved.first_name);
        city.last_name.set(saved.last_name);
        city.email.set(saved.email);
        city
    });

    let category_error = RwSignal::new(None::<Msg>);
    let description_error = RwSignal::new(None::<Msg>);
    let address_error = RwSignal::new(None::<Msg>);
    let contact_error = RwSignal::new(None::<Msg>);
    let failure = RwSignal::new(None::<RequestsError>);
    let storage_refused = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let locating = RwSignal::new(false);
    let geo_note = RwSignal::new(None::<Msg>);
    let queued = RwSignal::new(None::<IdempotencyKey>);

    Effect::new(move |_| {
        let draft = Draft {
            category: category.get(),
            description: description.get(),
            address: address.get(),
            position: position.get(),
            contact: contact.get(),
            anonymous: anonymous.get(),
            photos: if restoring.get() {
                saved_slots.clone()
            } else {
                photos.with(|p| p.iter().map(|x| x.slot.clone()).collect())
            },
            answers: city.map(|c| c.answers.get()).unwrap_or_default(),
            consent: city.is_some_and(|c| c.consent.get()),
            first_name: city.map(|c| c.first_name.get()).unwrap_or_default(),
            last_name: city.map(|c| c.last_name.get()).unwrap_or_default(),
            email: city.map(|c| c.email.get()).unwrap_or_default(),
        };
        if draft == Draft::default() {
            storage::remove(Key::RequestDraft);
        } else if let Err(e) = storage::save(Key::RequestDraft, &draft) {
            leptos::logging::warn!("{e}");
        }
    });

    let locate = move |_| {
        geo_note.set(None);
        act(locating, current_position(), move |found| match found {
            Ok(here) => {
                position.set(Some(here));
                address_error.set(None);
            }
            Err(GeoFailure::Denied) => geo_note.set(Some(Msg::RequestLocationDenied)),
            Err(GeoFailure::Unavailable) => geo_note.set(Some(Msg::RequestLocationUnavailable)),
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        failure.set(None);
        storage_refused.set(false);
        let chosen = category.get_untracked();
        // At a GeoReport endpoint: the chosen service as it listed it, looked up once.
        let service = city.and_then(|c| untrack(|| c.service(&chosen)));
        let code = match city {
            Some(_) => service.as_ref().map(|_| None).ok_or(Msg::CategoryMissing),
            None => CategoryCode::parse(&chosen)
                .map(Some)
                .ok_or(Msg::CategoryMissing),
        };
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
        // The GeoReport form's own checks: the service's questions and the consented contact.
        let (answers, consented) = match city {
            Some(city) => (
                city.checked_answers(service.as_ref()),
                city.checked_contact(),
            ),
            None => (Ok(Vec::new()), Ok(None)),
        };
        let callback = if city.is_some() || hidden || phone.trim().is_empty() {
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
        let (Ok(code), Ok(text), Ok(place), Ok(callback), Ok(answers), Ok(consented)) = (
            code,
            text,
            place,
            callback,
            answers.clone(),
            consented.clone(),
        ) else {
            // The first refused field in the form's order.
            let at = |error: RwSignal<Option<Msg>>, id: &str| {
                error.with_untracked(Option::is_some).then(|| id.to_owned())
            };
            let first = at(category_error, CATEGORY)
                .or_else(|| answers.err().flatten())
                .or_else(|| at(description_error, DESCRIPTION))
                .or_else(|| at(address_error, ADDRESS))
                .or_else(|| at(contact_error, CONTACT))
                .or_else(|| consented.err().map(str::to_owned));
            if let Some(id) = first {
                focus(&id);
            }
            return;
        };
        let request = match code {
            Some(code) => Submission::Ours(NewRequest {
                category: code,
                description: text,
                position: here,
                address: place,
                contact: callback,
                anonymous: hidden,
                photos: Vec::new(),
            }),
            None => Submission::City(CityRequest {
                service_name: service.map(|s| s.service_name).unwrap_or_default(),
                service_code: chosen,
                description: text,
                position: here,
                address: place,
                attributes: answers,
                contact: consented,
                photos: Vec::new(),
            }),
        };
        let (Some(acting), Some(key)) = (untrack(|| acting(backend, session)), new_key()) else {
            return;
        };
        let person = acting.person;
        let filing = Filing {
            person,
            request,
            photos: photos.with_untracked(|p| {
                p.iter()
                    .map(|x| QueuedPhoto {
                        slot: x.slot.clone(),
                        uploaded: None,
                    })
                    .collect()
            }),
            reuploaded: false,
        };
        let outbox = request_outbox(backend, session);
        let filed = key.clone();
        let answer = async move { outbox.queue(filed, filing).await };
        act(sending, answer, move |result| match result {
            Ok(()) => {
                // The photos now belong to the outbox entry; the emptied draft is removed
                // from storage by the effect above.
                photos.with_untracked(|p| release(p));
                photos.set(Vec::new());
                category.set(String::new());
                description.set(String::new());
                address.set(String::new());
                position.set(None);
                contact.set(String::new());
                anonymous.set(false);
                if let Some(city) = city {
                    city.clear();
                }
                queued.set(Some(key));
            }
            Err(e) => {
                leptos::logging::warn!("could not queue the request: {e}");
                storage_refused.set(true);
            }
        });
    };

    // Our categories; a GeoReport endpoint's services come from its list (`city_form`).
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
                        {move || match city {
                            Some(city) => city_form::service_options(i18n, city, category).into_any(),
                            None => categories().into_any(),
                        }}
                    </select>
                    {city.map(|city| city_form::service_notes(i18n, city, category))}
                    {field_error(i18n, "request-category-error", "category-error", category_error)}
                </div>
                {city.map(|city| city_form::questions(i18n, city))}
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
                {match city {
                    Some(city) => city_form::contact_consent(i18n, city).into_any(),
                    None => view! {
                        <label class="switch">
                            <input type="checkbox" name="anonymous" prop:checked=move || anonymous.get()
                                on:change=move |ev| anonymous.set(event_target_checked(&ev)) />
                            <span class="switch__text">
                                <span>{i18n.text(Msg::Anonymous)}</span>
                                <span class="muted">{i18n.text(Msg::AnonymousHint)}</span>
                            </span>
                        </label>
                        {contact_field}
                    }
                    .into_any(),
                }}
                {(backend.photo_limit() > 0).then(|| view! { <PhotoPicker photos=photos max=backend.photo_limit() /> })}
                {move || storage_refused.get().then(|| view! {
                    <p class="notice notice--error" role="alert" data-testid="request-error">
                        {i18n.text(Msg::StorageRefused)}
                    </p>
                })}
                {failure_notice(failure, "request-error")}
                <div class="actions">
                    <button type="submit" class="button button--primary" data-testid="submit-request"
                        disabled=move || sending.get()>
                        {move || i18n.t(if sending.get() { Msg::Submitting } else { Msg::Submit })}
                    </button>
                </div>
            </form>
        }
    };
    move || match queued.get() {
        None => form().into_any(),
        Some(key) => view! { <QueuedRequest key=key backend=backend /> }.into_any(),
    }
}
