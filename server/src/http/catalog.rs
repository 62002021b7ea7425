//! The service-tile catalog. `GET /catalog` is the whole document the app's `rest` backend
//! loads once (serialised and gzipped once at start, with an entity tag so unchanged reloads cost
//! a 304); the smaller endpoints serve other clients: tiles (with search), one tile, categories,
//! providers and service points.

use crate::AppState;
use crate::http::error::ApiError;
use crate::http::json::ApiQuery;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use citizen_core::api::ErrorBody;
use citizen_core::catalog::{Catalog, CatalogData, Category, Provider, ServicePoint, Tile};
use citizen_core::ids::{CategoryId, TileId};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Deserialize;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use utoipa_axum::{router::OpenApiRouter, routes};

pub struct CatalogDocument {
    catalog: Catalog,
    json: bytes::Bytes,
    gzip: bytes::Bytes,
    etag: HeaderValue,
}

impl CatalogDocument {
    pub fn new(catalog: &Catalog) -> CatalogDocument {
        let mut data = catalog.data().clone();
        // Browsers get the syllables so that they need no pinyin table of their own.
        for tile in &mut data.tiles {
            tile.pinyin = Some(tile.syllables());
        }
        let json = serde_json::to_vec(&data).expect("catalog data always serialises");
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder
            .write_all(&json)
            .expect("writing to memory succeeds");
        let gzip = encoder.finish().expect("writing to memory succeeds");
        let mut hasher = DefaultHasher::new();
        json.hash(&mut hasher);
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
            .expect("a hex string is a valid header value");
        CatalogDocument {
            catalog: Catalog::from_data(data).expect("a checked catalog stays valid"),
            json: json.into(),
            gzip: gzip.into(),
            etag,
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

/// The whole catalog: categories, providers, tiles with pinyin, service points, neighbourhoods.
#[utoipa::path(
    get, path = "/catalog", tag = "catalog",
    responses(
        (status = 200, description = "The catalog", body = CatalogData),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
    )
)]
async fn get_catalog(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let document = &state.catalog;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tag| tag == document.etag);
    let cache = [
        (header::ETAG, document.etag.clone()),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::VARY, HeaderValue::from_static("accept-encoding")),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    let json = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if accepts_gzip(&headers) {
        let gzip = (header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        (cache, [json, gzip], document.gzip.clone()).into_response()
    } else {
        (cache, [json], document.json.clone()).into_response()
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct TileQuery {
    /// Search text: hanzi, pinyin (`shebao`) or initials (`sb`).
    q: Option<String>,
    /// Only tiles of this category.
    category: Option<String>,
    /// At most this many tiles (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
}

/// Tiles, best match first when searching.
#[utoipa::path(
    get, path = "/tiles", tag = "catalog", params(TileQuery),
    responses(
        (status = 200, description = "Tiles", body = Vec<Tile>),
        (status = 400, description = "A malformed or unknown query parameter", body = ErrorBody),
        (status = 422, description = "A limit out of range or an unknown category", body = ErrorBody),
    )
)]
async fn tiles(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<TileQuery>,
) -> Result<Json<Vec<Tile>>, ApiError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit", "between 1 and 500"));
    }
    let catalog = state.catalog.catalog();
    let category = query
        .category
        .as_deref()
        .map(|raw| {
            CategoryId::parse(raw)
                .ok()
                .filter(|id| catalog.category(id).is_some())
                .ok_or_else(|| ApiError::invalid("category", "there is no category with this id"))
        })
        .transpose()?;
    let in_category = |t: &&Tile| category.as_ref().is_none_or(|c| &t.category == c);
    let found: Vec<Tile> = match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => catalog
            .search(q, catalog.tiles().len())
            .into_iter()
            .filter(in_category)
            .take(limit)
            .cloned()
            .collect(),
        None => catalog
            .tiles()
            .iter()
            .filter(in_category)
            .take(limit)
            .cloned()
            .collect(),
    };
    Ok(Json(found))
}

/// One tile.
#[utoipa::path(
    get, path = "/tiles/{id}", tag = "catalog",
    params(("id" = TileId, Path, description = "The tile's id")),
    responses(
        (status = 200, description = "The tile", body = Tile),
        (status = 400, description = "Not a valid id", body = ErrorBody),
        (status = 404, description = "No such tile", body = ErrorBody),
    )
)]
async fn tile(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Tile>, ApiError> {
    let parsed = TileId::parse(&id).map_err(|e| ApiError::Malformed {
        message: format!("id: {e}"),
        field: Some("id".into()),
    })?;
    state
        .catalog
        .catalog()
        .tile(&parsed)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("tile {id}")))
}

/// Categories, in display order.
#[utoipa::path(get, path = "/categories", tag = "catalog",
    responses((status = 200, description = "Categories", body = Vec<Category>)))]
async fn categories(State(state): State<AppState>) -> Json<Vec<Category>> {
    Json(state.catalog.catalog().categories().to_vec())
}

/// The providers behind the tiles.
#[utoipa::path(get, path = "/providers", tag = "catalog",
    responses((status = 200, description = "Providers", body = Vec<Provider>)))]
async fn providers(State(state): State<AppState>) -> Json<Vec<Provider>> {
    Json(state.catalog.catalog().data().providers.clone())
}

/// Service points (党群服务中心, 社区卫生服务中心, 便民服务点) with their coordinates.
#[utoipa::path(get, path = "/service-points", tag = "catalog",
    responses((status = 200, description = "Service points", body = Vec<ServicePoint>)))]
async fn service_points(State(state): State<AppState>) -> Json<Vec<ServicePoint>> {
    Json(state.catalog.catalog().data().service_points.clone())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_catalog))
        .routes(routes!(tiles))
        .routes(routes!(tile))
        .routes(routes!(categories))
        .routes(routes!(providers))
        .routes(routes!(service_points))
}
