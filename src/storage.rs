//! What a resident keeps on this device (favourites, recents, preferences, the sign-in), in
//! localStorage.
//! A missing or unreadable entry reads as the default: a corrupt value must never stop the app.

use gloo_storage::{LocalStorage, Storage};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Favourites,
    Recents,
    Preferences,
    /// The bearer token, its expiry and the person (never the password).
    Session,
    /// The request being written (every field, and the slots of its photos).
    RequestDraft,
    /// The in-browser (`local`) requests backend: every request, with the sequence and the
    /// idempotency keys it has seen. v2 names people by member id; v1's text ids are not read
    /// (its demo requests are left behind, as the time bank's v1 was).
    LocalRequests,
    /// Who the `local` backend's demo acts as (resident A, resident B, staff).
    DemoIdentity,
    /// The in-browser (`local`) time bank: records, transfers, family links.
    LocalTimebank,
    /// The in-browser (`local`) volunteering: activities with their secrets and sign-ups, mall
    /// items, the points book.
    LocalVolunteer,
    /// The requests filed at a city's GeoReport endpoint from this device, per person: their
    /// ids, or the tokens still waiting for one.
    CityReceipts,
}

impl Key {
    pub fn name(self) -> &'static str {
        match self {
            Key::Favourites => "citizen-cloud.favourites.v1",
            Key::Recents => "citizen-cloud.recents.v1",
            Key::Preferences => "citizen-cloud.preferences.v1",
            Key::Session => "citizen-cloud.session.v1",
            Key::RequestDraft => "citizen-cloud.request-draft.v1",
            Key::LocalRequests => "citizen-cloud.local-requests.v2",
            Key::DemoIdentity => "citizen-cloud.demo-identity.v1",
            Key::LocalTimebank => "citizen-cloud.local-timebank.v2",
            Key::LocalVolunteer => "citizen-cloud.local-volunteer.v2",
            Key::CityReceipts => "citizen-cloud.city-receipts.v1",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not save {key}: {reason}")]
pub struct SaveError {
    pub key: &'static str,
    pub reason: String,
}

pub fn load<T: DeserializeOwned + Default>(key: Key) -> T {
    LocalStorage::get(key.name()).unwrap_or_default()
}

/// Fails when storage is full or switched off (private browsing in some webviews).
pub fn save<T: Serialize>(key: Key, value: &T) -> Result<(), SaveError> {
    LocalStorage::set(key.name(), value).map_err(|e| SaveError {
        key: key.name(),
        reason: e.to_string(),
    })
}

/// A key's stamp (see [`load_cached`]), and the value read under it.
type Parsed = (&'static str, String, Rc<dyn Any>);

thread_local! {
    /// The last value read or written per key, with its stamp.
    static PARSED: RefCell<Vec<Parsed>> = const { RefCell::new(Vec::new()) };
}

fn local() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// Where a key's stamp is kept, beside its text.
fn stamp_name(key: Key) -> String {
    format!("{}.stamp", key.name())
}

/// A fresh stamp: random, so that two tabs writing at once cannot write the same one.
fn new_stamp() -> String {
    format!(
        "{:x}",
        (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
    )
}

fn remember(key: Key, stamp: String, value: Rc<dyn Any>) {
    PARSED.with_borrow_mut(|cache| {
        cache.retain(|(k, _, _)| *k != key.name());
        cache.push((key.name(), stamp, value));
    });
}

fn forget(key: Key) {
    PARSED.with_borrow_mut(|cache| cache.retain(|(k, _, _)| *k != key.name()));
}

/// Like [`load`], for the in-browser backends' large stores, whose reading replays every rule
/// (a 10,000-line time bank takes about 20 ms): the value is shared, not copied, and parsed
/// again only when the stored text changed, by this page or another tab. Every
/// [`save_cached`] writes a new random stamp beside the text, so reading the short stamp tells
/// whether the text changed; reading and comparing the text itself (1.35 MB for 10,000
/// transfers) cost more than the rest of a statement page. Text found without a stamp (written
/// by a test's seed, or by a version before stamps) is given one when it is first read.
/// [`remove_cached`] removes both.
pub fn load_cached<T: DeserializeOwned + Default + 'static>(key: Key) -> Rc<T> {
    let Some(local) = local() else {
        return Rc::default();
    };
    // The stamp before the text: a write between the two reads leaves this page holding an
    // older stamp with newer text, which the next read parses again; never the reverse.
    let stamp = local.get_item(&stamp_name(key)).ok().flatten();
    if let Some(stamp) = &stamp {
        let hit = PARSED.with_borrow(|cache| {
            cache
                .iter()
                .find(|(k, s, _)| *k == key.name() && s == stamp)
                .and_then(|(_, _, value)| Rc::clone(value).downcast::<T>().ok())
        });
        if let Some(value) = hit {
            return value;
        }
    }
    let Ok(Some(raw)) = local.get_item(key.name()) else {
        return Rc::default();
    };
    let value = Rc::new(serde_json::from_str::<T>(&raw).unwrap_or_default());
    let stamp = stamp.unwrap_or_else(|| {
        let stamp = new_stamp();
        let _ = local.set_item(&stamp_name(key), &stamp);
        stamp
    });
    remember(key, stamp, value.clone());
    value
}

/// Like [`save`], with a new stamp for [`load_cached`], keeping the value so the next read does
/// not parse it.
pub fn save_cached<T: Serialize + Clone + 'static>(key: Key, value: &T) -> Result<(), SaveError> {
    let error = |reason: String| SaveError {
        key: key.name(),
        reason,
    };
    let raw = serde_json::to_string(value).map_err(|e| error(e.to_string()))?;
    let local = local().ok_or_else(|| error("storage is switched off".into()))?;
    forget(key);
    local
        .set_item(key.name(), &raw)
        .map_err(|e| error(format!("{e:?}")))?;
    let stamp = new_stamp();
    if local.set_item(&stamp_name(key), &stamp).is_err() {
        // Saved, but without a new stamp no page would see the change: with none, every page
        // reads the text again, and the next read gives it one.
        let _ = local.remove_item(&stamp_name(key));
        return Ok(());
    }
    remember(key, stamp, Rc::new(value.clone()));
    Ok(())
}

/// Best effort: where storage is switched off there is nothing to remove.
pub fn remove(key: Key) {
    if let Some(local) = local() {
        let _ = local.remove_item(key.name());
    }
}

/// Like [`remove`], for a key kept by [`save_cached`]: its stamp and this page's value go too.
pub fn remove_cached(key: Key) {
    forget(key);
    if let Some(local) = local() {
        let _ = local.remove_item(key.name());
        let _ = local.remove_item(&stamp_name(key));
    }
}

/// Screen state for this tab only (sessionStorage): what a page shows again when the resident
/// comes back to it, even if the webview re-ran the page. Best effort: without storage the
/// screen simply starts fresh.
pub mod screen {
    fn session() -> Option<web_sys::Storage> {
        leptos::prelude::window().session_storage().ok().flatten()
    }

    fn key(name: &str) -> String {
        format!("citizen-cloud.screen.{name}")
    }

    pub fn recall(name: &str) -> Option<String> {
        session()?.get_item(&key(name)).ok().flatten()
    }

    pub fn remember(name: &str, value: &str) {
        if let Some(s) = session() {
            let _ = s.set_item(&key(name), value);
        }
    }

    pub fn forget(name: &str) {
        if let Some(s) = session() {
            let _ = s.remove_item(&key(name));
        }
    }
}
