//! The JSON API, `{base}api/v1/…`: one module per area, each with its own `router()`.

pub mod catalog;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::http::Uri;

/// Unknown API paths answer in JSON, never with the app's HTML page.
async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

pub fn router(state: AppState) -> Router {
    let base = state.bundle.base().as_str().to_owned();
    Router::new()
        .nest(&format!("{base}api/v1"), catalog::router(state))
        .route(
            &format!("{base}api/{{*rest}}"),
            axum::routing::any(not_found),
        )
}
