//! Requests (诉求): file one, list mine, read one, act on one. Only `rest` is written so far;
//! `local` and `open311` say plainly that they are not available yet.

use super::error::BackendError;
pub use super::rest::RestRequests;
use crate::browser::fetch::FetchError;
use crate::i18n::Msg;
use citizen_core::config::AppConfig;
use citizen_core::module::{BackendKind, Module};
use citizen_core::requests::{CommandBody, NewRequest, PhotoId, RequestStats, RequestView};

#[derive(Debug, Clone, Copy)]
pub enum RequestsBackend {
    Local,
    Rest(RestRequests),
    Open311,
}

/// Why a requests call failed, by the server's error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestsError {
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// A field the server refused, named as in the body (`description`, `note`…).
    #[error("the server refused the {0} field")]
    Field(String),
    /// Not possible in the request's state now (409 `transition_refused`).
    #[error("not possible in this state")]
    Refused,
    /// No such request for this reader.
    #[error("no such request")]
    NotFound,
    #[error("the sign-in has expired")]
    SessionExpired,
    #[error("unexpected answer: HTTP {status} ({detail})")]
    Unexpected { status: u16, detail: String },
}

impl From<FetchError> for RequestsError {
    fn from(e: FetchError) -> Self {
        RequestsError::Backend(e.into())
    }
}

impl RequestsError {
    /// Whether trying again later may succeed: no answer, a server fault, a rate limit, an
    /// expired sign-in (sent once the person signs in again). Anything else needs the person.
    pub fn is_transient(&self) -> bool {
        match self {
            RequestsError::Backend(BackendError::Network(_) | BackendError::Status(_)) => true,
            RequestsError::SessionExpired => true,
            RequestsError::Unexpected { status, .. } => matches!(status, 0 | 408 | 429 | 500..),
            _ => false,
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            RequestsError::Backend(BackendError::Network(_)) => Msg::ServerUnreachable,
            RequestsError::Backend(BackendError::Unsupported { .. }) => Msg::BackendUnsupported,
            RequestsError::Backend(_) => Msg::ServerFailed,
            RequestsError::Field(_) => Msg::RequestFieldRefused,
            RequestsError::Refused => Msg::RequestRefused,
            RequestsError::NotFound => Msg::RequestNotFound,
            RequestsError::SessionExpired => Msg::SessionExpired,
            RequestsError::Unexpected { .. } => Msg::ServerFailed,
        }
    }
}

impl RequestsBackend {
    pub fn from_config(config: &AppConfig) -> RequestsBackend {
        match config.backend(Module::Requests) {
            BackendKind::Rest => RequestsBackend::Rest(RestRequests),
            BackendKind::Open311 => RequestsBackend::Open311,
            _ => RequestsBackend::Local,
        }
    }

    /// The refusal of a backend that is not written yet.
    pub fn unsupported(self) -> Option<RequestsError> {
        self.rest().err()
    }

    fn rest(self) -> Result<RestRequests, RequestsError> {
        let kind = match self {
            RequestsBackend::Rest(rest) => return Ok(rest),
            RequestsBackend::Local => BackendKind::Local,
            RequestsBackend::Open311 => BackendKind::Open311,
        };
        Err(RequestsError::Backend(BackendError::Unsupported {
            module: Module::Requests,
            kind,
        }))
    }

    /// Files a request; the same `key` with the same body never files twice.
    pub async fn file(
        self,
        token: &str,
        request: &NewRequest,
        key: &str,
    ) -> Result<RequestView, RequestsError> {
        self.rest()?.file(token, request, key).await
    }

    /// Uploads a photo for a request about to be filed; the same `key` stores it once.
    pub async fn upload_photo(
        self,
        token: &str,
        photo: &web_sys::Blob,
        key: &str,
    ) -> Result<PhotoId, RequestsError> {
        self.rest()?.upload_photo(token, photo, key).await
    }

    pub fn photo_url(self, id: &PhotoId) -> Option<String> {
        self.rest().ok().map(|rest| rest.photo_url(id))
    }

    /// My requests, newest first.
    pub async fn mine(self, token: &str) -> Result<Vec<RequestView>, RequestsError> {
        self.rest()?.mine(token).await
    }

    pub async fn one(self, token: &str, tracking: &str) -> Result<RequestView, RequestsError> {
        self.rest()?.one(token, tracking).await
    }

    /// The community's queue (staff), by state and category codes.
    pub async fn queue(
        self,
        token: &str,
        state: Option<&str>,
        category: Option<&str>,
    ) -> Result<Vec<RequestView>, RequestsError> {
        self.rest()?.queue(token, state, category).await
    }

    pub async fn stats(self, token: &str) -> Result<RequestStats, RequestsError> {
        self.rest()?.stats(token).await
    }

    pub async fn command(
        self,
        token: &str,
        tracking: &str,
        body: &CommandBody,
    ) -> Result<RequestView, RequestsError> {
        self.rest()?.command(token, tracking, body).await
    }
}
