//! `Idempotency-Key`: a retried POST returns the first reply without doing the work twice; the
//! same key with another body is refused; a reply carrying a secret is never stored.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;

fn keyed(uri: &str, token: Option<&str>, key: &str, body: &str) -> Request<Body> {
    with_key(post(uri, token, body), key)
}

#[tokio::test]
async fn a_retry_with_the_same_key_and_body_gets_the_first_reply() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let body = r#"{"tile": "housing-fund-balance"}"#;
    let first = app
        .send(keyed("/api/v1/me/favourites", Some(&token), "k-1", body))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(first.headers.get("idempotent-replayed").is_none());

    let retry = app
        .send(keyed("/api/v1/me/favourites", Some(&token), "k-1", body))
        .await;
    assert_eq!(
        retry.status,
        StatusCode::CREATED,
        "the first status, not 200 'already there'"
    );
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.headers[header::CONTENT_TYPE], "application/json");

    let without_key = app
        .post_json("/api/v1/me/favourites", Some(&token), body)
        .await;
    assert_eq!(
        without_key.status,
        StatusCode::OK,
        "without a key the work runs again"
    );
}

#[tokio::test]
async fn the_same_key_with_another_body_is_a_conflict() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    app.send(keyed(
        "/api/v1/me/favourites",
        Some(&token),
        "k-2",
        r#"{"tile": "housing-fund-balance"}"#,
    ))
    .await;
    let other = app
        .send(keyed(
            "/api/v1/me/favourites",
            Some(&token),
            "k-2",
            r#"{"tile": "social-security-query"}"#,
        ))
        .await;
    other.assert_error(
        StatusCode::CONFLICT,
        "idempotency_conflict",
        Some("Idempotency-Key"),
    );
    let favourites = app.get("/api/v1/me/favourites", Some(&token)).await;
    assert_eq!(
        favourites.body["tiles"],
        serde_json::json!(["housing-fund-balance"])
    );
}

#[tokio::test]
async fn keys_belong_to_one_caller() {
    let app = spawn_app().await;
    let mine = app.sign_in(RESIDENT).await;
    let theirs = app.sign_in(VOLUNTEER).await;
    let body = r#"{"tile": "housing-fund-balance"}"#;
    app.send(keyed("/api/v1/me/favourites", Some(&mine), "shared", body))
        .await;
    let other = app
        .send(keyed(
            "/api/v1/me/favourites",
            Some(&theirs),
            "shared",
            body,
        ))
        .await;
    assert_eq!(other.status, StatusCode::CREATED);
    assert!(other.headers.get("idempotent-replayed").is_none());
    let list = app.get("/api/v1/me/favourites", Some(&theirs)).await;
    assert_eq!(
        list.body["tiles"],
        serde_json::json!(["housing-fund-balance"])
    );
}

#[tokio::test]
async fn a_refused_request_replays_its_refusal_but_a_rate_limit_does_not_stick() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let unknown = r#"{"tile": "no-such-tile"}"#;
    let first = app
        .send(keyed("/api/v1/me/favourites", Some(&token), "k-3", unknown))
        .await;
    assert_eq!(first.status, StatusCode::UNPROCESSABLE_ENTITY);
    let again = app
        .send(keyed("/api/v1/me/favourites", Some(&token), "k-3", unknown))
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.headers["idempotent-replayed"], "true");

    let wrong = sign_in_body(VOLUNTEER, "wrong-password");
    for _ in 0..5 {
        app.post_json("/api/v1/session", None, &wrong).await;
    }
    let right = sign_in_body(VOLUNTEER, DEMO_PASSWORD);
    let limited = app
        .send(keyed("/api/v1/session", None, "k-4", &right))
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(15 * 60);
    let later = app
        .send(keyed("/api/v1/session", None, "k-4", &right))
        .await;
    assert_eq!(
        later.status,
        StatusCode::CREATED,
        "the retry ran again: {}",
        later.text
    );
}

#[tokio::test]
async fn a_new_session_is_never_stored_for_replay() {
    let app = spawn_app().await;
    let body = sign_in_body(RESIDENT, DEMO_PASSWORD);
    let first = app.send(keyed("/api/v1/session", None, "k-5", &body)).await;
    let second = app.send(keyed("/api/v1/session", None, "k-5", &body)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_ne!(
        first.body["token"], second.body["token"],
        "each retry opens its own session"
    );
    assert_eq!(
        app.count("idempotency_keys"),
        0,
        "no token is written to the database in the clear"
    );
}

#[tokio::test]
async fn a_malformed_key_is_refused() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let long = "x".repeat(300);
    let reply = app
        .send(keyed(
            "/api/v1/me/favourites",
            Some(&token),
            &long,
            r#"{"tile": "housing-fund-balance"}"#,
        ))
        .await;
    reply.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("Idempotency-Key"),
    );
}
