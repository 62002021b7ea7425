//! `/api/v1/me/city-requests`: a signed-in person's receipts of their filings at the city's
//! GeoReport endpoint, kept in the account under the endpoint the served config names. Nobody
//! else sees or changes them; a server with no city endpoint keeps none.

use crate::common;

use axum::http::StatusCode;
use citizen_core::georeport::receipt::MAX_RECEIPTS;
use common::*;
use serde_json::{Value, json};

const CITY: &str = "https://311.city.example/georeport/v2/";
const URI: &str = "/api/v1/me/city-requests";

async fn keep(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post_json(URI, Some(token), &body.to_string()).await
}

/// The (id, token) pairs listed for `token`'s person, in order.
async fn listed(app: &TestApp, token: &str) -> Vec<(Value, Value)> {
    let reply = app.get(URI, Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].clone(), i["token"].clone()))
        .collect()
}

#[tokio::test]
async fn a_resident_keeps_ids_and_tokens_and_reads_them_back_oldest_first() {
    let app = spawn_city_app(CITY, None).await;
    let me = app.sign_in(RESIDENT).await;
    assert_eq!(listed(&app, &me).await, vec![]);

    let first = keep(&app, &me, json!({"id": "YL-000001"})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.body["id"], "YL-000001");
    assert_eq!(first.body["token"], Value::Null);
    assert_eq!(first.body["filed_at"], "2026-11-25T00:00:00Z");
    app.clock.advance(60);
    let waiting = keep(&app, &me, json!({"token": "tok-9f2c"})).await;
    assert_eq!(waiting.status, StatusCode::CREATED, "{}", waiting.text);
    assert_eq!(waiting.body["id"], Value::Null);
    app.clock.advance(60);
    let both = keep(
        &app,
        &me,
        json!({"id": "CD-20261125-000003", "token": "t-3"}),
    )
    .await;
    assert_eq!(both.status, StatusCode::CREATED, "{}", both.text);

    assert_eq!(
        listed(&app, &me).await,
        vec![
            (json!("YL-000001"), Value::Null),
            (Value::Null, json!("tok-9f2c")),
            (json!("CD-20261125-000003"), json!("t-3")),
        ]
    );

    // Another sign-in of the same person (another device) finds them.
    let again = app.sign_in(RESIDENT).await;
    assert_eq!(listed(&app, &again).await.len(), 3);
}

#[tokio::test]
async fn a_waiting_token_gets_its_id_and_repeats_change_nothing() {
    let app = spawn_city_app(CITY, None).await;
    let me = app.sign_in(RESIDENT).await;
    assert_eq!(
        keep(&app, &me, json!({"token": "tok-1"})).await.status,
        StatusCode::CREATED
    );
    app.clock.advance(300);

    // The token resolved: the same receipt, now with its id, filed when it was first kept.
    let resolved = keep(&app, &me, json!({"token": "tok-1", "id": "YL-000042"})).await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
    assert_eq!(resolved.body["id"], "YL-000042");
    assert_eq!(resolved.body["token"], "tok-1");
    assert_eq!(resolved.body["filed_at"], "2026-11-25T00:00:00Z");
    assert_eq!(
        listed(&app, &me).await,
        vec![(json!("YL-000042"), json!("tok-1"))]
    );

    // Sending any of it again keeps one receipt.
    for body in [
        json!({"id": "YL-000042"}),
        json!({"token": "tok-1"}),
        json!({"token": "tok-1", "id": "YL-000042"}),
    ] {
        let reply = keep(&app, &me, body.clone()).await;
        assert_eq!(reply.status, StatusCode::OK, "{body}: {}", reply.text);
        assert_eq!(reply.body["id"], "YL-000042", "{body}");
    }
    assert_eq!(listed(&app, &me).await.len(), 1);

    // An id kept on its own, then its token resolving to it: still one receipt.
    assert_eq!(
        keep(&app, &me, json!({"token": "tok-2"})).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        keep(&app, &me, json!({"id": "YL-000043"})).await.status,
        StatusCode::CREATED
    );
    let merged = keep(&app, &me, json!({"token": "tok-2", "id": "YL-000043"})).await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
    assert_eq!(
        listed(&app, &me).await,
        vec![
            (json!("YL-000042"), json!("tok-1")),
            (json!("YL-000043"), json!("tok-2")),
        ]
    );
}

#[tokio::test]
async fn another_person_never_sees_or_changes_my_receipts() {
    let app = spawn_city_app(CITY, None).await;
    let me = app.sign_in(RESIDENT).await;
    let other = app.sign_in(VOLUNTEER).await;
    keep(&app, &me, json!({"id": "YL-000001"})).await;
    keep(&app, &me, json!({"token": "my-token"})).await;

    assert_eq!(listed(&app, &other).await, vec![]);
    // My token's value with an id, sent by someone else: their own receipt, mine still waits.
    let theirs = keep(
        &app,
        &other,
        json!({"token": "my-token", "id": "YL-666666"}),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.text);
    let same_id = keep(&app, &other, json!({"id": "YL-000001"})).await;
    assert_eq!(same_id.status, StatusCode::CREATED, "{}", same_id.text);
    assert_eq!(
        listed(&app, &me).await,
        vec![
            (json!("YL-000001"), Value::Null),
            (Value::Null, json!("my-token")),
        ]
    );
    assert_eq!(
        listed(&app, &other).await,
        vec![
            (json!("YL-666666"), json!("my-token")),
            (json!("YL-000001"), Value::Null),
        ]
    );
}

