//! The attempt limits' state, kept in the database so that every replica counts against the same
//! tallies: one row per key's [`Slot`] in one part of one limit (`limit_slots`). The rules are the
//! core's (`citizen_core::throttle`); `http::limits` loads the slots an attempt touches, applies
//! the rule and saves them again, inside one write transaction.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use citizen_core::throttle::Slot;

/// Where a slot is kept: the limit (`"sign_in"`, `"check_in"`, …), its part (`"address"`,
/// `"number"`, …) and the key it counts (an address, a number, a person's id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotKey {
    pub limit: &'static str,
    pub part: &'static str,
    pub key: String,
}

/// The slot kept at `at`, if it still matters at `now`.
pub fn load(conn: &Connection, at: &SlotKey, now: i64) -> sql::Result<Option<Slot>> {
    let row: Option<(i64, i64, i64)> = conn
        .query_row(
            "SELECT marked_at, tally, forget_at FROM limit_slots
             WHERE limit_name = ?1 AND part = ?2 AND key = ?3 AND forget_at > ?4",
            params![at.limit, at.part, at.key, now],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(marked_at, tally, forget_at)| {
        let count = u32::try_from(tally).map_err(|_| {
            sql::Error::invalid(format!("limit_slots.tally {tally} is not a count"))
        })?;
        Ok(Slot {
            at: marked_at,
            count,
            forget_at,
        })
    })
    .transpose()
}

/// Keeps `slot` at `at`, or deletes what is kept there when it is `None`.
pub fn save(conn: &Connection, at: &SlotKey, slot: Option<Slot>) -> sql::Result<()> {
    match slot {
        Some(slot) => conn.execute(
            "INSERT INTO limit_slots (limit_name, part, key, marked_at, tally, forget_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (limit_name, part, key) DO UPDATE SET marked_at = excluded.marked_at,
                 tally = excluded.tally, forget_at = excluded.forget_at",
            params![
                at.limit,
                at.part,
                at.key,
                slot.at,
                slot.count,
                slot.forget_at
            ],
        )?,
        None => conn.execute(
            "DELETE FROM limit_slots WHERE limit_name = ?1 AND part = ?2 AND key = ?3",
            params![at.limit, at.part, at.key],
        )?,
    };
    Ok(())
}

/// Deletes the slots that no longer matter; returns how many.
pub fn purge(conn: &Connection, now: i64) -> sql::Result<usize> {
    conn.execute("DELETE FROM limit_slots WHERE forget_at <= ?1", [now])
}
