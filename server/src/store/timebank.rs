//! The time bank's tables: a community's bank read whole, for the core to apply one operation to;
//! what the operation added or changed written back; and the reads that need no bank (a balance,
//! pending records, family, a statement page), each an index lookup.
//!
//! Members are people's ids (`MemberId` in the core, integers here); the pool is `NULL` in
//! transfers and `'pool'` in ledger entries, whose account column holds a member's id as text.

use crate::store::sql::{self, Connection, OptionalExtension, params};
use citizen_core::ids::MemberId;
use citizen_core::timebank::{
    AccountId, Payer, RecordState, ServiceDuration, ServiceNote, ServiceRecord, ServiceType,
    StatementLine, TimeBank, TimeBankData, Transfer, TransferReason,
};
use std::collections::HashMap;

/// Stored data the core or this module cannot read: a bug or a hand-edited database.
fn corrupt(what: impl Into<String>) -> sql::Error {
    sql::Error::invalid(what)
}

fn member(person: i64) -> MemberId {
    MemberId::new(person)
}

/// An account as the ledger entries' account column holds it.
fn account_key(account: &AccountId) -> String {
    match account {
        AccountId::Pool => "pool".to_owned(),
        AccountId::Member(id) => id.to_string(),
    }
}

fn account_of(key: &str) -> sql::Result<AccountId> {
    match key {
        "pool" => Ok(AccountId::Pool),
        id => id
            .parse()
            .map(AccountId::Member)
            .map_err(|_| corrupt(format!("time-bank account {id:?} is not a person id"))),
    }
}

fn account_column(account: &AccountId) -> Option<i64> {
    match account {
        AccountId::Pool => None,
        AccountId::Member(id) => Some(id.get()),
    }
}

fn account_from_column(person: Option<i64>) -> AccountId {
    person.map_or(AccountId::Pool, |id| AccountId::Member(member(id)))
}

fn payer_str(payer: Payer) -> &'static str {
    match payer {
        Payer::Recipient => "recipient",
        Payer::Pool => "pool",
    }
}

fn reason_columns(reason: TransferReason) -> (&'static str, Option<i64>) {
    match reason {
        TransferReason::Service { record } => ("service", Some(record as i64)),
        TransferReason::Gift => ("gift", None),
    }
}

fn reason_of(kind: &str, record: Option<i64>) -> sql::Result<TransferReason> {
    match (kind, record) {
        ("service", Some(record)) => Ok(TransferReason::Service {
            record: record as u64,
        }),
        ("gift", None) => Ok(TransferReason::Gift),
        _ => Err(corrupt(format!(
            "transfer kind {kind} with record {record:?}"
        ))),
    }
}

const RECORD_COLUMNS: &str = "id, provider, recipient, service, start, duration, note, payer,
    logged_at, state, decided_by, decided_at, transfer, reason";

fn record_from_row(r: &sql::Row) -> sql::Result<ServiceRecord> {
    let service: String = r.get(3)?;
    let duration: u32 = r.get(5)?;
    let note: Option<String> = r.get(6)?;
    let payer: String = r.get(7)?;
    let state: String = r.get(9)?;
    let decided_by: Option<i64> = r.get(10)?;
    let decided_at: Option<i64> = r.get(11)?;
    let transfer: Option<i64> = r.get(12)?;
    let reason: Option<String> = r.get(13)?;
    let text = |raw: String| ServiceNote::parse(&raw).map_err(|e| corrupt(e.to_string()));
    let state = match (state.as_str(), decided_by, decided_at, transfer) {
        ("pending", None, _, None) => RecordState::Pending,
        ("confirmed", Some(by), Some(at), Some(transfer)) => RecordState::Confirmed {
            by: member(by),
            at,
            transfer: transfer as u64,
        },
        ("rejected", Some(by), Some(at), None) => RecordState::Rejected {
            by: member(by),
            at,
            reason: reason.map(text).transpose()?,
        },
        _ => return Err(corrupt(format!("a service record in state {state}"))),
    };
    Ok(ServiceRecord {
        id: r.get::<_, i64>(0)? as u64,
        provider: member(r.get(1)?),
        recipient: member(r.get(2)?),
        service: ServiceType::parse(&service)
            .ok_or_else(|| corrupt(format!("service type {service}")))?,
        start: r.get(4)?,
        duration: ServiceDuration::new(duration).map_err(|e| corrupt(e.to_string()))?,
        note: note.map(text).transpose()?,
        payer: match payer.as_str() {
            "recipient" => Payer::Recipient,
            "pool" => Payer::Pool,
            other => return Err(corrupt(format!("payer {other}"))),
        },
        logged_at: r.get(8)?,
        state,
    })
}

