//! SMS codes in the API tests (`sms`, `openapi_contract`): asked for as the app does, and read
//! back from the `log` sender's `sms.log` in the data directory (it is written off the request,
//! so reading waits for it a little).

use super::{Reply, TestApp};
use std::time::Duration;

/// `POST /api/v1/sms-codes` for `mobile` and `purpose` (`sign-up` or `reset`).
pub async fn ask(app: &TestApp, mobile: &str, purpose: &str) -> Reply {
    let body = format!(r#"{{"mobile": "{mobile}", "purpose": "{purpose}"}}"#);
    app.post_json("/api/v1/sms-codes", None, &body).await
}

/// The lines of `sms.log` so far.
pub fn log_lines(app: &TestApp) -> Vec<String> {
    let path = app.dir.path().join("data").join("sms.log");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The messages sent to `mobile` so far.
pub fn messages_to(app: &TestApp, mobile: &str) -> Vec<String> {
    log_lines(app)
        .into_iter()
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\t');
            let (_, to, text) = (fields.next()?, fields.next()?, fields.next()?);
            (to == mobile).then(|| text.to_owned())
        })
        .collect()
}

/// The six digits in a message's text.
pub fn code_in(text: &str) -> String {
    let start = text.find("验证码 ").expect("a code message") + "验证码 ".len();
    let code: String = text[start..].chars().take(6).collect();
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{text}");
    code
}

/// Waits (up to five seconds) for the `n`-th message (from 1) to `mobile` and returns its code.
pub async fn nth_code(app: &TestApp, mobile: &str, n: usize) -> String {
    for _ in 0..500 {
        if let Some(text) = messages_to(app, mobile).get(n - 1) {
            return code_in(text);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no message {n} to {mobile}: {:?}", log_lines(app));
}

/// Lets messages sent off the request reach the log before a test counts them.
pub async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

pub fn account_body(mobile: &str, code: &str, password: &str, community: &str) -> String {
    format!(
        r#"{{"mobile": "{mobile}", "code": "{code}", "name": "新居民", "password": "{password}", "community": "{community}"}}"#
    )
}

pub fn reset_body(mobile: &str, code: &str, password: &str) -> String {
    format!(r#"{{"mobile": "{mobile}", "code": "{code}", "password": "{password}"}}"#)
}

/// The one answer every unusable code gets (wrong, expired, used, out of tries, or for a number
/// that cannot use it): `401 invalid_sms_code`, saying nothing of the number.
pub fn assert_code_refused(reply: &Reply) {
    reply.assert_error(
        axum::http::StatusCode::UNAUTHORIZED,
        "invalid_sms_code",
        None,
    );
}
