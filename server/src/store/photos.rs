//! Photos: their bytes, who uploaded them, and which request (if any) cites them. The bytes live
//! in the row, or, with a photo store (`--photos`), in the store with `bytes` NULL in the row
//! (`store::photo_objects`): the row is what quotas, citations and the purge read either way.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use citizen_core::ids::MemberId;
use citizen_core::requests::{
    ORPHAN_PHOTO_SECS, PHOTO_QUOTA_WINDOW_SECS, PastUpload, PhotoId, PhotoKind, PhotoRefusal,
    check_quota,
};

/// A photo as served: its type and its bytes, `None` when they are in the photo store.
pub struct StoredPhoto {
    pub content_type: String,
    pub bytes: Option<Vec<u8>>,
}

/// Where a new photo's bytes are kept.
#[derive(Clone, Copy)]
pub enum Kept<'a> {
    /// In its row.
    InRow(&'a [u8]),
    /// In the photo store, `size` bytes of them.
    InStore { size: u64 },
}

impl Kept<'_> {
    pub fn size(&self) -> u64 {
        match *self {
            Kept::InRow(bytes) => bytes.len() as u64,
            Kept::InStore { size } => size,
        }
    }
}

/// What the purge deleted: how many photos, and which of them had their bytes in the photo store
/// (to delete from it once the rows are gone).
#[derive(Debug, Default)]
pub struct Purged {
    pub count: usize,
    pub in_store: Vec<PhotoId>,
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
    kept: Kept<'_>,
    now: i64,
) -> sql::Result<Result<(), PhotoRefusal>> {
    let past = recent_uploads(conn, owner_id, now)?;
    if let Err(refusal) = check_quota(&past, kept.size(), now) {
        return Ok(Err(refusal));
    }
    let bytes = match kept {
        Kept::InRow(bytes) => Some(bytes),
        Kept::InStore { .. } => None,
    };
    conn.execute(
        "INSERT INTO photos (id, owner_id, content_type, bytes, size, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id.as_str(),
            owner_id.get(),
            kind.content_type(),
            bytes,
            kept.size() as i64,
            now
        ],
    )?;
    Ok(Ok(()))
}

/// Deletes the photos that no request cites and that were uploaded [`ORPHAN_PHOTO_SECS`] (24 h)
/// or more before `now`, the bytes in their rows with them; the ones whose bytes are in the photo
/// store are listed, for the caller to delete there once this is committed. A photo cited by a
/// request is never deleted here. Filing a request checks and cites its photos in one write
/// transaction, so a photo is either purged before (and the filing is refused as citing an
/// unknown photo) or cited before (and kept).
pub fn purge_orphans(conn: &Connection, now: i64) -> sql::Result<Purged> {
    let deleted = conn.query_map(
        "DELETE FROM photos WHERE created_at <= ?1
           AND NOT EXISTS (SELECT 1 FROM request_photos rp WHERE rp.photo_id = photos.id)
         RETURNING id, bytes IS NULL",
        [now - ORPHAN_PHOTO_SECS],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)),
    )?;
    Ok(Purged {
        count: deleted.len(),
        in_store: deleted
            .into_iter()
            .filter(|(_, in_store)| *in_store)
            .filter_map(|(id, _)| PhotoId::parse(&id).ok())
            .collect(),
    })
}

/// Which of `ids` have a photo row.
pub fn existing(conn: &Connection, ids: &[PhotoId]) -> sql::Result<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("?{n}")).collect();
    let ids: Vec<&str> = ids.iter().map(PhotoId::as_str).collect();
    let values: Vec<&dyn sql::ToSql> = ids.iter().map(|id| id as &dyn sql::ToSql).collect();
    conn.query_map(
        &format!(
            "SELECT id FROM photos WHERE id IN ({})",
            placeholders.join(", ")
        ),
        values,
        |r| r.get(0),
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
