//! Requests (诉求): residents file and follow their own; staff work their community's queue.
//! Every rule (who may do what, when) is the core's [`Workflow`]; this module stores and shows.

use super::transact::{read, write};
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::{self, ApiJson, ApiQuery};
use crate::store::people::Person;
use crate::store::photos::{self as photo_store, Citation};
use crate::store::requests::{self as store, NewRow, StoredRequest};
use crate::store::sql::Connection;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use citizen_core::account::Role;
use citizen_core::api::ErrorBody;
use citizen_core::ids::MemberId;
use citizen_core::requests::{
    ActorRole, CategoryCode, CommandBody, CommandError, NewRequest, PhotoId, Reader, RequestState,
    RequestStats, RequestView, TransitionError, statistics,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

/// A person as the core's rules see them: their id, and the community whose staff they are.
fn reader(person: &Person) -> Reader<'_> {
    Reader {
        id: person.id,
        staff_of: person.has(Role::Staff).then_some(person.community.as_str()),
    }
}

/// Whether `person` may read `request` (the filer and their community's staff).
pub fn may_read(person: &Person, request: &StoredRequest) -> bool {
    request.record.may_read(reader(person))
}

/// The request as `person` may see it, with the commands they may give now.
fn view(request: &StoredRequest, person: &Person, now: i64) -> RequestView {
    request.record.view(reader(person), now)
}

/// Each photo a new request cites must be the filer's own upload, not cited by another request.
/// Someone else's photo reads as unknown: a filer learns nothing of other people's ids. Open311's
/// `media_url` goes through this too.
pub(crate) fn check_photos(
    conn: &Connection,
    filer: MemberId,
    photos: &[PhotoId],
) -> Result<(), ApiError> {
    for photo in photos {
        match photo_store::citation(conn, photo)? {
            Some(Citation {
                owner,
                request_id: None,
            }) if owner == filer => {}
            Some(Citation {
                owner,
                request_id: Some(_),
            }) if owner == filer => {
                return Err(ApiError::invalid(
                    "photos",
                    format!("photo {photo} belongs to another request already"),
                ));
            }
            _ => {
                return Err(ApiError::invalid(
                    "photos",
                    format!("no photo {photo} of yours: upload it with POST /photos first"),
                ));
            }
        }
    }
    Ok(())
}

/// File a request, with the photos uploaded for it.
#[utoipa::path(
    post, path = "/requests", tag = "requests", security(("bearer" = [])),
    request_body = NewRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "The outbox's key: a retry never files twice")),
    responses(
        (status = 201, description = "Filed; the tracking number is in the body", body = RequestView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not a resident", body = ErrorBody),
        (status = 422, description = "A field breaks a rule (`photos`: more than 9, one twice, not the filer's upload, or cited already)", body = ErrorBody),
    )
)]
async fn file(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(new): ApiJson<NewRequest>,
) -> Result<Response, ApiError> {
    who.require(Role::Resident)?;
    new.check()
        .map_err(|e| ApiError::invalid(e.field, e.reason))?;
    let now = state.clock.now();
    let person = who.person.clone();
    let city = state.city.clone();
    // One write transaction: a photo checked here cannot be cited by another request before
    // this one commits with it.
    let stored = write(&state, move |tx| {
        check_photos(tx, person.id, &new.photos)?;
        let row = NewRow {
            owner: person.id,
            community: &person.community,
            category: new.category,
            description: new.description.as_str(),
            lat: new.position.map(|p| p.lat()),
            lng: new.position.map(|p| p.lng()),
            address: new.address.as_ref().map(|a| a.as_str()),
            contact: new.contact.as_ref().map(|c| c.as_str()),
            anonymous: new.anonymous,
        };
        let id = store::insert(tx, &city, &row, now)?;
        photo_store::attach(tx, id, &new.photos)?;
        store::by_id(tx, id)?.ok_or_else(|| ApiError::Internal("the new request vanished".into()))
    })
    .await?;
    tracing::info!(tracking = %stored.record.tracking, "request filed");
    let location = format!("requests/{}", stored.record.tracking);
    Ok(json::created(location, view(&stored, &who.person, now)))
}

/// My requests, newest first.
#[utoipa::path(
    get, path = "/requests", tag = "requests", security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in person's requests", body = Vec<RequestView>),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
async fn mine(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    let id = who.person.id;
    let rows = read(&state, move |conn| Ok(store::of_owner(conn, id)?)).await?;
    let now = state.clock.now();
    Ok(Json(
        rows.iter().map(|r| view(r, &who.person, now)).collect(),
    ))
}

