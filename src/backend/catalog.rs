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
    /// The backend `config.json` chose for the services module; `None` for a kind without a
    /// catalog (the config parser already refuses `open311` here: GeoReport has none).
    pub fn from_config(config: &AppConfig) -> Option<CatalogBackend> {
        match config.backend(Module::Services) {
            BackendKind::Local => Some(CatalogBackend::Local(LocalCatalog)),
            BackendKind::Rest => Some(CatalogBackend::Rest(RestCatalog)),
            _ => None,
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
