//! Requests (诉求): residents file and follow their own; staff work their community's queue.
//! Every rule (who may do what, when) is the core's [`Workflow`]; this module stores and shows.

use crate::AppState;
use crate::auth::SignedIn;
use crate::clock::rfc3339;
use crate::error::ApiError;
use crate::json::{ApiJson, ApiQuery};
use crate::store::people::Person;
use crate::store::photos::{self as photo_store, Citation};
use crate::store::requests::{self as store, NewRow, StoredRequest};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use citizen_core::account::Role;
use citizen_core::api::ErrorBody;
use citizen_core::requests::{
    Actor, ActorRole, CategoryCode, CommandBody, CommandKind, NewRequest, PhotoId, RequestState,
    RequestStats, RequestView, StateCount, TransitionError, Workflow,
};
use rusqlite::{Connection, TransactionBehavior};
use serde::Deserialize;

fn is_staff_of(person: &Person, request: &StoredRequest) -> bool {
    person.has(Role::Staff) && person.community == request.community
}

fn is_owner(person: &Person, request: &StoredRequest) -> bool {
    person.id == request.owner_id
}

/// The request as `reader` may see it, with the commands `reader` may give now.
fn view(request: &StoredRequest, reader: &Person, now: i64) -> RequestView {
    let owner = is_owner(reader, request);
    let staff = is_staff_of(reader, request);
    let id = reader.id.to_string();
    let mut allowed = Vec::new();
    if owner {
        let actor = Actor {
            id: id.clone(),
            role: ActorRole::Resident,
        };
        allowed.extend(request.workflow.allowed(&actor, now));
    }
    if staff {
        let actor = Actor {
            id,
            role: ActorRole::Staff,
        };
        allowed.extend(request.workflow.allowed(&actor, now));
    }
    RequestView {
        tracking: request.tracking.clone(),
        category: request.category,
        description: request.description.clone(),
        state: request.workflow.state,
        department: request.workflow.department,
        lat: request.lat,
        lng: request.lng,
        address: request.address.clone(),
        anonymous: request.anonymous,
        // Intake staff may call back even about an anonymous request; nobody else may see it.
        contact: (owner || staff).then(|| request.contact.clone()).flatten(),
        photos: request.photos.clone(),
        rating: request.workflow.rating,
        created_at: rfc3339(request.created_at),
        updated_at: rfc3339(request.updated_at),
        timeline: request.workflow.timeline.clone(),
        allowed,
    }
}

/// Each photo a new request cites must be the filer's own upload, not cited by another request.
/// Someone else's photo reads as unknown: a filer learns nothing of other people's ids.
fn check_photos(conn: &Connection, filer: i64, photos: &[PhotoId]) -> Result<(), ApiError> {
    for photo in photos {
        match photo_store::citation(conn, photo)? {
            Some(Citation {
                owner_id,
                request_id: None,
            }) if owner_id == filer => {}
            Some(Citation {
                owner_id,
                request_id: Some(_),
            }) if owner_id == filer => {
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
    let stored = state
        .db
        .run(move |conn| -> Result<StoredRequest, ApiError> {
            // One write transaction: a photo checked here cannot be cited by another request
            // before this one commits with it.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            check_photos(&tx, person.id, &new.photos)?;
            let workflow = Workflow::submit(&person.id.to_string(), now);
            let row = NewRow {
                owner_id: person.id,
                community: &person.community,
                category: new.category,
                description: new.description.as_str(),
                lat: new.position.map(|p| p.lat()),
                lng: new.position.map(|p| p.lng()),
                address: new.address.as_ref().map(|a| a.as_str()),
                contact: new.contact.as_ref().map(|c| c.as_str()),
                anonymous: new.anonymous,
                workflow: &workflow,
            };
            let id = store::insert(&tx, &city, &row, now)?;
            photo_store::attach(&tx, id, &new.photos)?;
            let stored = store::by_id(&tx, id)?
                .ok_or_else(|| ApiError::Internal("the new request vanished".into()))?;
            tx.commit()?;
            Ok(stored)
        })
        .await?;
    tracing::info!(tracking = %stored.tracking, "request filed");
    let location = format!("requests/{}", stored.tracking);
    let body = view(&stored, &who.person, now);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response())
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
    let rows = state
        .db
        .run(move |conn| store::of_owner(conn, id).map_err(ApiError::from))
        .await?;
    let now = state.clock.now();
    Ok(Json(
        rows.iter().map(|r| view(r, &who.person, now)).collect(),
    ))
}

/// One request: for the person who filed it and for their community's staff. Anyone else gets
/// a 404, as if it did not exist.
#[utoipa::path(
    get, path = "/requests/{tracking}", tag = "requests", security(("bearer" = [])),
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
        state
            .db
            .run(move |conn| store::by_tracking(conn, &tracking).map_err(ApiError::from))
            .await?
    };
    let request = found
        .filter(|r| is_owner(&who.person, r) || is_staff_of(&who.person, r))
        .ok_or_else(|| ApiError::NotFound(format!("request {tracking}")))?;
    Ok(Json(view(&request, &who.person, state.clock.now())))
}

