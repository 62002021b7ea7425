//! URL overrides (`?lang=en&large=1&modules=…&community=…&theme=…`) last for the browser tab:
//! kept in sessionStorage, so in-app navigation (which drops the query) and a reload keep them.
//!
//! Precedence, strongest first: a value in this load's URL that the tab has not seen before;
//! the tab's kept value (the resident's own choice in 我的 replaces it for this tab); the
//! resident's saved choice (this device); `config.json`. A host that passes the same query on
//! every load is obeyed once and does not undo the resident's later choice, so a reload never
//! switches the language under the resident; a host that passes a new value is obeyed.
//!
//! Kept as query strings handled by the browser's `URLSearchParams`: this runs before the first
//! screen, in the first-load module, where every byte counts.

use crate::storage::screen;
use web_sys::UrlSearchParams;

/// The query keys that override configuration (see `AppConfig::apply_query`).
const QUERY_KEYS: [&str; 5] = ["lang", "large", "modules", "community", "theme"];
/// The `screen` entries: each key's value as a URL last gave it, and what applies now.
const SEEN: &str = "overrides.seen";
const VALUES: &str = "overrides";

/// The override pairs among `params`, in [`QUERY_KEYS`] order.
pub fn pairs(params: &UrlSearchParams) -> Vec<(&'static str, String)> {
    QUERY_KEYS
        .into_iter()
        .filter_map(|k| params.get(k).map(|v| (k, v)))
        .collect()
}

pub struct TabOverrides {
    seen: UrlSearchParams,
    values: UrlSearchParams,
}

impl TabOverrides {
    /// What this tab has kept; `None` only where the browser has no `URLSearchParams`.
    pub fn recall() -> Option<TabOverrides> {
        let read = |name| UrlSearchParams::new_with_str(&screen::recall(name).unwrap_or_default());
        Some(TabOverrides {
            seen: read(SEEN).ok()?,
            values: read(VALUES).ok()?,
        })
    }

    /// Takes in a load's query string: a value this tab has not seen applies from now on; one it
    /// has seen (a reload, a host repeating itself) leaves the tab's value as it is.
    pub fn take_url(&self, search: &str) {
        let Ok(url) = UrlSearchParams::new_with_str(search) else {
            return;
        };
        for key in QUERY_KEYS {
            if let Some(value) = url.get(key)
                && self.seen.get(key).as_ref() != Some(&value)
            {
                self.seen.set(key, &value);
                self.values.set(key, &value);
            }
        }
    }

    /// The resident chose `value` for `key` (`lang`, `large`) in 我的: where this tab has an
    /// override for that key, the choice replaces it.
    pub fn choose(&self, key: &str, value: &str) {
        if self.values.has(key) {
            self.values.set(key, value);
        }
    }

    /// What applies in this tab, for `AppConfig::apply_query`.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        pairs(&self.values)
    }

    /// Best effort: without session storage an override lasts for this page load only.
    pub fn keep(&self) {
        screen::remember(SEEN, &String::from(self.seen.to_string()));
        screen::remember(VALUES, &String::from(self.values.to_string()));
    }
}
