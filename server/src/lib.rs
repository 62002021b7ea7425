//! The Citizen Cloud reference server. In this version it serves the built bundle under a base
//! path, the runtime `config.json` and a health check; the `/api/v1` contract arrives next.

pub mod base_path;
pub mod bundle;

use axum::{Json, Router, routing::get};
use base_path::BasePath;
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub bundle: Arc<bundle::Bundle>,
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
        Ok(AppState {
            bundle: Arc::new(bundle::Bundle::load(settings)?),
        })
    }
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// The whole HTTP surface. Tests drive it with `tower::ServiceExt::oneshot`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .merge(bundle::router(state))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
