//! The people a view mentions, as `MemberRef`s (id and display name): shared by the time bank
//! and volunteering, whose views name members.

use crate::store::people;
use citizen_core::ids::MemberId;
use citizen_core::timebank::MemberRef;
use rusqlite::Connection;
use std::collections::{BTreeSet, HashMap};

/// The display names of the members a view mentions, looked up once.
pub struct Members(HashMap<MemberId, String>);

impl Members {
    pub fn of<'a>(
        conn: &Connection,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> rusqlite::Result<Members> {
        let ids: BTreeSet<MemberId> = ids.into_iter().filter_map(|id| id.parse().ok()).collect();
        Ok(Members(people::names(conn, ids)?))
    }

    pub fn get(&self, member: &str) -> MemberRef {
        let id = member.parse().unwrap_or_default();
        MemberRef {
            id,
            name: self.0.get(&id).cloned().unwrap_or_default(),
        }
    }
}
