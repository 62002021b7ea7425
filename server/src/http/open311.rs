//! Open311 GeoReport v2 (JSON) under `{base}open311/v2/`, so that the app's `open311` backend is
//! tested against a real endpoint here, and city systems that speak the protocol can file and read
//! requests. The same store and the same core rules as `/api/v1/requests`; only the shapes differ,
//! and those are the core's (`citizen_core::georeport::reply`), which the app reads too.
//!
//! - `api_key` is the caller's session token (a resident's or staff member's), in the query string
//!   or, for a POST, the form body. Privacy holds here too: a key reads only what its person may
//!   read, and contacts are never listed.
//! - `jurisdiction_id`: this server is one jurisdiction, named by the host of `--public-url`
//!   (`city.example` for `https://city.example/community/`), as GeoReport names jurisdictions by
//!   domain. Absent or equal (in any case) it is accepted and ignored; another value is a 404.
//!   Without `--public-url` the server has no name for itself and accepts any value.
//! - `GET requests.json`: `service_request_id`, `service_code` and `status` take comma lists;
//!   `start_date`/`end_date` bound `requested_datetime` (90 days at most, the last 90 by default);
//!   given ids override every other parameter (the core's `RequestQuery`).
//! - `POST requests.json` files at once: the reply carries the id and a `token` (128 random bits),
//!   which `GET tokens/{token}.json` turns back into the id, for clients that expect to wait. A
//!   token is a capability for the id only: reading the request still takes its owner's key.
//! - A request's first photo is its `media_url`, an absolute URL of `GET /api/v1/photos/{id}` built
//!   from the configured public URL (`--public-url`); without one, `media_url` is null. It is never
//!   built from the request's `Host` header, which the caller chooses. A POST's `media_url` that is
//!   such a URL of the filer's own unused upload attaches that photo; any other is ignored (the
//!   server never fetches a URL).
//! - Every error is GeoReport's list, `[{"code", "description"}]`: the handlers' own, and whatever
//!   else answers under `/open311/v2` (the router's 405, a body limit's 413, the idempotency
//!   guard's refusals, a panic's 500), rewritten in one place ([`in_geo_shape`]).

use super::transact;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::store::open311 as tokens;
use crate::store::people::Person;
use crate::store::photos as photo_store;
use crate::store::requests::{self as store, NewRow, StoredRequest};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use citizen_core::account::{Role, SessionToken};
use citizen_core::geo::LatLng;
use citizen_core::georeport::reply::{
    Created, GeoError, QueryError, RequestQuery, ServiceRequest, Status, TokenReply,
};
use citizen_core::phone::MobileNumber;
use citizen_core::requests::{CATEGORIES, CategoryCode, PhotoId};
use citizen_core::text::Description;
use citizen_core::time::Timestamp;
use serde::Serialize;

/// A GeoReport error: its status, and the description its list carries.
struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.0, Json([GeoError::new(self.0.as_u16(), self.1)])).into_response()
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

impl From<QueryError> for Failure {
    fn from(e: QueryError) -> Self {
        bad(e.to_string())
    }
}

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw).into_owned().collect()
}

/// A call's parameters: the query string's, and for a POST the form body's. A name in both is
/// read from the body. An `api_key` given in both with different values is refused (400), and a
/// `jurisdiction_id` that is not this server's is a 404 (see the module's notes), for every call.
struct Params {
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
}

/// The first value of `name` in `list`.
fn first<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        first(&self.form, name).or_else(|| first(&self.query, name))
    }

    /// A parameter with text in it, trimmed.
    fn text(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }
}

impl FromRequest<AppState> for Params {
    type Rejection = Failure;

