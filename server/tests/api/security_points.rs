//! Attacks on the points (志愿积分), each refused: staff verifying their own attendance, staff
//! awarding themselves for an activity they planned, a fixed award without a check-out, 0
//! minutes, a resident taking back a redemption they already collected (while staff can, and the
//! points and the item come back once, even under parallel duplicate cancels), a resident marking
//! a hand-over, staff handing over to themselves, and one resident reading another's redemptions.
//! Every refusal writes nothing to the ledger.

use crate::common;

use axum::http::StatusCode;
use citizen_core::account::Role;
use citizen_server::clock::Clock;
use common::loopback::wire;
use common::volunteer::*;
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const HOUR: i64 = 3600;
/// 张明's points from the demo's activity of last week.
const DEMO_POINTS: u64 = 60;
/// The demo mall's bag: 50 points, 20 in stock.
const BAG: &str = "eco-bag";

/// Plans an activity running now (check-in open) and returns its id.
async fn planned(app: &TestApp, staff: &str, award: Value) -> String {
    let now = app.clock.now();
    let body = json!({
        "title": "楼道清扫",
        "place": "玉林北路 3 号院",
        "start": now,
        "end": now + 2 * HOUR,
        "slots": 5,
        "award": award,
    });
    let reply = app
        .post_json(
            "/api/v1/volunteer/activities",
            Some(staff),
            &body.to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// `token` signs up, checks in with the code staff show, and (when `out`) checks out.
async fn attend(app: &TestApp, staff: &str, token: &str, id: &str, out: bool) {
    let signed = act(app, token, id, "signup").await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    let code = app
        .get(&format!("{}/code", activity(id)), Some(staff))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let checked_in = app
        .post_json(
            &format!("{}/checkin", activity(id)),
            Some(token),
            &json!({ "code": code }).to_string(),
        )
        .await;
    assert_eq!(checked_in.status, StatusCode::OK, "{}", checked_in.text);
    if out {
        app.clock.advance(HOUR);
        let reply = act(app, token, id, "checkout").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
}

/// `token` redeems one `item`: the redemption's ledger entry.
async fn redeemed(app: &TestApp, token: &str, item: &str) -> u64 {
    let reply = redeem(app, token, item).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["state"], "waiting");
    reply.body["seq"].as_u64().unwrap()
}

fn ledger(app: &TestApp, kind: &str) -> i64 {
    app.db()
        .query_row(
            "SELECT count(*) FROM volunteer_points WHERE kind = ?1",
            [kind],
            |r| r.get(0),
        )
        .unwrap()
}

/// A second staff member of the demo community, with a session opened in the database: (id,
/// token).
fn colleague(app: &TestApp) -> (i64, String) {
    let staff = [Role::Resident, Role::Staff];
    let id = add_person(app, "13800000099", "李主任", "demo", &staff);
    (id, open_session(app, id))
}

#[tokio::test]
async fn staff_cannot_verify_their_own_attendance() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let me = person_id(&app, &staff).await;
    let (_, other_staff) = colleague(&app);
    // Planned by a colleague: the rule is about whose attendance, not who planned it.
    let id = planned(
        &app,
        &other_staff,
        json!({"kind": "per_hour", "per_hour": 10, "cap": 40}),
    )
    .await;
    attend(&app, &other_staff, &staff, &id, true).await;
    let before = ledger(&app, "award");

    verify_time(&app, &staff, &id, me, 60).await.assert_error(
        StatusCode::CONFLICT,
        "own_attendance",
        None,
    );
    assert_eq!(ledger(&app, "award"), before, "nothing credited");
    let attendees = app
        .get(&format!("{}/attendees", activity(&id)), Some(&staff))
        .await;
    assert_eq!(attendees.body[0]["verified_minutes"], Value::Null);
    assert_eq!(balance(&app, &staff).await, 0);

    // A colleague may verify them.
    let verified = verify_time(&app, &other_staff, &id, me, 60).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.text);
    assert_eq!(verified.body["points"], 10);
    assert_eq!(balance(&app, &staff).await, 10);
}

