//! The attempt limits hold across replicas (issue 15): two servers on one database, requests
//! alternated between them, and every limit refuses at the same total count as on one server;
//! a parallel burst spread over both never lets more than the limit through. A guesser who
//! finds two replicas behind a load balancer gets no more tries than one who finds one.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use citizen_core::requests::PHOTO_UPLOADS_PER_MINUTE;
use citizen_core::throttle::{
    SIGN_IN_FAILURES_PER_NUMBER, SIGN_IN_FORGET_SECS, SIGN_IN_WINDOW_SECS,
    SMS_CODES_PER_NUMBER_PER_DAY,
};
use citizen_core::timebank::RECORDS_LOGGED_PER_HOUR;
use citizen_core::volunteer::{CheckInError, verify};
use citizen_server::clock::Clock;
use citizen_server::http::limits::CHECK_IN_FAILURES_PER_PERSON;
use citizen_server::store::housekeeping;
use common::images::jpeg;
use common::sms::{ask, messages_to, settle};
use common::timebank::log;
use common::volunteer::{act, activity};
use common::*;
use serde_json::json;
use tower::ServiceExt;

const NEWCOMER: &str = "13912345678";
/// The demo activity running at the test clock's start.
const RUNNING: &str = "demo-clean-up";

/// Two replicas on one fresh database.
async fn two_replicas() -> [TestApp; 2] {
    let a = spawn_app().await;
    // Every guard its own, the time bank's included: nothing of a limit is shared but the database.
    let b = server_beside(&a, |_| {}).await;
    [a, b]
}

fn wrong_password() -> String {
    sign_in_body(RESIDENT, "not the password")
}

/// A wrong password for the resident's number, on `replica`.
async fn wrong(replica: &TestApp) -> Reply {
    replica
        .post_json("/api/v1/session", None, &wrong_password())
        .await
}

async fn check_in(replica: &TestApp, token: &str, code: &str) -> Reply {
    replica
        .post_json(
            &format!("{}/checkin", activity(RUNNING)),
            Some(token),
            &json!({ "code": code }).to_string(),
        )
        .await
}

#[tokio::test]
async fn wrong_passwords_alternated_between_replicas_wait_after_the_fifth() {
    let replicas = two_replicas().await;
    for n in 0..SIGN_IN_FAILURES_PER_NUMBER as usize {
        replicas[n % 2]
            .post_json("/api/v1/session", None, &wrong_password())
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials", None);
    }
    let checked = |r: &[TestApp; 2]| {
        r.iter()
            .map(|a| {
                a.state
                    .password_checks
                    .load(std::sync::atomic::Ordering::Relaxed)
            })
            .sum::<u64>()
    };
    assert_eq!(checked(&replicas), u64::from(SIGN_IN_FAILURES_PER_NUMBER));
    // The sixth, on either replica, is refused before the password is checked; the right
    // password from the same address too.
    for (i, body) in [wrong_password(), sign_in_body(RESIDENT, DEMO_PASSWORD)]
        .iter()
        .enumerate()
    {
        let refused = replicas[(i + 1) % 2]
            .post_json("/api/v1/session", None, body)
            .await;
        refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
        assert!(refused.headers.contains_key(header::RETRY_AFTER));
    }
    assert_eq!(checked(&replicas), u64::from(SIGN_IN_FAILURES_PER_NUMBER));
    // The wait (a minute after the fifth) is over on both.
    replicas[0].clock.advance(60);
    replicas[1].sign_in(RESIDENT).await;
}

#[tokio::test]
async fn a_right_password_on_one_replica_gives_its_count_back_on_the_other() {
    let replicas = two_replicas().await;
    for _ in 0..SIGN_IN_FAILURES_PER_NUMBER - 1 {
        wrong(&replicas[0]).await.assert_error(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            None,
        );
    }
    // The fifth attempt is right, on B: counted on entry, given back after.
    replicas[1].sign_in(RESIDENT).await;
    // So A still checks one more (the fifth failure), and refuses the one after.
    wrong(&replicas[0])
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials", None);
    wrong(&replicas[0]).await.assert_error(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        None,
    );
}

