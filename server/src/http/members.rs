//! The people a view mentions, as `MemberRef`s (id and display name): shared by the time bank
//! and volunteering, whose views name members.

use crate::store::people;
use crate::store::sql::{self, Connection};
use citizen_core::ids::MemberId;
use citizen_core::timebank::MemberRef;
use std::collections::{BTreeSet, HashMap};

/// The display names of the members a view mentions, looked up once.
pub struct Members(HashMap<MemberId, String>);

impl Members {
    pub fn of(conn: &Connection, ids: impl IntoIterator<Item = MemberId>) -> sql::Result<Members> {
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
