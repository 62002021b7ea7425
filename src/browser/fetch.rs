//! The one way the app talks HTTP: relative to the page's base (so the bundle works under any
//! base path), bodies as text. Config loading and every backend go through [`call`]. Plain
//! `fetch` through web-sys: a wrapper crate weighed 1.6 KB gzip on every first load.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
pub use web_sys::RequestCache;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the network request failed: {0}")]
    Network(String),
    #[error("the server answered HTTP {0}")]
    Status(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// What to send: JSON (the API's body format), a form (`application/x-www-form-urlencoded`, as
/// GeoReport takes), or a blob (a photo) with the blob's own type.
pub struct Call<'a> {
    pub method: Method,
    pub url: &'a str,
    pub cache: RequestCache,
    /// `Authorization: Bearer …`, for calls made on behalf of a signed-in person.
    pub bearer: Option<&'a str>,
    pub json: Option<String>,
    pub form: Option<&'a web_sys::UrlSearchParams>,
    pub blob: Option<&'a web_sys::Blob>,
    /// `Idempotency-Key`: the server answers a repeat of the same call without doing it twice.
    pub idempotency_key: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub fn new(method: Method, url: &'a str) -> Call<'a> {
        Call {
            method,
            url,
            cache: RequestCache::Default,
            bearer: None,
            json: None,
            form: None,
            blob: None,
            idempotency_key: None,
        }
    }
}

/// Whatever the server answered, errors included: the API explains failures in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    /// `Retry-After` in seconds, when the server sent one.
    pub retry_after: Option<u32>,
    pub body: String,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn network(error: JsValue) -> FetchError {
    FetchError::Network(
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{error:?}")),
    )
}

/// Sends one request. Fails only when no answer arrived (offline, refused, aborted).
pub async fn call(call: Call<'_>) -> Result<Reply, FetchError> {
    let headers = web_sys::Headers::new().map_err(network)?;
    if let Some(token) = call.bearer {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(network)?;
    }
    if let Some(key) = call.idempotency_key {
        headers.set("Idempotency-Key", key).map_err(network)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(call.method.as_str());
    init.set_cache(call.cache);
    if let Some(json) = call.json {
        headers
            .set("Content-Type", "application/json")
            .map_err(network)?;
        init.set_body(&JsValue::from_str(&json));
    }
    if let Some(form) = call.form {
        headers
            .set("Content-Type", "application/x-www-form-urlencoded")
            .map_err(network)?;
        init.set_body(&JsValue::from(form.to_string()));
    }
    if let Some(blob) = call.blob {
        headers
            .set("Content-Type", &blob.type_())
            .map_err(network)?;
        init.set_body(blob);
    }
    init.set_headers(&headers);
    let promise = leptos::prelude::window().fetch_with_str_and_init(call.url, &init);
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(network)?
        .unchecked_into();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|s| s.trim().parse().ok());
    let body = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    Ok(Reply {
        status: response.status(),
        retry_after,
        body,
    })
}

/// GETs a document; any status but 2xx is an error.
pub async fn get_text(url: &str, cache: RequestCache) -> Result<String, FetchError> {
    let reply = call(Call {
        cache,
        ..Call::new(Method::Get, url)
    })
    .await?;
    if !reply.ok() {
        return Err(FetchError::Status(reply.status));
    }
    Ok(reply.body)
}
