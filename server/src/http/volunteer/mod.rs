//! Volunteering (志愿积分): staff plan activities, residents sign up and check in on site with
//! the rotating code staff show, check out; staff verify the time each gave, which credits
//! points; points buy items in the community's mall; a monthly leaderboard.
//!
//! Every rule is the core's ([`Activity`], `PointsBook`, and who may do what in
//! `citizen_core::volunteer::access`, asked through [`Actor`]). Each change runs in one write
//! transaction through `transact` (`write`, or `write_book` for the community's points book):
//! load the activity or the book, apply the core's method, write what it changed, commit. A
//! refusal writes nothing and answers 409 with the core's [`Refusal`] code.
//!
//! One file per sub-area: `activities` (list, plan, edit, sign up), `attendance` (check-in and
//! out, the code, attendees, verifying), `mall` (items, redemptions, the counter), `points` (my
//! account with its star level, the leaderboard). Star levels have no route of their own.

pub(super) mod activities;
pub(super) mod attendance;
pub(super) mod mall;
pub(super) mod points;

use crate::AppState;
use crate::http::error::ApiError;
use crate::http::transact::write;
use crate::store::people::Person;
use crate::store::sql::Connection;
use crate::store::volunteer::{self as store, StoredActivity};
use axum::Json;
use citizen_core::account::Role;
use citizen_core::ids::MemberId;
use citizen_core::volunteer::{
    Activity, ActivityError, ActivityView, Actor, PointsError, Refusal, StaffAction, StaffOnly,
    VerifyError,
};
use utoipa_axum::{router::OpenApiRouter, routes};

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

/// Whether `person` may take a staff action, as the core decides ([`Actor::may`]), asked before
/// anything is loaded. Refused as every staff-only route refuses: 403, "this needs the staff
/// role".
fn may(person: &Person, action: StaffAction) -> Result<(), ApiError> {
    let id = person.id;
    let actor = Actor {
        id,
        staff: person.has(Role::Staff),
    };
    actor
        .may(action)
        .map_err(|StaffOnly(_)| ApiError::Forbidden(Role::Staff.as_str()))
}

/// An activity's or an item's id from the path; one that cannot be an id does not exist.
fn path_id(what: &str, raw: String) -> Result<String, ApiError> {
    if store::valid_id(&raw) {
        Ok(raw)
    } else {
        Err(ApiError::NotFound(format!("{what} {raw}")))
    }
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
    change: impl FnOnce(&mut Activity, &StoredActivity, MemberId, i64) -> Result<(), ActivityError>
    + Send
    + 'static,
) -> Result<Json<ActivityView>, ApiError> {
    let id = path_id("activity", id)?;
    let now = state.clock.now();
    let community = person.community.clone();
    let me = person.id;
    let view = write(state, move |conn| {
        let stored = load(conn, &community, &id)?;
        let mut activity = stored.activity.clone();
        change(&mut activity, &stored, me, now).map_err(activity_refusal)?;
        store::save_activity(conn, &stored.activity, &activity)?;
        Ok(ActivityView::new(&activity, Some(me), now))
    })
    .await?;
    Ok(Json(view))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(activities::list, activities::create))
        .routes(routes!(activities::one, activities::edit))
        .routes(routes!(activities::sign_up, activities::cancel_sign_up))
        .routes(routes!(attendance::check_in))
        .routes(routes!(attendance::check_out))
        .routes(routes!(attendance::code))
        .routes(routes!(attendance::attendees))
        .routes(routes!(attendance::verify))
        .routes(routes!(points::points))
        .routes(routes!(mall::mall, mall::add_item))
        .routes(routes!(mall::restock))
        .routes(routes!(mall::redeem))
        .routes(routes!(mall::redemptions))
        .routes(routes!(mall::cancel_redemption))
        .routes(routes!(mall::hand_over))
        .routes(routes!(points::ranking))
}
