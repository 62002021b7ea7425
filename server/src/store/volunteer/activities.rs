//! Activities as stored: the plan, the sign-ups (attendance and verification) and the check-in
//! secret, which never leaves the server.

use super::{corrupt, minutes, points, text};
use crate::store::sql::{self, Connection, OptionalExtension, ToSql, params, params_from_iter};
use citizen_core::ids::MemberId;
use citizen_core::volunteer::{
    Activity, ActivityDetails, ActivityPlace, ActivityPlan, ActivityTime, ActivityTitle,
    Attendance, AwardRule, CheckInSecret, Signup, Slots, Verification,
};
use std::collections::HashMap;

/// An activity as stored: the core's activity and the secret its check-in codes come from.
pub struct StoredActivity {
    pub activity: Activity,
    pub secret: CheckInSecret,
}

fn award_columns(rule: AwardRule) -> (&'static str, u32, Option<u32>) {
    match rule {
        AwardRule::PerHour { per_hour, cap } => ("per_hour", per_hour.get(), Some(cap.get())),
        AwardRule::Fixed { points } => ("fixed", points.get(), None),
    }
}

/// Runs `f` with an activity's key and plan as the parameters `?1`–`?11` of both the insert and
/// the update: community, id, then the plan's columns in [`ACTIVITY_COLUMNS`]' order.
fn with_plan<T>(activity: &Activity, f: impl FnOnce(&[&dyn ToSql]) -> T) -> T {
    let plan = &activity.plan;
    let (kind, award, cap) = award_columns(plan.award);
    let (title, place) = (plan.title.as_str(), plan.place.as_str());
    let details = plan.details.as_ref().map(ActivityDetails::as_str);
    let (start, end, slots) = (plan.time.start(), plan.time.end(), plan.slots.get());
    f(&[
        &activity.community,
        &activity.id,
        &title,
        &place,
        &details,
        &start,
        &end,
        &slots,
        &kind,
        &award,
        &cap,
    ])
}

const ACTIVITY_COLUMNS: &str = "community, id, title, place, details, starts_at, ends_at, slots,
    award_kind, award, award_cap, secret, created_by, created_at";

fn activity_from_row(r: &sql::Row) -> sql::Result<StoredActivity> {
    let title: String = r.get(2)?;
    let place: String = r.get(3)?;
    let details: Option<String> = r.get(4)?;
    let kind: String = r.get(8)?;
    let award = points(r.get(9)?)?;
    let cap: Option<i64> = r.get(10)?;
    let secret: String = r.get(11)?;
    let award = match (kind.as_str(), cap) {
        ("per_hour", Some(cap)) => AwardRule::PerHour {
            per_hour: award,
            cap: points(cap)?,
        },
        ("fixed", None) => AwardRule::Fixed { points: award },
        _ => return Err(corrupt(format!("award rule {kind} with cap {cap:?}"))),
    };
    let plan = ActivityPlan {
        title: text(ActivityTitle::parse(&title))?,
        place: text(ActivityPlace::parse(&place))?,
        details: details
            .map(|d| text(ActivityDetails::parse(&d)))
            .transpose()?,
        time: text(ActivityTime::new(r.get(5)?, r.get(6)?))?,
        slots: text(Slots::new(r.get(7)?))?,
        award,
    };
    Ok(StoredActivity {
        activity: Activity {
            community: r.get(0)?,
            id: r.get(1)?,
            plan,
            created_by: MemberId::new(r.get(12)?),
            created_at: r.get(13)?,
            signups: Vec::new(),
        },
        secret: text(CheckInSecret::parse_hex(&secret))?,
    })
}

/// The core's attendance from its stored times (its serialised form: the core's own record).
fn attendance(
    checked_in_at: Option<i64>,
    checked_out_at: Option<i64>,
) -> sql::Result<Option<Attendance>> {
    checked_in_at
        .map(|checked_in_at| {
            serde_json::from_value(serde_json::json!({
                "checked_in_at": checked_in_at,
                "checked_out_at": checked_out_at,
            }))
            .map_err(|e| corrupt(format!("an attendance: {e}")))
        })
        .transpose()
}

fn signups(conn: &Connection, community: &str, activity: &str) -> sql::Result<Vec<Signup>> {
    conn.query_map(
        "SELECT member, signed_up_at, checked_in_at, checked_out_at, verified_minutes, points,
             verified_at
         FROM volunteer_signups WHERE community = ?1 AND activity = ?2 ORDER BY id",
        params![community, activity],
        |r| {
            let verification = match (r.get::<_, Option<i64>>(4)?, r.get(5)?, r.get(6)?) {
                (Some(verified), Some(points), Some(at)) => Some(Verification {
                    minutes: minutes(verified)?,
                    points,
                    at,
                }),
                (None, None, None) => None,
                _ => return Err(corrupt("a half-stored verification")),
            };
            Ok(Signup {
                member: MemberId::new(r.get(0)?),
                signed_up_at: r.get(1)?,
                attendance: attendance(r.get(2)?, r.get(3)?)?,
                verification,
            })
        },
    )
}

/// The activity `id` of `community`, with its sign-ups in order and its secret.
pub fn activity(
    conn: &Connection,
    community: &str,
    id: &str,
) -> sql::Result<Option<StoredActivity>> {
    let stored = conn
        .prepare_cached(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM volunteer_activities WHERE community = ?1 AND id = ?2"
        ))?
        .query_row(params![community, id], activity_from_row)
        .optional()?;
    let Some(mut stored) = stored else {
        return Ok(None);
    };
    stored.activity.signups = signups(conn, community, id)?;
    Ok(Some(stored))
}

