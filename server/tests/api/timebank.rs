//! The time bank (时间银行) over HTTP: a service credits its provider once, on confirmation (by
//! staff when the pool pays, by the recipient when their hours pay);
//! gifts go to linked family up to the balance; statements carry the running balance and page;
//! refusals name the field; the accounts always sum to zero (under a thousand concurrent
//! operations too: `concurrency.rs`).

use crate::common;

use axum::http::StatusCode;
use citizen_core::account::Role;
use citizen_core::ids::MemberId;
use citizen_core::requests::{Actor, ActorRole};
use citizen_core::timebank::{
    AccountId, NewServiceRecord, Payer, PoolCap, ServiceDuration, ServiceType, TimeBank,
};
use citizen_server::store::timebank;
use common::timebank::*;
use common::*;
use serde_json::{Value, json};
use std::time::Instant;

const HOUR: i64 = 3600;
/// 王芳's mother, added to the demo community by the tests that need her.
const MOTHER: &str = "13800000004";

/// A service that began three hours before the test clock's start.
fn service(recipient: &str, minutes: u32) -> Value {
    json!({
        "recipient": recipient,
        "service": "elder-care",
        "start": START - 3 * HOUR,
        "duration": minutes,
        "note": "陪老人去社区医院复查",
    })
}

async fn gift(app: &TestApp, token: &str, to: i64, minutes: i64) -> Reply {
    app.post_json(
        "/api/v1/timebank/gifts",
        Some(token),
        &json!({"to": to, "minutes": minutes}).to_string(),
    )
    .await
}

async fn link(app: &TestApp, token: &str, person: i64, relative: i64) -> Reply {
    app.post_json(
        "/api/v1/timebank/family",
        Some(token),
        &json!({"person": person, "relative": relative}).to_string(),
    )
    .await
}

/// No cap that a test of volume would reach.
const ROOMY: PoolCap = PoolCap::minutes(u32::MAX);

