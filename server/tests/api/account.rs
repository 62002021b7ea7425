//! Sign-in, sign-out, `/me`, favourites and staff-only routes over HTTP, on a fresh database.

use crate::common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use citizen_core::account::SESSION_LIFETIME_SECS;
use common::*;
use std::net::SocketAddr;

#[tokio::test]
async fn a_demo_volunteer_signs_in_and_sees_who_they_are() {
    let app = spawn_app().await;
    let reply = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body(VOLUNTEER, DEMO_PASSWORD),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let token = reply.body["token"].as_str().unwrap();
    assert_eq!(token.len(), 43);
    assert_eq!(
        reply.body["expires_at"], "2026-12-25T00:00:00Z",
        "30 days from now"
    );
    assert_eq!(reply.body["person"]["display_name"], "王芳");

    let me = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["mobile"], VOLUNTEER);
    assert_eq!(
        me.body["roles"],
        serde_json::json!(["resident", "volunteer"])
    );
    assert_eq!(me.body["community"], "demo");
}

#[tokio::test]
async fn the_number_may_be_typed_with_spaces_and_a_country_code() {
    let app = spawn_app().await;
    let reply = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body("+86 138 0000 0001", DEMO_PASSWORD),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_number_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body(RESIDENT, "not-the-password"),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body("13900000000", DEMO_PASSWORD),
        )
        .await;
    for reply in [&wrong, &unknown] {
        reply.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials", None);
    }
    assert_eq!(wrong.body, unknown.body, "nothing tells who has an account");
}

#[tokio::test]
async fn bad_sign_in_bodies_name_the_field() {
    let app = spawn_app().await;
    let cases = [
        ("{", StatusCode::BAD_REQUEST, "invalid_json", None),
        (
            r#"{"mobile": 13800000001, "password": "x"}"#,
            StatusCode::BAD_REQUEST,
            "invalid_field",
            Some("mobile"),
        ),
        (
            r#"{"mobile": "13800000001"}"#,
            StatusCode::BAD_REQUEST,
            "invalid_field",
            Some("password"),
        ),
        (
            r#"{"mobile": "13800000001", "password": "x", "role": "staff"}"#,
            StatusCode::BAD_REQUEST,
            "invalid_field",
            Some("role"),
        ),
        (
            r#"{"mobile": "12345", "password": "x"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some("mobile"),
        ),
        (
            r#"{"mobile": "13800000001", "password": ""}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some("password"),
        ),
    ];
    for (body, status, code, field) in cases {
        let reply = app.post_json("/api/v1/session", None, body).await;
        reply.assert_error_for(body, status, code, field);
        assert!(!reply.message().is_empty(), "{body}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_or_too_large_is_refused() {
    let app = spawn_app().await;
    let form = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("mobile=13800000001"))
        .unwrap();
    let reply = app.send(form).await;
    reply.assert_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        None,
    );

    let huge = format!(
        r#"{{"mobile": "13800000001", "password": "{}"}}"#,
        "x".repeat(100_000)
    );
    let reply = app.post_json("/api/v1/session", None, &huge).await;
    reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None);
}

#[tokio::test]
async fn after_five_wrong_passwords_a_number_waits_a_minute_doubling_with_each_more() {
    let app = spawn_app().await;
    let wrong = || sign_in_body(RESIDENT, "wrong-password");
    for _ in 0..5 {
        let reply = app.post_json("/api/v1/session", None, &wrong()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let refused = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body(RESIDENT, DEMO_PASSWORD),
        )
        .await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    assert_eq!(refused.headers[header::RETRY_AFTER], "60");

    let other = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body(VOLUNTEER, DEMO_PASSWORD),
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::CREATED,
        "other numbers are not locked out"
    );

    // A minute on, one more try; wrong again, the wait doubles.
    app.clock.advance(60);
    let sixth = app.post_json("/api/v1/session", None, &wrong()).await;
    assert_eq!(sixth.status, StatusCode::UNAUTHORIZED);
    let refused = app.post_json("/api/v1/session", None, &wrong()).await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    assert_eq!(refused.headers[header::RETRY_AFTER], "120");

    app.clock.advance(120);
    app.sign_in(RESIDENT).await;
}

#[tokio::test]
async fn one_address_trying_many_numbers_is_slowed_down() {
    let app = spawn_app().await;
    let from = |n: u32| {
        let mut request = post(
            "/api/v1/session",
            None,
            &sign_in_body(&format!("139{n:08}"), "guess-password"),
        );
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([203, 0, 113, 7], 50000))));
        request
    };
    for n in 0..60 {
        assert_eq!(app.send(from(n)).await.status, StatusCode::UNAUTHORIZED);
    }
    let refused = app.send(from(60)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body(RESIDENT, DEMO_PASSWORD),
        )
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::CREATED,
        "other addresses go on"
    );
}

