//! The points mall's side of the ledger: stock, redemptions and where each stands, restocks,
//! redeeming, cancelling and handing over at the counter.

use super::super::access::StaffAction;
use super::{Actor, EntryKind, Points, PointsBook, PointsEntry, PointsError};
use crate::ids::MemberId;
use serde::{Deserialize, Serialize};

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
    pub member: MemberId,
    pub item: &'a str,
    pub price: Points,
    pub state: RedemptionState,
    /// When staff handed it over, if they did (a cancelled redemption may have been).
    pub handed_over_at: Option<i64>,
}

impl PointsBook {
    pub fn stock(&self, item: &str) -> u64 {
        self.stock.get(item).copied().unwrap_or(0)
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
            member: *member,
            item,
            price: *price,
            state,
            handed_over_at,
        })
    }

    /// [`PointsBook::redemption`], refused when entry `seq` is not one.
    pub(super) fn existing_redemption(&self, seq: u64) -> Result<Redemption<'_>, PointsError> {
        self.redemption(seq)
            .ok_or(PointsError::NotARedemption { seq })
    }

    /// Every redemption, oldest first.
    pub fn redemptions(&self) -> impl Iterator<Item = Redemption<'_>> {
        self.entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Redeem { .. }))
            .filter_map(|e| self.redemption(e.seq))
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
        member: MemberId,
        item: &str,
        price: Points,
        now: i64,
    ) -> Result<&PointsEntry, PointsError> {
        self.append(
            now,
            EntryKind::Redeem {
                member,
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
        by: Actor,
        now: i64,
    ) -> Result<&PointsEntry, PointsError> {
        let found = self.existing_redemption(redemption)?;
        by.may_cancel(&found)?;
        let kind = EntryKind::CancelRedeem {
            redemption,
            member: found.member,
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
        by: Actor,
        now: i64,
    ) -> Result<&PointsEntry, PointsError> {
        by.may(StaffAction::HandOver)
            .map_err(|_| PointsError::StaffOnly)?;
        let found = self.existing_redemption(redemption)?;
        by.may_hand_over(&found)?;
        let kind = EntryKind::HandOver {
            redemption,
            member: found.member,
            item: found.item.to_owned(),
        };
        self.append(now, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::super::RestoreError;
    use super::super::tests::{STAFF, ann_awarded_30_points, pts};
    use super::*;
    use crate::volunteer::test_people::*;

    #[test]
    fn redeeming_needs_points_and_stock_and_cancelling_returns_both() {
        let mut book = ann_awarded_30_points();
        assert_eq!(
            book.redeem(ANN, "soap", pts(20), 1),
            Err(PointsError::OutOfStock {
                item: "soap".into()
            })
        );
        book.restock("soap", 1, 2).unwrap();
        assert_eq!(
            book.redeem(ANN, "soap", pts(40), 3),
            Err(PointsError::NotEnoughPoints {
                balance: 30,
                price: 40
            })
        );
        let seq = book.redeem(ANN, "soap", pts(20), 4).unwrap().seq;
        assert_eq!((book.balance(ANN), book.stock("soap")), (10, 0));
        assert_eq!(
            book.redeem(ANN, "soap", pts(5), 5),
            Err(PointsError::OutOfStock {
                item: "soap".into()
            }),
            "stock is checked even when points suffice"
        );
        book.cancel_redemption(seq, STAFF, 6).unwrap();
        assert_eq!((book.balance(ANN), book.stock("soap")), (30, 1));
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

        let history = book.history(ANN);
        let balances: Vec<u64> = history.iter().map(|l| l.balance).collect();
        assert_eq!(balances, [30, 10, 30]);
    }

    /// Ann has 30 points and redeemed one soap (entry 2) for 20.
    fn ann_redeemed_soap() -> (PointsBook, u64) {
        let mut book = ann_awarded_30_points();
        book.restock("soap", 1, 1).unwrap();
        let seq = book.redeem(ANN, "soap", pts(20), 2).unwrap().seq;
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
            book.hand_over(seq, Actor::member(ANN), 3),
            Err(PointsError::StaffOnly),
            "the redeemer cannot mark it collected"
        );
        assert_eq!(
            book.hand_over(seq, Actor::member(BOB), 3),
            Err(PointsError::StaffOnly)
        );
        assert_eq!(
            book.hand_over(seq, Actor::staff(ANN), 3),
            Err(PointsError::OwnRedemption { seq }),
            "staff do not hand over to themselves"
        );
        assert_eq!(
            book.hand_over(0, STAFF, 3),
            Err(PointsError::NotARedemption { seq: 0 })
        );
        let before = (book.balance(ANN), book.stock("soap"));
        book.hand_over(seq, STAFF, 4).unwrap();
        assert_eq!((book.balance(ANN), book.stock("soap")), before);
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
        assert_eq!(book.history(ANN).len(), 2);
    }

    #[test]
    fn before_hand_over_the_redeemer_or_staff_cancel() {
        let (mut book, seq) = ann_redeemed_soap();
        assert_eq!(
            book.cancel_redemption(seq, Actor::member(BOB), 3),
            Err(PointsError::NotYours { seq })
        );
        book.cancel_redemption(seq, Actor::member(ANN), 3).unwrap();
        assert_eq!((book.balance(ANN), book.stock("soap")), (30, 1));
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
        assert_eq!((book.balance(ANN), book.stock("soap")), (30, 1));
    }

    #[test]
    fn after_hand_over_only_other_staff_cancel_and_only_once() {
        let (mut book, seq) = ann_redeemed_soap();
        book.hand_over(seq, STAFF, 3).unwrap();
        let before = book.clone();
        assert_eq!(
            book.cancel_redemption(seq, Actor::member(ANN), 4),
            Err(PointsError::HandedOver { seq }),
            "the redeemer holds the item: no points back"
        );
        assert_eq!(
            book.cancel_redemption(seq, Actor::staff(ANN), 4),
            Err(PointsError::OwnRedemption { seq }),
            "nor when the redeemer is staff"
        );
        assert_eq!(
            book.cancel_redemption(seq, Actor::member(BOB), 4),
            Err(PointsError::NotYours { seq })
        );
        assert_eq!(book, before, "refusals write nothing");
        book.cancel_redemption(seq, STAFF, 5).unwrap();
        assert_eq!((book.balance(ANN), book.stock("soap")), (30, 1));
        assert_eq!(
            book.cancel_redemption(seq, STAFF, 6),
            Err(PointsError::AlreadyCancelled { seq })
        );
        assert_eq!((book.balance(ANN), book.stock("soap")), (30, 1));
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
                member: ANN,
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
                member: BOB,
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
}
