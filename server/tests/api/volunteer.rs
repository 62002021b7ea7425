//! Volunteering (志愿积分) over HTTP: staff plan an activity, a resident signs up, checks in with
//! the code staff show, checks out; staff verify and the points are credited once; the points buy
//! mall items and come back on cancellation; the leaderboard marks me. Refusals carry the core's
//! codes. The last item in stock is sold exactly once (and under a thousand concurrent operations
//! mixed with time-bank transfers the books stay whole: `concurrency.rs`).

use crate::common;

use axum::http::StatusCode;
use citizen_core::account::Role;
use citizen_core::ids::MemberId;
use citizen_core::volunteer::{CheckInError, CheckInSecret, code_at, verify};
use citizen_server::clock::Clock;
use citizen_server::store::volunteer;
use common::loopback::wire;
use common::volunteer::*;
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const HOUR: i64 = 3600;
/// The demo activity running at the test clock's start (started an hour before, ends 3 h after).
const RUNNING: &str = "demo-clean-up";
/// The demo activity of tomorrow.
const TOMORROW: &str = "demo-elder-visit";
/// The demo activity of last week, for which 张明 was awarded 60 points (120 minutes).
const LAST_WEEK: &str = "demo-health-fair";
const DEMO_POINTS: u64 = 60;

fn draft(title: &str, start: i64, end: i64, slots: u32, award: Value) -> Value {
    json!({
        "title": title,
        "place": "玉林北路 3 号院",
        "details": "带好手套",
        "start": start,
        "end": end,
        "slots": slots,
        "award": award,
    })
}

fn per_hour(per_hour: u32, cap: u32) -> Value {
    json!({"kind": "per_hour", "per_hour": per_hour, "cap": cap})
}

fn fixed(points: u32) -> Value {
    json!({"kind": "fixed", "points": points})
}

async fn create(app: &TestApp, staff: &str, body: &Value) -> Reply {
    app.post_json(
        "/api/v1/volunteer/activities",
        Some(staff),
        &body.to_string(),
    )
    .await
}

