//! The words for the core's request data: states, commands, roles, categories, times.

use crate::i18n::{I18n, Msg, labelled};
use citizen_core::Lang;
use citizen_core::requests::{
    ActorRole, CategoryCode, CommandKind, Department, RequestState, RequestView, TimelineEvent,
};
use leptos::prelude::*;

pub fn state_name(state: RequestState) -> Msg {
    match state {
        RequestState::Submitted => Msg::StateSubmitted,
        RequestState::Accepted => Msg::StateAccepted,
        RequestState::Rejected => Msg::StateRejected,
        RequestState::Dispatched => Msg::StateDispatched,
        RequestState::InProgress => Msg::StateInProgress,
        RequestState::Resolved => Msg::StateResolved,
        RequestState::Closed => Msg::StateClosed,
        RequestState::Rated => Msg::StateRated,
        RequestState::Withdrawn => Msg::StateWithdrawn,
    }
}

pub fn command_name(kind: CommandKind) -> Msg {
    match kind {
        CommandKind::Submit => Msg::CmdSubmit,
        CommandKind::Accept => Msg::CmdAccept,
        CommandKind::Reject => Msg::CmdReject,
        CommandKind::Dispatch => Msg::CmdDispatch,
        CommandKind::Start => Msg::CmdStart,
        CommandKind::Resolve => Msg::CmdResolve,
        CommandKind::Confirm => Msg::CmdConfirm,
        CommandKind::Verify => Msg::CmdVerify,
        CommandKind::Rate => Msg::CmdRate,
        CommandKind::Reopen => Msg::CmdReopen,
        CommandKind::Withdraw => Msg::CmdWithdraw,
        CommandKind::Supplement => Msg::CmdSupplement,
    }
}

pub fn role_name(role: ActorRole) -> Msg {
    match role {
        ActorRole::Resident => Msg::RoleResident,
        ActorRole::Staff => Msg::ActorStaff,
    }
}

pub fn category_name(code: CategoryCode, lang: Lang) -> &'static str {
    code.category().name(lang)
}

/// What a request is about, in words: our category's name, or a city service's own name (its
/// code when it gave none).
pub fn service_name(request: &RequestView, lang: Lang) -> String {
    match (request.category, &request.city) {
        (Some(code), _) => category_name(code, lang).to_owned(),
        (None, Some(city)) => city
            .service_name
            .clone()
            .unwrap_or_else(|| city.service_code.clone()),
        (None, None) => String::new(),
    }
}

/// An event's note in words: a dispatch's note is the department's code, so say its name.
pub fn event_note(e: &TimelineEvent, lang: Lang) -> Option<String> {
    let note = e.note.clone()?;
    Some(match (e.kind, Department::parse(&note)) {
        (CommandKind::Dispatch, Some(d)) => d.name().get(lang).to_owned(),
        _ => note,
    })
}

/// "5 星" / "5 stars".
pub fn stars(lang: Lang, n: u8) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 星"),
        Lang::En if n == 1 => "1 star".to_owned(),
        Lang::En => format!("{n} stars"),
    }
}

/// The state as a chip: its words, and its colour by `data-state`.
pub fn state_chip(i18n: I18n, state: RequestState, testid: &'static str) -> impl IntoView {
    view! {
        <span class="state" data-state=state.as_str() data-testid=testid>
            {i18n.text(state_name(state))}
        </span>
    }
}

/// "需要修改：问题描述": the field a backend refused, by its name in the request body.
pub fn field_message(lang: Lang, field: &str) -> String {
    let label = match field {
        "category" => Msg::RequestCategoryLabel,
        "description" => Msg::DescriptionLabel,
        "address" | "position" => Msg::AddressLabel,
        "contact" => Msg::ContactLabel,
        "photos" => Msg::RequestPhotos,
        "phone" => Msg::PhoneLabel,
        "email" => Msg::EmailLabel,
        "first_name" => Msg::FirstNameLabel,
        "last_name" => Msg::LastNameLabel,
        // A GeoReport service's question, by its code (the city's own wording is not kept with
        // the refusal).
        other => match other.strip_prefix("attribute:") {
            Some(code) => {
                let what = format!("{}（{code}）", Msg::QuestionsHeading.text(lang));
                return labelled(lang, Msg::StateNeedsChange, &what);
            }
            None => return labelled(lang, Msg::StateNeedsChange, other),
        },
    };
    labelled(lang, Msg::StateNeedsChange, label.text(lang))
}
