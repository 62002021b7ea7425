//! The API's one error type: every failure becomes `{"error": {"code", "message", "field"}}`
//! with the matching status, in one place. Internal details go to the log, never to the caller.

use crate::store::db::DbError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use citizen_core::api::{ErrorBody, ErrorDetail};
use citizen_core::requests::PhotoRefusal;
use citizen_core::timebank::Refusal as TimeBankRefusal;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ApiError {
    #[error("there is nothing at {0}")]
    NotFound(String),
    /// The body is not JSON, or has the wrong shape (types, missing or unknown fields).
    #[error("{message}")]
    Malformed {
        field: Option<String>,
        message: String,
    },
    /// Well-formed, but a value breaks a rule (a mobile number with 10 digits).
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0} is not allowed here")]
    MethodNotAllowed(String),
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// `POST /photos` with a body that is not one of the image types kept (field `photo`).
    #[error("photo: send the image's bytes as image/jpeg, image/png or image/webp")]
    UnsupportedPhotoType,
    #[error("photo: a photo may be at most {0} bytes")]
    PhotoTooLarge(usize),
    /// An upload the photo rules refuse (field `photo`): a side over 8,000 px is a 422; the
    /// day's quota and the per-minute rate are 429s with `Retry-After`. The code is the core's
    /// [`PhotoRefusal::code`], which the app words.
    #[error("{0}")]
    Photo(PhotoRefusal),
    #[error("sign in first: this needs a valid bearer token")]
    Unauthorized,
    #[error("the sign-in has expired; sign in again")]
    SessionExpired,
    #[error("the mobile number or the password is wrong")]
    InvalidCredentials,
    /// `POST /host/sign-in-codes` without a registered host's client id and secret (HTTP Basic):
    /// the same whether the id is unknown or the secret wrong.
    #[error("the host's client id or secret is wrong")]
    InvalidHostCredentials,
    /// A host code that is unknown, used or expired, or whose number this host may not sign in:
    /// one answer for all, so none says whether a number has an account.
    #[error("this sign-in code is unknown, used or expired; ask the host app for a new one")]
    InvalidHostCode,
    /// An SMS code that is wrong, expired, used up or out of tries, or for a number that may not
    /// use it (signing up a number that has an account, resetting one that has none): one answer
    /// for all, so none says whether a number has an account.
    #[error("the code is wrong or no longer valid; ask for a new one")]
    InvalidSmsCode,
    #[error("this needs the {0} role")]
    Forbidden(&'static str),
    /// Not this person's to do, whatever their role (the reason is the message).
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    /// The state machine refused the command in the request's current state.
    #[error("{0}")]
    Refused(String),
    /// A volunteering rule said no: its code is the core's `Refusal::code` (`out_of_stock`…),
    /// which the app words. 409, or 422 naming `field` when what was typed is at fault (a
    /// check-in code that is not 6 digits).
    #[error("{message}")]
    Rule {
        code: &'static str,
        message: String,
        field: Option<&'static str>,
    },
    /// A time-bank rule said no: its code is the core's `timebank::Refusal::code`
    /// (`pool_cap_reached`…), which the app words. 403 when it is about who acts, 422 naming
    /// `field` when what was sent is at fault, 409 otherwise.
    #[error("{message}")]
    TimeBank {
        refusal: TimeBankRefusal,
        message: String,
        field: Option<&'static str>,
        remaining_minutes: Option<u64>,
    },
    #[error("this Idempotency-Key was used with a different request")]
    IdempotencyConflict,
    #[error("too many attempts; try again in {0} seconds")]
    TooManyAttempts(i64),
    #[error("something went wrong on the server")]
    Internal(String),
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<crate::store::sql::Error> for ApiError {
    fn from(e: crate::store::sql::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl ApiError {
    pub fn invalid(field: &str, reason: impl std::fmt::Display) -> ApiError {
        ApiError::Invalid {
            field: field.to_owned(),
            message: format!("{field}: {reason}"),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Malformed { .. } => StatusCode::BAD_REQUEST,
            ApiError::Invalid { .. } | ApiError::Rule { field: Some(_), .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::UnsupportedMediaType | ApiError::UnsupportedPhotoType => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ApiError::PayloadTooLarge(_) | ApiError::PhotoTooLarge(_) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::Unauthorized
            | ApiError::SessionExpired
            | ApiError::InvalidCredentials
            | ApiError::InvalidHostCredentials
            | ApiError::InvalidHostCode
            | ApiError::InvalidSmsCode => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::NotAllowed(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_)
            | ApiError::IdempotencyConflict
            | ApiError::Refused(_)
            | ApiError::Rule { field: None, .. } => StatusCode::CONFLICT,
            ApiError::TimeBank { refusal, .. } if refusal.is_about_who() => StatusCode::FORBIDDEN,
            ApiError::TimeBank { field: Some(_), .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TimeBank { .. } => StatusCode::CONFLICT,
            ApiError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Photo(refusal) => match refusal.retry_after() {
                Some(_) => StatusCode::TOO_MANY_REQUESTS,
                None => StatusCode::UNPROCESSABLE_ENTITY,
            },
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::Malformed { field: None, .. } => "invalid_json",
            ApiError::Malformed { .. } | ApiError::Invalid { .. } => "invalid_field",
            ApiError::UnsupportedMediaType | ApiError::UnsupportedPhotoType => {
                "unsupported_media_type"
            }
            ApiError::PayloadTooLarge(_) | ApiError::PhotoTooLarge(_) => "payload_too_large",
            ApiError::Unauthorized => "unauthorized",
            ApiError::SessionExpired => "session_expired",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::InvalidHostCredentials => "invalid_host_credentials",
            ApiError::InvalidHostCode => "invalid_host_code",
            ApiError::InvalidSmsCode => "invalid_sms_code",
            ApiError::Forbidden(_) | ApiError::NotAllowed(_) => "forbidden",
            ApiError::Conflict(_) => "conflict",
            ApiError::IdempotencyConflict => "idempotency_conflict",
            ApiError::Refused(_) => "transition_refused",
            ApiError::Rule { code, .. } => code,
            ApiError::TimeBank { refusal, .. } => refusal.code(),
            ApiError::TooManyAttempts(_) => "too_many_attempts",
            ApiError::Photo(refusal) => refusal.code(),
            ApiError::Internal(_) => "internal",
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            ApiError::Malformed { field, .. } => field.clone(),
            ApiError::Invalid { field, .. } => Some(field.clone()),
            ApiError::Rule { field, .. } | ApiError::TimeBank { field, .. } => {
                field.map(str::to_owned)
            }
            ApiError::IdempotencyConflict => Some("Idempotency-Key".to_owned()),
            ApiError::UnsupportedPhotoType | ApiError::PhotoTooLarge(_) | ApiError::Photo(_) => {
                Some("photo".to_owned())
            }
            _ => None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.to_string(),
                field: self.field(),
                remaining_minutes: match &self {
                    ApiError::TimeBank {
                        remaining_minutes, ..
                    } => *remaining_minutes,
                    _ => None,
                },
            },
        };
        let mut response = (status, Json(body)).into_response();
        let retry_after = match &self {
            ApiError::Photo(refusal) => refusal.retry_after(),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        match self {
            ApiError::TooManyAttempts(secs) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
            }
            ApiError::Unauthorized | ApiError::SessionExpired => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::InvalidHostCredentials => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"Basic realm="citizen-cloud hosts""#),
                );
            }
            _ => {}
        }
        response
    }
}
