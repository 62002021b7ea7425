//! The one way the app GETs a document: relative to the page's base (so the bundle works under
//! any base path), as text. Config loading and every backend go through here. Plain `fetch`
//! through web-sys: a wrapper crate would add kilobytes to every first load for two calls.

pub use web_sys::RequestCache;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the network request failed: {0}")]
    Network(String),
    #[error("the server answered HTTP {0}")]
    Status(u16),
}

fn network(error: wasm_bindgen::JsValue) -> FetchError {
    FetchError::Network(
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{error:?}")),
    )
}

pub async fn get_text(url: &str, cache: RequestCache) -> Result<String, FetchError> {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_cache(cache);
    let promise = leptos::prelude::window().fetch_with_str_and_init(url, &init);
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(network)?
        .unchecked_into();
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let text = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?;
    Ok(text.as_string().unwrap_or_default())
}
