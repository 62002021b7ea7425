//! Volunteering (志愿积分): staff plan activities, residents sign up and check in on site with
//! the rotating code staff show, check out; staff verify the time each gave, which credits
//! points; points buy items in the community's mall; a monthly leaderboard.
//!
//! Every rule is the core's ([`Activity`], [`PointsBook`]). Each change runs in one IMMEDIATE
//! transaction, writers taking turns on `AppState::writes` as the time bank's do: load the
//! activity or the community's points book, apply the core's method, write what it changed,
//! commit. A refusal writes nothing and answers 409 with the core's [`Refusal`] code.

use super::members::{Members, parse_rfc3339};
use super::transact::{read, write};
use crate::AppState;
use crate::clock::rfc3339;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::{ApiJson, ApiQuery};
use crate::store::people::Person;
use crate::store::volunteer::{self as store, StoredActivity};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use citizen_core::account::Role;
use citizen_core::api::ErrorBody;
use citizen_core::volunteer::{
    Activity, ActivityDraft, ActivityError, ActivityView, Actor, AttendeeView, CheckInBody,
    CheckInDisplay, EntryKind, LeaderboardView, MallItem, MallItemView, Month, NewMallItem,
    PointsAccount, PointsBook, PointsError, RedemptionLine, RedemptionState, RedemptionView,
    Refusal, Restock, VerifyAttendance, VerifyError, leaderboard, verify_attendance,
    visible_redemptions,
};
use rusqlite::{Connection, TransactionBehavior};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// How many ended activities the list shows, the latest first.
pub const ENDED_SHOWN: usize = 50;

/// A rule's refusal as the API says it: 409 with the core's code; 422 naming the field when the
/// typed check-in code is not six digits (`code`) or the verified time is 0 (`minutes`); 403 when
/// it is not the caller's to do.
fn refused(refusal: Refusal, reason: impl std::fmt::Display) -> ApiError {
    if refusal.is_forbidden() {
        return ApiError::NotAllowed(reason.to_string());
    }
    let field = match refusal {
        Refusal::CodeMalformed => Some("code"),
        Refusal::ZeroMinutes => Some("minutes"),
        _ => None,
    };
    ApiError::Rule {
        code: refusal.code(),
        message: reason.to_string(),
        field,
    }
}

fn activity_refusal(e: ActivityError) -> ApiError {
    refused(Refusal::from(&e), e)
}

fn points_refusal(e: PointsError) -> ApiError {
    refused(Refusal::from(&e), e)
}

fn verify_refusal(e: VerifyError) -> ApiError {
    refused(Refusal::from(&e), e)
}

/// An activity's or an item's id from the path; one that cannot be an id does not exist.
fn path_id(what: &str, raw: String) -> Result<String, ApiError> {
    if store::valid_id(&raw) {
        Ok(raw)
    } else {
        Err(ApiError::NotFound(format!("{what} {raw}")))
    }
}

/// Runs `op` on `community`'s points book in one write transaction: the book as stored, the
/// operation through the core, the entries it added appended to the ledger, commit. A refusal
/// rolls back (and, the core having written nothing, the book is kept as it was).
async fn with_book<T: Send + 'static>(
    state: &AppState,
    community: String,
    op: impl FnOnce(&Connection, &mut PointsBook) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _turn = state.writes.lock().await;
    let books = Arc::clone(&state.points_books);
    state
        .db
        .run(move |conn| -> Result<T, ApiError> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut book = books.take(&tx, &community)?;
            let mark = book.entries().len();
            let result = op(&tx, &mut book).and_then(|out| {
                store::append(&tx, &community, &book.entries()[mark..])?;
                tx.commit()?;
                Ok(out)
            });
            // Committed, or untouched: either way the book is what the ledger holds.
            if result.is_ok() || book.entries().len() == mark {
                books.keep(&community, book);
            }
            result
        })
        .await
}

/// The activity `id` of `community`, or 404.
fn load(conn: &Connection, community: &str, id: &str) -> Result<StoredActivity, ApiError> {
    store::activity(conn, community, id)?
        .ok_or_else(|| ApiError::NotFound(format!("activity {id}")))
}

