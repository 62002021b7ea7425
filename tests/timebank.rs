//! The in-browser (`local`) time bank in a real browser applies the core's rules as the server
//! does: what the pool pays credits only on the demo staff member's approval, what the recipient
//! pays only on the recipient's word; a start from 1970 is refused; the provider sees the
//! recipient's name masked; and the refusals read as the same typed codes the server sends.

use citizen_cloud::backend::error::Failure;
use citizen_cloud::backend::timebank::{TimebankBackend, TimebankError};
use citizen_cloud::browser::clock::unix_now;
use citizen_cloud::i18n::Msg;
use citizen_cloud::state::acting::DemoPerson;
use citizen_cloud::storage::{self, Key};
use citizen_core::Lang;
use citizen_core::config::AppConfig;
use citizen_core::phone::MobileNumber;
use citizen_core::timebank::{
    LogService, Payer, Refusal, ServiceDuration, ServiceStart, ServiceType,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{A, B, STAFF, local_storage};

/// A fresh demo bank: nothing stored.
fn fresh() -> TimebankBackend {
    storage::remove_cached(Key::LocalTimebank);
    assert_eq!(
        local_storage().get_item(Key::LocalTimebank.name()),
        Ok(None)
    );
    TimebankBackend::from_config(&AppConfig::default()).expect("a local time bank")
}

/// The stamp this browser keeps beside the stored bank.
fn stamp() -> Option<String> {
    local_storage()
        .get_item(&format!("{}.stamp", Key::LocalTimebank.name()))
        .unwrap()
}

fn service(recipient: &str, start: i64, minutes: u32, payer: Payer) -> LogService {
    LogService {
        recipient: MobileNumber::parse(recipient).unwrap(),
        service: ServiceType::ElderCare,
        start: ServiceStart::Unix(start),
        duration: ServiceDuration::new(minutes).unwrap(),
        note: None,
        payer,
    }
}

fn typed(refusal: Refusal) -> TimebankError {
    TimebankError::Typed {
        refusal,
        remaining_minutes: None,
    }
}

#[wasm_bindgen_test]
async fn the_pool_pays_on_staff_approval_and_the_recipient_pays_on_their_own_word() {
    let bank = fresh();
    let now = unix_now();

    // From 1970: refused with the typed reason, nothing logged.
    let old = bank
        .log(
            A,
            &service(DemoPerson::ResidentB.mobile(), 0, 480, Payer::Pool),
        )
        .await;
    assert_eq!(old.unwrap_err(), typed(Refusal::StartTooOld));
    assert!(bank.account(A).await.unwrap().pending_given.is_empty());

    // A pool-paid service: B sees it but cannot confirm it; the provider sees B masked.
    let record = bank
        .log(
            A,
            &service(
                DemoPerson::ResidentB.mobile(),
                now - 3 * 3600,
                90,
                Payer::Pool,
            ),
        )
        .await
        .unwrap();
    assert!(
        record.recipient.name.ends_with('*'),
        "{}",
        record.recipient.name
    );
    assert!(!record.recipient.name.contains("王芳"));
    let refused = bank.confirm(B, record.id).await.unwrap_err();
    assert_eq!(refused, typed(Refusal::StaffApproves));
    assert_eq!(
        refused.message(),
        Msg::TimebankStaffApproves,
        "worded, not a generic refusal"
    );
    assert_eq!(bank.account(A).await.unwrap().balance, 0);

    // The demo staff member approves it: A is paid once.
    bank.confirm(STAFF, record.id).await.unwrap();
    bank.confirm(STAFF, record.id).await.unwrap();
    assert_eq!(bank.account(A).await.unwrap().balance, 90);
    assert_eq!(bank.pool(STAFF).await.unwrap().pool_balance, -90);

    // B helps A, paid from A's hours: staff cannot confirm it for A, A can.
    let paid = bank
        .log(
            B,
            &service(
                DemoPerson::ResidentA.mobile(),
                now - 2 * 3600,
                30,
                Payer::Recipient,
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        bank.confirm(STAFF, paid.id).await.unwrap_err(),
        typed(Refusal::RecipientConfirms)
    );
    bank.confirm(A, paid.id).await.unwrap();
    assert_eq!(bank.account(A).await.unwrap().balance, 60);
    assert_eq!(bank.account(B).await.unwrap().balance, 30);
    let report = bank.pool(STAFF).await.unwrap();
    assert_eq!(report.sum_of_accounts, 0);
}

#[wasm_bindgen_test]
async fn the_monthly_pool_cap_says_how_many_minutes_are_left() {
    let bank = fresh();
    let now = unix_now();
    // Eight-hour services on the eleven days before today fall in at most two months, so six
    // of them in one: at most 40 hours (five services) a month are paid by the pool, so the
    // sixth is refused. Find it, and read its refusal.
    let mut refusal = None;
    for day in 1..=11 {
        let start = now - day * 86_400;
        match bank
            .log(
                A,
                &service(DemoPerson::ResidentB.mobile(), start, 480, Payer::Pool),
            )
            .await
        {
            Ok(_) => {}
            Err(e) => {
                refusal = Some(e);
                break;
            }
        }
    }
    let refusal = refusal.expect("the cap is reached within eleven days");
    assert_eq!(
        refusal,
        TimebankError::Typed {
            refusal: Refusal::PoolCapReached,
            remaining_minutes: Some(0),
        }
    );
    let text = refusal.text(Lang::En);
    assert!(text.contains("0 min more"), "{text}");
    assert!(refusal.text(Lang::ZhCn).contains("0 分"));
}

/// The page keeps the bank it read, and reads it again when another tab wrote it (a new stamp
/// beside the text) or when the text was put there without one (as a seed does).
#[wasm_bindgen_test]
async fn another_tabs_write_is_seen() {
    let bank = fresh();
    let now = unix_now();
    let log = |start: i64| service(DemoPerson::ResidentB.mobile(), start, 60, Payer::Pool);
    bank.log(A, &log(now - 3 * 3600)).await.unwrap();
    let one = local_storage()
        .get_item(Key::LocalTimebank.name())
        .unwrap()
        .unwrap();
    let first_stamp = stamp().expect("a write leaves a stamp");
    bank.log(A, &log(now - 6 * 3600)).await.unwrap();
    assert_ne!(stamp(), Some(first_stamp), "every write a new stamp");
    assert_eq!(bank.account(A).await.unwrap().pending_given.len(), 2);

    // Another tab writes the bank with one record, and its own stamp: seen.
    local_storage()
        .set_item(Key::LocalTimebank.name(), &one)
        .unwrap();
    local_storage()
        .set_item(
            &format!("{}.stamp", Key::LocalTimebank.name()),
            "another-tab",
        )
        .unwrap();
    assert_eq!(bank.account(A).await.unwrap().pending_given.len(), 1);

    // A seed without a stamp: read, and given a stamp.
    storage::remove_cached(Key::LocalTimebank);
    assert_eq!(bank.account(A).await.unwrap().pending_given.len(), 0);
    local_storage()
        .set_item(Key::LocalTimebank.name(), &one)
        .unwrap();
    assert_eq!(stamp(), None);
    assert_eq!(bank.account(A).await.unwrap().pending_given.len(), 1);
    let given = stamp().expect("a stamp given on reading");
    assert_ne!(given, "another-tab");
    assert_eq!(bank.statement(A, None, 100).await.unwrap().lines.len(), 0);

    // Paid twice: the statement a page at a time, newest first, each line with its balance.
    let second = bank.log(A, &log(now - 6 * 3600)).await.unwrap();
    bank.confirm(STAFF, 0).await.unwrap();
    bank.confirm(STAFF, second.id).await.unwrap();
    let newest = bank.statement(A, None, 1).await.unwrap();
    assert_eq!(newest.balance, 120);
    assert_eq!(
        newest
            .lines
            .iter()
            .map(|l| (l.delta, l.balance))
            .collect::<Vec<_>>(),
        [(60, 120)]
    );
    let older = bank.statement(A, newest.next_before, 1).await.unwrap();
    assert_eq!(
        older
            .lines
            .iter()
            .map(|l| (l.delta, l.balance))
            .collect::<Vec<_>>(),
        [(60, 60)]
    );
    assert_eq!(older.next_before, None);
}
