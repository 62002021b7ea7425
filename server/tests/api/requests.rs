//! Requests over HTTP: filing, the closed loop with staff, privacy, and every refusal.

use crate::common;

use axum::http::{StatusCode, header};
use citizen_core::requests::TrackingNumber;
use common::*;
use serde_json::{Value, json};

const NOISE: &str = r#"{"category": "noise", "description": "楼上每晚装修到十一点多，影响休息", "address": "玉林北路 3 号 2 栋", "contact": "13800000001"}"#;

async fn file(app: &TestApp, token: &str, body: &str) -> Reply {
    app.post_json("/api/v1/requests", Some(token), body).await
}

/// Files the noise complaint and returns its tracking number.
async fn filed(app: &TestApp, token: &str) -> String {
    let reply = file(app, token, NOISE).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["tracking"].as_str().unwrap().to_owned()
}

async fn act(app: &TestApp, token: &str, tracking: &str, body: Value) -> Reply {
    app.post_json(
        &format!("/api/v1/requests/{tracking}/commands"),
        Some(token),
        &body.to_string(),
    )
    .await
}

#[tokio::test]
async fn a_resident_files_a_request_and_gets_a_tracking_number_at_once() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let reply = file(&app, &token, NOISE).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let tracking = reply.body["tracking"].as_str().unwrap();
    assert_eq!(tracking, "CD-20261125-000001");
    assert!(TrackingNumber::parse(tracking).is_ok());
    assert_eq!(
        reply.headers[header::LOCATION],
        format!("requests/{tracking}")
    );
    assert_eq!(reply.body["state"], "submitted");
    assert_eq!(reply.body["allowed"], json!(["withdraw", "supplement"]));
    assert_eq!(reply.body["timeline"][0]["kind"], "submit");

    let second = file(&app, &token, NOISE).await;
    assert_eq!(
        second.body["tracking"], "CD-20261125-000002",
        "never the same number"
    );
    let mine = app.get("/api/v1/requests", Some(&token)).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 2);
    assert_eq!(
        mine.body[0]["tracking"], "CD-20261125-000002",
        "newest first"
    );
}

#[tokio::test]
async fn bad_requests_name_the_field() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    for (body, status, field) in [
        (
            r#"{"category": "noise", "description": "太吵了", "address": "玉林北路"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "description",
        ),
        (
            r#"{"category": "ufo", "description": "楼上每晚装修到十一点多", "address": "玉林北路"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "category",
        ),
        (
            r#"{"category": "noise", "description": "楼上每晚装修到十一点多"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "address",
        ),
        (
            r#"{"category": "noise", "description": "楼上每晚装修到十一点多", "address": "玉林", "contact": "12345"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "contact",
        ),
        (
            r#"{"category": "noise", "description": "楼上每晚装修到十一点多", "position": {"lat": 95, "lng": 0}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "position",
        ),
        (
            r#"{"category": "noise", "description": "楼上每晚装修到十一点多", "address": "玉林", "pictures": []}"#,
            StatusCode::BAD_REQUEST,
            "pictures",
        ),
    ] {
        let reply = file(&app, &token, body).await;
        reply.assert_error_for(body, status, "invalid_field", Some(field));
    }
}

#[tokio::test]
async fn the_closed_loop_from_report_to_five_stars() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let tracking = filed(&app, &resident).await;

    let queue = app
        .get("/api/v1/staff/requests?state=submitted", Some(&staff))
        .await;
    assert_eq!(queue.status, StatusCode::OK);
    assert_eq!(queue.body[0]["tracking"], tracking.as_str());
    assert_eq!(queue.body[0]["allowed"], json!(["accept", "reject"]));
    assert_eq!(
        queue.body[0]["contact"], "13800000001",
        "intake staff may call back"
    );

    for (body, state) in [
        (json!({"kind": "accept"}), "accepted"),
        (json!({"kind": "dispatch"}), "dispatched"),
        (json!({"kind": "start"}), "in_progress"),
        (
            json!({"kind": "resolve", "reply": "已联系楼上住户，晚上十点后停止施工"}),
            "resolved",
        ),
    ] {
        app.clock.advance(3600);
        let reply = act(&app, &staff, &tracking, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.body["state"], state);
    }
    let resolved = app
        .get(&format!("/api/v1/requests/{tracking}"), Some(&resident))
        .await;
    assert_eq!(
        resolved.body["department"], "environment",
        "noise goes to the environment office"
    );
    assert_eq!(resolved.body["allowed"], json!(["confirm", "reopen"]));

    assert_eq!(
        act(&app, &resident, &tracking, json!({"kind": "confirm"}))
            .await
            .body["state"],
        "closed"
    );
    let rated = act(
        &app,
        &resident,
        &tracking,
        json!({"kind": "rate", "stars": 5, "comment": "处理很快"}),
    )
    .await;
    assert_eq!(rated.body["state"], "rated");
    assert_eq!(rated.body["rating"], 5);
    let kinds: Vec<&str> = rated.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "submit", "accept", "dispatch", "start", "resolve", "confirm", "rate"
        ]
    );
    // Each event names who acted by their person id, a number: the filer, then staff.
    let (filer, worker) = (
        person_id(&app, &resident).await,
        person_id(&app, &staff).await,
    );
    let actors: Vec<i64> = rated.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_i64().unwrap())
        .collect();
    assert_eq!(
        actors,
        [filer, worker, worker, worker, worker, filer, filer]
    );

    let stats = app.get("/api/v1/staff/requests/stats", Some(&staff)).await;
    assert_eq!(stats.status, StatusCode::OK);
    assert_eq!(stats.body["total"], 1);
    assert_eq!(stats.body["resolution_rate"], 1.0);
    assert_eq!(stats.body["mean_stars"], 5.0);
    assert_eq!(stats.body["median_hours_to_resolve"], 4.0);
    let rated_count = stats.body["by_state"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["state"] == "rated")
        .unwrap()["count"]
        .clone();
    assert_eq!(rated_count, 1);
}