#[tokio::test]
async fn sms_code_requests_alternated_share_the_minute_and_the_day() {
    let replicas = two_replicas().await;
    assert_eq!(
        ask(&replicas[0], NEWCOMER, "sign-up").await.status,
        StatusCode::ACCEPTED
    );
    // Ten seconds later on the other replica: nothing is sent, and the wait is the rest of the
    // minute A started.
    replicas[0].clock.advance(10);
    let soon = ask(&replicas[1], NEWCOMER, "sign-up").await;
    assert_eq!(soon.status, StatusCode::ACCEPTED, "{}", soon.text);
    assert_eq!(soon.body["resend_after"], 50);
    settle().await;
    assert_eq!(messages_to(&replicas[0], NEWCOMER).len(), 1);
    replicas[0].clock.advance(51);
    for n in 1..SMS_CODES_PER_NUMBER_PER_DAY as usize {
        let reply = ask(&replicas[n % 2], NEWCOMER, "sign-up").await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text);
        assert_eq!(reply.body["resend_after"], 60);
        replicas[0].clock.advance(61);
    }
    for replica in &replicas {
        ask(replica, NEWCOMER, "sign-up").await.assert_error(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            None,
        );
    }
    settle().await;
    assert_eq!(
        messages_to(&replicas[0], NEWCOMER).len(),
        SMS_CODES_PER_NUMBER_PER_DAY as usize
    );
}

