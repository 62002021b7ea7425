//! Activities: the list, one activity, staff planning and editing, signing up and giving the
//! slot back.

use super::{change_activity, load, may, path_id, store};
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::http::transact::{read, write};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use citizen_core::api::ErrorBody;
use citizen_core::volunteer::{Activity, ActivityDraft, ActivityView, StaffAction};

/// How many ended activities the list shows, the latest first.
pub const ENDED_SHOWN: usize = 50;

/// Activities of my community: those running or upcoming first, by start, then up to 50 that
/// have ended, the latest first. Each with my own sign-up, if any.
#[utoipa::path(
    get, path = "/volunteer/activities", operation_id = "activities", tag = "volunteer", security(("bearer" = [])),
    responses(
        (status = 200, description = "Running and upcoming activities by start, then ended ones (latest first, at most 50)", body = Vec<ActivityView>),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<Vec<ActivityView>>, ApiError> {
    let now = state.clock.now();
    let person = who.person;
    let views = read(&state, move |conn| {
        let me = person.id;
        let activities = store::activities(conn, &person.community, now, ENDED_SHOWN)?;
        Ok(activities
            .iter()
            .map(|a| ActivityView::new(a, Some(me), now))
            .collect())
    })
    .await?;
    Ok(Json(views))
}

/// One activity of my community.
#[utoipa::path(
    get, path = "/volunteer/activities/{id}", operation_id = "activity", tag = "volunteer", security(("bearer" = [])),
    params(("id" = String, Path, description = "The activity's id")),
    responses(
        (status = 200, description = "The activity, with my sign-up if any", body = ActivityView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
    )
)]
pub(super) async fn one(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ActivityView>, ApiError> {
    let id = path_id("activity", id)?;
    let now = state.clock.now();
    let person = who.person;
    let view = read(&state, move |conn| {
        let stored = load(conn, &person.community, &id)?;
        let me = person.id;
        Ok(ActivityView::new(&stored.activity, Some(me), now))
    })
    .await?;
    Ok(Json(view))
}

fn plan(draft: ActivityDraft) -> Result<citizen_core::volunteer::ActivityPlan, ApiError> {
    draft.plan().map_err(|e| ApiError::invalid(e.field(), e))
}

/// Plan an activity (staff). Its check-in secret is made here and never leaves the server.
#[utoipa::path(
    post, path = "/volunteer/activities", tag = "volunteer", security(("bearer" = [])),
    request_body = ActivityDraft,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: planned once")),
    responses(
        (status = 201, description = "Planned", body = ActivityView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "A field breaks a rule: `title` (2–60 characters), `place` (2–100), `details` (1–1,000), `start` or `end` (unreadable, or the end not after the start), `slots` (1–500), `award`", body = ErrorBody),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(draft): ApiJson<ActivityDraft>,
) -> Result<(StatusCode, Json<ActivityView>), ApiError> {
    may(&who.person, StaffAction::PlanActivity)?;
    let plan = plan(draft)?;
    let now = state.clock.now();
    let me = who.person.id;
    let activity = Activity::new(&store::new_id(), &who.person.community, plan, me, now);
    let secret = store::new_secret();
    let view = write(&state, move |conn| {
        store::insert_activity(conn, &activity, &secret)?;
        Ok(ActivityView::new(&activity, Some(me), now))
    })
    .await?;
    tracing::info!(activity = view.id, "volunteer activity planned");
    Ok((StatusCode::CREATED, Json(view)))
}

/// Change an activity's plan (staff). Sign-ups stay; the slots cannot drop below them, and the
/// time is fixed once anyone has checked in.
#[utoipa::path(
    put, path = "/volunteer/activities/{id}", tag = "volunteer", security(("bearer" = [])),
    params(("id" = String, Path, description = "The activity's id")),
    request_body = ActivityDraft,
    responses(
        (status = 200, description = "Changed", body = ActivityView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
        (status = 409, description = "Refused: `slots_below_signups`, `time_locked`", body = ErrorBody),
        (status = 422, description = "A field breaks a rule, as for a new activity", body = ErrorBody),
    )
)]
pub(super) async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<ActivityDraft>,
) -> Result<Json<ActivityView>, ApiError> {
    may(&who.person, StaffAction::EditActivity)?;
    let plan = plan(draft)?;
    change_activity(&state, &who.person, id, move |activity, _, _, _| {
        activity.edit(plan)
    })
    .await
}

/// Sign up for an activity (any body is ignored: the app sends `null`).
#[utoipa::path(
    post, path = "/volunteer/activities/{id}/signup", tag = "volunteer", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The activity's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    responses(
        (status = 200, description = "Signed up: the activity with my sign-up", body = ActivityView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
        (status = 409, description = "Refused: `activity_full`, `activity_ended`, `already_signed_up`", body = ErrorBody),
    )
)]
pub(super) async fn sign_up(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ActivityView>, ApiError> {
    change_activity(&state, &who.person, id, |activity, _, me, now| {
        activity.sign_up(me, now)
    })
    .await
}

/// Give my slot back, before checking in.
#[utoipa::path(
    delete, path = "/volunteer/activities/{id}/signup", tag = "volunteer", security(("bearer" = [])),
    params(("id" = String, Path, description = "The activity's id")),
    responses(
        (status = 200, description = "Cancelled: the activity without my sign-up", body = ActivityView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
        (status = 409, description = "Refused: `not_signed_up`, `already_checked_in`, `activity_ended`", body = ErrorBody),
    )
)]
pub(super) async fn cancel_sign_up(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ActivityView>, ApiError> {
    change_activity(&state, &who.person, id, |activity, _, me, now| {
        activity.cancel_signup(me, now)
    })
    .await
}
