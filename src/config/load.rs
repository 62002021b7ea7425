use super::Preferences;
use super::tab::{TabOverrides, pairs};
use crate::backend::client::{self, RequestCache};
use crate::backend::error::ApiFailure;
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

impl From<ApiFailure> for ConfigLoadError {
    fn from(e: ApiFailure) -> Self {
        match e {
            ApiFailure::Refused(refused) => ConfigLoadError::Status(refused.status),
            ApiFailure::Network(reason) => ConfigLoadError::Unreachable(reason),
            other => ConfigLoadError::Unreachable(other.to_string()),
        }
    }
}

/// The override pairs present in the page's URL query.
pub fn query_pairs() -> Vec<(&'static str, String)> {
    web_sys::UrlSearchParams::new_with_str(&url_query())
        .map(|params| pairs(&params))
        .unwrap_or_default()
}

fn url_query() -> String {
    leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default()
}

/// Applies saved preferences, then the URL overrides, to a parsed config.
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
/// The URL's overrides join the tab's (see [`TabOverrides`]), kept only once they are valid.
pub async fn load_config() -> Result<AppConfig, ConfigLoadError> {
    let text = client::document("config.json", RequestCache::NoCache).await?;
    let config = AppConfig::parse_json(&text)?;
    let preferences: Preferences = storage::load(Key::Preferences);
    let tab = TabOverrides::recall();
    let query = tab.as_ref().map(|tab| {
        tab.take_url(&url_query());
        tab.pairs()
    });
    let config = finish_config(config, &preferences, &query.unwrap_or_default())?;
    if let Some(tab) = tab {
        tab.keep();
    }
    Ok(config)
}
