//! Volunteering's tables: an activity read with its sign-ups (and its check-in secret, which
//! stays here), written back as what changed; mall items; and the points ledger, from which the
//! core's `PointsBook` is restored entry by entry through its rules.
//!
//! A community's book is kept in memory between changes (`Books`, in `ledger`): the ledger is append-only
//! (triggers refuse anything else) and numbered from 0 without gaps, so a kept book whose length
//! equals the stored count is exactly the stored ledger. Every use checks that inside its own
//! transaction and restores the book from the tables when it is not so.
//!
//! Members are people's ids: `MemberId` in the core's volunteering types, integers here.
//!
//! One file per table group: `activities` (activities and sign-ups), `mall` (items), `ledger`
//! (the points ledger and the kept books).

use crate::store::sql;
use citizen_core::volunteer::{CheckInSecret, Points, VerifiedMinutes};

mod activities;
mod ledger;
mod mall;

pub use activities::*;
pub use ledger::*;
pub use mall::*;

/// Stored data the core or this module cannot read: a bug or a hand-edited database.
fn corrupt(what: impl Into<String>) -> sql::Error {
    sql::Error::invalid(what)
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

fn text<T>(parsed: Result<T, impl std::fmt::Display>) -> sql::Result<T> {
    parsed.map_err(|e| corrupt(e.to_string()))
}

fn points(n: i64) -> sql::Result<Points> {
    text(Points::new(u32::try_from(n).unwrap_or(0)))
}

fn minutes(n: i64) -> sql::Result<VerifiedMinutes> {
    text(VerifiedMinutes::new(u32::try_from(n).unwrap_or(u32::MAX)))
}
