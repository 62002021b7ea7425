//! Requests: the row, the core's workflow as JSON beside it, its photos, and the queries staff
//! need.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use citizen_core::ids::MemberId;
use citizen_core::requests::{
    CategoryCode, PhotoId, RequestRecord, RequestState, TrackingNumber, Workflow,
};

/// A stored request: its row id, and the core's record of it (the rules every backend shares:
/// who reads, what they see, commands, figures; the filer and every actor are [`MemberId`]s).
#[derive(Debug, Clone)]
pub struct StoredRequest {
    pub id: i64,
    pub record: RequestRecord,
}

/// A request being filed by `owner`: the row, and the workflow [`insert`] starts for it.
pub struct NewRow<'a> {
    pub owner: MemberId,
    pub community: &'a str,
    pub category: CategoryCode,
    pub description: &'a str,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub address: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub anonymous: bool,
}

fn json(workflow: &Workflow) -> String {
    serde_json::to_string(workflow).expect("a workflow always serialises")
}

/// Inserts a request and issues its tracking number from the row id. The caller holds a
/// transaction, so that the two statements, and whatever is filed with the request (its photos),
/// commit together.
pub fn insert(tx: &Connection, city: &str, row: &NewRow, now: i64) -> sql::Result<i64> {
    let workflow = Workflow::submit(row.owner, now);
    let id: i64 = tx.query_row(
        "INSERT INTO requests (tracking, owner_id, community, category, description, lat, lng,
             address, contact, anonymous, state, workflow, created_at, updated_at)
         VALUES ('', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) RETURNING id",
        params![
            row.owner.get(),
            row.community,
            row.category.as_str(),
            row.description,
            row.lat,
            row.lng,
            row.address,
            row.contact,
            row.anonymous,
            workflow.state.as_str(),
            json(&workflow),
            now
        ],
        |r| r.get(0),
    )?;
    let tracking = TrackingNumber::issue(city, id as u64, now).to_string();
    tx.execute(
        "UPDATE requests SET tracking = ?2 WHERE id = ?1",
        params![id, tracking],
    )?;
    Ok(id)
}

/// The photo ids come along as one comma-separated column, so that every query of requests
/// (one, a person's, a queue) shows them without a query per request.
const COLUMNS: &str = "id, tracking, owner_id, community, category, description, lat, lng, address,
    contact, anonymous, workflow, created_at, updated_at,
    (SELECT string_agg(CAST(photo_id AS TEXT), ',' ORDER BY position) FROM request_photos
     WHERE request_id = requests.id) AS photos";

fn from_row(r: &sql::Row) -> sql::Result<StoredRequest> {
    let category: String = r.get(4)?;
    let workflow: String = r.get(11)?;
    let bad = |e: Box<dyn std::error::Error + Send + Sync>| sql::Error::invalid(e.to_string());
    let workflow: Workflow = serde_json::from_str(&workflow).map_err(|e| bad(e.into()))?;
    // The column is a copy of the workflow's owner, for `of_owner`'s index: they never differ.
    let owner = MemberId::new(r.get(2)?);
    if workflow.owner != owner {
        return Err(bad(format!(
            "owner_id {owner} but the workflow's owner is {}",
            workflow.owner
        )
        .into()));
    }
    Ok(StoredRequest {
        id: r.get(0)?,
        record: RequestRecord {
            tracking: r.get(1)?,
            community: r.get(3)?,
            category: CategoryCode::parse(&category)
                .ok_or_else(|| bad(format!("category {category}").into()))?,
            description: r.get(5)?,
            lat: r.get(6)?,
            lng: r.get(7)?,
            address: r.get(8)?,
            contact: r.get(9)?,
            anonymous: r.get(10)?,
            photos: r
                .get::<_, Option<String>>(14)?
                .as_deref()
                .map_or(Ok(Vec::new()), |ids| {
                    ids.split(',').map(PhotoId::parse).collect::<Result<_, _>>()
                })
                .map_err(|e| bad(e.into()))?,
            workflow,
            created_at: r.get(12)?,
            updated_at: r.get(13)?,
        },
    })
}

pub fn by_id(conn: &Connection, id: i64) -> sql::Result<Option<StoredRequest>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM requests WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

pub fn by_tracking(conn: &Connection, tracking: &str) -> sql::Result<Option<StoredRequest>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM requests WHERE tracking = ?1"),
        [tracking],
        from_row,
    )
    .optional()
}

/// A person's own requests, newest first.
pub fn of_owner(conn: &Connection, owner_id: MemberId) -> sql::Result<Vec<StoredRequest>> {
    let owner_id = owner_id.get();
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM requests WHERE owner_id = ?1 ORDER BY id DESC"
    ))?;
    statement.query_map([owner_id], from_row)?.collect()
}

/// A community's queue, oldest first, optionally in one state and category.
pub fn queue(
    conn: &Connection,
    community: &str,
    state: Option<RequestState>,
    category: Option<CategoryCode>,
) -> sql::Result<Vec<StoredRequest>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM requests WHERE community = ?1
           AND (CAST(?2 AS TEXT) IS NULL OR state = ?2)
           AND (CAST(?3 AS TEXT) IS NULL OR category = ?3)
         ORDER BY id"
    ))?;
    statement
        .query_map(
            params![
                community,
                state.map(RequestState::as_str),
                category.map(CategoryCode::as_str)
            ],
            from_row,
        )?
        .collect()
}

/// Saves a workflow after a command (the caller holds a write transaction since reading it).
pub fn save_workflow(conn: &Connection, id: i64, workflow: &Workflow, now: i64) -> sql::Result<()> {
    conn.execute(
        "UPDATE requests SET state = ?2, workflow = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, workflow.state.as_str(), json(workflow), now],
    )?;
    Ok(())
}
