//! Accounts: sign in, who is signed in, sign out; sign up and a new password with an SMS code.
//! Accounts live on the reference server only:
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
        .any(|m| match config.backend(*m) {
            BackendKind::Rest => true,
            // The reference server's GeoReport wants a signed-in person; a city's knows nobody.
            BackendKind::Open311 => config.city_written().is_none(),
            BackendKind::Local => false,
        })
        .then_some(RestAccounts)
}

/// A field of an account form (sign-in, sign-up, new password) the server may refuse by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountField {
    Mobile,
    Password,
    /// The SMS code: not six digits.
    Code,
    /// The name a new resident chose.
    Name,
}

impl AccountField {
    fn named(field: &str) -> Option<AccountField> {
        match field {
            "mobile" => Some(AccountField::Mobile),
            "password" => Some(AccountField::Password),
            "code" => Some(AccountField::Code),
            "name" => Some(AccountField::Name),
            _ => None,
        }
    }
}

/// Why an account call failed: the refusals the account forms word, decoded from the server's
/// codes, or the failure as the client decoded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("the server refused the {0:?} field")]
    Field(AccountField),
    #[error("the mobile number or the password is wrong")]
    InvalidCredentials,
    /// An SMS code that is wrong, expired, used or out of tries, or a number that may not use it:
    /// the server gives one answer for all, and so does the app.
    #[error("the SMS code was refused")]
    InvalidSmsCode,
    /// Sign-up into a community the server does not know (the configuration's `community_id`).
    #[error("the server does not know this community")]
    UnknownCommunity,
    /// A host app's sign-in code that is unknown, used or expired.
    #[error("the host's sign-in code was refused")]
    InvalidHostCode,
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
            ("invalid_sms_code", _) => AccountError::InvalidSmsCode,
            ("invalid_host_code", _) => AccountError::InvalidHostCode,
            ("invalid_field", Some(field)) => match AccountField::named(field) {
                Some(field) => AccountError::Field(field),
                None => AccountError::Api(failure),
            },
            _ => AccountError::Api(failure),
        }
    }
}

impl AccountError {
    /// A refused sign-up: as any account call, and a 404 there is the community (the one
    /// resource the call names).
    pub fn of_sign_up(failure: ApiFailure) -> AccountError {
        match failure.as_refused() {
            Some(r) if r.status == 404 && r.code == "not_found" => AccountError::UnknownCommunity,
            _ => failure.into(),
        }
    }
}

impl Failure for AccountError {
    fn message(&self) -> Msg {
        match self {
            AccountError::Field(AccountField::Mobile) => Msg::MobileInvalid,
            AccountError::Field(AccountField::Password) => Msg::PasswordRefused,
            AccountError::Field(AccountField::Code) => Msg::SmsCodeMalformed,
            AccountError::Field(AccountField::Name) => Msg::NameRefused,
            AccountError::InvalidCredentials => Msg::InvalidCredentials,
            AccountError::InvalidSmsCode => Msg::SmsCodeRefused,
            AccountError::UnknownCommunity => Msg::CommunityUnknown,
            AccountError::InvalidHostCode => Msg::HostSignInRefused,
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
