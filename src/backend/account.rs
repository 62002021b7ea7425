//! Accounts: sign in, who is signed in, sign out. Accounts live on the reference server only:
//! `local` keeps everything on the device and Open311 has no people, so sign-in is offered as
//! soon as one enabled module uses `rest`, and not at all on static hosting.

use super::error::{ApiFailure, Failure};
pub use super::rest::RestAccounts;
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

/// Why an account call failed: the refusals the sign-in form words, decoded from the server's
/// codes, or the failure as the client decoded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("the server refused the {0:?} field")]
    Field(SignInField),
    #[error("the mobile number or the password is wrong")]
    InvalidCredentials,
    /// No answer, a refused token, too many attempts (`Retry-After`), a server fault, an
    /// answer this screen cannot read.
    #[error(transparent)]
    Api(ApiFailure),
}

impl From<ApiFailure> for AccountError {
    fn from(failure: ApiFailure) -> Self {
        let Some(refused) = failure.as_refused() else {
            return AccountError::Api(failure);
        };
        match (refused.code.as_str(), refused.field.as_deref()) {
            ("invalid_credentials", _) => AccountError::InvalidCredentials,
            ("invalid_field", Some("mobile")) => AccountError::Field(SignInField::Mobile),
            ("invalid_field", Some("password")) => AccountError::Field(SignInField::Password),
            _ => AccountError::Api(failure),
        }
    }
}

impl Failure for AccountError {
    fn message(&self) -> Msg {
        match self {
            AccountError::Field(SignInField::Mobile) => Msg::MobileInvalid,
            AccountError::Field(SignInField::Password) => Msg::PasswordRefused,
            AccountError::InvalidCredentials => Msg::InvalidCredentials,
            AccountError::Api(failure) => match failure.status() {
                429 => Msg::TooManyAttempts,
                500.. => Msg::ServerFailed,
                400.. => Msg::SignInUnexpected,
                _ => match failure {
                    ApiFailure::Invalid(_) => Msg::SignInUnexpected,
                    other => other.message(),
                },
            },
        }
    }

    /// [`message`](Self::message), with the wait in whole minutes (rounded up) when the server
    /// said how long.
    fn text(&self, lang: Lang) -> String {
        let wait = match self {
            AccountError::Api(ApiFailure::Refused(r)) if r.status == 429 => r.retry_after,
            _ => None,
        };
        match wait {
            Some(secs) => try_again_in(lang, secs.div_ceil(60).max(1)),
            None => self.message().text(lang).to_owned(),
        }
    }
}
