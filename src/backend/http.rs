use super::error::BackendError;
use citizen_core::catalog::Catalog;
use gloo_net::http::Request;

/// GETs a document relative to the page's base (so the app works under any base path) as text.
pub async fn get_text(url: &str) -> Result<String, BackendError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| BackendError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(BackendError::Status(response.status()));
    }
    response
        .text()
        .await
        .map_err(|e| BackendError::Network(e.to_string()))
}

/// A catalog document, checked and indexed by the core (the same format from every backend).
pub async fn get_catalog(url: &str) -> Result<Catalog, BackendError> {
    let text = get_text(url).await?;
    Catalog::parse_json(&text).map_err(|e| BackendError::Invalid(e.to_string()))
}
