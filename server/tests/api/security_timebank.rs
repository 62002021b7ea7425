//! The time bank's abuse paths (issue 11, item 1), each tried by someone who may not and refused:
//! two residents minting hours out of the pool (a 480-minute service from 1970 that its
//! recipient confirms), staff approving a record they gave or received, the monthly cap on
//! pool-paid minutes (checked when logging and again when approving), a stranger's full name in
//! the reply to logging a service, and the API used as a directory of members (an unknown number
//! answers like one outside the community; look-ups are counted before the number is checked,
//! also under a burst of parallel requests).

use crate::common;

use axum::http::{StatusCode, header};
use citizen_core::account::Role;
use common::timebank::*;
use common::*;
use serde_json::{Value, json};
use std::sync::Arc;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// A service for `recipient` that started at `start`, lasting `minutes`, paid by `payer`
/// (`None`: left out, so the default, the pool).
fn service(recipient: &str, start: Value, minutes: u32, payer: Option<&str>) -> Value {
    let mut body = json!({
        "recipient": recipient,
        "service": "elder-care",
        "start": start,
        "duration": minutes,
        "note": "上门陪伴老人",
    });
    if let Some(payer) = payer {
        body["payer"] = json!(payer);
    }
    body
}

/// A second server on `app`'s database and clock, with its own pool cap: a community that
/// lowered the cap after records were logged.
async fn with_cap(base: &TestApp, cap: u32) -> TestApp {
    server_beside(base, |s| s.pool_cap_minutes = cap).await
}

#[tokio::test]
async fn two_residents_cannot_mint_hours_from_the_pool() {
    let app = spawn_app().await;
    let a = app.sign_in(VOLUNTEER).await;
    let b = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;

    // A logs 480 minutes for B, starting in 1970: refused, whichever way the start is written.
    for start in [json!(0), json!("1970-01-01T08:00:00+08:00")] {
        log(&app, &a, &service(RESIDENT, start, 480, None))
            .await
            .assert_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "start_too_old",
                Some("start"),
            );
    }
    // 31 days ago, and tomorrow: refused too.
    log(
        &app,
        &a,
        &service(RESIDENT, json!(START - 31 * DAY), 60, None),
    )
    .await
    .assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "start_too_old",
        Some("start"),
    );
    log(&app, &a, &service(RESIDENT, json!(START + DAY), 60, None))
        .await
        .assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "start_in_future",
            Some("start"),
        );
    assert_eq!(app.count("timebank_records"), 0, "a refusal writes nothing");

    // A service that just ended, paid by the pool (the default): B cannot confirm it.
    let record = logged(
        &app,
        &a,
        &service(RESIDENT, json!(START - 8 * HOUR), 480, None),
    )
    .await;
    assert_eq!(record["payer"], "pool");
    let id = &record["id"];
    for _ in 0..2 {
        confirm(&app, &b, id)
            .await
            .assert_error(StatusCode::FORBIDDEN, "staff_approves", None);
    }
    confirm(&app, &a, id)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden", None);
    assert_eq!(balance(&app, &a).await, 0);
    assert_eq!(pool_balance(&app, &staff).await, 0);

    // Paid by B's own hours instead: B has none banked, so B's word moves nothing.
    let own = logged(
        &app,
        &a,
        &service(RESIDENT, json!(START - 2 * HOUR), 60, Some("recipient")),
    )
    .await;
    confirm(&app, &b, &own["id"])
        .await
        .assert_error(StatusCode::CONFLICT, "conflict", None);
    assert_eq!(balance(&app, &a).await, 0);
    assert_eq!(pool_balance(&app, &staff).await, 0);

    // Only staff who neither gave nor received it approve the pool's record: then A is paid.
    let reply = confirm(&app, &staff, id).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["outcome"], "credited");
    assert_eq!(balance(&app, &a).await, 480);
    assert_eq!(pool_balance(&app, &staff).await, -480);
    // Confirming again credits nothing.
    let again = confirm(&app, &staff, id).await;
    assert_eq!(again.body["outcome"], "already_confirmed", "{}", again.text);
    assert_eq!(balance(&app, &a).await, 480);
}

