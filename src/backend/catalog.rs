//! The service-tile catalog backend.

use super::error::BackendError;
use super::local::LocalCatalog;
use citizen_core::catalog::Catalog;
use citizen_core::config::AppConfig;
use citizen_core::module::{BackendKind, Module};

#[derive(Debug, Clone)]
pub enum CatalogBackend {
    Local(LocalCatalog),
}

impl CatalogBackend {
    /// The backend `config.json` chose for the services module. `rest` arrives with the
    /// reference server's API; until then it is refused with a clear message, not faked.
    pub fn from_config(config: &AppConfig) -> Result<CatalogBackend, BackendError> {
        match config.backend(Module::Services) {
            BackendKind::Local => Ok(CatalogBackend::Local(LocalCatalog)),
            kind => Err(BackendError::Unsupported {
                module: Module::Services,
                kind,
            }),
        }
    }

    /// The whole checked catalog, search index built.
    pub async fn load(&self) -> Result<Catalog, BackendError> {
        match self {
            CatalogBackend::Local(local) => local.load().await,
        }
    }
}
