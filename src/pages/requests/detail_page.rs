use super::command::CommandSender;
use super::gallery::Gallery;
use super::signed_in;
use super::words::{
    command_name, event_note, role_name, service_name, stars, state_chip, state_name,
};
use crate::backend::requests::{RequestsBackend, RequestsError};
use crate::components::field::{described_by, field_error};
use crate::components::loaded::{failed, loading};
use crate::components::notice::failure_notice;
use crate::components::page_header::PageHeader;
use crate::i18n::{I18n, Msg, use_i18n};
use crate::router::app_href;
use crate::state::loader::Loader;
use citizen_core::requests::{
    ActorRole, CityDetails, CommandBody, CommandKind, Comment, Note, RequestView, Stars,
    TimelineEvent,
};
use citizen_core::route::RequestRef;
use citizen_core::text::TextError;
use citizen_core::time::Timestamp;
use leptos::prelude::*;

/// 诉求详情: what was reported, where it is in the loop, and what the resident may do now.
#[component]
pub fn RequestPage(id: RequestRef) -> impl IntoView {
    let i18n = use_i18n();
    let tracking = StoredValue::new(id.as_str().to_owned());
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::ModuleRequestDetail).to_owned()) />
        {signed_in(move |backend, token| {
            view! { <RequestDetail backend=backend token=token tracking=tracking /> }.into_any()
        })}
    }
}

type Loaded = RwSignal<Option<Result<RequestView, RequestsError>>>;

#[component]
fn RequestDetail(
    backend: RequestsBackend,
    token: StoredValue<String>,
    tracking: StoredValue<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let loader =
        Loader::new(
            move || async move { backend.one(&token.get_value(), &tracking.get_value()).await },
        );
    let loaded: Loaded = loader.state;
    move || {
        match loaded.get() {
        None => loading(),
        Some(Err(RequestsError::NotFound)) => view! {
            <section class="card" data-testid="request-not-found">
                <p>{i18n.text(Msg::RequestNotFound)}</p>
                <div class="actions">
                    <a href=app_href("/requests") class="button">{i18n.text(Msg::BackToRequests)}</a>
                </div>
            </section>
        }
        .into_any(),
        Some(Err(e)) => failed(&e, move || loader.reload()),
        Some(Ok(request)) => {
            let shown = StoredValue::new(request.clone());
            let department = request.department;
            let resident: Vec<CommandKind> = request
                .allowed
                .iter()
                .copied()
                .filter(|k| k.role() == ActorRole::Resident && *k != CommandKind::Submit)
                .collect();
            view! {
                <section class="card request" data-testid="request">
                    <p class="request-item__top">
                        <span class="tracking" data-testid="request-tracking">{request.tracking.clone()}</span>
                        {state_chip(i18n, request.state, "request-state")}
                    </p>
                    <dl class="facts">
                        <dt>{i18n.text(Msg::RequestCategoryLabel)}</dt>
                        <dd data-testid="request-service">{move || shown.with_value(|r| service_name(r, i18n.lang.get()))}</dd>
                        <dt>{i18n.text(Msg::FiledOn)}</dt>
                        <dd>{request.created_at.china_day_text()}</dd>
                        {request.address.clone().map(|a| view! {
                            <dt>{i18n.text(Msg::AddressLabel)}</dt>
                            <dd data-testid="request-address">{a}</dd>
                        })}
                        {request.lat.zip(request.lng).map(|(lat, lng)| view! {
                            <dt>{i18n.text(Msg::RequestPosition)}</dt>
                            <dd data-testid="request-position">{format!("{lat:.5}, {lng:.5}")}</dd>
                        })}
                        {department.map(|d| view! {
                            <dt>{i18n.text(Msg::Department)}</dt>
                            <dd>{move || d.name().get(i18n.lang.get()).to_owned()}</dd>
                        })}
                        {request.city.clone().map(|city| city_facts(i18n, city))}
                    </dl>
                    <h2 class="request__heading">{i18n.text(Msg::DescriptionLabel)}</h2>
                    <p class="request__description" data-testid="request-description">
                        {request.description.clone()}
                    </p>
                    <Gallery backend=backend photos=request.photos.clone() />
                    {request.city.as_ref().and_then(|c| c.media_url.clone()).map(|url| city_photo(i18n, backend, url))}
                </section>
                {(!resident.is_empty()).then(|| actions(i18n, backend, token, tracking, loaded, resident))}
                <section class="section" aria-labelledby="timeline-heading">
                    <h2 id="timeline-heading">{i18n.text(Msg::Timeline)}</h2>
                    <ol class="timeline" data-testid="timeline">
                        {request.timeline.into_iter().rev().map(|e| event(i18n, e)).collect_view()}
                    </ol>
                </section>
            }
            .into_any()
        }
    }
    }
}