#[tokio::test]
async fn wrong_check_in_codes_alternated_stop_after_the_tenth() {
    let replicas = two_replicas().await;
    let guesser = replicas[0].sign_in(VOLUNTEER).await;
    assert_eq!(
        act(&replicas[1], &guesser, RUNNING, "signup").await.status,
        StatusCode::OK
    );
    let hex: String = replicas[0]
        .db()
        .query_row(
            "SELECT secret FROM volunteer_activities WHERE id = ?1",
            [RUNNING],
            |r| r.get(0),
        )
        .unwrap();
    let secret = citizen_core::volunteer::CheckInSecret::parse_hex(&hex).unwrap();
    let now = replicas[0].clock.now();
    let wrong: Vec<String> = (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .filter(|c| verify(&secret, c, now) == Err(CheckInError::Wrong))
        .take(CHECK_IN_FAILURES_PER_PERSON as usize + 1)
        .collect();
    for (n, code) in wrong[..CHECK_IN_FAILURES_PER_PERSON as usize]
        .iter()
        .enumerate()
    {
        check_in(&replicas[n % 2], &guesser, code)
            .await
            .assert_error(StatusCode::CONFLICT, "code_wrong", None);
    }
    for replica in &replicas {
        check_in(
            replica,
            &guesser,
            &wrong[CHECK_IN_FAILURES_PER_PERSON as usize],
        )
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    }
}

fn upload_request(token: &str, seed: u8) -> Request<Body> {
    with_key(
        with_token(Request::post("/api/v1/photos"), Some(token))
            .header(header::CONTENT_TYPE, "image/jpeg")
            .body(Body::from(jpeg(300, seed)))
            .unwrap(),
        &format!("upload-{seed}"),
    )
}

#[tokio::test]
async fn photo_uploads_alternated_stop_at_the_minutes_share() {
    let replicas = two_replicas().await;
    let resident = replicas[0].sign_in(RESIDENT).await;
    for n in 0..PHOTO_UPLOADS_PER_MINUTE as usize {
        let reply = replicas[n % 2]
            .send(upload_request(&resident, n as u8))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    }
    for (n, replica) in replicas.iter().enumerate() {
        replica
            .send(upload_request(&resident, 200 + n as u8))
            .await
            .assert_error(
                StatusCode::TOO_MANY_REQUESTS,
                "photo_rate_limited",
                Some("photo"),
            );
    }
    replicas[0].clock.advance(61);
    let reply = replicas[1].send(upload_request(&resident, 250)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
}

/// A service logged for `recipient`, three hours ago.
fn service(recipient: &str, start: i64) -> serde_json::Value {
    json!({
        "recipient": recipient,
        "service": "elder-care",
        "start": start,
        "duration": 60,
        "note": "上门陪伴老人",
    })
}

#[tokio::test]
async fn time_bank_look_ups_alternated_stop_at_the_hours_share() {
    let replicas = two_replicas().await;
    let volunteer = replicas[0].sign_in(VOLUNTEER).await;
    let start = START - 3 * 3600;
    for n in 0..RECORDS_LOGGED_PER_HOUR as usize {
        // Numbers that are no member's: each a look-up, each refused as unknown.
        log(
            &replicas[n % 2],
            &volunteer,
            &service(&format!("139{n:08}"), start),
        )
        .await
        .assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some("recipient"),
        );
    }
    for replica in &replicas {
        log(replica, &volunteer, &service(RESIDENT, start))
            .await
            .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    }
    assert_eq!(replicas[1].count("timebank_records"), 0);
}

/// Sends every request at once, half to each replica, and returns the statuses.
async fn burst(replicas: &[TestApp; 2], requests: Vec<Request<Body>>) -> Vec<StatusCode> {
    let mut tasks = tokio::task::JoinSet::new();
    for (n, request) in requests.into_iter().enumerate() {
        let router = replicas[n % 2].router.clone();
        tasks.spawn(async move { router.oneshot(request).await.unwrap().status() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.unwrap());
    }
    statuses
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parallel_burst_across_both_replicas_never_gets_more_than_the_limit_through() {
    let replicas = two_replicas().await;
    let volunteer = replicas[0].sign_in(VOLUNTEER).await;
    let resident = replicas[1].sign_in(RESIDENT).await;

    // Wrong passwords for one number: five checked, the rest refused unchecked.
    let guesses = (0..20)
        .map(|_| post("/api/v1/session", None, &sign_in_body(STAFF, "a guess")))
        .collect();
    let statuses = burst(&replicas, guesses).await;
    assert_eq!(
        (
            count(&statuses, StatusCode::UNAUTHORIZED),
            count(&statuses, StatusCode::TOO_MANY_REQUESTS)
        ),
        (
            SIGN_IN_FAILURES_PER_NUMBER as usize,
            20 - SIGN_IN_FAILURES_PER_NUMBER as usize
        ),
        "{statuses:?}"
    );

    // Time-bank look-ups: the hour's share looked up, the rest refused unlooked.
    let start = START - 3 * 3600;
    let look_ups = (0..30)
        .map(|n| {
            let body = service(&format!("139{n:08}"), start).to_string();
            post("/api/v1/timebank/records", Some(&volunteer), &body)
        })
        .collect();
    let statuses = burst(&replicas, look_ups).await;
    assert_eq!(
        (
            count(&statuses, StatusCode::UNPROCESSABLE_ENTITY),
            count(&statuses, StatusCode::TOO_MANY_REQUESTS)
        ),
        (
            RECORDS_LOGGED_PER_HOUR as usize,
            30 - RECORDS_LOGGED_PER_HOUR as usize
        ),
        "{statuses:?}"
    );

    // Photo uploads: the minute's share kept, the rest refused before their bodies are read.
    let uploads = (0..2 * PHOTO_UPLOADS_PER_MINUTE)
        .map(|n| upload_request(&resident, n as u8))
        .collect();
    let statuses = burst(&replicas, uploads).await;
    assert_eq!(
        count(&statuses, StatusCode::CREATED),
        PHOTO_UPLOADS_PER_MINUTE as usize,
        "{statuses:?}"
    );
    assert_eq!(
        replicas[0].count("photos"),
        i64::from(PHOTO_UPLOADS_PER_MINUTE)
    );
}

#[tokio::test]
async fn limit_slots_are_kept_in_the_database_and_deleted_once_they_no_longer_matter() {
    let replicas = two_replicas().await;
    replicas[1]
        .post_json("/api/v1/session", None, &wrong_password())
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials", None);
    // The address's window and failures, and the number's failures.
    assert_eq!(replicas[0].count("limit_slots"), 3);
    // Kept under pseudonyms: neither the number nor the address is in the table.
    let keys: Vec<String> = replicas[0]
        .db()
        .with(|conn| conn.query_map("SELECT key FROM limit_slots", (), |r| r.get(0)))
        .unwrap();
    assert!(
        keys.iter()
            .all(|k| k.len() == 32 && !k.contains(RESIDENT) && !k.contains("0.0.0.0")),
        "{keys:?}"
    );
    replicas[0].clock.advance(SIGN_IN_WINDOW_SECS);
    let purged = housekeeping::run_once(&replicas[0].state).await.unwrap();
    assert_eq!(purged.limit_slots, 1, "the address's window is over");
    replicas[0]
        .clock
        .advance(SIGN_IN_FORGET_SECS - SIGN_IN_WINDOW_SECS);
    let purged = housekeeping::run_once(&replicas[1].state).await.unwrap();
    assert_eq!(
        purged.limit_slots, 2,
        "the failures are forgotten an hour on"
    );
    assert_eq!(replicas[0].count("limit_slots"), 0);
}
