//! `GET /api/v1/catalog` over HTTP (through the Router, no socket).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use citizen_core::catalog::Catalog;
use citizen_server::base_path::BasePath;
use citizen_server::{AppState, Settings, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn router(base: &str) -> (tempfile::TempDir, axum::Router) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<head></head>").unwrap();
    std::fs::write(dist.path().join("config.json"), "{}").unwrap();
    let settings = Settings {
        dist: dist.path().to_owned(),
        base_path: base.parse::<BasePath>().unwrap(),
        config: None,
    };
    let router = app(AppState::load(&settings).unwrap());
    (dist, router)
}

async fn send(
    router: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_catalog_is_served_with_pinyin_for_browsers() {
    let (_dist, r) = router("/");
    let (status, headers, body) = send(&r, get("/api/v1/catalog")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let catalog = Catalog::parse_json(&body).expect("the served catalog parses in the core");
    assert!(catalog.tiles().len() >= 187);
    assert!(
        catalog.tiles().iter().all(|t| t.pinyin.is_some()),
        "every tile carries its syllables"
    );
    assert!(catalog.search("gjj", 1)[0].title.zh.contains("公积金"));
}

#[tokio::test]
async fn an_unchanged_catalog_costs_a_304() {
    let (_dist, r) = router("/");
    let (_, headers, _) = send(&r, get("/api/v1/catalog")).await;
    let etag = headers[header::ETAG].clone();
    let request = Request::get("/api/v1/catalog")
        .header(header::IF_NONE_MATCH, etag.clone())
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(&r, request).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(headers[header::ETAG], etag);
    assert!(body.is_empty());
    let stale = Request::get("/api/v1/catalog")
        .header(header::IF_NONE_MATCH, "\"0000000000000000\"")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&r, stale).await.0, StatusCode::OK);
}

#[tokio::test]
async fn unknown_api_paths_answer_json_not_the_page() {
    let (_dist, r) = router("/");
    let (status, headers, body) = send(&r, get("/api/v1/nothing/here")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"]["code"], "not_found");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/api/v1/nothing/here")
    );
    assert!(error["error"]["field"].is_null());
}

#[tokio::test]
async fn under_a_base_path_the_api_moves_too() {
    let (_dist, r) = router("/community/");
    assert_eq!(
        send(&r, get("/community/api/v1/catalog")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        send(&r, get("/api/v1/catalog")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&r, get("/community/api/v2/x")).await.0,
        StatusCode::NOT_FOUND
    );
}
