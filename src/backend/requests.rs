//! Requests (诉求): file one, list mine, read one, act on one. `rest` talks to the server;
//! `local` keeps everything in this browser (a demo identity acts); `open311` files and follows
//! requests through GeoReport v2, which has no commands (no resident actions, no staff
//! workspace). Every method takes `token`: a bearer token (GeoReport's `api_key`), or on `local`
//! the demo identity's id.

use super::error::{ApiFailure, Failure};
pub use super::local::LocalRequests;
pub use super::open311::Open311Requests;
pub use super::rest::RestRequests;
use crate::i18n::Msg;
use citizen_core::config::AppConfig;
use citizen_core::module::{BackendKind, Module};
use citizen_core::requests::{
    CATEGORIES, CategoryCode, CommandBody, NewRequest, PhotoId, PhotoLimit, RequestStats,
    RequestView,
};

#[derive(Debug, Clone, Copy)]
pub enum RequestsBackend {
    Local(LocalRequests),
    Rest(RestRequests),
    Open311(Open311Requests),
}

/// Why a requests call failed: the refusals the requests screens word, decoded from the
/// server's codes, or the failure as the client decoded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestsError {
    /// No answer, a refused sign-in, a server fault, an unreadable answer, full storage…
    #[error(transparent)]
    Api(ApiFailure),
    /// A field the server refused, named as in the body (`description`, `note`…).
    #[error("the server refused the {0} field")]
    Field(String),
    /// Not possible in the request's state now (409 `transition_refused`).
    #[error("not possible in this state")]
    Refused,
    /// The request has all the supplements it takes (409 `too_many_supplements`).
    #[error("no more supplements")]
    TooManySupplements,
    /// No such request for this reader.
    #[error("no such request")]
    NotFound,
    /// A photo upload over one of the server's limits (`photo_quota_count`…).
    #[error("a photo was refused: {}", .0.code())]
    PhotoLimit(PhotoLimit),
}

impl From<ApiFailure> for RequestsError {
    fn from(failure: ApiFailure) -> Self {
        let Some(refused) = failure.as_refused() else {
            return RequestsError::Api(failure);
        };
        if let Some(limit) = PhotoLimit::from_code(&refused.code) {
            return RequestsError::PhotoLimit(limit);
        }
        match (refused.code.as_str(), &refused.field, refused.status) {
            (_, _, 500..) => RequestsError::Api(failure),
            ("invalid_field", Some(field), _) => RequestsError::Field(field.clone()),
            ("transition_refused", _, _) => RequestsError::Refused,
            ("too_many_supplements", _, _) => RequestsError::TooManySupplements,
            ("not_found", _, _) | (_, _, 404) => RequestsError::NotFound,
            _ => RequestsError::Api(failure),
        }
    }
}

impl RequestsError {
    /// Whether trying again later may succeed: no answer, a server fault, a rate limit, an
    /// expired sign-in (sent once the person signs in again). Anything else needs the person.
    pub fn is_transient(&self) -> bool {
        match self {
            RequestsError::Api(failure) => failure.is_transient(),
            RequestsError::PhotoLimit(limit) => limit.passes_with_time(),
            _ => false,
        }
    }
}

impl Failure for RequestsError {
    fn message(&self) -> Msg {
        match self {
            RequestsError::Api(ApiFailure::Unsupported {
                module: Module::Staff,
                kind: BackendKind::Open311,
            }) => Msg::StaffNotOnOpen311,
            RequestsError::Api(failure) => failure.message(),
            RequestsError::Field(_) => Msg::RequestFieldRefused,
            RequestsError::Refused => Msg::RequestRefused,
            RequestsError::TooManySupplements => Msg::RequestSupplementsFull,
            RequestsError::NotFound => Msg::RequestNotFound,
            RequestsError::PhotoLimit(limit) => photo_limit_message(*limit),
        }
    }
}

/// The words for a photo the server refused by one of its limits.
pub fn photo_limit_message(limit: PhotoLimit) -> Msg {
    match limit {
        PhotoLimit::DailyPhotos => Msg::PhotoQuotaCount,
        PhotoLimit::DailyBytes => Msg::PhotoQuotaBytes,
        PhotoLimit::TooFast => Msg::PhotoRateLimited,
        PhotoLimit::TooManyPixels => Msg::PhotoTooManyPixels,
    }
}

impl RequestsBackend {
    pub fn from_config(config: &AppConfig) -> RequestsBackend {
        match config.backend(Module::Requests) {
            BackendKind::Rest => RequestsBackend::Rest(RestRequests),
            BackendKind::Open311 => RequestsBackend::Open311(Open311Requests),
            _ => RequestsBackend::Local(LocalRequests),
        }
    }

