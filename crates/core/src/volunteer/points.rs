//! Volunteer points (志愿积分): earned by verified participation, spent in the community's points
//! mall.
//!
//! Everything lives in one append-only ledger ([`PointsBook`]): awards, redemptions, hand-overs
//! of redeemed items at the counter, cancelled redemptions and restocks of mall items. A member's balance and an item's stock are sums over
//! it, never stored numbers that could drift from the history. A redemption is one entry that
//! takes the price from the member and one item from the stock together, so there is no moment
//! when one has happened and the other has not; cancelling it is one entry that gives both back.
//! Every rule is checked before an entry is appended, so no balance or stock is ever negative.
//!
//! The monthly leaderboard and star levels (星级) are pure functions of the same entries.

use crate::bounded::bounded_u32;
use crate::requests::CivilDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use thiserror::Error;

/// The most points one award, price or cap may be: a typo guard, far above any real price.
pub const MAX_POINTS: u32 = 1_000_000;

bounded_u32! {
    /// An amount of points: 1 to 1,000,000. Zero is never an award or a price.
    pub struct Points(u32);
    range: 1..=MAX_POINTS;
    error: PointsAmountError("an amount of points is 1 to {MAX_POINTS}, got {0}");
    get: get;
}

bounded_u32! {
    /// The time staff verified one volunteer gave at one activity: 0 to 24 hours, in whole minutes.
    /// An award covers one activity on one day; the ceiling catches "600" typed for "6 hours",
    /// which would otherwise jump a star level.
    pub struct VerifiedMinutes(u32);
    range: 0..=VerifiedMinutes::MAX;
    error: VerifiedMinutesError("verified time is 0 to 24 hours (1440 minutes), got {0} minutes");
    get: get;
}

impl VerifiedMinutes {
    pub const MAX: u32 = 24 * 60;
}

/// How an activity awards points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AwardRule {
    /// `per_hour` × verified hours (pro rata by the minute, rounded down), at most `cap` for
    /// the activity, so a long day does not outweigh everything else on the leaderboard.
    PerHour { per_hour: Points, cap: Points },
    /// The same award for everyone verified as having taken part.
    Fixed { points: Points },
}

impl AwardRule {
    /// The points earned for `verified` time (possibly 0: a few minutes at a low rate).
    pub fn points_for(self, verified: VerifiedMinutes) -> u32 {
        match self {
            AwardRule::PerHour { per_hour, cap } => {
                let earned = u64::from(per_hour.get()) * u64::from(verified.get()) / 60;
                u32::try_from(earned.min(u64::from(cap.get()))).unwrap_or(cap.get())
            }
            AwardRule::Fixed { points } => points.get(),
        }
    }
}

/// What an entry records. Each entry carries everything its effect depends on, so a balance or
/// a stock is a sum over entries without looking anything up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EntryKind {
    /// Points for verified participation in an activity.
    Award {
        member: String,
        community: String,
        activity: String,
        points: Points,
        verified_minutes: VerifiedMinutes,
    },
    /// A mall item taken for `price` points.
    Redeem {
        member: String,
        item: String,
        price: Points,
    },
    /// The redemption at entry `redemption` undone: its points and its item come back.
    CancelRedeem {
        redemption: u64,
        member: String,
        item: String,
        price: Points,
    },
    /// Staff put `quantity` more of an item in the mall.
    Restock { item: String, quantity: u32 },
    /// Staff gave the item of the redemption at entry `redemption` to its redeemer at the
    /// counter. Neither points nor stock change; from now on only staff may cancel it.
    HandOver {
        redemption: u64,
        member: String,
        item: String,
    },
}

/// One line of the ledger. `seq` is its position, from 0, and names a redemption to cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsEntry {
    pub seq: u64,
    /// Unix seconds.
    pub at: i64,
    #[serde(flatten)]
    pub kind: EntryKind,
}

impl PointsEntry {
    /// The member whose balance the entry changes, if any (a hand-over changes none).
    pub fn member(&self) -> Option<&str> {
        match &self.kind {
            EntryKind::Award { member, .. }
            | EntryKind::Redeem { member, .. }
            | EntryKind::CancelRedeem { member, .. } => Some(member),
            EntryKind::Restock { .. } | EntryKind::HandOver { .. } => None,
        }
    }

    /// The change to that member's balance.
    pub fn points_delta(&self) -> i64 {
        match &self.kind {
            EntryKind::Award { points, .. } => i64::from(points.get()),
            EntryKind::Redeem { price, .. } => -i64::from(price.get()),
            EntryKind::CancelRedeem { price, .. } => i64::from(price.get()),
            EntryKind::Restock { .. } | EntryKind::HandOver { .. } => 0,
        }
    }

