//! Open311 GeoReport v2 (JSON) under `{base}open311/v2/`, so that the app's `open311` backend is
//! tested against a real endpoint here, and city systems that speak the protocol can file and read
//! requests. The same store and the same core rules as `/api/v1/requests`; only the shapes differ.
//!
//! A request's first photo is its `media_url`, an absolute URL of `GET /api/v1/photos/{id}` built
//! from the configured public URL (`--public-url`); without one, `media_url` is left out. It is
//! never built from the request's `Host` header, which the caller chooses.
//!
//! `api_key` is the caller's session token (a resident's or staff member's). Privacy holds here
//! too: a key reads only what its person may read, and contacts are never listed.

use super::transact;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::store::people::Person;
use crate::store::requests::{self as store, NewRow, StoredRequest};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use citizen_core::account::{Role, SessionToken};
use citizen_core::geo::LatLng;
use citizen_core::phone::MobileNumber;
use citizen_core::requests::{CATEGORIES, CategoryCode};
use citizen_core::text::Description;
use citizen_core::time::Timestamp;
use serde::Serialize;
use std::collections::HashMap;

/// GeoReport's error list: `[{"code": 400, "description": "…"}]`.
struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = [serde_json::json!({ "code": self.0.as_u16(), "description": self.1 })];
        (self.0, Json(body)).into_response()
    }
}

fn bad(description: impl Into<String>) -> Failure {
    Failure(StatusCode::BAD_REQUEST, description.into())
}

/// A failure of the store (the only `ApiError` these handlers meet) in GeoReport's words.
impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        tracing::error!(error = %e, "open311");
        Failure(e.status(), "server error".into())
    }
}

fn pairs(raw: &str) -> HashMap<String, String> {
    form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect()
}

/// The person behind `api_key`, or 403 as the spec says.
async fn caller(state: &AppState, fields: &HashMap<String, String>) -> Result<Person, Failure> {
    let forbidden = || {
        Failure(
            StatusCode::FORBIDDEN,
            "api_key is missing or not valid".into(),
        )
    };
    let token = fields
        .get("api_key")
        .and_then(|k| SessionToken::parse(k))
        .ok_or_else(forbidden)?;
    match SignedIn::with_token(state, token).await {
        Ok(who) => Ok(who.person),
        Err(ApiError::Internal(detail)) => {
            tracing::error!(%detail, "open311");
            Err(Failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server error".into(),
            ))
        }
        Err(_) => Err(forbidden()),
    }
}

#[derive(Serialize)]
struct Service {
    service_code: &'static str,
    service_name: &'static str,
    description: &'static str,
    metadata: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    keywords: &'static str,
    group: &'static str,
}

async fn services() -> Json<Vec<Service>> {
    Json(
        CATEGORIES
            .iter()
            .map(|c| Service {
                service_code: c.code.as_str(),
                service_name: c.zh,
                description: c.en,
                metadata: false,
                kind: "realtime",
                keywords: c.en,
                group: if c.safe_community {
                    "平安社区"
                } else {
                    "12345"
                },
            })
            .collect(),
    )
}

async fn service_definition(Path(code): Path<String>) -> Response {
    let code = code.trim_end_matches(".json");
    match CategoryCode::parse(code) {
        Some(c) => Json(serde_json::json!({ "service_code": c.as_str(), "attributes": [] }))
            .into_response(),
        None => Failure(StatusCode::NOT_FOUND, format!("no service {code}")).into_response(),
    }
}

#[derive(Serialize)]
struct GeoRequest {
    service_request_id: String,
    status: &'static str,
    status_notes: Option<String>,
    service_name: &'static str,
    service_code: &'static str,
    description: String,
    agency_responsible: Option<String>,
    service_notice: Option<String>,
    requested_datetime: Timestamp,
    updated_datetime: Timestamp,
    expected_datetime: Option<String>,
    address: Option<String>,
    lat: Option<f64>,
    long: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    media_url: Option<String>,
}

/// The start of a photo's absolute URL, `{public URL}api/v1/photos/`, when one is configured.
fn photo_prefix(state: &AppState) -> Option<String> {
    state
        .public_url
        .as_ref()
        .map(|url| format!("{}api/v1/photos/", url.as_str()))
}

/// `photos` is where photos are served ([`photo_prefix`]).
fn geo(r: &StoredRequest, photos: Option<&str>) -> GeoRequest {
    let category = r.record.category.category();
    GeoRequest {
        service_request_id: r.record.tracking.clone(),
        status: if r.record.workflow.state.is_open() {
            "open"
        } else {
            "closed"
        },
        // The latest words on the timeline: a reply, a reason, a note.
        status_notes: r
            .record
            .workflow
            .timeline
            .iter()
            .rev()
            .find_map(|e| e.note.clone()),
        service_name: category.zh,
        service_code: category.code.as_str(),
        description: r.record.description.clone(),
        agency_responsible: r.record.workflow.department.map(|d| d.name().zh),
        service_notice: Some(format!("state: {}", r.record.workflow.state)),
        requested_datetime: Timestamp::from_unix_secs(r.record.created_at),
        updated_datetime: Timestamp::from_unix_secs(r.record.updated_at),
        expected_datetime: None,
        address: r.record.address.clone(),
        lat: r.record.lat,
        long: r.record.lng,
        media_url: photos
            .zip(r.record.photos.first())
            .map(|(photos, id)| format!("{photos}{id}")),
    }
}

