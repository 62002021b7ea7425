use super::catalog::CatalogError;
use super::client;
use citizen_core::catalog::Catalog;

/// A catalog document, checked and indexed by the core (the same format from every backend).
pub async fn get_catalog(url: &str) -> Result<Catalog, CatalogError> {
    let text = client::document(url, client::RequestCache::Default).await?;
    Catalog::parse_json(&text).map_err(|e| CatalogError::Invalid(e.to_string()))
}
