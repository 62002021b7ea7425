//! The time-bank part of the `/api/v1` contract, shared by the app and the server: what a member
//! sends (a service given, a rejection, a gift; staff: a family link) and what comes back (a
//! record, my account, a statement page, the pool). People travel as person ids with their
//! display names; times as RFC 3339, as everywhere in the API. The rules stay in [`TimeBank`];
//! this module only shapes its data for the wire.

use super::bank::{AccountId, Confirmation, StatementLine, TimeBank, TransferReason};
use super::minutes::Minutes;
use super::service::{
    Payer, RecordState, ServiceDuration, ServiceNote, ServiceRecord, ServiceType,
};
use crate::ids::MemberId;
use crate::phone::MobileNumber;
use crate::time::Timestamp;
use crate::volunteer::masked_name;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// When a service started: Unix seconds, or an RFC 3339 date-time such as
/// `2026-11-24T09:00:00+08:00`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceStart {
    Unix(i64),
    /// As sent; [`ServiceStart::timestamp`] reads it.
    Rfc3339(String),
}

impl ServiceStart {
    /// The instant, read by the core's one reader ([`Timestamp::parse`] for text, the years
    /// 0000–9999 for seconds): the in-browser backend and the server accept exactly the same
    /// inputs. `None` when it is not a time.
    pub fn timestamp(&self) -> Option<Timestamp> {
        match self {
            ServiceStart::Unix(secs) => Timestamp::try_from_unix_secs(*secs),
            ServiceStart::Rfc3339(text) => Timestamp::parse(text).ok(),
        }
    }
}

impl Serialize for ServiceStart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ServiceStart::Unix(secs) => serializer.serialize_i64(*secs),
            ServiceStart::Rfc3339(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for ServiceStart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ServiceStart, D::Error> {
        struct StartVisitor;
        impl Visitor<'_> for StartVisitor {
            type Value = ServiceStart;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("Unix seconds or an RFC 3339 date-time")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ServiceStart, E> {
                Ok(ServiceStart::Unix(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ServiceStart, E> {
                i64::try_from(v)
                    .map(ServiceStart::Unix)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ServiceStart, E> {
                Ok(ServiceStart::Rfc3339(v.to_owned()))
            }
        }
        deserializer.deserialize_any(StartVisitor)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ServiceStart {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::ToSchema;
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, Type};
        use utoipa::openapi::{Ref, SchemaFormat};
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .description(Some("Unix seconds")),
            )
            .item(Ref::from_schema_name(Timestamp::name()))
            .description(Some(
                "When the service started: Unix seconds or an RFC 3339 date-time",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ServiceStart {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push((Timestamp::name().into(), Timestamp::schema()));
    }
}

fn pool() -> Payer {
    Payer::Pool
}

/// `POST /api/v1/timebank/records`: a service I gave. It credits nothing until it is
/// confirmed: by staff when the community pool pays, by the recipient when their hours pay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogService {
    /// The recipient's mobile number: a member of the provider's community, not the provider.
    pub recipient: MobileNumber,
    /// The kind of help (`elder-care`, `escort`, `errands`, …).
    pub service: ServiceType,
    /// When it started: within the last 30 days, and it must have ended by now (5 minutes of
    /// clock skew allowed).
    pub start: ServiceStart,
    /// How long, in minutes: 15 to 480.
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 15, maximum = 480))]
    pub duration: ServiceDuration,
    /// 1–500 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, min_length = 1, max_length = 500))]
    pub note: Option<ServiceNote>,
    /// Whose time pays on confirmation: `pool` (the default; public-benefit service, paid by the
    /// community once staff approve it; a member's pool-paid minutes are capped per month) or
    /// `recipient` (from the recipient's banked time, once the recipient confirms it).
    #[serde(default = "pool")]
    pub payer: Payer,
}

/// `POST /api/v1/timebank/records/{id}/reject`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectService {
    /// Why, for the provider: 1–500 characters.
    #[cfg_attr(feature = "openapi", schema(value_type = String, min_length = 1, max_length = 500))]
    pub reason: ServiceNote,
}

