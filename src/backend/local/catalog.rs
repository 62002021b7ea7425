use crate::backend::error::BackendError;
use crate::backend::http::get_text;
use citizen_core::catalog::Catalog;

/// The catalog shipped beside the bundle as `catalog.json` (fetched, not compiled in, so the
/// first download stays small and the browser caches it separately).
#[derive(Debug, Clone, Copy)]
pub struct LocalCatalog;

impl LocalCatalog {
    pub async fn load(&self) -> Result<Catalog, BackendError> {
        let text = get_text("catalog.json").await?;
        Catalog::parse_json(&text).map_err(|e| BackendError::Invalid(e.to_string()))
    }
}
