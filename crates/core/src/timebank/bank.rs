//! A community's time bank: double-entry accounts in minutes.
//!
//! Every movement is one [`Transfer`] between two accounts, which is two ledger entries: minus
//! the amount on one side, plus on the other. So the sum over all accounts is zero after every
//! transfer, by construction rather than by care. The community pool is the one account that may
//! go below zero: it pays for public-benefit service, and its debt is the community's
//! commitment. Members never go below zero: a transfer out of a member's account is refused when
//! the balance does not cover it.
//!
//! Service records credit only on confirmation: by staff when the community pool pays (staff who
//! neither gave nor received the service), by the recipient when the recipient's own hours pay;
//! so no two residents can mint hours between them. Confirming twice credits once; a rejected
//! record never credits. A record starts within the last 30 days, and the pool pays for at most
//! a capped number of a member's minutes a month. Gifts go to a linked family member, up to the
//! giver's balance.

use super::minutes::Minutes;
use super::rules::{PoolCap, check_start, china_month};
use super::service::{NewServiceRecord, Payer, RecordState, ServiceNote, ServiceRecord};
use crate::ids::MemberId;
use crate::requests::{Actor, ActorRole};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// An account: a member's, or the community pool.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AccountId {
    Pool,
    Member(#[cfg_attr(feature = "openapi", schema(inline))] MemberId),
}

impl AccountId {
    pub fn member(id: MemberId) -> AccountId {
        AccountId::Member(id)
    }
}

/// Why minutes moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TransferReason {
    /// Payment for the confirmed service record `record`.
    Service { record: u64 },
    /// A gift to a linked family member.
    Gift,
}

/// One movement between two accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transfer {
    /// Its position in the bank's transfers, from 0.
    pub id: u64,
    /// Unix seconds.
    pub at: i64,
    pub from: AccountId,
    pub to: AccountId,
    pub amount: Minutes,
    pub reason: TransferReason,
}

/// One side of a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub transfer: u64,
    pub account: AccountId,
    pub delta: i64,
}

impl Transfer {
    /// The transfer's two entries: they sum to zero.
    pub fn entries(&self) -> [LedgerEntry; 2] {
        [
            LedgerEntry {
                transfer: self.id,
                account: self.from.clone(),
                delta: -self.amount.signed(),
            },
            LedgerEntry {
                transfer: self.id,
                account: self.to.clone(),
                delta: self.amount.signed(),
            },
        ]
    }
}

/// One line of an account's statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementLine {
    pub transfer: u64,
    pub at: i64,
    /// The account on the other side.
    pub counterparty: AccountId,
    pub reason: TransferReason,
    /// Plus for minutes in, minus for minutes out.
    pub delta: i64,
    /// The balance after this line.
    pub balance: i64,
}

/// A page of an account's statement, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLines {
    pub lines: Vec<StatementLine>,
    /// The oldest line's transfer, to pass as `before` for the next, older page; `None` on the
    /// last page.
    pub next_before: Option<u64>,
}

/// An account's place in one transfer: which, and its balance after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    transfer: u64,
    balance: i64,
}

/// What a confirmation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    /// The provider was credited by this transfer, now.
    Credited { transfer: u64 },
    /// Confirmed before, by this transfer: nothing more was credited.
    AlreadyConfirmed { transfer: u64 },
}

impl Confirmation {
    pub fn transfer(self) -> u64 {
        match self {
            Confirmation::Credited { transfer } | Confirmation::AlreadyConfirmed { transfer } => {
                transfer
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeBankError {
    #[error("an amount is at least one minute")]
    ZeroAmount,
    #[error("minutes cannot move from an account to itself")]
    SameAccount,
    #[error("not enough banked time: the balance is {balance} minutes, {needed} are needed")]
    NotEnough { balance: u64, needed: u64 },
    #[error("time can only be given to a linked family member")]
    NotLinked,
    #[error("a person cannot be linked to themself")]
    SelfLink,
    #[error("the provider and the recipient are different people")]
    ProviderIsRecipient,
    /// A record credits time given, not promised.
    #[error("a service is logged after it has ended")]
    NotFinished,
    #[error("a service is logged within 30 days of its start")]
    StartTooOld,
    #[error("a service cannot start in the future")]
    StartInFuture,
    #[error(
        "the community pool pays for at most {cap} minutes of a member's service a month; \
         {remaining} minutes remain in that month"
    )]
    PoolCapReached { cap: u64, remaining: u64 },
    #[error("a service the community pool pays is approved by staff, not by its recipient")]
    StaffApproves,
    #[error(
        "a service paid from the recipient's hours is confirmed by the recipient; staff may reject it"
    )]
    RecipientConfirms,
    #[error("there is no service record {0}")]
    NoSuchRecord(u64),
    #[error("only the recipient or staff may confirm or reject a service")]
    NotRecipientOrStaff,
    #[error("nobody approves a service record they gave or received")]
    OwnRecord,
    #[error("the service record was rejected")]
    AlreadyRejected,
    #[error("the service record was already confirmed")]
    AlreadyConfirmed,
}

/// Stored data that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeBankRestoreError {
    #[error("{what} {found} is out of order: expected {expected}")]
    OutOfOrder {
        what: &'static str,
        expected: u64,
        found: u64,
    },
    #[error("transfer {id}: {error}")]
    Transfer { id: u64, error: TimeBankError },
    #[error("service record {record}: {error}")]
    Record { record: u64, error: TimeBankError },
    #[error("service record {record} and its transfer do not match")]
    ServiceMismatch { record: u64 },
    #[error("{member} is linked to themself")]
    SelfLink { member: MemberId },
}

/// The bank as stored: transfers, records and family links. Balances are not stored; they are
/// sums over the transfers, rebuilt on reading.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TimeBankData {
    pub transfers: Vec<Transfer>,
    pub records: Vec<ServiceRecord>,
    /// Pairs of members, each pair once, the smaller id first.
    pub family_links: Vec<(MemberId, MemberId)>,
}