/// What a GeoReport endpoint tells beyond every backend's fields: who handles it, when it is
/// expected to be done, and the city's notice.
fn city_facts(i18n: I18n, city: CityDetails) -> impl IntoView {
    view! {
        {city.agency.map(|a| view! {
            <dt>{i18n.text(Msg::Agency)}</dt>
            <dd data-testid="request-agency">{a}</dd>
        })}
        {city.expected_at.map(|t| view! {
            <dt>{i18n.text(Msg::ExpectedBy)}</dt>
            <dd data-testid="request-expected">{t.china_minute_text()}</dd>
        })}
        {city.notice.map(|n| view! {
            <dt>{i18n.text(Msg::CityNotice)}</dt>
            <dd data-testid="request-notice">{n}</dd>
        })}
    }
}

/// A GeoReport request's photo: shown when the endpoint's own origin serves it, otherwise a
/// link (the page fetches nothing from anywhere else).
fn city_photo(i18n: I18n, backend: RequestsBackend, url: String) -> impl IntoView {
    if backend.hosts_image(&url) {
        view! {
            <img class="request__photo" src=url alt=move || i18n.t(Msg::RequestPhotoLink).to_owned()
                data-testid="request-media" loading="lazy" />
        }
        .into_any()
    } else {
        view! {
            <a href=url rel="noopener noreferrer" target="_blank" data-testid="request-media-link">
                {i18n.text(Msg::RequestPhotoLink)}
            </a>
        }
        .into_any()
    }
}

/// One line of the timeline: when, who (by role), from → to in words, and the note.
fn event(i18n: I18n, e: TimelineEvent) -> impl IntoView {
    let moved = e.from.filter(|from| *from != e.to);
    let note = event_note(&e, i18n.lang.get_untracked());
    view! {
        <li class="timeline__event">
            <p class="muted">
                <time>{Timestamp::from_unix_secs(e.at).china_minute_text()}</time>
                " · "
                {i18n.text(role_name(e.role))}
            </p>
            <p class="timeline__what">
                {i18n.text(command_name(e.kind))}
                {moved.map(|from| view! {
                    "："{i18n.text(state_name(from))}" → "{i18n.text(state_name(e.to))}
                })}
            </p>
            {note.map(|n| view! { <p class="timeline__note">{n}</p> })}
        </li>
    }
}

fn text_problem(e: TextError) -> Msg {
    match e {
        TextError::TooShort { .. } => Msg::NoteMissing,
        TextError::TooLong { .. } => Msg::TextTooLong,
    }
}