/// `POST /api/v1/timebank/gifts`: minutes of my banked time to a linked family member.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewGift {
    /// The family member's person id (listed under `family` in `GET /timebank/me`).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub to: MemberId,
    /// At least 1, at most my balance.
    #[cfg_attr(feature = "openapi", schema(value_type = u64, minimum = 1))]
    pub minutes: Minutes,
}

/// `POST /api/v1/timebank/family` (staff, after checking the relationship): two members of
/// the community become family, so they may give each other time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFamilyLink {
    /// A person id (see `GET /people`).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub person: MemberId,
    /// Their relative's person id.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub relative: MemberId,
}

/// The reply to `POST /api/v1/timebank/family`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyLink {
    pub person: MemberRef,
    pub relative: MemberRef,
}

/// A member as the time bank shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRef {
    /// The person id.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub id: MemberId,
    pub name: String,
}

/// One side of a transfer: the community pool, or a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Party {
    Pool,
    Member {
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        id: MemberId,
        name: String,
    },
}

impl Party {
    pub fn of(account: &AccountId, member: &impl Fn(MemberId) -> MemberRef) -> Party {
        match account {
            AccountId::Pool => Party::Pool,
            AccountId::Member(id) => {
                let MemberRef { id, name } = member(*id);
                Party::Member { id, name }
            }
        }
    }
}

/// Where a record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordStatus {
    Pending,
    Confirmed,
    Rejected,
}

/// A service record as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordView {
    /// The record's number in its community's bank, from 0.
    pub id: u64,
    pub provider: MemberRef,
    pub recipient: MemberRef,
    pub service: ServiceType,
    /// RFC 3339.
    pub start: Timestamp,
    /// RFC 3339.
    pub end: Timestamp,
    /// Minutes.
    pub duration: u32,
    pub note: Option<String>,
    pub payer: Payer,
    /// RFC 3339.
    pub logged_at: Timestamp,
    pub state: RecordStatus,
    /// Who confirmed or rejected it.
    pub decided_by: Option<MemberRef>,
    /// When (RFC 3339).
    pub decided_at: Option<Timestamp>,
    /// The transfer that paid the provider, once confirmed.
    pub transfer: Option<u64>,
    /// Why it was rejected.
    pub reason: Option<String>,
}

impl RecordView {
    /// The record as `viewer` (a member id) may see it: its provider sees the recipient's name
    /// masked (张*) until the recipient has confirmed it, so logging a service for a number
    /// does not hand out a stranger's name.
    pub fn seen_by(
        record: &ServiceRecord,
        viewer: MemberId,
        member: &impl Fn(MemberId) -> MemberRef,
    ) -> RecordView {
        let mut view = RecordView::new(record, member);
        let named =
            matches!(&record.state, RecordState::Confirmed { by, .. } if *by == record.recipient);
        if viewer == record.provider && !named {
            view.recipient.name = masked_name(&view.recipient.name);
        }
        view
    }

    pub fn new(record: &ServiceRecord, member: &impl Fn(MemberId) -> MemberRef) -> RecordView {
        let (state, decided_by, decided_at, transfer, reason) = match &record.state {
            RecordState::Pending => (RecordStatus::Pending, None, None, None, None),
            RecordState::Confirmed { by, at, transfer } => (
                RecordStatus::Confirmed,
                Some(member(*by)),
                Some(Timestamp::from_unix_secs(*at)),
                Some(*transfer),
                None,
            ),
            RecordState::Rejected { by, at, reason } => (
                RecordStatus::Rejected,
                Some(member(*by)),
                Some(Timestamp::from_unix_secs(*at)),
                None,
                reason.as_ref().map(|r| r.as_str().to_owned()),
            ),
        };
        RecordView {
            id: record.id,
            provider: member(record.provider),
            recipient: member(record.recipient),
            service: record.service,
            start: Timestamp::from_unix_secs(record.start),
            end: Timestamp::from_unix_secs(record.end()),
            duration: u32::from(record.duration),
            note: record.note.as_ref().map(|n| n.as_str().to_owned()),
            payer: record.payer,
            logged_at: Timestamp::from_unix_secs(record.logged_at),
            state,
            decided_by,
            decided_at,
            transfer,
            reason,
        }
    }
}

