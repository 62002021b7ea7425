//! `api/v1/session` and `api/v1/me`: sign in with a mobile number and password, read who is
//! signed in, sign out. Errors arrive as `{"error": {code, field}}` and are mapped by code.

use crate::backend::account::{AccountError, SignInField};
use crate::browser::fetch::{Call, Method, Reply, RequestCache, call};
use citizen_core::api::{ErrorBody, Me, Session, SignIn};
use serde::de::DeserializeOwned;

const SESSION: &str = "api/v1/session";
const ME: &str = "api/v1/me";

#[derive(Debug, Clone, Copy)]
pub struct RestAccounts;

impl RestAccounts {
    pub async fn sign_in(self, request: &SignIn) -> Result<Session, AccountError> {
        let json = serde_json::to_string(request).map_err(|e| unexpected(0, e))?;
        let reply = call(Call {
            json: Some(json),
            cache: RequestCache::NoStore,
            ..Call::new(Method::Post, SESSION)
        })
        .await?;
        read(reply)
    }

    pub async fn me(self, token: &str) -> Result<Me, AccountError> {
        let reply = call(Call {
            bearer: Some(token),
            cache: RequestCache::NoStore,
            ..Call::new(Method::Get, ME)
        })
        .await?;
        read(reply)
    }

    /// Ends the sign-in on the server. A token the server no longer knows counts as signed out.
    pub async fn sign_out(self, token: &str) -> Result<(), AccountError> {
        let reply = call(Call {
            bearer: Some(token),
            ..Call::new(Method::Delete, SESSION)
        })
        .await?;
        match reply_error(&reply) {
            None | Some(AccountError::SessionExpired) => Ok(()),
            Some(e) => Err(e),
        }
    }
}

fn unexpected(status: u16, detail: impl ToString) -> AccountError {
    AccountError::Unexpected {
        status,
        detail: detail.to_string(),
    }
}

fn read<T: DeserializeOwned>(reply: Reply) -> Result<T, AccountError> {
    if let Some(e) = reply_error(&reply) {
        return Err(e);
    }
    serde_json::from_str(&reply.body).map_err(|e| unexpected(reply.status, e))
}

/// The error a reply carries, if it is one.
fn reply_error(reply: &Reply) -> Option<AccountError> {
    if reply.ok() {
        return None;
    }
    if reply.status >= 500 {
        return Some(AccountError::Server(reply.status));
    }
    // A proxy's 429 may come without our JSON body; the status alone says enough.
    let minutes = reply.retry_after.map(|secs| secs.div_ceil(60).max(1));
    let Ok(ErrorBody { error }) = serde_json::from_str::<ErrorBody>(&reply.body) else {
        return Some(match reply.status {
            429 => AccountError::TooManyAttempts { minutes },
            status => unexpected(status, "no error body"),
        });
    };
    Some(match (error.code.as_str(), error.field.as_deref()) {
        ("invalid_credentials", _) => AccountError::InvalidCredentials,
        ("too_many_attempts", _) => AccountError::TooManyAttempts { minutes },
        ("session_expired" | "unauthorized", _) => AccountError::SessionExpired,
        ("invalid_field", Some("mobile")) => AccountError::Field(SignInField::Mobile),
        ("invalid_field", Some("password")) => AccountError::Field(SignInField::Password),
        (code, _) => unexpected(reply.status, code),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, retry_after: Option<u32>, body: &str) -> Reply {
        Reply {
            status,
            retry_after,
            body: body.to_owned(),
        }
    }

    fn error(code: &str, field: Option<&str>) -> String {
        let field = field.map_or("null".to_owned(), |f| format!("\"{f}\""));
        format!(r#"{{"error": {{"code": "{code}", "message": "…", "field": {field}}}}}"#)
    }

    #[test]
    fn errors_are_read_by_code_and_field() {
        let cases = [
            (
                401,
                "invalid_credentials",
                None,
                AccountError::InvalidCredentials,
            ),
            (401, "session_expired", None, AccountError::SessionExpired),
            (401, "unauthorized", None, AccountError::SessionExpired),
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
            assert_eq!(
                reply_error(&reply(status, None, &error(code, field))),
                Some(expected)
            );
        }
        assert!(matches!(
            reply_error(&reply(400, None, &error("invalid_json", None))),
            Some(AccountError::Unexpected { status: 400, .. })
        ));
        assert_eq!(reply_error(&reply(201, None, "{}")), None);
    }

    #[test]
    fn retry_after_is_rounded_up_to_whole_minutes() {
        let body = error("too_many_attempts", None);
        for (secs, minutes) in [(1, 1), (60, 1), (61, 2), (900, 15)] {
            assert_eq!(
                reply_error(&reply(429, Some(secs), &body)),
                Some(AccountError::TooManyAttempts {
                    minutes: Some(minutes)
                })
            );
        }
        assert_eq!(
            reply_error(&reply(429, None, "Too Many Requests")),
            Some(AccountError::TooManyAttempts { minutes: None })
        );
    }

    #[test]
    fn server_failures_are_not_read_as_client_errors() {
        assert_eq!(
            reply_error(&reply(502, None, "<html>Bad Gateway</html>")),
            Some(AccountError::Server(502))
        );
        assert_eq!(
            reply_error(&reply(500, None, &error("internal", None))),
            Some(AccountError::Server(500))
        );
    }
}
