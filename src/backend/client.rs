//! The one HTTP client: every `rest` and `open311` call through gloo-net, and the two documents
//! the first screen needs (`config.json`, the catalog) through [`document`]. Addresses are relative, so the browser resolves them against the page's `<base>` and
//! the bundle works under any base path. A call made for a signed-in person is never cached
//! (`no-store`), and a refused sign-in is handled here, once: the hook the session gives
//! ([`on_signed_out`]) ends it, and the caller gets [`ApiFailure::SignedOut`].

use super::error::{ApiFailure, Refused};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
pub use web_sys::RequestCache;

type Hook = Rc<dyn Fn(&str)>;

thread_local! {
    static ON_SIGNED_OUT: RefCell<Option<Hook>> = const { RefCell::new(None) };
}

/// What to do when the server refuses a token (expired or revoked): the session ends it (see
/// `state/session.rs`). Given once, at start; the hook receives the refused token.
pub fn on_signed_out(hook: impl Fn(&str) + 'static) {
    ON_SIGNED_OUT.with(|h| *h.borrow_mut() = Some(Rc::new(hook)));
}

fn signed_out(token: &str) {
    // Cloned out first: the hook may change signals whose effects make calls of their own.
    if let Some(hook) = ON_SIGNED_OUT.with(|h| h.borrow().clone()) {
        hook(token);
    }
}

enum Body<'a> {
    None,
    Json(String),
    /// `application/x-www-form-urlencoded`, as GeoReport takes.
    Form(&'a web_sys::UrlSearchParams),
    /// A photo, sent with the blob's own type.
    Blob(&'a web_sys::Blob),
}

/// One call being put together: `client::get(url).bearer(token).fetch().await`.
pub struct Call<'a> {
    builder: RequestBuilder,
    /// The token sent on the person's behalf, and the statuses that mean it was refused.
    token: Option<(&'a str, &'static [u16])>,
    body: Result<Body<'a>, ApiFailure>,
}

pub fn get<'a>(url: &str) -> Call<'a> {
    Call::new(Request::get(url))
}

pub fn post<'a>(url: &str) -> Call<'a> {
    Call::new(Request::post(url))
}

pub fn put<'a>(url: &str) -> Call<'a> {
    Call::new(Request::put(url))
}

pub fn delete<'a>(url: &str) -> Call<'a> {
    Call::new(Request::delete(url))
}

/// A document the page loads before anything else (`config.json`, the catalog): its text, or a
/// failure with the status alone. Plain `fetch` through web-sys rather than gloo-net's request
/// builder: these are the only calls on the first load, and the builder (with the `http` crate's
/// method and header types) weighed 1.9 KB gzip there, while every API call loads with the
/// screens that make it. It reads no failure body and carries no sign-in.
///
/// The request goes out when this is called, not when the answer is first awaited, so that a
/// document asked for before the page draws (the catalog, see `state::EarlyCatalog`) travels
/// meanwhile.
pub fn document(
    url: &'static str,
    cache: RequestCache,
) -> impl Future<Output = Result<String, ApiFailure>> {
    let sent = web_sys::window().map(|window| {
        let init = web_sys::RequestInit::new();
        init.set_cache(cache);
        JsFuture::from(window.fetch_with_str_and_init(url, &init))
    });
    async move {
        let failed = |_| ApiFailure::Network(format!("fetching {url} failed"));
        let response: web_sys::Response = sent
            .ok_or_else(|| failed(JsValue::NULL))?
            .await
            .map_err(failed)?
            .unchecked_into();
        if !response.ok() {
            return Err(ApiFailure::refused(response.status(), "", ""));
        }
        let text = JsFuture::from(response.text().map_err(failed)?)
            .await
            .map_err(failed)?;
        text.as_string()
            .ok_or_else(|| ApiFailure::Invalid(format!("{url} is not text")))
    }
}

fn network(error: gloo_net::Error) -> ApiFailure {
    ApiFailure::Network(error.to_string())
}

impl<'a> Call<'a> {
    fn new(builder: RequestBuilder) -> Call<'a> {
        Call {
            builder,
            token: None,
            body: Ok(Body::None),
        }
    }

    /// `Authorization: Bearer …`: a call on behalf of the signed-in person; a 401 ends the sign-in.
    pub fn bearer(mut self, token: &'a str) -> Self {
        self.builder = self
            .builder
            .header("Authorization", &format!("Bearer {token}"))
            .cache(RequestCache::NoStore);
        self.token = Some((token, &[401]));
        self
    }

    /// GeoReport's `api_key` (the caller puts it in the query or the form body): a 401 or 403
    /// (GeoReport's status for a refused key) ends the sign-in.
    pub fn api_key(mut self, token: &'a str) -> Self {
        self.builder = self.builder.cache(RequestCache::NoStore);
        self.token = Some((token, &[401, 403]));
        self
    }

    pub fn cache(mut self, cache: RequestCache) -> Self {
        self.builder = self.builder.cache(cache);
        self
    }

    /// `Idempotency-Key`: the server answers a repeat of the same call without doing it twice.
    pub fn idempotency_key(mut self, key: Option<&str>) -> Self {
        if let Some(key) = key {
            self.builder = self.builder.header("Idempotency-Key", key);
        }
        self
    }

    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = serde_json::to_string(body)
            .map(Body::Json)
            .map_err(|e| ApiFailure::Invalid(e.to_string()));
        self
    }

    pub fn form(mut self, form: &'a web_sys::UrlSearchParams) -> Self {
        self.body = Ok(Body::Form(form));
        self
    }

    pub fn blob(mut self, blob: &'a web_sys::Blob) -> Self {
        self.body = Ok(Body::Blob(blob));
        self
    }

    /// Sends the call; the answer as it came, or no answer.
    async fn send(self) -> Result<Response, ApiFailure> {
        let (builder, body) = (self.builder, self.body);
        let request = match body? {
            Body::None => builder.build(),
            Body::Json(json) => builder
                .header("Content-Type", "application/json")
                .body(json),
            Body::Form(form) => builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(String::from(form.to_string())),
            Body::Blob(blob) => builder.header("Content-Type", &blob.type_()).body(blob),
        };
        request.map_err(network)?.send().await.map_err(network)
    }

    /// Sends the call; the body of a 2xx answer.
    pub async fn text(self) -> Result<String, ApiFailure> {
        let token = self.token;
        let response = self.send().await?;
        read(token, response).await
    }

    /// Sends the call; a 2xx answer read as JSON.
    pub async fn fetch<T: DeserializeOwned>(self) -> Result<T, ApiFailure> {
        let text = self.text().await?;
        serde_json::from_str(&text).map_err(|e| ApiFailure::Invalid(e.to_string()))
    }

    /// Reads `response` as the answer to this call (what [`text`](Self::text) does once the
    /// answer arrives; public for the tests, which answer without a server).
    pub async fn answer(self, response: Response) -> Result<String, ApiFailure> {
        read(self.token, response).await
    }
}

async fn read(token: Option<(&str, &[u16])>, response: Response) -> Result<String, ApiFailure> {
    let status = response.status();
    let body = response.text().await.map_err(network)?;
    if response.ok() {
        return Ok(body);
    }
    if let Some((token, refusing)) = token
        && refusing.contains(&status)
    {
        signed_out(token);
        return Err(ApiFailure::SignedOut);
    }
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|s| s.trim().parse().ok());
    Err(ApiFailure::Refused(Box::new(Refused::decode(
        status,
        retry_after,
        &body,
    ))))
}