/// The community's bank, every stored transfer replayed through the core's rules.
pub fn load(conn: &Connection, community: &str) -> sql::Result<TimeBank> {
    let records = conn
        .prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM timebank_records WHERE community = ?1 ORDER BY id"
        ))?
        .query_map([community], record_from_row)?
        .collect::<sql::Result<Vec<_>>>()?;
    let transfers = conn.query_map(
        "SELECT id, at, from_member, to_member, amount, kind, record
         FROM timebank_transfers WHERE community = ?1 ORDER BY id",
        [community],
        |r| {
            let kind: String = r.get(5)?;
            Ok(Transfer {
                id: r.get::<_, i64>(0)? as u64,
                at: r.get(1)?,
                from: account_from_column(r.get(2)?),
                to: account_from_column(r.get(3)?),
                amount: citizen_core::timebank::Minutes::new(r.get::<_, i64>(4)? as u64),
                reason: reason_of(&kind, r.get(6)?)?,
            })
        },
    )?;
    let family_links = conn
        .prepare_cached("SELECT a, b FROM timebank_family WHERE community = ?1")?
        .query_map([community], |r| Ok((member(r.get(0)?), member(r.get(1)?))))?
        .collect::<sql::Result<Vec<_>>>()?;
    TimeBank::restore(TimeBankData {
        transfers,
        records,
        family_links,
    })
    .map_err(|e| corrupt(format!("the time bank of {community}: {e}")))
}

/// How far a bank went before an operation: what lies beyond is new.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    records: usize,
    transfers: usize,
}

impl Mark {
    pub fn of(bank: &TimeBank) -> Mark {
        Mark {
            records: bank.records().len(),
            transfers: bank.transfers().len(),
        }
    }
}

fn insert_record(conn: &Connection, community: &str, r: &ServiceRecord) -> sql::Result<()> {
    conn.prepare_cached(
        "INSERT INTO timebank_records (community, id, provider, recipient, service, start,
             duration, note, payer, logged_at, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending')",
    )?
    .execute(params![
        community,
        r.id as i64,
        r.provider.get(),
        r.recipient.get(),
        r.service.code(),
        r.start,
        u32::from(r.duration),
        r.note.as_ref().map(ServiceNote::as_str),
        payer_str(r.payer),
        r.logged_at,
    ])?;
    if r.state == RecordState::Pending {
        return Ok(());
    }
    save_state(conn, community, r)
}

fn save_state(conn: &Connection, community: &str, r: &ServiceRecord) -> sql::Result<()> {
    let (state, by, at, transfer, reason) = match &r.state {
        RecordState::Pending => ("pending", None, None, None, None),
        RecordState::Confirmed { by, at, transfer } => (
            "confirmed",
            Some(by.get()),
            Some(*at),
            Some(*transfer as i64),
            None,
        ),
        RecordState::Rejected { by, at, reason } => (
            "rejected",
            Some(by.get()),
            Some(*at),
            None,
            reason.as_ref().map(ServiceNote::as_str),
        ),
    };
    conn.prepare_cached(
        "UPDATE timebank_records SET state = ?3, decided_by = ?4, decided_at = ?5, transfer = ?6,
             reason = ?7
         WHERE community = ?1 AND id = ?2",
    )?
    .execute(params![
        community,
        r.id as i64,
        state,
        by,
        at,
        transfer,
        reason
    ])?;
    Ok(())
}

