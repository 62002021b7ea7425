//! The JSON API, `{base}api/v1/…`: one module per area, each declaring its routes (`routes()`).

pub mod accounts;
pub mod auth;
pub mod base_path;
pub mod bundle;
pub mod catalog;
pub mod city_requests;
pub mod error;
pub mod hosts;
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
pub(crate) mod transact;
pub mod volunteer;

use crate::AppState;
use crate::http::error::ApiError;
use crate::http::json::BODY_LIMIT;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::middleware;
use idempotency::Guard;
use utoipa_axum::router::OpenApiRouter;

/// Unknown API paths answer in JSON, never with the app's HTML page.
async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed(method.to_string())
}

/// The documented routes of `/api/v1`, grouped by the layers [`router`] puts in front of them.
/// Each area declares its routes once, with `routes!`: the same declaration serves a route and
/// lists it in the document ([`documented`]), so the two cannot drift.
struct Areas {
    /// JSON forms: small bodies.
    forms: OpenApiRouter<AppState>,
    /// Signing in and out, host apps asking for sign-in codes, and signing up or resetting a
    /// password with an SMS code: no bearer token.
    session: OpenApiRouter<AppState>,
    /// `POST /photos`: raw bytes.
    upload: OpenApiRouter<AppState>,
    /// `GET /photos/{id}`.
    photos: OpenApiRouter<AppState>,
}

fn areas() -> Areas {
    Areas {
        forms: OpenApiRouter::new()
            .merge(catalog::routes())
            .merge(me::routes())
            .merge(city_requests::routes())
            .merge(people::routes())
            .merge(requests::routes())
            .merge(timebank::routes())
            .merge(volunteer::routes()),
        session: session::routes()
            .merge(hosts::routes())
            .merge(accounts::routes()),
        upload: photos::upload_routes(),
        photos: photos::served_routes(),
    }
}

/// Every documented route of `/api/v1`, relative to it; `openapi::document` takes the paths.
/// The routes left out of the document on purpose: `/openapi.json` itself (below), the bundle
/// and `config.json` (`bundle`), and GeoReport v2 under `/open311/v2` (`open311`, its own spec).
pub(crate) fn documented() -> OpenApiRouter<AppState> {
    let areas = areas();
    areas
        .forms
        .merge(areas.session)
        .merge(areas.upload)
        .merge(areas.photos)
}

/// `routes` behind the idempotency `guard`, answering a method they lack with the API's 405.
fn guarded(routes: Router<AppState>, guard: Guard) -> Router<AppState> {
    routes
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            guard,
            idempotency::middleware,
        ))
}

pub fn router(state: AppState) -> Router {
    let base = state.bundle.base().as_str().to_owned();
    let Areas {
        forms,
        session,
        upload,
        photos,
    } = areas();
    // JSON forms: small bodies.
    let forms = Router::from(forms)
        .merge(openapi::router())
        .fallback(not_found);
    let forms = guarded(forms, Guard::json(state.clone()))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state.clone());
    // Signing in carries no token (a host's server carries its own credentials, not a session):
    // their idempotency keys are scoped by the caller's address.
    let session = guarded(Router::from(session), Guard::tokenless(state.clone()))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state.clone());
    // Photos are raw bytes with a larger limit. The idempotency guard reads a body before the
    // handler does, so these routes get their own guard, sized and refusing as the handler would.
    // Outermost, the sign-in and the upload rate (`photos::admit`): counted before either reads
    // a byte of the body. Both guard the upload alone: another method on a stored photo is the
    // router's 405.
    let photo_guard = Guard {
        state: state.clone(),
        body_limit: photos::BODY_LIMIT,
        too_large: ApiError::PhotoTooLarge,
        tokenless: false,
    };
    let upload = guarded(Router::from(upload), photo_guard)
        .layer(middleware::from_fn_with_state(state.clone(), photos::admit));
    let photos = upload
        .merge(Router::from(photos).method_not_allowed_fallback(method_not_allowed))
        .layer(DefaultBodyLimit::max(photos::BODY_LIMIT))
        .with_state(state);
    let api = forms.merge(session).merge(photos);
    Router::new().nest(&format!("{base}api/v1"), api).route(
        &format!("{base}api/{{*rest}}"),
        axum::routing::any(not_found),
    )
}
