//! `api/v1/session` and `api/v1/me`: sign in with a mobile number and password, read who is
//! signed in, sign out. Refusals are decoded by [`AccountError`]'s `From<ApiFailure>`.

use crate::backend::account::AccountError;
use crate::backend::client::{self, RequestCache};
use crate::backend::error::ApiFailure;
use citizen_core::api::{HostSignIn, Me, Session, SignIn};
use citizen_core::embed::HostCode;

const SESSION: &str = "api/v1/session";
const ME: &str = "api/v1/me";

#[derive(Debug, Clone, Copy)]
pub struct RestAccounts;

impl RestAccounts {
    pub async fn sign_in(self, request: &SignIn) -> Result<Session, AccountError> {
        Ok(client::post(SESSION)
            .json(request)
            .cache(RequestCache::NoStore)
            .fetch()
            .await?)
    }

    /// Exchanges a host app's single-use code (the bridge's `auth`) for a session.
    pub async fn exchange_host_code(self, code: &HostCode) -> Result<Session, AccountError> {
        let body = HostSignIn {
            host_code: code.clone(),
        };
        Ok(client::post(SESSION)
            .json(&body)
            .cache(RequestCache::NoStore)
            .fetch()
            .await?)
    }

    pub async fn me(self, token: &str) -> Result<Me, AccountError> {
        Ok(client::get(ME).bearer(token).fetch().await?)
    }

    /// Ends the sign-in on the server. A token the server no longer knows counts as signed out.
    pub async fn sign_out(self, token: &str) -> Result<(), AccountError> {
        match client::delete(SESSION).bearer(token).text().await {
            Ok(_) | Err(ApiFailure::SignedOut) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::error::{Failure, Refused};
    use crate::i18n::Msg;
    use citizen_core::Lang;

    fn refused(status: u16, retry_after: Option<u32>, body: &str) -> AccountError {
        ApiFailure::Refused(Box::new(Refused::decode(status, retry_after, body))).into()
    }

    fn error(code: &str, field: Option<&str>) -> String {
        let field = field.map_or("null".to_owned(), |f| format!("\"{f}\""));
        format!(r#"{{"error": {{"code": "{code}", "message": "…", "field": {field}}}}}"#)
    }

    #[test]
    fn errors_are_read_by_code_and_field() {
        use crate::backend::account::SignInField;
        let cases = [
            (
                401,
                "invalid_credentials",
                None,
                AccountError::InvalidCredentials,
            ),
            (
                422,
                "invalid_field",
                Some("mobile"),
                AccountError::Field(SignInField::Mobile),
            ),
            (
                400,
                "invalid_field",
                Some("password"),
                AccountError::Field(SignInField::Password),
            ),
        ];
        for (status, code, field, expected) in cases {
            assert_eq!(refused(status, None, &error(code, field)), expected);
        }
        let other = refused(400, None, &error("invalid_json", None));
        assert_eq!(other.message(), Msg::SignInUnexpected);
        assert_eq!(
            AccountError::from(ApiFailure::SignedOut).message(),
            Msg::SessionExpired
        );
    }

    #[test]
    fn retry_after_is_rounded_up_to_whole_minutes() {
        let body = error("too_many_attempts", None);
        for (secs, minutes) in [(1, 1), (60, 1), (61, 2), (900, 15)] {
            assert_eq!(
                refused(429, Some(secs), &body).text(Lang::En),
                crate::i18n::try_again_in(Lang::En, minutes)
            );
        }
        let bare = refused(429, None, "Too Many Requests");
        assert_eq!(bare.message(), Msg::TooManyAttempts);
        assert_eq!(bare.text(Lang::En), Msg::TooManyAttempts.text(Lang::En));
    }

    #[test]
    fn server_failures_are_not_read_as_client_errors() {
        assert_eq!(
            refused(502, None, "<html>Bad Gateway</html>").message(),
            Msg::ServerFailed
        );
        assert_eq!(
            refused(500, None, &error("internal", None)).message(),
            Msg::ServerFailed
        );
    }
}
