//! The points ledger, append-only, and each community's [`PointsBook`] restored from it and
//! kept between changes ([`Books`]).

use super::{corrupt, minutes, points};
use crate::store::sql::{self, Connection, params};
use citizen_core::ids::MemberId;
use citizen_core::volunteer::{EntryKind, PointsBook, PointsEntry};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const ENTRY_COLUMNS: &str = "community, seq, at, kind, member, item, activity, points, verified_minutes, quantity, redemption";

fn entry_from_row(r: &sql::Row) -> sql::Result<PointsEntry> {
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
            member: MemberId::new(m),
            community: r.get(0)?,
            activity: activity.ok_or_else(|| corrupt("an award without its activity"))?,
            points: points(p)?,
            verified_minutes: minutes(
                verified.ok_or_else(|| corrupt("an award without minutes"))?,
            )?,
        },
        ("redeem", Some(m), Some(item), Some(p)) => EntryKind::Redeem {
            member: MemberId::new(m),
            item,
            price: points(p)?,
        },
        ("cancel_redeem", Some(m), Some(item), Some(p)) => EntryKind::CancelRedeem {
            redemption: redemption.ok_or_else(|| corrupt("a cancellation of nothing"))? as u64,
            member: MemberId::new(m),
            item,
            price: points(p)?,
        },
        ("hand_over", Some(m), Some(item), None) => EntryKind::HandOver {
            redemption: redemption.ok_or_else(|| corrupt("a hand-over of nothing"))? as u64,
            member: MemberId::new(m),
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
pub fn stored_entries(conn: &Connection, community: &str) -> sql::Result<usize> {
    let next: i64 = conn
        .prepare_cached(
            "SELECT coalesce(max(seq) + 1, 0) FROM volunteer_points WHERE community = ?1",
        )?
        .query_row([community], |r| r.get(0))?;
    Ok(next as usize)
}

/// The community's points book, every stored entry replayed through the core's rules.
pub fn load_book(conn: &Connection, community: &str) -> sql::Result<PointsBook> {
    let entries = conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM volunteer_points WHERE community = ?1 ORDER BY seq"
        ))?
        .query_map([community], entry_from_row)?
        .collect::<sql::Result<Vec<_>>>()?;
    PointsBook::restore(entries)
        .map_err(|e| corrupt(format!("the points book of {community}: {e}")))
}

/// The columns an entry fills besides its kind (the others stay `NULL`).
#[derive(Default)]
struct EntryColumns<'a> {
    member: Option<i64>,
    item: Option<&'a str>,
    activity: Option<&'a str>,
    amount: Option<u32>,
    verified: Option<u32>,
    quantity: Option<u32>,
    redemption: Option<i64>,
}

impl<'a> EntryColumns<'a> {
    /// A redemption, its cancellation or its hand-over: whose, of what, for how many points,
    /// and which redemption it follows.
    fn of_redemption(
        member: MemberId,
        item: &'a str,
        amount: Option<u32>,
        redemption: Option<u64>,
    ) -> EntryColumns<'a> {
        EntryColumns {
            member: Some(member.get()),
            item: Some(item),
            amount,
            redemption: redemption.map(|seq| seq as i64),
            ..EntryColumns::default()
        }
    }
}

/// Appends entries the core added to `community`'s book.
pub fn append(conn: &Connection, community: &str, entries: &[PointsEntry]) -> sql::Result<()> {
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO volunteer_points ({ENTRY_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?;
    for entry in entries {
        let (kind, c) = match &entry.kind {
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
                let c = EntryColumns {
                    member: Some(member.get()),
                    activity: Some(activity),
                    amount: Some(points.get()),
                    verified: Some(verified_minutes.get()),
                    ..EntryColumns::default()
                };
                ("award", c)
            }
            EntryKind::Redeem {
                member,
                item,
                price,
            } => (
                "redeem",
                EntryColumns::of_redemption(*member, item, Some(price.get()), None),
            ),
            EntryKind::CancelRedeem {
                redemption,
                member,
                item,
                price,
            } => (
                "cancel_redeem",
                EntryColumns::of_redemption(*member, item, Some(price.get()), Some(*redemption)),
            ),
            EntryKind::HandOver {
                redemption,
                member,
                item,
            } => (
                "hand_over",
                EntryColumns::of_redemption(*member, item, None, Some(*redemption)),
            ),
            EntryKind::Restock { item, quantity } => {
                let c = EntryColumns {
                    item: Some(item),
                    quantity: Some(*quantity),
                    ..EntryColumns::default()
                };
                ("restock", c)
            }
        };
        insert.execute(params![
            community,
            entry.seq as i64,
            entry.at,
            kind,
            c.member,
            c.item,
            c.activity,
            c.amount,
            c.verified,
            c.quantity,
            c.redemption,
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
) -> sql::Result<Vec<PointsEntry>> {
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
    pub fn take(&self, conn: &Connection, community: &str) -> sql::Result<PointsBook> {
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
    pub fn read(&self, conn: &Connection, community: &str) -> sql::Result<Arc<PointsBook>> {
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
