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
use crate::auth::SignedIn;
use crate::clock::rfc3339;
use crate::error::ApiError;
use crate::json::{ApiJson, ApiQuery};
use crate::store::people::Person;
use crate::store::volunteer::{self as store, StoredActivity};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use citizen_core::account::Role;
use citizen_core::api::ErrorBody;
use citizen_core::volunteer::{
    Activity, ActivityDraft, ActivityError, ActivityView, AttendeeView, CheckInBody,
    CheckInDisplay, EntryKind, LeaderboardView, MallItem, MallItemView, Month, NewMallItem,
    PointsAccount, PointsBook, PointsError, RedemptionView, Refusal, Restock, VerifyAttendance,
    leaderboard,
};
use rusqlite::{Connection, TransactionBehavior};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// How many ended activities the list shows, the latest first.
pub const ENDED_SHOWN: usize = 50;

/// A rule's refusal as the API says it: 409 with the core's code, or 422 naming `code` when the
/// typed check-in code is not six digits.
fn refused(refusal: Refusal, reason: impl std::fmt::Display) -> ApiError {
    ApiError::Rule {
        code: refusal.code(),
        message: reason.to_string(),
        field: (refusal == Refusal::CodeMalformed).then_some("code"),
    }
}

fn activity_refusal(e: ActivityError) -> ApiError {
    refused(Refusal::from(&e), e)
}

fn points_refusal(e: PointsError) -> ApiError {
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
    state.check_ins.admit(person, state.clock.now())?;
    let reply = change_activity(&state, &who.person, id, move |activity, stored, me, now| {
        activity
            .check_in(me, &stored.secret, &body.code, now)
            .map(|_| ())
    })
    .await;
    if let Err(ApiError::Rule { code, .. }) = &reply
        && [Refusal::CodeWrong.code(), Refusal::CodeExpired.code()].contains(code)
    {
        state.check_ins.failed(person, state.clock.now());
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
/// credited in the same transaction.
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
        (status = 409, description = "Refused: `already_verified`, `not_checked_in`, `not_signed_up`", body = ErrorBody),
        (status = 422, description = "`minutes`: 0 to 1,440", body = ErrorBody),
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
    let view = with_book(&state, community.clone(), move |conn, book| {
        let stored = load(conn, &community, &id)?;
        let mut activity = stored.activity.clone();
        let verification = activity
            .verify(&member, body.minutes, now)
            .map_err(activity_refusal)?;
        if verification.points > 0 {
            book.award(
                &member,
                &community,
                &activity.id,
                activity.plan.award,
                body.minutes,
                now,
            )
            .map_err(points_refusal)?;
        }
        store::save_activity(conn, &stored.activity, &activity)?;
        attendee(conn, &activity, &member)
    })
    .await?;
    tracing::info!(person = view.person.id, points = ?view.points, "volunteer time verified");
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
        })
    })
    .await?;
    Ok(Json(view))
}

/// Undo a redemption (its redeemer, or staff): the points and the item come back, once.
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
        (status = 409, description = "Refused: `already_cancelled`, `not_a_redemption`", body = ErrorBody),
    )
)]
async fn cancel_redemption(
    State(state): State<AppState>,
    who: SignedIn,
    Path(seq): Path<String>,
) -> Result<Json<RedemptionView>, ApiError> {
    let missing = ApiError::NotFound(format!("redemption {seq}"));
    let Ok(number) = seq.parse::<u64>() else {
        return Err(missing);
    };
    let now = state.clock.now();
    let community = who.person.community.clone();
    let me = who.person.id.to_string();
    let staff = who.person.has(Role::Staff);
    let view = with_book(&state, community.clone(), move |conn, book| {
        let entry = usize::try_from(number)
            .ok()
            .and_then(|i| book.entries().get(i))
            .ok_or(missing)?;
        if let EntryKind::Redeem { member, .. } = &entry.kind
            && *member != me
            && !staff
        {
            return Err(ApiError::NotAllowed(
                "only its redeemer or staff may cancel a redemption".into(),
            ));
        }
        let (member, item_id) = match &book
            .cancel_redemption(number, now)
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
        })
    })
    .await?;
    Ok(Json(view))
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
        .route(
            "/volunteer/redemptions/{seq}/cancel",
            post(cancel_redemption),
        )
        .route("/volunteer/leaderboard", get(ranking))
        .with_state(state)
}
