//! The service-tile catalog backend.

use super::client;
use super::error::{ApiFailure, Failure};
use super::local::LocalCatalog;
use super::rest::RestCatalog;
use crate::i18n::Msg;
use citizen_core::catalog::Catalog;
use citizen_core::config::AppConfig;
use citizen_core::module::{BackendKind, Module};

/// Why the catalog did not load, worded for the home page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Api(#[from] ApiFailure),
    /// The document arrived but the core refused it.
    #[error("the catalog could not be read: {0}")]
    Invalid(String),
}

/// Worded for the home page.
impl Failure for CatalogError {
    fn message(&self) -> Msg {
        match self {
            CatalogError::Api(ApiFailure::Network(_)) => Msg::NetworkDown,
            CatalogError::Api(ApiFailure::Unsupported { .. }) => Msg::BackendUnsupported,
            CatalogError::Api(ApiFailure::Invalid(_)) | CatalogError::Invalid(_) => {
                Msg::CatalogInvalid
            }
            CatalogError::Api(_) => Msg::CatalogFailed,
        }
    }
}

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

    /// Where this backend reads the catalog (relative to the page's `<base>`).
    pub fn address(&self) -> &'static str {
        match self {
            CatalogBackend::Local(local) => local.address(),
            CatalogBackend::Rest(rest) => rest.address(),
        }
    }
}

/// The whole checked catalog from `address` (a backend's, see [`CatalogBackend::address`]). Both
/// backends serve the same document format, so they differ only by address (and one loading path
/// keeps the bundle smaller). The request goes out now, not when the answer is first awaited
/// (see [`client::document`]).
pub fn load_at(address: &'static str) -> impl Future<Output = Result<Catalog, CatalogError>> {
    let text = client::document(address, client::RequestCache::Default);
    async move {
        let text = text.await?;
        Catalog::parse_json(&text).map_err(|e| CatalogError::Invalid(e.to_string()))
    }
}