/// Applies `change` to an activity of the caller's community in one write transaction, and
/// answers with the activity as the caller sees it afterwards.
async fn change_activity(
    state: &AppState,
    person: &Person,
    id: String,
    change: impl FnOnce(&mut Activity, &StoredActivity, &str, i64) -> Result<(), ActivityError>
    + Send
    + 'static,
) -> Result<Json<ActivityView>, ApiError> {
    let id = path_id("activity", id)?;
    let now = state.clock.now();
    let community = person.community.clone();
    let me = person.id.to_string();
    let view = write(state, move |conn| {
        let stored = load(conn, &community, &id)?;
        let mut activity = stored.activity.clone();
        change(&mut activity, &stored, &me, now).map_err(activity_refusal)?;
        store::save_activity(conn, &stored.activity, &activity)?;
        Ok(ActivityView::new(&activity, Some(&me), now, &rfc3339))
    })
    .await?;
    Ok(Json(view))
}

/// Activities of my community: those running or upcoming first, by start, then up to 50 that
/// have ended, the latest first. Each with my own sign-up, if any.
#[utoipa::path(
    get, path = "/volunteer/activities", operation_id = "activities", tag = "volunteer", security(("bearer" = [])),
    responses(
        (status = 200, description = "Running and upcoming activities by start, then ended ones (latest first, at most 50)", body = Vec<ActivityView>),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
async fn list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<Vec<ActivityView>>, ApiError> {
    let now = state.clock.now();
    let person = who.person;
    let views = read(&state, move |conn| {
        let me = person.id.to_string();
        let activities = store::activities(conn, &person.community, now, ENDED_SHOWN)?;
        Ok(activities
            .iter()
            .map(|a| ActivityView::new(a, Some(&me), now, &rfc3339))
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
async fn one(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ActivityView>, ApiError> {
    let id = path_id("activity", id)?;
    let now = state.clock.now();
    let person = who.person;
    let view = read(&state, move |conn| {
        let stored = load(conn, &person.community, &id)?;
        let me = person.id.to_string();
        Ok(ActivityView::new(
            &stored.activity,
            Some(&me),
            now,
            &rfc3339,
        ))
    })
    .await?;
    Ok(Json(view))
}

fn plan(draft: ActivityDraft) -> Result<citizen_core::volunteer::ActivityPlan, ApiError> {
    draft
        .plan(parse_rfc3339)
        .map_err(|e| ApiError::invalid(e.field(), e))
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
async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(draft): ApiJson<ActivityDraft>,
) -> Result<(StatusCode, Json<ActivityView>), ApiError> {
    who.require(Role::Staff)?;
    let plan = plan(draft)?;
    let now = state.clock.now();
    let me = who.person.id.to_string();
    let activity = Activity::new(&store::new_id(), &who.person.community, plan, &me, now);
    let secret = store::new_secret();
    let view = write(&state, move |conn| {
        store::insert_activity(conn, &activity, &secret)?;
        Ok(ActivityView::new(&activity, Some(&me), now, &rfc3339))
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
async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    ApiJson(draft): ApiJson<ActivityDraft>,
) -> Result<Json<ActivityView>, ApiError> {
    who.require(Role::Staff)?;
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
async fn sign_up(
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
async fn cancel_sign_up(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ActivityView>, ApiError> {
    change_activity(&state, &who.person, id, |activity, _, me, now| {
        activity.cancel_signup(me, now)
    })
    .await
}

/// Check in on site with the six digits staff show (the current code or the one just before).
#[utoipa::path(
    post, path = "/volunteer/activities/{id}/checkin", tag = "volunteer", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The activity's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    request_body = CheckInBody,
    responses(
        (status = 200, description = "Checked in", body = ActivityView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
        (status = 409, description = "Refused: `code_wrong`, `code_expired`, `check_in_not_open`, `check_in_closed`, `not_signed_up`, `already_checked_in`", body = ErrorBody),
        (status = 422, description = "`code` is not 6 digits (`code_malformed`)", body = ErrorBody),
        (status = 429, description = "Too many wrong codes; see Retry-After", body = ErrorBody),
    )
)]
async fn check_in(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CheckInBody>,
) -> Result<Json<ActivityView>, ApiError> {
    let person = who.person.id;
    // Counted before the code is compared, so parallel guesses cannot all pass the check.
    let admitted_at = state.clock.now();
    state.check_ins.admit(person, admitted_at)?;
    let reply = change_activity(&state, &who.person, id, move |activity, stored, me, now| {
        activity
            .check_in(me, &stored.secret, &body.code, now)
            .map(|_| ())
    })
    .await;
    let guessed = matches!(&reply, Err(ApiError::Rule { code, .. })
        if [Refusal::CodeWrong.code(), Refusal::CodeExpired.code()].contains(code));
    if !guessed {
        state.check_ins.not_a_guess(person, admitted_at);
    }
    reply
}

/// Check out (any body is ignored: the app sends `null`). Staff verify the time anyway.
#[utoipa::path(
    post, path = "/volunteer/activities/{id}/checkout", tag = "volunteer", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The activity's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    responses(
        (status = 200, description = "Checked out", body = ActivityView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
        (status = 409, description = "Refused: `not_signed_up`, `not_checked_in`, `already_checked_out`", body = ErrorBody),
    )
)]
async fn check_out(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ActivityView>, ApiError> {
    change_activity(&state, &who.person, id, |activity, _, me, now| {
        activity.check_out(me, now).map(|_| ())
    })
    .await
}

/// The check-in code to show now (staff), and how long it lasts.
#[utoipa::path(
    get, path = "/volunteer/activities/{id}/code", tag = "volunteer", security(("bearer" = [])),
    params(("id" = String, Path, description = "The activity's id")),
    responses(
        (status = 200, description = "The code of this moment", body = CheckInDisplay),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
    )
)]
async fn code(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<CheckInDisplay>, ApiError> {
    who.require(Role::Staff)?;
    let id = path_id("activity", id)?;
    let now = state.clock.now();
    let community = who.person.community;
    let display = read(&state, move |conn| {
        let stored = load(conn, &community, &id)?;
        Ok(CheckInDisplay::new(&stored.activity, &stored.secret, now))
    })
    .await?;
    Ok(Json(display))
}

fn attendee(
    conn: &Connection,
    activity: &Activity,
    member: &str,
) -> Result<AttendeeView, ApiError> {
    let signup = activity
        .signup(member)
        .ok_or_else(|| ApiError::Internal(format!("the sign-up of {member} vanished")))?;
    let members = Members::of(conn, [member])?;
    Ok(AttendeeView::new(
        activity,
        signup,
        &|m| members.get(m),
        &rfc3339,
    ))
}

/// Who signed up, in sign-up order, with their check-in and check-out and the minutes these
/// suggest (staff).
#[utoipa::path(
    get, path = "/volunteer/activities/{id}/attendees", tag = "volunteer", security(("bearer" = [])),
    params(("id" = String, Path, description = "The activity's id")),
    responses(
        (status = 200, description = "The people signed up", body = Vec<AttendeeView>),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
    )
)]
async fn attendees(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Vec<AttendeeView>>, ApiError> {
    who.require(Role::Staff)?;
    let id = path_id("activity", id)?;
    let community = who.person.community;
    let views = read(&state, move |conn| {
        let activity = load(conn, &community, &id)?.activity;
        let members = Members::of(conn, activity.signups.iter().map(|s| s.member.as_str()))?;
        Ok(activity
            .signups
            .iter()
            .map(|s| AttendeeView::new(&activity, s, &|m| members.get(m), &rfc3339))
            .collect())
    })
    .await?;
    Ok(Json(views))
}

/// Verify the time a person gave (staff), once: the activity's rule turns it into points,
/// credited in the same transaction. Nobody verifies their own attendance (staff who planned an
/// activity and took part need a colleague); 0 minutes is refused; a fixed award needs the
/// person to have checked out.
#[utoipa::path(
    post, path = "/volunteer/activities/{id}/attendees/{person}/verify", tag = "volunteer", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The activity's id"),
        ("person" = i64, Path, description = "The person's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: credited once"),
    ),
    request_body = VerifyAttendance,
    responses(
        (status = 200, description = "Verified; `points` credited (none when the rule earns 0 for this time)", body = AttendeeView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such activity in my community", body = ErrorBody),
        (status = 409, description = "Refused: `own_attendance` (verifying oneself), `not_checked_out` (a fixed award before check-out), `already_verified`, `not_checked_in`, `not_signed_up`", body = ErrorBody),
        (status = 422, description = "`minutes`: 1 to 1,440 (0 is `zero_minutes`)", body = ErrorBody),
    )
)]
async fn verify(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, person)): Path<(String, String)>,
    ApiJson(body): ApiJson<VerifyAttendance>,
) -> Result<Json<AttendeeView>, ApiError> {
    who.require(Role::Staff)?;
    let id = path_id("activity", id)?;
    let member = person
        .parse::<i64>()
        .map_err(|_| ApiError::NotFound(format!("person {person}")))?
        .to_string();
    let now = state.clock.now();
    let community = who.person.community.clone();
    let verifier = who.person.id.to_string();
    let view = with_book(&state, community.clone(), move |conn, book| {
        let stored = load(conn, &community, &id)?;
        let mut activity = stored.activity.clone();
        verify_attendance(&mut activity, book, &member, &verifier, body.minutes, now)
            .map_err(verify_refusal)?;
        store::save_activity(conn, &stored.activity, &activity)?;
        attendee(conn, &activity, &member)
    })
    .await?;
    tracing::info!(
        person = view.person.id,
        verifier = who.person.id,
        points = ?view.points,
        "volunteer time verified"
    );
    Ok(Json(view))
}

/// My points: balance, verified time, star level, and my history (newest first).
#[utoipa::path(
    get, path = "/volunteer/points", tag = "volunteer", security(("bearer" = [])),
    responses(
        (status = 200, description = "My points account", body = PointsAccount),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
async fn points(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<PointsAccount>, ApiError> {
    let person = who.person;
    let books = Arc::clone(&state.points_books);
    let account = read(&state, move |conn| {
        let community = person.community.as_str();
        let me = person.id.to_string();
        let book = books.read(conn, community)?;
        let items: HashMap<String, String> = store::items(conn, community)?
            .into_iter()
            .map(|item| (item.id, item.name.as_str().to_owned()))
            .collect();
        let history = book.history(&me);
        let titles = store::titles(
            conn,
            community,
            history.iter().filter_map(|line| match &line.entry.kind {
                EntryKind::Award { activity, .. } => Some(activity.as_str()),
                _ => None,
            }),
        )?;
        let what = |kind: &EntryKind| {
            let (names, key) = match kind {
                EntryKind::Award { activity, .. } => (&titles, activity),
                EntryKind::Redeem { item, .. }
                | EntryKind::CancelRedeem { item, .. }
                | EntryKind::HandOver { item, .. }
                | EntryKind::Restock { item, .. } => (&items, item),
            };
            names.get(key).cloned().unwrap_or_else(|| key.clone())
        };
        Ok(PointsAccount::new(&book, &me, &what).with_times(&book, &rfc3339))
    })
    .await?;
    Ok(Json(account))
}

/// The points mall of my community, with what is in stock.
#[utoipa::path(
    get, path = "/volunteer/mall", tag = "volunteer", security(("bearer" = [])),
    responses(
        (status = 200, description = "Items in the order staff added them", body = Vec<MallItemView>),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
async fn mall(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<Vec<MallItemView>>, ApiError> {
    let community = who.person.community;
    let books = Arc::clone(&state.points_books);
    let items = read(&state, move |conn| {
        let book = books.read(conn, &community)?;
        Ok(store::items(conn, &community)?
            .iter()
            .map(|item| MallItemView::new(item, &book))
            .collect())
    })
    .await?;
    Ok(Json(items))
}

/// The item `id` of `community`, or 404.
fn item(conn: &Connection, community: &str, id: &str) -> Result<MallItem, ApiError> {
    store::item(conn, community, id)?.ok_or_else(|| ApiError::NotFound(format!("mall item {id}")))
}

/// Put a new item in the mall with its first stock (staff).
#[utoipa::path(
    post, path = "/volunteer/mall", tag = "volunteer", security(("bearer" = [])),
    request_body = NewMallItem,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: added once")),
    responses(
        (status = 201, description = "Added", body = MallItemView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "A field breaks a rule: `name` (2–40 characters), `details` (1–200), `price` (1–1,000,000), `stock` (1–10,000)", body = ErrorBody),
    )
)]
async fn add_item(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(body): ApiJson<NewMallItem>,
) -> Result<(StatusCode, Json<MallItemView>), ApiError> {
    who.require(Role::Staff)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let item = MallItem {
        id: store::new_id(),
        community: community.clone(),
        name: body.name,
        details: body.details,
        price: body.price,
    };
    let view = with_book(&state, community, move |conn, book| {
        store::insert_item(conn, &item, now)?;
        book.restock(&item.id, body.stock.get(), now)
            .map_err(points_refusal)?;
        Ok(MallItemView::new(&item, book))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Add stock to an item (staff).
#[utoipa::path(
    post, path = "/volunteer/mall/{id}/restock", tag = "volunteer", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The item's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: restocked once"),
    ),
    request_body = Restock,
    responses(
        (status = 200, description = "Restocked", body = MallItemView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such item in my community", body = ErrorBody),
        (status = 422, description = "`quantity`: 1–10,000", body = ErrorBody),
    )
)]
async fn restock(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Restock>,
) -> Result<Json<MallItemView>, ApiError> {
    who.require(Role::Staff)?;
    let id = path_id("mall item", id)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let view = with_book(&state, community.clone(), move |conn, book| {
        let item = item(conn, &community, &id)?;
        book.restock(&item.id, body.quantity.get(), now)
            .map_err(points_refusal)?;
        Ok(MallItemView::new(&item, book))
    })
    .await?;
    Ok(Json(view))
}

/// Spend points on one item (any body is ignored: the app sends `null`).
#[utoipa::path(
    post, path = "/volunteer/mall/{id}/redeem", tag = "volunteer", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The item's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: redeemed once"),
    ),
    responses(
        (status = 200, description = "Redeemed: the item's stock and my balance after", body = RedemptionView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 404, description = "No such item in my community", body = ErrorBody),
        (status = 409, description = "Refused: `out_of_stock`, `not_enough_points`", body = ErrorBody),
    )
)]
async fn redeem(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<RedemptionView>, ApiError> {
    let id = path_id("mall item", id)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let me = who.person.id.to_string();
    let view = with_book(&state, community.clone(), move |conn, book| {
        let item = item(conn, &community, &id)?;
        let seq = book
            .redeem(&me, &item.id, item.price, now)
            .map_err(points_refusal)?
            .seq;
        Ok(RedemptionView {
            seq,
            item: MallItemView::new(&item, book),
            balance: book.balance(&me),
            cancelled: false,
            state: RedemptionState::Waiting,
        })
    })
    .await?;
    Ok(Json(view))
}

/// The ledger entry named in a path: a number, or 404.
fn path_seq(raw: &str) -> Result<u64, ApiError> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::NotFound(format!("redemption {raw}")))
}

/// Undo a redemption: the points and the item come back, once. Before it is handed over its
/// redeemer or staff may cancel it; after, only staff other than the redeemer.
#[utoipa::path(
    post, path = "/volunteer/redemptions/{seq}/cancel", tag = "volunteer", security(("bearer" = [])),
    params(
        ("seq" = u64, Path, description = "The redemption's ledger entry"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    responses(
        (status = 200, description = "Cancelled: the item's stock and the redeemer's balance after", body = RedemptionView),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Someone else's redemption, and not staff", body = ErrorBody),
        (status = 404, description = "No such ledger entry in my community", body = ErrorBody),
        (status = 409, description = "Refused: `already_cancelled`, `not_a_redemption`, `handed_over` (the item was handed over: only staff may cancel), `own_redemption` (staff taking back their own after hand-over)", body = ErrorBody),
    )
)]
async fn cancel_redemption(
    State(state): State<AppState>,
    who: SignedIn,
    Path(seq): Path<String>,
) -> Result<Json<RedemptionView>, ApiError> {
    let number = path_seq(&seq)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let me = who.person.id.to_string();
    let staff = who.person.has(Role::Staff);
    let view = with_book(&state, community.clone(), move |conn, book| {
        if usize::try_from(number)
            .ok()
            .and_then(|i| book.entries().get(i))
            .is_none()
        {
            return Err(ApiError::NotFound(format!("redemption {number}")));
        }
        let (member, item_id) = match &book
            .cancel_redemption(number, Actor { id: &me, staff }, now)
            .map_err(points_refusal)?
            .kind
        {
            EntryKind::CancelRedeem { member, item, .. } => (member.clone(), item.clone()),
            other => {
                return Err(ApiError::Internal(format!(
                    "a cancellation recorded as {other:?}"
                )));
            }
        };
        let item = item(conn, &community, &item_id)?;
        Ok(RedemptionView {
            seq: number,
            item: MallItemView::new(&item, book),
            balance: book.balance(&member),
            cancelled: true,
            state: RedemptionState::Cancelled,
        })
    })
    .await?;
    tracing::info!(
        redemption = number,
        by = who.person.id,
        "redemption cancelled"
    );
    Ok(Json(view))
}

/// The redemption at `seq` as a line, with its redeemer's name and its item's name.
fn redemption_lines(
    conn: &Connection,
    community: &str,
    found: &[citizen_core::volunteer::Redemption<'_>],
) -> Result<Vec<RedemptionLine>, ApiError> {
    let names: HashMap<String, String> = store::items(conn, community)?
        .into_iter()
        .map(|item| (item.id, item.name.as_str().to_owned()))
        .collect();
    let members = Members::of(conn, found.iter().map(|r| r.member))?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    Ok(found
        .iter()
        .map(|r| RedemptionLine::new(r, &|m| members.get(m), &name, &rfc3339))
        .collect())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct RedemptionsQuery {
    /// Only redemptions in this state: `waiting` (to be collected), `handed_over`, `cancelled`.
    #[param(value_type = Option<String>, pattern = "^(waiting|handed_over|cancelled)$")]
    state: Option<String>,
}

/// Redemptions, newest first (at most 200): staff see their community's, to hand items over at
/// the counter; anyone else sees only their own.
#[utoipa::path(
    get, path = "/volunteer/redemptions", tag = "volunteer", security(("bearer" = [])),
    params(RedemptionsQuery),
    responses(
        (status = 200, description = "Redemptions, newest first", body = Vec<RedemptionLine>),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 422, description = "`state` is not `waiting`, `handed_over` or `cancelled`", body = ErrorBody),
    )
)]
async fn redemptions(
    State(state): State<AppState>,
    who: SignedIn,
    ApiQuery(query): ApiQuery<RedemptionsQuery>,
) -> Result<Json<Vec<RedemptionLine>>, ApiError> {
    let wanted = match query.state.as_deref() {
        None => None,
        Some(raw) => Some(RedemptionState::parse(raw.trim()).ok_or_else(|| {
            ApiError::invalid("state", "a state is waiting, handed_over or cancelled")
        })?),
    };
    let person = who.person;
    let staff = person.has(Role::Staff);
    let books = Arc::clone(&state.points_books);
    let lines = read(&state, move |conn| {
        let community = person.community.as_str();
        let me = person.id.to_string();
        let book = books.read(conn, community)?;
        let found = visible_redemptions(&book, &me, staff, wanted);
        redemption_lines(conn, community, &found)
    })
    .await?;
    Ok(Json(lines))
}

/// Mark a redemption handed over at the counter (staff, once, never their own). After this only
/// staff may cancel it.
#[utoipa::path(
    post, path = "/volunteer/redemptions/{seq}/handover", tag = "volunteer", security(("bearer" = [])),
    params(
        ("seq" = u64, Path, description = "The redemption's ledger entry"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    responses(
        (status = 200, description = "Handed over", body = RedemptionLine),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such ledger entry in my community", body = ErrorBody),
        (status = 409, description = "Refused: `already_handed_over`, `already_cancelled`, `not_a_redemption`, `own_redemption` (staff handing over to themselves)", body = ErrorBody),
    )
)]
async fn hand_over(
    State(state): State<AppState>,
    who: SignedIn,
    Path(seq): Path<String>,
) -> Result<Json<RedemptionLine>, ApiError> {
    who.require(Role::Staff)?;
    let number = path_seq(&seq)?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let me = who.person.id.to_string();
    let line = with_book(&state, community.clone(), move |conn, book| {
        if usize::try_from(number)
            .ok()
            .and_then(|i| book.entries().get(i))
            .is_none()
        {
            return Err(ApiError::NotFound(format!("redemption {number}")));
        }
        book.hand_over(number, Actor::staff(&me), now)
            .map_err(points_refusal)?;
        let found = book
            .redemption(number)
            .ok_or_else(|| ApiError::Internal(format!("redemption {number} vanished")))?;
        let mut lines = redemption_lines(conn, &community, &[found])?;
        lines
            .pop()
            .ok_or_else(|| ApiError::Internal("no line for a redemption".into()))
    })
    .await?;
    tracing::info!(
        redemption = number,
        by = who.person.id,
        "redemption handed over"
    );
    Ok(Json(line))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct LeaderboardQuery {
    /// `YYYY-MM`, China time (this month when left out).
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    month: Option<String>,
}

/// `[start, end)` of a month in China (UTC+8), in Unix seconds.
fn month_bounds(month: Month) -> Option<(i64, i64)> {
    let first = |year: i32, month: u32| {
        chrono::NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp() - 8 * 3600)
    };
    let (year, number) = (month.year(), u32::from(month.month()));
    let (next_year, next) = if number == 12 {
        (year + 1, 1)
    } else {
        (year, number + 1)
    };
    Some((first(year, number)?, first(next_year, next)?))
}

/// The month's leaderboard of my community: points awarded that month (spending does not lower
/// a place), names shortened, my row marked.
#[utoipa::path(
    get, path = "/volunteer/leaderboard", tag = "volunteer", security(("bearer" = [])),
    params(LeaderboardQuery),
    responses(
        (status = 200, description = "The month's places, most points first (equal points share a rank)", body = LeaderboardView),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 422, description = "`month` is not written like 2026-11", body = ErrorBody),
    )
)]
async fn ranking(
    State(state): State<AppState>,
    who: SignedIn,
    ApiQuery(query): ApiQuery<LeaderboardQuery>,
) -> Result<Json<LeaderboardView>, ApiError> {
    let month = match query.month {
        Some(raw) => Month::parse(raw.trim()).map_err(|e| ApiError::invalid("month", e))?,
        None => Month::in_china(state.clock.now()),
    };
    let (from, to) =
        month_bounds(month).ok_or_else(|| ApiError::invalid("month", "no such month"))?;
    let person = who.person;
    let view = read(&state, move |conn| {
        let community = person.community.as_str();
        let awards = store::awards_between(conn, community, from, to)?;
        let rows = leaderboard(&awards, community, month);
        let members = Members::of(conn, rows.iter().map(|r| r.member.as_str()))?;
        let me = person.id.to_string();
        Ok(LeaderboardView::new(month, rows, Some(&me), &|m| {
            members.get(m).name
        }))
    })
    .await?;
    Ok(Json(view))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/volunteer/activities", get(list).post(create))
        .route("/volunteer/activities/{id}", get(one).put(edit))
        .route(
            "/volunteer/activities/{id}/signup",
            post(sign_up).delete(cancel_sign_up),
        )
        .route("/volunteer/activities/{id}/checkin", post(check_in))
        .route("/volunteer/activities/{id}/checkout", post(check_out))
        .route("/volunteer/activities/{id}/code", get(code))
        .route("/volunteer/activities/{id}/attendees", get(attendees))
        .route(
            "/volunteer/activities/{id}/attendees/{person}/verify",
            post(verify),
        )
        .route("/volunteer/points", get(points))
        .route("/volunteer/mall", get(mall).post(add_item))
        .route("/volunteer/mall/{id}/restock", post(restock))
        .route("/volunteer/mall/{id}/redeem", post(redeem))
        .route("/volunteer/redemptions", get(redemptions))
        .route(
            "/volunteer/redemptions/{seq}/cancel",
            post(cancel_redemption),
        )
        .route("/volunteer/redemptions/{seq}/handover", post(hand_over))
        .route("/volunteer/leaderboard", get(ranking))
        .with_state(state)
}