fn refused(error: TransitionError) -> ApiError {
    match error {
        TransitionError::WrongRole { needed, .. } => ApiError::Forbidden(match needed {
            ActorRole::Staff => "staff",
            ActorRole::Resident => "resident",
        }),
        TransitionError::NotOwner { .. } => ApiError::Forbidden("resident"),
        other => ApiError::Refused(other.to_string()),
    }
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
        (status = 409, description = "Not possible in the request's state (`transition_refused`)", body = ErrorBody),
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
    let updated = state
        .db
        .run(move |conn| -> Result<StoredRequest, ApiError> {
            // One write transaction from reading to saving: commands on a request never interleave.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut request = store::by_tracking(&tx, &tracking)?
                .filter(|r| is_owner(&person, r) || is_staff_of(&person, r))
                .ok_or_else(|| ApiError::NotFound(format!("request {tracking}")))?;
            let command = body
                .command(request.category)
                .map_err(|e| ApiError::invalid(e.field, e.reason))?;
            let role = command.kind().role();
            if role == ActorRole::Staff && !is_staff_of(&person, &request) {
                return Err(ApiError::Forbidden("staff"));
            }
            let actor = Actor {
                id: person.id.to_string(),
                role,
            };
            request
                .workflow
                .apply(&actor, command, now)
                .map_err(refused)?;
            store::save_workflow(&tx, request.id, &request.workflow, now)?;
            tx.commit()?;
            request.updated_at = now;
            Ok(request)
        })
        .await?;
    Ok(Json(view(&updated, &who.person, now)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct QueueQuery {
    /// Only requests in this state (`submitted`, `accepted`, …).
    state: Option<String>,
    /// Only requests of this category (`noise`, `municipal`, …).
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
    let rows = state
        .db
        .run(move |conn| {
            store::queue(conn, &community, wanted_state, category).map_err(ApiError::from)
        })
        .await?;
    let now = state.clock.now();
    Ok(Json(
        rows.iter().map(|r| view(r, &who.person, now)).collect(),
    ))
}

fn statistics(rows: &[StoredRequest]) -> RequestStats {
    let count = |s: RequestState| rows.iter().filter(|r| r.workflow.state == s).count() as u64;
    let by_state = RequestState::ALL
        .into_iter()
        .map(|state| StateCount {
            state,
            count: count(state),
        })
        .collect();
    let considered = rows.len() as u64 - count(RequestState::Withdrawn);
    let done =
        count(RequestState::Resolved) + count(RequestState::Closed) + count(RequestState::Rated);
    let stars: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.workflow.rating)
        .map(|s| f64::from(s.get()))
        .collect();
    let mut hours: Vec<f64> = rows
        .iter()
        .filter_map(|r| {
            let resolved = r
                .workflow
                .timeline
                .iter()
                .find(|e| e.kind == CommandKind::Resolve)?;
            Some((resolved.at - r.created_at) as f64 / 3600.0)
        })
        .collect();
    hours.sort_by(f64::total_cmp);
    let median = match hours.len() {
        0 => None,
        n if n % 2 == 1 => Some(hours[n / 2]),
        n => Some((hours[n / 2 - 1] + hours[n / 2]) / 2.0),
    };
    RequestStats {
        total: rows.len() as u64,
        by_state,
        resolution_rate: if considered == 0 {
            0.0
        } else {
            done as f64 / considered as f64
        },
        mean_stars: (!stars.is_empty()).then(|| stars.iter().sum::<f64>() / stars.len() as f64),
        median_hours_to_resolve: median,
    }
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
    let rows = state
        .db
        .run(move |conn| store::queue(conn, &community, None, None).map_err(ApiError::from))
        .await?;
    Ok(Json(statistics(&rows)))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/requests", post(file).get(mine))
        .route("/requests/{tracking}", get(one))
        .route("/requests/{tracking}/commands", post(command))
        .route("/staff/requests", get(queue))
        .route("/staff/requests/stats", get(stats))
        .with_state(state)
}