#[tokio::test]
async fn staff_cannot_award_themselves_for_an_activity_they_created() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let me = person_id(&app, &staff).await;
    let id = planned(&app, &staff, json!({"kind": "fixed", "points": 500})).await;
    attend(&app, &staff, &staff, &id, true).await;

    for minutes in [60, 120, 1440] {
        verify_time(&app, &staff, &id, me, minutes)
            .await
            .assert_error(StatusCode::CONFLICT, "own_attendance", None);
    }
    // In a burst: still nothing.
    let addr = wire::serve(app.router.clone()).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (path, token) = (
            format!("{}/attendees/{me}/verify", activity(&id)),
            staff.clone(),
        );
        tasks.spawn(async move {
            wire::call(
                addr,
                "POST",
                &path,
                &token,
                Some(r#"{"minutes": 60}"#.into()),
            )
            .await
        });
    }
    for (status, body) in tasks.join_all().await {
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("own_attendance"))
        );
    }
    assert_eq!(ledger(&app, "award"), 1, "only the demo's award");
    assert_eq!(balance(&app, &staff).await, 0);
}

#[tokio::test]
async fn a_fixed_award_needs_a_check_out() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let me = person_id(&app, &resident).await;
    let id = planned(&app, &staff, json!({"kind": "fixed", "points": 40})).await;
    attend(&app, &staff, &resident, &id, false).await;

    verify_time(&app, &staff, &id, me, 60).await.assert_error(
        StatusCode::CONFLICT,
        "not_checked_out",
        None,
    );
    assert_eq!(balance(&app, &resident).await, DEMO_POINTS);

    app.clock.advance(HOUR);
    assert_eq!(
        act(&app, &resident, &id, "checkout").await.status,
        StatusCode::OK
    );
    let verified = verify_time(&app, &staff, &id, me, 60).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.text);
    assert_eq!(balance(&app, &resident).await, DEMO_POINTS + 40);
}

#[tokio::test]
async fn zero_minutes_is_refused() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let me = person_id(&app, &resident).await;
    for award in [
        json!({"kind": "fixed", "points": 40}),
        json!({"kind": "per_hour", "per_hour": 10, "cap": 40}),
    ] {
        let id = planned(&app, &staff, award).await;
        attend(&app, &staff, &resident, &id, true).await;
        verify_time(&app, &staff, &id, me, 0).await.assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "zero_minutes",
            Some("minutes"),
        );
        let attendees = app
            .get(&format!("{}/attendees", activity(&id)), Some(&staff))
            .await;
        assert_eq!(attendees.body[0]["verified_minutes"], Value::Null);
    }
    assert_eq!(ledger(&app, "award"), 1, "only the demo's award");
    assert_eq!(balance(&app, &resident).await, DEMO_POINTS);
}