    /// The item whose stock the entry changes, and by how much.
    pub fn stock_delta(&self) -> Option<(&str, i64)> {
        match &self.kind {
            EntryKind::Restock { item, quantity } => Some((item, i64::from(*quantity))),
            EntryKind::Redeem { item, .. } => Some((item, -1)),
            EntryKind::CancelRedeem { item, .. } => Some((item, 1)),
            EntryKind::Award { .. } | EntryKind::HandOver { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PointsError {
    /// Verifying the same person at the same activity twice credits once.
    #[error("{member} already has the award for activity {activity}")]
    AlreadyAwarded { member: String, activity: String },
    #[error("the verified time earns no points")]
    NothingToAward,
    #[error("{item} is out of stock")]
    OutOfStock { item: String },
    #[error("not enough points: the balance is {balance}, the price {price}")]
    NotEnoughPoints { balance: u64, price: u32 },
    #[error("entry {seq} is not a redemption")]
    NotARedemption { seq: u64 },
    #[error("redemption {seq} was already cancelled")]
    AlreadyCancelled { seq: u64 },
    #[error("a restock adds at least one item")]
    EmptyRestock,
    /// Only when restoring stored entries: a cancellation or hand-over that does not match its
    /// redemption.
    #[error("the cancellation does not match redemption {seq}")]
    CancelMismatch { seq: u64 },
    /// Separation of duties: nobody credits themselves.
    #[error("nobody may award points to themselves")]
    OwnAward,
    /// Staff verified no time: nothing was given.
    #[error("verified time of 0 minutes earns nothing")]
    ZeroMinutes,
    /// Someone else's redemption, and the actor is not staff.
    #[error("only its redeemer or staff may cancel redemption {seq}")]
    NotYours { seq: u64 },
    /// The item was handed over at the counter: only staff (other than the redeemer) may cancel.
    #[error("redemption {seq} was handed over: only staff may cancel it")]
    HandedOver { seq: u64 },
    #[error("redemption {seq} was already handed over")]
    AlreadyHandedOver { seq: u64 },
    /// Separation of duties: staff do not hand over, or cancel after hand-over, their own
    /// redemption.
    #[error("staff may not hand over or take back their own redemption {seq}")]
    OwnRedemption { seq: u64 },
    /// Only staff mark a redemption handed over.
    #[error("only staff may hand over a redeemed item")]
    StaffOnly,
}

/// Who asks for a change: a member's id, and whether they act as staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor<'a> {
    pub id: &'a str,
    pub staff: bool,
}

impl<'a> Actor<'a> {
    pub fn member(id: &'a str) -> Actor<'a> {
        Actor { id, staff: false }
    }

    pub fn staff(id: &'a str) -> Actor<'a> {
        Actor { id, staff: true }
    }
}

/// Where a redemption stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RedemptionState {
    /// Redeemed, waiting to be collected at the counter: its redeemer or staff may cancel.
    Waiting,
    /// Staff handed the item over: only staff (not the redeemer) may cancel.
    HandedOver,
    /// Cancelled: the points and the item came back.
    Cancelled,
}

impl RedemptionState {
    pub const ALL: [RedemptionState; 3] = [
        RedemptionState::Waiting,
        RedemptionState::HandedOver,
        RedemptionState::Cancelled,
    ];

    /// The name in a query string (`?state=waiting`).
    pub fn as_str(self) -> &'static str {
        match self {
            RedemptionState::Waiting => "waiting",
            RedemptionState::HandedOver => "handed_over",
            RedemptionState::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<RedemptionState> {
        RedemptionState::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// One redemption and where it stands, read off the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption<'a> {
    pub seq: u64,
    pub at: i64,
    pub member: &'a str,
    pub item: &'a str,
    pub price: Points,
    pub state: RedemptionState,
    /// When staff handed it over, if they did (a cancelled redemption may have been).
    pub handed_over_at: Option<i64>,
}

/// Stored entries that break a rule: which one, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RestoreError {
    #[error("entry {found} is out of order: expected entry {expected}")]
    OutOfOrder { expected: u64, found: u64 },
    #[error("entry {seq}: {error}")]
    Broken { seq: u64, error: PointsError },
}

/// One line of a member's points history, with the balance after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointsLine<'a> {
    pub entry: &'a PointsEntry,
    pub delta: i64,
    pub balance: u64,
}

/// The ledger and what is derived from it. Serialised as its entries alone; reading it back
/// replays them through the rules, so stored data that breaks one is refused, not trusted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "Vec<PointsEntry>", into = "Vec<PointsEntry>")]
pub struct PointsBook {
    entries: Vec<PointsEntry>,
    balances: BTreeMap<String, u64>,
    verified: BTreeMap<String, u64>,
    stock: BTreeMap<String, u64>,
    awarded: BTreeSet<(String, String)>,
    cancelled: BTreeSet<u64>,
    /// Redemption → when it was handed over.
    handed_over: BTreeMap<u64, i64>,
}

impl PointsBook {
    pub fn new() -> PointsBook {
        PointsBook::default()
    }

    /// The book from stored entries, in order, each checked as if it were appended now.
    pub fn restore(entries: Vec<PointsEntry>) -> Result<PointsBook, RestoreError> {
        let mut book = PointsBook::new();
        for (expected, entry) in (0u64..).zip(entries) {
            if entry.seq != expected {
                return Err(RestoreError::OutOfOrder {
                    expected,
                    found: entry.seq,
                });
            }
            book.check(&entry.kind)
                .map_err(|error| RestoreError::Broken {
                    seq: expected,
                    error,
                })?;
            book.commit(entry.at, entry.kind);
        }
        Ok(book)
    }

    pub fn entries(&self) -> &[PointsEntry] {
        &self.entries
    }

    pub fn balance(&self, member: &str) -> u64 {
        self.balances.get(member).copied().unwrap_or(0)
    }

    pub fn stock(&self, item: &str) -> u64 {
        self.stock.get(item).copied().unwrap_or(0)
    }

    /// Every verified minute the member has been awarded for, ever (star levels count these).
    pub fn verified_minutes(&self, member: &str) -> u64 {
        self.verified.get(member).copied().unwrap_or(0)
    }

    pub fn star_level(&self, member: &str) -> StarLevel {
        StarLevel::for_minutes(self.verified_minutes(member))
    }

    pub fn is_cancelled(&self, redemption: u64) -> bool {
        self.cancelled.contains(&redemption)
    }

    pub fn is_handed_over(&self, redemption: u64) -> bool {
        self.handed_over.contains_key(&redemption)
    }

    /// The redemption at entry `seq`, if that entry is one.
    pub fn redemption(&self, seq: u64) -> Option<Redemption<'_>> {
        let entry = usize::try_from(seq)
            .ok()
            .and_then(|i| self.entries.get(i))?;
        let EntryKind::Redeem {
            member,
            item,
            price,
        } = &entry.kind
        else {
            return None;
        };
        let handed_over_at = self.handed_over.get(&seq).copied();
        let state = if self.cancelled.contains(&seq) {
            RedemptionState::Cancelled
        } else if handed_over_at.is_some() {
            RedemptionState::HandedOver
        } else {
            RedemptionState::Waiting
        };
        Some(Redemption {
            seq,
            at: entry.at,
            member,
            item,
            price: *price,
            state,
            handed_over_at,
        })
    }

    /// Every redemption, oldest first.
    pub fn redemptions(&self) -> impl Iterator<Item = Redemption<'_>> {
        self.entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Redeem { .. }))
            .filter_map(|e| self.redemption(e.seq))
    }

