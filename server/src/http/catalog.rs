//! `GET /api/v1/catalog`: the whole service-tile catalog (categories, providers, tiles with their
//! pinyin, service points, neighbourhoods), the document the app's `rest` backend loads once.

use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Router, routing::get};
use citizen_core::catalog::Catalog;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The catalog serialised once at start, with an entity tag so unchanged reloads cost a 304.
pub struct CatalogDocument {
    json: String,
    etag: HeaderValue,
}

impl CatalogDocument {
    pub fn new(catalog: &Catalog) -> CatalogDocument {
        let mut data = catalog.data().clone();
        // Browsers get the syllables so that they need no pinyin table of their own.
        for tile in &mut data.tiles {
            tile.pinyin = Some(tile.syllables());
        }
        let json = serde_json::to_string(&data).expect("catalog data always serialises");
        let mut hasher = DefaultHasher::new();
        json.hash(&mut hasher);
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
            .expect("a hex string is a valid header value");
        CatalogDocument { json, etag }
    }
}

async fn get_catalog(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let document = &state.catalog;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tag| tag == document.etag);
    let cache = [
        (header::ETAG, document.etag.clone()),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (
        cache,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        document.json.clone(),
    )
        .into_response()
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/catalog", get(get_catalog))
        .with_state(state)
}
