//! Volunteering's tables: an activity read with its sign-ups (and its check-in secret, which
//! stays here), written back as what changed; mall items; and the points ledger, from which the
//! core's [`PointsBook`] is restored entry by entry through its rules.
//!
//! A community's book is kept in memory between changes ([`Books`]): the ledger is append-only
//! (triggers refuse anything else) and numbered from 0 without gaps, so a kept book whose length
//! equals the stored count is exactly the stored ledger. Every use checks that inside its own
//! transaction and restores the book from the tables when it is not so.
//!
//! Members are people's ids as text in the core and integers here, as in the time bank.

use citizen_core::volunteer::{
    Activity, ActivityDetails, ActivityPlace, ActivityPlan, ActivityTime, ActivityTitle,
    Attendance, AwardRule, CheckInSecret, EntryKind, ItemDetails, ItemName, MallItem, Points,
    PointsBook, PointsEntry, Signup, Slots, Verification, VerifiedMinutes,
};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Stored data the core or this module cannot read: a bug or a hand-edited database.
fn corrupt(what: impl Into<String>) -> rusqlite::Error {
    let message: String = what.into();
    rusqlite::Error::FromSqlConversionFailure(0, Type::Text, message.into())
}

/// A core member id as the person id it is.
pub fn person(member: &str) -> rusqlite::Result<i64> {
    member
        .parse()
        .map_err(|_| corrupt(format!("volunteer member {member:?} is not a person id")))
}

fn member(person: i64) -> String {
    person.to_string()
}