#[tokio::test]
async fn after_hand_over_only_staff_cancel_and_everything_comes_back_once() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let seq = redeemed(&app, &resident, BAG).await;
    assert_eq!(
        (
            balance(&app, &resident).await,
            stock(&app, &staff, BAG).await
        ),
        (DEMO_POINTS - 50, 19)
    );

    // A resident cannot mark it handed over, not even their own.
    for token in [&resident, &app.sign_in(VOLUNTEER).await] {
        hand_over(&app, token, seq)
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden", None);
    }
    assert_eq!(ledger(&app, "hand_over"), 0);

    let handed = hand_over(&app, &staff, seq).await;
    assert_eq!(handed.status, StatusCode::OK, "{}", handed.text);
    assert_eq!(handed.body["state"], "handed_over");
    assert_eq!(handed.body["member"]["name"], "张明");
    assert_eq!(handed.body["name"], "环保袋");
    assert_eq!(handed.body["handed_over_at"], "2026-11-25T00:00:00Z");
    hand_over(&app, &staff, seq).await.assert_error(
        StatusCode::CONFLICT,
        "already_handed_over",
        None,
    );

    // The resident holds the bag: no points back for it.
    cancel(&app, &resident, seq)
        .await
        .assert_error(StatusCode::CONFLICT, "handed_over", None);
    assert_eq!(ledger(&app, "cancel_redeem"), 0);
    let account = app.get("/api/v1/volunteer/points", Some(&resident)).await;
    assert_eq!(account.body["history"][0]["seq"], seq);
    assert_eq!(account.body["history"][0]["handed_over"], true);
    assert_eq!(account.body["history"][0]["cancelled"], false);

    // Staff can (the bag came back to the counter), once.
    let undone = cancel(&app, &staff, seq).await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.text);
    assert_eq!(undone.body["state"], "cancelled");
    assert_eq!(undone.body["balance"], DEMO_POINTS);
    assert_eq!(undone.body["item"]["stock"], 20);
    for token in [&staff, &resident] {
        cancel(&app, token, seq).await.assert_error(
            StatusCode::CONFLICT,
            "already_cancelled",
            None,
        );
    }
    hand_over(&app, &staff, seq).await.assert_error(
        StatusCode::CONFLICT,
        "already_cancelled",
        None,
    );
    assert_eq!(
        (
            balance(&app, &resident).await,
            stock(&app, &staff, BAG).await
        ),
        (DEMO_POINTS, 20)
    );
    assert_eq!(ledger(&app, "cancel_redeem"), 1);

    // Before hand-over the redeemer may still cancel their own.
    let again = redeemed(&app, &resident, BAG).await;
    let own = cancel(&app, &resident, again).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert_eq!(balance(&app, &resident).await, DEMO_POINTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_duplicate_cancels_return_points_and_stock_once() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let (_, other_staff) = colleague(&app);
    let seq = redeemed(&app, &resident, BAG).await;
    assert_eq!(hand_over(&app, &staff, seq).await.status, StatusCode::OK);
    let addr = wire::serve(app.router.clone()).await;

    // Twenty cancels at once: staff, a colleague, and the resident who holds the bag.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let token = [&staff, &other_staff, &resident][i % 3].clone();
        let path = format!("/api/v1/volunteer/redemptions/{seq}/cancel");
        tasks.spawn(
            async move { wire::call(addr, "POST", &path, &token, Some("null".into())).await },
        );
    }
    let mut tally: BTreeMap<(u16, String), u32> = BTreeMap::new();
    for (status, body) in tasks.join_all().await {
        let code = body["error"]["code"].as_str().unwrap_or("").to_owned();
        *tally.entry((status, code)).or_default() += 1;
    }
    println!("20 parallel cancels after hand-over: {tally:?}");
    assert_eq!(tally.get(&(200, String::new())), Some(&1), "{tally:?}");
    assert_eq!(
        tally
            .get(&(409, "handed_over".to_owned()))
            .copied()
            .unwrap_or(0)
            + tally
                .get(&(409, "already_cancelled".to_owned()))
                .copied()
                .unwrap_or(0),
        19,
        "{tally:?}"
    );
    assert!(
        tally
            .keys()
            .all(|(s, c)| *s == 200 || c == "handed_over" || c == "already_cancelled"),
        "{tally:?}"
    );
    assert_eq!(
        (
            balance(&app, &resident).await,
            stock(&app, &staff, BAG).await
        ),
        (DEMO_POINTS, 20),
        "given back exactly once"
    );
    assert_eq!(ledger(&app, "cancel_redeem"), 1);

    // The same race before hand-over, between the redeemer and staff.
    let seq = redeemed(&app, &resident, BAG).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let token = [&staff, &resident][i % 2].clone();
        let path = format!("/api/v1/volunteer/redemptions/{seq}/cancel");
        tasks.spawn(
            async move { wire::call(addr, "POST", &path, &token, Some("null".into())).await },
        );
    }
    let replies = tasks.join_all().await;
    assert_eq!(replies.iter().filter(|(s, _)| *s == 200).count(), 1);
    assert!(
        replies
            .iter()
            .all(|(s, b)| *s == 200 || b["error"]["code"] == "already_cancelled")
    );
    assert_eq!(
        (
            balance(&app, &resident).await,
            stock(&app, &staff, BAG).await
        ),
        (DEMO_POINTS, 20)
    );
    assert_eq!(ledger(&app, "cancel_redeem"), 2);
}