    /// Where the staff workspace cannot work: GeoReport has no commands (staff use the city's
    /// own system).
    pub fn staff_unsupported(self) -> Option<RequestsError> {
        matches!(self, RequestsBackend::Open311(_)).then_some(RequestsError::Api(
            ApiFailure::Unsupported {
                module: Module::Staff,
                kind: BackendKind::Open311,
            },
        ))
    }

    /// Photos can be attached (GeoReport takes none: see `backend/open311`).
    pub fn takes_photos(self) -> bool {
        !matches!(self, RequestsBackend::Open311(_))
    }

    fn open311<T>(self) -> Result<T, RequestsError> {
        Err(self.staff_unsupported().unwrap_or(RequestsError::NotFound))
    }

    /// The categories a request may be filed in: all of ours, or on `open311` those the
    /// endpoint's service list offers.
    pub async fn categories(self) -> Result<Vec<CategoryCode>, RequestsError> {
        match self {
            RequestsBackend::Open311(open311) => open311.categories().await,
            _ => Ok(CATEGORIES.iter().map(|c| c.code).collect()),
        }
    }

    /// Files a request; the same `key` with the same body never files twice.
    pub async fn file(
        self,
        token: &str,
        request: &NewRequest,
        key: &str,
    ) -> Result<RequestView, RequestsError> {
        match self {
            RequestsBackend::Local(local) => local.file(token, request, key).await,
            RequestsBackend::Rest(rest) => rest.file(token, request, key).await,
            RequestsBackend::Open311(open311) => open311.file(token, request, key).await,
        }
    }

    /// Uploads a photo for a request about to be filed; the same `key` stores it once.
    pub async fn upload_photo(
        self,
        token: &str,
        photo: &web_sys::Blob,
        key: &str,
    ) -> Result<PhotoId, RequestsError> {
        match self {
            RequestsBackend::Local(local) => local.upload_photo(token, photo, key).await,
            RequestsBackend::Rest(rest) => rest.upload_photo(token, photo, key).await,
            RequestsBackend::Open311(_) => self.open311(),
        }
    }

    /// Where a photo can be shown: an address on the server, or an object URL of the blob kept
    /// in this browser.
    pub async fn photo_url(self, id: &PhotoId) -> Option<String> {
        match self {
            RequestsBackend::Local(local) => local.photo_url(id).await,
            RequestsBackend::Rest(rest) => Some(rest.photo_url(id)),
            RequestsBackend::Open311(_) => None,
        }
    }

    /// My requests, newest first.
    pub async fn mine(self, token: &str) -> Result<Vec<RequestView>, RequestsError> {
        match self {
            RequestsBackend::Local(local) => local.mine(token).await,
            RequestsBackend::Rest(rest) => rest.mine(token).await,
            RequestsBackend::Open311(open311) => open311.mine(token).await,
        }
    }

    pub async fn one(self, token: &str, tracking: &str) -> Result<RequestView, RequestsError> {
        match self {
            RequestsBackend::Local(local) => local.one(token, tracking).await,
            RequestsBackend::Rest(rest) => rest.one(token, tracking).await,
            RequestsBackend::Open311(open311) => open311.one(token, tracking).await,
        }
    }

    /// The community's queue (staff), by state and category codes.
    pub async fn queue(
        self,
        token: &str,
        state: Option<&str>,
        category: Option<&str>,
    ) -> Result<Vec<RequestView>, RequestsError> {
        match self {
            RequestsBackend::Local(local) => local.queue(token, state, category).await,
            RequestsBackend::Rest(rest) => rest.queue(token, state, category).await,
            RequestsBackend::Open311(_) => self.open311(),
        }
    }

    pub async fn stats(self, token: &str) -> Result<RequestStats, RequestsError> {
        match self {
            RequestsBackend::Local(local) => local.stats(token).await,
            RequestsBackend::Rest(rest) => rest.stats(token).await,
            RequestsBackend::Open311(_) => self.open311(),
        }
    }

    pub async fn command(
        self,
        token: &str,
        tracking: &str,
        body: &CommandBody,
    ) -> Result<RequestView, RequestsError> {
        match self {
            RequestsBackend::Local(local) => local.command(token, tracking, body).await,
            RequestsBackend::Rest(rest) => rest.command(token, tracking, body).await,
            RequestsBackend::Open311(_) => self.open311(),
        }
    }
}
