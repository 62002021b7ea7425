//! A signed-in person's receipts at a city's GeoReport endpoint (see
//! `citizen_core::georeport::receipt`), which follow them across sign-ins and devices. Each is
//! kept with the endpoint it was filed at; every read and write names the endpoint served now.

use crate::store::sql::{self, Connection, OptionalExtension, Row, params};
use citizen_core::georeport::receipt::MAX_RECEIPTS;
use citizen_core::ids::MemberId;

/// One receipt as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: Option<String>,
    pub token: Option<String>,
    pub filed_at: i64,
}

/// What [`keep`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// A new receipt.
    Added(Receipt),
    /// One with this id or token was there already (a token given its id now has it).
    Existing(Receipt),
    /// The person has [`MAX_RECEIPTS`] at this endpoint: nothing was kept.
    Full,
}

fn receipt(row: &Row<'_>) -> sql::Result<(i64, Receipt)> {
    Ok((
        row.get(0)?,
        Receipt {
            id: row.get(1)?,
            token: row.get(2)?,
            filed_at: row.get(3)?,
        },
    ))
}

/// The row of this person at this endpoint whose `column` (`request_id` or `token`) is `value`.
fn find(
    conn: &Connection,
    person: MemberId,
    endpoint: &str,
    column: Column,
    value: Option<&str>,
) -> sql::Result<Option<(i64, Receipt)>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let sql = match column {
        Column::Id => {
            "SELECT seq, request_id, token, filed_at FROM city_receipts
             WHERE person_id = ?1 AND endpoint = ?2 AND request_id = ?3"
        }
        Column::Token => {
            "SELECT seq, request_id, token, filed_at FROM city_receipts
             WHERE person_id = ?1 AND endpoint = ?2 AND token = ?3"
        }
    };
    conn.prepare_cached(sql)?
        .query_row(params![person.get(), endpoint, value], receipt)
        .optional()
}

#[derive(Clone, Copy)]
enum Column {
    Id,
    Token,
}

fn set(conn: &Connection, seq: i64, column: Column, value: &str) -> sql::Result<()> {
    let sql = match column {
        Column::Id => "UPDATE city_receipts SET request_id = ?2 WHERE seq = ?1",
        Column::Token => "UPDATE city_receipts SET token = ?2 WHERE seq = ?1",
    };
    conn.prepare_cached(sql)?.execute(params![seq, value])?;
    Ok(())
}

fn reload(conn: &Connection, seq: i64) -> sql::Result<Receipt> {
    conn.prepare_cached(
        "SELECT seq, request_id, token, filed_at FROM city_receipts WHERE seq = ?1",
    )?
    .query_row([seq], receipt)
    .map(|(_, r)| r)
}

/// Keeps a receipt of `person`'s filing at `endpoint`: its `id`, its `token`, or both (at least
/// one). Keeping the same id or token again changes nothing; a token kept without an id gets
/// the id given with it (a deferred filing resolved). Run inside a write transaction.
pub fn keep(
    conn: &Connection,
    person: MemberId,
    endpoint: &str,
    id: Option<&str>,
    token: Option<&str>,
    now: i64,
) -> sql::Result<Kept> {
    let by_id = find(conn, person, endpoint, Column::Id, id)?;
    let by_token = find(conn, person, endpoint, Column::Token, token)?;
    match (by_id, by_token) {
        (Some((row, kept)), waiting) => {
            // The token's filing is kept by its id already: one receipt, with both.
            if let Some((other, receipt)) = waiting
                && other != row
                && receipt.id.is_none()
            {
                conn.prepare_cached("DELETE FROM city_receipts WHERE seq = ?1")?
                    .execute([other])?;
            }
            if let (None, Some(token)) = (&kept.token, token)
                && find(conn, person, endpoint, Column::Token, Some(token))?.is_none()
            {
                set(conn, row, Column::Token, token)?;
            }
            Ok(Kept::Existing(reload(conn, row)?))
        }
        (None, Some((row, kept))) => {
            if let (None, Some(id)) = (&kept.id, id) {
                set(conn, row, Column::Id, id)?;
            }
            Ok(Kept::Existing(reload(conn, row)?))
        }
        (None, None) => {
            let count: i64 = conn
                .prepare_cached(
                    "SELECT COUNT(*) FROM city_receipts WHERE person_id = ?1 AND endpoint = ?2",
                )?
                .query_row(params![person.get(), endpoint], |r| r.get(0))?;
            if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_RECEIPTS {
                return Ok(Kept::Full);
            }
            conn.prepare_cached(
                "INSERT INTO city_receipts (person_id, endpoint, request_id, token, filed_at, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                     (SELECT coalesce(max(seq), 0) + 1 FROM city_receipts))",
            )?
            .execute(params![person.get(), endpoint, id, token, now])?;
            Ok(Kept::Added(Receipt {
                id: id.map(str::to_owned),
                token: token.map(str::to_owned),
                filed_at: now,
            }))
        }
    }
}

/// `person`'s receipts at `endpoint`, oldest first.
pub fn list(conn: &Connection, person: MemberId, endpoint: &str) -> sql::Result<Vec<Receipt>> {
    let mut statement = conn.prepare_cached(
        "SELECT seq, request_id, token, filed_at FROM city_receipts
         WHERE person_id = ?1 AND endpoint = ?2 ORDER BY filed_at, seq",
    )?;
    let rows = statement.query_map(params![person.get(), endpoint], receipt)?;
    rows.map(|r| r.map(|(_, receipt)| receipt)).collect()
}
