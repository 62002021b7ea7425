//! Sign-in sessions: random bearer tokens, kept only as SHA-256 digests.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use citizen_core::account::{SESSION_LIFETIME_SECS, SessionToken};
use citizen_core::ids::MemberId;
use sha2::{Digest, Sha256};

/// 256 random bits from the operating system, as 43 base64url characters.
pub fn new_token() -> SessionToken {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    SessionToken::parse(&URL_SAFE_NO_PAD.encode(bytes)).expect("32 bytes encode to 43 characters")
}

pub fn digest(token: &SessionToken) -> [u8; 32] {
    Sha256::digest(token.expose().as_bytes()).into()
}

/// Stores a new session for `person_id`; returns when it expires.
pub fn open(
    conn: &Connection,
    token: &SessionToken,
    person_id: MemberId,
    now: i64,
) -> sql::Result<i64> {
    let person_id = person_id.get();
    let expires_at = now + SESSION_LIFETIME_SECS;
    conn.execute(
        "INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![digest(token).as_slice(), person_id, now, expires_at],
    )?;
    Ok(expires_at)
}

pub enum Lookup {
    Valid { person_id: i64, expires_at: i64 },
    Expired,
    Unknown,
}

pub fn lookup(conn: &Connection, token: &SessionToken, now: i64) -> sql::Result<Lookup> {
    let row: Option<(i64, i64, Option<i64>)> = conn
        .query_row(
            "SELECT person_id, expires_at, revoked_at FROM sessions WHERE token_hash = ?1",
            [digest(token).as_slice()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        None | Some((_, _, Some(_))) => Lookup::Unknown,
        Some((_, expires_at, None)) if now >= expires_at => Lookup::Expired,
        Some((person_id, expires_at, None)) => Lookup::Valid {
            person_id,
            expires_at,
        },
    })
}

/// Signs a session out; false when it was not open.
pub fn revoke(conn: &Connection, token: &SessionToken, now: i64) -> sql::Result<bool> {
    let changed = conn.execute(
        "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
        params![digest(token).as_slice(), now],
    )?;
    Ok(changed == 1)
}

/// Signs out every open session of `person_id`; returns their digests, for the session cache to
/// forget once this is committed.
pub fn revoke_all(conn: &Connection, person_id: MemberId, now: i64) -> sql::Result<Vec<[u8; 32]>> {
    let mut statement = conn.prepare_cached(
        "UPDATE sessions SET revoked_at = ?2 WHERE person_id = ?1 AND revoked_at IS NULL
         RETURNING token_hash",
    )?;
    let digests = statement
        .query_map(params![person_id.get(), now], |r| r.get::<_, Vec<u8>>(0))?
        .filter_map(|d| {
            d.map(|d| <[u8; 32]>::try_from(d.as_slice()).ok())
                .transpose()
        })
        .collect::<sql::Result<Vec<_>>>()?;
    Ok(digests)
}

/// Deletes sessions that expired or were signed out; returns how many.
pub fn purge(conn: &Connection, now: i64) -> sql::Result<usize> {
    conn.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1 OR revoked_at IS NOT NULL",
        [now],
    )
}
