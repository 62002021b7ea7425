//! The time bank (时间银行): members log the services they gave; staff approve the ones the
//! community pool pays, recipients confirm the ones their own hours pay (either may reject);
//! members give banked time to linked family; staff link family and watch the pool.
//!
//! Every rule is the core's [`TimeBank`]: starts within 30 days, the monthly cap on pool-paid
//! minutes ([`TimeBankGuards::pool_cap`], `--pool-cap-minutes`), who may confirm what. Logging a
//! record looks a mobile number up, so it is counted per person before the look-up
//! ([`TimeBankGuards::admit_lookup`]), and the provider sees the recipient's name masked until
//! the recipient confirms: the API is no directory of members. Each change runs in one IMMEDIATE transaction: load
//! the community's bank, apply the operation through the core, write what it added or changed,
//! commit. So two operations on one bank never interleave, and a refusal writes nothing. Reads
//! (my account, a statement page) need no bank: they are index lookups in one read transaction.

use super::members::Members;
use super::transact::{read, write};
use crate::AppState;
use crate::http::auth::SignedIn;
use crate::http::error::ApiError;
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::limits::PerPerson;
use crate::store::people::{self, Person};
use crate::store::sql::{self, Connection};
use crate::store::timebank::{self as store, Mark, Side};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use citizen_core::account::Role;
use citizen_core::api::ErrorBody;
use citizen_core::ids::MemberId;
use citizen_core::requests::{Actor, ActorRole};
use citizen_core::time::Timestamp;
use citizen_core::timebank::{
    AccountId, ConfirmReply, FamilyLink, LogService, NewFamilyLink, NewGift, NewServiceRecord,
    PoolCap, PoolReport, RECORDS_LOGGED_PER_HOUR, RECORDS_LOGGED_WINDOW_SECS, RecordView, Refusal,
    RejectService, ServiceRecord, StatementEntry, StatementLine, StatementPage, TimeBank,
    TimeBankAccount, TimeBankError,
};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The time bank's settings and its look-up limit (kept in the database), shared by its handlers.
pub struct TimeBankGuards {
    /// The most pool-paid minutes a member may bank per China calendar month.
    pub pool_cap: PoolCap,
    /// Records logged per person (each a look-up of a mobile number), per hour.
    lookups: PerPerson,
}

impl TimeBankGuards {
    pub fn new(pool_cap: PoolCap) -> TimeBankGuards {
        TimeBankGuards::with_lookup_limit(pool_cap, RECORDS_LOGGED_PER_HOUR)
    }

    /// With another limit of records logged per person per hour (at least 1): for tests of
    /// volume, which log more than a person would.
    pub fn with_lookup_limit(pool_cap: PoolCap, per_hour: u32) -> TimeBankGuards {
        TimeBankGuards {
            pool_cap,
            lookups: PerPerson::new(
                "timebank_lookup",
                per_hour.max(1),
                RECORDS_LOGGED_WINDOW_SECS,
            ),
        }
    }

    /// Counts one look-up of a recipient's number by `person`, before it is made, or refuses
    /// (429) when they have made their hour's share: under a burst of parallel requests no more
    /// than the limit get through, whatever the numbers turn out to be.
    pub async fn admit_lookup(
        &self,
        state: &AppState,
        person: MemberId,
        now: i64,
    ) -> Result<(), ApiError> {
        self.lookups
            .admit(state, person, now)
            .await?
            .map_err(|retry| ApiError::TooManyAttempts(retry.0))
    }
}

impl Default for TimeBankGuards {
    fn default() -> TimeBankGuards {
        TimeBankGuards::new(PoolCap::default())
    }
}

/// A person as the core's rules see them: staff of their community, or a member.
fn actor(person: &Person) -> Actor {
    Actor {
        id: person.id,
        role: if person.has(Role::Staff) {
            ActorRole::Staff
        } else {
            ActorRole::Resident
        },
    }
}