    /// The member's entries, oldest first, each with the balance after it.
    pub fn history(&self, member: &str) -> Vec<PointsLine<'_>> {
        let mut balance = 0u64;
        self.entries
            .iter()
            .filter(|e| e.member() == Some(member))
            .map(|entry| {
                let delta = entry.points_delta();
                balance = balance.saturating_add_signed(delta);
                PointsLine {
                    entry,
                    delta,
                    balance,
                }
            })
            .collect()
    }

    /// Credits `member` for `activity` under `rule`, once per member and activity, on the word of
    /// `by` (the staff member who verified the time): never their own, and never for no time.
    #[allow(clippy::too_many_arguments)]
    pub fn award(
        &mut self,
        member: &str,
        community: &str,
        activity: &str,
        rule: AwardRule,
        verified: VerifiedMinutes,
        by: &str,
        now: i64,
    ) -> Result<&PointsEntry, PointsError> {
        if by == member {
            return Err(PointsError::OwnAward);
        }
        if verified.get() == 0 {
            return Err(PointsError::ZeroMinutes);
        }
        let points =
            Points::new(rule.points_for(verified)).map_err(|_| PointsError::NothingToAward)?;
        self.append(
            now,
            EntryKind::Award {
                member: member.to_owned(),
                community: community.to_owned(),
                activity: activity.to_owned(),
                points,
                verified_minutes: verified,
            },
        )
    }

    pub fn restock(
        &mut self,
        item: &str,
        quantity: u32,
        now: i64,
    ) -> Result<&PointsEntry, PointsError> {
        self.append(
            now,
            EntryKind::Restock {
                item: item.to_owned(),
                quantity,
            },
        )
    }

    /// Takes one `item` for `price` points. Both the stock and the balance are checked before
    /// anything is written; when both fall short, "out of stock" is the answer, since no amount
    /// of points would help.
    pub fn redeem(
        &mut self,
        member: &str,
        item: &str,
        price: Points,
        now: i64,
    ) -> Result<&PointsEntry, PointsError> {
        self.append(
            now,
            EntryKind::Redeem {
                member: member.to_owned(),
                item: item.to_owned(),
                price,
            },
        )
    }

    /// Undoes the redemption at entry `redemption`: the price goes back to the member and the
    /// item back to the stock, once. Before hand-over its redeemer or staff may cancel; after,
    /// only staff, and not staff cancelling their own (they would keep the item and get the
    /// points back).
    pub fn cancel_redemption(
        &mut self,
        redemption: u64,
        by: Actor<'_>,
        now: i64,
    ) -> Result<&PointsEntry, PointsError> {
        let seq = redemption;
        let Some(found) = self.redemption(seq) else {
            return Err(PointsError::NotARedemption { seq });
        };
        let own = found.member == by.id;
        if !own && !by.staff {
            return Err(PointsError::NotYours { seq });
        }
        match found.state {
            RedemptionState::Cancelled => return Err(PointsError::AlreadyCancelled { seq }),
            RedemptionState::HandedOver if !by.staff => {
                return Err(PointsError::HandedOver { seq });
            }
            RedemptionState::HandedOver if own => return Err(PointsError::OwnRedemption { seq }),
            RedemptionState::HandedOver | RedemptionState::Waiting => {}
        }
        let kind = EntryKind::CancelRedeem {
            redemption,
            member: found.member.to_owned(),
            item: found.item.to_owned(),
            price: found.price,
        };
        self.append(now, kind)
    }

    /// Staff mark the redemption at entry `redemption` handed over at the counter, once, and
    /// never their own.
    pub fn hand_over(
        &mut self,
        redemption: u64,
        by: Actor<'_>,
        now: i64,
    ) -> Result<&PointsEntry, PointsError> {
        let seq = redemption;
        if !by.staff {
            return Err(PointsError::StaffOnly);
        }
        let Some(found) = self.redemption(seq) else {
            return Err(PointsError::NotARedemption { seq });
        };
        if found.member == by.id {
            return Err(PointsError::OwnRedemption { seq });
        }
        let kind = EntryKind::HandOver {
            redemption,
            member: found.member.to_owned(),
            item: found.item.to_owned(),
        };
        self.append(now, kind)
    }

    fn append(&mut self, at: i64, kind: EntryKind) -> Result<&PointsEntry, PointsError> {
        self.check(&kind)?;
        Ok(self.commit(at, kind))
    }

    /// Whether `kind` may be appended now. Every rule of the ledger is here, for new entries and
    /// for stored ones alike.
    fn check(&self, kind: &EntryKind) -> Result<(), PointsError> {
        match kind {
            EntryKind::Award {
                member, activity, ..
            } => {
                if self.awarded.contains(&(member.clone(), activity.clone())) {
                    return Err(PointsError::AlreadyAwarded {
                        member: member.clone(),
                        activity: activity.clone(),
                    });
                }
            }
            EntryKind::Redeem {
                member,
                item,
                price,
            } => {
                if self.stock(item) < 1 {
                    return Err(PointsError::OutOfStock { item: item.clone() });
                }
                let balance = self.balance(member);
                if balance < u64::from(price.get()) {
                    return Err(PointsError::NotEnoughPoints {
                        balance,
                        price: price.get(),
                    });
                }
            }
            EntryKind::CancelRedeem {
                redemption,
                member,
                item,
                price,
            } => {
                let seq = *redemption;
                let original = usize::try_from(seq).ok().and_then(|i| self.entries.get(i));
                let Some(PointsEntry {
                    kind:
                        EntryKind::Redeem {
                            member: m,
                            item: i,
                            price: p,
                        },
                    ..
                }) = original
                else {
                    return Err(PointsError::NotARedemption { seq });
                };
                if self.cancelled.contains(&seq) {
                    return Err(PointsError::AlreadyCancelled { seq });
                }
                if (m, i, p) != (member, item, price) {
                    return Err(PointsError::CancelMismatch { seq });
                }
            }
            EntryKind::Restock { quantity, .. } => {
                if *quantity == 0 {
                    return Err(PointsError::EmptyRestock);
                }
            }
            EntryKind::HandOver {
                redemption,
                member,
                item,
            } => {
                let seq = *redemption;
                let Some(found) = self.redemption(seq) else {
                    return Err(PointsError::NotARedemption { seq });
                };
                match found.state {
                    RedemptionState::Cancelled => {
                        return Err(PointsError::AlreadyCancelled { seq });
                    }
                    RedemptionState::HandedOver => {
                        return Err(PointsError::AlreadyHandedOver { seq });
                    }
                    RedemptionState::Waiting => {}
                }
                if (found.member, found.item) != (member.as_str(), item.as_str()) {
                    return Err(PointsError::CancelMismatch { seq });
                }
            }
        }
        Ok(())
    }

    /// Appends a checked entry and updates the sums.
    fn commit(&mut self, at: i64, kind: EntryKind) -> &PointsEntry {
        let entry = PointsEntry {
            seq: self.entries.len() as u64,
            at,
            kind,
        };
        if let Some(member) = entry.member() {
            let balance = self.balances.entry(member.to_owned()).or_default();
            *balance = balance.saturating_add_signed(entry.points_delta());
        }
        if let Some((item, delta)) = entry.stock_delta() {
            let stock = self.stock.entry(item.to_owned()).or_default();
            *stock = stock.saturating_add_signed(delta);
        }
        match &entry.kind {
            EntryKind::Award {
                member,
                activity,
                verified_minutes,
                ..
            } => {
                self.awarded.insert((member.clone(), activity.clone()));
                let total = self.verified.entry(member.clone()).or_default();
                *total = total.saturating_add(u64::from(verified_minutes.get()));
            }
            EntryKind::CancelRedeem { redemption, .. } => {
                self.cancelled.insert(*redemption);
            }
            EntryKind::HandOver { redemption, .. } => {
                self.handed_over.insert(*redemption, entry.at);
            }
            EntryKind::Redeem { .. } | EntryKind::Restock { .. } => {}
        }
        self.entries.push(entry);
        self.entries.last().expect("an entry was just pushed")
    }
}

