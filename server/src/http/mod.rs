//! The JSON API, `{base}api/v1/…`: one module per area, each with its own `router()`.

pub mod auth;
pub mod base_path;
pub mod bundle;
pub mod catalog;
pub mod error;
pub mod idempotency;
pub mod json;
pub mod limits;
pub mod me;
mod members;
pub mod open311;
pub mod openapi;
pub mod people;
pub mod photos;
pub mod recover;
pub mod requests;
pub mod security;
pub mod session;
pub mod session_cache;
pub mod timebank;
mod transact;
pub mod volunteer;

use crate::AppState;
use crate::http::error::ApiError;
use crate::http::json::BODY_LIMIT;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::middleware;
use idempotency::Guard;

/// Unknown API paths answer in JSON, never with the app's HTML page.
async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed(method.to_string())
}

pub fn router(state: AppState) -> Router {
    let base = state.bundle.base().as_str().to_owned();
    // JSON forms: small bodies.
    let forms = Router::new()
        .merge(catalog::router(state.clone()))
        .merge(me::router(state.clone()))
        .merge(people::router(state.clone()))
        .merge(requests::router(state.clone()))
        .merge(timebank::router(state.clone()))
        .merge(volunteer::router(state.clone()))
        .merge(openapi::router(state.clone()))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Guard::json(state.clone()),
            idempotency::middleware,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    // Signing in carries no token: its idempotency keys are scoped by the caller's address.
    let session = session::router(state.clone())
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Guard::tokenless(state.clone()),
            idempotency::middleware,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    // Photos are raw bytes with a larger limit. The idempotency guard reads a body before the
    // handler does, so these routes get their own guard, sized and refusing as the handler would.
    // Outermost, the sign-in and the upload rate (`photos::admit`): counted before either reads
    // a byte of the body. Both guard the upload alone: another method on a stored photo is the
    // router's 405.
    let upload = photos::upload_router(state.clone())
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Guard {
                state: state.clone(),
                body_limit: photos::BODY_LIMIT,
                too_large: ApiError::PhotoTooLarge,
                tokenless: false,
            },
            idempotency::middleware,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), photos::admit));
    let photos = upload
        .merge(photos::served_router(state).method_not_allowed_fallback(method_not_allowed))
        .layer(DefaultBodyLimit::max(photos::BODY_LIMIT));
    let api = forms.merge(session).merge(photos);
    Router::new().nest(&format!("{base}api/v1"), api).route(
        &format!("{base}api/{{*rest}}"),
        axum::routing::any(not_found),
    )
}
