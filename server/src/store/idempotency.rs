//! Replies kept for `Idempotency-Key` retries, for a day.

use crate::store::sql::{self, Connection, OptionalExtension, params};

pub const KEEP_SECS: i64 = 24 * 60 * 60;

pub struct Stored {
    pub request_hash: Vec<u8>,
    /// 0 while the first request is still being handled.
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

pub fn find(conn: &Connection, scope: &str, key: &str, now: i64) -> sql::Result<Option<Stored>> {
    conn.query_row(
        "SELECT request_hash, status, content_type, body FROM idempotency_keys
         WHERE scope = ?1 AND key = ?2 AND created_at > ?3",
        params![scope, key, now - KEEP_SECS],
        |r| {
            Ok(Stored {
                request_hash: r.get(0)?,
                status: r.get(1)?,
                content_type: r.get(2)?,
                body: r.get(3)?,
            })
        },
    )
    .optional()
}

/// Claims the key for a request being handled; false when someone holds it already.
pub fn claim(
    conn: &Connection,
    scope: &str,
    key: &str,
    request_hash: &[u8],
    now: i64,
) -> sql::Result<bool> {
    // Expired claims make way for new ones.
    conn.execute(
        "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND created_at <= ?3",
        params![scope, key, now - KEEP_SECS],
    )?;
    let inserted = conn.execute(
        "INSERT INTO idempotency_keys (scope, key, request_hash, status, body, created_at)
         VALUES (?1, ?2, ?3, 0, ?4, ?5) ON CONFLICT DO NOTHING",
        params![scope, key, request_hash, b"".as_slice(), now],
    )?;
    Ok(inserted == 1)
}

pub fn complete(
    conn: &Connection,
    scope: &str,
    key: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> sql::Result<()> {
    conn.execute(
        "UPDATE idempotency_keys SET status = ?3, content_type = ?4, body = ?5
         WHERE scope = ?1 AND key = ?2",
        params![scope, key, status, content_type, body],
    )?;
    Ok(())
}

/// Gives the key back, so that a retry runs again (after a server error or a rate limit).
pub fn release(conn: &Connection, scope: &str, key: &str) -> sql::Result<()> {
    conn.execute(
        "DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
        params![scope, key],
    )?;
    Ok(())
}

/// Deletes replies kept longer than [`KEEP_SECS`]; returns how many.
pub fn purge(conn: &Connection, now: i64) -> sql::Result<usize> {
    conn.execute(
        "DELETE FROM idempotency_keys WHERE created_at <= ?1",
        [now - KEEP_SECS],
    )
}
