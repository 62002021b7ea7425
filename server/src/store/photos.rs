//! Photos: their bytes, who uploaded them, and which request (if any) cites them.

use citizen_core::requests::{PhotoId, PhotoKind};
use rusqlite::{Connection, OptionalExtension, params};

/// A photo as served: its type and its bytes.
pub struct StoredPhoto {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Who may cite a photo, and whether a request does already.
pub struct Citation {
    pub owner_id: i64,
    pub request_id: Option<i64>,
}

pub fn insert(
    conn: &Connection,
    id: &PhotoId,
    owner_id: i64,
    kind: PhotoKind,
    bytes: &[u8],
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO photos (id, owner_id, content_type, bytes, size, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id.as_str(),
            owner_id,
            kind.content_type(),
            bytes,
            bytes.len() as i64,
            now
        ],
    )?;
    Ok(())
}

pub fn by_id(conn: &Connection, id: &PhotoId) -> rusqlite::Result<Option<StoredPhoto>> {
    conn.query_row(
        "SELECT content_type, bytes FROM photos WHERE id = ?1",
        [id.as_str()],
        |r| {
            Ok(StoredPhoto {
                content_type: r.get(0)?,
                bytes: r.get(1)?,
            })
        },
    )
    .optional()
}

/// The owner of a photo and the request citing it; `None` when there is no such photo.
pub fn citation(conn: &Connection, id: &PhotoId) -> rusqlite::Result<Option<Citation>> {
    let mut statement = conn.prepare_cached(
        "SELECT p.owner_id, rp.request_id FROM photos p
         LEFT JOIN request_photos rp ON rp.photo_id = p.id WHERE p.id = ?1",
    )?;
    statement
        .query_row([id.as_str()], |r| {
            Ok(Citation {
                owner_id: r.get(0)?,
                request_id: r.get(1)?,
            })
        })
        .optional()
}

/// Cites `photos`, in order, from a request (the caller holds the request's transaction).
pub fn attach(conn: &Connection, request_id: i64, photos: &[PhotoId]) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO request_photos (request_id, photo_id, position) VALUES (?1, ?2, ?3)",
    )?;
    for (position, photo) in photos.iter().enumerate() {
        statement.execute(params![request_id, photo.as_str(), position as i64])?;
    }
    Ok(())
}