/// Plans an activity and returns its id.
async fn created(app: &TestApp, staff: &str, body: &Value) -> String {
    let reply = create(app, staff, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn put(app: &TestApp, uri: &str, token: &str, body: &Value) -> Reply {
    app.send(
        with_token(axum::http::Request::put(uri), Some(token))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

async fn check_in(app: &TestApp, token: &str, id: &str, code: &str) -> Reply {
    app.post_json(
        &format!("{}/checkin", activity(id)),
        Some(token),
        &json!({ "code": code }).to_string(),
    )
    .await
}

/// The code staff see now.
async fn shown_code(app: &TestApp, staff: &str, id: &str) -> String {
    let reply = app
        .get(&format!("{}/code", activity(id)), Some(staff))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["code"].as_str().unwrap().to_owned()
}

async fn add_item(app: &TestApp, staff: &str, name: &str, price: u32, stock: u32) -> String {
    let reply = app
        .post_json(
            "/api/v1/volunteer/mall",
            Some(staff),
            &json!({"name": name, "price": price, "stock": stock}).to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["stock"], stock);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// The check-in secret of an activity, read beside the server (it never leaves it over HTTP).
fn secret(app: &TestApp, id: &str) -> CheckInSecret {
    let hex: String = app
        .db()
        .query_row(
            "SELECT secret FROM volunteer_activities WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    CheckInSecret::parse_hex(&hex).unwrap()
}

/// Adds people to a community, each with a session opened straight in the database (sign-ins
/// are rate limited and hash passwords): (person id, token).
fn add_people(
    app: &TestApp,
    names: &[&str],
    first_mobile: u64,
    community: &str,
) -> Vec<(i64, String)> {
    names
        .iter()
        .zip(first_mobile..)
        .map(|(name, mobile)| {
            let id = add_person(app, &mobile.to_string(), name, community, &[Role::Resident]);
            (id, open_session(app, id))
        })
        .collect()
}

/// Gives each of `members` `award` points: an activity running now with a fixed award, and each
/// signed up, checked in, checked out and verified over HTTP.
async fn award_each(app: &TestApp, staff: &str, members: &[(i64, String)], award: u32) {
    let now = app.clock.now();
    let slots = members.len() as u32;
    let id = created(
        app,
        staff,
        &draft("积分发放活动", now, now + 2 * HOUR, slots, fixed(award)),
    )
    .await;
    let code = shown_code(app, staff, &id).await;
    for (_, token) in members {
        assert_eq!(act(app, token, &id, "signup").await.status, StatusCode::OK);
        let reply = check_in(app, token, &id, &code).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(
            act(app, token, &id, "checkout").await.status,
            StatusCode::OK
        );
    }
    for (person, _) in members {
        let reply = verify_time(app, staff, &id, *person, 60).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        assert_eq!(reply.body["points"], award);
    }
}

#[tokio::test]
async fn a_verified_activity_credits_points_once_and_the_mall_spends_them() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let neighbour = app.sign_in(VOLUNTEER).await;
    let me = person_id(&app, &resident).await;

    let reply = create(
        &app,
        &staff,
        &draft("楼道清扫", START, START + 3 * HOUR, 5, per_hour(10, 40)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["id"].as_str().unwrap().to_owned();
    assert!(volunteer::valid_id(&id), "{id}");
    assert_eq!(reply.body["phase"], "check_in_open");
    assert_eq!(reply.body["slots_left"], 5);
    assert_eq!(reply.body["start"], "2026-11-25T00:00:00Z");
    assert_eq!(reply.body["check_in_opens"], "2026-11-24T23:30:00Z");
    assert_eq!(reply.body["mine"], Value::Null);
    let hex = secret(&app, &id).to_hex();
    assert_eq!(hex.len(), 40, "a 20-byte secret");

    let signed = act(&app, &resident, &id, "signup").await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    assert_eq!(signed.body["slots_left"], 4);
    assert_eq!(signed.body["mine"]["signed_up_at"], "2026-11-25T00:00:00Z");
    assert_eq!(signed.body["mine"]["checked_in_at"], Value::Null);

    let display = app
        .get(&format!("{}/code", activity(&id)), Some(&staff))
        .await;
    assert_eq!(display.status, StatusCode::OK, "{}", display.text);
    let code = display.body["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    assert_eq!(code, code_at(&secret(&app, &id), START).to_string());
    assert_eq!(display.body["secs_left"], 30);
    assert_eq!(display.body["phase"], "check_in_open");

    app.clock.advance(20);
    let checked_in = check_in(&app, &resident, &id, &code).await;
    assert_eq!(checked_in.status, StatusCode::OK, "{}", checked_in.text);
    assert_eq!(
        checked_in.body["mine"]["checked_in_at"],
        "2026-11-25T00:00:20Z"
    );
    app.clock.advance(90 * 60);
    let out = app
        .post_json(
            &format!("{}/checkout", activity(&id)),
            Some(&resident),
            "{}",
        )
        .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.text);
    assert_eq!(out.body["mine"]["checked_out_at"], "2026-11-25T01:30:20Z");

    let attendees = app
        .get(&format!("{}/attendees", activity(&id)), Some(&staff))
        .await;
    assert_eq!(attendees.status, StatusCode::OK, "{}", attendees.text);
    assert_eq!(
        attendees.body,
        json!([{
            "person": {"id": me, "name": "张明"},
            "signed_up_at": "2026-11-25T00:00:00Z",
            "checked_in_at": "2026-11-25T00:00:20Z",
            "checked_out_at": "2026-11-25T01:30:20Z",
            "suggested_minutes": 90,
            "verified_minutes": null,
            "points": null,
        }])
    );

    let verified = verify_time(&app, &staff, &id, me, 90).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.text);
    assert_eq!(verified.body["verified_minutes"], 90);
    assert_eq!(verified.body["points"], 15, "10 an hour for 1 h 30");
    verify_time(&app, &staff, &id, me, 120).await.assert_error(
        StatusCode::CONFLICT,
        "already_verified",
        None,
    );
    let awards = |conn: &citizen_server::store::sql::Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM volunteer_points WHERE kind = 'award' AND activity = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(app.db().with(awards), 1, "credited once");
    let seen = app.get(&activity(&id), Some(&resident)).await;
    assert_eq!(seen.body["mine"]["points"], 15);
    assert_eq!(seen.body["mine"]["verified_minutes"], 90);

    let account = points(&app, &resident).await;
    assert_eq!(account["balance"], DEMO_POINTS + 15);
    assert_eq!(account["verified_minutes"], 120 + 90);
    assert_eq!(account["stars"], 0);
    assert_eq!(account["next_star_hours"], 100);
    let newest = &account["history"][0];
    assert_eq!(newest["kind"], "award");
    assert_eq!(newest["what"], "楼道清扫");
    assert_eq!(newest["delta"], 15);
    assert_eq!(newest["balance"], DEMO_POINTS + 15);
    assert_eq!(newest["at"], "2026-11-25T01:30:20Z");
    assert_eq!(account["history"][1]["what"], "社区义诊志愿服务");

    // November in China: last week's award and this one.
    let board = app
        .get("/api/v1/volunteer/leaderboard", Some(&resident))
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text);
    assert_eq!(board.body["month"], "2026-11");
    assert_eq!(
        board.body["rows"],
        json!([{"rank": 1, "name": "张*", "points": DEMO_POINTS + 15, "verified_minutes": 210, "me": true}])
    );
    let as_staff = app
        .get("/api/v1/volunteer/leaderboard?month=2026-11", Some(&staff))
        .await;
    assert_eq!(as_staff.body["rows"][0]["me"], false);
    let october = app
        .get("/api/v1/volunteer/leaderboard?month=2026-10", Some(&staff))
        .await;
    assert_eq!(october.body, json!({"month": "2026-10", "rows": []}));

    // The mall: a bag for 50 points, given back on cancellation, once.
    let items = mall(&app, &resident).await;
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["环保袋", "电影票", "体检套餐"]);
    assert_eq!(items[0]["price"], 50);
    assert_eq!(items[0]["stock"], 20);
    let bought = redeem(&app, &resident, "eco-bag").await;
    assert_eq!(bought.status, StatusCode::OK, "{}", bought.text);
    assert_eq!(bought.body["balance"], DEMO_POINTS + 15 - 50);
    assert_eq!(bought.body["item"]["stock"], 19);
    assert_eq!(bought.body["cancelled"], false);
    let seq = bought.body["seq"].as_u64().unwrap();
    assert_eq!(stock(&app, &resident, "eco-bag").await, 19);
    redeem(&app, &resident, "movie-ticket").await.assert_error(
        StatusCode::CONFLICT,
        "not_enough_points",
        None,
    );
    let account = points(&app, &resident).await;
    assert_eq!(account["history"][0]["kind"], "redeem");
    assert_eq!(account["history"][0]["what"], "环保袋");
    assert_eq!(account["history"][0]["delta"], -50);
    assert_eq!(account["history"][0]["seq"], seq);

    cancel(&app, &neighbour, seq)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden", None);
    let undone = cancel(&app, &resident, seq).await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.text);
    assert_eq!(undone.body["seq"], seq);
    assert_eq!(undone.body["cancelled"], true);
    assert_eq!(undone.body["balance"], DEMO_POINTS + 15);
    assert_eq!(undone.body["item"]["stock"], 20);
    for token in [&resident, &staff] {
        cancel(&app, token, seq).await.assert_error(
            StatusCode::CONFLICT,
            "already_cancelled",
            None,
        );
    }
    let account = points(&app, &resident).await;
    assert_eq!(account["balance"], DEMO_POINTS + 15);
    assert_eq!(account["history"][0]["kind"], "cancel_redeem");
    assert_eq!(account["history"][1]["cancelled"], true);
    assert_eq!(stock(&app, &resident, "eco-bag").await, 20);
    // Staff may cancel anyone's redemption; an award is not one; beyond the ledger is nothing.
    let again = redeem(&app, &resident, "eco-bag").await.body["seq"]
        .as_u64()
        .unwrap();
    let by_staff = cancel(&app, &staff, again).await;
    assert_eq!(by_staff.status, StatusCode::OK, "{}", by_staff.text);
    assert_eq!(by_staff.body["balance"], DEMO_POINTS + 15, "the redeemer's");
    let award_seq = points(&app, &resident).await["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "award")
        .unwrap()["seq"]
        .as_u64()
        .unwrap();
    cancel(&app, &resident, award_seq).await.assert_error(
        StatusCode::CONFLICT,
        "not_a_redemption",
        None,
    );
    for missing in ["9999", "abc", "-1"] {
        cancel(&app, &resident, missing).await.assert_error_for(
            missing,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        );
    }

    // The ledger holds what the core says, and its secret nowhere but the server.
    let book = app
        .db()
        .with(|conn| volunteer::load_book(conn, "demo"))
        .unwrap();
    assert_eq!(book.balance(MemberId::new(me)), DEMO_POINTS + 15);
    assert_eq!(book.stock("eco-bag"), 20);
    let list = app
        .get("/api/v1/volunteer/activities", Some(&resident))
        .await;
    for reply in [&list, &seen, &display, &attendees, &verified] {
        assert!(
            !reply.text.contains(&hex),
            "the secret leaked: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn the_list_shows_running_and_upcoming_first_then_ended() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let later = created(
        &app,
        &staff,
        &draft(
            "下周植树",
            START + 7 * 24 * HOUR,
            START + 7 * 24 * HOUR + HOUR,
            3,
            fixed(5),
        ),
    )
    .await;
    let list = app
        .get("/api/v1/volunteer/activities", Some(&resident))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let ids: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [RUNNING, TOMORROW, later.as_str(), LAST_WEEK]);
    let phases: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["check_in_open", "upcoming", "upcoming", "ended"]);
    assert_eq!(
        list.body[3]["mine"]["points"], 60,
        "张明's award of last week"
    );
    assert_eq!(list.body[3]["award"], per_hour(30, 60));
    assert_eq!(list.body[1]["award"], fixed(20));

    // Four hours on, the running one has ended and leads the ended ones.
    app.clock.advance(4 * HOUR);
    let list = app
        .get("/api/v1/volunteer/activities", Some(&resident))
        .await;
    let ids: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [TOMORROW, later.as_str(), RUNNING, LAST_WEEK]);
}

#[tokio::test]
async fn check_in_needs_a_sign_up_the_window_and_the_code_of_the_moment() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let volunteer_token = app.sign_in(VOLUNTEER).await;
    let me = person_id(&app, &resident).await;
    let code = shown_code(&app, &staff, RUNNING).await;

    check_in(&app, &resident, RUNNING, &code)
        .await
        .assert_error(StatusCode::CONFLICT, "not_signed_up", None);
    assert_eq!(
        act(&app, &resident, RUNNING, "signup").await.status,
        StatusCode::OK
    );
    act(&app, &resident, RUNNING, "signup").await.assert_error(
        StatusCode::CONFLICT,
        "already_signed_up",
        None,
    );
    for typed in ["12a456", "12345", "1234567", ""] {
        check_in(&app, &resident, RUNNING, typed)
            .await
            .assert_error_for(
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
                "code_malformed",
                Some("code"),
            );
    }
    let s = secret(&app, RUNNING);
    let now = app.clock.now();
    let wrong = (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .find(|c| verify(&s, c, now) == Err(CheckInError::Wrong))
        .unwrap();
    check_in(&app, &resident, RUNNING, &wrong)
        .await
        .assert_error(StatusCode::CONFLICT, "code_wrong", None);
    // A minute later the code shown then has expired: two steps of 30 s.
    app.clock.advance(60);
    assert_eq!(
        verify(&s, &code, app.clock.now()),
        Err(CheckInError::Expired),
        "the test's premise"
    );
    check_in(&app, &resident, RUNNING, &code)
        .await
        .assert_error(StatusCode::CONFLICT, "code_expired", None);
    // The code read just before it changed still works (here typed with a space).
    let previous = code_at(&s, app.clock.now() - 30).to_string();
    let typed = format!("{} {}", &previous[..3], &previous[3..]);
    let reply = check_in(&app, &resident, RUNNING, &typed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let now_code = shown_code(&app, &staff, RUNNING).await;
    check_in(&app, &resident, RUNNING, &now_code)
        .await
        .assert_error(StatusCode::CONFLICT, "already_checked_in", None);
    app.delete(&format!("{}/signup", activity(RUNNING)), Some(&resident))
        .await
        .assert_error(StatusCode::CONFLICT, "already_checked_in", None);

    // Tomorrow's activity: signed up, but check-in is not open; nobody to verify yet.
    assert_eq!(
        act(&app, &resident, TOMORROW, "signup").await.status,
        StatusCode::OK
    );
    let tomorrow_code = shown_code(&app, &staff, TOMORROW).await;
    check_in(&app, &resident, TOMORROW, &tomorrow_code)
        .await
        .assert_error(StatusCode::CONFLICT, "check_in_not_open", None);
    verify_time(&app, &staff, TOMORROW, me, 60)
        .await
        .assert_error(StatusCode::CONFLICT, "not_checked_in", None);
    act(&app, &resident, TOMORROW, "checkout")
        .await
        .assert_error(StatusCode::CONFLICT, "not_checked_in", None);
    let cancelled = app
        .delete(&format!("{}/signup", activity(TOMORROW)), Some(&resident))
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);
    assert_eq!(cancelled.body["mine"], Value::Null);
    app.delete(&format!("{}/signup", activity(TOMORROW)), Some(&resident))
        .await
        .assert_error(StatusCode::CONFLICT, "not_signed_up", None);

    // Check-out once; last week's activity takes nobody any more.
    assert_eq!(
        act(&app, &resident, RUNNING, "checkout").await.status,
        StatusCode::OK
    );
    act(&app, &resident, RUNNING, "checkout")
        .await
        .assert_error(StatusCode::CONFLICT, "already_checked_out", None);
    act(&app, &volunteer_token, LAST_WEEK, "signup")
        .await
        .assert_error(StatusCode::CONFLICT, "activity_ended", None);

    // After the end, check-in has closed.
    assert_eq!(
        act(&app, &volunteer_token, RUNNING, "signup").await.status,
        StatusCode::OK
    );
    app.clock.advance(3 * HOUR);
    let late = code_at(&s, app.clock.now()).to_string();
    check_in(&app, &volunteer_token, RUNNING, &late)
        .await
        .assert_error(StatusCode::CONFLICT, "check_in_closed", None);
}

#[tokio::test]
async fn guessing_codes_is_stopped_after_ten_wrong_ones() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let guesser = app.sign_in(VOLUNTEER).await;
    assert_eq!(
        act(&app, &guesser, RUNNING, "signup").await.status,
        StatusCode::OK
    );
    let s = secret(&app, RUNNING);
    let now = app.clock.now();
    let wrong: Vec<String> = (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .filter(|c| verify(&s, c, now) == Err(CheckInError::Wrong))
        .take(11)
        .collect();
    for code in &wrong[..10] {
        check_in(&app, &guesser, RUNNING, code).await.assert_error(
            StatusCode::CONFLICT,
            "code_wrong",
            None,
        );
    }
    let right = shown_code(&app, &staff, RUNNING).await;
    for code in [&wrong[10], &right] {
        let reply = check_in(&app, &guesser, RUNNING, code).await;
        reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
        assert!(reply.headers.contains_key("retry-after"));
    }
    app.clock.advance(10 * 60);
    let right = shown_code(&app, &staff, RUNNING).await;
    let reply = check_in(&app, &guesser, RUNNING, &right).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn slots_edits_and_stock_are_the_cores_rules() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let neighbour = app.sign_in(VOLUNTEER).await;

    let id = created(
        &app,
        &staff,
        &draft("社区义剪", START + HOUR, START + 3 * HOUR, 1, fixed(10)),
    )
    .await;
    assert_eq!(
        act(&app, &resident, &id, "signup").await.status,
        StatusCode::OK
    );
    act(&app, &neighbour, &id, "signup").await.assert_error(
        StatusCode::CONFLICT,
        "activity_full",
        None,
    );
    let reply = app
        .delete(&format!("{}/signup", activity(&id)), Some(&resident))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["slots_left"], 1);
    assert_eq!(
        act(&app, &neighbour, &id, "signup").await.status,
        StatusCode::OK
    );

    // Edits: the slots cannot drop below the sign-ups, the time is fixed after a check-in.
    let two = draft(
        "社区义剪（上午）",
        START + HOUR,
        START + 3 * HOUR,
        2,
        fixed(10),
    );
    let edited = put(&app, &activity(&id), &staff, &two).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["title"], "社区义剪（上午）");
    assert_eq!(edited.body["slots_left"], 1);
    assert_eq!(
        act(&app, &resident, &id, "signup").await.status,
        StatusCode::OK
    );
    put(
        &app,
        &activity(&id),
        &staff,
        &draft("社区义剪", START + HOUR, START + 3 * HOUR, 1, fixed(10)),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "slots_below_signups", None);
    app.clock.advance(HOUR / 2); // check-in opens half an hour before the start
    let code = shown_code(&app, &staff, &id).await;
    assert_eq!(
        check_in(&app, &resident, &id, &code).await.status,
        StatusCode::OK
    );
    put(
        &app,
        &activity(&id),
        &staff,
        &draft("社区义剪", START + 2 * HOUR, START + 3 * HOUR, 2, fixed(10)),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "time_locked", None);
    let renamed = draft(
        "社区义剪（全天）",
        START + HOUR,
        START + 3 * HOUR,
        4,
        fixed(12),
    );
    let edited = put(&app, &activity(&id), &staff, &renamed).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["award"], fixed(12));
    assert_eq!(edited.body["slots_left"], 2);
    assert_eq!(
        edited.body["mine"],
        Value::Null,
        "staff see their own sign-up, which they do not have"
    );

    // Stock: one item, one buyer; the next is refused, whatever their points.
    let item = add_item(&app, &staff, "社区定制水杯", 30, 1).await;
    let bought = redeem(&app, &resident, &item).await;
    assert_eq!(bought.status, StatusCode::OK, "{}", bought.text);
    assert_eq!(bought.body["item"]["stock"], 0);
    redeem(&app, &resident, &item)
        .await
        .assert_error(StatusCode::CONFLICT, "out_of_stock", None);
    redeem(&app, &neighbour, &item)
        .await
        .assert_error(StatusCode::CONFLICT, "out_of_stock", None);
    redeem(&app, &neighbour, "eco-bag").await.assert_error(
        StatusCode::CONFLICT,
        "not_enough_points",
        None,
    );
    let restocked = app
        .post_json(
            &format!("/api/v1/volunteer/mall/{item}/restock"),
            Some(&staff),
            r#"{"quantity": 3}"#,
        )
        .await;
    assert_eq!(restocked.status, StatusCode::OK, "{}", restocked.text);
    assert_eq!(restocked.body["stock"], 3);
    assert_eq!(balance(&app, &resident).await, DEMO_POINTS - 30);
}