/// A refusal of the core, as the API says it: the field at fault (422), the record's state
/// (409), not the caller's record (403), or no such record (404); the refusals that keep hours
/// from being minted with their own codes (the core's [`Refusal`]).
fn refusal(e: TimeBankError) -> ApiError {
    if let Some(typed) = Refusal::of(&e) {
        return ApiError::TimeBank {
            refusal: typed,
            remaining_minutes: match e {
                TimeBankError::PoolCapReached { remaining, .. } => Some(remaining),
                _ => None,
            },
            message: e.to_string(),
            field: typed.field(),
        };
    }
    match e {
        TimeBankError::ZeroAmount | TimeBankError::NotEnough { .. } => {
            ApiError::invalid("minutes", e)
        }
        TimeBankError::SameAccount | TimeBankError::NotLinked => ApiError::invalid("to", e),
        TimeBankError::SelfLink => ApiError::invalid("relative", e),
        TimeBankError::ProviderIsRecipient => ApiError::invalid("recipient", e),
        TimeBankError::NotFinished => ApiError::invalid("start", e),
        TimeBankError::NoSuchRecord(id) => ApiError::NotFound(format!("service record {id}")),
        TimeBankError::NotRecipientOrStaff => ApiError::NotAllowed(e.to_string()),
        // These have codes of their own and were answered above; the generic codes are only the
        // match's other half.
        TimeBankError::OwnRecord
        | TimeBankError::StaffApproves
        | TimeBankError::RecipientConfirms => ApiError::NotAllowed(e.to_string()),
        TimeBankError::StartTooOld | TimeBankError::StartInFuture => ApiError::invalid("start", e),
        TimeBankError::PoolCapReached { .. } => ApiError::invalid("duration", e),
        TimeBankError::AlreadyRejected | TimeBankError::AlreadyConfirmed => {
            ApiError::Refused(e.to_string())
        }
    }
}

/// A record's number from the path; anything else is a record that does not exist.
fn record_id(raw: &str) -> Result<u64, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::NotFound(format!("service record {raw}")))
}

fn mentioned(record: &ServiceRecord) -> impl Iterator<Item = MemberId> {
    use citizen_core::timebank::RecordState;
    let decided = match &record.state {
        RecordState::Pending => None,
        RecordState::Confirmed { by, .. } | RecordState::Rejected { by, .. } => Some(*by),
    };
    [record.provider, record.recipient]
        .into_iter()
        .chain(decided)
}

/// A record as `viewer` (a person id) may see it: masked recipient for its provider.
fn record_view(
    conn: &Connection,
    record: &ServiceRecord,
    viewer: MemberId,
) -> sql::Result<RecordView> {
    let members = Members::of(conn, mentioned(record))?;
    Ok(RecordView::seen_by(record, viewer, &|m| members.get(m)))
}

fn entry_view(conn: &Connection, line: &StatementLine) -> sql::Result<StatementEntry> {
    let members = Members::of(conn, account_member(&line.counterparty))?;
    Ok(StatementEntry::new(line, &|m| members.get(m)))
}

/// The member an account is, if it is not the pool.
fn account_member(account: &AccountId) -> Option<MemberId> {
    match account {
        AccountId::Pool => None,
        AccountId::Member(id) => Some(*id),
    }
}

/// Applies `op` to the community's bank in one write transaction: load, apply, save what it
/// added (and the existing record it `touched`, if any), commit. A refusal rolls back.
async fn change<T: Send + 'static>(
    state: &AppState,
    community: String,
    op: impl FnOnce(&Connection, &mut TimeBank) -> Result<(T, Option<u64>), ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    write(state, move |tx| {
        let mut bank = store::load(tx, &community)?;
        let mark = Mark::of(&bank);
        let (out, touched) = op(tx, &mut bank)?;
        store::save(tx, &community, &bank, mark, touched)?;
        Ok(out)
    })
    .await
}