#[tokio::test]
async fn another_resident_cannot_see_or_touch_it() {
    let app = spawn_app().await;
    let owner = app.sign_in(RESIDENT).await;
    let other = app.sign_in(VOLUNTEER).await;
    let tracking = filed(&app, &owner).await;
    let seen = app
        .get(&format!("/api/v1/requests/{tracking}"), Some(&other))
        .await;
    assert_eq!(seen.status, StatusCode::NOT_FOUND);
    assert!(!seen.text.contains("装修"), "no data leaks: {}", seen.text);
    let touched = act(&app, &other, &tracking, json!({"kind": "withdraw"})).await;
    assert_eq!(touched.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/requests", Some(&other)).await.body,
        json!([])
    );
    assert_eq!(
        app.get("/api/v1/staff/requests", Some(&other)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/api/v1/requests/{tracking}"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn each_refusal_has_its_own_answer() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let tracking = filed(&app, &resident).await;

    let not_yours = act(&app, &resident, &tracking, json!({"kind": "accept"})).await;
    assert_eq!(not_yours.status, StatusCode::FORBIDDEN);
    let not_now = act(
        &app,
        &staff,
        &tracking,
        json!({"kind": "resolve", "reply": "好了"}),
    )
    .await;
    not_now.assert_error(StatusCode::CONFLICT, "transition_refused", None);
    let no_reason = act(&app, &staff, &tracking, json!({"kind": "reject"})).await;
    no_reason.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("reason"),
    );
    let unknown = act(&app, &staff, &tracking, json!({"kind": "teleport"})).await;
    unknown.assert_error_for(
        "a value outside the list breaks a rule",
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("kind"),
    );
    let staff_cannot_withdraw = act(&app, &staff, &tracking, json!({"kind": "withdraw"})).await;
    assert_eq!(staff_cannot_withdraw.status, StatusCode::FORBIDDEN);
    let missing = act(
        &app,
        &staff,
        "CD-20261125-999999",
        json!({"kind": "accept"}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let withdrawn = act(&app, &resident, &tracking, json!({"kind": "withdraw"})).await;
    assert_eq!(withdrawn.body["state"], "withdrawn");
    assert_eq!(
        act(&app, &staff, &tracking, json!({"kind": "accept"}))
            .await
            .code(),
        "transition_refused"
    );
}

#[tokio::test]
async fn reopen_only_within_seven_days_of_the_resolution() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let tracking = filed(&app, &resident).await;
        for body in [
            json!({"kind": "accept"}),
            json!({"kind": "dispatch"}),
            json!({"kind": "start"}),
            json!({"kind": "resolve", "reply": "已处理"}),
        ] {
            assert_eq!(
                act(&app, &staff, &tracking, body).await.status,
                StatusCode::OK
            );
        }
        numbers.push(tracking);
    }
    app.clock.advance(7 * 24 * 3600);
    let reopened = act(
        &app,
        &resident,
        &numbers[0],
        json!({"kind": "reopen", "reason": "晚上又开始施工了"}),
    )
    .await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.text);
    assert_eq!(reopened.body["state"], "dispatched");
    app.clock.advance(1);
    let late = act(
        &app,
        &resident,
        &numbers[1],
        json!({"kind": "reopen", "reason": "晚上又开始施工了"}),
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.message().contains("7 days"), "{}", late.text);
}

#[tokio::test]
async fn the_outbox_key_never_files_twice() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let keyed = || with_key(post("/api/v1/requests", Some(&token), NOISE), "outbox-7f3a");
    let first = app.send(keyed()).await;
    let retry = app.send(keyed()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.body["tracking"], first.body["tracking"]);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(
        app.get("/api/v1/requests", Some(&token))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn staff_filter_the_queue_and_bad_filters_are_named() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    file(&app, &resident, NOISE).await;
    file(&app, &resident, r#"{"category": "municipal", "description": "3 栋门口路灯不亮已经一周", "position": {"lat": 30.64, "lng": 104.05}, "anonymous": true}"#).await;
    let municipal = app
        .get("/api/v1/staff/requests?category=municipal", Some(&staff))
        .await;
    assert_eq!(municipal.body.as_array().unwrap().len(), 1);
    assert_eq!(municipal.body[0]["anonymous"], true);
    assert_eq!(municipal.body[0]["lat"], 30.64);
    assert_eq!(
        app.get("/api/v1/staff/requests?state=lost", Some(&staff))
            .await
            .field(),
        Some("state")
    );
    assert_eq!(
        app.get("/api/v1/staff/requests?category=ufo", Some(&staff))
            .await
            .field(),
        Some("category")
    );
    assert_eq!(
        app.get("/api/v1/staff/requests?colour=red", Some(&staff))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
