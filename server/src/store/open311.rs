//! GeoReport v2's tokens: the one a request filed through `/open311/v2` gets, and the request id
//! it stands for. A token is stored as issued: it reveals only an id, and ids are printed on every
//! reply and screen anyway.

use crate::store::sql::{self, Connection, OptionalExtension, params};

/// Gives the request `id` its token (the caller holds the transaction that filed it).
pub fn give_token(tx: &Connection, id: i64, token: &str) -> sql::Result<()> {
    tx.execute(
        "UPDATE requests SET open311_token = ?2 WHERE id = ?1",
        params![id, token],
    )?;
    Ok(())
}

/// The tracking number `token` stands for.
pub fn tracking_of(conn: &Connection, token: &str) -> sql::Result<Option<String>> {
    conn.query_row(
        "SELECT tracking FROM requests WHERE open311_token = ?1",
        [token],
        |r| r.get(0),
    )
    .optional()
}