/// My account: balance, records waiting on either side, family.
#[utoipa::path(
    get, path = "/timebank/me", tag = "timebank", security(("bearer" = [])),
    responses(
        (status = 200, description = "My balance (minutes), my pending records as provider and as recipient, my linked family", body = TimeBankAccount),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
    )
)]
async fn account(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Json<TimeBankAccount>, ApiError> {
    let person = who.person.clone();
    let account = read(&state, move |tx| {
        // One read transaction: the balance and the lists are of the same moment.
        let community = person.community.as_str();
        let me = person.id;
        let balance = store::balance(tx, community, &AccountId::member(me))?;
        let given = store::pending(tx, community, Side::Provider, person.id)?;
        let received = store::pending(tx, community, Side::Recipient, person.id)?;
        let family = store::family_of(tx, community, person.id)?;
        let members = Members::of(
            tx,
            given
                .iter()
                .chain(&received)
                .flat_map(mentioned)
                .chain(family.iter().copied())
                .chain([me]),
        )?;
        let member = |m: MemberId| members.get(m);
        let views = |records: &[ServiceRecord]| {
            records
                .iter()
                .map(|r| RecordView::seen_by(r, me, &member))
                .collect()
        };
        Ok(TimeBankAccount {
            member: member(me),
            balance: balance.max(0).unsigned_abs(),
            pending_given: views(&given),
            pending_received: views(&received),
            family: family.into_iter().map(member).collect(),
        })
    })
    .await?;
    Ok(Json(account))
}

/// Log a service I gave. It credits nothing until it is confirmed: by staff when the community
/// pool pays, by the recipient when their own hours pay. The reply names the recipient masked
/// (张*) until the recipient confirms. Each call looks a number up, so a member may log 20 an
/// hour; an unknown number and a number outside my community answer alike.
#[utoipa::path(
    post, path = "/timebank/records", tag = "timebank", security(("bearer" = [])),
    request_body = LogService,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: logged once")),
    responses(
        (status = 201, description = "Logged, pending; the recipient's name masked", body = RecordView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 422, description = "A field breaks a rule: `recipient` (not a member of my community, or me), `service`, `start` (unreadable, or the service has not ended yet; `start_too_old`: more than 30 days ago; `start_in_future`), `duration` (15–480; `pool_cap_reached`: the pool-paid minutes of that month would pass the cap, `remaining_minutes` says how many are left), `note` (1–500 characters)", body = ErrorBody),
        (status = 429, description = "Too many records logged this hour (each looks a number up); see Retry-After", body = ErrorBody),
    )
)]
async fn log(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(body): ApiJson<LogService>,
) -> Result<(StatusCode, Json<RecordView>), ApiError> {
    let start = body
        .start
        .timestamp()
        .map(Timestamp::unix_secs)
        .ok_or_else(|| {
            ApiError::invalid(
                "start",
                "Unix seconds or an RFC 3339 date-time such as 2026-11-24T09:00:00+08:00",
            )
        })?;
    let now = state.clock.now();
    let person = who.person.clone();
    state.timebank.admit_lookup(&state, person.id, now).await?;
    let cap = state.timebank.pool_cap;
    let view = change(&state, person.community.clone(), move |conn, bank| {
        let recipient = people::id_in_community(conn, &body.recipient, &person.community)?
            .ok_or_else(|| {
                ApiError::invalid("recipient", "no member of your community has this number")
            })?;
        let new = NewServiceRecord {
            provider: person.id,
            recipient,
            service: body.service,
            start,
            duration: body.duration,
            note: body.note,
            payer: body.payer,
        };
        let record = bank.log_service(new, now, cap).map_err(refusal)?;
        Ok((record_view(conn, record, person.id)?, None))
    })
    .await?;
    tracing::info!(record = view.id, "time-bank service logged");
    Ok((StatusCode::CREATED, Json(view)))
}

