//! `Idempotency-Key` on any POST: the same key with the same body returns the first response
//! (marked `Idempotent-Replayed: true`) without doing the work again; the same key with another
//! body is a 409. Keys are scoped by path and by the caller's credentials, so two people never
//! share one. A retry of a failed attempt (5xx, 429) runs again, and so does a retry of a reply
//! that carries a secret (a new session's token): such replies are marked [`NoReplay`] and never
//! written to the database, which holds tokens only as digests.

use crate::AppState;
use crate::error::ApiError;
use crate::store::idempotency::{self as store, Stored};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
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
}

impl Guard {
    /// For routes whose bodies are JSON forms.
    pub fn json(state: AppState) -> Guard {
        Guard {
            state,
            body_limit: crate::json::BODY_LIMIT,
            too_large: ApiError::PayloadTooLarge,
        }
    }
}

pub async fn middleware(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let Some(key) = key
        .to_str()
        .ok()
        .filter(|k| valid_key(k))
        .map(str::to_owned)
    else {
        return ApiError::invalid("Idempotency-Key", "1–255 visible ASCII characters")
            .into_response();
    };
    match run(guard, key, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn run(
    guard: Guard,
    key: String,
    request: Request,
    next: Next,
) -> Result<Response, Response> {
    let Guard {
        state,
        body_limit,
        too_large,
    } = guard;
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, body_limit)
        .await
        .map_err(|_| too_large(body_limit).into_response())?;
    let credentials = parts
        .headers
        .get(header::AUTHORIZATION)
        .map(|v| hex(&Sha256::digest(v.as_bytes())))
        .unwrap_or_default();
    let scope = format!("{} {}", parts.uri.path(), credentials);
    let request_hash: Vec<u8> = Sha256::digest(&bytes).to_vec();
    let now = state.clock.now();

    let claimed = {
        let (scope, key, hash) = (scope.clone(), key.clone(), request_hash.clone());
        state
            .db
            .run(
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

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
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
    let outcome = state
        .db
        .run(move |conn| -> Result<(), ApiError> {
            if secret || status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
