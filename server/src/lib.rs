//! The Citizen Cloud reference server. It serves the built bundle under a base path, the runtime
//! `config.json`, a health check, and the `/api/v1` JSON contract (today: the catalog).

pub mod base_path;
pub mod bundle;
pub mod error;
pub mod http;

use axum::body::Body;
use axum::http::{HeaderName, Request};
use axum::{Json, Router, routing::get};
use base_path::BasePath;
use citizen_core::catalog::Catalog;
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub bundle: Arc<bundle::Bundle>,
    pub catalog: Arc<http::catalog::CatalogDocument>,
}

#[derive(Debug, Error)]
pub enum StartError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid app configuration: {source}")]
    Config {
        path: PathBuf,
        source: citizen_core::config::ConfigError,
    },
    #[error("the shipped catalog is invalid: {0}")]
    Catalog(#[from] citizen_core::catalog::CatalogError),
}

/// Settings the server starts with.
pub struct Settings {
    pub dist: PathBuf,
    pub base_path: BasePath,
    /// A `config.json` to serve instead of the one inside the bundle.
    pub config: Option<PathBuf>,
}

impl AppState {
    pub fn load(settings: &Settings) -> Result<AppState, StartError> {
        let catalog = Catalog::parse_json(citizen_core::catalog::SHIPPED_JSON)?;
        Ok(AppState {
            bundle: Arc::new(bundle::Bundle::load(settings)?),
            catalog: Arc::new(http::catalog::CatalogDocument::new(&catalog)),
        })
    }
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Every request gets an id (the caller's `x-request-id` if it sent one), logged on its span and
/// returned in the response, so a resident's error report can be found in the logs.
fn request_span(request: &Request<Body>) -> Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
}

const REQUEST_ID: &str = "x-request-id";

/// The whole HTTP surface. Tests drive it with `tower::ServiceExt::oneshot`.
pub fn app(state: AppState) -> Router {
    let header = HeaderName::from_static(REQUEST_ID);
    Router::new()
        .route("/healthz", get(healthz))
        .merge(http::router(state.clone()))
        .merge(bundle::router(state))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
}
