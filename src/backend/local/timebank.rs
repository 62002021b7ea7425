//! The in-browser time bank, for static hosting and demos: the core's `TimeBank` kept in
//! localStorage, so every rule (double entry; credit once on confirmation, by the demo staff
//! identity when the pool pays and by the recipient when their hours pay; starts within 30 days;
//! the monthly cap on pool-paid minutes, at its default; gifts to family only; never below zero)
//! is the one the server applies. The demo identities act; residents A and B are linked as
//! family from the start, so gifts can be tried. The provider sees the recipient's name masked
//! until the recipient confirms, as on the server.

use super::DemoPerson;
use super::demo::member;
use crate::backend::error::ApiFailure;
use crate::backend::timebank::TimebankError;
use crate::browser::clock::unix_now as now;
use crate::storage::{self, Key};
use citizen_core::ids::MemberId;
use citizen_core::requests::{Actor, ActorRole};
use citizen_core::timebank::{
    AccountId, ConfirmReply, LogService, NewGift, NewServiceRecord, PoolCap, PoolReport,
    RecordView, ServiceNote, ServiceRecord, StatementEntry, StatementPage, TimeBank,
    TimeBankAccount,
};
use std::rc::Rc;

#[derive(Debug, Clone, Copy)]
pub struct LocalTimebank;

/// The demo's bank before anything is stored: residents A and B linked as family.
fn first_bank() -> TimeBank {
    let mut bank = TimeBank::new();
    let _ = bank.link_family(
        DemoPerson::ResidentA.member(),
        DemoPerson::ResidentB.member(),
    );
    bank
}

/// The bank, for reading: shared with the storage cache, not copied (a 10,000-transfer bank is
/// about 2 ms to copy).
fn read<R>(f: impl FnOnce(&TimeBank) -> R) -> R {
    let stored: Rc<Option<TimeBank>> = storage::load_cached(Key::LocalTimebank);
    match stored.as_ref() {
        Some(bank) => f(bank),
        None => f(&first_bank()),
    }
}

/// The bank, to change: a copy, saved back by [`save`] when the change is allowed.
fn load() -> TimeBank {
    let stored: Rc<Option<TimeBank>> = storage::load_cached(Key::LocalTimebank);
    Option::clone(&stored).unwrap_or_else(first_bank)
}

fn save(bank: &TimeBank) -> Result<(), TimebankError> {
    storage::save_cached(Key::LocalTimebank, &Some(bank.clone()))
        .map_err(|e| TimebankError::Api(ApiFailure::Storage(e.to_string())))
}

/// A record as the demo identity `viewer` may see it.
fn view(record: &ServiceRecord, viewer: DemoPerson) -> RecordView {
    RecordView::seen_by(record, viewer.member(), &member)
}

fn who(token: &str) -> Result<DemoPerson, TimebankError> {
    DemoPerson::from_token(token).map_err(TimebankError::Api)
}

fn actor(person: DemoPerson) -> Actor {
    Actor {
        id: person.member(),
        role: if person == DemoPerson::Staff {
            ActorRole::Staff
        } else {
            ActorRole::Resident
        },
    }
}

impl LocalTimebank {
    pub async fn account(self, token: &str) -> Result<TimeBankAccount, TimebankError> {
        let me = who(token)?;
        Ok(read(|bank| {
            let mine = |f: fn(&ServiceRecord) -> MemberId| {
                bank.pending()
                    .filter(|r| f(r) == me.member())
                    .map(|r| view(r, me))
                    .collect::<Vec<_>>()
            };
            TimeBankAccount {
                member: member(me.member()),
                balance: bank.member_balance(me.member()).get(),
                pending_given: mine(|r| r.provider),
                pending_received: mine(|r| r.recipient),
                family: bank.family_of(me.member()).map(member).collect(),
            }
        }))
    }

    pub async fn log(self, token: &str, new: &LogService) -> Result<RecordView, TimebankError> {
        let me = who(token)?;
        let recipient = DemoPerson::ALL
            .into_iter()
            .find(|p| p.mobile() == new.recipient.as_str())
            .ok_or_else(|| TimebankError::Field("recipient".into()))?;
        let start = new
            .start
            .timestamp()
            .map(|t| t.unix_secs())
            .ok_or_else(|| TimebankError::Field("start".into()))?;
        let mut bank = load();
        let record = bank
            .log_service(
                NewServiceRecord {
                    provider: me.member(),
                    recipient: recipient.member(),
                    service: new.service,
                    start,
                    duration: new.duration,
                    note: new.note.clone(),
                    payer: new.payer,
                },
                now(),
                PoolCap::default(),
            )
            .map(|r| view(r, me))?;
        save(&bank)?;
        Ok(record)
    }

    pub async fn confirm(self, token: &str, record: u64) -> Result<ConfirmReply, TimebankError> {
        let me = who(token)?;
        let mut bank = load();
        let confirmation = bank.confirm(record, &actor(me), now(), PoolCap::default())?;
        save(&bank)?;
        let view = bank
            .record(record)
            .map(|r| view(r, me))
            .ok_or(TimebankError::NotFound)?;
        Ok(ConfirmReply::new(confirmation, view))
    }

    pub async fn reject(
        self,
        token: &str,
        record: u64,
        reason: ServiceNote,
    ) -> Result<RecordView, TimebankError> {
        let me = who(token)?;
        let mut bank = load();
        bank.reject(record, &actor(me), Some(reason), now())?;
        save(&bank)?;
        bank.record(record)
            .map(|r| view(r, me))
            .ok_or(TimebankError::NotFound)
    }

    pub async fn gift(self, token: &str, gift: &NewGift) -> Result<(), TimebankError> {
        let me = who(token)?;
        let to = DemoPerson::ALL
            .into_iter()
            .find(|p| p.member_id() == gift.to.get())
            .ok_or_else(|| TimebankError::Field("to".into()))?;
        let mut bank = load();
        bank.gift(me.member(), to.member(), gift.minutes, now())?;
        save(&bank)
    }

    /// The pool and the bank's totals, for the demo staff identity only (as the server refuses
    /// anyone else).
    pub async fn pool(self, token: &str) -> Result<PoolReport, TimebankError> {
        if who(token)? != DemoPerson::Staff {
            return Err(TimebankError::Refused("staff only".into()));
        }
        Ok(read(|bank| PoolReport::new(bank, &member)))
    }

    /// My statement, newest first, `limit` lines older than transfer `before`.
    pub async fn statement(
        self,
        token: &str,
        before: Option<u64>,
        limit: usize,
    ) -> Result<StatementPage, TimebankError> {
        let me = who(token)?;
        Ok(read(|bank| {
            let account = AccountId::member(me.member());
            let page = bank.statement_page(&account, before, limit);
            StatementPage {
                balance: bank.balance(&account),
                lines: page
                    .lines
                    .iter()
                    .map(|l| StatementEntry::new(l, &member))
                    .collect(),
                next_before: page.next_before,
            }
        }))
    }
}