/// `POST requests.json` (form-encoded). `media_url` is accepted and ignored, as are other fields
/// the form does not use: a photo comes in as bytes through `POST /api/v1/photos`, never as a URL
/// the server would have to fetch.
async fn post_request(State(state): State<AppState>, body: String) -> Result<Response, Failure> {
    let fields = pairs(&body);
    let person = caller(&state, &fields).await?;
    let field = |name: &str| fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let code = field("service_code").ok_or_else(|| bad("service_code is required"))?;
    let category = CategoryCode::parse(code)
        .ok_or_else(|| bad(format!("service_code {code} is not a service")))?;
    let description = Description::parse(field("description").unwrap_or(""))
        .map_err(|e| bad(format!("description: {e}")))?;
    let position = match (field("lat"), field("long")) {
        (Some(lat), Some(lng)) => {
            let (lat, lng) = (lat.parse::<f64>(), lng.parse::<f64>());
            let (Ok(lat), Ok(lng)) = (lat, lng) else {
                return Err(bad("lat and long must be numbers"));
            };
            Some(LatLng::new(lat, lng).map_err(|e| bad(format!("lat/long: {e}")))?)
        }
        (None, None) => None,
        _ => return Err(bad("give both lat and long")),
    };
    let address = field("address_string").map(str::to_owned);
    if position.is_none() && address.is_none() {
        return Err(bad(
            "a location is required: lat and long, or address_string",
        ));
    }
    let contact = field("phone")
        .map(|p| MobileNumber::parse(p).map_err(|e| bad(format!("phone: {e}"))))
        .transpose()?;
    let now = state.clock.now();
    let city = state.city.clone();
    let stored = transact::write(&state, move |tx| {
        let row = NewRow {
            owner: person.id,
            community: &person.community,
            category,
            description: description.as_str(),
            lat: position.map(|p| p.lat()),
            lng: position.map(|p| p.lng()),
            address: address.as_deref(),
            contact: contact.as_ref().map(MobileNumber::as_str),
            anonymous: false,
        };
        let id = store::insert(tx, &city, &row, now)?;
        store::by_id(tx, id)?.ok_or_else(|| ApiError::Internal("the new request vanished".into()))
    })
    .await?;
    let reply = [serde_json::json!({
        "service_request_id": stored.record.tracking,
        "service_notice": "已受理登记 / Registered",
        "account_id": null,
    })];
    Ok((StatusCode::CREATED, Json(reply)).into_response())
}

/// `GET requests.json`: what the key's person may read, filtered as the spec allows.
async fn get_requests(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let fields = pairs(query.as_deref().unwrap_or(""));
    let person = caller(&state, &fields).await?;
    let ids: Option<Vec<String>> = fields
        .get("service_request_id")
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let code = fields.get("service_code").cloned();
    let status = match fields.get("status").map(String::as_str) {
        None | Some("") => None,
        Some("open") => Some(true),
        Some("closed") => Some(false),
        Some(other) => return Err(bad(format!("status {other}: open or closed"))),
    };
    let community = person.community.clone();
    let owner = person.id;
    let staff = person.has(Role::Staff);
    let rows = transact::read(&state, move |conn| {
        Ok(if staff {
            store::queue(conn, &community, None, None)?
        } else {
            store::of_owner(conn, owner)?
        })
    })
    .await?;
    let photos = photo_prefix(&state);
    let list: Vec<GeoRequest> = rows
        .iter()
        .filter(|r| crate::http::requests::may_read(&person, r))
        .filter(|r| {
            ids.as_ref()
                .is_none_or(|ids| ids.contains(&r.record.tracking))
        })
        .filter(|r| {
            code.as_deref()
                .is_none_or(|c| r.record.category.as_str() == c)
        })
        .filter(|r| status.is_none_or(|open| r.record.workflow.state.is_open() == open))
        .map(|r| geo(r, photos.as_deref()))
        .collect();
    Ok(Json(list).into_response())
}

/// `GET requests/{id}.json`.
async fn get_request(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let fields = pairs(query.as_deref().unwrap_or(""));
    let person = caller(&state, &fields).await?;
    let tracking = id.trim_end_matches(".json").to_owned();
    let wanted = tracking.clone();
    let found = transact::read(&state, move |conn| Ok(store::by_tracking(conn, &wanted)?))
        .await?
        .filter(|r| crate::http::requests::may_read(&person, r))
        .ok_or_else(|| Failure(StatusCode::NOT_FOUND, format!("no request {tracking}")))?;
    Ok(Json([geo(&found, photo_prefix(&state).as_deref())]).into_response())
}

async fn not_found() -> Failure {
    Failure(StatusCode::NOT_FOUND, "not a GeoReport v2 resource".into())
}

pub fn router(state: AppState) -> Router {
    let base = state.bundle.base().as_str().to_owned();
    let api = Router::new()
        .route("/services.json", get(services))
        .route("/services/{code}", get(service_definition))
        .route("/requests.json", get(get_requests).post(post_request))
        .route("/requests/{id}", get(get_request))
        .fallback(not_found)
        // The app's outbox sends its key here too: a retried filing never files twice. The key
        // travels in the body here, so keys are scoped by the caller's address.
        .layer(axum::middleware::from_fn_with_state(
            crate::http::idempotency::Guard::tokenless(state.clone()),
            crate::http::idempotency::middleware,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::http::json::BODY_LIMIT,
        ))
        .with_state(state);
    Router::new().nest(&format!("{base}open311/v2"), api)
}
