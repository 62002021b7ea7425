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
use citizen_core::geo::LatLng;
use citizen_core::georeport::service::{Contact, Service, ServiceDefinition};
use citizen_core::module::{BackendKind, Module};
use citizen_core::requests::{
    Address, CommandBody, NewRequest, PhotoId, PhotoLimit, RequestStats, RequestView,
};
use citizen_core::text::Description;
use serde::{Deserialize, Serialize};

/// A request for a GeoReport endpoint, as the form checked it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityRequest {
    pub service_code: String,
    /// The service's name as the endpoint listed it, to show while the request waits.
    pub service_name: String,
    pub description: Description,
    pub position: Option<LatLng>,
    pub address: Option<Address>,
    /// The answers, already written as `attribute[code]` fields (see the core's
    /// `ServiceDefinition::answer`).
    pub attributes: Vec<(String, String)>,
    /// Sent only with the resident's consent.
    pub contact: Option<Contact>,
    /// Filled in by the outbox once uploaded; the first goes as `media_url` (the reference
    /// server's own photo address).
    #[serde(default)]
    pub photos: Vec<PhotoId>,
}

/// What the form files: a request for our JSON API (and the in-browser backend), or one for a
/// GeoReport endpoint. Kept in the outbox as written (untagged: entries written before the
/// GeoReport form read as ours).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Submission {
    Ours(NewRequest),
    City(CityRequest),
}

impl Submission {
    /// What it is about, in words: our category's name or the city service's.
    pub fn service_name(&self, lang: citizen_core::Lang) -> String {
        match self {
            Submission::Ours(request) => request.category.category().name(lang).to_owned(),
            Submission::City(request) => request.service_name.clone(),
        }
    }

    pub fn description(&self) -> &str {
        match self {
            Submission::Ours(request) => request.description.as_str(),
            Submission::City(request) => request.description.as_str(),
        }
    }

    /// A request for a GeoReport endpoint: an entry queued for our API before the backend
    /// changed goes with its category as the service and its call-back number as consented.
    fn for_city(&self) -> CityRequest {
        match self {
            Submission::City(request) => request.clone(),
            Submission::Ours(request) => CityRequest {
                service_code: request.category.as_str().to_owned(),
                service_name: request.category.category().zh.to_owned(),
                description: request.description.clone(),
                position: request.position,
                address: request.address.clone(),
                attributes: Vec::new(),
                photos: request.photos.clone(),
                contact: request
                    .contact
                    .as_ref()
                    .filter(|_| !request.anonymous)
                    .map(|phone| Contact {
                        phone: Some(phone.as_str().to_owned()),
                        ..Contact::default()
                    }),
            },
        }
    }
}

/// What filing gave back: the tracking number, or a GeoReport `token` to ask about later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    Tracking(String),
    Waiting(String),
}

