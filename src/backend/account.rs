//! Accounts: sign in, who is signed in, sign out. Accounts live on the reference server only:
//! `local` keeps everything on the device and Open311 has no people, so sign-in is offered as
//! soon as one enabled module uses `rest`, and not at all on static hosting.

pub use super::rest::RestAccounts;
use crate::browser::fetch::FetchError;
use crate::i18n::{Msg, try_again_in};
use citizen_core::Lang;
use citizen_core::config::AppConfig;
use citizen_core::module::BackendKind;

/// The server that holds the accounts, when this configuration has one. Accounts live on the reference server: where a module uses it (`rest`), or speaks Open311 to
/// it (`open311`, whose `api_key` is a session token).
pub fn account_backend(config: &AppConfig) -> Option<RestAccounts> {
    config
        .modules
        .iter()
        .any(|m| matches!(config.backend(*m), BackendKind::Rest | BackendKind::Open311))
        .then_some(RestAccounts)
}

/// A sign-in field the server may refuse by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInField {
    Mobile,
    Password,
}

/// Why an account call failed, by the server's error code, so the screen can say it plainly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("the server refused the {0:?} field")]
    Field(SignInField),
    #[error("the mobile number or the password is wrong")]
    InvalidCredentials,
    /// `minutes` from `Retry-After`, rounded up; `None` when the header was missing.
    #[error("too many attempts (retry in {minutes:?} minutes)")]
    TooManyAttempts { minutes: Option<u32> },
    /// The token is unknown, revoked or past its expiry: sign in again.
    #[error("the sign-in has expired")]
    SessionExpired,
    #[error("the network request failed: {0}")]
    Network(String),
    #[error("the server failed with HTTP {0}")]
    Server(u16),
    /// A 4xx this screen does not expect, or an answer it cannot read: a bug somewhere.
    #[error("unexpected answer: HTTP {status} ({detail})")]
    Unexpected { status: u16, detail: String },
}

impl AccountError {
    /// The plain-words message for residents; the details stay in the console.
    pub fn message(&self) -> Msg {
        match self {
            AccountError::Field(SignInField::Mobile) => Msg::MobileInvalid,
            AccountError::Field(SignInField::Password) => Msg::PasswordRefused,
            AccountError::InvalidCredentials => Msg::InvalidCredentials,
            AccountError::TooManyAttempts { .. } => Msg::TooManyAttempts,
            AccountError::SessionExpired => Msg::SessionExpired,
            AccountError::Network(_) => Msg::ServerUnreachable,
            AccountError::Server(_) => Msg::ServerFailed,
            AccountError::Unexpected { .. } => Msg::SignInUnexpected,
        }
    }

    /// [`message`](Self::message), with the wait in minutes when the server said how long.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            AccountError::TooManyAttempts {
                minutes: Some(minutes),
            } => try_again_in(lang, *minutes),
            other => other.message().text(lang).to_owned(),
        }
    }
}

impl From<FetchError> for AccountError {
    fn from(e: FetchError) -> Self {
        match e {
            FetchError::Network(reason) => AccountError::Network(reason),
            FetchError::Status(status) => AccountError::Server(status),
        }
    }
}
