//! The one way the app talks HTTP: relative to the page's base (so the bundle works under any
//! base path), bodies as text. Config loading and every backend go through [`call`].

pub use gloo_net::http::Method;
use gloo_net::http::RequestBuilder;
pub use web_sys::RequestCache;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the network request failed: {0}")]
    Network(String),
    #[error("the server answered HTTP {0}")]
    Status(u16),
}

/// What to send. Methods other than GET carry JSON (the API's only body format).
pub struct Call<'a> {
    pub method: Method,
    pub url: &'a str,
    pub cache: RequestCache,
    /// `Authorization: Bearer …`, for calls made on behalf of a signed-in person.
    pub bearer: Option<&'a str>,
    pub json: Option<String>,
}

impl<'a> Call<'a> {
    pub fn new(method: Method, url: &'a str) -> Call<'a> {
        Call {
            method,
            url,
            cache: RequestCache::Default,
            bearer: None,
            json: None,
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

/// Sends one request. Fails only when no answer arrived (offline, refused, aborted).
pub async fn call(call: Call<'_>) -> Result<Reply, FetchError> {
    let mut builder = RequestBuilder::new(call.url)
        .method(call.method)
        .cache(call.cache);
    if let Some(token) = call.bearer {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match call.json {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json),
        None => builder.build(),
    }
    .map_err(|e| FetchError::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|s| s.trim().parse().ok());
    let body = response
        .text()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
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
        ..Call::new(Method::GET, url)
    })
    .await?;
    if !reply.ok() {
        return Err(FetchError::Status(reply.status));
    }
    Ok(reply.body)
}
