//! Recently checked sessions, kept in memory so that a busy client's requests do not each ask the
//! database who they are. On SQLite one server owns the file: an entry is kept a minute, signing
//! out removes it at once, a role change shows within a minute. On PostgreSQL several replicas
//! share the sessions and a sign-out or a password reset on one must reach the others: an entry is
//! kept only within the second it was checked, so every replica refuses a revoked token within
//! one second (at the cost of one look-up per token per second per replica).

use crate::store::people::Person;
use crate::store::sql::Engine;
use std::collections::HashMap;
use std::sync::Mutex;

/// How long an entry is trusted on one server's own SQLite file.
const KEEP_SECS: i64 = 60;
/// How long an entry is trusted when replicas share the sessions: within its second.
const SHARED_KEEP_SECS: i64 = 1;
/// Past this many entries the cache starts over, so memory stays bounded.
const MAX_ENTRIES: usize = 10_000;

struct Entry {
    person: Person,
    expires_at: i64,
    checked_at: i64,
}

pub struct SessionCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
    keep_secs: i64,
}

pub enum Cached {
    Valid(Person),
    Expired,
    Miss,
}

impl SessionCache {
    /// The cache for a server on `engine` (see the module's comment).
    pub fn for_engine(engine: Engine) -> SessionCache {
        SessionCache {
            entries: Mutex::default(),
            keep_secs: match engine {
                Engine::Sqlite => KEEP_SECS,
                Engine::Postgres => SHARED_KEEP_SECS,
            },
        }
    }

    pub fn get(&self, digest: &[u8; 32], now: i64) -> Cached {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get(digest) {
            Some(e) if now >= e.expires_at => Cached::Expired,
            Some(e) if now < e.checked_at + self.keep_secs => Cached::Valid(e.person.clone()),
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
