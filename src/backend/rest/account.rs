//! `api/v1/session` and `api/v1/me`: sign in with a mobile number and password, read who is
//! signed in, sign out; `api/v1/sms-codes`, `api/v1/accounts` and `api/v1/password-reset`: a
//! code by SMS, then a new account or a new password with it. Refusals are decoded by
//! [`AccountError`]'s `From<ApiFailure>`.

use crate::backend::account::AccountError;
use crate::backend::client::{self, RequestCache};
use crate::backend::error::ApiFailure;
use citizen_core::api::{
    HostSignIn, Me, NewAccount, PasswordReset, Session, SignIn, SmsCodeAccepted, SmsCodeRequest,
};
use citizen_core::embed::HostCode;

const SESSION: &str = "api/v1/session";
const ME: &str = "api/v1/me";
const SMS_CODES: &str = "api/v1/sms-codes";
const ACCOUNTS: &str = "api/v1/accounts";
const PASSWORD_RESET: &str = "api/v1/password-reset";

/// An account call: a POST whose answer (a session, a code's wait) is never kept in a cache.
fn account_call<'a>(path: &str, body: &(impl serde::Serialize + ?Sized)) -> client::Call<'a> {
    client::post(path).json(body).cache(RequestCache::NoStore)
}

#[derive(Debug, Clone, Copy)]
pub struct RestAccounts;

impl RestAccounts {
    pub async fn sign_in(self, request: &SignIn) -> Result<Session, AccountError> {
        Ok(account_call(SESSION, request).fetch().await?)
    }

    /// Exchanges a host app's single-use code (the bridge's `auth`) for a session.
    pub async fn exchange_host_code(self, code: &HostCode) -> Result<Session, AccountError> {
        let body = HostSignIn {
            host_code: code.clone(),
        };
        Ok(account_call(SESSION, &body).fetch().await?)
    }

    /// Asks for a code by SMS. The answer is the same whether or not a message went out; it
    /// says how long to wait before asking again.
    pub async fn send_sms_code(
        self,
        request: &SmsCodeRequest,
    ) -> Result<SmsCodeAccepted, AccountError> {
        Ok(account_call(SMS_CODES, request).fetch().await?)
    }

    /// A new resident account, signed in.
    pub async fn sign_up(self, request: &NewAccount) -> Result<Session, AccountError> {
        account_call(ACCOUNTS, request)
            .fetch()
            .await
            .map_err(AccountError::of_sign_up)
    }

    /// A new password; every sign-in of the account ends on the server.
    pub async fn reset_password(self, request: &PasswordReset) -> Result<(), AccountError> {
        account_call(PASSWORD_RESET, request).text().await?;
        Ok(())
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
        use crate::backend::account::AccountField;
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
                AccountError::Field(AccountField::Mobile),
            ),
            (
                400,
                "invalid_field",
                Some("password"),
                AccountError::Field(AccountField::Password),
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