/// A community's time bank.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "TimeBankData", into = "TimeBankData")]
pub struct TimeBank {
    transfers: Vec<Transfer>,
    records: Vec<ServiceRecord>,
    family: BTreeSet<(MemberId, MemberId)>,
    /// Per account, the transfers it took part in, oldest first, with its balance after each:
    /// its balance is the last one, and a statement page is a slice, whatever the ledger's length.
    postings: BTreeMap<AccountId, Vec<Posting>>,
}

fn pair(a: MemberId, b: MemberId) -> (MemberId, MemberId) {
    if a <= b { (a, b) } else { (b, a) }
}

fn index(id: u64) -> usize {
    usize::try_from(id).unwrap_or(usize::MAX)
}

impl TimeBank {
    pub fn new() -> TimeBank {
        TimeBank::default()
    }

    /// The bank from stored data, every transfer replayed through the balance rules and every
    /// confirmed record matched with exactly one service transfer.
    pub fn restore(data: TimeBankData) -> Result<TimeBank, TimeBankRestoreError> {
        let mut bank = TimeBank::new();
        for (expected, record) in (0u64..).zip(&data.records) {
            if record.id != expected {
                return Err(TimeBankRestoreError::OutOfOrder {
                    what: "service record",
                    expected,
                    found: record.id,
                });
            }
            if record.provider == record.recipient {
                return Err(TimeBankRestoreError::Record {
                    record: record.id,
                    error: TimeBankError::ProviderIsRecipient,
                });
            }
        }
        for (a, b) in &data.family_links {
            if a == b {
                return Err(TimeBankRestoreError::SelfLink { member: *a });
            }
            bank.family.insert(pair(*a, *b));
        }
        for (expected, t) in (0u64..).zip(data.transfers) {
            if t.id != expected {
                return Err(TimeBankRestoreError::OutOfOrder {
                    what: "transfer",
                    expected,
                    found: t.id,
                });
            }
            bank.check_transfer(&t.from, &t.to, t.amount)
                .map_err(|error| TimeBankRestoreError::Transfer { id: t.id, error })?;
            if let TransferReason::Service { record } = t.reason {
                let r = data
                    .records
                    .get(index(record))
                    .ok_or(TimeBankRestoreError::ServiceMismatch { record })?;
                let matches = matches!(r.state, RecordState::Confirmed { transfer, .. } if transfer == t.id)
                    && t.amount == r.duration.minutes()
                    && t.to == AccountId::member(r.provider)
                    && t.from == payer_account(r);
                if !matches {
                    return Err(TimeBankRestoreError::ServiceMismatch { record });
                }
            }
            bank.commit_transfer(t.at, t.from, t.to, t.amount, t.reason);
        }
        for r in &data.records {
            if let RecordState::Confirmed { transfer, .. } = r.state {
                let paid = bank.transfers.get(index(transfer)).map(|t| t.reason);
                if paid != Some(TransferReason::Service { record: r.id }) {
                    return Err(TimeBankRestoreError::ServiceMismatch { record: r.id });
                }
            }
        }
        bank.records = data.records;
        Ok(bank)
    }

    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    pub fn records(&self) -> &[ServiceRecord] {
        &self.records
    }

    pub fn record(&self, id: u64) -> Option<&ServiceRecord> {
        self.records.get(index(id))
    }

    /// Records waiting for confirmation, for the staff's verification queue.
    pub fn pending(&self) -> impl Iterator<Item = &ServiceRecord> {
        self.records
            .iter()
            .filter(|r| r.state == RecordState::Pending)
    }

