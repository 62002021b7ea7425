//! Volunteering calls the API tests share (`volunteer`, `security_points`).

use super::{Reply, TestApp};
use axum::http::StatusCode;
use serde_json::{Value, json};

pub fn activity(id: &str) -> String {
    format!("/api/v1/volunteer/activities/{id}")
}

/// POSTs to one of an activity's actions with the body the app sends for `&()`.
pub async fn act(app: &TestApp, token: &str, id: &str, action: &str) -> Reply {
    app.post_json(&format!("{}/{action}", activity(id)), Some(token), "null")
        .await
}

/// Staff verify `minutes` of `person`'s attendance.
pub async fn verify_time(app: &TestApp, staff: &str, id: &str, person: i64, minutes: u32) -> Reply {
    app.post_json(
        &format!("{}/attendees/{person}/verify", activity(id)),
        Some(staff),
        &json!({ "minutes": minutes }).to_string(),
    )
    .await
}

/// My points account.
pub async fn points(app: &TestApp, token: &str) -> Value {
    let reply = app.get("/api/v1/volunteer/points", Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body
}

pub async fn balance(app: &TestApp, token: &str) -> u64 {
    points(app, token).await["balance"].as_u64().unwrap()
}

pub async fn mall(app: &TestApp, token: &str) -> Vec<Value> {
    let reply = app.get("/api/v1/volunteer/mall", Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body.as_array().unwrap().clone()
}

pub async fn stock(app: &TestApp, token: &str, item: &str) -> u64 {
    mall(app, token)
        .await
        .iter()
        .find(|i| i["id"] == item)
        .unwrap_or_else(|| panic!("no item {item}"))["stock"]
        .as_u64()
        .unwrap()
}

pub async fn redeem(app: &TestApp, token: &str, item: &str) -> Reply {
    app.post_json(
        &format!("/api/v1/volunteer/mall/{item}/redeem"),
        Some(token),
        "null",
    )
    .await
}

/// Staff hand the redemption `seq` over at the counter.
pub async fn hand_over(app: &TestApp, token: &str, seq: u64) -> Reply {
    app.post_json(
        &format!("/api/v1/volunteer/redemptions/{seq}/handover"),
        Some(token),
        "null",
    )
    .await
}

pub async fn cancel(app: &TestApp, token: &str, seq: impl std::fmt::Display) -> Reply {
    app.post_json(
        &format!("/api/v1/volunteer/redemptions/{seq}/cancel"),
        Some(token),
        "null",
    )
    .await
}
