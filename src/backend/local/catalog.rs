use crate::backend::error::BackendError;
use crate::backend::http::get_catalog;
use citizen_core::catalog::Catalog;

/// The catalog shipped beside the bundle as `catalog.json` (fetched, not compiled in, so the
/// first download stays small and the browser caches it separately).
#[derive(Debug, Clone, Copy)]
pub struct LocalCatalog;

impl LocalCatalog {
    pub async fn load(&self) -> Result<Catalog, BackendError> {
        get_catalog("catalog.json").await
    }
}