#[tokio::test]
async fn staff_routes_other_communities_and_bad_fields() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let me = person_id(&app, &resident).await;
    let plan = draft("楼道清扫", START, START + HOUR, 5, fixed(5));

    // Residents (and volunteers) may not do staff's part.
    let volunteer_token = app.sign_in(VOLUNTEER).await;
    for token in [&resident, &volunteer_token] {
        let forbidden = [
            create(&app, token, &plan).await,
            put(&app, &activity(RUNNING), token, &plan).await,
            app.get(&format!("{}/code", activity(RUNNING)), Some(token))
                .await,
            app.get(&format!("{}/attendees", activity(RUNNING)), Some(token))
                .await,
            verify_time(&app, token, RUNNING, me, 60).await,
            app.post_json(
                "/api/v1/volunteer/mall",
                Some(token),
                r#"{"name": "水杯", "price": 10, "stock": 1}"#,
            )
            .await,
            app.post_json(
                "/api/v1/volunteer/mall/eco-bag/restock",
                Some(token),
                r#"{"quantity": 1}"#,
            )
            .await,
        ];
        for reply in forbidden {
            reply.assert_error(StatusCode::FORBIDDEN, "forbidden", None);
        }
    }
    assert_eq!(app.count("volunteer_activities"), 3, "only the demo's");
    assert_eq!(app.count("volunteer_mall_items"), 3);

    // Unknown things, and another community's, are not found.
    let elsewhere = add_people(&app, &["陈主任"], 13_800_000_009, "elsewhere");
    let (other_id, other) = &elsewhere[0];
    app.db()
        .execute(
            "INSERT INTO person_roles (person_id, role) VALUES (?1, 'staff')",
            [other_id],
        )
        .unwrap();
    for reply in [
        app.get(&activity(RUNNING), Some(other)).await,
        app.get(&format!("{}/code", activity(RUNNING)), Some(other))
            .await,
        act(&app, other, RUNNING, "signup").await,
        verify_time(&app, other, LAST_WEEK, me, 60).await,
        put(&app, &activity(RUNNING), other, &plan).await,
        redeem(&app, other, "eco-bag").await,
        cancel(&app, other, 0).await,
        app.get(&activity("no-such-activity"), Some(&resident))
            .await,
        app.get(&activity("not.an.id"), Some(&resident)).await,
        act(&app, &resident, "no-such-activity", "checkout").await,
        redeem(&app, &resident, "no-such-item").await,
        app.post_json(
            "/api/v1/volunteer/mall/no-such-item/restock",
            Some(&staff),
            r#"{"quantity": 1}"#,
        )
        .await,
        app.post_json(
            &format!("{}/attendees/someone/verify", activity(RUNNING)),
            Some(&staff),
            r#"{"minutes": 60}"#,
        )
        .await,
    ] {
        reply.assert_error(StatusCode::NOT_FOUND, "not_found", None);
    }
    let theirs = app.get("/api/v1/volunteer/activities", Some(other)).await;
    assert_eq!(theirs.body, json!([]));
    assert_eq!(mall(&app, other).await, Vec::<Value>::new());
    let board = app
        .get("/api/v1/volunteer/leaderboard?month=2026-11", Some(other))
        .await;
    assert_eq!(board.body["rows"], json!([]));

    // Bad fields are named.
    let with = |key: &str, value: Value| {
        let mut body = plan.clone();
        body[key] = value;
        body
    };
    let cases = [
        (with("title", json!("x")), 422, "title"),
        (with("place", json!(" ")), 422, "place"),
        (with("details", json!("长".repeat(1001))), 422, "details"),
        (with("start", json!("soon")), 422, "start"),
        (with("end", json!("later")), 422, "end"),
        (with("end", json!(START)), 422, "end"),
        (with("slots", json!(0)), 422, "slots"),
        (with("slots", json!(501)), 422, "slots"),
        (with("slots", json!(-1)), 400, "slots"),
        (
            with("award", json!({"kind": "fixed", "points": 0})),
            422,
            "award",
        ),
        (with("award", json!({"kind": "bonus"})), 422, "award.kind"),
        (with("colour", json!("red")), 400, "colour"),
    ];
    for (body, status, field) in cases {
        create(&app, &staff, &body).await.assert_error_for(
            &body.to_string(),
            StatusCode::from_u16(status).unwrap(),
            "invalid_field",
            Some(field),
        );
    }
    let text_times = with("start", json!("2026-11-25T09:00:00+08:00"));
    let text_times = {
        let mut body = text_times;
        body["end"] = json!("2026-11-25T11:00:00+08:00");
        body
    };
    let reply = create(&app, &staff, &text_times).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["start"], "2026-11-25T01:00:00Z");
    assert_eq!(app.count("volunteer_activities"), 4);

    for (body, field) in [
        (json!({"name": "x", "price": 10, "stock": 1}), "name"),
        (json!({"name": "水杯", "price": 0, "stock": 1}), "price"),
        (json!({"name": "水杯", "price": 10, "stock": 0}), "stock"),
        (
            json!({"name": "水杯", "price": 10, "stock": 10_001}),
            "stock",
        ),
    ] {
        app.post_json("/api/v1/volunteer/mall", Some(&staff), &body.to_string())
            .await
            .assert_error_for(
                &body.to_string(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_field",
                Some(field),
            );
    }
    app.post_json(
        "/api/v1/volunteer/mall/eco-bag/restock",
        Some(&staff),
        r#"{"quantity": 0}"#,
    )
    .await
    .assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("quantity"),
    );
    verify_time(&app, &staff, LAST_WEEK, me, 1441)
        .await
        .assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some("minutes"),
        );
    let refused = [
        ("month=2026-13", StatusCode::UNPROCESSABLE_ENTITY),
        ("month=november", StatusCode::UNPROCESSABLE_ENTITY),
        ("year=2026", StatusCode::BAD_REQUEST),
    ];
    let path = "/api/v1/volunteer/leaderboard?";
    for reply in get_each(&app, &resident, path, &refused).await {
        assert_eq!(reply.code(), "invalid_field", "{}", reply.text);
    }
    app.get("/api/v1/volunteer/points", None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    assert_eq!(app.count("volunteer_mall_items"), 3);
}

