//! Volunteer points (志愿积分): earned by verified participation, spent in the community's points
//! mall.
//!
//! Everything lives in one append-only ledger ([`PointsBook`]): awards, redemptions, hand-overs
//! of redeemed items at the counter, cancelled redemptions and restocks of mall items. A
//! member's balance and an item's stock are sums over it, never stored numbers that could drift from the history. A redemption is one entry that
//! takes the price from the member and one item from the stock together, so there is no moment
//! when one has happened and the other has not; cancelling it is one entry that gives both back.
//! Every rule is checked before an entry is appended, so no balance or stock is ever negative.
//!
//! The monthly leaderboard and star levels (星级) are pure functions of the same entries.
//!
//! Here: amounts, entries, the book and its awards; the mall's side of the book in [`mall`],
//! the leaderboard in [`leaderboard`], star levels in [`stars`].

mod leaderboard;
mod mall;
mod stars;

pub use leaderboard::{LeaderboardRow, Month, MonthError, leaderboard};
pub use mall::{Redemption, RedemptionState};
pub use stars::StarLevel;

pub use super::access::Actor;
use crate::bounded::bounded_u32;
use crate::ids::MemberId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
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
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        member: MemberId,
        community: String,
        activity: String,
        points: Points,
        verified_minutes: VerifiedMinutes,
    },
    /// A mall item taken for `price` points.
    Redeem {
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        member: MemberId,
        item: String,
        price: Points,
    },
    /// The redemption at entry `redemption` undone: its points and its item come back.
    CancelRedeem {
        redemption: u64,
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        member: MemberId,
        item: String,
        price: Points,
    },
    /// Staff put `quantity` more of an item in the mall.
    Restock { item: String, quantity: u32 },
    /// Staff gave the item of the redemption at entry `redemption` to its redeemer at the
    /// counter. Neither points nor stock change; from now on only staff may cancel it.
    HandOver {
        redemption: u64,
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        member: MemberId,
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
    pub fn member(&self) -> Option<MemberId> {
        match &self.kind {
            EntryKind::Award { member, .. }
            | EntryKind::Redeem { member, .. }
            | EntryKind::CancelRedeem { member, .. } => Some(*member),
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
    AlreadyAwarded { member: MemberId, activity: String },
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
    balances: BTreeMap<MemberId, u64>,
    verified: BTreeMap<MemberId, u64>,
    stock: BTreeMap<String, u64>,
    awarded: BTreeSet<(MemberId, String)>,
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

    pub fn balance(&self, member: MemberId) -> u64 {
        self.balances.get(&member).copied().unwrap_or(0)
    }

    /// Every verified minute the member has been awarded for, ever (star levels count these).
    pub fn verified_minutes(&self, member: MemberId) -> u64 {
        self.verified.get(&member).copied().unwrap_or(0)
    }

    /// The member's entries, oldest first, each with the balance after it.
    pub fn history(&self, member: MemberId) -> Vec<PointsLine<'_>> {
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
        member: MemberId,
        community: &str,
        activity: &str,
        rule: AwardRule,
        verified: VerifiedMinutes,
        by: MemberId,
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
                member,
                community: community.to_owned(),
                activity: activity.to_owned(),
                points,
                verified_minutes: verified,
            },
        )
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
                if self.awarded.contains(&(*member, activity.clone())) {
                    return Err(PointsError::AlreadyAwarded {
                        member: *member,
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
                let balance = self.balance(*member);
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
                let found = self.existing_redemption(seq)?;
                match found.state {
                    RedemptionState::Cancelled => {
                        return Err(PointsError::AlreadyCancelled { seq });
                    }
                    RedemptionState::HandedOver => {
                        return Err(PointsError::AlreadyHandedOver { seq });
                    }
                    RedemptionState::Waiting => {}
                }
                if (found.member, found.item) != (*member, item.as_str()) {
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
            let balance = self.balances.entry(member).or_default();
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
                self.awarded.insert((*member, activity.clone()));
                let total = self.verified.entry(*member).or_default();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volunteer::test_people;
    use crate::volunteer::test_people::*;
    use proptest::prelude::*;

    pub(super) fn pts(n: u32) -> Points {
        Points::new(n).unwrap()
    }
    pub(super) fn mins(n: u32) -> VerifiedMinutes {
        VerifiedMinutes::new(n).unwrap()
    }
    pub(super) const PER_HOUR: AwardRule = AwardRule::PerHour {
        per_hour: Points(10),
        cap: Points(50),
    };
    pub(super) const STAFF: Actor = Actor::staff(test_people::STAFF);

    /// A book in which Ann has been awarded a fixed 30 points for an hour at activity "a".
    pub(super) fn ann_awarded_30_points() -> PointsBook {
        let mut book = PointsBook::new();
        book.award(
            ANN,
            "yulin",
            "a",
            AwardRule::Fixed { points: pts(30) },
            mins(60),
            STAFF.id,
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
        book.award(ANN, "yulin", "clean-up", PER_HOUR, mins(120), STAFF.id, 0)
            .unwrap();
        assert_eq!(book.balance(ANN), 20);
        assert_eq!(
            book.award(ANN, "yulin", "clean-up", PER_HOUR, mins(120), STAFF.id, 1),
            Err(PointsError::AlreadyAwarded {
                member: ANN,
                activity: "clean-up".into()
            })
        );
        assert_eq!(
            book.award(ANN, "yulin", "tea", PER_HOUR, mins(3), STAFF.id, 1),
            Err(PointsError::NothingToAward)
        );
        assert_eq!(book.entries().len(), 1, "refusals write nothing");
        assert_eq!(book.verified_minutes(ANN), 120);
    }

    #[test]
    fn nobody_awards_themselves_and_zero_minutes_earn_nothing() {
        let mut book = PointsBook::new();
        let fixed = AwardRule::Fixed { points: pts(30) };
        assert_eq!(
            book.award(ANN, "yulin", "a", fixed, mins(60), ANN, 0),
            Err(PointsError::OwnAward)
        );
        assert_eq!(
            book.award(ANN, "yulin", "a", fixed, mins(0), STAFF.id, 0),
            Err(PointsError::ZeroMinutes),
            "a fixed award needs time given too"
        );
        assert!(book.entries().is_empty());
        book.award(ANN, "yulin", "a", fixed, mins(1), STAFF.id, 0)
            .unwrap();
        assert_eq!(book.balance(ANN), 30);
    }

    #[test]
    fn a_stored_book_is_replayed_through_the_rules() {
        let mut book = ann_awarded_30_points();
        book.restock("soap", 2, 1).unwrap();
        let seq = book.redeem(ANN, "soap", pts(20), 2).unwrap().seq;
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
                    member: BOB,
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

    /// The people of the proptest: four residents, then two staff (SAM may also redeem).
    const PEOPLE: [MemberId; 6] = [ANN, BOB, CAT, DAN, SAM, TOM];

    fn actor(i: u8) -> Actor {
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
            let members = [ANN, BOB, CAT, DAN, SAM];
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
    }
}