/// The resident's commands the server allows now, each with what it needs.
fn actions(
    i18n: I18n,
    backend: RequestsBackend,
    token: StoredValue<String>,
    tracking: StoredValue<String>,
    loaded: Loaded,
    allowed: Vec<CommandKind>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let rating = RwSignal::new(None::<u8>);
    let comment = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<Msg>);
    let reason_error = RwSignal::new(None::<Msg>);
    let stars_error = RwSignal::new(None::<Msg>);
    let comment_error = RwSignal::new(None::<Msg>);
    let fields = vec![
        ("note", note_error, Msg::NoteMissing),
        ("reason", reason_error, Msg::NoteMissing),
        ("stars", stars_error, Msg::StarsMissing),
        ("comment", comment_error, Msg::TextTooLong),
    ];
    let sender = CommandSender::new(backend, token, tracking, fields);
    let CommandSender {
        sending, failure, ..
    } = sender;
    let send = move |body: CommandBody| sender.send(body, move |view| loaded.set(Some(Ok(view))));
    let simple = move |kind: CommandKind| {
        send(CommandBody {
            kind: Some(kind),
            ..CommandBody::default()
        })
    };
    let with_text =
        move |kind: CommandKind, text: RwSignal<String>, error: RwSignal<Option<Msg>>| {
            match Note::parse(&text.get_untracked()) {
                Err(e) => error.set(Some(text_problem(e))),
                Ok(n) => {
                    let n = Some(n.to_string());
                    send(match kind {
                        CommandKind::Supplement => CommandBody {
                            kind: Some(kind),
                            note: n,
                            ..CommandBody::default()
                        },
                        _ => CommandBody {
                            kind: Some(kind),
                            reason: n,
                            ..CommandBody::default()
                        },
                    })
                }
            }
        };
    let rate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = rating.get_untracked().and_then(Stars::new);
        let typed = comment.get_untracked();
        let said = match typed.trim() {
            "" => Ok(None),
            text => Comment::parse(text)
                .map(|c| Some(c.to_string()))
                .map_err(text_problem),
        };
        stars_error.set(chosen.is_none().then_some(Msg::StarsMissing));
        comment_error.set(said.as_ref().err().copied());
        if let (Some(chosen), Ok(said)) = (chosen, said) {
            send(CommandBody {
                kind: Some(CommandKind::Rate),
                stars: Some(chosen),
                comment: said,
                ..CommandBody::default()
            });
        }
    };
    let has = |kind| allowed.contains(&kind);
    let button = move |kind: CommandKind, primary: bool| {
        view! {
            <button type="button" class=if primary { "button button--primary" } else { "button" }
                data-testid=kind.as_str() disabled=move || sending.get()
                on:click=move |_| simple(kind)>
                {i18n.text(command_name(kind))}
            </button>
        }
    };
    let text_form = move |kind: CommandKind,
                          label: Msg,
                          text: RwSignal<String>,
                          error: RwSignal<Option<Msg>>| {
        let id = kind.as_str();
        let error_id = match kind {
            CommandKind::Supplement => "supplement-error",
            _ => "reopen-error",
        };
        view! {
            <form class="form action" data-testid=id
                on:submit=move |ev| { ev.prevent_default(); with_text(kind, text, error) }>
                <div class="field">
                    <label class="field__label" for=format!("{id}-text")>{i18n.text(label)}</label>
                    <textarea id=format!("{id}-text") class="field__input field__input--text" rows="3"
                        aria-invalid=move || error.get().map(|_| "true")
                        aria-describedby=described_by("", error_id, error)
                        prop:value=move || text.get()
                        on:input=move |ev| { text.set(event_target_value(&ev)); error.set(None); }></textarea>
                    {field_error(i18n, error_id, error_id, error)}
                </div>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || sending.get()>
                        {i18n.text(command_name(kind))}
                    </button>
                </div>
            </form>
        }
    };

    view! {
        <section class="section card" aria-labelledby="actions-heading" data-testid="actions">
            <h2 id="actions-heading">{i18n.text(Msg::WhatYouCanDo)}</h2>
            {failure_notice(failure, "action-error")}
            {(has(CommandKind::Confirm) || has(CommandKind::Withdraw)).then(|| view! {
                <div class="actions">
                    {has(CommandKind::Confirm).then(|| button(CommandKind::Confirm, true))}
                    {has(CommandKind::Withdraw).then(|| button(CommandKind::Withdraw, false))}
                </div>
            })}
            {has(CommandKind::Rate).then(|| view! {
                <form class="form action" data-testid="rate" on:submit=rate>
                    <fieldset class="choices" aria-describedby=described_by("", "stars-error", stars_error)>
                        <legend>{i18n.text(Msg::StarsLabel)}</legend>
                        {(1..=5u8).map(|n| view! {
                            <label class="choice">
                                <input type="radio" name="stars" value=n
                                    prop:checked=move || rating.get() == Some(n)
                                    on:change=move |_| { rating.set(Some(n)); stars_error.set(None); } />
                                {move || stars(i18n.lang.get(), n)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    {field_error(i18n, "stars-error", "stars-error", stars_error)}
                    <div class="field">
                        <label class="field__label" for="rate-comment">{i18n.text(Msg::CommentLabel)}</label>
                        <textarea id="rate-comment" class="field__input field__input--text" rows="3"
                            aria-invalid=move || comment_error.get().map(|_| "true")
                            aria-describedby=described_by("", "comment-error", comment_error)
                            prop:value=move || comment.get()
                            on:input=move |ev| { comment.set(event_target_value(&ev)); comment_error.set(None); }></textarea>
                        {field_error(i18n, "comment-error", "comment-error", comment_error)}
                    </div>
                    <div class="actions">
                        <button type="submit" class="button button--primary" disabled=move || sending.get()>
                            {i18n.text(command_name(CommandKind::Rate))}
                        </button>
                    </div>
                </form>
            })}
            {has(CommandKind::Supplement).then(|| text_form(CommandKind::Supplement, Msg::SupplementNoteLabel, note, note_error))}
            {has(CommandKind::Reopen).then(|| text_form(CommandKind::Reopen, Msg::ReopenReasonLabel, reason, reason_error))}
        </section>
    }
}
