//! What the sign-up and new-password screens share: the page around the form (a heading, the
//! form only where it can be used, a way back to 我的) and the password being chosen.

use crate::backend::account::{AccountError, AccountField};
use crate::components::field::{Field, field};
use crate::components::page_header::PageHeader;
use crate::i18n::{I18n, Msg, use_i18n};
use crate::router::app_href;
use crate::state::session::{SessionState, use_session};
use citizen_core::account::{NewPassword, PasswordError};
use leptos::prelude::*;

/// A chosen password's problem, by the core's rules.
fn new_password_problem(e: &PasswordError) -> Msg {
    match e {
        PasswordError::TooShort { len: 0, .. } => Msg::PasswordEmpty,
        PasswordError::TooShort { .. } => Msg::NewPasswordTooShort,
        PasswordError::TooLong { .. } => Msg::PasswordTooLong,
        PasswordError::OnlyDigits => Msg::NewPasswordOnlyDigits,
    }
}

/// The password a person chooses (signing up, or a new one), with its rules under the label.
#[derive(Clone, Copy)]
pub struct ChosenPassword {
    spec: Field,
    value: RwSignal<String>,
    pub error: RwSignal<Option<Msg>>,
}

impl ChosenPassword {
    /// The input: `new-password`, with the rules as its hint.
    pub const fn field(
        id: &'static str,
        error_id: &'static str,
        hint_id: &'static str,
        label: Msg,
    ) -> Field {
        Field {
            id,
            name: "password",
            error_id,
            error_testid: "password-error",
            label,
            kind: "password",
            inputmode: None,
            autocomplete: "new-password",
            remember: None,
            hint: Some((hint_id, Msg::NewPasswordHint)),
        }
    }

    pub fn new(spec: Field) -> ChosenPassword {
        ChosenPassword {
            spec,
            value: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }

    /// The password, checked with the core's rules; the error is set on the field.
    pub fn parse(self) -> Option<NewPassword> {
        let chosen = NewPassword::parse(&self.value.get_untracked());
        self.error
            .set(chosen.as_ref().err().map(new_password_problem));
        chosen.ok()
    }

    /// Puts the server's refusal of the password on the field (its rules); false for any other.
    pub fn place(self, e: &AccountError) -> bool {
        let mine = *e == AccountError::Field(AccountField::Password);
        if mine {
            self.error.set(Some(Msg::NewPasswordHint));
        }
        mine
    }

    pub fn view(self, i18n: I18n) -> AnyView {
        field(i18n, self.spec, self.value, self.error)
    }
}

/// An account screen titled `title`: `form` for someone signed out, or why there is none (no
/// accounts on this site; already signed in; what `form` says), with the way back to 我的.
pub fn account_page(
    title: Msg,
    form: impl FnOnce(SessionState) -> Result<AnyView, Msg>,
) -> AnyView {
    let i18n = use_i18n();
    // Decided once: a sign-up that succeeds signs in, and must not swap the form out under it.
    let body = match use_session() {
        None => Err(Msg::DataStaysOnDevice),
        Some(session) if session.current.with_untracked(Option::is_some) => {
            Err(Msg::AlreadySignedIn)
        }
        Some(session) => form(session),
    };
    let body = body.unwrap_or_else(|why| {
        view! {
            <p data-testid="account-unavailable">{i18n.text(why)}</p>
            <div class="actions">
                <a href=app_href("/me") class="button button--quiet">{i18n.text(Msg::BackToMe)}</a>
            </div>
        }
        .into_any()
    });
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(title).to_owned()) />
        <section class="section card">{body}</section>
    }
    .into_any()
}