    async fn from_request(request: Request, state: &AppState) -> Result<Params, Failure> {
        let query = pairs(request.uri().query().unwrap_or("").as_bytes());
        let form = if request.method() == Method::POST {
            let body = Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => Failure(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        ApiError::PayloadTooLarge(crate::http::json::BODY_LIMIT).to_string(),
                    ),
                    status => Failure(status, rejection.body_text()),
                })?;
            pairs(&body)
        } else {
            Vec::new()
        };
        let params = Params { query, form };
        if let (Some(a), Some(b)) = (
            first(&params.query, "api_key"),
            first(&params.form, "api_key"),
        ) && a != b
        {
            return Err(bad(
                "api_key is given in the query and in the form, with different values",
            ));
        }
        if let (Some(asked), Some(ours)) = (params.text("jurisdiction_id"), jurisdiction(state))
            && !asked.eq_ignore_ascii_case(ours)
        {
            return Err(Failure(
                StatusCode::NOT_FOUND,
                format!("jurisdiction_id {asked} is not served here: this is {ours}"),
            ));
        }
        Ok(params)
    }
}

/// This server's `jurisdiction_id`: the host of `--public-url`, when one is configured.
fn jurisdiction(state: &AppState) -> Option<&str> {
    state
        .public_url
        .as_ref()
        .map(|url| url.host())
        .filter(|host| !host.is_empty())
}

