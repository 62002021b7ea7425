//! The service-tile catalog backend.

use super::error::BackendError;
use super::http::get_catalog;
use super::local::LocalCatalog;
use super::rest::RestCatalog;
use citizen_core::catalog::Catalog;
use citizen_core::config::AppConfig;
use citizen_core::module::{BackendKind, Module};

#[derive(Debug, Clone)]
pub enum CatalogBackend {
    Local(LocalCatalog),
    Rest(RestCatalog),
}

impl CatalogBackend {
    /// The backend `config.json` chose for the services module. The config parser already
    /// refuses `open311` here (GeoReport has no catalog); this match keeps the refusal typed.
    pub fn from_config(config: &AppConfig) -> Result<CatalogBackend, BackendError> {
        match config.backend(Module::Services) {
            BackendKind::Local => Ok(CatalogBackend::Local(LocalCatalog)),
            BackendKind::Rest => Ok(CatalogBackend::Rest(RestCatalog)),
            kind => Err(BackendError::Unsupported {
                module: Module::Services,
                kind,
            }),
        }
    }

    /// The whole checked catalog, search index built. Both backends serve the same document
    /// format, so they differ only by address (and one loading path keeps the bundle smaller).
    pub async fn load(&self) -> Result<Catalog, BackendError> {
        let address = match self {
            CatalogBackend::Local(local) => local.address(),
            CatalogBackend::Rest(rest) => rest.address(),
        };
        get_catalog(address).await
    }
}