/// Whether `raw` can be an activity's or an item's id: 1–64 of `A–Z a–z 0–9 _ -`.
pub fn valid_id(raw: &str) -> bool {
    (1..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A new id: 72 random bits as 12 base64url characters.
pub fn new_id() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 9];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new check-in secret: 160 random bits (RFC 4226's recommendation).
pub fn new_secret() -> CheckInSecret {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    CheckInSecret::from_random(bytes)
}

fn text<T>(parsed: Result<T, impl std::fmt::Display>) -> rusqlite::Result<T> {
    parsed.map_err(|e| corrupt(e.to_string()))
}

fn points(n: i64) -> rusqlite::Result<Points> {
    text(Points::new(u32::try_from(n).unwrap_or(0)))
}

fn minutes(n: i64) -> rusqlite::Result<VerifiedMinutes> {
    text(VerifiedMinutes::new(u32::try_from(n).unwrap_or(u32::MAX)))
}

// ---- Activities ----

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

const ACTIVITY_COLUMNS: &str = "community, id, title, place, details, starts_at, ends_at, slots,
    award_kind, award, award_cap, secret, created_by, created_at";

fn activity_from_row(r: &rusqlite::Row) -> rusqlite::Result<StoredActivity> {
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
            created_by: member(r.get(12)?),
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
) -> rusqlite::Result<Option<Attendance>> {
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

fn signups(conn: &Connection, community: &str, activity: &str) -> rusqlite::Result<Vec<Signup>> {
    let mut statement = conn.prepare_cached(
        "SELECT member, signed_up_at, checked_in_at, checked_out_at, verified_minutes, points,
             verified_at
         FROM volunteer_signups WHERE community = ?1 AND activity = ?2 ORDER BY id",
    )?;
    let mut rows = statement.query(params![community, activity])?;
    let mut signups = Vec::new();
    while let Some(r) = rows.next()? {
        let verification = match (r.get::<_, Option<i64>>(4)?, r.get(5)?, r.get(6)?) {
            (Some(verified), Some(points), Some(at)) => Some(Verification {
                minutes: minutes(verified)?,
                points,
                at,
            }),
            (None, None, None) => None,
            _ => return Err(corrupt("a half-stored verification")),
        };
        signups.push(Signup {
            member: member(r.get(0)?),
            signed_up_at: r.get(1)?,
            attendance: attendance(r.get(2)?, r.get(3)?)?,
            verification,
        });
    }
    Ok(signups)
}

/// The activity `id` of `community`, with its sign-ups in order and its secret.
pub fn activity(
    conn: &Connection,
    community: &str,
    id: &str,
) -> rusqlite::Result<Option<StoredActivity>> {
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
) -> rusqlite::Result<Vec<Activity>> {
    let mut found = Vec::new();
    for (sql, limit) in [
        ("ends_at > ?2 ORDER BY starts_at, id", -1),
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
) -> rusqlite::Result<()> {
    let plan = &activity.plan;
    let (kind, award, cap) = award_columns(plan.award);
    conn.prepare_cached(&format!(
        "INSERT INTO volunteer_activities ({ACTIVITY_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?
    .execute(params![
        activity.community,
        activity.id,
        plan.title.as_str(),
        plan.place.as_str(),
        plan.details.as_ref().map(ActivityDetails::as_str),
        plan.time.start(),
        plan.time.end(),
        plan.slots.get(),
        kind,
        award,
        cap,
        secret.to_hex(),
        person(&activity.created_by)?,
        activity.created_at,
    ])?;
    for signup in &activity.signups {
        insert_signup(conn, activity, signup)?;
    }
    Ok(())
}

/// A sign-up's attendance and verification, as their columns hold them.
struct SignupColumns {
    checked_in_at: Option<i64>,
    checked_out_at: Option<i64>,
    verified_minutes: Option<u32>,
    points: Option<u32>,
    verified_at: Option<i64>,
}

impl SignupColumns {
    fn of(signup: &Signup) -> SignupColumns {
        let (attendance, verification) = (signup.attendance, signup.verification);
        SignupColumns {
            checked_in_at: attendance.map(Attendance::checked_in_at),
            checked_out_at: attendance.and_then(Attendance::checked_out_at),
            verified_minutes: verification.map(|v| v.minutes.get()),
            points: verification.map(|v| v.points),
            verified_at: verification.map(|v| v.at),
        }
    }
}

fn insert_signup(conn: &Connection, activity: &Activity, signup: &Signup) -> rusqlite::Result<()> {
    let columns = SignupColumns::of(signup);
    conn.prepare_cached(
        "INSERT INTO volunteer_signups (community, activity, member, signed_up_at, checked_in_at,
             checked_out_at, verified_minutes, points, verified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        activity.community,
        activity.id,
        person(&signup.member)?,
        signup.signed_up_at,
        columns.checked_in_at,
        columns.checked_out_at,
        columns.verified_minutes,
        columns.points,
        columns.verified_at,
    ])?;
    Ok(())
}

/// Writes what a change did to an activity loaded as `before`: its plan, if edited, and the
/// sign-ups it added, removed or changed.
pub fn save_activity(
    conn: &Connection,
    before: &Activity,
    after: &Activity,
) -> rusqlite::Result<()> {
    if before.plan != after.plan {
        let plan = &after.plan;
        let (kind, award, cap) = award_columns(plan.award);
        conn.prepare_cached(
            "UPDATE volunteer_activities SET title = ?3, place = ?4, details = ?5, starts_at = ?6,
                 ends_at = ?7, slots = ?8, award_kind = ?9, award = ?10, award_cap = ?11
             WHERE community = ?1 AND id = ?2",
        )?
        .execute(params![
            after.community,
            after.id,
            plan.title.as_str(),
            plan.place.as_str(),
            plan.details.as_ref().map(ActivityDetails::as_str),
            plan.time.start(),
            plan.time.end(),
            plan.slots.get(),
            kind,
            award,
            cap,
        ])?;
    }
    for old in &before.signups {
        if after.signup(&old.member).is_none() {
            conn.prepare_cached(
                "DELETE FROM volunteer_signups WHERE community = ?1 AND activity = ?2 AND member = ?3",
            )?
            .execute(params![after.community, after.id, person(&old.member)?])?;
        }
    }
    for signup in &after.signups {
        match before.signup(&signup.member) {
            None => insert_signup(conn, after, signup)?,
            Some(old) if old != signup => {
                let columns = SignupColumns::of(signup);
                conn.prepare_cached(
                    "UPDATE volunteer_signups SET checked_in_at = ?4, checked_out_at = ?5,
                         verified_minutes = ?6, points = ?7, verified_at = ?8
                     WHERE community = ?1 AND activity = ?2 AND member = ?3",
                )?
                .execute(params![
                    after.community,
                    after.id,
                    person(&signup.member)?,
                    columns.checked_in_at,
                    columns.checked_out_at,
                    columns.verified_minutes,
                    columns.points,
                    columns.verified_at,
                ])?;
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
) -> rusqlite::Result<HashMap<String, String>> {
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
pub fn has_activities(conn: &Connection, community: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM volunteer_activities WHERE community = ?1)",
        [community],
        |r| r.get(0),
    )
}

// ---- The mall ----

const ITEM_COLUMNS: &str = "community, id, name, details, price";

fn item_from_row(r: &rusqlite::Row) -> rusqlite::Result<MallItem> {
    let name: String = r.get(2)?;
    let details: Option<String> = r.get(3)?;
    Ok(MallItem {
        community: r.get(0)?,
        id: r.get(1)?,
        name: text(ItemName::parse(&name))?,
        details: details.map(|d| text(ItemDetails::parse(&d))).transpose()?,
        price: points(r.get(4)?)?,
    })
}

pub fn insert_item(conn: &Connection, item: &MallItem, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO volunteer_mall_items ({ITEM_COLUMNS}, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    ))?
    .execute(params![
        item.community,
        item.id,
        item.name.as_str(),
        item.details.as_ref().map(ItemDetails::as_str),
        item.price.get(),
        now,
    ])?;
    Ok(())
}

pub fn item(conn: &Connection, community: &str, id: &str) -> rusqlite::Result<Option<MallItem>> {
    conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM volunteer_mall_items WHERE community = ?1 AND id = ?2"
    ))?
    .query_row(params![community, id], item_from_row)
    .optional()
}

/// The community's mall, in the order staff added the items.
pub fn items(conn: &Connection, community: &str) -> rusqlite::Result<Vec<MallItem>> {
    conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM volunteer_mall_items WHERE community = ?1
         ORDER BY created_at, rowid"
    ))?
    .query_map([community], item_from_row)?
    .collect()
}

// ---- The points ledger ----

const ENTRY_COLUMNS: &str = "community, seq, at, kind, member, item, activity, points, verified_minutes, quantity, redemption";

fn entry_from_row(r: &rusqlite::Row) -> rusqlite::Result<PointsEntry> {
    let kind: String = r.get(3)?;
    let member_column: Option<i64> = r.get(4)?;
    let item: Option<String> = r.get(5)?;
    let activity: Option<String> = r.get(6)?;
    let amount: Option<i64> = r.get(7)?;
    let verified: Option<i64> = r.get(8)?;
    let quantity: Option<i64> = r.get(9)?;
    let redemption: Option<i64> = r.get(10)?;
    let kind = match (kind.as_str(), member_column, item, amount) {
        ("award", Some(m), None, Some(p)) => EntryKind::Award {
            member: member(m),
            community: r.get(0)?,
            activity: activity.ok_or_else(|| corrupt("an award without its activity"))?,
            points: points(p)?,
            verified_minutes: minutes(
                verified.ok_or_else(|| corrupt("an award without minutes"))?,
            )?,
        },
        ("redeem", Some(m), Some(item), Some(p)) => EntryKind::Redeem {
            member: member(m),
            item,
            price: points(p)?,
        },
        ("cancel_redeem", Some(m), Some(item), Some(p)) => EntryKind::CancelRedeem {
            redemption: redemption.ok_or_else(|| corrupt("a cancellation of nothing"))? as u64,
            member: member(m),
            item,
            price: points(p)?,
        },
        ("hand_over", Some(m), Some(item), None) => EntryKind::HandOver {
            redemption: redemption.ok_or_else(|| corrupt("a hand-over of nothing"))? as u64,
            member: member(m),
            item,
        },
        ("restock", None, Some(item), None) => EntryKind::Restock {
            item,
            quantity: u32::try_from(quantity.unwrap_or(0))
                .map_err(|_| corrupt("a restock's quantity"))?,
        },
        (kind, ..) => return Err(corrupt(format!("a points entry of kind {kind}"))),
    };
    Ok(PointsEntry {
        seq: r.get::<_, i64>(1)? as u64,
        at: r.get(2)?,
        kind,
    })
}

/// How many entries `community`'s ledger holds (they are numbered from 0 without gaps).
pub fn stored_entries(conn: &Connection, community: &str) -> rusqlite::Result<usize> {
    let next: i64 = conn
        .prepare_cached(
            "SELECT coalesce(max(seq) + 1, 0) FROM volunteer_points WHERE community = ?1",
        )?
        .query_row([community], |r| r.get(0))?;
    Ok(next as usize)
}

/// The community's points book, every stored entry replayed through the core's rules.
pub fn load_book(conn: &Connection, community: &str) -> rusqlite::Result<PointsBook> {
    let entries = conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM volunteer_points WHERE community = ?1 ORDER BY seq"
        ))?
        .query_map([community], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    PointsBook::restore(entries)
        .map_err(|e| corrupt(format!("the points book of {community}: {e}")))
}

/// Appends entries the core added to `community`'s book.
pub fn append(conn: &Connection, community: &str, entries: &[PointsEntry]) -> rusqlite::Result<()> {
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO volunteer_points ({ENTRY_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?;
    for entry in entries {
        let (kind, member, item, activity, amount, verified, quantity, redemption) =
            match &entry.kind {
                EntryKind::Award {
                    member,
                    community: awarded_in,
                    activity,
                    points,
                    verified_minutes,
                } => {
                    if awarded_in != community {
                        return Err(corrupt(format!(
                            "an award of {awarded_in} in the book of {community}"
                        )));
                    }
                    (
                        "award",
                        Some(person(member)?),
                        None,
                        Some(activity.as_str()),
                        Some(points.get()),
                        Some(verified_minutes.get()),
                        None,
                        None,
                    )
                }
                EntryKind::Redeem {
                    member,
                    item,
                    price,
                } => (
                    "redeem",
                    Some(person(member)?),
                    Some(item.as_str()),
                    None,
                    Some(price.get()),
                    None,
                    None,
                    None,
                ),
                EntryKind::CancelRedeem {
                    redemption,
                    member,
                    item,
                    price,
                } => (
                    "cancel_redeem",
                    Some(person(member)?),
                    Some(item.as_str()),
                    None,
                    Some(price.get()),
                    None,
                    None,
                    Some(*redemption as i64),
                ),
                EntryKind::HandOver {
                    redemption,
                    member,
                    item,
                } => (
                    "hand_over",
                    Some(person(member)?),
                    Some(item.as_str()),
                    None,
                    None,
                    None,
                    None,
                    Some(*redemption as i64),
                ),
                EntryKind::Restock { item, quantity } => (
                    "restock",
                    None,
                    Some(item.as_str()),
                    None,
                    None,
                    None,
                    Some(*quantity),
                    None,
                ),
            };
        insert.execute(params![
            community,
            entry.seq as i64,
            entry.at,
            kind,
            member,
            item,
            activity,
            amount,
            verified,
            quantity,
            redemption,
        ])?;
    }
    Ok(())
}

/// The awards of `community` made in `[from, to)`, for a month's leaderboard.
pub fn awards_between(
    conn: &Connection,
    community: &str,
    from: i64,
    to: i64,
) -> rusqlite::Result<Vec<PointsEntry>> {
    conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM volunteer_points
         WHERE community = ?1 AND kind = 'award' AND at >= ?2 AND at < ?3 ORDER BY seq"
    ))?
    .query_map(params![community, from, to], entry_from_row)?
    .collect()
}

/// Each community's points book, kept between changes. See the module's documentation.
#[derive(Default)]
pub struct Books {
    kept: Mutex<HashMap<String, Arc<PointsBook>>>,
}

impl Books {
    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<PointsBook>>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The book to change, for a writer inside its write transaction: the kept one when it is the
    /// stored ledger, else the ledger restored. Give it back with [`Books::keep`].
    pub fn take(&self, conn: &Connection, community: &str) -> rusqlite::Result<PointsBook> {
        let stored = stored_entries(conn, community)?;
        let kept = self.kept().remove(community);
        match kept {
            Some(book) if book.entries().len() == stored => {
                Ok(Arc::try_unwrap(book).unwrap_or_else(|shared| (*shared).clone()))
            }
            _ => load_book(conn, community),
        }
    }

    /// Keeps `book` for the next change. Only a book that equals what is stored, or was:
    /// committed, or not changed at all.
    pub fn keep(&self, community: &str, book: PointsBook) {
        self.kept().insert(community.to_owned(), Arc::new(book));
    }

    /// The book as of the caller's read transaction (a reader's: it may not change it).
    pub fn read(&self, conn: &Connection, community: &str) -> rusqlite::Result<Arc<PointsBook>> {
        let stored = stored_entries(conn, community)?;
        let kept = self.kept().get(community).cloned();
        match kept {
            Some(book) if book.entries().len() == stored => Ok(book),
            _ => {
                let book = Arc::new(load_book(conn, community)?);
                let mut kept = self.kept();
                let newer = kept
                    .get(community)
                    .is_some_and(|k| k.entries().len() >= stored);
                if !newer {
                    kept.insert(community.to_owned(), Arc::clone(&book));
                }
                Ok(book)
            }
        }
    }
}