#[tokio::test]
async fn me_needs_a_valid_unexpired_token() {
    let app = spawn_app().await;
    let missing = app.get("/api/v1/me", None).await;
    missing.assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    assert_eq!(missing.headers[header::WWW_AUTHENTICATE], "Bearer");

    let garbage = app.get("/api/v1/me", Some("not-a-token")).await;
    assert_eq!(garbage.code(), "unauthorized");
    let unknown = app.get("/api/v1/me", Some(&"A".repeat(43))).await;
    assert_eq!(unknown.code(), "unauthorized");

    let token = app.sign_in(RESIDENT).await;
    app.clock.advance(SESSION_LIFETIME_SECS - 1);
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::OK
    );
    app.clock.advance(1);
    let expired = app.get("/api/v1/me", Some(&token)).await;
    expired.assert_error(StatusCode::UNAUTHORIZED, "session_expired", None);
}

#[tokio::test]
async fn signing_out_ends_that_session_only() {
    let app = spawn_app().await;
    let phone = app.sign_in(RESIDENT).await;
    let tablet = app.sign_in(RESIDENT).await;
    assert_eq!(
        app.delete("/api/v1/session", Some(&phone)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&phone)).await.code(),
        "unauthorized"
    );
    assert_eq!(
        app.delete("/api/v1/session", Some(&phone)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&tablet)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.delete("/api/v1/session", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn tokens_are_stored_only_as_digests() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let conn = app.db();
    let stored: Vec<u8> = conn
        .query_row("SELECT token_hash FROM sessions", (), |r| r.get(0))
        .unwrap();
    assert_eq!(stored.len(), 32);
    assert_ne!(stored, token.as_bytes());
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM people WHERE mobile = ?1",
            [RESIDENT],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[tokio::test]
async fn staff_see_the_community_and_others_are_refused() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let people = app.get("/api/v1/people", Some(&staff)).await;
    assert_eq!(people.status, StatusCode::OK, "{}", people.text);
    let list = people.body["people"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(
        list.iter()
            .all(|p| p["mobile_masked"].as_str().unwrap().contains("****"))
    );

    let resident = app.sign_in(RESIDENT).await;
    let refused = app.get("/api/v1/people", Some(&resident)).await;
    refused.assert_error(StatusCode::FORBIDDEN, "forbidden", None);
    assert_eq!(
        app.get("/api/v1/people", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn favourites_follow_the_person_newest_first() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let first = app.add_favourite(&token, "housing-fund-balance").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    app.clock.advance(1);
    app.add_favourite(&token, "social-security-query").await;
    let again = app.add_favourite(&token, "housing-fund-balance").await;
    assert_eq!(again.status, StatusCode::OK, "adding twice changes nothing");
    assert_eq!(
        again.body, first.body,
        "it keeps the time it was first added"
    );
    assert_eq!(first.body["added_at"], "2026-11-25T00:00:00Z");
    let list = app.get("/api/v1/me/favourites", Some(&token)).await;
    assert_eq!(
        list.body["tiles"],
        serde_json::json!(["social-security-query", "housing-fund-balance"])
    );

    let other = app.sign_in(VOLUNTEER).await;
    let theirs = app.get("/api/v1/me/favourites", Some(&other)).await;
    assert_eq!(
        theirs.body["tiles"],
        serde_json::json!([]),
        "favourites are per person"
    );

    assert_eq!(
        app.delete("/api/v1/me/favourites/housing-fund-balance", Some(&token))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let now = app.get("/api/v1/me/favourites", Some(&token)).await;
    assert_eq!(
        now.body["tiles"],
        serde_json::json!(["social-security-query"])
    );
}

#[tokio::test]
async fn a_favourite_must_be_a_tile_that_exists() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let unknown = app
        .post_json(
            "/api/v1/me/favourites",
            Some(&token),
            r#"{"tile": "no-such-tile"}"#,
        )
        .await;
    unknown.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("tile"),
    );
    let malformed = app
        .post_json(
            "/api/v1/me/favourites",
            Some(&token),
            r#"{"tile": "Bad Id!"}"#,
        )
        .await;
    malformed.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("tile"),
    );
    let bad_path = app
        .delete("/api/v1/me/favourites/Bad%20Id", Some(&token))
        .await;
    bad_path.assert_error(StatusCode::BAD_REQUEST, "invalid_field", Some("tile"));
    let anonymous = app
        .post_json(
            "/api/v1/me/favourites",
            None,
            r#"{"tile": "housing-fund-balance"}"#,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