    /// Every ledger entry, two per transfer.
    pub fn entries(&self) -> impl Iterator<Item = LedgerEntry> + '_ {
        self.transfers.iter().flat_map(Transfer::entries)
    }

    /// An account's balance in minutes; only the pool's can be negative.
    pub fn balance(&self, account: &AccountId) -> i64 {
        self.postings.get(account).map_or(0, |p| last_balance(p))
    }

    pub fn member_balance(&self, member: MemberId) -> Minutes {
        Minutes::magnitude(self.balance(&AccountId::member(member)))
    }

    pub fn pool_balance(&self) -> i64 {
        self.balance(&AccountId::Pool)
    }

    /// Every account that has ever moved minutes, with its balance.
    pub fn balances(&self) -> impl Iterator<Item = (&AccountId, i64)> {
        self.postings.iter().map(|(a, p)| (a, last_balance(p)))
    }

    /// Links two members as family (staff check the relationship first), so they can give each
    /// other time.
    pub fn link_family(&mut self, a: MemberId, b: MemberId) -> Result<(), TimeBankError> {
        if a == b {
            return Err(TimeBankError::SelfLink);
        }
        self.family.insert(pair(a, b));
        Ok(())
    }

    /// Ends a link; gifts already given stay given. Whether there was a link.
    pub fn unlink_family(&mut self, a: MemberId, b: MemberId) -> bool {
        self.family.remove(&pair(a, b))
    }

    pub fn are_linked(&self, a: MemberId, b: MemberId) -> bool {
        self.family.contains(&pair(a, b))
    }

    /// The members linked to `member`.
    pub fn family_of(&self, member: MemberId) -> impl Iterator<Item = MemberId> + '_ {
        self.family.iter().filter_map(move |&(a, b)| {
            if a == member {
                Some(b)
            } else if b == member {
                Some(a)
            } else {
                None
            }
        })
    }

    /// Logs a service the provider gave. It credits nothing until confirmed. It must have
    /// started within the last 30 days and ended by `now` (give or take the clock skew), and
    /// when the pool pays, the provider's pool-paid minutes in the month of its start, pending
    /// and credited, stay within `cap`.
    pub fn log_service(
        &mut self,
        new: NewServiceRecord,
        now: i64,
        cap: PoolCap,
    ) -> Result<&ServiceRecord, TimeBankError> {
        if new.provider == new.recipient {
            return Err(TimeBankError::ProviderIsRecipient);
        }
        check_start(
            new.start,
            new.start.saturating_add(new.duration.secs()),
            now,
        )?;
        if new.payer == Payer::Pool {
            let used = self.pool_minutes(new.provider, new.start, true);
            within_cap(used, new.duration.minutes(), cap)?;
        }
        self.records.push(ServiceRecord {
            id: self.records.len() as u64,
            provider: new.provider,
            recipient: new.recipient,
            service: new.service,
            start: new.start,
            duration: new.duration,
            note: new.note,
            payer: new.payer,
            logged_at: now,
            state: RecordState::Pending,
        });
        Ok(self.records.last().expect("a record was just pushed"))
    }

    /// The pool-paid minutes of `provider`'s services that started in the China month of
    /// `start`: the credited ones, and the pending ones too when `pending`.
    pub fn pool_minutes(&self, provider: MemberId, start: i64, pending: bool) -> Minutes {
        let month = china_month(start);
        self.records
            .iter()
            .filter(|r| r.payer == Payer::Pool && r.provider == provider)
            .filter(|r| match r.state {
                RecordState::Confirmed { .. } => true,
                RecordState::Pending => pending,
                RecordState::Rejected { .. } => false,
            })
            .filter(|r| china_month(r.start) == month)
            .fold(Minutes::ZERO, |sum, r| sum + r.duration.minutes())
    }

    /// Whether `actor` may confirm `record`. The pool pays on the word of staff who neither
    /// gave nor received the service; the recipient's hours pay on the recipient's word alone.
    fn may_confirm(record: &ServiceRecord, actor: &Actor) -> Result<(), TimeBankError> {
        let party = actor.id == record.provider || actor.id == record.recipient;
        match (record.payer, actor.role) {
            (Payer::Pool, ActorRole::Staff) if party => Err(TimeBankError::OwnRecord),
            (Payer::Pool, ActorRole::Staff) => Ok(()),
            (Payer::Pool, ActorRole::Resident) if actor.id == record.recipient => {
                Err(TimeBankError::StaffApproves)
            }
            (Payer::Recipient, _) if actor.id == record.recipient => Ok(()),
            (Payer::Recipient, ActorRole::Staff) if party => Err(TimeBankError::OwnRecord),
            (Payer::Recipient, ActorRole::Staff) => Err(TimeBankError::RecipientConfirms),
            (_, ActorRole::Resident) => Err(TimeBankError::NotRecipientOrStaff),
        }
    }

    /// Whether `actor` may reject `record`: its recipient ("that did not happen"), or staff who
    /// did not give it.
    fn may_reject(record: &ServiceRecord, actor: &Actor) -> Result<(), TimeBankError> {
        match actor.role {
            _ if actor.id == record.recipient => Ok(()),
            ActorRole::Staff if actor.id == record.provider => Err(TimeBankError::OwnRecord),
            ActorRole::Staff => Ok(()),
            ActorRole::Resident => Err(TimeBankError::NotRecipientOrStaff),
        }
    }

    /// Confirms a service: the payer's account pays the provider the record's duration. A
    /// record confirmed before is not paid again. When the recipient pays and has too little
    /// banked, or the pool pays and the provider's credited pool-paid minutes that month would
    /// pass `cap`, nothing changes and the record stays pending.
    pub fn confirm(
        &mut self,
        record: u64,
        actor: &Actor,
        now: i64,
        cap: PoolCap,
    ) -> Result<Confirmation, TimeBankError> {
        let r = self
            .records
            .get(index(record))
            .ok_or(TimeBankError::NoSuchRecord(record))?;
        TimeBank::may_confirm(r, actor)?;
        match r.state {
            RecordState::Confirmed { transfer, .. } => {
                return Ok(Confirmation::AlreadyConfirmed { transfer });
            }
            RecordState::Rejected { .. } => return Err(TimeBankError::AlreadyRejected),
            RecordState::Pending => {}
        }
        if r.payer == Payer::Pool {
            let credited = self.pool_minutes(r.provider, r.start, false);
            within_cap(credited, r.duration.minutes(), cap)?;
        }
        let from = payer_account(r);
        let to = AccountId::member(r.provider);
        let amount = r.duration.minutes();
        self.check_transfer(&from, &to, amount)?;
        let transfer = self
            .commit_transfer(now, from, to, amount, TransferReason::Service { record })
            .id;
        self.records[index(record)].state = RecordState::Confirmed {
            by: actor.id,
            at: now,
            transfer,
        };
        Ok(Confirmation::Credited { transfer })
    }

    /// Rejects a pending service: it will never credit. Rejecting again changes nothing.
    pub fn reject(
        &mut self,
        record: u64,
        actor: &Actor,
        reason: Option<ServiceNote>,
        now: i64,
    ) -> Result<(), TimeBankError> {
        let r = self
            .records
            .get_mut(index(record))
            .ok_or(TimeBankError::NoSuchRecord(record))?;
        TimeBank::may_reject(r, actor)?;
        match r.state {
            RecordState::Confirmed { .. } => Err(TimeBankError::AlreadyConfirmed),
            RecordState::Rejected { .. } => Ok(()),
            RecordState::Pending => {
                r.state = RecordState::Rejected {
                    by: actor.id,
                    at: now,
                    reason,
                };
                Ok(())
            }
        }
    }

    /// Gives `amount` of `from`'s banked time to a linked family member.
    pub fn gift(
        &mut self,
        from: MemberId,
        to: MemberId,
        amount: Minutes,
        now: i64,
    ) -> Result<&Transfer, TimeBankError> {
        if from == to {
            return Err(TimeBankError::SameAccount);
        }
        if !self.are_linked(from, to) {
            return Err(TimeBankError::NotLinked);
        }
        let (from, to) = (AccountId::member(from), AccountId::member(to));
        self.check_transfer(&from, &to, amount)?;
        Ok(self.commit_transfer(now, from, to, amount, TransferReason::Gift))
    }

    /// An account's movements, oldest first, with the balance after each.
    pub fn statement(&self, account: &AccountId) -> Vec<StatementLine> {
        self.postings_of(account)
            .iter()
            .filter_map(|p| self.line(account, *p))
            .collect()
    }

    /// Up to `limit` lines (at least one) of an account's statement older than transfer
    /// `before` (from the newest when `None`), newest first: the lines [`TimeBank::statement`]
    /// holds, read from the newest end, so a page costs the same for 10,000 lines as for 50.
    pub fn statement_page(
        &self,
        account: &AccountId,
        before: Option<u64>,
        limit: usize,
    ) -> StatementLines {
        let postings = self.postings_of(account);
        let end = before.map_or(postings.len(), |b| {
            postings.partition_point(|p| p.transfer < b)
        });
        let start = end.saturating_sub(limit.max(1));
        let page = postings.get(start..end).unwrap_or_default();
        StatementLines {
            lines: page
                .iter()
                .rev()
                .filter_map(|p| self.line(account, *p))
                .collect(),
            next_before: page.first().filter(|_| start > 0).map(|p| p.transfer),
        }
    }

    fn postings_of(&self, account: &AccountId) -> &[Posting] {
        self.postings.get(account).map_or(&[], Vec::as_slice)
    }

    /// The statement line of `account`'s side of a transfer it took part in.
    fn line(&self, account: &AccountId, posting: Posting) -> Option<StatementLine> {
        let t = self.transfers.get(index(posting.transfer))?;
        let (delta, counterparty) = if &t.from == account {
            (-t.amount.signed(), &t.to)
        } else {
            (t.amount.signed(), &t.from)
        };
        Some(StatementLine {
            transfer: t.id,
            at: t.at,
            counterparty: counterparty.clone(),
            reason: t.reason,
            delta,
            balance: posting.balance,
        })
    }

    /// The rules every transfer obeys: a positive amount, two different accounts, and a member
    /// paying out only what they have.
    fn check_transfer(
        &self,
        from: &AccountId,
        to: &AccountId,
        amount: Minutes,
    ) -> Result<(), TimeBankError> {
        if amount.is_zero() {
            return Err(TimeBankError::ZeroAmount);
        }
        if from == to {
            return Err(TimeBankError::SameAccount);
        }
        if let AccountId::Member(_) = from {
            let balance = self.balance(from);
            if balance < amount.signed() {
                return Err(TimeBankError::NotEnough {
                    balance: balance.max(0).unsigned_abs(),
                    needed: amount.get(),
                });
            }
        }
        Ok(())
    }

    /// Appends a checked transfer: both sides move together.
    fn commit_transfer(
        &mut self,
        at: i64,
        from: AccountId,
        to: AccountId,
        amount: Minutes,
        reason: TransferReason,
    ) -> &Transfer {
        let transfer = Transfer {
            id: self.transfers.len() as u64,
            at,
            from,
            to,
            amount,
            reason,
        };
        for entry in transfer.entries() {
            let postings = self.postings.entry(entry.account).or_default();
            postings.push(Posting {
                transfer: transfer.id,
                balance: last_balance(postings).saturating_add(entry.delta),
            });
        }
        self.transfers.push(transfer);
        self.transfers.last().expect("a transfer was just pushed")
    }
}

