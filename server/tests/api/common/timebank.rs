//! Time-bank calls the API tests share (`timebank`, `security_timebank`).

use super::{Reply, TestApp};
use axum::http::StatusCode;
use serde_json::Value;

/// The body of a rejection that says the service did not happen.
pub const DID_NOT_HAPPEN: &str = r#"{"reason": "没有这次服务"}"#;

pub async fn log(app: &TestApp, token: &str, body: &Value) -> Reply {
    app.post_json("/api/v1/timebank/records", Some(token), &body.to_string())
        .await
}

/// Logs a service, which must be accepted; the new record.
pub async fn logged(app: &TestApp, token: &str, body: &Value) -> Value {
    let reply = log(app, token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body
}

/// [`logged`], the record's number.
pub async fn logged_id(app: &TestApp, token: &str, body: &Value) -> u64 {
    logged(app, token, body).await["id"].as_u64().unwrap()
}

pub async fn confirm(app: &TestApp, token: &str, id: impl std::fmt::Display) -> Reply {
    app.post_json(
        &format!("/api/v1/timebank/records/{id}/confirm"),
        Some(token),
        "",
    )
    .await
}

pub async fn reject(app: &TestApp, token: &str, id: impl std::fmt::Display, body: &str) -> Reply {
    app.post_json(
        &format!("/api/v1/timebank/records/{id}/reject"),
        Some(token),
        body,
    )
    .await
}

/// My time-bank account.
pub async fn account(app: &TestApp, token: &str) -> Value {
    let reply = app.get("/api/v1/timebank/me", Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body
}

pub async fn balance(app: &TestApp, token: &str) -> i64 {
    account(app, token).await["balance"].as_i64().unwrap()
}

/// The community pool's report (staff).
pub async fn pool(app: &TestApp, staff: &str) -> Value {
    let reply = app.get("/api/v1/timebank/pool", Some(staff)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body
}

/// The pool's balance, the accounts summing to zero.
pub async fn pool_balance(app: &TestApp, staff: &str) -> i64 {
    let report = pool(app, staff).await;
    assert_eq!(report["sum_of_accounts"], 0, "{report}");
    report["pool_balance"].as_i64().unwrap()
}

/// Every balance of the community pool's report, and the totals checked: zero in all.
pub fn assert_balanced(report: &Value) {
    assert_eq!(report["sum_of_accounts"], 0, "{report}");
    let members: i64 = report["balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let balance = b["balance"].as_i64().unwrap();
            assert!(balance >= 0, "a member below zero: {b}");
            balance
        })
        .sum();
    assert_eq!(report["members_total"], members);
    assert_eq!(report["pool_balance"], -members);
}