/// The person behind `api_key`, or 403 as the spec says.
async fn caller(state: &AppState, params: &Params) -> Result<Person, Failure> {
    let forbidden = || {
        Failure(
            StatusCode::FORBIDDEN,
            "api_key is missing or not valid".into(),
        )
    };
    let token = params
        .get("api_key")
        .and_then(SessionToken::parse)
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

/// `GET services.json`. The parameters are read only for their `jurisdiction_id`.
async fn services(_: Params) -> Json<Vec<Service>> {
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

async fn service_definition(Path(code): Path<String>, _: Params) -> Response {
    let code = code.trim_end_matches(".json");
    match CategoryCode::parse(code) {
        Some(c) => Json(serde_json::json!({ "service_code": c.as_str(), "attributes": [] }))
            .into_response(),
        None => Failure(StatusCode::NOT_FOUND, format!("no service {code}")).into_response(),
    }
}

/// The start of a photo's absolute URL, `{public URL}api/v1/photos/`, when one is configured.
fn photo_prefix(state: &AppState) -> Option<String> {
    state
        .public_url
        .as_ref()
        .map(|url| format!("{}api/v1/photos/", url.as_str()))
}

/// The photo a POST's `media_url` names, when it is one of this server's photo URLs: with
/// `--public-url`, exactly `{public URL}api/v1/photos/{id}`; without one, any absolute http(s) URL
/// whose path is `{base}api/v1/photos/{id}` (the host cannot be checked, and need not be: only
/// the filer's own upload is ever attached). Never fetched.
fn named_photo(state: &AppState, media_url: &str) -> Option<PhotoId> {
    let id = match photo_prefix(state) {
        Some(prefix) => media_url.strip_prefix(prefix.as_str())?,
        None => {
            let rest = media_url
                .strip_prefix("https://")
                .or_else(|| media_url.strip_prefix("http://"))?;
            let path = &rest[rest.find('/')?..];
            path.strip_prefix(state.bundle.base().as_str())?
                .strip_prefix("api/v1/photos/")?
        }
    };
    PhotoId::parse(id).ok()
}

/// `photos` is where photos are served ([`photo_prefix`]).
fn geo(r: &StoredRequest, photos: Option<&str>) -> ServiceRequest {
    let category = r.record.category.category();
    ServiceRequest {
        service_request_id: r.record.tracking.clone(),
        status: if r.record.workflow.state.is_open() {
            Status::Open
        } else {
            Status::Closed
        },
        // The latest words on the timeline: a reply, a reason, a note.
        status_notes: r
            .record
            .workflow
            .timeline
            .iter()
            .rev()
            .find_map(|e| e.note.clone()),
        service_name: Some(category.zh.to_owned()),
        service_code: category.code.as_str().to_owned(),
        description: Some(r.record.description.clone()),
        agency_responsible: r.record.workflow.department.map(|d| d.name().zh.to_owned()),
        service_notice: Some(format!("state: {}", r.record.workflow.state)),
        requested_datetime: Some(Timestamp::from_unix_secs(r.record.created_at).to_rfc3339()),
        updated_datetime: Some(Timestamp::from_unix_secs(r.record.updated_at).to_rfc3339()),
        // The workflow promises no date.
        expected_datetime: None,
        address: r.record.address.clone(),
        address_id: None,
        zipcode: None,
        lat: r.record.lat,
        long: r.record.lng,
        media_url: photos
            .zip(r.record.photos.first())
            .map(|(photos, id)| format!("{photos}{id}")),
    }
}

/// A new GeoReport token: 128 random bits as 32 hex digits.
fn new_token() -> Result<String, Failure> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(random.iter().map(|b| format!("{b:02x}")).collect())
}

/// `POST requests.json` (form-encoded). Fields the form does not use are ignored; a `media_url`
/// attaches the filer's photo it names ([`named_photo`]), or is ignored.
async fn post_request(State(state): State<AppState>, params: Params) -> Result<Response, Failure> {
    let person = caller(&state, &params).await?;
    let code = params
        .text("service_code")
        .ok_or_else(|| bad("service_code is required"))?;
    let category = CategoryCode::parse(code)
        .ok_or_else(|| bad(format!("service_code {code} is not a service")))?;
    let description = Description::parse(params.text("description").unwrap_or(""))
        .map_err(|e| bad(format!("description: {e}")))?;
    let position = match (params.text("lat"), params.text("long")) {
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
    let address = params.text("address_string").map(str::to_owned);
    if position.is_none() && address.is_none() {
        return Err(bad(
            "a location is required: lat and long, or address_string",
        ));
    }
    let contact = params
        .text("phone")
        .map(|p| MobileNumber::parse(p).map_err(|e| bad(format!("phone: {e}"))))
        .transpose()?;
    let photo = params
        .text("media_url")
        .and_then(|url| named_photo(&state, url));
    let token = new_token()?;
    let now = state.clock.now();
    let city = state.city.clone();
    let given = token.clone();
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
        tokens::give_token(tx, id, &given)?;
        if let Some(photo) = photo {
            // The same rule as `POST /api/v1/requests`' photos, in the same transaction; a photo
            // that is not the filer's unused upload is left out, as any other URL is.
            match crate::http::requests::check_photos(tx, person.id, std::slice::from_ref(&photo)) {
                Ok(()) => photo_store::attach(tx, id, &[photo])?,
                Err(ApiError::Invalid { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        store::by_id(tx, id)?.ok_or_else(|| ApiError::Internal("the new request vanished".into()))
    })
    .await?;
    tracing::info!(tracking = %stored.record.tracking, "request filed through open311");
    let reply = [Created {
        service_request_id: Some(stored.record.tracking),
        token: Some(token),
        service_notice: Some("已受理登记 / Registered".into()),
        account_id: None,
    }];
    Ok((StatusCode::CREATED, Json(reply)).into_response())
}

/// `GET requests.json`: what the key's person may read, filtered as the spec allows.
async fn get_requests(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Vec<ServiceRequest>>, Failure> {
    let person = caller(&state, &params).await?;
    let now = Timestamp::from_unix_secs(state.clock.now());
    let query = RequestQuery::parse(|name| params.get(name), now)?;
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
    Ok(Json(
        rows.iter()
            .filter(|r| crate::http::requests::may_read(&person, r))
            .map(|r| geo(r, photos.as_deref()))
            .filter(|r| query.admits(r))
            .collect(),
    ))
}

/// `GET requests/{id}.json`.
async fn get_request(
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<[ServiceRequest; 1]>, Failure> {
    let person = caller(&state, &params).await?;
    let tracking = id.trim_end_matches(".json").to_owned();
    let wanted = tracking.clone();
    let found = transact::read(&state, move |conn| Ok(store::by_tracking(conn, &wanted)?))
        .await?
        .filter(|r| crate::http::requests::may_read(&person, r))
        .ok_or_else(|| Failure(StatusCode::NOT_FOUND, format!("no request {tracking}")))?;
    Ok(Json([geo(&found, photo_prefix(&state).as_deref())]))
}

/// `GET tokens/{token}.json`: the id the token stands for, and nothing else. No `api_key`: the
/// token is the capability.
async fn token(
    State(state): State<AppState>,
    Path(token): Path<String>,
    _: Params,
) -> Result<Json<[TokenReply; 1]>, Failure> {
    let token = token.trim_end_matches(".json").to_owned();
    let unknown = || Failure(StatusCode::NOT_FOUND, "no request for this token".into());
    // Only what `new_token` issues is looked up.
    if token.len() != 32
        || !token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(unknown());
    }
    let wanted = token.clone();
    let tracking = transact::read(&state, move |conn| Ok(tokens::tracking_of(conn, &wanted)?))
        .await?
        .ok_or_else(unknown)?;
    Ok(Json([TokenReply {
        service_request_id: Some(tracking),
        token,
    }]))
}

async fn not_found() -> Failure {
    Failure(StatusCode::NOT_FOUND, "not a GeoReport v2 resource".into())
}

/// The largest error body [`in_geo_shape`] reads to reword it.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Every error under `/open311/v2` in GeoReport's shape, with its status and headers (`Allow`,
/// `Retry-After`): a body that is a GeoReport error list already passes; any other error body
/// (our `{"error": {"message"}}`, a plain text, nothing) becomes `[{"code", "description"}]`,
/// its description the message, the text, or for an empty body what the status means.
async fn in_geo_shape(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let request_id = request
        .headers()
        .get(crate::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, ERROR_BODY_LIMIT).await.unwrap_or_default();
    if serde_json::from_slice::<Vec<GeoError>>(&bytes).is_ok_and(|list| !list.is_empty()) {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let message = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned));
    let text = std::str::from_utf8(&bytes)
        .ok()
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with(['{', '[']))
        .map(str::to_owned);
    let description = match (message.or(text), status) {
        (Some(said), _) => said,
        (None, StatusCode::METHOD_NOT_ALLOWED) => format!("{method} is not allowed here"),
        (None, StatusCode::INTERNAL_SERVER_ERROR) => {
            format!("something went wrong on the server (request id {request_id})")
        }
        (None, _) => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let mut reworded = Failure(status, description).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            reworded.headers_mut().append(name, value.clone());
        }
    }
    reworded
}

/// `routes` answering every error in GeoReport's shape, a panic's 500 too (caught here, before
/// the app's catcher words it in the JSON API's shape).
fn in_geo_shapes<S: Clone + Send + Sync + 'static>(routes: Router<S>) -> Router<S> {
    routes
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("an open311 handler panicked");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            },
        ))
        .layer(axum::middleware::from_fn(in_geo_shape))
}

