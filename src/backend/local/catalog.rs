use crate::backend::error::BackendError;
use citizen_core::catalog::Catalog;
use gloo_net::http::Request;

/// The catalog shipped beside the bundle as `catalog.json` (fetched, not compiled in, so the
/// first download stays small and the browser caches it separately).
#[derive(Debug, Clone, Copy)]
pub struct LocalCatalog;

impl LocalCatalog {
    pub async fn load(&self) -> Result<Catalog, BackendError> {
        let response = Request::get("catalog.json")
            .send()
            .await
            .map_err(|e| BackendError::Network(e.to_string()))?;
        if !response.ok() {
            return Err(BackendError::Status(response.status()));
        }
        let text = response
            .text()
            .await
            .map_err(|e| BackendError::Network(e.to_string()))?;
        Catalog::parse_json(&text).map_err(|e| BackendError::Invalid(e.to_string()))
    }
}