/// Writes what an operation did to `bank` since `mark`: the records and transfers it added, the
/// state of the record it `touched`, and two ledger entries per new transfer with the balance
/// after each. The caller holds the write transaction the bank was loaded in.
pub fn save(
    conn: &Connection,
    community: &str,
    bank: &TimeBank,
    mark: Mark,
    touched: Option<u64>,
) -> sql::Result<()> {
    for record in &bank.records()[mark.records..] {
        insert_record(conn, community, record)?;
    }
    if let Some(record) = touched.and_then(|id| bank.record(id))
        && (record.id as usize) < mark.records
    {
        save_state(conn, community, record)?;
    }
    let new = &bank.transfers()[mark.transfers..];
    let mut insert = conn.prepare_cached(
        "INSERT INTO timebank_transfers (community, id, at, from_member, to_member, amount, kind,
             record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for t in new {
        let (kind, record) = reason_columns(t.reason);
        insert.execute(params![
            community,
            t.id as i64,
            t.at,
            account_column(&t.from),
            account_column(&t.to),
            t.amount.signed(),
            kind,
            record,
        ])?;
    }
    // The balances after the last new transfer are the bank's now; walking back through the new
    // transfers gives the balance after each of them.
    let mut after: HashMap<&AccountId, i64> = HashMap::new();
    let mut entry = conn.prepare_cached(
        "INSERT INTO timebank_entries (community, account, transfer, at, counterparty, kind,
             record, delta, balance)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for t in new.iter().rev() {
        let (kind, record) = reason_columns(t.reason);
        for (account, counterparty, delta) in [
            (&t.from, &t.to, -t.amount.signed()),
            (&t.to, &t.from, t.amount.signed()),
        ] {
            let balance = after
                .entry(account)
                .or_insert_with(|| bank.balance(account));
            entry.execute(params![
                community,
                account_key(account),
                t.id as i64,
                t.at,
                account_key(counterparty),
                kind,
                record,
                delta,
                *balance,
            ])?;
            *balance -= delta;
        }
    }
    Ok(())
}

/// Links two people as family (the core has checked them); whether the link is new.
pub fn link(conn: &Connection, community: &str, a: i64, b: i64) -> sql::Result<bool> {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    let inserted = conn
        .prepare_cached(
            "INSERT INTO timebank_family (community, a, b) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![community, a, b])?;
    Ok(inserted == 1)
}

/// An account's balance now: the balance after its latest entry.
pub fn balance(conn: &Connection, community: &str, account: &AccountId) -> sql::Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT balance FROM timebank_entries WHERE community = ?1 AND account = ?2
             ORDER BY transfer DESC LIMIT 1",
        )?
        .query_row(params![community, account_key(account)], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Which side of a record a person is on.
#[derive(Debug, Clone, Copy)]
pub enum Side {
    Provider,
    Recipient,
}

/// A person's pending records on one side, oldest first.
pub fn pending(
    conn: &Connection,
    community: &str,
    side: Side,
    person: MemberId,
) -> sql::Result<Vec<ServiceRecord>> {
    let person = person.get();
    let column = match side {
        Side::Provider => "provider",
        Side::Recipient => "recipient",
    };
    conn.prepare_cached(&format!(
        "SELECT {RECORD_COLUMNS} FROM timebank_records
         WHERE {column} = ?2 AND state = 'pending' AND community = ?1 ORDER BY id"
    ))?
    .query_map(params![community, person], record_from_row)?
    .collect()
}

/// The people linked to `person` as family, by id.
pub fn family_of(
    conn: &Connection,
    community: &str,
    person: MemberId,
) -> sql::Result<Vec<MemberId>> {
    let person = person.get();
    conn.prepare_cached(
        "SELECT b FROM timebank_family WHERE community = ?1 AND a = ?2
         UNION SELECT a FROM timebank_family WHERE community = ?1 AND b = ?2
         ORDER BY 1",
    )?
    .query_map(params![community, person], |r| r.get(0).map(MemberId::new))?
    .collect()
}

/// Up to `limit` lines of an account's statement before transfer `before` (all when `None`),
/// newest first: one range of the entries' primary key.
pub fn statement(
    conn: &Connection,
    community: &str,
    account: &AccountId,
    before: Option<u64>,
    limit: usize,
) -> sql::Result<Vec<StatementLine>> {
    let before = before.map_or(i64::MAX, |b| i64::try_from(b).unwrap_or(i64::MAX));
    conn.query_map(
        "SELECT transfer, at, counterparty, kind, record, delta, balance FROM timebank_entries
         WHERE community = ?1 AND account = ?2 AND transfer < ?3
         ORDER BY transfer DESC LIMIT ?4",
        params![community, account_key(account), before, limit as i64],
        |r| {
            let counterparty: String = r.get(2)?;
            let kind: String = r.get(3)?;
            Ok(StatementLine {
                transfer: r.get::<_, i64>(0)? as u64,
                at: r.get(1)?,
                counterparty: account_of(&counterparty)?,
                reason: reason_of(&kind, r.get(4)?)?,
                delta: r.get(5)?,
                balance: r.get(6)?,
            })
        },
    )
}
