//! Favourite tiles that follow a signed-in person across devices.

use crate::store::sql::{self, Connection, params};
use citizen_core::ids::MemberId;
use citizen_core::ids::TileId;

/// Adds a favourite. Returns whether it is new, and when it was added.
pub fn add(
    conn: &Connection,
    person_id: MemberId,
    tile: &TileId,
    now: i64,
) -> sql::Result<(bool, i64)> {
    let person_id = person_id.get();
    let inserted = conn
        .prepare_cached(
            "INSERT INTO favourites (person_id, tile, created_at, seq)
             VALUES (?1, ?2, ?3,
                 (SELECT coalesce(max(seq), 0) + 1 FROM favourites WHERE person_id = ?1))
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![person_id, tile.as_str(), now])?;
    if inserted == 1 {
        return Ok((true, now));
    }
    let added_at = conn
        .prepare_cached("SELECT created_at FROM favourites WHERE person_id = ?1 AND tile = ?2")?
        .query_row(params![person_id, tile.as_str()], |r| r.get(0))?;
    Ok((false, added_at))
}

pub fn remove(conn: &Connection, person_id: MemberId, tile: &TileId) -> sql::Result<bool> {
    let person_id = person_id.get();
    let removed = conn.execute(
        "DELETE FROM favourites WHERE person_id = ?1 AND tile = ?2",
        params![person_id, tile.as_str()],
    )?;
    Ok(removed == 1)
}

/// Newest first.
pub fn list(conn: &Connection, person_id: MemberId) -> sql::Result<Vec<TileId>> {
    let person_id = person_id.get();
    let mut statement = conn.prepare_cached(
        "SELECT tile FROM favourites WHERE person_id = ?1 ORDER BY created_at DESC, seq DESC",
    )?;
    let tiles = statement.query_map([person_id], |r| r.get::<_, String>(0))?;
    Ok(tiles
        .filter_map(|t| t.ok().and_then(|t| TileId::parse(&t).ok()))
        .collect())
}