pub fn router(state: AppState) -> Router {
    let base = state.bundle.base().as_str().to_owned();
    let api = Router::new()
        .route("/services.json", get(services))
        .route("/services/{code}", get(service_definition))
        .route("/requests.json", get(get_requests).post(post_request))
        .route("/requests/{id}", get(get_request))
        .route("/tokens/{token}", get(token))
        .fallback(not_found)
        // The app's outbox sends its key here too: a retried filing never files twice. The key
        // travels in the body or the query, so keys are scoped by the caller's address, and the
        // guard hashes the query with the body.
        .layer(axum::middleware::from_fn_with_state(
            crate::http::idempotency::Guard::tokenless(state.clone()),
            crate::http::idempotency::middleware,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::http::json::BODY_LIMIT,
        ));
    // Anything else under `{base}open311` is GeoReport's 404 too, never the app's page.
    Router::new()
        .nest(
            &format!("{base}open311/v2"),
            in_geo_shapes(api).with_state(state),
        )
        .route(&format!("{base}open311"), any(not_found))
        .route(&format!("{base}open311/"), any(not_found))
        .route(&format!("{base}open311/{{*rest}}"), any(not_found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panic_is_a_geo_report_error() {
        let routes = Router::new().route(
            "/boom",
            get(|| async {
                if true {
                    panic!("boom");
                }
            }),
        );
        let reply = in_geo_shapes(routes)
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = to_bytes(reply.into_body(), 4096).await.unwrap();
        let list: Vec<GeoError> = serde_json::from_slice(&body).unwrap();
        assert_eq!(list[0].code, 500);
        assert!(list[0].description.contains("request id"), "{list:?}");
    }
}
