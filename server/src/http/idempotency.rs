//! `Idempotency-Key` on any POST: the same key with the same body returns the first response
//! (marked `Idempotent-Replayed: true`) without doing the work again; the same key with another
//! body is a 409.
//!
//! The guard runs after authentication: a request carrying an `Authorization` header that is not
//! a live session is refused (401) whatever its key, before any row is written, and a kept reply
//! is replayed only to the person it was for, while their session is valid. Keys are scoped by
//! path and by that person, so two people never share one. A request without a token on a route
//! that needs one goes straight to its handler (which refuses it) and is never kept. Routes
//! without a token (signing in, Open311's POST, whose key is in the body) scope keys by the
//! caller's network address instead.
//!
//! Two requests are the same when their bodies and query strings are.
//!
//! A retry of a failed attempt (5xx, 429) or of a refusal about who is asking (401, 403) runs
//! again, and so does a retry of a reply that carries a secret (a new session's token): such
//! replies are marked [`NoReplay`] and never written to the database, which holds tokens only as
//! digests. A handler that panics gives its key back as well.

use super::transact;
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::store::idempotency::{self as store, Stored};
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";

/// A response extension: this reply must not be stored for replay.
#[derive(Clone, Copy)]
pub struct NoReplay;

fn valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The middleware's state. It reads a POST's whole body before the handler does (to hash it), so
/// it takes the body limit of the routes it guards, and refuses a larger body as they would.
#[derive(Clone)]
pub struct Guard {
    pub state: AppState,
    pub body_limit: usize,
    pub too_large: fn(usize) -> ApiError,
    /// The routes take no bearer token (signing in, Open311): keys are scoped by address.
    pub tokenless: bool,
}

impl Guard {
    /// For routes whose bodies are JSON forms, called with a bearer token.
    pub fn json(state: AppState) -> Guard {
        Guard {
            state,
            body_limit: crate::http::json::BODY_LIMIT,
            too_large: ApiError::PayloadTooLarge,
            tokenless: false,
        }
    }

    /// For small-bodied routes called without a bearer token.
    pub fn tokenless(state: AppState) -> Guard {
        Guard {
            tokenless: true,
            ..Guard::json(state)
        }
    }
}

pub async fn middleware(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.headers().contains_key(HEADER) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let caller = if guard.tokenless {
        let address = crate::http::limits::client_address(
            &parts.extensions,
            &parts.headers,
            guard.state.trusted_proxy,
        );
        format!("address {address}")
    } else if parts.headers.contains_key(header::AUTHORIZATION) {
        // Who is asking comes first: a token that is not a live session is refused whatever the
        // key, and nothing is written for it.
        match SignedIn::from_request_parts(&mut parts, &guard.state).await {
            Ok(who) => format!("person {}", who.person.id),
            Err(e) => return e.into_response(),
        }
    } else {
        // No token on a route that needs one: its handler refuses it; nothing to keep.
        return next.run(Request::from_parts(parts, body)).await;
    };
    let Some(key) = parts
        .headers
        .get(HEADER)
        .and_then(|k| k.to_str().ok())
        .filter(|k| valid_key(k))
        .map(str::to_owned)
    else {
        return ApiError::invalid("Idempotency-Key", "1–255 visible ASCII characters")
            .into_response();
    };
    match run(guard, caller, key, Request::from_parts(parts, body), next).await {
        Ok(response) | Err(response) => response,
    }
}

/// Gives a claimed key back if the handler never finishes (it panicked, or the caller went away
/// and the future was dropped), so the retry runs instead of waiting a day on a 409.
struct Claim {
    held: Option<(AppState, String, String)>,
}

impl Claim {
    fn keep(mut self) {
        self.held = None;
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if let Some((state, scope, key)) = self.held.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                let released =
                    transact::write(&state, move |conn| Ok(store::release(conn, &scope, &key)?))
                        .await;
                if let Err(e) = released {
                    tracing::error!(error = %e, "could not give back an idempotency key");
                }
            });
        }
    }
}

async fn run(
    guard: Guard,
    caller: String,
    key: String,
    request: Request,
    next: Next,
) -> Result<Response, Response> {
    let Guard {
        state,
        body_limit,
        too_large,
        ..
    } = guard;
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, body_limit)
        .await
        .map_err(|_| too_large(body_limit).into_response())?;
    let scope = format!("{} {caller}", parts.uri.path());
    let request_hash = digest(parts.uri.query(), &bytes);
    let now = state.clock.now();

    let claimed = {
        let (scope, key, hash) = (scope.clone(), key.clone(), request_hash.clone());
        transact::write(
            &state,
            move |conn| -> Result<Result<(), Option<Stored>>, ApiError> {
                if store::claim(conn, &scope, &key, &hash, now)? {
                    return Ok(Ok(()));
                }
                Ok(Err(store::find(conn, &scope, &key, now)?))
            },
        )
        .await
        .map_err(IntoResponse::into_response)?
    };
    if let Err(earlier) = claimed {
        return Err(replay(earlier, &request_hash));
    }
    let claim = Claim {
        held: Some((state.clone(), scope.clone(), key.clone())),
    };

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    claim.keep();
    let (mut parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, usize::MAX).await else {
        return Err(
            ApiError::Internal("the response body could not be read".into()).into_response(),
        );
    };
    let status = parts.status;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let secret = parts.extensions.get::<NoReplay>().is_some();
    let kept = body.clone();
    let outcome = transact::write(&state, move |conn| {
        let judged_afresh = matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        );
        if secret || status.is_server_error() || judged_afresh {
            store::release(conn, &scope, &key)?;
        } else {
            store::complete(
                conn,
                &scope,
                &key,
                status.as_u16(),
                content_type.as_deref(),
                &kept,
            )?;
        }
        Ok(())
    })
    .await;
    if let Err(e) = outcome {
        // The work is done; only the replay copy is lost. Say so in the log, answer normally.
        tracing::error!(error = %e, "could not keep the reply for an idempotency key");
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Ok(Response::from_parts(parts, Body::from(body)))
}

/// What makes two requests on one path the same: the body, and the query string when there is
/// one (Open311 takes `api_key` there too, so two people's identical bodies are not one request).
/// Without a query the digest is the body's alone, as keys kept before the query counted are.
fn digest(query: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    if let Some(query) = query {
        hasher.update((query.len() as u64).to_be_bytes());
        hasher.update(query.as_bytes());
    }
    hasher.update(body);
    hasher.finalize().to_vec()
}

fn replay(earlier: Option<Stored>, request_hash: &[u8]) -> Response {
    match earlier {
        Some(earlier) if earlier.request_hash != request_hash => {
            ApiError::IdempotencyConflict.into_response()
        }
        Some(earlier) if earlier.status != 0 => {
            let status = StatusCode::from_u16(earlier.status).unwrap_or(StatusCode::OK);
            let mut response = (status, earlier.body).into_response();
            if let Some(ct) = earlier
                .content_type
                .and_then(|ct| HeaderValue::from_str(&ct).ok())
            {
                response.headers_mut().insert(header::CONTENT_TYPE, ct);
            }
            response
                .headers_mut()
                .insert(REPLAYED, HeaderValue::from_static("true"));
            response
        }
        Some(_) => ApiError::Conflict(
            "a request with this Idempotency-Key is still being handled; retry shortly".into(),
        )
        .into_response(),
        // Claimed and gone again between the two statements: the caller may simply retry.
        None => ApiError::Conflict("retry this request".into()).into_response(),
    }
}