/// One request: for the person who filed it and for their community's staff. Anyone else gets
/// a 404, as if it did not exist.
#[utoipa::path(
    get, path = "/requests/{tracking}", operation_id = "request", tag = "requests", security(("bearer" = [])),
    params(("tracking" = String, Path, description = "The tracking number, e.g. CD-20261125-000001")),
    responses(
        (status = 200, description = "The request and its timeline", body = RequestView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 404, description = "No such request for this reader", body = ErrorBody),
    )
)]
async fn one(
    State(state): State<AppState>,
    who: SignedIn,
    Path(tracking): Path<String>,
) -> Result<Json<RequestView>, ApiError> {
    let found = {
        let tracking = tracking.clone();
        read(&state, move |conn| Ok(store::by_tracking(conn, &tracking)?)).await?
    };
    let request = found
        .filter(|r| may_read(&who.person, r))
        .ok_or_else(|| ApiError::NotFound(format!("request {tracking}")))?;
    Ok(Json(view(&request, &who.person, state.clock.now())))
}

/// Act on a request: accept, reject, dispatch, start, resolve, verify (staff); confirm, rate,
/// reopen, withdraw, supplement (the resident who filed it). Only what the state machine allows.
#[utoipa::path(
    post, path = "/requests/{tracking}/commands", tag = "requests", security(("bearer" = [])),
    params(
        ("tracking" = String, Path, description = "The tracking number"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    request_body = CommandBody,
    responses(
        (status = 200, description = "Applied; the request now", body = RequestView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not this reader's command", body = ErrorBody),
        (status = 404, description = "No such request for this reader", body = ErrorBody),
        (status = 409, description = "Not possible in the request's state (`transition_refused`), or the request already has its 20 supplements (`too_many_supplements`)", body = ErrorBody),
        (status = 422, description = "A field the command needs is missing or breaks a rule", body = ErrorBody),
    )
)]
async fn command(
    State(state): State<AppState>,
    who: SignedIn,
    Path(tracking): Path<String>,
    ApiJson(body): ApiJson<CommandBody>,
) -> Result<Json<RequestView>, ApiError> {
    let now = state.clock.now();
    let person = who.person.clone();
    // One write transaction from reading to saving: commands on a request never interleave.
    let updated = write(&state, move |tx| {
        let mut request = store::by_tracking(tx, &tracking)?
            .filter(|r| may_read(&person, r))
            .ok_or_else(|| ApiError::NotFound(format!("request {tracking}")))?;
        request
            .record
            .command(reader(&person), &body, now)
            .map_err(|e| match e {
                CommandError::Field(e) => ApiError::invalid(e.field, e.reason),
                CommandError::Forbidden(ActorRole::Staff) => ApiError::Forbidden("staff"),
                CommandError::Forbidden(ActorRole::Resident) => ApiError::Forbidden("resident"),
                CommandError::Refused(e @ TransitionError::TooManySupplements) => ApiError::Rule {
                    code: "too_many_supplements",
                    message: e.to_string(),
                    field: None,
                },
                CommandError::Refused(e) => ApiError::Refused(e.to_string()),
            })?;
        store::save_workflow(tx, request.id, &request.record.workflow, now)?;
        Ok(request)
    })
    .await?;
    Ok(Json(view(&updated, &who.person, now)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct QueueQuery {
    /// Only requests in this state (`submitted`, `accepted`, …).
    #[param(value_type = Option<RequestState>)]
    state: Option<String>,
    /// Only requests of this category (`noise`, `municipal`, …).
    #[param(value_type = Option<CategoryCode>)]
    category: Option<String>,
}

/// The community's queue for staff, oldest first.
#[utoipa::path(
    get, path = "/staff/requests", tag = "staff", security(("bearer" = [])), params(QueueQuery),
    responses(
        (status = 200, description = "Requests of the community", body = Vec<RequestView>),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "An unknown state or category", body = ErrorBody),
    )
)]
async fn queue(
    State(state): State<AppState>,
    who: SignedIn,
    ApiQuery(query): ApiQuery<QueueQuery>,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    who.require(Role::Staff)?;
    let wanted_state = query
        .state
        .as_deref()
        .map(|s| {
            RequestState::parse(s).ok_or_else(|| ApiError::invalid("state", "not a request state"))
        })
        .transpose()?;
    let category = query
        .category
        .as_deref()
        .map(|c| {
            CategoryCode::parse(c)
                .ok_or_else(|| ApiError::invalid("category", "not a request category"))
        })
        .transpose()?;
    let community = who.person.community.clone();
    let rows = read(&state, move |conn| {
        Ok(store::queue(conn, &community, wanted_state, category)?)
    })
    .await?;
    let now = state.clock.now();
    Ok(Json(
        rows.iter().map(|r| view(r, &who.person, now)).collect(),
    ))
}

/// Counts by state, resolution rate, mean satisfaction and median time to resolve.
#[utoipa::path(
    get, path = "/staff/requests/stats", tag = "staff", security(("bearer" = [])),
    responses(
        (status = 200, description = "The community's figures", body = RequestStats),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
    )
)]
async fn stats(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<RequestStats>, ApiError> {
    who.require(Role::Staff)?;
    let community = who.person.community.clone();
    let rows = read(&state, move |conn| {
        Ok(store::queue(conn, &community, None, None)?)
    })
    .await?;
    Ok(Json(statistics(rows.iter().map(|r| &r.record))))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(file, mine))
        .routes(routes!(one))
        .routes(routes!(command))
        .routes(routes!(queue))
        .routes(routes!(stats))
}
