//! The in-browser requests backend, for static hosting and demos: requests kept in localStorage,
//! photos in IndexedDB, and the core's rules (`RequestRecord`: the workflow, who reads what, the
//! figures) applied exactly as the server applies them. There are no accounts: the demo identity
//! picked in 我的 acts, and its id is the "token" the screens pass; requests name it by its
//! member id, as the server names people.

use super::DemoPerson;
use crate::backend::error::ApiFailure;
use crate::backend::requests::RequestsError;
use crate::browser::clock::unix_now as now;
use crate::browser::idb::{self, Store};
use crate::storage::{self, Key};
use citizen_core::requests::{
    CategoryCode, CommandBody, CommandError, NewRequest, PhotoId, Reader, RequestRecord,
    RequestState, RequestStats, RequestView, TrackingNumber, TransitionError, statistics,
};
use serde::{Deserialize, Serialize};

/// Every demo identity belongs to one community.
const COMMUNITY: &str = "demo";
/// Chengdu's letters, as on the reference server.
const CITY: &str = "CD";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    /// The last sequence number issued: tracking numbers are never reused.
    sequence: u64,
    /// Idempotency keys seen, with the tracking number each filed.
    keys: Vec<(String, String)>,
    requests: Vec<RequestRecord>,
}

fn load() -> Stored {
    storage::load(Key::LocalRequests)
}

fn save(stored: &Stored) -> Result<(), RequestsError> {
    storage::save(Key::LocalRequests, stored)
        .map_err(|e| RequestsError::Api(ApiFailure::Storage(e.to_string())))
}

fn who(token: &str) -> Result<DemoPerson, RequestsError> {
    DemoPerson::from_token(token).map_err(RequestsError::Api)
}

/// The demo person as the core's rules see them: staff of the demo community, or a resident.
fn reader(person: DemoPerson) -> Reader<'static> {
    Reader {
        id: person.member(),
        staff_of: (person == DemoPerson::Staff).then_some(COMMUNITY),
    }
}

fn view(record: &RequestRecord, person: DemoPerson) -> RequestView {
    record.view(reader(person), now())
}

fn photo_key(id: &PhotoId) -> String {
    format!("photo-{id}")
}

/// The same key always names the same photo, so a retried upload overwrites itself.
fn photo_id(key: &str) -> PhotoId {
    let mut bytes = [0u8; 16];
    // FNV-1a over the key, twice with different seeds: enough to tell the keys of one device apart.
    for (half, seed) in [(0, 0xcbf2_9ce4_8422_2325_u64), (8, 0x8422_2325_cbf2_9ce4)] {
        let mut hash = seed;
        for b in key.bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        bytes[half..half + 8].copy_from_slice(&hash.to_be_bytes());
    }
    PhotoId::from_random(bytes)
}

#[derive(Debug, Clone, Copy)]
pub struct LocalRequests;

impl LocalRequests {
    pub async fn upload_photo(
        self,
        _who: &str,
        photo: &web_sys::Blob,
        key: &str,
    ) -> Result<PhotoId, RequestsError> {
        let id = photo_id(key);
        let stored = match idb::open().await {
            Ok(db) => db.put_blob(Store::Photos, &photo_key(&id), photo).await,
            Err(e) => Err(e),
        };
        stored.map_err(|e| RequestsError::Api(ApiFailure::Storage(e.to_string())))?;
        Ok(id)
    }

    /// A photo's blob as an object URL for an `<img>`.
    pub async fn photo_url(self, id: &PhotoId) -> Option<String> {
        let blob = idb::open()
            .await
            .ok()?
            .get_blob(Store::Photos, &photo_key(id))
            .await
            .ok()??;
        web_sys::Url::create_object_url_with_blob(&blob).ok()
    }

    pub async fn file(
        self,
        token: &str,
        request: &NewRequest,
        key: &str,
    ) -> Result<RequestView, RequestsError> {
        let me = who(token)?;
        if me == DemoPerson::Staff {
            return Err(RequestsError::Api(ApiFailure::refused(
                403,
                "forbidden",
                "staff do not file requests",
            )));
        }
        request
            .check()
            .map_err(|e| RequestsError::Field(e.field.to_owned()))?;
        let mut stored = load();
        if let Some((_, tracking)) = stored.keys.iter().find(|(k, _)| k == key) {
            let tracking = tracking.clone();
            return self.one(token, &tracking).await;
        }
        stored.sequence += 1;
        let tracking = TrackingNumber::issue(CITY, stored.sequence, now()).to_string();
        let record = RequestRecord::file(tracking.clone(), me.member(), COMMUNITY, request, now());
        let filed = view(&record, me);
        stored.requests.push(record);
        stored.keys.push((key.to_owned(), tracking));
        save(&stored)?;
        Ok(filed)
    }

    /// My requests, newest first.
    pub async fn mine(self, token: &str) -> Result<Vec<RequestView>, RequestsError> {
        let me = who(token)?;
        Ok(load()
            .requests
            .iter()
            .rev()
            .filter(|r| r.is_owner(reader(me)))
            .map(|r| view(r, me))
            .collect())
    }

    pub async fn one(self, token: &str, tracking: &str) -> Result<RequestView, RequestsError> {
        let me = who(token)?;
        load()
            .requests
            .iter()
            .find(|r| r.tracking == tracking && r.may_read(reader(me)))
            .map(|r| view(r, me))
            .ok_or(RequestsError::NotFound)
    }

    /// The community's queue, oldest first (staff only).
    pub async fn queue(
        self,
        token: &str,
        state: Option<&str>,
        category: Option<&str>,
    ) -> Result<Vec<RequestView>, RequestsError> {
        let me = who(token)?;
        let state = state.map(RequestState::parse);
        let category = category.map(CategoryCode::parse);
        if matches!(state, Some(None)) {
            return Err(RequestsError::Field("state".into()));
        }
        if matches!(category, Some(None)) {
            return Err(RequestsError::Field("category".into()));
        }
        Ok(load()
            .requests
            .iter()
            .filter(|r| r.is_staff(reader(me)))
            .filter(|r| state.flatten().is_none_or(|s| r.workflow.state == s))
            .filter(|r| category.flatten().is_none_or(|c| r.category == c))
            .map(|r| view(r, me))
            .collect())
    }

    pub async fn stats(self, token: &str) -> Result<RequestStats, RequestsError> {
        let me = who(token)?;
        let stored = load();
        Ok(statistics(
            stored.requests.iter().filter(|r| r.is_staff(reader(me))),
        ))
    }

    pub async fn command(
        self,
        token: &str,
        tracking: &str,
        body: &CommandBody,
    ) -> Result<RequestView, RequestsError> {
        let me = who(token)?;
        let mut stored = load();
        let record = stored
            .requests
            .iter_mut()
            .find(|r| r.tracking == tracking && r.may_read(reader(me)))
            .ok_or(RequestsError::NotFound)?;
        record
            .command(reader(me), body, now())
            .map_err(|e| match e {
                CommandError::Field(e) => RequestsError::Field(e.field.to_owned()),
                CommandError::Refused(TransitionError::TooManySupplements) => {
                    RequestsError::TooManySupplements
                }
                CommandError::Forbidden(_) | CommandError::Refused(_) => RequestsError::Refused,
            })?;
        let updated = view(record, me);
        save(&stored)?;
        Ok(updated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_key_always_names_the_same_photo_and_keys_differ() {
        assert_eq!(photo_id("abc-p0"), photo_id("abc-p0"));
        assert_ne!(photo_id("abc-p0"), photo_id("abc-p1"));
        assert_eq!(photo_id("abc-p0").as_str().len(), 32);
    }
}