/// The activities people can still join (running or upcoming, by start), then up to
/// `ended_limit` that have ended, the latest first.
pub fn activities(
    conn: &Connection,
    community: &str,
    now: i64,
    ended_limit: usize,
) -> sql::Result<Vec<Activity>> {
    let mut found = Vec::new();
    for (sql, limit) in [
        ("ends_at > ?2 ORDER BY starts_at, id", i64::MAX),
        (
            "ends_at <= ?2 ORDER BY starts_at DESC, id",
            ended_limit as i64,
        ),
    ] {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM volunteer_activities
             WHERE community = ?1 AND {sql} LIMIT ?3"
        ))?;
        let rows = statement.query_map(params![community, now, limit], activity_from_row)?;
        for stored in rows {
            found.push(stored?.activity);
        }
    }
    for activity in &mut found {
        activity.signups = signups(conn, community, &activity.id)?;
    }
    Ok(found)
}

/// Stores a new activity (without sign-ups) and its secret.
pub fn insert_activity(
    conn: &Connection,
    activity: &Activity,
    secret: &CheckInSecret,
) -> sql::Result<()> {
    with_plan(activity, |plan| {
        let rest: [&dyn ToSql; 3] = [
            &secret.to_hex(),
            &activity.created_by.get(),
            &activity.created_at,
        ];
        conn.prepare_cached(&format!(
            "INSERT INTO volunteer_activities ({ACTIVITY_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
        ))?
        .execute(params_from_iter(plan.iter().chain(&rest)))
    })?;
    for signup in &activity.signups {
        insert_signup(conn, activity, signup)?;
    }
    Ok(())
}

/// Runs `f` with a sign-up's key, attendance and verification as the parameters `?1`–`?8` of
/// both its insert and its update: community, activity, member, checked in, checked out,
/// verified minutes, points, verified at.
fn with_signup<T>(activity: &Activity, signup: &Signup, f: impl FnOnce(&[&dyn ToSql]) -> T) -> T {
    let (attendance, verification) = (signup.attendance, signup.verification);
    f(&[
        &activity.community,
        &activity.id,
        &signup.member.get(),
        &attendance.map(Attendance::checked_in_at),
        &attendance.and_then(Attendance::checked_out_at),
        &verification.map(|v| v.minutes.get()),
        &verification.map(|v| v.points),
        &verification.map(|v| v.at),
    ])
}

fn insert_signup(conn: &Connection, activity: &Activity, signup: &Signup) -> sql::Result<()> {
    with_signup(activity, signup, |columns| {
        conn.prepare_cached(
            "INSERT INTO volunteer_signups (community, activity, member, checked_in_at,
                 checked_out_at, verified_minutes, points, verified_at, signed_up_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params_from_iter(
            columns
                .iter()
                .chain([&signup.signed_up_at as &dyn ToSql].iter()),
        ))
    })?;
    Ok(())
}

/// Writes what a change did to an activity loaded as `before`: its plan, if edited, and the
/// sign-ups it added, removed or changed.
pub fn save_activity(conn: &Connection, before: &Activity, after: &Activity) -> sql::Result<()> {
    if before.plan != after.plan {
        with_plan(after, |plan| {
            conn.prepare_cached(
                "UPDATE volunteer_activities SET title = ?3, place = ?4, details = ?5, starts_at = ?6,
                     ends_at = ?7, slots = ?8, award_kind = ?9, award = ?10, award_cap = ?11
                 WHERE community = ?1 AND id = ?2",
            )?
            .execute(params_from_iter(plan))
        })?;
    }
    for old in &before.signups {
        if after.signup(old.member).is_none() {
            conn.prepare_cached(
                "DELETE FROM volunteer_signups WHERE community = ?1 AND activity = ?2 AND member = ?3",
            )?
            .execute(params![after.community, after.id, old.member.get()])?;
        }
    }
    for signup in &after.signups {
        match before.signup(signup.member) {
            None => insert_signup(conn, after, signup)?,
            Some(old) if old != signup => {
                with_signup(after, signup, |columns| {
                    conn.prepare_cached(
                        "UPDATE volunteer_signups SET checked_in_at = ?4, checked_out_at = ?5,
                             verified_minutes = ?6, points = ?7, verified_at = ?8
                         WHERE community = ?1 AND activity = ?2 AND member = ?3",
                    )?
                    .execute(params_from_iter(columns))
                })?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The titles of these activities of `community` (those that exist).
pub fn titles<'a>(
    conn: &Connection,
    community: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> sql::Result<HashMap<String, String>> {
    let mut statement = conn.prepare_cached(
        "SELECT title FROM volunteer_activities WHERE community = ?1 AND id = ?2",
    )?;
    let mut titles = HashMap::new();
    for id in ids {
        if titles.contains_key(id) {
            continue;
        }
        if let Some(title) = statement
            .query_row(params![community, id], |r| r.get(0))
            .optional()?
        {
            titles.insert(id.to_owned(), title);
        }
    }
    Ok(titles)
}

/// Whether `community` has any activity (the demo seeds its own once).
pub fn has_activities(conn: &Connection, community: &str) -> sql::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM volunteer_activities WHERE community = ?1)",
        [community],
        |r| r.get(0),
    )
}
