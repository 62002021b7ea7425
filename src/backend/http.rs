use super::error::BackendError;
use crate::browser::fetch::{RequestCache, get_text};
use citizen_core::catalog::Catalog;

/// A catalog document, checked and indexed by the core (the same format from every backend).
pub async fn get_catalog(url: &str) -> Result<Catalog, BackendError> {
    let text = get_text(url, RequestCache::Default).await?;
    Catalog::parse_json(&text).map_err(|e| BackendError::Invalid(e.to_string()))
}
