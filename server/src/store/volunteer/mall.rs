//! The mall's items (their stock is a sum over the points ledger, not a column).

use super::{points, text};
use crate::store::sql::{self, Connection, OptionalExtension, params};
use citizen_core::volunteer::{ItemDetails, ItemName, MallItem};

const ITEM_COLUMNS: &str = "community, id, name, details, price";

fn item_from_row(r: &sql::Row) -> sql::Result<MallItem> {
    let name: String = r.get(2)?;
    let details: Option<String> = r.get(3)?;
    Ok(MallItem {
        community: r.get(0)?,
        id: r.get(1)?,
        name: text(ItemName::parse(&name))?,
        details: details.map(|d| text(ItemDetails::parse(&d))).transpose()?,
        price: points(r.get(4)?)?,
    })
}

pub fn insert_item(conn: &Connection, item: &MallItem, now: i64) -> sql::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO volunteer_mall_items ({ITEM_COLUMNS}, created_at, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6,
             (SELECT coalesce(max(seq), 0) + 1 FROM volunteer_mall_items))"
    ))?
    .execute(params![
        item.community,
        item.id,
        item.name.as_str(),
        item.details.as_ref().map(ItemDetails::as_str),
        item.price.get(),
        now,
    ])?;
    Ok(())
}

pub fn item(conn: &Connection, community: &str, id: &str) -> sql::Result<Option<MallItem>> {
    conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM volunteer_mall_items WHERE community = ?1 AND id = ?2"
    ))?
    .query_row(params![community, id], item_from_row)
    .optional()
}

/// The community's mall, in the order staff added the items.
pub fn items(conn: &Connection, community: &str) -> sql::Result<Vec<MallItem>> {
    conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM volunteer_mall_items WHERE community = ?1
         ORDER BY created_at, seq"
    ))?
    .query_map([community], item_from_row)?
    .collect()
}
