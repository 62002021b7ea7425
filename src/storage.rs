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
    /// idempotency keys it has seen.
    LocalRequests,
    /// Who the `local` backend's demo acts as (resident A, resident B, staff).
    DemoIdentity,
    /// The in-browser (`local`) time bank: records, transfers, family links.
    LocalTimebank,
    /// The in-browser (`local`) volunteering: activities with their secrets and sign-ups, mall
    /// items, the points book.
    LocalVolunteer,
}

impl Key {
    pub fn name(self) -> &'static str {
        match self {
            Key::Favourites => "citizen-cloud.favourites.v1",
            Key::Recents => "citizen-cloud.recents.v1",
            Key::Preferences => "citizen-cloud.preferences.v1",
            Key::Session => "citizen-cloud.session.v1",
            Key::RequestDraft => "citizen-cloud.request-draft.v1",
            Key::LocalRequests => "citizen-cloud.local-requests.v1",
            Key::DemoIdentity => "citizen-cloud.demo-identity.v1",
            Key::LocalTimebank => "citizen-cloud.local-timebank.v2",
            Key::LocalVolunteer => "citizen-cloud.local-volunteer.v2",
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

/// A key's stored text, and the value parsed from it.
type Parsed = (&'static str, String, Rc<dyn Any>);

thread_local! {
    /// The last text read or written per key, with the value it holds.
    static PARSED: RefCell<Vec<Parsed>> = const { RefCell::new(Vec::new()) };
}

fn remember<T: 'static>(key: Key, raw: String, value: T) {
    PARSED.with_borrow_mut(|cache| {
        cache.retain(|(k, _, _)| *k != key.name());
        cache.push((key.name(), raw, Rc::new(value)));
    });
}

/// Like [`load`], for the in-browser backends' large stores, whose reading replays every rule
/// (a 10,000-line time bank takes about 20 ms): the value is parsed again only when the stored
/// text changed, by this page or another tab. Comparing the text costs far less than parsing it.
pub fn load_cached<T: DeserializeOwned + Default + Clone + 'static>(key: Key) -> T {
    let Ok(Some(raw)) = LocalStorage::raw().get_item(key.name()) else {
        return T::default();
    };
    let hit = PARSED.with_borrow(|cache| {
        cache
            .iter()
            .find(|(k, text, _)| *k == key.name() && *text == raw)
            .and_then(|(_, _, value)| value.downcast_ref::<T>().cloned())
    });
    if let Some(value) = hit {
        return value;
    }
    let value: T = serde_json::from_str(&raw).unwrap_or_default();
    remember(key, raw, value.clone());
    value
}

/// Like [`save`], keeping the value for [`load_cached`] so the next read does not parse it.
pub fn save_cached<T: Serialize + Clone + 'static>(key: Key, value: &T) -> Result<(), SaveError> {
    let error = |reason: String| SaveError {
        key: key.name(),
        reason,
    };
    let raw = serde_json::to_string(value).map_err(|e| error(e.to_string()))?;
    LocalStorage::raw()
        .set_item(key.name(), &raw)
        .map_err(|e| error(format!("{e:?}")))?;
    remember(key, raw, value.clone());
    Ok(())
}

/// Best effort: where storage is switched off there is nothing to remove.
pub fn remove(key: Key) {
    if let Ok(Some(local)) = leptos::prelude::window().local_storage() {
        let _ = local.remove_item(key.name());
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