#[tokio::test]
async fn a_retried_redemption_with_its_key_redeems_once() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let mut replies = Vec::new();
    for _ in 0..3 {
        let request = with_key(
            post(
                "/api/v1/volunteer/mall/eco-bag/redeem",
                Some(&resident),
                "null",
            ),
            "redeem-1",
        );
        replies.push(app.send(request).await);
    }
    assert_eq!(replies[0].status, StatusCode::OK, "{}", replies[0].text);
    assert_eq!(replies[2].headers["idempotent-replayed"], "true");
    assert_eq!(replies[0].body, replies[2].body);
    assert_eq!(stock(&app, &resident, "eco-bag").await, 19);
    assert_eq!(balance(&app, &resident).await, DEMO_POINTS - 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_people_racing_for_the_last_item_buy_it_once() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let names: Vec<String> = (0..50).map(|i| format!("抢购者{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let racers = add_people(&app, &names, 13_900_000_100, "demo");
    award_each(&app, &staff, &racers, 100).await;
    let item = add_item(&app, &staff, "限量纪念徽章", 80, 1).await;
    let addr = wire::serve(app.router.clone()).await;

    let mut tasks = tokio::task::JoinSet::new();
    for (_, token) in racers.clone() {
        let path = format!("/api/v1/volunteer/mall/{item}/redeem");
        tasks.spawn(
            async move { wire::call(addr, "POST", &path, &token, Some("null".into())).await },
        );
    }
    let replies = tasks.join_all().await;
    let mut tally: BTreeMap<(u16, String), u32> = BTreeMap::new();
    for (status, body) in &replies {
        let code = body["error"]["code"].as_str().unwrap_or("").to_owned();
        *tally.entry((*status, code)).or_default() += 1;
    }
    println!("50 concurrent redemptions of a stock-1 item: {tally:?}");
    assert_eq!(
        tally,
        BTreeMap::from([
            ((200, String::new()), 1),
            ((409, "out_of_stock".to_owned()), 49),
        ])
    );
    assert_eq!(stock(&app, &staff, &item).await, 0);
    let winner = replies.iter().find(|(s, _)| *s == 200).unwrap();
    assert_eq!(winner.1["balance"], 20);
    let db = app.db();
    let sold: i64 = db
        .query_row(
            "SELECT count(*) FROM volunteer_points WHERE kind = 'redeem' AND item = ?1",
            [&item],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sold, 1);
    let spent: Vec<u64> = {
        let mut spent = Vec::new();
        for (_, token) in &racers {
            spent.push(100 - balance(&app, token).await);
        }
        spent
    };
    assert_eq!(spent.iter().sum::<u64>(), 80, "one racer paid, once");
}
