use crate::backend::error::BackendError;
use crate::backend::http::get_text;
use citizen_core::catalog::Catalog;

/// `GET api/v1/catalog`: the server's catalog, with each tile's pinyin.
#[derive(Debug, Clone, Copy)]
pub struct RestCatalog;

impl RestCatalog {
    pub async fn load(&self) -> Result<Catalog, BackendError> {
        let text = get_text("api/v1/catalog").await?;
        Catalog::parse_json(&text).map_err(|e| BackendError::Invalid(e.to_string()))
    }
}