#[tokio::test]
async fn staff_do_not_hand_over_or_take_back_their_own_redemption() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let me = person_id(&app, &staff).await;
    let (_, other_staff) = colleague(&app);
    // Staff earn points like anyone (verified by a colleague), then redeem.
    let id = planned(&app, &other_staff, json!({"kind": "fixed", "points": 100})).await;
    attend(&app, &other_staff, &staff, &id, true).await;
    assert_eq!(
        verify_time(&app, &other_staff, &id, me, 60).await.status,
        StatusCode::OK
    );
    let seq = redeemed(&app, &staff, BAG).await;

    hand_over(&app, &staff, seq)
        .await
        .assert_error(StatusCode::CONFLICT, "own_redemption", None);
    assert_eq!(
        hand_over(&app, &other_staff, seq).await.status,
        StatusCode::OK
    );
    // Holding the bag, they cannot get the points back themselves.
    cancel(&app, &staff, seq)
        .await
        .assert_error(StatusCode::CONFLICT, "own_redemption", None);
    assert_eq!(balance(&app, &staff).await, 50);
    assert_eq!(cancel(&app, &other_staff, seq).await.status, StatusCode::OK);
    assert_eq!(balance(&app, &staff).await, 100);
}

#[tokio::test]
async fn residents_see_only_their_own_redemptions_and_staff_see_the_counter() {
    let app = spawn_app().await;
    let staff = app.sign_in(STAFF).await;
    let resident = app.sign_in(RESIDENT).await;
    let neighbour = app.sign_in(VOLUNTEER).await;
    let first = redeemed(&app, &resident, BAG).await;
    assert_eq!(hand_over(&app, &staff, first).await.status, StatusCode::OK);
    // 张明 has 10 points left: a second bag is refused, so top him up through a colleague.
    let second = {
        let me = person_id(&app, &resident).await;
        let id = planned(&app, &staff, json!({"kind": "fixed", "points": 50})).await;
        attend(&app, &staff, &resident, &id, true).await;
        assert_eq!(
            verify_time(&app, &staff, &id, me, 60).await.status,
            StatusCode::OK
        );
        redeemed(&app, &resident, BAG).await
    };

    let list = |token: String, query: &'static str| {
        let app = &app;
        async move {
            let reply = app
                .get(
                    &format!("/api/v1/volunteer/redemptions{query}"),
                    Some(&token),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            reply
                .body
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["seq"].as_u64().unwrap(),
                        r["state"].as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let waiting = || "waiting".to_owned();
    let handed = || "handed_over".to_owned();
    assert_eq!(
        list(staff.clone(), "?state=waiting").await,
        [(second, waiting())]
    );
    assert_eq!(
        list(staff.clone(), "").await,
        [(second, waiting()), (first, handed())]
    );
    assert_eq!(
        list(resident.clone(), "").await,
        [(second, waiting()), (first, handed())]
    );
    assert_eq!(
        list(resident.clone(), "?state=handed_over").await,
        [(first, handed())]
    );
    assert_eq!(
        list(neighbour.clone(), "").await,
        [],
        "not the neighbour's to see"
    );
    assert_eq!(list(neighbour.clone(), "?state=waiting").await, []);

    let refused = [
        ("?state=lost", StatusCode::UNPROCESSABLE_ENTITY),
        ("?colour=red", StatusCode::BAD_REQUEST),
    ];
    get_each(&app, &staff, "/api/v1/volunteer/redemptions", &refused).await;
    app.get("/api/v1/volunteer/redemptions", None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    // Not a redemption, or not there at all.
    hand_over(&app, &staff, 0)
        .await
        .assert_error(StatusCode::CONFLICT, "not_a_redemption", None);
    hand_over(&app, &staff, 99_999)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found", None);
}
