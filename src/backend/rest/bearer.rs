//! A JSON call on behalf of the signed-in person (`Authorization: Bearer …`, never cached), shared
//! by the modules whose `rest` backend speaks `api/v1`: each says how its errors read a failed
//! reply.

use crate::browser::fetch::{Call, Method, Reply, RequestCache, call};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// How a module's error type describes a call that did not give the answer.
pub trait CallError: Sized {
    /// The server could not be reached.
    fn network() -> Self;
    /// An answer that could not be read, or a body that could not be written.
    fn unexpected(detail: String) -> Self;
    /// A reply that is not 2xx.
    fn from_reply(reply: &Reply) -> Self;
}

pub async fn send<T: DeserializeOwned, E: CallError>(
    token: &str,
    method: Method,
    url: &str,
    json: Option<String>,
) -> Result<T, E> {
    let reply = call(Call {
        bearer: Some(token),
        json,
        cache: RequestCache::NoStore,
        ..Call::new(method, url)
    })
    .await
    .map_err(|_| E::network())?;
    if !reply.ok() {
        return Err(E::from_reply(&reply));
    }
    serde_json::from_str(&reply.body).map_err(|e| E::unexpected(e.to_string()))
}

pub async fn with_body<B: Serialize, T: DeserializeOwned, E: CallError>(
    token: &str,
    method: Method,
    url: &str,
    body: &B,
) -> Result<T, E> {
    let json = serde_json::to_string(body).map_err(|e| E::unexpected(e.to_string()))?;
    send(token, method, url, Some(json)).await
}