impl TryFrom<Vec<PointsEntry>> for PointsBook {
    type Error = RestoreError;
    fn try_from(entries: Vec<PointsEntry>) -> Result<Self, RestoreError> {
        PointsBook::restore(entries)
    }
}

impl From<PointsBook> for Vec<PointsEntry> {
    fn from(book: PointsBook) -> Vec<PointsEntry> {
        book.entries
    }
}

/// A calendar month in China time (UTC+8), written `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a month is written like 2026-11")]
pub struct MonthError;

impl Month {
    pub fn new(year: i32, month: u8) -> Result<Month, MonthError> {
        if (1..=12).contains(&month) && (0..=9999).contains(&year) {
            Ok(Month { year, month })
        } else {
            Err(MonthError)
        }
    }

    /// The month in China at the instant `unix_secs`: a leaderboard month starts at midnight
    /// Beijing time, not UTC.
    pub fn in_china(unix_secs: i64) -> Month {
        let date = CivilDate::in_china(unix_secs);
        Month {
            year: date.year,
            month: date.month,
        }
    }

    pub fn parse(raw: &str) -> Result<Month, MonthError> {
        let (year, month) = raw.split_once('-').ok_or(MonthError)?;
        if year.len() != 4
            || month.len() != 2
            || !year
                .bytes()
                .chain(month.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return Err(MonthError);
        }
        Month::new(
            year.parse().map_err(|_| MonthError)?,
            month.parse().map_err(|_| MonthError)?,
        )
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = MonthError;
    fn try_from(raw: String) -> Result<Self, MonthError> {
        Month::parse(&raw)
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

/// One place on a monthly leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardRow {
    /// 1 for the most points; equal points share a rank and the next rank is skipped (1, 1, 3).
    pub rank: u32,
    pub member: String,
    /// Points awarded this month in this community.
    pub points: u64,
    pub verified_minutes: u64,
}

/// A community's leaderboard for `month`: points *awarded* there that month (China time).
/// Spending points in the mall does not lower anyone's place. Members with equal points share a
/// rank and are listed by member id, so every backend shows the same order.
pub fn leaderboard(entries: &[PointsEntry], community: &str, month: Month) -> Vec<LeaderboardRow> {
    let mut totals: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for entry in entries {
        if let EntryKind::Award {
            member,
            community: c,
            points,
            verified_minutes,
            ..
        } = &entry.kind
            && c == community
            && Month::in_china(entry.at) == month
        {
            let total = totals.entry(member).or_default();
            total.0 += u64::from(points.get());
            total.1 += u64::from(verified_minutes.get());
        }
    }
    let mut rows: Vec<LeaderboardRow> = totals
        .into_iter()
        .map(|(member, (points, verified_minutes))| LeaderboardRow {
            rank: 0,
            member: member.to_owned(),
            points,
            verified_minutes,
        })
        .collect();
    // Stable: equal points stay in member-id order from the map.
    rows.sort_by_key(|row| std::cmp::Reverse(row.points));
    for i in 0..rows.len() {
        rows[i].rank = if i > 0 && rows[i].points == rows[i - 1].points {
            rows[i - 1].rank
        } else {
            u32::try_from(i + 1).unwrap_or(u32::MAX)
        };
    }
    rows
}

/// A volunteer's star level (星级), from cumulative verified service hours: 1★ at 100 hours,
/// then 300, 600, 1,000 and 1,500 hours for 5★ (the national volunteer-record thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StarLevel(u8);

impl StarLevel {
    /// The hours needed for 1★ to 5★.
    pub const THRESHOLD_HOURS: [u64; 5] = [100, 300, 600, 1_000, 1_500];

    pub fn for_minutes(verified_minutes: u64) -> StarLevel {
        let hours = verified_minutes / 60;
        let stars = StarLevel::THRESHOLD_HOURS
            .iter()
            .filter(|&&t| hours >= t)
            .count();
        StarLevel(stars as u8)
    }

    /// 0 (not yet rated) to 5.
    pub fn stars(self) -> u8 {
        self.0
    }

    /// The hours that reach the next level, if there is one.
    pub fn next_at_hours(self) -> Option<u64> {
        StarLevel::THRESHOLD_HOURS.get(usize::from(self.0)).copied()
    }

    /// Minutes still to serve for the next level, for a progress bar.
    pub fn minutes_to_next(verified_minutes: u64) -> Option<u64> {
        StarLevel::for_minutes(verified_minutes)
            .next_at_hours()
            .map(|h| h * 60 - verified_minutes)
    }
}

impl TryFrom<u8> for StarLevel {
    type Error = &'static str;
    fn try_from(n: u8) -> Result<Self, &'static str> {
        if n <= 5 {
            Ok(StarLevel(n))
        } else {
            Err("a star level is 0 to 5")
        }
    }
}

impl From<StarLevel> for u8 {
    fn from(s: StarLevel) -> u8 {
        s.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pts(n: u32) -> Points {
        Points::new(n).unwrap()
    }
    fn mins(n: u32) -> VerifiedMinutes {
        VerifiedMinutes::new(n).unwrap()
    }
    const PER_HOUR: AwardRule = AwardRule::PerHour {
        per_hour: Points(10),
        cap: Points(50),
    };
    const STAFF: Actor<'static> = Actor {
        id: "staff",
        staff: true,
    };