#[tokio::test]
async fn staff_cannot_approve_a_record_they_gave_or_received() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let volunteer = app.sign_in(VOLUNTEER).await;
    let staff = app.sign_in(STAFF).await;
    add_person(&app, "13800000009", "赵敏", "demo", &[Role::Staff]);
    let other_staff = app.sign_in("13800000009").await;
    let start = json!(START - 3 * HOUR);

    // Staff give a service paid by the pool: they cannot approve it, nor reject it.
    let given = logged(&app, &staff, &service(RESIDENT, start.clone(), 60, None)).await;
    confirm(&app, &staff, &given["id"]).await.assert_error(
        StatusCode::FORBIDDEN,
        "own_record",
        None,
    );
    reject(&app, &staff, &given["id"], DID_NOT_HAPPEN)
        .await
        .assert_error(StatusCode::FORBIDDEN, "own_record", None);
    // Staff receive one: they cannot approve it either.
    let received = logged(&app, &resident, &service(STAFF, start.clone(), 60, None)).await;
    confirm(&app, &staff, &received["id"]).await.assert_error(
        StatusCode::FORBIDDEN,
        "own_record",
        None,
    );
    assert_eq!(balance(&app, &staff).await, 0);
    assert_eq!(balance(&app, &resident).await, 0);

    // Another staff member may approve both.
    for record in [&given, &received] {
        let reply = confirm(&app, &other_staff, &record["id"]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    assert_eq!(balance(&app, &staff).await, 60);
    assert_eq!(balance(&app, &resident).await, 60);

    // A record the recipient pays: staff cannot confirm it for them, but may reject it.
    let paid_by_recipient = logged(
        &app,
        &volunteer,
        &service(RESIDENT, start, 30, Some("recipient")),
    )
    .await;
    confirm(&app, &other_staff, &paid_by_recipient["id"])
        .await
        .assert_error(StatusCode::FORBIDDEN, "recipient_confirms", None);
    let rejected = reject(&app, &other_staff, &paid_by_recipient["id"], DID_NOT_HAPPEN).await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.text);
    confirm(&app, &resident, &paid_by_recipient["id"])
        .await
        .assert_error(StatusCode::CONFLICT, "transition_refused", None);
    assert_eq!(pool_balance(&app, &staff).await, -120);
}

#[tokio::test]
async fn pool_paid_minutes_are_capped_per_month_and_the_refusal_says_what_is_left() {
    let app = spawn_app().await;
    let volunteer = app.sign_in(VOLUNTEER).await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    // Five 8-hour days in November (China time; the clock is 25 November, 08:00 in Beijing) fill
    // the default cap of 40 hours.
    let mut ids = Vec::new();
    for day in 1..=5 {
        let start = json!(START - day * DAY);
        let record = logged(&app, &volunteer, &service(RESIDENT, start, 480, None)).await;
        ids.push(record["id"].clone());
    }
    let over = log(
        &app,
        &volunteer,
        &service(RESIDENT, json!(START - 6 * DAY), 15, None),
    )
    .await;
    over.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "pool_cap_reached",
        Some("duration"),
    );
    assert_eq!(over.body["error"]["remaining_minutes"], 0, "{}", over.text);
    assert!(over.message().contains("2400 minutes"), "{}", over.text);
    // The recipient's own hours are not capped; nor is another member's service.
    logged(
        &app,
        &volunteer,
        &service(RESIDENT, json!(START - 6 * DAY), 15, Some("recipient")),
    )
    .await;
    logged(
        &app,
        &resident,
        &service(VOLUNTEER, json!(START - 6 * DAY), 480, None),
    )
    .await;
    // A rejected record frees its minutes: 480 back, of which 100 are then logged.
    let rejected = reject(&app, &resident, &ids[4], DID_NOT_HAPPEN).await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.text);
    logged(
        &app,
        &volunteer,
        &service(RESIDENT, json!(START - 7 * DAY), 100, None),
    )
    .await;
    let left = log(
        &app,
        &volunteer,
        &service(RESIDENT, json!(START - 8 * DAY), 400, None),
    )
    .await;
    assert_eq!(
        left.body["error"]["remaining_minutes"], 380,
        "{}",
        left.text
    );

    // The community lowers the cap to 10 hours: approval checks it again, and says what is left.
    let lowered = with_cap(&app, 600).await;
    let first = confirm(&lowered, &staff, &ids[0]).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let second = confirm(&lowered, &staff, &ids[1]).await;
    second.assert_error(StatusCode::CONFLICT, "pool_cap_reached", None);
    assert_eq!(
        second.body["error"]["remaining_minutes"], 120,
        "{}",
        second.text
    );
    assert_eq!(balance(&lowered, &volunteer).await, 480);
}

