//! Attendance: check-in with the rotating code, check-out, the code staff show, the attendee
//! list and staff verifying the time given (which credits points).

use super::{change_activity, load, may, path_id, store, verify_refusal};
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::http::members::Members;
use crate::http::transact::{read, write_book};
use crate::store::sql::Connection;
use axum::Json;
use axum::extract::{Path, State};
use citizen_core::account::Role;
use citizen_core::api::ErrorBody;
use citizen_core::ids::MemberId;
use citizen_core::volunteer::{
    Activity, ActivityView, Actor, AttendeeView, CheckInBody, CheckInDisplay, Refusal, StaffAction,
    VerifyAttendance, verify_attendance,
};

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
pub(super) async fn check_in(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CheckInBody>,
) -> Result<Json<ActivityView>, ApiError> {
    let person = who.person.id;
    // Counted before the code is compared, so parallel guesses cannot all pass the check.
    let admitted_at = state.clock.now();
    state.check_ins.admit(&state, person, admitted_at).await?;
    let reply = change_activity(&state, &who.person, id, move |activity, stored, me, now| {
        activity
            .check_in(me, &stored.secret, &body.code, now)
            .map(|_| ())
    })
    .await;
    let guessed = matches!(&reply, Err(ApiError::Rule { code, .. })
        if [Refusal::CodeWrong.code(), Refusal::CodeExpired.code()].contains(code));
    if !guessed {
        state
            .check_ins
            .not_a_guess(&state, person, admitted_at)
            .await;
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
pub(super) async fn check_out(
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
pub(super) async fn code(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<CheckInDisplay>, ApiError> {
    may(&who.person, StaffAction::ShowCheckInCode)?;
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
    member: MemberId,
) -> Result<AttendeeView, ApiError> {
    let signup = activity
        .signup(member)
        .ok_or_else(|| ApiError::Internal(format!("the sign-up of {member} vanished")))?;
    let members = Members::of(conn, [member])?;
    Ok(AttendeeView::new(activity, signup, &|m| members.get(m)))
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
pub(super) async fn attendees(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Vec<AttendeeView>>, ApiError> {
    may(&who.person, StaffAction::SeeAttendees)?;
    let id = path_id("activity", id)?;
    let community = who.person.community;
    let views = read(&state, move |conn| {
        let activity = load(conn, &community, &id)?.activity;
        let members = Members::of(conn, activity.signups.iter().map(|s| s.member))?;
        Ok(activity
            .signups
            .iter()
            .map(|s| AttendeeView::new(&activity, s, &|m| members.get(m)))
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
pub(super) async fn verify(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, person)): Path<(String, String)>,
    ApiJson(body): ApiJson<VerifyAttendance>,
) -> Result<Json<AttendeeView>, ApiError> {
    may(&who.person, StaffAction::VerifyAttendance)?;
    let id = path_id("activity", id)?;
    let member: MemberId = person
        .parse()
        .map_err(|_| ApiError::NotFound(format!("person {person}")))?;
    let now = state.clock.now();
    let community = who.person.community.clone();
    let verifier = who.person.id;
    let staff = who.person.has(Role::Staff);
    let view = write_book(&state, community.clone(), move |conn, book| {
        let stored = load(conn, &community, &id)?;
        let mut activity = stored.activity.clone();
        verify_attendance(
            &mut activity,
            book,
            member,
            Actor {
                id: verifier,
                staff,
            },
            body.minutes,
            now,
        )
        .map_err(verify_refusal)?;
        store::save_activity(conn, &stored.activity, &activity)?;
        attendee(conn, &activity, member)
    })
    .await?;
    tracing::info!(
        person = %view.person.id,
        verifier = %who.person.id,
        points = ?view.points,
        "volunteer time verified"
    );
    Ok(Json(view))
}
