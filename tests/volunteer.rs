//! The in-browser (`local`) volunteering backend in a real browser: the seeded demo, the whole
//! loop from sign-up to points, the mall's stock and balance moving together, refusals in the
//! core's words, and the separation of duties (nobody verifies themselves; hand-over at the
//! counter, after which only staff cancel).

use citizen_cloud::backend::volunteer::{VolunteerBackend, VolunteerError};
use citizen_cloud::browser::clock::unix_now;
use citizen_cloud::state::acting::DemoPerson;
use citizen_cloud::storage::{self, Key};
use citizen_core::config::AppConfig;
use citizen_core::timebank::ServiceStart;
use citizen_core::volunteer::{
    ActivityDraft, ActivityPhase, ActivityPlace, ActivityTitle, AwardRule, CheckInSecret, ItemName,
    NewMallItem, Points, PointsLineKind, RedemptionState, Refusal, RestockQuantity, Slots,
    VerifiedMinutes, code_at, time_step,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{A, B, STAFF, local_storage};

/// A fresh demo: nothing stored, so the next call seeds.
fn fresh() -> VolunteerBackend {
    storage::remove_cached(Key::LocalVolunteer);
    let backend = VolunteerBackend::from_config(&AppConfig::default()).unwrap();
    assert!(backend.is_local());
    backend
}

/// The activity's secret as this browser stores it.
fn stored_secret(id: &str) -> CheckInSecret {
    let raw = local_storage()
        .get_item(Key::LocalVolunteer.name())
        .unwrap()
        .expect("the demo is stored");
    let stored: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let activity = stored["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["activity"]["id"] == id)
        .expect("the activity is stored");
    CheckInSecret::parse_hex(activity["secret"].as_str().unwrap()).unwrap()
}

/// The activity running now, from the seed.
async fn running(backend: VolunteerBackend) -> String {
    backend
        .activities(A)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.phase == ActivityPhase::CheckInOpen)
        .expect("one activity runs now")
        .id
}

fn refusal<T: std::fmt::Debug>(result: Result<T, VolunteerError>) -> Refusal {
    match result {
        Err(VolunteerError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn the_demo_is_seeded_relative_to_now() {
    let backend = fresh();
    let activities = backend.activities(A).await.unwrap();
    let phases: Vec<_> = activities.iter().map(|a| a.phase).collect();
    assert_eq!(
        phases,
        [
            ActivityPhase::CheckInOpen,
            ActivityPhase::Upcoming,
            ActivityPhase::Ended
        ]
    );
    // A was verified for 2 hours at the ended activity.
    let ended = &activities[2];
    assert_eq!(ended.mine.as_ref().unwrap().verified_minutes, Some(120));
    let account = backend.points(A).await.unwrap();
    assert_eq!(account.balance, 100);
    assert_eq!(account.verified_minutes, 120);
    assert_eq!(account.stars.stars(), 0);
    assert_eq!(account.next_star_hours, Some(100));
    assert_eq!(account.history.len(), 1);
    assert_eq!(account.history[0].kind, PointsLineKind::Award);
    assert_eq!(account.history[0].what, ended.title);

    let mall = backend.mall(A).await.unwrap();
    let stock: Vec<_> = mall.iter().map(|i| (i.price.get(), i.stock)).collect();
    assert_eq!(stock, [(50, 20), (300, 5), (800, 1)]);

    // This month's leaderboard: A first, marked as the viewer, names masked.
    let board = backend.leaderboard(A, None).await.unwrap();
    let rows: Vec<_> = board
        .rows
        .iter()
        .map(|r| (r.rank, r.name.as_str(), r.points, r.me))
        .collect();
    assert_eq!(rows, [(1, "张*", 100, true), (2, "王*", 75, false)]);
}

#[wasm_bindgen_test]
async fn sign_up_check_in_check_out_verify_and_points() {
    let backend = fresh();
    let id = running(backend).await;
    let before = backend.activity(A, &id).await.unwrap();
    let signed = backend.sign_up(A, &id).await.unwrap();
    assert_eq!(signed.slots_left, before.slots_left - 1);
    assert_eq!(
        refusal(backend.sign_up(A, &id).await),
        Refusal::AlreadySignedUp
    );

    // The check-in display is for staff; its code is the one derived from the stored secret.
    assert_eq!(
        backend.check_in_code(A, &id).await.unwrap_err(),
        VolunteerError::Forbidden
    );
    let display = backend.check_in_code(STAFF, &id).await.unwrap();
    let now = unix_now();
    let secret = stored_secret(&id);
    let mut shown = vec![code_at(&secret, now).to_string()];
    if time_step(now) != time_step(unix_now()) {
        shown.push(code_at(&secret, unix_now()).to_string());
    }
    assert!(shown.contains(&display.code), "{shown:?} {}", display.code);
    assert!((1..=30).contains(&display.secs_left));

    let code = code_at(&secret, unix_now()).to_string();
    let checked = backend.check_in(A, &id, &code).await.unwrap();
    assert!(checked.mine.as_ref().unwrap().checked_in_at.is_some());
    assert_eq!(
        refusal(backend.cancel_sign_up(A, &id).await),
        Refusal::AlreadyCheckedIn
    );
    let out = backend.check_out(A, &id).await.unwrap();
    assert!(out.mine.as_ref().unwrap().checked_out_at.is_some());
    assert_eq!(
        refusal(backend.check_out(A, &id).await),
        Refusal::AlreadyCheckedOut
    );

    // Staff see A checked out, verify 90 minutes: 30 points an hour is 45.
    let person = DemoPerson::ResidentA.member_id();
    let attendees = backend.attendees(STAFF, &id).await.unwrap();
    let a = attendees
        .iter()
        .find(|x| x.person.id.get() == person)
        .unwrap();
    assert_eq!(a.suggested_minutes, Some(0));
    let minutes = VerifiedMinutes::new(90).unwrap();
    assert_eq!(
        backend.verify(A, &id, person, minutes).await.unwrap_err(),
        VolunteerError::Forbidden
    );
    let verified = backend.verify(STAFF, &id, person, minutes).await.unwrap();
    assert_eq!(verified.points, Some(45));
    assert_eq!(
        refusal(backend.verify(STAFF, &id, person, minutes).await),
        Refusal::AlreadyVerified
    );
    // B signed up but never checked in: nothing to verify.
    assert_eq!(
        refusal(
            backend
                .verify(STAFF, &id, DemoPerson::ResidentB.member_id(), minutes)
                .await
        ),
        Refusal::NotCheckedIn
    );

    let account = backend.points(A).await.unwrap();
    assert_eq!(account.balance, 145);
    assert_eq!(account.verified_minutes, 210);
    assert_eq!(account.history[0].delta, 45);
    assert_eq!(account.history[0].balance, 145);
    let mine = backend.activity(A, &id).await.unwrap().mine.unwrap();
    assert_eq!((mine.verified_minutes, mine.points), (Some(90), Some(45)));
}

#[wasm_bindgen_test]
async fn cancelling_a_sign_up_gives_the_slot_back() {
    let backend = fresh();
    let id = running(backend).await;
    let before = backend.activity(A, &id).await.unwrap().slots_left;
    backend.sign_up(A, &id).await.unwrap();
    let after = backend.cancel_sign_up(A, &id).await.unwrap();
    assert_eq!(after.slots_left, before);
    assert!(after.mine.is_none());
    assert_eq!(
        refusal(backend.cancel_sign_up(A, &id).await),
        Refusal::NotSignedUp
    );
}

#[wasm_bindgen_test]
async fn an_old_code_is_refused_as_expired_and_a_bad_one_as_malformed() {
    let backend = fresh();
    let id = running(backend).await;
    assert_eq!(
        refusal(backend.check_in(A, &id, "123456").await),
        Refusal::NotSignedUp
    );
    backend.sign_up(A, &id).await.unwrap();
    let secret = stored_secret(&id);
    let now = unix_now();
    // A code read 70 seconds ago: two steps old at least. (Skip the one-in-a-million draw where
    // that old code equals a live one.)
    let old = code_at(&secret, now - 70).to_string();
    let live = [
        code_at(&secret, now).to_string(),
        code_at(&secret, now - 30).to_string(),
        code_at(&secret, now + 30).to_string(),
    ];
    if !live.contains(&old) {
        assert_eq!(
            refusal(backend.check_in(A, &id, &old).await),
            Refusal::CodeExpired
        );
    }
    assert_eq!(
        refusal(backend.check_in(A, &id, "12345").await),
        Refusal::CodeMalformed
    );
    // Still not checked in: the sign-up can be cancelled.
    assert!(
        backend
            .activity(A, &id)
            .await
            .unwrap()
            .mine
            .unwrap()
            .checked_in_at
            .is_none()
    );
    // Check-in is not open for tomorrow's activity, whatever the code.
    let tomorrow = backend
        .activities(A)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.phase == ActivityPhase::Upcoming)
        .unwrap()
        .id;
    backend.sign_up(A, &tomorrow).await.unwrap();
    let code = code_at(&stored_secret(&tomorrow), unix_now()).to_string();
    assert_eq!(
        refusal(backend.check_in(A, &tomorrow, &code).await),
        Refusal::CheckInNotOpen
    );
}

#[wasm_bindgen_test]
async fn redeeming_and_cancelling_move_stock_and_balance_together() {
    let backend = fresh();
    let bag = backend.mall(A).await.unwrap()[0].clone();
    let redeemed = backend.redeem(A, &bag.id).await.unwrap();
    assert_eq!(redeemed.item.stock, bag.stock - 1);
    assert_eq!(redeemed.balance, 100 - u64::from(bag.price.get()));
    assert!(!redeemed.cancelled);
    let account = backend.points(A).await.unwrap();
    assert_eq!(account.history[0].kind, PointsLineKind::Redeem);
    assert_eq!(account.history[0].seq, redeemed.seq);
    assert_eq!(account.history[0].what, bag.name);

    // Nobody else may cancel it (staff may).
    assert_eq!(
        backend
            .cancel_redemption(B, redeemed.seq)
            .await
            .unwrap_err(),
        VolunteerError::Forbidden
    );
    let cancelled = backend.cancel_redemption(A, redeemed.seq).await.unwrap();
    assert!(cancelled.cancelled);
    assert_eq!(cancelled.item.stock, bag.stock);
    assert_eq!(cancelled.balance, 100);
    assert_eq!(
        refusal(backend.cancel_redemption(A, redeemed.seq).await),
        Refusal::AlreadyCancelled
    );
    let account = backend.points(A).await.unwrap();
    assert!(
        account
            .history
            .iter()
            .any(|l| l.seq == redeemed.seq && l.cancelled)
    );
    assert_eq!(account.balance, 100);

    // Not enough points for the cinema ticket; nothing moves.
    let ticket = backend.mall(A).await.unwrap()[1].clone();
    assert_eq!(
        refusal(backend.redeem(A, &ticket.id).await),
        Refusal::NotEnoughPoints
    );
    assert_eq!(backend.mall(A).await.unwrap()[1].stock, ticket.stock);
    assert_eq!(backend.points(A).await.unwrap().balance, 100);
}

#[wasm_bindgen_test]
async fn staff_stock_the_mall_and_the_last_item_goes_once() {
    let backend = fresh();
    let new = NewMallItem {
        name: ItemName::parse("社区理发券").unwrap(),
        details: None,
        price: Points::new(10).unwrap(),
        stock: RestockQuantity::new(1).unwrap(),
    };
    assert_eq!(
        backend.add_item(A, &new).await.unwrap_err(),
        VolunteerError::Forbidden
    );
    let item = backend.add_item(STAFF, &new).await.unwrap();
    assert_eq!(item.stock, 1);
    backend.redeem(A, &item.id).await.unwrap();
    assert_eq!(
        refusal(backend.redeem(B, &item.id).await),
        Refusal::OutOfStock
    );
    let restocked = backend
        .restock(STAFF, &item.id, RestockQuantity::new(3).unwrap())
        .await
        .unwrap();
    assert_eq!(restocked.stock, 3);
    assert_eq!(
        backend.redeem(A, "no-such-item").await.unwrap_err(),
        VolunteerError::NotFound
    );
}

/// `who` signs up for `id`, checks in with the code of the moment, and (when `out`) checks out.
async fn attend(backend: VolunteerBackend, who: &str, id: &str, out: bool) {
    backend.sign_up(who, id).await.unwrap();
    let code = code_at(&stored_secret(id), unix_now()).to_string();
    backend.check_in(who, id, &code).await.unwrap();
    if out {
        backend.check_out(who, id).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn nobody_verifies_themselves_nor_zero_minutes_and_fixed_awards_need_a_check_out() {
    let backend = fresh();
    let id = running(backend).await;
    let minutes = VerifiedMinutes::new(60).unwrap();
    // Staff took part: they cannot verify their own time.
    attend(backend, STAFF, &id, true).await;
    let staff = DemoPerson::Staff.member_id();
    assert_eq!(
        refusal(backend.verify(STAFF, &id, staff, minutes).await),
        Refusal::OwnAttendance
    );
    // 0 minutes is no verification.
    attend(backend, A, &id, true).await;
    let a = DemoPerson::ResidentA.member_id();
    assert_eq!(
        refusal(
            backend
                .verify(STAFF, &id, a, VerifiedMinutes::new(0).unwrap())
                .await
        ),
        Refusal::ZeroMinutes
    );
    let attendees = backend.attendees(STAFF, &id).await.unwrap();
    assert!(attendees.iter().all(|x| x.verified_minutes.is_none()));
    assert_eq!(backend.points(A).await.unwrap().balance, 100);
    assert_eq!(backend.points(STAFF).await.unwrap().balance, 0);

    // A fixed award, planned by staff now: B checked in but not out.
    let now = unix_now();
    let draft = ActivityDraft {
        title: ActivityTitle::parse("社区义诊").unwrap(),
        place: ActivityPlace::parse("党群服务中心").unwrap(),
        details: None,
        start: ServiceStart::Unix(now),
        end: ServiceStart::Unix(now + 7200),
        slots: Slots::new(5).unwrap(),
        award: AwardRule::Fixed {
            points: Points::new(40).unwrap(),
        },
    };
    let fixed = backend.create_activity(STAFF, &draft).await.unwrap().id;
    attend(backend, B, &fixed, false).await;
    let b = DemoPerson::ResidentB.member_id();
    assert_eq!(
        refusal(backend.verify(STAFF, &fixed, b, minutes).await),
        Refusal::NotCheckedOut
    );
    // The planner attended their own activity: still not theirs to verify.
    attend(backend, STAFF, &fixed, true).await;
    assert_eq!(
        refusal(backend.verify(STAFF, &fixed, staff, minutes).await),
        Refusal::OwnAttendance
    );
    backend.check_out(B, &fixed).await.unwrap();
    let verified = backend.verify(STAFF, &fixed, b, minutes).await.unwrap();
    assert_eq!(verified.points, Some(40));
}

#[wasm_bindgen_test]
async fn after_hand_over_only_staff_cancel_and_the_points_come_back_once() {
    let backend = fresh();
    let bag = backend.mall(A).await.unwrap()[0].clone();
    let seq = backend.redeem(A, &bag.id).await.unwrap().seq;
    let mine = backend.redemptions(A, None).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].seq, mine[0].state),
        (seq, RedemptionState::Waiting)
    );
    assert_eq!(mine[0].name, bag.name);
    assert!(
        backend.redemptions(B, None).await.unwrap().is_empty(),
        "only one's own"
    );

    // Only staff mark a hand-over, once.
    assert_eq!(
        backend.hand_over(A, seq).await.unwrap_err(),
        VolunteerError::Forbidden
    );
    let handed = backend.hand_over(STAFF, seq).await.unwrap();
    assert_eq!(handed.state, RedemptionState::HandedOver);
    assert!(handed.handed_over_at.is_some());
    assert_eq!(
        refusal(backend.hand_over(STAFF, seq).await),
        Refusal::AlreadyHandedOver
    );
    let waiting = backend
        .redemptions(STAFF, Some(RedemptionState::Waiting))
        .await
        .unwrap();
    assert!(waiting.is_empty());

    // The redeemer holds the item: no cancel; staff can, once.
    assert_eq!(
        refusal(backend.cancel_redemption(A, seq).await),
        Refusal::HandedOver
    );
    let account = backend.points(A).await.unwrap();
    assert!(account.history[0].handed_over && !account.history[0].cancelled);
    assert_eq!(account.balance, 100 - u64::from(bag.price.get()));
    let cancelled = backend.cancel_redemption(STAFF, seq).await.unwrap();
    assert_eq!(cancelled.state, RedemptionState::Cancelled);
    assert_eq!((cancelled.balance, cancelled.item.stock), (100, bag.stock));
    assert_eq!(
        refusal(backend.cancel_redemption(STAFF, seq).await),
        Refusal::AlreadyCancelled
    );
    assert_eq!(backend.points(A).await.unwrap().balance, 100);
    assert_eq!(backend.mall(A).await.unwrap()[0].stock, bag.stock);
}
