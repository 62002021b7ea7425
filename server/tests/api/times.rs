//! Times a client sends (a service's start, an activity's start) are read by the core's one
//! reader, `ServiceStart::timestamp`, which the in-browser backend calls too: what the server
//! accepts and refuses here is the table of `citizen_core::time`'s tests, so `local` and `rest`
//! agree. A refusal is the same answer on both endpoints, naming the field.

use crate::common;

use axum::http::StatusCode;
use citizen_core::time::Timestamp;
use common::*;
use serde_json::{Value, json};

const HOUR: i64 = 3600;

/// Texts and numbers that are not a time: no offset, no seconds, not a date, out of range.
const REFUSED: &[&str] = &[
    r#""2026-11-24 09:00""#,
    r#""2026-11-24T09:00""#,
    r#""2026-11-24T09:00:00""#,
    r#""2026-11-24""#,
    r#""2026-02-30T09:00:00Z""#,
    r#""garbage""#,
    r#""""#,
    r#""1795482000""#,
    "99999999999999",
];

/// One instant written each way a client may write it.
fn accepted(at: i64) -> Vec<Value> {
    let china = Timestamp::from_unix_secs(at).to_china_input();
    vec![
        json!(at),
        json!(Timestamp::from_unix_secs(at).to_rfc3339()),
        json!(format!("{china}:00+08:00")),
        json!(format!("{china}:00.250+08:00")),
    ]
}

fn service(start: Value) -> Value {
    json!({"recipient": RESIDENT, "service": "errands", "start": start, "duration": 30})
}

fn activity(start: Value, end: i64) -> Value {
    json!({
        "title": "清扫楼道",
        "place": "玉林北路 3 号院",
        "start": start,
        "end": end,
        "slots": 5,
        "award": {"kind": "fixed", "points": 10},
    })
}

#[tokio::test]
async fn both_endpoints_refuse_what_is_not_a_time_the_same_way_naming_the_field() {
    let app = spawn_app().await;
    let provider = app.sign_in(VOLUNTEER).await;
    let staff = app.sign_in(STAFF).await;
    let activities = app.count("volunteer_activities");
    for raw in REFUSED {
        let start: Value = serde_json::from_str(raw).unwrap();
        let logged = app
            .post_json(
                "/api/v1/timebank/records",
                Some(&provider),
                &service(start.clone()).to_string(),
            )
            .await;
        let planned = app
            .post_json(
                "/api/v1/volunteer/activities",
                Some(&staff),
                &activity(start, START + 48 * HOUR).to_string(),
            )
            .await;
        for reply in [&logged, &planned] {
            reply.assert_error_for(
                raw,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_field",
                Some("start"),
            );
        }
    }
    assert_eq!(app.count("timebank_records"), 0);
    assert_eq!(app.count("volunteer_activities"), activities);
}

#[tokio::test]
async fn both_endpoints_read_every_form_of_one_instant_alike() {
    let app = spawn_app().await;
    let provider = app.sign_in(VOLUNTEER).await;
    let staff = app.sign_in(STAFF).await;
    let (past, future) = (START - 3 * HOUR, START + 24 * HOUR);
    for start in accepted(past) {
        let reply = app
            .post_json(
                "/api/v1/timebank/records",
                Some(&provider),
                &service(start.clone()).to_string(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{start}: {}", reply.text);
        assert_eq!(reply.body["start"], "2026-11-24T21:00:00Z", "{start}");
    }
    for start in accepted(future) {
        let reply = app
            .post_json(
                "/api/v1/volunteer/activities",
                Some(&staff),
                &activity(start.clone(), future + 2 * HOUR).to_string(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{start}: {}", reply.text);
        assert_eq!(reply.body["start"], "2026-11-26T00:00:00Z", "{start}");
    }
}
