//! Photos: their bytes, who uploaded them, and which request (if any) cites them. The bytes live
//! in the row (no file on disk), so deleting a row deletes the photo.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use citizen_core::ids::MemberId;
use citizen_core::requests::{
    ORPHAN_PHOTO_SECS, PHOTO_QUOTA_WINDOW_SECS, PastUpload, PhotoId, PhotoKind, PhotoRefusal,
    check_quota,
};

/// A photo as served: its type and its bytes.
pub struct StoredPhoto {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Who may cite a photo, and whether a request does already.
pub struct Citation {
    pub owner: MemberId,
    pub request_id: Option<i64>,
}

/// A person's uploads within the quota window that ends at `now`.
pub fn recent_uploads(
    conn: &Connection,
    owner_id: MemberId,
    now: i64,
) -> sql::Result<Vec<PastUpload>> {
    let owner_id = owner_id.get();
    let mut statement = conn.prepare_cached(
        "SELECT created_at, size FROM photos WHERE owner_id = ?1 AND created_at > ?2",
    )?;
    let rows = statement.query_map(params![owner_id, now - PHOTO_QUOTA_WINDOW_SECS], |r| {
        Ok(PastUpload {
            at: r.get(0)?,
            bytes: r.get::<_, i64>(1)?.unsigned_abs(),
        })
    })?;
    rows.collect()
}

/// Keeps a photo if the owner's daily quota has room for it (the core's [`check_quota`]). The
/// caller holds a write transaction, so two uploads at once cannot both take the last place.
pub fn insert_within_quota(
    conn: &Connection,
    id: &PhotoId,
    owner_id: MemberId,
    kind: PhotoKind,
    bytes: &[u8],
    now: i64,
) -> sql::Result<Result<(), PhotoRefusal>> {
    let past = recent_uploads(conn, owner_id, now)?;
    if let Err(refusal) = check_quota(&past, bytes.len() as u64, now) {
        return Ok(Err(refusal));
    }
    conn.execute(
        "INSERT INTO photos (id, owner_id, content_type, bytes, size, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id.as_str(),
            owner_id.get(),
            kind.content_type(),
            bytes,
            bytes.len() as i64,
            now
        ],
    )?;
    Ok(Ok(()))
}

/// Deletes the photos that no request cites and that were uploaded [`ORPHAN_PHOTO_SECS`] (24 h)
/// or more before `now`, bytes and all; returns how many. A photo cited by a request is never
/// deleted here. Filing a request checks and cites its photos in one write transaction, so a
/// photo is either purged before (and the filing is refused as citing an unknown photo) or cited
/// before (and kept).
pub fn purge_orphans(conn: &Connection, now: i64) -> sql::Result<usize> {
    conn.execute(
        "DELETE FROM photos WHERE created_at <= ?1
           AND NOT EXISTS (SELECT 1 FROM request_photos rp WHERE rp.photo_id = photos.id)",
        [now - ORPHAN_PHOTO_SECS],
    )
}

pub fn by_id(conn: &Connection, id: &PhotoId) -> sql::Result<Option<StoredPhoto>> {
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
pub fn citation(conn: &Connection, id: &PhotoId) -> sql::Result<Option<Citation>> {
    let mut statement = conn.prepare_cached(
        "SELECT p.owner_id, rp.request_id FROM photos p
         LEFT JOIN request_photos rp ON rp.photo_id = p.id WHERE p.id = ?1",
    )?;
    statement
        .query_row([id.as_str()], |r| {
            Ok(Citation {
                owner: MemberId::new(r.get(0)?),
                request_id: r.get(1)?,
            })
        })
        .optional()
}

/// Cites `photos`, in order, from a request (the caller holds the request's transaction).
pub fn attach(conn: &Connection, request_id: i64, photos: &[PhotoId]) -> sql::Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO request_photos (request_id, photo_id, position) VALUES (?1, ?2, ?3)",
    )?;
    for (position, photo) in photos.iter().enumerate() {
        statement.execute(params![request_id, photo.as_str(), position as i64])?;
    }
    Ok(())
}
