use super::Preferences;
use crate::browser::fetch::{FetchError, RequestCache, get_text};
use crate::storage::{self, Key};
use citizen_core::config::{AppConfig, ConfigError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigLoadError {
    #[error("config.json could not be fetched: {0}")]
    Unreachable(String),
    #[error("config.json answered HTTP {0}")]
    Status(u16),
    #[error(transparent)]
    Invalid(#[from] ConfigError),
}

impl From<FetchError> for ConfigLoadError {
    fn from(e: FetchError) -> Self {
        match e {
            FetchError::Network(reason) => ConfigLoadError::Unreachable(reason),
            FetchError::Status(status) => ConfigLoadError::Status(status),
        }
    }
}

/// The query keys that override configuration (see [`AppConfig::apply_query`]).
const QUERY_KEYS: [&str; 5] = ["lang", "large", "modules", "community", "theme"];

/// The override pairs present in the page's URL query.
pub fn query_pairs() -> Vec<(&'static str, String)> {
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    QUERY_KEYS
        .into_iter()
        .filter_map(|k| params.get(k).map(|v| (k, v)))
        .collect()
}

/// Applies saved preferences, then the URL query, to a parsed config.
pub fn finish_config(
    mut config: AppConfig,
    preferences: &Preferences,
    query: &[(&'static str, String)],
) -> Result<AppConfig, ConfigError> {
    if let Some(lang) = preferences.lang {
        config.lang = lang;
    }
    if let Some(large) = preferences.large_text {
        config.large_text = large;
    }
    config.apply_query(query.iter().map(|(k, v)| (*k, v.as_str())))?;
    Ok(config)
}

/// Fetches `config.json` relative to the page's base, so the bundle works under any base path.
pub async fn load_config() -> Result<AppConfig, ConfigLoadError> {
    let text = get_text("config.json", RequestCache::NoCache).await?;
    let config = AppConfig::parse_json(&text)?;
    let preferences: Preferences = storage::load(Key::Preferences);
    Ok(finish_config(config, &preferences, &query_pairs())?)
}
