//! Attacks on the server as a whole, each refused: bursts of guesses against the sign-in and
//! check-in limits, spoofed and neighbouring addresses, a stranger locking an owner out, replays
//! to revoked tokens, a handler panic, a forged `Host`, and the headers every reply carries.

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use citizen_server::store::housekeeping;
use common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::atomic::Ordering;
use tower::ServiceExt;

const NOISE: &str =
    r#"{"category": "noise", "description": "楼上每晚装修到十一点多", "address": "玉林北路"}"#;

/// A real 1×1 PNG (valid chunks and checksums), so any decoder accepts it.
const PNG: [u8; 69] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A sign-in attempt, optionally through a proxy that says the caller is `forwarded_for`.
fn sign_in_request(forwarded_for: Option<&str>, mobile: &str, password: &str) -> Request<Body> {
    let mut request = post("/api/v1/session", None, &sign_in_body(mobile, password));
    if let Some(address) = forwarded_for {
        request
            .headers_mut()
            .insert("x-forwarded-for", address.parse().unwrap());
    }
    request
}

async fn attempt(
    app: &TestApp,
    forwarded_for: Option<&str>,
    mobile: &str,
    password: &str,
) -> Reply {
    app.send(sign_in_request(forwarded_for, mobile, password))
        .await
}

/// Five wrong passwords on the resident's number from `stranger`, all checked and refused.
async fn hammer(app: &TestApp, stranger: &str) {
    for _ in 0..5 {
        attempt(app, Some(stranger), RESIDENT, "wrong-password-1")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials", None);
    }
    let sixth = attempt(app, Some(stranger), RESIDENT, "wrong-password-1").await;
    sixth.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    assert!(sixth.headers.contains_key(header::RETRY_AFTER));
}

