//! The one way the app GETs a document: relative to the page's base (so the bundle works under
//! any base path), as text. Config loading and every backend go through here.

use gloo_net::http::Request;
pub use web_sys::RequestCache;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the network request failed: {0}")]
    Network(String),
    #[error("the server answered HTTP {0}")]
    Status(u16),
}

pub async fn get_text(url: &str, cache: RequestCache) -> Result<String, FetchError> {
    let response = Request::get(url)
        .cache(cache)
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    response
        .text()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))
}