/// Confirm a service: staff approve one the community pool pays (not one they gave or
/// received), the recipient confirms one their own hours pay. The payer pays the provider once:
/// confirming again answers 200 with `already_confirmed`.
#[utoipa::path(
    post, path = "/timebank/records/{id}/confirm", tag = "timebank", security(("bearer" = [])),
    params(
        ("id" = u64, Path, description = "The record's number in my community's bank"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    responses(
        (status = 200, description = "Confirmed: `outcome` is `credited` now, or `already_confirmed` (nothing more credited)", body = ConfirmReply),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Neither its recipient nor staff (`forbidden`); the pool pays and I am not staff (`staff_approves`); the recipient pays and I am not the recipient (`recipient_confirms`); I gave or received it (`own_record`)", body = ErrorBody),
        (status = 404, description = "No such record in my community", body = ErrorBody),
        (status = 409, description = "It was rejected (`transition_refused`), the recipient pays and has too little banked (`conflict`), or the pool pays and the provider's credited pool-paid minutes that month would pass the cap (`pool_cap_reached`, with `remaining_minutes`); it stays pending", body = ErrorBody),
    )
)]
async fn confirm(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Json<ConfirmReply>, ApiError> {
    let id = record_id(&id)?;
    let now = state.clock.now();
    let actor = actor(&who.person);
    let cap = state.timebank.pool_cap;
    let reply = change(&state, who.person.community.clone(), move |conn, bank| {
        let confirmation = bank.confirm(id, &actor, now, cap).map_err(|e| match e {
            TimeBankError::NotEnough { .. } => {
                ApiError::Conflict(format!("{e}; the record stays pending"))
            }
            TimeBankError::PoolCapReached { remaining, .. } => ApiError::TimeBank {
                refusal: Refusal::PoolCapReached,
                message: format!("{e}; the record stays pending"),
                field: None,
                remaining_minutes: Some(remaining),
            },
            e => refusal(e),
        })?;
        let record = bank
            .record(id)
            .ok_or_else(|| ApiError::Internal(format!("record {id} vanished")))?;
        let credited = matches!(
            confirmation,
            citizen_core::timebank::Confirmation::Credited { .. }
        );
        let reply = ConfirmReply::new(confirmation, record_view(conn, record, actor.id)?);
        Ok((reply, credited.then_some(id)))
    })
    .await?;
    Ok(Json(reply))
}

/// Reject a service I received (or, for staff, any service in the community but one they gave):
/// it will never credit. Rejecting again changes nothing.
#[utoipa::path(
    post, path = "/timebank/records/{id}/reject", tag = "timebank", security(("bearer" = [])),
    params(
        ("id" = u64, Path, description = "The record's number in my community's bank"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry safely"),
    ),
    request_body = RejectService,
    responses(
        (status = 200, description = "Rejected", body = RecordView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Neither its recipient nor staff (`forbidden`), or staff rejecting a service they gave (`own_record`)", body = ErrorBody),
        (status = 404, description = "No such record in my community", body = ErrorBody),
        (status = 409, description = "It was confirmed already (`transition_refused`)", body = ErrorBody),
        (status = 422, description = "`reason`: 1–500 characters", body = ErrorBody),
    )
)]
async fn reject(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RejectService>,
) -> Result<Json<RecordView>, ApiError> {
    let id = record_id(&id)?;
    let now = state.clock.now();
    let actor = actor(&who.person);
    let view = change(&state, who.person.community.clone(), move |conn, bank| {
        bank.reject(id, &actor, Some(body.reason), now)
            .map_err(refusal)?;
        let record = bank
            .record(id)
            .ok_or_else(|| ApiError::Internal(format!("record {id} vanished")))?;
        Ok((record_view(conn, record, actor.id)?, Some(id)))
    })
    .await?;
    Ok(Json(view))
}

/// Give minutes of my banked time to a linked family member.
#[utoipa::path(
    post, path = "/timebank/gifts", tag = "timebank", security(("bearer" = [])),
    request_body = NewGift,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: given once")),
    responses(
        (status = 201, description = "Given; my statement's line for it, with my balance after", body = StatementEntry),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 422, description = "`to`: not a linked family member (or me); `minutes`: zero, or more than my balance", body = ErrorBody),
    )
)]
async fn gift(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(body): ApiJson<NewGift>,
) -> Result<(StatusCode, Json<StatementEntry>), ApiError> {
    let now = state.clock.now();
    let me = who.person.id;
    let entry = change(&state, who.person.community.clone(), move |conn, bank| {
        let transfer = bank
            .gift(me, body.to, body.minutes, now)
            .map_err(refusal)?
            .clone();
        let line = StatementLine {
            transfer: transfer.id,
            at: transfer.at,
            counterparty: transfer.to.clone(),
            reason: transfer.reason,
            delta: -transfer.amount.signed(),
            balance: bank.balance(&AccountId::member(me)),
        };
        Ok((entry_view(conn, &line)?, None))
    })
    .await?;
    tracing::info!(transfer = entry.transfer, "time-bank gift");
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Link two members of my community as family (staff, after checking the relationship), so
/// they may give each other time.
#[utoipa::path(
    post, path = "/timebank/family", tag = "timebank", security(("bearer" = [])),
    request_body = NewFamilyLink,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely")),
    responses(
        (status = 201, description = "Linked", body = FamilyLink),
        (status = 200, description = "They were linked already", body = FamilyLink),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "`person` or `relative`: not a member of my community; `relative`: the person themself", body = ErrorBody),
    )
)]
async fn link(
    State(state): State<AppState>,
    who: SignedIn,
    ApiJson(body): ApiJson<NewFamilyLink>,
) -> Result<(StatusCode, Json<FamilyLink>), ApiError> {
    who.require(Role::Staff)?;
    let community = who.person.community.clone();
    let (created, link) = change(&state, community.clone(), move |conn, bank| {
        for (field, id) in [("person", body.person), ("relative", body.relative)] {
            if people::community_of(conn, id)?.as_deref() != Some(community.as_str()) {
                return Err(ApiError::invalid(
                    field,
                    format!("no member {id} in your community"),
                ));
            }
        }
        let (a, b) = (body.person, body.relative);
        bank.link_family(a, b).map_err(refusal)?;
        let created = store::link(conn, &community, a.get(), b.get())?;
        let members = Members::of(conn, [a, b])?;
        let link = FamilyLink {
            person: members.get(a),
            relative: members.get(b),
        };
        Ok(((created, link), None))
    })
    .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(link)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct StatementQuery {
    /// Lines per page, 1–100 (20 when left out).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<usize>,
    /// Only lines of transfers before this one: the previous page's `next_before`.
    #[param(minimum = 0)]
    before: Option<i64>,
}

/// My statement, newest first, a page at a time, each line with the balance after it.
#[utoipa::path(
    get, path = "/timebank/statement", tag = "timebank", security(("bearer" = [])),
    params(StatementQuery),
    responses(
        (status = 200, description = "A page of my statement", body = StatementPage),
        (status = 400, description = "An unknown or malformed parameter", body = ErrorBody),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 422, description = "`limit` or `before` out of range", body = ErrorBody),
    )
)]
async fn statement(
    State(state): State<AppState>,
    who: SignedIn,
    ApiQuery(query): ApiQuery<StatementQuery>,
) -> Result<Json<StatementPage>, ApiError> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid("limit", "between 1 and 100"));
    }
    let before = query
        .before
        .map(u64::try_from)
        .transpose()
        .map_err(|_| ApiError::invalid("before", "a transfer number, 0 or more"))?;
    let person = who.person.clone();
    let page = read(&state, move |tx| {
        let account = AccountId::member(person.id);
        let balance = store::balance(tx, &person.community, &account)?;
        // One line more than asked, to know whether there is another page.
        let mut lines = store::statement(tx, &person.community, &account, before, limit + 1)?;
        let more = lines.len() > limit;
        lines.truncate(limit);
        let members = Members::of(
            tx,
            lines.iter().filter_map(|l| account_member(&l.counterparty)),
        )?;
        let member = |m: MemberId| members.get(m);
        Ok(StatementPage {
            balance,
            next_before: more.then(|| lines.last().map(|l| l.transfer)).flatten(),
            lines: lines
                .iter()
                .map(|l| StatementEntry::new(l, &member))
                .collect(),
        })
    })
    .await?;
    Ok(Json(page))
}

/// The community pool and the bank's totals (staff): the accounts always sum to zero.
#[utoipa::path(
    get, path = "/timebank/pool", tag = "timebank", security(("bearer" = [])),
    responses(
        (status = 200, description = "The pool's balance, every member's, the totals and the records waiting", body = PoolReport),
        (status = 401, description = "No valid sign-in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
    )
)]
async fn pool(State(state): State<AppState>, who: SignedIn) -> Result<Json<PoolReport>, ApiError> {
    who.require(Role::Staff)?;
    let community = who.person.community.clone();
    let report = read(&state, move |tx| {
        let bank = store::load(tx, &community)?;
        let members = Members::of(
            tx,
            bank.balances()
                .filter_map(|(account, _)| account_member(account))
                .chain(bank.pending().flat_map(mentioned)),
        )?;
        Ok(PoolReport::new(&bank, &|m| members.get(m)))
    })
    .await?;
    Ok(Json(report))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(account))
        .routes(routes!(log))
        .routes(routes!(confirm))
        .routes(routes!(reject))
        .routes(routes!(gift))
        .routes(routes!(link))
        .routes(routes!(statement))
        .routes(routes!(pool))
}