#[tokio::test]
async fn a_confirmed_service_credits_its_provider_once() {
    let app = spawn_app().await;
    let provider = app.sign_in(VOLUNTEER).await;
    let recipient = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;

    let reply = log(&app, &provider, &service(RESIDENT, 90)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let record = &reply.body;
    assert_eq!(record["id"], 0);
    assert_eq!(record["state"], "pending");
    assert_eq!(record["provider"]["name"], "王芳");
    assert_eq!(
        record["recipient"]["name"], "张*",
        "the provider sees the recipient masked"
    );
    assert_eq!(record["duration"], 90);
    assert_eq!(
        record["payer"], "pool",
        "the pool pays unless the body says"
    );
    assert_eq!(record["start"], "2026-11-24T21:00:00Z");
    assert_eq!(record["end"], "2026-11-24T22:30:00Z");
    assert_eq!(balance(&app, &provider).await, 0, "logged, not credited");
    assert_eq!(
        account(&app, &recipient).await["pending_received"][0]["id"],
        0
    );
    assert_eq!(account(&app, &provider).await["pending_given"][0]["id"], 0);

    confirm(&app, &recipient, 0)
        .await
        .assert_error(StatusCode::FORBIDDEN, "staff_approves", None);
    let first = confirm(&app, &staff, 0).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.body["outcome"], "credited");
    assert_eq!(first.body["record"]["state"], "confirmed");
    assert_eq!(first.body["record"]["decided_by"]["name"], "刘建国");
    assert_eq!(
        first.body["record"]["recipient"]["name"], "张明",
        "staff see names"
    );
    for token in [&staff] {
        let again = confirm(&app, token, 0).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text);
        assert_eq!(again.body["outcome"], "already_confirmed");
        assert_eq!(again.body["transfer"], first.body["transfer"]);
    }
    assert_eq!(balance(&app, &provider).await, 90, "credited once");
    assert_eq!(app.count("timebank_transfers"), 1);
    assert_eq!(app.count("timebank_entries"), 2);
    assert!(
        account(&app, &recipient).await["pending_received"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    reject(&app, &recipient, 0, r#"{"reason": "记错了"}"#)
        .await
        .assert_error(StatusCode::CONFLICT, "transition_refused", None);

    let statement = app.get("/api/v1/timebank/statement", Some(&provider)).await;
    assert_eq!(statement.status, StatusCode::OK, "{}", statement.text);
    assert_eq!(
        statement.body["lines"],
        json!([{
            "transfer": 0, "at": "2026-11-25T00:00:00Z", "counterparty": {"kind": "pool"},
            "reason": {"kind": "service", "record": 0}, "delta": 90, "balance": 90
        }])
    );
    assert_eq!(statement.body["next_before"], Value::Null);
    let report = pool(&app, &staff).await;
    assert_eq!(report["pool_balance"], -90);
    assert_eq!(
        report["records"],
        json!({"pending": 0, "confirmed": 1, "rejected": 0})
    );
    assert_balanced(&report);
}

#[tokio::test]
async fn family_gifts_move_banked_time_with_a_running_balance() {
    let app = spawn_app().await;
    let volunteer = app.sign_in(VOLUNTEER).await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let mother_id = add_person(&app, MOTHER, "李桂兰", "demo", &[Role::Resident]);
    let mother = app.sign_in(MOTHER).await;
    let (volunteer_id, resident_id) = (
        person_id(&app, &volunteer).await,
        person_id(&app, &resident).await,
    );

    // 王芳 earns 90 minutes and 60, both paid by the pool on staff's approval.
    let a = logged_id(&app, &volunteer, &service(RESIDENT, 90)).await;
    assert_eq!(confirm(&app, &staff, a).await.status, StatusCode::OK);
    let b = logged_id(&app, &volunteer, &service(RESIDENT, 60)).await;
    assert_eq!(confirm(&app, &staff, b).await.status, StatusCode::OK);
    assert_eq!(balance(&app, &volunteer).await, 150);

    gift(&app, &volunteer, mother_id, 30).await.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("to"),
    );
    link(&app, &volunteer, volunteer_id, mother_id)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden", None);
    let linked = link(&app, &staff, volunteer_id, mother_id).await;
    assert_eq!(linked.status, StatusCode::CREATED, "{}", linked.text);
    assert_eq!(linked.body["relative"]["name"], "李桂兰");
    assert_eq!(
        link(&app, &staff, mother_id, volunteer_id).await.status,
        StatusCode::OK,
        "linked already, either way round"
    );
    let elsewhere = add_person(&app, "13800000005", "赵磊", "elsewhere", &[Role::Resident]);
    for (person, relative, field) in [
        (volunteer_id, volunteer_id, "relative"),
        (volunteer_id, 9999, "relative"),
        (elsewhere, volunteer_id, "person"),
    ] {
        link(&app, &staff, person, relative).await.assert_error_for(
            &format!("{person} with {relative}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some(field),
        );
    }
    assert_eq!(app.count("timebank_family"), 1);
    assert_eq!(
        account(&app, &volunteer).await["family"],
        json!([{"id": mother_id, "name": "李桂兰"}])
    );

    let given = gift(&app, &volunteer, mother_id, 30).await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.text);
    assert_eq!(given.body["delta"], -30);
    assert_eq!(given.body["balance"], 120);
    assert_eq!(
        given.body["counterparty"],
        json!({"kind": "member", "id": mother_id, "name": "李桂兰"})
    );
    for (to, minutes, field) in [
        (mother_id, 121, "minutes"),
        (mother_id, 0, "minutes"),
        (resident_id, 10, "to"),
        (volunteer_id, 10, "to"),
    ] {
        gift(&app, &volunteer, to, minutes).await.assert_error_for(
            &format!("{minutes} to {to}"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some(field),
        );
    }
    gift(&app, &volunteer, mother_id, -1).await.assert_error(
        StatusCode::BAD_REQUEST,
        "invalid_field",
        Some("minutes"),
    );
    assert_eq!(
        gift(&app, &mother, volunteer_id, 10).await.status,
        StatusCode::CREATED,
        "a link works both ways"
    );
    assert_eq!(balance(&app, &mother).await, 20);

    let statement = app
        .get("/api/v1/timebank/statement", Some(&volunteer))
        .await;
    let lines: Vec<(i64, i64)> = statement.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["delta"].as_i64().unwrap(), l["balance"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [(10, 130), (-30, 120), (60, 150), (90, 90)],
        "newest first"
    );
    assert_eq!(statement.body["balance"], 130);
    assert_eq!(balance(&app, &volunteer).await, 130);

    let first = app
        .get("/api/v1/timebank/statement?limit=3", Some(&volunteer))
        .await;
    assert_eq!(first.body["lines"].as_array().unwrap().len(), 3);
    let next = first.body["next_before"].as_u64().expect("another page");
    let last = app
        .get(
            &format!("/api/v1/timebank/statement?limit=3&before={next}"),
            Some(&volunteer),
        )
        .await;
    assert_eq!(last.body["lines"][0]["balance"], 90);
    assert_eq!(last.body["lines"].as_array().unwrap().len(), 1);
    assert_eq!(last.body["next_before"], Value::Null);
    for (query, status) in [
        ("limit=0", StatusCode::UNPROCESSABLE_ENTITY),
        ("limit=101", StatusCode::UNPROCESSABLE_ENTITY),
        ("limit=many", StatusCode::BAD_REQUEST),
        ("after=3", StatusCode::BAD_REQUEST),
    ] {
        let reply = app
            .get(
                &format!("/api/v1/timebank/statement?{query}"),
                Some(&volunteer),
            )
            .await;
        assert_eq!(reply.status, status, "{query}: {}", reply.text);
        assert_eq!(reply.code(), "invalid_field");
    }
    assert_balanced(&pool(&app, &staff).await);
}

#[tokio::test]
async fn a_rejected_service_never_credits() {
    let app = spawn_app().await;
    let provider = app.sign_in(VOLUNTEER).await;
    let recipient = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let id = logged_id(&app, &provider, &service(RESIDENT, 60)).await;

    reject(&app, &recipient, id, "{}").await.assert_error(
        StatusCode::BAD_REQUEST,
        "invalid_field",
        Some("reason"),
    );
    reject(&app, &recipient, id, r#"{"reason": "  "}"#)
        .await
        .assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some("reason"),
        );
    let rejected = reject(&app, &recipient, id, r#"{"reason": "那天我不在家"}"#).await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.text);
    assert_eq!(rejected.body["state"], "rejected");
    assert_eq!(rejected.body["reason"], "那天我不在家");
    let again = reject(&app, &staff, id, r#"{"reason": "核实无此服务"}"#).await;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "rejecting again changes nothing"
    );
    assert_eq!(again.body["reason"], "那天我不在家");
    assert_eq!(again.body["decided_by"]["name"], "张明");
    confirm(&app, &staff, id)
        .await
        .assert_error(StatusCode::CONFLICT, "transition_refused", None);
    confirm(&app, &recipient, id)
        .await
        .assert_error(StatusCode::FORBIDDEN, "staff_approves", None);
    assert_eq!(balance(&app, &provider).await, 0);
    assert_eq!(app.count("timebank_transfers"), 0);
    let report = pool(&app, &staff).await;
    assert_eq!(report["records"]["rejected"], 1);
    assert_eq!(report["pool_balance"], 0);
    assert_balanced(&report);
}

#[tokio::test]
async fn only_the_recipient_or_staff_decide() {
    let app = spawn_app().await;
    let provider = app.sign_in(VOLUNTEER).await;
    let recipient = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    add_person(&app, MOTHER, "李桂兰", "demo", &[Role::Resident]);
    let stranger = app.sign_in(MOTHER).await;
    let id = logged_id(&app, &provider, &service(RESIDENT, 45)).await;

    for (who, token) in [("the provider", &provider), ("a neighbour", &stranger)] {
        confirm(&app, token, id).await.assert_error_for(
            who,
            StatusCode::FORBIDDEN,
            "forbidden",
            None,
        );
        reject(&app, token, id, r#"{"reason": "不对"}"#)
            .await
            .assert_error_for(who, StatusCode::FORBIDDEN, "forbidden", None);
    }
    for missing in ["99", "abc", "-1"] {
        confirm(&app, &recipient, missing).await.assert_error_for(
            missing,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        );
    }
    assert_eq!(balance(&app, &provider).await, 0);
    let confirmed = confirm(&app, &staff, id).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text);
    assert_eq!(confirmed.body["outcome"], "credited");
    assert_eq!(balance(&app, &provider).await, 45);

    // Staff may give service too, but not confirm it themselves.
    let own = logged_id(&app, &staff, &service(RESIDENT, 30)).await;
    confirm(&app, &staff, own)
        .await
        .assert_error(StatusCode::FORBIDDEN, "own_record", None);

    // Another community's bank is another bank: its record 0 is not ours.
    let other = add_person(
        &app,
        "13800000006",
        "陈主任",
        "elsewhere",
        &[Role::Resident],
    );
    app.db()
        .execute(
            "INSERT INTO person_roles (person_id, role) VALUES (?1, 'staff')",
            [other],
        )
        .unwrap();
    let other_staff = app.sign_in("13800000006").await;
    confirm(&app, &other_staff, id)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found", None);
    let theirs = pool(&app, &other_staff).await;
    assert_eq!(theirs["transfers"], 0);
    app.get("/api/v1/timebank/pool", Some(&recipient))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden", None);
}

#[tokio::test]
async fn a_bad_record_names_its_field_and_writes_nothing() {
    let app = spawn_app().await;
    let provider = app.sign_in(VOLUNTEER).await;
    let with = |key: &str, value: Value| {
        let mut body = service(RESIDENT, 60);
        body[key] = value;
        body
    };
    let cases = [
        (with("recipient", json!("12345")), 422, "recipient"),
        (with("recipient", json!("13900000000")), 422, "recipient"),
        (with("recipient", json!(VOLUNTEER)), 422, "recipient"),
        (with("service", json!("ufo")), 422, "service"),
        (with("duration", json!(14)), 422, "duration"),
        (with("duration", json!(481)), 422, "duration"),
        (with("duration", json!(-30)), 400, "duration"),
        (with("start", json!(START - 30 * 60)), 422, "start"),
        (with("start", json!("yesterday")), 422, "start"),
        (with("start", json!(true)), 400, "start"),
        (with("note", json!("长".repeat(501))), 422, "note"),
        (with("payer", json!("me")), 422, "payer"),
        (with("hours", json!(1)), 400, "hours"),
        (
            json!({"recipient": RESIDENT, "service": "escort", "start": 0}),
            400,
            "duration",
        ),
    ];
    for (body, status, field) in cases {
        let reply = log(&app, &provider, &body).await;
        reply.assert_error_for(
            &body.to_string(),
            StatusCode::from_u16(status).unwrap(),
            "invalid_field",
            Some(field),
        );
    }
    assert_eq!(app.count("timebank_records"), 0);

    let text = with("start", json!("2026-11-24T09:00:00+08:00"));
    let reply = log(&app, &provider, &text).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["start"], "2026-11-24T01:00:00Z");
    let reply = app
        .post_json(
            "/api/v1/timebank/records",
            None,
            &service(RESIDENT, 60).to_string(),
        )
        .await;
    reply.assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    assert_eq!(app.count("timebank_records"), 1);
}

#[tokio::test]
async fn a_recipient_who_pays_needs_the_time_banked() {
    let app = spawn_app().await;
    let volunteer = app.sign_in(VOLUNTEER).await;
    let resident = app.sign_in(RESIDENT).await;
    let mut paid = service(RESIDENT, 60);
    paid["payer"] = json!("recipient");
    let id = logged_id(&app, &volunteer, &paid).await;
    confirm(&app, &resident, id)
        .await
        .assert_error(StatusCode::CONFLICT, "conflict", None);
    assert_eq!(
        account(&app, &resident).await["pending_received"][0]["id"],
        id,
        "it stays pending"
    );

    // 张明 earns 90 minutes helping 王芳, paid by the pool on staff's approval, then pays for
    // the hour he received.
    let staff = app.sign_in(STAFF).await;
    let earned = logged_id(&app, &resident, &service(VOLUNTEER, 90)).await;
    assert_eq!(confirm(&app, &staff, earned).await.status, StatusCode::OK);
    let reply = confirm(&app, &resident, id).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(balance(&app, &resident).await, 30);
    assert_eq!(balance(&app, &volunteer).await, 60);
    let statement = app.get("/api/v1/timebank/statement", Some(&resident)).await;
    assert_eq!(
        statement.body["lines"][0]["counterparty"]["name"], "王芳",
        "paid to the provider, not the pool"
    );
}

#[tokio::test]
async fn a_retried_post_with_its_key_gives_once() {
    let app = spawn_app().await;
    let volunteer = app.sign_in(VOLUNTEER).await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let mother_id = add_person(&app, MOTHER, "李桂兰", "demo", &[Role::Resident]);
    let volunteer_id = person_id(&app, &volunteer).await;

    let body = service(RESIDENT, 120).to_string();
    let mut replies = Vec::new();
    for _ in 0..2 {
        let request = with_key(
            post("/api/v1/timebank/records", Some(&volunteer), &body),
            "log-1",
        );
        replies.push(app.send(request).await);
    }
    assert_eq!(replies[0].status, StatusCode::CREATED);
    assert_eq!(replies[1].status, StatusCode::CREATED);
    assert_eq!(replies[1].headers["idempotent-replayed"], "true");
    assert_eq!(replies[0].body, replies[1].body);
    assert_eq!(app.count("timebank_records"), 1);

    assert_eq!(
        confirm(&app, &resident, 0).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(confirm(&app, &staff, 0).await.status, StatusCode::OK);
    assert_eq!(
        link(&app, &staff, volunteer_id, mother_id).await.status,
        StatusCode::CREATED
    );
    let gift_body = json!({"to": mother_id, "minutes": 50}).to_string();
    for _ in 0..3 {
        let request = with_key(
            post("/api/v1/timebank/gifts", Some(&volunteer), &gift_body),
            "gift-1",
        );
        assert_eq!(app.send(request).await.status, StatusCode::CREATED);
    }
    assert_eq!(balance(&app, &volunteer).await, 70, "given once");
    let other = json!({"to": mother_id, "minutes": 5}).to_string();
    let reused = app
        .send(with_key(
            post("/api/v1/timebank/gifts", Some(&volunteer), &other),
            "gift-1",
        ))
        .await;
    reused.assert_error(
        StatusCode::CONFLICT,
        "idempotency_conflict",
        Some("Idempotency-Key"),
    );
}

/// Seeds a bank of 10,000 confirmed services straight into the tables (through the core and
/// the store, as the handlers write), then reads statement pages over HTTP and times them.
#[tokio::test]
async fn a_statement_of_ten_thousand_lines_pages_fast() {
    const N: i64 = 10_000;
    let app = spawn_roomy_app().await;
    let volunteer = app.sign_in(VOLUNTEER).await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let (provider, recipient, clerk) = (
        MemberId::new(person_id(&app, &volunteer).await),
        MemberId::new(person_id(&app, &resident).await),
        MemberId::new(person_id(&app, &staff).await),
    );
    let clerk = Actor {
        id: clerk,
        role: ActorRole::Staff,
    };
    let mut bank = TimeBank::new();
    let first = START - (N + 1) * 3 * HOUR;
    for i in 0..N {
        let start = first + i * 3 * HOUR;
        let id = bank
            .log_service(
                NewServiceRecord {
                    provider,
                    recipient,
                    service: ServiceType::Errands,
                    start,
                    duration: ServiceDuration::new(15 + (i % 8) as u32 * 15).unwrap(),
                    note: None,
                    payer: Payer::Pool,
                },
                start + 2 * HOUR,
                ROOMY,
            )
            .unwrap()
            .id;
        bank.confirm(id, &clerk, start + 2 * HOUR, ROOMY).unwrap();
    }
    let seeding = Instant::now();
    {
        app.db()
            .write(|tx| {
                timebank::save(
                    tx,
                    "demo",
                    &bank,
                    timebank::Mark::of(&TimeBank::new()),
                    None,
                )
            })
            .unwrap();
    }
    println!(
        "seeded {N} records and transfers in {:?}",
        seeding.elapsed()
    );
    assert_eq!(app.count("timebank_entries"), 2 * N);

    let expected: Vec<Value> = bank
        .statement(&AccountId::member(provider))
        .iter()
        .rev()
        .map(|l| json!([l.transfer, l.delta, l.balance]))
        .collect();
    let mut seen = Vec::new();
    let mut slowest = std::time::Duration::ZERO;
    let mut uri = "/api/v1/timebank/statement?limit=100".to_owned();
    loop {
        let started = Instant::now();
        let page = app.get(&uri, Some(&volunteer)).await;
        slowest = slowest.max(started.elapsed());
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        for line in page.body["lines"].as_array().unwrap() {
            seen.push(json!([line["transfer"], line["delta"], line["balance"]]));
        }
        match page.body["next_before"].as_u64() {
            Some(before) => uri = format!("/api/v1/timebank/statement?limit=100&before={before}"),
            None => break,
        }
    }
    assert_eq!(
        seen, expected,
        "every page, with the running balance, in order"
    );
    println!("100 statement pages of 100 lines; the slowest took {slowest:?}");
    assert!(
        slowest.as_millis() < 250,
        "a page must not depend on the statement's length: {slowest:?}"
    );

    let started = Instant::now();
    let me = account(&app, &volunteer).await;
    println!("GET /timebank/me took {:?}", started.elapsed());
    assert_eq!(me["balance"], bank.member_balance(provider).get());

    // A write loads the whole bank: it costs more, but stays well within a request's time.
    let started = Instant::now();
    let id = logged_id(&app, &volunteer, &service(RESIDENT, 30)).await;
    assert_eq!(confirm(&app, &staff, id).await.body["outcome"], "credited");
    println!(
        "log + confirm on a bank of {N} records took {:?}",
        started.elapsed()
    );
    assert_eq!(
        balance(&app, &volunteer).await,
        bank.member_balance(provider).signed() + 30
    );
    assert_balanced(&pool(&app, &staff).await);
}