    /// A book in which Ann has been awarded a fixed 30 points for an hour at activity "a".
    fn ann_awarded_30_points() -> PointsBook {
        let mut book = PointsBook::new();
        book.award(
            "ann",
            "yulin",
            "a",
            AwardRule::Fixed { points: pts(30) },
            mins(60),
            "staff",
            0,
        )
        .unwrap();
        book
    }

    #[test]
    fn amounts_are_checked() {
        assert!(Points::new(0).is_err());
        assert!(Points::new(MAX_POINTS + 1).is_err());
        assert!(serde_json::from_str::<Points>("0").is_err());
        assert!(VerifiedMinutes::new(24 * 60).is_ok());
        assert_eq!(
            VerifiedMinutes::new(600 * 60),
            Err(VerifiedMinutesError(36_000))
        );
    }

    #[test]
    fn awards_are_per_hour_capped_or_fixed() {
        assert_eq!(PER_HOUR.points_for(mins(90)), 15, "10 an hour for 1 h 30");
        assert_eq!(PER_HOUR.points_for(mins(5)), 0);
        assert_eq!(PER_HOUR.points_for(mins(8 * 60)), 50, "capped per activity");
        let fixed = AwardRule::Fixed { points: pts(20) };
        assert_eq!(fixed.points_for(mins(0)), 20);
        let json = serde_json::to_string(&PER_HOUR).unwrap();
        assert_eq!(json, r#"{"kind":"per_hour","per_hour":10,"cap":50}"#);
        assert_eq!(serde_json::from_str::<AwardRule>(&json).unwrap(), PER_HOUR);
    }

    #[test]
    fn an_award_is_credited_once_per_activity() {
        let mut book = PointsBook::new();
        book.award("ann", "yulin", "clean-up", PER_HOUR, mins(120), "staff", 0)
            .unwrap();
        assert_eq!(book.balance("ann"), 20);
        assert_eq!(
            book.award("ann", "yulin", "clean-up", PER_HOUR, mins(120), "staff", 1),
            Err(PointsError::AlreadyAwarded {
                member: "ann".into(),
                activity: "clean-up".into()
            })
        );
        assert_eq!(
            book.award("ann", "yulin", "tea", PER_HOUR, mins(3), "staff", 1),
            Err(PointsError::NothingToAward)
        );
        assert_eq!(book.entries().len(), 1, "refusals write nothing");
        assert_eq!(book.verified_minutes("ann"), 120);
    }

    #[test]
    fn redeeming_needs_points_and_stock_and_cancelling_returns_both() {
        let mut book = ann_awarded_30_points();
        assert_eq!(
            book.redeem("ann", "soap", pts(20), 1),
            Err(PointsError::OutOfStock {
                item: "soap".into()
            })
        );
        book.restock("soap", 1, 2).unwrap();
        assert_eq!(
            book.redeem("ann", "soap", pts(40), 3),
            Err(PointsError::NotEnoughPoints {
                balance: 30,
                price: 40
            })
        );
        let seq = book.redeem("ann", "soap", pts(20), 4).unwrap().seq;
        assert_eq!((book.balance("ann"), book.stock("soap")), (10, 0));
        assert_eq!(
            book.redeem("ann", "soap", pts(5), 5),
            Err(PointsError::OutOfStock {
                item: "soap".into()
            }),
            "stock is checked even when points suffice"
        );
        book.cancel_redemption(seq, STAFF, 6).unwrap();
        assert_eq!((book.balance("ann"), book.stock("soap")), (30, 1));
        assert!(book.is_cancelled(seq));
        assert_eq!(
            book.cancel_redemption(seq, STAFF, 7),
            Err(PointsError::AlreadyCancelled { seq })
        );
        assert_eq!(
            book.cancel_redemption(0, STAFF, 7),
            Err(PointsError::NotARedemption { seq: 0 })
        );
        assert_eq!(
            book.cancel_redemption(99, STAFF, 7),
            Err(PointsError::NotARedemption { seq: 99 })
        );
        assert_eq!(book.restock("soap", 0, 8), Err(PointsError::EmptyRestock));

        let history = book.history("ann");
        let balances: Vec<u64> = history.iter().map(|l| l.balance).collect();
        assert_eq!(balances, [30, 10, 30]);
    }

    #[test]
    fn nobody_awards_themselves_and_zero_minutes_earn_nothing() {
        let mut book = PointsBook::new();
        let fixed = AwardRule::Fixed { points: pts(30) };
        assert_eq!(
            book.award("ann", "yulin", "a", fixed, mins(60), "ann", 0),
            Err(PointsError::OwnAward)
        );
        assert_eq!(
            book.award("ann", "yulin", "a", fixed, mins(0), "staff", 0),
            Err(PointsError::ZeroMinutes),
            "a fixed award needs time given too"
        );
        assert!(book.entries().is_empty());
        book.award("ann", "yulin", "a", fixed, mins(1), "staff", 0)
            .unwrap();
        assert_eq!(book.balance("ann"), 30);
    }

    /// Ann has 30 points and redeemed one soap (entry 2) for 20.
    fn ann_redeemed_soap() -> (PointsBook, u64) {
        let mut book = ann_awarded_30_points();
        book.restock("soap", 1, 1).unwrap();
        let seq = book.redeem("ann", "soap", pts(20), 2).unwrap().seq;
        (book, seq)
    }

    #[test]
    fn staff_hand_over_a_redemption_once_and_never_their_own() {
        let (mut book, seq) = ann_redeemed_soap();
        assert_eq!(
            book.redemption(seq).map(|r| r.state),
            Some(RedemptionState::Waiting)
        );
        assert_eq!(
            book.hand_over(seq, Actor::member("ann"), 3),
            Err(PointsError::StaffOnly),
            "the redeemer cannot mark it collected"
        );
        assert_eq!(
            book.hand_over(seq, Actor::member("bob"), 3),
            Err(PointsError::StaffOnly)
        );
        assert_eq!(
            book.hand_over(seq, Actor::staff("ann"), 3),
            Err(PointsError::OwnRedemption { seq }),
            "staff do not hand over to themselves"
        );
        assert_eq!(
            book.hand_over(0, STAFF, 3),
            Err(PointsError::NotARedemption { seq: 0 })
        );
        let before = (book.balance("ann"), book.stock("soap"));
        book.hand_over(seq, STAFF, 4).unwrap();
        assert_eq!((book.balance("ann"), book.stock("soap")), before);
        let r = book.redemption(seq).unwrap();
        assert_eq!(
            (r.state, r.handed_over_at),
            (RedemptionState::HandedOver, Some(4))
        );
        assert_eq!(
            book.hand_over(seq, STAFF, 5),
            Err(PointsError::AlreadyHandedOver { seq })
        );
        // History and balance ignore the hand-over line.
        assert_eq!(book.history("ann").len(), 2);
    }

    #[test]
    fn before_hand_over_the_redeemer_or_staff_cancel() {
        let (mut book, seq) = ann_redeemed_soap();
        assert_eq!(
            book.cancel_redemption(seq, Actor::member("bob"), 3),
            Err(PointsError::NotYours { seq })
        );
        book.cancel_redemption(seq, Actor::member("ann"), 3)
            .unwrap();
        assert_eq!((book.balance("ann"), book.stock("soap")), (30, 1));
        assert_eq!(
            book.cancel_redemption(seq, STAFF, 4),
            Err(PointsError::AlreadyCancelled { seq })
        );
        assert_eq!(
            book.hand_over(seq, STAFF, 5),
            Err(PointsError::AlreadyCancelled { seq }),
            "a cancelled redemption is not handed over"
        );
        assert_eq!(
            book.redemption(seq).map(|r| r.state),
            Some(RedemptionState::Cancelled)
        );

        let (mut book, seq) = ann_redeemed_soap();
        book.cancel_redemption(seq, STAFF, 3).unwrap();
        assert_eq!((book.balance("ann"), book.stock("soap")), (30, 1));
    }

    #[test]
    fn after_hand_over_only_other_staff_cancel_and_only_once() {
        let (mut book, seq) = ann_redeemed_soap();
        book.hand_over(seq, STAFF, 3).unwrap();
        let before = book.clone();
        assert_eq!(
            book.cancel_redemption(seq, Actor::member("ann"), 4),
            Err(PointsError::HandedOver { seq }),
            "the redeemer holds the item: no points back"
        );
        assert_eq!(
            book.cancel_redemption(seq, Actor::staff("ann"), 4),
            Err(PointsError::OwnRedemption { seq }),
            "nor when the redeemer is staff"
        );
        assert_eq!(
            book.cancel_redemption(seq, Actor::member("bob"), 4),
            Err(PointsError::NotYours { seq })
        );
        assert_eq!(book, before, "refusals write nothing");
        book.cancel_redemption(seq, STAFF, 5).unwrap();
        assert_eq!((book.balance("ann"), book.stock("soap")), (30, 1));
        assert_eq!(
            book.cancel_redemption(seq, STAFF, 6),
            Err(PointsError::AlreadyCancelled { seq })
        );
        assert_eq!((book.balance("ann"), book.stock("soap")), (30, 1));
        let r = book.redemption(seq).unwrap();
        assert_eq!(
            (r.state, r.handed_over_at),
            (RedemptionState::Cancelled, Some(3))
        );
        // The stored form replays to the same book, hand-over included.
        let json = serde_json::to_string(&book).unwrap();
        assert!(json.contains(r#""kind":"hand_over""#), "{json}");
        assert_eq!(serde_json::from_str::<PointsBook>(&json).unwrap(), book);
    }

    #[test]
    fn a_stored_hand_over_must_match_a_waiting_redemption() {
        let (mut book, seq) = ann_redeemed_soap();
        book.cancel_redemption(seq, STAFF, 3).unwrap();
        let mut entries = book.entries().to_vec();
        entries.push(PointsEntry {
            seq: 4,
            at: 4,
            kind: EntryKind::HandOver {
                redemption: seq,
                member: "ann".into(),
                item: "soap".into(),
            },
        });
        assert_eq!(
            PointsBook::restore(entries),
            Err(RestoreError::Broken {
                seq: 4,
                error: PointsError::AlreadyCancelled { seq }
            })
        );
        let (book, seq) = ann_redeemed_soap();
        let mut entries = book.entries().to_vec();
        entries.push(PointsEntry {
            seq: 3,
            at: 3,
            kind: EntryKind::HandOver {
                redemption: seq,
                member: "bob".into(),
                item: "soap".into(),
            },
        });
        assert_eq!(
            PointsBook::restore(entries),
            Err(RestoreError::Broken {
                seq: 3,
                error: PointsError::CancelMismatch { seq }
            })
        );
    }

    #[test]
    fn a_stored_book_is_replayed_through_the_rules() {
        let mut book = ann_awarded_30_points();
        book.restock("soap", 2, 1).unwrap();
        let seq = book.redeem("ann", "soap", pts(20), 2).unwrap().seq;
        book.cancel_redemption(seq, STAFF, 3).unwrap();
        let json = serde_json::to_string(&book).unwrap();
        assert!(json.contains(r#""kind":"cancel_redeem""#), "{json}");
        assert_eq!(serde_json::from_str::<PointsBook>(&json).unwrap(), book);

        // A redemption the balance could not pay for is refused on the way in.
        let forged = vec![
            PointsEntry {
                seq: 0,
                at: 0,
                kind: EntryKind::Restock {
                    item: "soap".into(),
                    quantity: 1,
                },
            },
            PointsEntry {
                seq: 1,
                at: 0,
                kind: EntryKind::Redeem {
                    member: "bob".into(),
                    item: "soap".into(),
                    price: pts(5),
                },
            },
        ];
        assert!(matches!(
            PointsBook::restore(forged.clone()),
            Err(RestoreError::Broken {
                seq: 1,
                error: PointsError::NotEnoughPoints { .. }
            })
        ));
        let mut swapped = forged;
        swapped.swap(0, 1);
        assert_eq!(
            PointsBook::restore(swapped),
            Err(RestoreError::OutOfOrder {
                expected: 0,
                found: 1
            })
        );
        // A cancellation must give back exactly what was taken.
        let mut entries = book.entries().to_vec();
        if let EntryKind::CancelRedeem { price, .. } = &mut entries[3].kind {
            *price = pts(25);
        }
        assert!(matches!(
            PointsBook::restore(entries),
            Err(RestoreError::Broken {
                seq: 3,
                error: PointsError::CancelMismatch { seq: 2 }
            })
        ));
    }

    /// 2026-11-01 00:00 in China is 2026-10-31 16:00 UTC.
    const NOV_1_CHINA: i64 = 1_793_462_400;

    #[test]
    fn months_start_at_midnight_beijing_time() {
        assert_eq!(Month::in_china(NOV_1_CHINA).to_string(), "2026-11");
        assert_eq!(Month::in_china(NOV_1_CHINA - 1).to_string(), "2026-10");
        assert_eq!(Month::parse("2026-11"), Month::new(2026, 11));
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("2026-1").is_err());
        assert!(Month::parse("+026-11").is_err());
        let json = serde_json::to_string(&Month::new(2026, 3).unwrap()).unwrap();
        assert_eq!(json, r#""2026-03""#);
    }

    #[test]
    fn the_leaderboard_counts_a_communitys_awards_in_the_month() {
        let mut book = PointsBook::new();
        let fixed = |n| AwardRule::Fixed { points: pts(n) };
        book.award(
            "ann",
            "yulin",
            "a",
            fixed(30),
            mins(60),
            "staff",
            NOV_1_CHINA,
        )
        .unwrap();
        book.award(
            "bob",
            "yulin",
            "a",
            fixed(30),
            mins(90),
            "staff",
            NOV_1_CHINA + 10,
        )
        .unwrap();
        book.award(
            "cat",
            "yulin",
            "a",
            fixed(10),
            mins(30),
            "staff",
            NOV_1_CHINA + 20,
        )
        .unwrap();
        book.award(
            "dan",
            "yulin",
            "b",
            fixed(99),
            mins(60),
            "staff",
            NOV_1_CHINA - 1,
        )
        .unwrap(); // October in China
        book.award(
            "eve",
            "other",
            "a",
            fixed(99),
            mins(60),
            "staff",
            NOV_1_CHINA,
        )
        .unwrap(); // another community
        book.restock("soap", 1, NOV_1_CHINA).unwrap();
        book.redeem("ann", "soap", pts(30), NOV_1_CHINA + 30)
            .unwrap(); // spending does not lower the place

        let board = leaderboard(book.entries(), "yulin", Month::new(2026, 11).unwrap());
        let summary: Vec<(u32, &str, u64)> = board
            .iter()
            .map(|r| (r.rank, r.member.as_str(), r.points))
            .collect();
        assert_eq!(summary, [(1, "ann", 30), (1, "bob", 30), (3, "cat", 10)]);
        assert_eq!(board[1].verified_minutes, 90);
        let october = leaderboard(book.entries(), "yulin", Month::new(2026, 10).unwrap());
        assert_eq!(october.len(), 1);
        assert_eq!(october[0].member, "dan");
    }

    #[test]
    fn star_levels_follow_cumulative_verified_hours() {
        let at = |hours: u64| StarLevel::for_minutes(hours * 60).stars();
        assert_eq!(at(0), 0);
        assert_eq!(StarLevel::for_minutes(100 * 60 - 1).stars(), 0);
        assert_eq!(at(100), 1);
        assert_eq!(at(299), 1);
        assert_eq!(at(300), 2);
        assert_eq!(at(600), 3);
        assert_eq!(at(1_000), 4);
        assert_eq!(at(1_500), 5);
        assert_eq!(at(9_999), 5);
        assert_eq!(StarLevel::for_minutes(0).next_at_hours(), Some(100));
        assert_eq!(StarLevel::minutes_to_next(99 * 60 + 30), Some(30));
        assert_eq!(StarLevel::minutes_to_next(1_500 * 60), None);

        let mut book = PointsBook::new();
        for day in 0..13 {
            book.award(
                "ann",
                "yulin",
                &format!("day-{day}"),
                PER_HOUR,
                mins(8 * 60),
                "staff",
                day,
            )
            .unwrap();
        }
        assert_eq!(book.verified_minutes("ann"), 104 * 60);
        assert_eq!(book.star_level("ann").stars(), 1);
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// Member, activity, minutes, verifier (4 and 5 are staff; a member may try themselves).
        Award(u8, u8, u32, u8),
        Restock(u8, u32),
        Redeem(u8, u8, u32),
        /// Redemption, actor.
        Cancel(u64, u8),
        HandOver(u64, u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..4, 0u8..6, 0u32..=600, 0u8..6).prop_map(|(m, a, v, by)| Op::Award(m, a, v, by)),
            (0u8..3, 0u32..3).prop_map(|(i, q)| Op::Restock(i, q)),
            (0u8..5, 0u8..3, 1u32..40).prop_map(|(m, i, p)| Op::Redeem(m, i, p)),
            (0u64..40, 0u8..6).prop_map(|(s, by)| Op::Cancel(s, by)),
            (0u64..40, 0u8..6).prop_map(|(s, by)| Op::HandOver(s, by)),
        ]
    }

    /// The people of the proptest: four residents, then two staff ("sam" may also redeem).
    const PEOPLE: [&str; 6] = ["ann", "bob", "cat", "dan", "sam", "tom"];

    fn actor(i: u8) -> Actor<'static> {
        Actor {
            id: PEOPLE[usize::from(i)],
            staff: i >= 4,
        }
    }

    proptest! {
        /// Whatever people try, every balance equals the sum of its entries and is never
        /// negative, no stock goes below zero, a redemption is cancelled at most once, a refusal
        /// writes nothing, and the stored form reads back to the same book.
        #[test]
        fn the_ledger_stays_sound(ops in proptest::collection::vec(op(), 0..80)) {
            let members = ["ann", "bob", "cat", "dan", "sam"];
            let items = ["soap", "rice", "oil"];
            let mut book = PointsBook::new();
            for (now, op) in (0i64..).zip(ops) {
                let before = book.clone();
                let result = match op {
                    Op::Award(m, a, v, by) => {
                        let (member, by) = (members[m as usize], PEOPLE[usize::from(by)]);
                        let r = book
                            .award(member, "yulin", &format!("act-{a}"), PER_HOUR, mins(v), by, now)
                            .map(|_| ());
                        if member == by {
                            prop_assert_eq!(&r, &Err(PointsError::OwnAward));
                        }
                        r
                    }
                    Op::Restock(i, q) => book.restock(items[i as usize], q, now).map(|_| ()),
                    Op::Redeem(m, i, p) => {
                        let (member, item) = (members[m as usize], items[i as usize]);
                        let (balance, stock) = (book.balance(member), book.stock(item));
                        let r = book.redeem(member, item, pts(p), now).map(|_| ());
                        prop_assert_eq!(r.is_ok(), balance >= u64::from(p) && stock >= 1);
                        r
                    }
                    Op::Cancel(seq, by) => {
                        let by = actor(by);
                        let found = book.redemption(seq).map(|r| (r.member.to_owned(), r.state));
                        let r = book.cancel_redemption(seq, by, now).map(|_| ());
                        match found {
                            None => prop_assert_eq!(&r, &Err(PointsError::NotARedemption { seq })),
                            Some((member, _)) if member != by.id && !by.staff => {
                                prop_assert_eq!(&r, &Err(PointsError::NotYours { seq }));
                            }
                            Some((_, RedemptionState::Cancelled)) => {
                                prop_assert_eq!(&r, &Err(PointsError::AlreadyCancelled { seq }));
                            }
                            Some((member, RedemptionState::HandedOver)) => {
                                // After hand-over: staff only, and not their own.
                                prop_assert_eq!(r.is_ok(), by.staff && member != by.id);
                            }
                            Some((_, RedemptionState::Waiting)) => prop_assert!(r.is_ok()),
                        }
                        r
                    }
                    Op::HandOver(seq, by) => {
                        let by = actor(by);
                        let found = book.redemption(seq).map(|r| (r.member.to_owned(), r.state));
                        let r = book.hand_over(seq, by, now).map(|_| ());
                        let allowed = by.staff
                            && matches!(&found, Some((m, RedemptionState::Waiting)) if *m != by.id);
                        prop_assert_eq!(r.is_ok(), allowed);
                        r
                    }
                };
                if result.is_err() {
                    prop_assert_eq!(&book, &before, "a refusal changes nothing");
                }
            }
            for member in members {
                let sum: i64 = book
                    .entries()
                    .iter()
                    .filter(|e| e.member() == Some(member))
                    .map(PointsEntry::points_delta)
                    .sum();
                prop_assert!(sum >= 0);
                prop_assert_eq!(book.balance(member), sum as u64);
                let mut running = 0i64;
                for e in book.entries().iter().filter(|e| e.member() == Some(member)) {
                    running += e.points_delta();
                    prop_assert!(running >= 0, "never negative, even for a moment");
                }
            }
            for item in items {
                let mut running = 0i64;
                for e in book.entries() {
                    if let Some((i, d)) = e.stock_delta() && i == item {
                        running += d;
                        prop_assert!(running >= 0, "stock never negative");
                    }
                }
                prop_assert_eq!(book.stock(item), running as u64);
            }
            let cancels: Vec<u64> = book
                .entries()
                .iter()
                .filter_map(|e| match e.kind {
                    EntryKind::CancelRedeem { redemption, .. } => Some(redemption),
                    _ => None,
                })
                .collect();
            let unique: BTreeSet<u64> = cancels.iter().copied().collect();
            prop_assert_eq!(unique.len(), cancels.len(), "each redemption cancelled at most once");
            // Each redemption's points and item come back at most once, and exactly what it took.
            for r in book.redemptions() {
                let returned: Vec<&PointsEntry> = book
                    .entries()
                    .iter()
                    .filter(|e| matches!(e.kind, EntryKind::CancelRedeem { redemption, .. } if redemption == r.seq))
                    .collect();
                prop_assert!(returned.len() <= 1);
                prop_assert_eq!(returned.len() == 1, r.state == RedemptionState::Cancelled);
                for e in returned {
                    prop_assert_eq!(e.points_delta(), i64::from(r.price.get()));
                    prop_assert_eq!(e.stock_delta(), Some((r.item, 1)));
                }
                let hand_overs: Vec<&PointsEntry> = book
                    .entries()
                    .iter()
                    .filter(|e| matches!(e.kind, EntryKind::HandOver { redemption, .. } if redemption == r.seq))
                    .collect();
                prop_assert!(hand_overs.len() <= 1, "handed over at most once");
                prop_assert_eq!(hand_overs.first().map(|e| e.at), r.handed_over_at);
                if let Some(handed) = hand_overs.first() {
                    // Only a waiting redemption is handed over: no cancellation before it.
                    let cancelled_before = book.entries()[..handed.seq as usize].iter().any(|e| {
                        matches!(e.kind, EntryKind::CancelRedeem { redemption, .. } if redemption == r.seq)
                    });
                    prop_assert!(!cancelled_before);
                }
            }
            for member in members {
                let last = book.history(member).last().map(|l| l.balance).unwrap_or(0);
                prop_assert_eq!(last, book.balance(member), "the history ends at the balance");
            }
            let json = serde_json::to_string(&book).unwrap();
            prop_assert_eq!(serde_json::from_str::<PointsBook>(&json).unwrap(), book);
        }

        /// A leaderboard lists each member once, most points first, ranks 1-based with ties
        /// shared, and adds up to the month's awards in the community.
        #[test]
        fn leaderboards_are_ordered_and_complete(
            awards in proptest::collection::vec((0u8..5, 0u8..2, 1u32..100, 0i64..(90 * 86_400)), 0..40)
        ) {
            let mut book = PointsBook::new();
            for (i, (m, c, p, t)) in awards.iter().enumerate() {
                let community = ["yulin", "other"][usize::from(*c)];
                book.award(&format!("m{m}"), community, &format!("a{i}"), AwardRule::Fixed { points: pts(*p) }, mins(60), "staff", NOV_1_CHINA - 30 * 86_400 + t)
                    .unwrap();
            }
            let month = Month::new(2026, 11).unwrap();
            let board = leaderboard(book.entries(), "yulin", month);
            let expected: u64 = book
                .entries()
                .iter()
                .filter_map(|e| match &e.kind {
                    EntryKind::Award { community, points, .. }
                        if community == "yulin" && Month::in_china(e.at) == month => Some(u64::from(points.get())),
                    _ => None,
                })
                .sum();
            prop_assert_eq!(board.iter().map(|r| r.points).sum::<u64>(), expected);
            let members: BTreeSet<&str> = board.iter().map(|r| r.member.as_str()).collect();
            prop_assert_eq!(members.len(), board.len());
            if let Some(first) = board.first() {
                prop_assert_eq!(first.rank, 1);
            }
            for (i, pair) in board.windows(2).enumerate() {
                prop_assert!(pair[0].points >= pair[1].points);
                if pair[0].points == pair[1].points {
                    prop_assert_eq!(pair[0].rank, pair[1].rank);
                    prop_assert!(pair[0].member < pair[1].member);
                } else {
                    prop_assert_eq!(pair[1].rank as usize, i + 2);
                }
            }
        }
    }
}
