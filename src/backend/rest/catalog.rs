use crate::backend::error::BackendError;
use crate::backend::http::get_catalog;
use citizen_core::catalog::Catalog;

/// `GET api/v1/catalog`: the server's catalog, with each tile's pinyin.
#[derive(Debug, Clone, Copy)]
pub struct RestCatalog;

impl RestCatalog {
    pub async fn load(&self) -> Result<Catalog, BackendError> {
        get_catalog("api/v1/catalog").await
    }
}