async fn trusting_proxy() -> TestApp {
    spawn_app_with("/", |s| s.trusted_proxy = true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_wrong_passwords_get_at_most_five_checks() {
    let app = spawn_app().await;
    let burst: Vec<_> = (0..20)
        .map(|_| {
            let router = app.router.clone();
            tokio::spawn(async move {
                router
                    .oneshot(sign_in_request(None, RESIDENT, "wrong-password-1"))
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in burst {
        statuses.push(task.await.unwrap());
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, limited), (5, 15), "{statuses:?}");
    assert_eq!(
        app.state.password_checks.load(Ordering::Relaxed),
        5,
        "only five passwords were checked against the hash"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_check_in_codes_are_counted_before_they_are_compared() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let guesser = app.sign_in(VOLUNTEER).await;
    let activity = "/api/v1/volunteer/activities/demo-clean-up";
    let signed_up = app
        .post_json(&format!("{activity}/signup"), Some(&guesser), "null")
        .await;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.text);
    let shown = app.get(&format!("{activity}/code"), Some(&staff)).await;
    let right: u32 = shown.body["code"].as_str().unwrap().parse().unwrap();
    let burst: Vec<_> = (1..=25u32)
        .map(|k| {
            let router = app.router.clone();
            let code = format!("{:06}", (right + k * 7919) % 1_000_000);
            let request = post(
                &format!("{activity}/checkin"),
                Some(&guesser),
                &json!({ "code": code }).to_string(),
            );
            tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in burst {
        statuses.push(task.await.unwrap());
    }
    let compared = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((compared, limited), (10, 15), "{statuses:?}");
}

#[tokio::test]
async fn forwarded_for_is_ignored_without_trusted_proxy() {
    let app = spawn_app().await;
    hammer(&app, "203.0.113.1").await;
    // Any header a caller sends is theirs to choose: without --trusted-proxy it changes nothing,
    // so the "owner" below is the same (failed) address and waits too.
    let owner = attempt(&app, Some("198.51.100.7"), RESIDENT, DEMO_PASSWORD).await;
    owner.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
}

#[tokio::test]
async fn forwarded_for_names_the_caller_behind_a_trusted_proxy() {
    let app = trusting_proxy().await;
    hammer(&app, "203.0.113.1").await;
    // The proxy appends the address it saw: a first hop the stranger wrote is not believed.
    let spoofed = attempt(
        &app,
        Some("198.51.100.7, 203.0.113.1"),
        RESIDENT,
        DEMO_PASSWORD,
    )
    .await;
    spoofed.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    let owner = attempt(&app, Some("198.51.100.7"), RESIDENT, DEMO_PASSWORD).await;
    assert_eq!(owner.status, StatusCode::CREATED, "{}", owner.text);
}

#[tokio::test]
async fn the_owner_signs_in_from_a_clean_address_while_a_stranger_hammers_the_number() {
    let app = trusting_proxy().await;
    hammer(&app, "203.0.113.1").await;
    for round in 0..3 {
        let owner = attempt(&app, Some("198.51.100.7"), RESIDENT, DEMO_PASSWORD).await;
        assert_eq!(
            owner.status,
            StatusCode::CREATED,
            "round {round}: {}",
            owner.text
        );
        attempt(&app, Some("203.0.113.1"), RESIDENT, "wrong-password-1")
            .await
            .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    }
    // A new address gets one try at the waiting number, and waits once it is wrong.
    attempt(&app, Some("192.0.2.50"), RESIDENT, "wrong-password-1")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials", None);
    attempt(&app, Some("192.0.2.50"), RESIDENT, DEMO_PASSWORD)
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    // The wait is a delay, not a lock: six failures wait two minutes, then anyone may try again.
    app.clock.advance(120);
    let later = attempt(&app, Some("203.0.113.1"), RESIDENT, DEMO_PASSWORD).await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.text);
}

#[tokio::test]
async fn an_ipv6_neighbour_in_the_same_slash_64_shares_the_limit() {
    let app = trusting_proxy().await;
    hammer(&app, "2001:db8:1:2::1").await;
    attempt(&app, Some("2001:db8:1:2:ffff::9"), RESIDENT, DEMO_PASSWORD)
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    let elsewhere = attempt(&app, Some("2001:db8:1:3::1"), RESIDENT, DEMO_PASSWORD).await;
    assert_eq!(elsewhere.status, StatusCode::CREATED, "{}", elsewhere.text);
}

/// Two inline scripts (the boot check and the start module, as tools/bundle.mjs writes them) and
/// one inline style.
const PAGE: &str = "<!DOCTYPE html><html><head><base href=\"./\">\n<style>\n  #boot { color: #333; }\n</style>\n  <script type=\"module\">\n  import init from './pkg-0123456789abcdef/citizen-cloud.js';\n  await init();\n  </script>\n</head><body><div id=\"boot\"></div>\n  <script>\n    (function () { document.getElementById(\"boot\"); })();\n  </script>\n</body></html>";

fn sha256_source(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

#[track_caller]
fn assert_security_headers(reply: &Reply, what: &str) {
    let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.starts_with("default-src 'self';"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(!csp.contains("'unsafe-eval'"), "{what}: {csp}");
    for directive in [
        "img-src 'self' data: blob:",
        "base-uri 'self'",
        "object-src 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{what}: {directive} in {csp}");
    }
    assert_eq!(
        reply.headers[header::X_CONTENT_TYPE_OPTIONS],
        "nosniff",
        "{what}"
    );
    assert_eq!(
        reply.headers[header::REFERRER_POLICY],
        "no-referrer",
        "{what}"
    );
}

fn cache_control(reply: &Reply) -> &str {
    reply
        .headers
        .get(header::CACHE_CONTROL)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn the_page_the_api_and_a_photo_carry_the_security_headers() {
    let app = spawn_app_with("/", |s| {
        std::fs::write(s.dist.join("index.html"), PAGE).unwrap();
        std::fs::write(
            s.dist.join("config.json"),
            r#"{"allowed_origins": ["https://host.example"]}"#,
        )
        .unwrap();
    })
    .await;

    let page = app.get("/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_security_headers(&page, "/");
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let module =
        "\n  import init from './pkg-0123456789abcdef/citizen-cloud.js';\n  await init();\n  ";
    let boot = "\n    (function () { document.getElementById(\"boot\"); })();\n  ";
    assert!(
        csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {} {};",
            sha256_source(module),
            sha256_source(boot)
        )),
        "{csp}"
    );
    assert!(
        csp.contains(&format!(
            "style-src 'self' {};",
            sha256_source("\n  #boot { color: #333; }\n")
        )),
        "{csp}"
    );
    assert!(
        csp.contains("frame-ancestors 'self' https://host.example;"),
        "{csp}"
    );
    // A deep link (the same page) and a missing file.
    assert_security_headers(&app.get("/requests/new", None).await, "deep link");
    let missing = app.get("/missing-0123.js", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_security_headers(&missing, "missing file");

    let token = app.sign_in(RESIDENT).await;
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_security_headers(&me, "/api/v1/me");
    assert_eq!(cache_control(&me), "no-store");
    let refused = app.get("/api/v1/me", None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_security_headers(&refused, "401");
    assert_eq!(cache_control(&refused), "no-store");
    let unknown = app.get("/api/v1/nothing-here", None).await;
    assert_security_headers(&unknown, "API 404");

    // The public catalog keeps its revalidation.
    let catalog = app.get("/api/v1/catalog", None).await;
    assert_security_headers(&catalog, "catalog");
    assert_eq!(cache_control(&catalog), "no-cache");
    assert!(catalog.headers.contains_key(header::ETAG));

    let uploaded = app
        .send(
            with_token(Request::post("/api/v1/photos"), Some(&token))
                .header(header::CONTENT_TYPE, "image/png")
                .body(Body::from(PNG.to_vec()))
                .unwrap(),
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.text);
    assert_security_headers(&uploaded, "upload");
    let id = uploaded.body["id"].as_str().unwrap();
    let photo = app.get(&format!("/api/v1/photos/{id}"), None).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_security_headers(&photo, "photo");
    // Only the viewer's browser may keep a resident's photo, never a shared cache.
    let photo_cache = cache_control(&photo);
    assert!(
        photo_cache == "no-store" || photo_cache.split(',').any(|d| d.trim() == "private"),
        "{photo_cache}"
    );

    let services = app.get("/open311/v2/services.json", None).await;
    assert_security_headers(&services, "Open311 services");
    let georeport = app
        .get(&format!("/open311/v2/requests.json?api_key={token}"), None)
        .await;
    assert_eq!(georeport.status, StatusCode::OK);
    assert_eq!(cache_control(&georeport), "no-store");
}

#[tokio::test]
async fn without_allowed_origins_only_the_app_itself_may_frame_it() {
    let app = spawn_app().await;
    let page = app.get("/", None).await;
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'self';"), "{csp}");
}

#[tokio::test]
async fn a_replay_to_a_revoked_token_is_refused() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let filing = || with_key(post("/api/v1/requests", Some(&token), NOISE), "file-once-1");
    let first = app.send(filing()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let again = app.send(filing()).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body["tracking"], first.body["tracking"]);

    // Another person with the same key and body is not replayed the first one's reply.
    let other = app.sign_in(VOLUNTEER).await;
    let theirs = app
        .send(with_key(
            post("/api/v1/requests", Some(&other), NOISE),
            "file-once-1",
        ))
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.text);
    assert!(!theirs.headers.contains_key("idempotent-replayed"));
    assert_ne!(theirs.body["tracking"], first.body["tracking"]);

    assert_eq!(
        app.delete("/api/v1/session", Some(&token)).await.status,
        StatusCode::NO_CONTENT
    );
    let revoked = app.send(filing()).await;
    revoked.assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    assert!(!revoked.headers.contains_key("idempotent-replayed"));
    assert_eq!(app.count("requests"), 2);
}

#[tokio::test]
async fn without_a_valid_token_the_key_changes_nothing() {
    let app = spawn_app().await;
    let bogus = "A".repeat(43);
    for key in ["", "file-once-2", "file-once-2"] {
        let mut request = post("/api/v1/requests", Some(&bogus), NOISE);
        request
            .headers_mut()
            .insert("idempotency-key", key.parse().unwrap());
        let reply = app.send(request).await;
        reply.assert_error_for(key, StatusCode::UNAUTHORIZED, "unauthorized", None);
        assert!(!reply.headers.contains_key("idempotent-replayed"));

        // No token at all: the handler refuses it, the key is not looked at.
        let mut request = post("/api/v1/requests", None, NOISE);
        request
            .headers_mut()
            .insert("idempotency-key", key.parse().unwrap());
        app.send(request).await.assert_error_for(
            key,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            None,
        );
    }
    // A different body under the same key is no conflict either: nothing was kept.
    let other = with_key(post("/api/v1/requests", Some(&bogus), "{}"), "file-once-2");
    app.send(other)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    assert_eq!(
        app.count("idempotency_keys"),
        0,
        "anonymous callers write no rows"
    );
    assert_eq!(app.count("requests"), 0);
}

#[tokio::test]
async fn keys_without_a_token_are_scoped_by_the_callers_address() {
    let app = trusting_proxy().await;
    let key = app.sign_in(RESIDENT).await;
    let body = street_light_form(&key, &[("address_string", "玉林北路 3 号")]);
    let from = |address: &str| {
        let mut request = with_key(form("/open311/v2/requests.json", &body), "geo-1");
        request
            .headers_mut()
            .insert("x-forwarded-for", address.parse().unwrap());
        request
    };
    let first = app.send(from("203.0.113.1")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let again = app.send(from("203.0.113.1")).await;
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body, first.body);
    let elsewhere = app.send(from("198.51.100.7")).await;
    assert_eq!(elsewhere.status, StatusCode::CREATED);
    assert!(!elsewhere.headers.contains_key("idempotent-replayed"));
    assert_ne!(
        elsewhere.body[0]["service_request_id"],
        first.body[0]["service_request_id"]
    );

    // A wrong password under a key is not kept: the retry is judged (and counted) afresh.
    for _ in 0..2 {
        let reply = app
            .send(with_key(
                sign_in_request(Some("192.0.2.1"), RESIDENT, "wrong-password-1"),
                "sign-in-1",
            ))
            .await;
        reply.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials", None);
        assert!(!reply.headers.contains_key("idempotent-replayed"));
    }
    assert_eq!(app.state.password_checks.load(Ordering::Relaxed), 3);
}

async fn panics() -> &'static str {
    panic!("a bug in a handler")
}

#[tokio::test]
async fn a_handler_panic_is_a_500_with_the_request_id_and_the_server_carries_on() {
    let app =
        spawn_app_with_routes("/", |_| {}, Router::new().route("/test/panic", get(panics))).await;
    let reply = app
        .send(
            Request::get("/test/panic")
                .header("x-request-id", "resident-report-42")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    reply.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", None);
    assert!(
        reply.message().contains("resident-report-42"),
        "{}",
        reply.text
    );
    assert!(
        !reply.message().contains("a bug in a handler"),
        "no details leak"
    );
    assert_eq!(reply.headers["x-request-id"], "resident-report-42");
    assert_security_headers(&reply, "panic");

    // A request without an id gets one, in the header and the message.
    let unnamed = app.get("/test/panic", None).await;
    let id = unnamed.headers["x-request-id"].to_str().unwrap().to_owned();
    assert!(unnamed.message().contains(&id), "{}", unnamed.text);

    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    let token = app.sign_in(RESIDENT).await;
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn housekeeping_purges_expired_sessions_and_old_idempotency_rows() {
    let app = spawn_app().await;
    let kept = app.sign_in(RESIDENT).await;
    let signed_out = app.sign_in(VOLUNTEER).await;
    app.delete("/api/v1/session", Some(&signed_out)).await;
    let filed = app
        .send(with_key(
            post("/api/v1/requests", Some(&kept), NOISE),
            "k-1",
        ))
        .await;
    assert_eq!(filed.status, StatusCode::CREATED);
    assert_eq!(
        (app.count("sessions"), app.count("idempotency_keys")),
        (2, 1)
    );

    app.clock.advance(24 * 60 * 60 + 1);
    let fresh = app.sign_in(STAFF).await;
    let purged = housekeeping::run_once(&app.state).await.unwrap();
    assert_eq!(
        purged,
        housekeeping::Purged {
            sessions: 1,
            idempotency_keys: 1,
            orphan_photos: 0,
            host_codes: 0,
            sms_codes: 0,
            limit_slots: 0,
        }
    );
    assert_eq!(
        (app.count("sessions"), app.count("idempotency_keys")),
        (2, 0)
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&kept)).await.status,
        StatusCode::OK
    );

    // Thirty days on, the first session has expired; the staff member's is still live.
    app.clock.advance(29 * 24 * 60 * 60);
    let purged = housekeeping::run_once(&app.state).await.unwrap();
    assert_eq!(purged.sessions, 1);
    assert_eq!(app.count("sessions"), 1);
    assert_eq!(
        app.get("/api/v1/me", Some(&fresh)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        housekeeping::run_once(&app.state).await.unwrap(),
        housekeeping::Purged::default(),
        "nothing twice"
    );
}

/// Files a request with one photo; returns its tracking number and the photo's id.
async fn file_with_photo(app: &TestApp, base: &str, token: &str) -> (String, String) {
    let uploaded = app
        .send(
            with_token(Request::post(format!("{base}api/v1/photos")), Some(token))
                .header(header::CONTENT_TYPE, "image/png")
                .body(Body::from(PNG.to_vec()))
                .unwrap(),
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.text);
    let photo = uploaded.body["id"].as_str().unwrap().to_owned();
    let body = street_light(&[&photo]);
    let filed = app
        .post_json(
            &format!("{base}api/v1/requests"),
            Some(token),
            &body.to_string(),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    (filed.body["tracking"].as_str().unwrap().to_owned(), photo)
}

fn read_with_host(uri: String) -> Request<Body> {
    Request::get(uri)
        .header(header::HOST, "attacker.example")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn media_url_comes_from_the_public_url_never_from_host() {
    let app = spawn_app_with("/community/", |s| {
        s.public_url = Some("https://city.example/yulin/".parse().unwrap());
    })
    .await;
    let token = app.sign_in_under("/community/", RESIDENT).await;
    let (tracking, photo) = file_with_photo(&app, "/community/", &token).await;
    let one = app
        .send(read_with_host(format!(
            "/community/open311/v2/requests/{tracking}.json?api_key={token}"
        )))
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    assert_eq!(
        one.body[0]["media_url"],
        format!("https://city.example/yulin/api/v1/photos/{photo}")
    );
    assert!(!one.text.contains("attacker.example"));

    // Without --public-url there is no absolute address to give: media_url is null.
    let bare = spawn_app().await;
    let token = bare.sign_in(RESIDENT).await;
    let (tracking, _) = file_with_photo(&bare, "/", &token).await;
    let read = bare
        .send(read_with_host(format!(
            "/open311/v2/requests/{tracking}.json?api_key={token}"
        )))
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(read.body[0]["media_url"], Value::Null, "{}", read.text);
    assert!(read.text.contains(r#""media_url":null"#), "{}", read.text);
    assert!(!read.text.contains("attacker.example"));
}

#[test]
fn public_urls_are_absolute_and_plain() {
    use citizen_server::PublicUrl;
    let url: PublicUrl = "https://city.example/yulin".parse().unwrap();
    assert_eq!(url.as_str(), "https://city.example/yulin/");
    for bad in [
        "city.example",
        "ftp://city.example/",
        "https://",
        "https://city.example/?x=1",
        "https://city.example/#top",
        "https://city example/",
        "javascript:alert(1)",
    ] {
        assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
    }
}

#[tokio::test]
async fn a_request_takes_twenty_supplements_then_says_why_not() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let filed = app.post_json("/api/v1/requests", Some(&token), NOISE).await;
    let tracking = filed.body["tracking"].as_str().unwrap().to_owned();
    let commands = format!("/api/v1/requests/{tracking}/commands");
    let supplement = |i: usize| json!({"kind": "supplement", "note": format!("补充说明第 {i} 条")});
    for i in 1..=20 {
        let reply = app
            .post_json(&commands, Some(&token), &supplement(i).to_string())
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{i}: {}", reply.text);
        if i == 20 {
            assert_eq!(
                reply.body["allowed"],
                json!(["withdraw"]),
                "no more offered"
            );
        }
    }
    let one_more = app
        .post_json(&commands, Some(&token), &supplement(21).to_string())
        .await;
    one_more.assert_error(StatusCode::CONFLICT, "too_many_supplements", None);
    assert!(one_more.message().contains("20"), "{}", one_more.text);
    let read = app
        .get(&format!("/api/v1/requests/{tracking}"), Some(&token))
        .await;
    let timeline: &Vec<Value> = read.body["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 21);
}