#[tokio::test]
async fn the_provider_sees_the_recipient_masked_until_the_recipient_confirms() {
    let app = spawn_app().await;
    let volunteer = app.sign_in(VOLUNTEER).await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let start = json!(START - 3 * HOUR);

    // 王芳 logs a service for 张明's number: the reply names him 张*, nowhere in full.
    let reply = log(
        &app,
        &volunteer,
        &service(RESIDENT, start.clone(), 120, None),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["recipient"]["name"], "张*");
    assert!(!reply.text.contains("张明"), "{}", reply.text);
    let me = app.get("/api/v1/timebank/me", Some(&volunteer)).await;
    assert_eq!(me.body["pending_given"][0]["recipient"]["name"], "张*");
    assert!(!me.text.contains("张明"), "{}", me.text);
    // 张明 sees who helped him; staff see both names.
    let his = app.get("/api/v1/timebank/me", Some(&resident)).await;
    assert_eq!(his.body["pending_received"][0]["provider"]["name"], "王芳");
    let report = app.get("/api/v1/timebank/pool", Some(&staff)).await;
    assert_eq!(report.body["pending"][0]["recipient"]["name"], "张明");
    // Staff's approval is not his: still masked to her.
    let approved = confirm(&app, &staff, &reply.body["id"]).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);

    // A service he pays from his own hours (he earns some first), confirmed by him: then the
    // record names him to her.
    let earned = logged(
        &app,
        &resident,
        &service(VOLUNTEER, start.clone(), 60, None),
    )
    .await;
    confirm(&app, &staff, &earned["id"]).await;
    let paid = logged(
        &app,
        &volunteer,
        &service(RESIDENT, start, 30, Some("recipient")),
    )
    .await;
    assert_eq!(paid["recipient"]["name"], "张*");
    let confirmed = confirm(&app, &resident, &paid["id"]).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text);
    let statement = app
        .get("/api/v1/timebank/statement", Some(&volunteer))
        .await;
    assert_eq!(
        statement.body["lines"][0]["counterparty"]["name"], "张明",
        "{}",
        statement.text
    );
}

#[tokio::test]
async fn an_unknown_number_answers_exactly_like_a_number_outside_the_community() {
    let app = spawn_app().await;
    let volunteer = app.sign_in(VOLUNTEER).await;
    add_person(
        &app,
        "13900000001",
        "外区居民",
        "elsewhere",
        &[Role::Resident],
    );
    let start = json!(START - 3 * HOUR);
    let outside = log(
        &app,
        &volunteer,
        &service("13900000001", start.clone(), 60, None),
    )
    .await;
    let unknown = log(&app, &volunteer, &service("13900000002", start, 60, None)).await;
    outside.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("recipient"),
    );
    assert_eq!(outside.status, unknown.status);
    assert_eq!(outside.text, unknown.text, "the replies must not differ");
    assert!(!outside.text.contains("外区"), "{}", outside.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn look_ups_are_counted_before_the_number_is_checked_even_in_a_burst() {
    let app = Arc::new(spawn_app().await);
    let volunteer = app.sign_in(VOLUNTEER).await;
    let resident = app.sign_in(RESIDENT).await;
    let start = START - 3 * HOUR;
    // 30 numbers tried at once, none of them a member's: 20 are looked up, 10 refused unlooked.
    let tries = (0..30).map(|n| {
        let app = Arc::clone(&app);
        let token = volunteer.clone();
        tokio::spawn(async move {
            let body = service(&format!("139{n:08}"), json!(start), 60, None);
            log(&app, &token, &body).await
        })
    });
    let mut looked_up = 0;
    let mut refused = 0;
    for attempt in tries {
        let reply = attempt.await.unwrap();
        match reply.status {
            StatusCode::UNPROCESSABLE_ENTITY => looked_up += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(reply.code(), "too_many_attempts");
                let wait: i64 = reply.headers[header::RETRY_AFTER]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!((1..=3600).contains(&wait), "Retry-After {wait}");
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    assert_eq!((looked_up, refused), (20, 10));
    // A member's number is refused too for the rest of the hour: failures count like successes.
    log(&app, &volunteer, &service(RESIDENT, json!(start), 60, None))
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    assert_eq!(app.count("timebank_records"), 0);
    // Others are not held back, and after the hour she may log again.
    let reply = log(&app, &resident, &service(VOLUNTEER, json!(start), 60, None)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    app.clock.advance(HOUR);
    let reply = log(&app, &volunteer, &service(RESIDENT, json!(start), 60, None)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
}
