//! The catalog endpoints over HTTP (through the Router, no socket).

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use citizen_core::catalog::Catalog;
use common::*;
use http_body_util::BodyExt;
use std::io::Read;
use tower::ServiceExt;

#[tokio::test]
async fn the_catalog_is_served_with_pinyin_for_browsers() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/catalog", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-cache");
    let catalog = Catalog::parse_json(&reply.text).expect("the served catalog parses in the core");
    assert!(catalog.tiles().len() >= 187);
    assert!(
        catalog.tiles().iter().all(|t| t.pinyin.is_some()),
        "every tile carries its syllables"
    );
    assert!(catalog.search("gjj", 1)[0].title.zh.contains("公积金"));
}

#[tokio::test]
async fn browsers_get_the_catalog_gzipped_once_at_start() {
    let app = spawn_app().await;
    let request = Request::get("/api/v1/catalog")
        .header(header::ACCEPT_ENCODING, "br;q=0, gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(response.headers()[header::VARY], "accept-encoding");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut json = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut json)
        .unwrap();
    let plain = app.get("/api/v1/catalog", None).await;
    assert_eq!(json, plain.text);
    assert!(
        bytes.len() * 4 < json.len(),
        "gzip pays: {} → {}",
        json.len(),
        bytes.len()
    );
}

#[tokio::test]
async fn an_unchanged_catalog_costs_a_304() {
    let app = spawn_app().await;
    let etag = app.get("/api/v1/catalog", None).await.headers[header::ETAG].clone();
    let request = Request::get("/api/v1/catalog")
        .header(header::IF_NONE_MATCH, etag.clone())
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::NOT_MODIFIED);
    assert_eq!(reply.headers[header::ETAG], etag);
    assert!(reply.text.is_empty());
    let stale = Request::get("/api/v1/catalog")
        .header(header::IF_NONE_MATCH, "\"0000000000000000\"")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(stale).await.status, StatusCode::OK);
}

#[tokio::test]
async fn tiles_can_be_searched_by_pinyin_and_filtered_by_category() {
    let app = spawn_app().await;
    let found = app.get("/api/v1/tiles?q=sb&limit=5", None).await;
    assert_eq!(found.status, StatusCode::OK);
    let tiles = found.body.as_array().unwrap();
    assert!(!tiles.is_empty() && tiles.len() <= 5);
    assert!(
        tiles[0]["title"]["zh"].as_str().unwrap().contains("社保"),
        "{}",
        found.text
    );

    let all = app.get("/api/v1/tiles?limit=500", None).await;
    assert!(all.body.as_array().unwrap().len() >= 187);
    let category = all.body[0]["category"].as_str().unwrap().to_owned();
    let in_category = app
        .get(
            &format!("/api/v1/tiles?category={category}&limit=500"),
            None,
        )
        .await;
    let tiles = in_category.body.as_array().unwrap();
    assert!(!tiles.is_empty());
    assert!(tiles.iter().all(|t| t["category"] == category.as_str()));
}

#[tokio::test]
async fn bad_tile_queries_name_the_parameter() {
    let app = spawn_app().await;
    for (query, status, field) in [
        ("limit=0", StatusCode::UNPROCESSABLE_ENTITY, Some("limit")),
        ("limit=many", StatusCode::BAD_REQUEST, Some("limit")),
        (
            "category=nope",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("category"),
        ),
        ("colour=red", StatusCode::BAD_REQUEST, Some("colour")),
    ] {
        let reply = app.get(&format!("/api/v1/tiles?{query}"), None).await;
        reply.assert_error_for(query, status, "invalid_field", field);
        let message = reply.message();
        let named = query.split('=').next().unwrap();
        assert!(
            message.contains(named),
            "{query}: the message names the parameter: {message}"
        );
    }
}

#[tokio::test]
async fn one_tile_by_id_or_a_clear_404() {
    let app = spawn_app().await;
    let tile = app.get("/api/v1/tiles/housing-fund-balance", None).await;
    assert_eq!(tile.status, StatusCode::OK);
    assert_eq!(tile.body["id"], "housing-fund-balance");
    let missing = app.get("/api/v1/tiles/no-such-tile", None).await;
    missing.assert_error(StatusCode::NOT_FOUND, "not_found", None);
    let bad = app.get("/api/v1/tiles/NOT_AN_ID", None).await;
    bad.assert_error(StatusCode::BAD_REQUEST, "invalid_field", Some("id"));
}

#[tokio::test]
async fn categories_providers_and_service_points_are_listed() {
    let app = spawn_app().await;
    let categories = app.get("/api/v1/categories", None).await;
    assert!(categories.body.as_array().unwrap().len() >= 10);
    let providers = app.get("/api/v1/providers", None).await;
    assert!(providers.body.as_array().unwrap().len() >= 43);
    let points = app.get("/api/v1/service-points", None).await;
    let points = points.body.as_array().unwrap();
    assert!(points.len() >= 20);
    assert!(points[0]["lat"].is_number() && points[0]["lng"].is_number());
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json_not_the_page() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/nothing/here", None).await;
    reply.assert_error(StatusCode::NOT_FOUND, "not_found", None);
    assert!(
        reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(
        reply.message().contains("/api/v1/nothing/here"),
        "{}",
        reply.text
    );

    let wrong_method = app.delete("/api/v1/catalog", None).await;
    wrong_method.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None);
}

#[tokio::test]
async fn under_a_base_path_the_api_moves_too() {
    let app = spawn_app_under("/community/").await;
    assert_eq!(
        app.get("/community/api/v1/catalog", None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/catalog", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/community/api/v2/x", None).await.status,
        StatusCode::NOT_FOUND
    );
    let doc = app.get("/community/api/v1/openapi.json", None).await;
    assert_eq!(doc.body["servers"][0]["url"], "/community/api/v1");
}