/// What a confirmation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConfirmOutcome {
    /// The provider was credited now.
    Credited,
    /// It was confirmed before: nothing more was credited.
    AlreadyConfirmed,
}

/// The reply to `POST /api/v1/timebank/records/{id}/confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmReply {
    pub outcome: ConfirmOutcome,
    /// The transfer that paid the provider (the first one, when already confirmed).
    pub transfer: u64,
    pub record: RecordView,
}

impl ConfirmReply {
    pub fn new(confirmation: Confirmation, record: RecordView) -> ConfirmReply {
        ConfirmReply {
            outcome: match confirmation {
                Confirmation::Credited { .. } => ConfirmOutcome::Credited,
                Confirmation::AlreadyConfirmed { .. } => ConfirmOutcome::AlreadyConfirmed,
            },
            transfer: confirmation.transfer(),
            record,
        }
    }
}

/// `GET /api/v1/timebank/me`: my account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeBankAccount {
    pub member: MemberRef,
    /// Minutes banked now.
    pub balance: u64,
    /// Services I gave that wait for staff (the pool pays) or their recipient (their hours
    /// pay), oldest first; the recipient's name masked (张*).
    pub pending_given: Vec<RecordView>,
    /// Services I received, oldest first: the ones my hours pay wait for me to confirm or
    /// reject, the ones the pool pays for staff (I may still reject them).
    pub pending_received: Vec<RecordView>,
    /// Linked family: the members I may give time to.
    pub family: Vec<MemberRef>,
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementEntry {
    pub transfer: u64,
    /// RFC 3339.
    pub at: Timestamp,
    /// The account on the other side.
    pub counterparty: Party,
    pub reason: TransferReason,
    /// Plus for minutes in, minus for minutes out.
    pub delta: i64,
    /// The balance after this line.
    pub balance: i64,
}

impl StatementEntry {
    pub fn new(line: &StatementLine, member: &impl Fn(MemberId) -> MemberRef) -> StatementEntry {
        StatementEntry {
            transfer: line.transfer,
            at: Timestamp::from_unix_secs(line.at),
            counterparty: Party::of(&line.counterparty, member),
            reason: line.reason,
            delta: line.delta,
            balance: line.balance,
        }
    }
}

/// `GET /api/v1/timebank/statement`: one page of my statement, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementPage {
    /// My balance now, in minutes.
    pub balance: i64,
    pub lines: Vec<StatementEntry>,
    /// Pass as `before` for the next, older page; `null` on the last page.
    pub next_before: Option<u64>,
}

/// A member's balance, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberBalance {
    pub member: MemberRef,
    pub balance: i64,
}

/// Records by state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordCounts {
    pub pending: u64,
    pub confirmed: u64,
    pub rejected: u64,
}

/// `GET /api/v1/timebank/pool` (staff): the community pool and the bank's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolReport {
    /// The pool's balance: below zero by what the community has paid for public-benefit service.
    pub pool_balance: i64,
    /// The members' balances summed.
    pub members_total: i64,
    /// Every account summed, the pool's included: always 0 (every transfer is double-entry).
    pub sum_of_accounts: i64,
    pub transfers: u64,
    pub records: RecordCounts,
    /// Every member who has moved time, highest balance first.
    pub balances: Vec<MemberBalance>,
    /// Records waiting for confirmation, oldest first: the staff's queue.
    pub pending: Vec<RecordView>,
}

