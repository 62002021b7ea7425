//! The people a view mentions, as `MemberRef`s (id and display name), and the API's reading of
//! RFC 3339 times: shared by the time bank and volunteering, whose views name members.

use crate::store::people;
use citizen_core::ids::MemberId;
use citizen_core::timebank::MemberRef;
use rusqlite::Connection;
use std::collections::{BTreeSet, HashMap};

/// An RFC 3339 date-time in Unix seconds; `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp())
}

/// The display names of the members a view mentions, looked up once.
pub struct Members(HashMap<MemberId, String>);

impl Members {
    pub fn of(
        conn: &Connection,
        ids: impl IntoIterator<Item = MemberId>,
    ) -> rusqlite::Result<Members> {
        let ids: BTreeSet<MemberId> = ids.into_iter().collect();
        Ok(Members(people::names(conn, ids)?))
    }

    pub fn get(&self, id: MemberId) -> MemberRef {
        MemberRef {
            id,
            name: self.0.get(&id).cloned().unwrap_or_default(),
        }
    }
}