impl Receipt {
    pub fn tracking(&self) -> Option<&str> {
        match self {
            Receipt::Tracking(id) => Some(id),
            Receipt::Waiting(_) => None,
        }
    }
}

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
    /// The city's GeoReport endpoint in `config.json` is wrong (what, in the error's words: the
    /// server that serves the bundle refuses to start with it, so only a statically hosted app
    /// meets this).
    #[error("{0}")]
    CityConfig(String),
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
            RequestsError::CityConfig(_) => Msg::CityConfigInvalid,
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
    /// `accounts`: whether the app has accounts (`account::account_backend`).
    pub fn from_config(config: &AppConfig, accounts: bool) -> RequestsBackend {
        match config.backend(Module::Requests) {
            BackendKind::Rest => RequestsBackend::Rest(RestRequests),
            // Kept for the page's life, like the configuration it comes from.
            BackendKind::Open311 => RequestsBackend::Open311(Open311Requests::new(
                config
                    .city_written()
                    .map(|written| &**Box::leak(Box::new(written.clone()))),
                accounts,
            )),
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

    /// How many photos a request may carry: ours, nine; GeoReport's one `media_url`, when the
    /// reference server hosts the photo (a city's endpoint takes only an address the client
    /// already hosts, so none there).
    pub fn photo_limit(self) -> usize {
        match self {
            RequestsBackend::Open311(o) if o.is_city() => 0,
            RequestsBackend::Open311(_) => 1,
            _ => citizen_core::requests::MAX_PHOTOS,
        }
    }

    /// The endpoint speaks GeoReport: the form offers its services and their questions, and
    /// contact fields sent only with consent, instead of our categories.
    pub fn speaks_georeport(self) -> bool {
        matches!(self, RequestsBackend::Open311(_))
    }

    /// Whether a photo at `url` (a GeoReport `media_url`) may be shown in the page, rather than
    /// linked to.
    pub fn hosts_image(self, url: &str) -> bool {
        matches!(self, RequestsBackend::Open311(o) if o.hosts_image(url))
    }

    /// At a city's endpoint: the city knows nobody here, and "my requests" are kept for the
    /// acting person (in their account, or on this device for a demo identity).
    pub fn is_city(self) -> bool {
        matches!(self, RequestsBackend::Open311(o) if o.is_city())
    }

    fn open311<T>(self) -> Result<T, RequestsError> {
        Err(self.staff_unsupported().unwrap_or(RequestsError::NotFound))
    }

    /// A GeoReport endpoint's services (`services.json`); ours are the core's categories.
    pub async fn services(self) -> Result<Vec<Service>, RequestsError> {
        match self {
            RequestsBackend::Open311(open311) => open311.services().await,
            _ => self.open311(),
        }
    }

    /// A GeoReport service's questions (`services/{code}.json`).
    pub async fn definition(self, code: &str) -> Result<ServiceDefinition, RequestsError> {
        match self {
            RequestsBackend::Open311(open311) => open311.definition(code).await,
            _ => self.open311(),
        }
    }

    /// Files a request; the same `key` with the same body never files twice (at a city's
    /// GeoReport endpoint, which has no such key, a lost answer may file twice).
    pub async fn file(
        self,
        token: &str,
        request: &Submission,
        key: &str,
    ) -> Result<Receipt, RequestsError> {
        let ours = || match request {
            Submission::Ours(request) => Ok(request),
            Submission::City(_) => Err(RequestsError::Field("category".to_owned())),
        };
        let tracking = |view: RequestView| Receipt::Tracking(view.tracking);
        match self {
            RequestsBackend::Local(local) => local.file(token, ours()?, key).await.map(tracking),
            RequestsBackend::Rest(rest) => rest.file(token, ours()?, key).await.map(tracking),
            RequestsBackend::Open311(open311) => {
                open311.file(token, &request.for_city(), key).await
            }
        }
    }

    /// A GeoReport `token`'s request id, once the endpoint has given one.
    pub async fn resolve(
        self,
        token: &str,
        waiting: &str,
    ) -> Result<Option<String>, RequestsError> {
        match self {
            RequestsBackend::Open311(open311) => open311.resolve(token, waiting).await,
            _ => Ok(None),
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
            // The reference server hosts it; the filing names it as `media_url`.
            RequestsBackend::Open311(o) if !o.is_city() => {
                RestRequests.upload_photo(token, photo, key).await
            }
            RequestsBackend::Open311(_) => self.open311(),
        }
    }

    /// Where a photo can be shown: an address on the server, or an object URL of the blob kept
    /// in this browser.
    pub async fn photo_url(self, id: &PhotoId) -> Option<String> {
        match self {
            RequestsBackend::Local(local) => local.photo_url(id).await,
            RequestsBackend::Rest(rest) => Some(rest.photo_url(id)),
            RequestsBackend::Open311(o) if !o.is_city() => Some(RestRequests.photo_url(id)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_entries_written_before_the_georeport_form_still_read_as_ours() {
        let old = r#"{"category": "noise", "description": "楼上每晚装修到十一点多",
            "address": "玉林北路 3 号", "contact": "13800000001", "anonymous": false, "photos": []}"#;
        let read: Submission = serde_json::from_str(old).unwrap();
        assert!(matches!(&read, Submission::Ours(r) if r.category.as_str() == "noise"));
        // Queued for our API, sent to a GeoReport endpoint: the category is the service, the
        // call-back number the consented phone.
        let city = read.for_city();
        assert_eq!(city.service_code, "noise");
        assert_eq!(
            city.contact.and_then(|c| c.phone).as_deref(),
            Some("13800000001")
        );
        let hidden: Submission =
            serde_json::from_str(&old.replace(r#""anonymous": false"#, r#""anonymous": true"#))
                .unwrap();
        assert_eq!(hidden.for_city().contact, None, "anonymous sends nothing");
    }

    #[test]
    fn a_city_filing_round_trips_through_the_outbox_as_a_city_filing() {
        let filing = Submission::City(CityRequest {
            service_code: "svc-7f3a".into(),
            service_name: "路灯不亮".into(),
            description: Description::parse("三号杆的路灯不亮已经一周").unwrap(),
            position: None,
            address: Address::parse("玉林北路 3 号").ok(),
            attributes: vec![("attribute[hazards][]".into(), "wires".into())],
            contact: None,
            photos: Vec::new(),
        });
        let text = serde_json::to_string(&filing).unwrap();
        let read: Submission = serde_json::from_str(&text).unwrap();
        assert!(
            matches!(&read, Submission::City(c) if c.service_code == "svc-7f3a"
            && c.attributes.len() == 1)
        );
        assert_eq!(read.service_name(citizen_core::Lang::En), "路灯不亮");
    }
}