impl PoolReport {
    pub fn new(bank: &TimeBank, member: &impl Fn(MemberId) -> MemberRef) -> PoolReport {
        let mut records = RecordCounts::default();
        for record in bank.records() {
            match record.state {
                RecordState::Pending => records.pending += 1,
                RecordState::Confirmed { .. } => records.confirmed += 1,
                RecordState::Rejected { .. } => records.rejected += 1,
            }
        }
        let mut balances: Vec<MemberBalance> = bank
            .balances()
            .filter_map(|(account, balance)| match account {
                AccountId::Member(id) => Some(MemberBalance {
                    member: member(*id),
                    balance,
                }),
                AccountId::Pool => None,
            })
            .collect();
        balances.sort_by(|a, b| {
            b.balance
                .cmp(&a.balance)
                .then(a.member.id.cmp(&b.member.id))
        });
        PoolReport {
            pool_balance: bank.pool_balance(),
            members_total: balances.iter().map(|b| b.balance).sum(),
            sum_of_accounts: bank.balances().map(|(_, b)| b).sum(),
            transfers: bank.transfers().len() as u64,
            records,
            balances,
            pending: bank.pending().map(|r| RecordView::new(r, member)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::{Actor, ActorRole};
    use crate::timebank::{NewServiceRecord, PoolCap};

    const CAP: PoolCap = PoolCap::minutes(PoolCap::DEFAULT_MINUTES);

    fn member(id: MemberId) -> MemberRef {
        MemberRef {
            id,
            name: format!("person {id}"),
        }
    }

    #[test]
    fn a_start_is_unix_seconds_or_text() {
        let unix: ServiceStart = serde_json::from_str("1795564800").unwrap();
        assert_eq!(unix, ServiceStart::Unix(1_795_564_800));
        let text: ServiceStart = serde_json::from_str(r#""2026-11-24T09:00:00+08:00""#).unwrap();
        assert_eq!(
            text.timestamp(),
            Timestamp::try_from_unix_secs(1_795_482_000)
        );
        assert_eq!(
            unix.timestamp().map(Timestamp::unix_secs),
            Some(1_795_564_800)
        );
        for bad in ["true", "1.5", "18446744073709551615", "{}"] {
            let e = serde_json::from_str::<ServiceStart>(bad).unwrap_err();
            assert!(e.to_string().contains("Unix seconds or an RFC 3339"), "{e}");
        }
        assert_eq!(serde_json::to_string(&unix).unwrap(), "1795564800");
    }

    #[test]
    fn a_logged_service_is_paid_by_the_pool_unless_said() {
        let body: LogService = serde_json::from_str(
            r#"{"recipient": "13800000001", "service": "elder-care", "start": 0, "duration": 90}"#,
        )
        .unwrap();
        assert_eq!(body.payer, Payer::Pool);
        assert_eq!(body.note, None);
        let too_long =
            r#"{"recipient": "13800000001", "service": "escort", "start": 0, "duration": 481}"#;
        assert!(serde_json::from_str::<LogService>(too_long).is_err());
        let unknown = r#"{"recipient": "13800000001", "service": "escort", "start": 0, "duration": 60, "hours": 1}"#;
        assert!(serde_json::from_str::<LogService>(unknown).is_err());
    }

    #[test]
    fn the_provider_sees_the_recipient_masked_until_the_recipient_confirms() {
        let mut bank = TimeBank::new();
        let name = |id: MemberId| MemberRef {
            id,
            name: ["", "张三丰", "李四", "刘建国"][id.get() as usize].to_owned(),
        };
        for payer in [Payer::Pool, Payer::Recipient] {
            bank.log_service(
                NewServiceRecord {
                    provider: MemberId::new(2),
                    recipient: MemberId::new(1),
                    service: ServiceType::Escort,
                    start: 0,
                    duration: ServiceDuration::new(60).unwrap(),
                    note: None,
                    payer,
                },
                7200,
                CAP,
            )
            .unwrap();
        }
        let seen = |bank: &TimeBank, id: u64, viewer: MemberId| {
            RecordView::seen_by(bank.record(id).unwrap(), viewer, &name)
                .recipient
                .name
        };
        assert_eq!(seen(&bank, 0, MemberId::new(2)), "张*");
        assert_eq!(
            seen(&bank, 0, MemberId::new(1)),
            "张三丰",
            "the recipient sees their own name"
        );
        assert_eq!(
            seen(&bank, 0, MemberId::new(3)),
            "张三丰",
            "staff see names"
        );
        let staff = Actor {
            id: MemberId::new(3),
            role: ActorRole::Staff,
        };
        bank.confirm(0, &staff, 7200, CAP).unwrap();
        assert_eq!(
            seen(&bank, 0, MemberId::new(2)),
            "张*",
            "staff's approval is not the recipient's"
        );
        // The recipient pays with hours earned from the provider... once they have some.
        bank.log_service(
            NewServiceRecord {
                provider: MemberId::new(1),
                recipient: MemberId::new(2),
                service: ServiceType::Escort,
                start: 0,
                duration: ServiceDuration::new(60).unwrap(),
                note: None,
                payer: Payer::Pool,
            },
            7200,
            CAP,
        )
        .unwrap();
        bank.confirm(2, &staff, 7200, CAP).unwrap();
        let recipient = Actor {
            id: MemberId::new(1),
            role: ActorRole::Resident,
        };
        bank.confirm(1, &recipient, 7300, CAP).unwrap();
        assert_eq!(
            seen(&bank, 1, MemberId::new(2)),
            "张三丰",
            "named once the recipient confirmed"
        );
        assert_eq!(seen(&bank, 2, MemberId::new(1)), "李*");
    }

    #[test]
    fn views_show_records_statements_and_the_pool() {
        let mut bank = TimeBank::new();
        let id = bank
            .log_service(
                NewServiceRecord {
                    provider: MemberId::new(2),
                    recipient: MemberId::new(1),
                    service: ServiceType::Escort,
                    start: 0,
                    duration: ServiceDuration::new(90).unwrap(),
                    note: None,
                    payer: Payer::Pool,
                },
                7200,
                CAP,
            )
            .unwrap()
            .id;
        let pending = RecordView::new(bank.record(id).unwrap(), &member);
        assert_eq!(pending.state, RecordStatus::Pending);
        assert_eq!(
            (pending.end.to_rfc3339().as_str(), pending.duration),
            ("1970-01-01T01:30:00Z", 90)
        );
        let staff = Actor {
            id: MemberId::new(3),
            role: ActorRole::Staff,
        };
        let confirmation = bank.confirm(id, &staff, 9000, CAP).unwrap();
        let reply = ConfirmReply::new(
            confirmation,
            RecordView::new(bank.record(id).unwrap(), &member),
        );
        assert_eq!(reply.outcome, ConfirmOutcome::Credited);
        assert_eq!(reply.record.decided_by, Some(member(MemberId::new(3))));
        assert_eq!(reply.record.transfer, Some(0));
        let json = serde_json::to_value(&reply).unwrap();
        assert_eq!(json["outcome"], "credited");
        assert_eq!(json["record"]["state"], "confirmed");

        let line = &bank.statement(&AccountId::member(MemberId::new(2)))[0];
        let entry = StatementEntry::new(line, &member);
        assert_eq!(entry.counterparty, Party::Pool);
        assert_eq!((entry.delta, entry.balance), (90, 90));
        assert_eq!(
            serde_json::to_value(&entry).unwrap()["reason"],
            serde_json::json!({"kind": "service", "record": 0})
        );

        let report = PoolReport::new(&bank, &member);
        assert_eq!(report.pool_balance, -90);
        assert_eq!(report.members_total, 90);
        assert_eq!(report.sum_of_accounts, 0);
        assert_eq!(report.records.confirmed, 1);
        assert!(report.pending.is_empty());
        assert_eq!(
            serde_json::to_value(Party::of(&AccountId::member(MemberId::new(2)), &member)).unwrap(),
            serde_json::json!({"kind": "member", "id": 2, "name": "person 2"})
        );
    }
}