#[tokio::test]
async fn without_a_sign_in_nothing_is_read_or_kept() {
    let app = spawn_city_app(CITY, None).await;
    let me = app.sign_in(RESIDENT).await;
    keep(&app, &me, json!({"id": "YL-000001"})).await;
    app.get(URI, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    app.get(URI, Some("not-a-token")).await.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
    );
    app.post_json(URI, None, r#"{"id": "YL-000002"}"#)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    // A signed-out session is refused too.
    app.delete("/api/v1/session", Some(&me)).await;
    let after = app.get(URI, Some(&me)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.text);
    let fresh = app.sign_in(RESIDENT).await;
    assert_eq!(
        listed(&app, &fresh).await,
        vec![(json!("YL-000001"), Value::Null)]
    );
}

#[tokio::test]
async fn a_server_without_a_city_endpoint_keeps_none() {
    let app = spawn_app().await;
    let me = app.sign_in(RESIDENT).await;
    keep(&app, &me, json!({"id": "YL-000001"}))
        .await
        .assert_error(StatusCode::CONFLICT, "no_city_endpoint", None);
    app.get(URI, Some(&me))
        .await
        .assert_error(StatusCode::CONFLICT, "no_city_endpoint", None);
}

#[tokio::test]
async fn receipts_are_kept_under_the_endpoint_served_then() {
    let first = spawn_city_app(CITY, None).await;
    let me = first.sign_in(RESIDENT).await;
    keep(&first, &me, json!({"id": "YL-000001"})).await;

    // The same database, served with another city: the old receipts are not that city's.
    let moved = spawn_city_app("https://other.example/open311/v2/", Some(&first)).await;
    let token = moved.sign_in(RESIDENT).await;
    assert_eq!(listed(&moved, &token).await, vec![]);
    let there = keep(&moved, &token, json!({"id": "YL-000001"})).await;
    assert_eq!(there.status, StatusCode::CREATED, "{}", there.text);

    let back = spawn_city_app(CITY, Some(&first)).await;
    let token = back.sign_in(RESIDENT).await;
    assert_eq!(
        listed(&back, &token).await,
        vec![(json!("YL-000001"), Value::Null)]
    );
}

#[tokio::test]
async fn bad_receipts_are_refused_by_field() {
    let app = spawn_city_app(CITY, None).await;
    let me = app.sign_in(RESIDENT).await;
    let long = "a".repeat(101);
    for (body, status, field) in [
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY, "id"),
        (json!({"id": ""}), StatusCode::UNPROCESSABLE_ENTITY, "id"),
        (
            json!({"id": "YL 1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "id",
        ),
        (
            json!({"token": long}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "token",
        ),
        (
            json!({"token": "a\nb"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "token",
        ),
        (json!({"id": 7}), StatusCode::BAD_REQUEST, "id"),
        (
            json!({"id": "YL-1", "person": 2}),
            StatusCode::BAD_REQUEST,
            "person",
        ),
    ] {
        keep(&app, &me, body.clone()).await.assert_error_for(
            &body.to_string(),
            status,
            "invalid_field",
            Some(field),
        );
    }
    assert_eq!(listed(&app, &me).await, vec![]);
    let longest = "码".repeat(100);
    let kept = keep(&app, &me, json!({"id": longest})).await;
    assert_eq!(kept.status, StatusCode::CREATED, "{}", kept.text);
}

#[tokio::test]
async fn the_501st_receipt_is_refused_not_dropped() {
    let app = spawn_city_app(CITY, None).await;
    let me = app.sign_in(RESIDENT).await;
    for n in 0..MAX_RECEIPTS {
        let reply = keep(&app, &me, json!({"id": format!("YL-{n:06}")})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{n}: {}", reply.text);
    }
    keep(&app, &me, json!({"token": "one-more"}))
        .await
        .assert_error(StatusCode::CONFLICT, "city_receipts_full", None);
    let all = listed(&app, &me).await;
    assert_eq!(all.len(), MAX_RECEIPTS);
    assert_eq!(all[0].0, json!("YL-000000"), "the oldest is still there");
    // What is kept can still be sent again, and a waiting one resolved; others have their own.
    assert_eq!(
        keep(&app, &me, json!({"id": "YL-000007"})).await.status,
        StatusCode::OK
    );
    let other = app.sign_in(VOLUNTEER).await;
    assert_eq!(
        keep(&app, &other, json!({"id": "YL-999999"})).await.status,
        StatusCode::CREATED
    );
}