fn last_balance(postings: &[Posting]) -> i64 {
    postings.last().map_or(0, |p| p.balance)
}

/// `used` minutes plus `more` within the cap, or how many remain.
fn within_cap(used: Minutes, more: Minutes, cap: PoolCap) -> Result<(), TimeBankError> {
    let cap = cap.get().get();
    if used.get().saturating_add(more.get()) > cap {
        return Err(TimeBankError::PoolCapReached {
            cap,
            remaining: cap.saturating_sub(used.get()),
        });
    }
    Ok(())
}

fn payer_account(record: &ServiceRecord) -> AccountId {
    match record.payer {
        Payer::Recipient => AccountId::member(record.recipient),
        Payer::Pool => AccountId::Pool,
    }
}

impl TryFrom<TimeBankData> for TimeBank {
    type Error = TimeBankRestoreError;
    fn try_from(data: TimeBankData) -> Result<Self, TimeBankRestoreError> {
        TimeBank::restore(data)
    }
}

impl From<TimeBank> for TimeBankData {
    fn from(bank: TimeBank) -> TimeBankData {
        TimeBankData {
            transfers: bank.transfers,
            records: bank.records,
            family_links: bank.family.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timebank::rules::{CLOCK_SKEW_SECS, OLDEST_START_SECS};
    use crate::timebank::service::{ServiceDuration, ServiceType};
    use proptest::prelude::*;

    const HOUR: i64 = 3600;
    const ANN: MemberId = MemberId::new(1);
    const BOB: MemberId = MemberId::new(2);
    const CAT: MemberId = MemberId::new(3);
    const DAN: MemberId = MemberId::new(4);
    const ELDER: MemberId = MemberId::new(5);
    const GRANDMA_WANG: MemberId = MemberId::new(6);
    const LI: MemberId = MemberId::new(7);
    const MUM: MemberId = MemberId::new(8);
    const ZHAO: MemberId = MemberId::new(9);
    const CAP: PoolCap = PoolCap::minutes(PoolCap::DEFAULT_MINUTES);

    fn resident(id: MemberId) -> Actor {
        Actor {
            id,
            role: ActorRole::Resident,
        }
    }
    fn staff(id: MemberId) -> Actor {
        Actor {
            id,
            role: ActorRole::Staff,
        }
    }
    fn service(
        provider: MemberId,
        recipient: MemberId,
        minutes: u32,
        payer: Payer,
    ) -> NewServiceRecord {
        NewServiceRecord {
            provider,
            recipient,
            service: ServiceType::ElderCare,
            start: 0,
            duration: ServiceDuration::new(minutes).unwrap(),
            note: Some(ServiceNote::parse("陪王奶奶去医院复查").unwrap()),
            payer,
        }
    }

    fn sums_to_zero(bank: &TimeBank) -> bool {
        bank.entries().map(|e| e.delta).sum::<i64>() == 0
            && bank.balances().map(|(_, b)| b).sum::<i64>() == 0
    }

    /// Logs `new`, finished by `now`, which must be accepted; the new record's id.
    fn log(bank: &mut TimeBank, new: NewServiceRecord, now: i64) -> u64 {
        bank.log_service(new, now, CAP).unwrap().id
    }

    /// A bank in which Ann has earned 2 hours from the pool: her service to an elder, confirmed
    /// by staff.
    fn ann_earned_two_hours() -> TimeBank {
        let mut bank = TimeBank::new();
        let id = log(&mut bank, service(ANN, ELDER, 120, Payer::Pool), 2 * HOUR);
        bank.confirm(id, &staff(LI), 2 * HOUR, CAP).unwrap();
        bank
    }

    #[test]
    fn a_service_credits_only_when_confirmed_and_only_once() {
        let mut bank = TimeBank::new();
        let id = log(
            &mut bank,
            service(ANN, GRANDMA_WANG, 90, Payer::Pool),
            2 * HOUR,
        );
        assert_eq!(
            bank.member_balance(ANN),
            Minutes::ZERO,
            "logged, not credited"
        );
        assert_eq!(bank.pending().count(), 1);

        assert_eq!(
            bank.confirm(id, &resident(BOB), 3 * HOUR, CAP),
            Err(TimeBankError::NotRecipientOrStaff)
        );
        assert_eq!(
            bank.confirm(id, &resident(ANN), 3 * HOUR, CAP),
            Err(TimeBankError::NotRecipientOrStaff),
            "the provider cannot confirm their own service"
        );
        assert_eq!(
            bank.confirm(id, &resident(GRANDMA_WANG), 3 * HOUR, CAP),
            Err(TimeBankError::StaffApproves),
            "the pool pays on staff's word, not the recipient's"
        );
        assert_eq!(
            bank.confirm(id, &staff(LI), 3 * HOUR, CAP),
            Ok(Confirmation::Credited { transfer: 0 })
        );
        assert_eq!(
            bank.confirm(id, &staff(LI), 4 * HOUR, CAP),
            Ok(Confirmation::AlreadyConfirmed { transfer: 0 })
        );
        assert_eq!(bank.transfers().len(), 1, "confirming twice credits once");
        let ann = bank.member_balance(ANN);
        assert_eq!((ann.hours(), ann.minutes()), (1, 30));
        assert_eq!(bank.pool_balance(), -90, "the pool may go below zero");
        assert!(sums_to_zero(&bank));
        assert_eq!(
            bank.reject(id, &staff(LI), None, 5 * HOUR),
            Err(TimeBankError::AlreadyConfirmed)
        );
        assert_eq!(bank.pending().count(), 0);
    }

    #[test]
    fn a_rejected_service_never_credits() {
        let mut bank = TimeBank::new();
        let id = log(&mut bank, service(ANN, BOB, 60, Payer::Pool), HOUR);
        let reason = ServiceNote::parse("没有这次服务").ok();
        bank.reject(id, &resident(BOB), reason.clone(), HOUR)
            .unwrap();
        bank.reject(id, &staff(LI), None, HOUR).unwrap();
        assert_eq!(
            bank.record(id).unwrap().state,
            RecordState::Rejected {
                by: BOB,
                at: HOUR,
                reason
            },
            "rejecting again changes nothing"
        );
        assert_eq!(
            bank.confirm(id, &staff(LI), HOUR, CAP),
            Err(TimeBankError::AlreadyRejected)
        );
        assert!(bank.transfers().is_empty());
        assert_eq!(
            bank.confirm(7, &staff(LI), HOUR, CAP),
            Err(TimeBankError::NoSuchRecord(7))
        );
    }

    #[test]
    fn staff_cannot_confirm_their_own_service_and_records_are_checked() {
        let mut bank = TimeBank::new();
        let id = log(&mut bank, service(LI, BOB, 60, Payer::Pool), HOUR);
        assert_eq!(
            bank.confirm(id, &staff(LI), HOUR, CAP),
            Err(TimeBankError::OwnRecord)
        );
        assert_eq!(
            bank.reject(id, &staff(LI), None, HOUR),
            Err(TimeBankError::OwnRecord)
        );
        let received = log(&mut bank, service(BOB, LI, 60, Payer::Pool), HOUR);
        assert_eq!(
            bank.confirm(received, &staff(LI), HOUR, CAP),
            Err(TimeBankError::OwnRecord),
            "nor one they received"
        );
        bank.confirm(received, &staff(ZHAO), HOUR, CAP).unwrap();
        assert_eq!(bank.member_balance(BOB), Minutes::new(60));
        assert_eq!(
            bank.log_service(service(ANN, ANN, 60, Payer::Pool), HOUR, CAP)
                .unwrap_err(),
            TimeBankError::ProviderIsRecipient
        );
        assert_eq!(
            bank.log_service(
                service(ANN, BOB, 60, Payer::Pool),
                HOUR - CLOCK_SKEW_SECS - 1,
                CAP
            )
            .unwrap_err(),
            TimeBankError::NotFinished
        );
    }

    #[test]
    fn a_recipient_paid_service_is_confirmed_by_the_recipient_alone() {
        let mut bank = ann_earned_two_hours();
        let id = log(&mut bank, service(BOB, ANN, 60, Payer::Recipient), 3 * HOUR);
        assert_eq!(
            bank.confirm(id, &staff(LI), 3 * HOUR, CAP),
            Err(TimeBankError::RecipientConfirms)
        );
        assert_eq!(
            bank.confirm(id, &resident(BOB), 3 * HOUR, CAP),
            Err(TimeBankError::NotRecipientOrStaff)
        );
        assert_eq!(bank.record(id).unwrap().state, RecordState::Pending);
        bank.confirm(id, &resident(ANN), 3 * HOUR, CAP).unwrap();
        assert_eq!(bank.member_balance(BOB), Minutes::new(60));
        // Staff may still reject a recipient-paid record they did not give.
        let other = log(&mut bank, service(BOB, ANN, 30, Payer::Recipient), 3 * HOUR);
        bank.reject(other, &staff(LI), None, 3 * HOUR).unwrap();
        assert_eq!(
            bank.confirm(other, &resident(ANN), 3 * HOUR, CAP),
            Err(TimeBankError::AlreadyRejected)
        );
    }

    #[test]
    fn a_start_from_1970_or_the_future_is_refused() {
        let now = 1_795_564_800;
        let mut bank = TimeBank::new();
        let mut old = service(ANN, BOB, 480, Payer::Pool);
        old.start = 0;
        assert_eq!(
            bank.log_service(old, now, CAP).unwrap_err(),
            TimeBankError::StartTooOld
        );
        let mut month_old = service(ANN, BOB, 60, Payer::Recipient);
        month_old.start = now - OLDEST_START_SECS - 1;
        assert_eq!(
            bank.log_service(month_old, now, CAP).unwrap_err(),
            TimeBankError::StartTooOld
        );
        let mut ahead = service(ANN, BOB, 60, Payer::Pool);
        ahead.start = now + CLOCK_SKEW_SECS + 1;
        assert_eq!(
            bank.log_service(ahead, now, CAP).unwrap_err(),
            TimeBankError::StartInFuture
        );
        assert!(bank.records().is_empty());
    }

    #[test]
    fn pool_paid_minutes_are_capped_per_member_and_china_month() {
        // 2026-11-30T15:00:00Z is 23:00 on 30 November in Beijing; an hour later is December.
        let november = 1_796_050_800;
        let december = november + HOUR;
        let now = december + 3 * HOUR;
        let cap = PoolCap::minutes(600);
        let mut bank = TimeBank::new();
        let at = |start: i64, minutes: u32, payer: Payer| {
            let mut new = service(ANN, BOB, minutes, payer);
            new.start = start;
            new
        };
        let first = bank
            .log_service(at(november - 8 * HOUR, 480, Payer::Pool), now, cap)
            .unwrap()
            .id;
        // Pending minutes count: 480 + 180 passes 600.
        assert_eq!(
            bank.log_service(at(november - 4 * HOUR, 180, Payer::Pool), now, cap)
                .unwrap_err(),
            TimeBankError::PoolCapReached {
                cap: 600,
                remaining: 120
            }
        );
        // The same service in December, or paid by its recipient, or given by someone else.
        bank.log_service(at(december, 180, Payer::Pool), now, cap)
            .unwrap();
        bank.log_service(at(november - 4 * HOUR, 180, Payer::Recipient), now, cap)
            .unwrap();
        let mut cat = at(november - 4 * HOUR, 480, Payer::Pool);
        cat.provider = CAT;
        bank.log_service(cat, now, cap).unwrap();
        let second = bank
            .log_service(at(november - 2 * HOUR, 120, Payer::Pool), now, cap)
            .unwrap()
            .id;
        // A rejected record frees its minutes.
        bank.reject(second, &resident(BOB), None, now).unwrap();
        let third = bank
            .log_service(at(november - 2 * HOUR, 120, Payer::Pool), now, cap)
            .unwrap()
            .id;
        // Checked again on approval: a lower cap since, and the credited minutes count.
        bank.confirm(first, &staff(LI), now, cap).unwrap();
        assert_eq!(
            bank.confirm(third, &staff(LI), now, PoolCap::minutes(500)),
            Err(TimeBankError::PoolCapReached {
                cap: 500,
                remaining: 20
            })
        );
        assert_eq!(bank.record(third).unwrap().state, RecordState::Pending);
        bank.confirm(third, &staff(LI), now, cap).unwrap();
        assert_eq!(bank.pool_minutes(ANN, november, false), Minutes::new(600));
        assert_eq!(bank.pool_minutes(ANN, december, true), Minutes::new(180));
    }

    #[test]
    fn a_recipient_pays_from_banked_time_and_never_below_zero() {
        // Ann earns 2 hours from the pool, then Bob helps Ann for 3 hours, paid by Ann.
        let mut bank = ann_earned_two_hours();
        let spent = log(
            &mut bank,
            service(BOB, ANN, 180, Payer::Recipient),
            3 * HOUR,
        );
        assert_eq!(
            bank.confirm(spent, &resident(ANN), 3 * HOUR, CAP),
            Err(TimeBankError::NotEnough {
                balance: 120,
                needed: 180
            })
        );
        assert_eq!(bank.record(spent).unwrap().state, RecordState::Pending);
        let paid = log(&mut bank, service(BOB, ANN, 60, Payer::Recipient), 3 * HOUR);
        bank.confirm(paid, &resident(ANN), 4 * HOUR, CAP).unwrap();
        assert_eq!(bank.member_balance(ANN), Minutes::new(60));
        assert_eq!(bank.member_balance(BOB), Minutes::new(60));

        let statement = bank.statement(&AccountId::member(ANN));
        let lines: Vec<(i64, i64)> = statement.iter().map(|l| (l.delta, l.balance)).collect();
        assert_eq!(lines, [(120, 120), (-60, 60)]);
        assert_eq!(statement[0].counterparty, AccountId::Pool);
        assert_eq!(statement[1].counterparty, AccountId::member(BOB));
        assert_eq!(
            statement[1].reason,
            TransferReason::Service { record: paid }
        );
        let pool: Vec<i64> = bank
            .statement(&AccountId::Pool)
            .iter()
            .map(|l| l.balance)
            .collect();
        assert_eq!(pool, [-120]);
        assert!(sums_to_zero(&bank));

        // A page at a time from the newest line: one line, then the one before it, then none.
        let ann = AccountId::member(ANN);
        let newest = bank.statement_page(&ann, None, 1);
        assert_eq!(newest.lines, [statement[1].clone()]);
        assert_eq!(newest.next_before, Some(statement[1].transfer));
        let older = bank.statement_page(&ann, newest.next_before, 1);
        assert_eq!(older.lines, [statement[0].clone()]);
        assert_eq!(
            older.next_before, None,
            "the oldest line ends the statement"
        );
        let whole = bank.statement_page(&ann, None, 100);
        assert_eq!(whole.lines, [statement[1].clone(), statement[0].clone()]);
        assert_eq!(whole.next_before, None);
        let nobody = bank.statement_page(&AccountId::member(CAT), None, 20);
        assert_eq!((nobody.lines.len(), nobody.next_before), (0, None));
    }

    #[test]
    fn gifts_go_to_linked_family_up_to_the_balance() {
        let mut bank = ann_earned_two_hours();
        assert_eq!(
            bank.gift(ANN, MUM, Minutes::new(30), 3 * HOUR).unwrap_err(),
            TimeBankError::NotLinked
        );
        assert_eq!(bank.link_family(ANN, ANN), Err(TimeBankError::SelfLink));
        bank.link_family(MUM, ANN).unwrap();
        assert!(bank.are_linked(ANN, MUM));
        assert_eq!(bank.family_of(ANN).collect::<Vec<_>>(), [MUM]);
        assert_eq!(
            bank.gift(ANN, MUM, Minutes::new(121), 3 * HOUR)
                .unwrap_err(),
            TimeBankError::NotEnough {
                balance: 120,
                needed: 121
            }
        );
        assert_eq!(
            bank.gift(ANN, MUM, Minutes::ZERO, 3 * HOUR).unwrap_err(),
            TimeBankError::ZeroAmount
        );
        assert_eq!(
            bank.gift(ANN, ANN, Minutes::new(1), 3 * HOUR).unwrap_err(),
            TimeBankError::SameAccount
        );
        bank.gift(ANN, MUM, Minutes::new(120), 3 * HOUR).unwrap();
        assert_eq!(bank.member_balance(ANN), Minutes::ZERO);
        assert_eq!(bank.member_balance(MUM), Minutes::new(120));
        assert!(bank.unlink_family(ANN, MUM));
        assert!(!bank.are_linked(MUM, ANN));
        assert!(sums_to_zero(&bank));
    }

    #[test]
    fn a_stored_bank_is_replayed_through_the_rules() {
        let mut bank = ann_earned_two_hours();
        bank.link_family(ANN, MUM).unwrap();
        bank.gift(ANN, MUM, Minutes::new(20), 3 * HOUR).unwrap();
        bank.log_service(service(BOB, ANN, 30, Payer::Recipient), 3 * HOUR, CAP)
            .unwrap();
        let json = serde_json::to_string(&bank).unwrap();
        assert_eq!(serde_json::from_str::<TimeBank>(&json).unwrap(), bank);

        // A gift that overdraws its giver.
        let mut data = TimeBankData::from(bank.clone());
        data.transfers[1].amount = Minutes::new(500);
        assert!(matches!(
            TimeBank::restore(data),
            Err(TimeBankRestoreError::Transfer {
                id: 1,
                error: TimeBankError::NotEnough { .. }
            })
        ));
        // A service paid twice.
        let mut data = TimeBankData::from(bank.clone());
        let mut again = data.transfers[0].clone();
        again.id = 2;
        data.transfers.push(again);
        assert_eq!(
            TimeBank::restore(data),
            Err(TimeBankRestoreError::ServiceMismatch { record: 0 })
        );
        // A confirmed record with no payment.
        let mut data = TimeBankData::from(bank);
        data.records[1].state = RecordState::Confirmed {
            by: ANN,
            at: 0,
            transfer: 1,
        };
        assert_eq!(
            TimeBank::restore(data),
            Err(TimeBankRestoreError::ServiceMismatch { record: 1 })
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        Log {
            provider: usize,
            recipient: usize,
            minutes: u32,
            pool: bool,
            /// Hours before now that the service started (negative: in the future).
            hours_ago: i64,
        },
        Confirm {
            record: u64,
            who: usize,
        },
        Reject {
            record: u64,
            who: usize,
        },
        Link(usize, usize),
        Gift {
            from: usize,
            to: usize,
            minutes: u64,
        },
    }

    const PEOPLE: [MemberId; 4] = [ANN, BOB, CAT, DAN];
    /// A cap low enough for a run to reach.
    const PROP_CAP: PoolCap = PoolCap::minutes(900);

    /// Operations among the first `people` of [`PEOPLE`], by actors `0..actors` (see [`actor`]).
    fn op(people: usize, actors: usize) -> impl Strategy<Value = Op> {
        let hours_ago = prop_oneof![Just(-1i64), 8i64..=20, Just(30 * 24 + 1)];
        prop_oneof![
            (0..people, 0..people, 15u32..=480, any::<bool>(), hours_ago).prop_map(
                |(provider, recipient, minutes, pool, hours_ago)| Op::Log {
                    provider,
                    recipient,
                    minutes,
                    pool,
                    hours_ago
                }
            ),
            (0u64..12, 0..actors).prop_map(|(record, who)| Op::Confirm { record, who }),
            (0u64..12, 0..actors).prop_map(|(record, who)| Op::Reject { record, who }),
            (0..people, 0..people).prop_map(|(a, b)| Op::Link(a, b)),
            (0..people, 0..people, 0u64..300).prop_map(|(from, to, minutes)| Op::Gift {
                from,
                to,
                minutes
            }),
        ]
    }

    /// People 0–3 act as residents; 4 and 5 are staff.
    fn actor(who: usize) -> Actor {
        match who {
            0..4 => resident(PEOPLE[who]),
            _ => staff([LI, ZHAO][who - 4]),
        }
    }

    /// Applies `ops`, one every 8 hours, checking after each that the ledger sums to zero, no
    /// member is below zero, a refusal changes nothing and confirming again credits nothing;
    /// `also` is checked after each too.
    fn run(
        ops: Vec<Op>,
        also: impl Fn(&TimeBank) -> Result<(), TestCaseError>,
    ) -> Result<TimeBank, TestCaseError> {
        let mut bank = TimeBank::new();
        for (step, op) in (1i64..).zip(ops) {
            let now = 1_795_564_800 + step * 8 * HOUR;
            let before = bank.clone();
            let refused = match op {
                Op::Log {
                    provider,
                    recipient,
                    minutes,
                    pool,
                    hours_ago,
                } => {
                    let mut new = service(
                        PEOPLE[provider],
                        PEOPLE[recipient],
                        minutes,
                        if pool { Payer::Pool } else { Payer::Recipient },
                    );
                    new.start = now - hours_ago * HOUR;
                    bank.log_service(new, now, PROP_CAP).is_err()
                }
                Op::Confirm { record, who } => {
                    let was = bank.record(record).map(|r| r.state.clone());
                    let result = bank.confirm(record, &actor(who), now, PROP_CAP);
                    if let (Some(RecordState::Confirmed { transfer, .. }), Ok(c)) = (&was, &result)
                    {
                        prop_assert_eq!(
                            *c,
                            Confirmation::AlreadyConfirmed {
                                transfer: *transfer
                            }
                        );
                        prop_assert_eq!(&bank, &before, "confirming again credits nothing");
                    }
                    result.is_err()
                }
                Op::Reject { record, who } => bank.reject(record, &actor(who), None, now).is_err(),
                Op::Link(a, b) => bank.link_family(PEOPLE[a], PEOPLE[b]).is_err(),
                Op::Gift { from, to, minutes } => {
                    let balance = bank.member_balance(PEOPLE[from]).get();
                    let linked = bank.are_linked(PEOPLE[from], PEOPLE[to]);
                    let result = bank.gift(PEOPLE[from], PEOPLE[to], Minutes::new(minutes), now);
                    prop_assert_eq!(
                        result.is_ok(),
                        linked && from != to && minutes >= 1 && minutes <= balance
                    );
                    result.is_err()
                }
            };
            if refused {
                prop_assert_eq!(&bank, &before, "a refusal changes nothing");
            }
            prop_assert!(sums_to_zero(&bank), "the ledger sums to zero");
            for (account, balance) in bank.balances() {
                if let AccountId::Member(_) = account {
                    prop_assert!(balance >= 0, "{:?} is below zero", account);
                }
            }
            also(&bank)?;
        }
        Ok(bank)
    }

    /// Every page of `account`'s statement, `limit` lines each, following `next_before` from
    /// the newest line to the oldest.
    fn pages(bank: &TimeBank, account: &AccountId, limit: usize) -> Vec<StatementLine> {
        let mut lines = Vec::new();
        let mut before = None;
        loop {
            let page = bank.statement_page(account, before, limit);
            assert!(
                page.lines.len() <= limit,
                "a page holds at most {limit} lines"
            );
            lines.extend(page.lines);
            match page.next_before {
                Some(next) => before = Some(next),
                None => return lines,
            }
        }
    }

    proptest! {
        /// Whatever happens, the ledger sums to zero, no member is ever below zero, a confirmed
        /// record is paid exactly once, a rejected or pending one never, a pool-paid one only
        /// on the word of staff who neither gave nor received it and within the month's cap, a
        /// recipient-paid one only on its recipient's; confirming again changes nothing, a
        /// refusal changes nothing, and the stored form reads back the same.
        #[test]
        fn the_bank_always_balances(ops in proptest::collection::vec(op(4, 6), 0..80)) {
            let bank = run(ops, |_| Ok(()))?;
            let mut credited: std::collections::HashMap<(MemberId, (i32, u8)), u64> =
                std::collections::HashMap::new();
            for record in bank.records() {
                let paid: Vec<&Transfer> = bank
                    .transfers()
                    .iter()
                    .filter(|t| t.reason == TransferReason::Service { record: record.id })
                    .collect();
                match &record.state {
                    RecordState::Confirmed { transfer, by, .. } => {
                        prop_assert_eq!(paid.len(), 1, "paid exactly once");
                        prop_assert_eq!(paid[0].id, *transfer);
                        prop_assert_eq!(paid[0].amount, record.duration.minutes());
                        match record.payer {
                            Payer::Pool => {
                                prop_assert!([LI, ZHAO].contains(by), "the pool paid on {}'s word", by);
                                *credited
                                    .entry((record.provider, china_month(record.start)))
                                    .or_default() += record.duration.minutes().get();
                            }
                            Payer::Recipient => prop_assert_eq!(by, &record.recipient),
                        }
                    }
                    RecordState::Pending | RecordState::Rejected { .. } => {
                        prop_assert!(paid.is_empty(), "credited without confirmation");
                    }
                }
            }
            for ((provider, month), minutes) in credited {
                prop_assert!(
                    minutes <= PROP_CAP.get().get(),
                    "{} banked {} pool-paid minutes in {:?}", provider, minutes, month
                );
            }
            for account in bank.balances().map(|(a, _)| a.clone()).collect::<Vec<_>>() {
                let statement = bank.statement(&account);
                let last = statement.last().map(|l| l.balance).unwrap_or(0);
                prop_assert_eq!(last, bank.balance(&account), "the statement ends at the balance");
                let mut running = 0i64;
                for line in &statement {
                    running += line.delta;
                    prop_assert_eq!(line.balance, running, "each line's balance sums the lines before");
                }
                for limit in [1, 2, 3, 7] {
                    let newest_first: Vec<_> = statement.iter().rev().cloned().collect();
                    prop_assert_eq!(pages(&bank, &account, limit), newest_first, "pages of {}", limit);
                }
            }
            let json = serde_json::to_string(&bank).unwrap();
            prop_assert_eq!(serde_json::from_str::<TimeBank>(&json).unwrap(), bank);
        }

        /// Two residents alone, whatever they log for each other, confirm, reject or give, never
        /// move a minute out of the pool: every account stays at zero.
        #[test]
        fn two_residents_alone_mint_nothing(ops in proptest::collection::vec(op(2, 2), 0..80)) {
            let bank = run(ops, |bank| {
                prop_assert_eq!(bank.pool_balance(), 0, "minutes left the pool");
                prop_assert!(bank.transfers().is_empty(), "minutes moved: {:?}", bank.transfers());
                Ok(())
            })?;
            prop_assert!(bank.balances().all(|(_, b)| b == 0));
        }
    }
}
