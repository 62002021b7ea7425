//! Recently checked sessions, kept in memory for a minute so that a busy client's requests do not
//! each ask the database who they are. Signing out removes the entry at once; a role change shows
//! within a minute. One server owns its SQLite file, so this cache is never stale across servers.

use crate::store::people::Person;
use std::collections::HashMap;
use std::sync::Mutex;

const KEEP_SECS: i64 = 60;
/// Past this many entries the cache starts over, so memory stays bounded.
const MAX_ENTRIES: usize = 10_000;

struct Entry {
    person: Person,
    expires_at: i64,
    checked_at: i64,
}

#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
}

pub enum Cached {
    Valid(Person),
    Expired,
    Miss,
}

impl SessionCache {
    pub fn get(&self, digest: &[u8; 32], now: i64) -> Cached {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get(digest) {
            Some(e) if now >= e.expires_at => Cached::Expired,
            Some(e) if now < e.checked_at + KEEP_SECS => Cached::Valid(e.person.clone()),
            _ => Cached::Miss,
        }
    }

    pub fn put(&self, digest: [u8; 32], person: Person, expires_at: i64, now: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            digest,
            Entry {
                person,
                expires_at,
                checked_at: now,
            },
        );
    }

    pub fn forget(&self, digest: &[u8; 32]) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(digest);
    }
}
