//! The server serves the bundle the way browsers and webviews need it, at the root and under a
//! base path. Driven through the Router with `oneshot`: no socket.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use citizen_server::clock::SystemClock;
use citizen_server::http::base_path::BasePath;
use citizen_server::{AppState, Settings, StartError, app};
use http_body_util::BodyExt;
use std::path::Path;
use std::sync::Arc;
use tempfile::TempDir;
use tower::ServiceExt;

const INDEX: &str = r#"<!DOCTYPE html><html><head><base href="./"/><script type="module">import init from './app-0123456789abcdef.js';</script></head><body></body></html>"#;

fn dist() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &[u8]| std::fs::write(dir.path().join(name), body).unwrap();
    write("index.html", INDEX.as_bytes());
    write("config.json", br#"{"lang": "zh-CN"}"#);
    write("catalog.json", br#"{"tiles": []}"#);
    write(
        "app-0123456789abcdef.js",
        b"export default function init() {}",
    );
    write("app-0123456789abcdef_bg.wasm", b"\0asm\x01\0\0\0");
    dir
}

/// The database goes inside the temporary bundle directory, so it is removed with it.
fn settings(dist: &Path) -> Settings {
    Settings {
        demo: false,
        ..Settings::new(dist, dist.join(".data"))
    }
}

async fn router(dist: &Path, base: &str, config: Option<&Path>) -> axum::Router {
    let settings = Settings {
        base_path: base.parse::<BasePath>().unwrap(),
        config: config.map(Path::to_owned),
        ..settings(dist)
    };
    app(AppState::load(&settings, Arc::new(SystemClock))
        .await
        .unwrap())
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn healthz_answers_ok() {
    let dist = dist();
    let (status, _, body) = get(&router(dist.path(), "/", None).await, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, r#"{"status":"ok"}"#);
}

#[tokio::test]
async fn deep_links_get_the_page_uncached_with_the_base_href() {
    let dist = dist();
    let r = router(dist.path(), "/", None).await;
    for uri in [
        "/",
        "/services/housing-fund-balance",
        "/requests/new",
        "/index.html",
    ] {
        let (status, headers, body) = get(&r, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{uri}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(body.contains(r#"<base href="/"/>"#), "{uri}: {body}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_wasm_has_its_mime_type() {
    let dist = dist();
    let r = router(dist.path(), "/", None).await;
    let (status, headers, _) = get(&r, "/app-0123456789abcdef_bg.wasm").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (_, headers, _) = get(&r, "/catalog.json").await;
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn a_missing_asset_is_a_404_not_the_page() {
    let dist = dist();
    let (status, _, body) = get(&router(dist.path(), "/", None).await, "/app-missing.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("<html"));
}

#[tokio::test]
async fn config_json_is_served_uncached_and_can_be_replaced() {
    let dist = dist();
    let (status, headers, body) = get(&router(dist.path(), "/", None).await, "/config.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert_eq!(body, r#"{"lang": "zh-CN"}"#);

    let own = dist.path().join("own.json");
    std::fs::write(&own, r#"{"lang": "en"}"#).unwrap();
    let (_, _, body) = get(&router(dist.path(), "/", Some(&own)).await, "/config.json").await;
    assert_eq!(body, r#"{"lang": "en"}"#);
}

#[tokio::test]
async fn under_a_base_path_everything_moves_there() {
    let dist = dist();
    let r = router(dist.path(), "/community/", None).await;
    let (status, _, body) = get(&r, "/community/services/x-y").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"<base href="/community/"/>"#));
    let (status, _, _) = get(&r, "/community/app-0123456789abcdef.js").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = get(&r, "/community/config.json").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"lang": "zh-CN"}"#)
    );
    for uri in ["/", "/community"] {
        let (status, headers, _) = get(&r, uri).await;
        assert_eq!(status, StatusCode::TEMPORARY_REDIRECT, "{uri}");
        assert_eq!(headers[header::LOCATION], "/community/");
    }
    let (status, _, _) = get(&r, "/elsewhere/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&r, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_broken_config_stops_the_server_at_start_with_the_reason() {
    let dist = dist();
    std::fs::write(dist.path().join("config.json"), r#"{"lang": "fr"}"#).unwrap();
    let err = AppState::load(&settings(dist.path()), Arc::new(SystemClock))
        .await
        .err()
        .expect("a bad config must refuse to start");
    assert!(matches!(err, StartError::Config { .. }));
    assert!(
        err.to_string()
            .contains("`lang` has the invalid value \"fr\""),
        "{err}"
    );
}

#[tokio::test]
async fn a_missing_bundle_is_reported() {
    let data = tempfile::tempdir().unwrap();
    let settings = Settings::new("/nonexistent/dist", data.path());
    assert!(matches!(
        AppState::load(&settings, Arc::new(SystemClock)).await,
        Err(StartError::Read { .. })
    ));
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_given_one_is_kept() {
    let dist = dist();
    let r = router(dist.path(), "/", None).await;
    let (_, headers, _) = get(&r, "/healthz").await;
    let id = headers["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let (_, other, _) = get(&r, "/healthz").await;
    assert_ne!(other["x-request-id"], headers["x-request-id"]);

    let response = r
        .clone()
        .oneshot(
            Request::get("/healthz")
                .header("x-request-id", "host-abc-123")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "host-abc-123");
}

#[tokio::test]
async fn a_precompressed_copy_is_sent_to_browsers_that_take_gzip() {
    let dist = dist();
    std::fs::write(dist.path().join("catalog.json.gz"), b"gzip bytes").unwrap();
    let r = router(dist.path(), "/", None).await;
    let response = r
        .clone()
        .oneshot(
            Request::get("/catalog.json")
                .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"gzip bytes");
    // Without gzip in Accept-Encoding, the file itself.
    let (status, headers, body) = get(&r, "/catalog.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.contains_key(header::CONTENT_ENCODING));
    assert_eq!(body, r#"{"tiles": []}"#);
}

#[tokio::test]
async fn the_page_names_the_catalog_its_configuration_reads() {
    let dist = dist();
    let (_, _, body) = get(&router(dist.path(), "/", None).await, "/").await;
    assert!(
        body.contains(r#"<meta name="catalog" content="catalog.json"></head>"#),
        "{body}"
    );

    let own = dist.path().join("rest.json");
    std::fs::write(&own, r#"{"backends": {"services": "rest"}}"#).unwrap();
    let (_, _, body) = get(&router(dist.path(), "/", Some(&own)).await, "/").await;
    assert!(
        body.contains(r#"<meta name="catalog" content="api/v1/catalog"></head>"#),
        "{body}"
    );
    assert_eq!(body.matches(r#"name="catalog""#).count(), 1);
}

#[tokio::test]
async fn the_page_links_a_manifest_made_from_its_configuration_under_the_base_path() {
    let dist = dist();
    let own = dist.path().join("yulin.json");
    std::fs::write(
        &own,
        r##"{"community": {"zh": "玉林社区", "en": "Yulin"}, "theme_colour": "#336699"}"##,
    )
    .unwrap();
    let r = router(dist.path(), "/yulin/", Some(&own)).await;
    let (_, _, page) = get(&r, "/yulin/").await;
    assert_eq!(
        page.matches(r#"<link rel="manifest" href="manifest.webmanifest">"#)
            .count(),
        1,
        "{page}"
    );

    let (status, headers, body) = get(&r, "/yulin/manifest.webmanifest").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/manifest+json");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let manifest: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(manifest["name"], "玉林社区");
    assert_eq!(manifest["theme_color"], "#336699");
    assert_eq!(manifest["start_url"], "/yulin/");
    assert_eq!(manifest["scope"], "/yulin/");

    let icon = manifest["icons"][0]["src"].as_str().unwrap();
    let (status, headers, body) = get(&r, icon).await;
    assert_eq!(status, StatusCode::OK, "{icon}");
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(body.starts_with("<svg") && body.contains("#336699"));
    // Nothing moved outside the base path.
    let (status, _, _) = get(&r, "/manifest.webmanifest").await;
    assert_ne!(status, StatusCode::OK);
}
