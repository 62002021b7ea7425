//! Who may do what in volunteering, decided here once for every backend, as
//! `requests/record.rs` decides it for requests: the server's handlers and the app's local
//! backend build an [`Actor`] from the signed-in person and ask, instead of checking roles
//! themselves.
//!
//! Two kinds of rule: actions that only staff may take at all ([`StaffAction`], asked with
//! [`Actor::may`] before anything is loaded), and rules that depend on whose thing it is
//! (a redemption's redeemer, a volunteer's own attendance), asked with the thing in hand
//! ([`Actor::may_cancel`], [`Actor::may_hand_over`], [`Actor::may_verify`],
//! [`Actor::sees_redemptions_of`]). The points book and the activity apply the latter
//! themselves, so no backend can skip them.

use super::activity::ActivityError;
use super::points::{PointsError, Redemption, RedemptionState};
use crate::ids::MemberId;
use std::fmt;
use thiserror::Error;

/// Who asks for a change: a member's id, and whether they act as staff of the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: MemberId,
    pub staff: bool,
}

/// What only a community's staff may do in volunteering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaffAction {
    /// Plan a new activity.
    PlanActivity,
    /// Change an activity's plan.
    EditActivity,
    /// Show the rotating check-in code on site.
    ShowCheckInCode,
    /// See who signed up, with their check-in and check-out.
    SeeAttendees,
    /// Verify the time a volunteer gave (which credits points).
    VerifyAttendance,
    /// Put a new item in the mall.
    AddMallItem,
    /// Add stock to an item.
    Restock,
    /// Mark a redemption handed over at the counter.
    HandOver,
}

impl StaffAction {
    pub const ALL: [StaffAction; 8] = [
        StaffAction::PlanActivity,
        StaffAction::EditActivity,
        StaffAction::ShowCheckInCode,
        StaffAction::SeeAttendees,
        StaffAction::VerifyAttendance,
        StaffAction::AddMallItem,
        StaffAction::Restock,
        StaffAction::HandOver,
    ];
}

impl fmt::Display for StaffAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StaffAction::PlanActivity => "plan an activity",
            StaffAction::EditActivity => "change an activity",
            StaffAction::ShowCheckInCode => "show the check-in code",
            StaffAction::SeeAttendees => "see the attendees",
            StaffAction::VerifyAttendance => "verify attendance",
            StaffAction::AddMallItem => "add a mall item",
            StaffAction::Restock => "restock an item",
            StaffAction::HandOver => "hand over a redeemed item",
        })
    }
}

/// A staff action asked for by someone who is not staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("only staff may {0}")]
pub struct StaffOnly(pub StaffAction);

impl Actor {
    pub const fn member(id: MemberId) -> Actor {
        Actor { id, staff: false }
    }

    pub const fn staff(id: MemberId) -> Actor {
        Actor { id, staff: true }
    }

    /// Whether the actor may take a staff action at all. The thing's own rules (never one's
    /// own attendance or redemption) are checked when it is in hand.
    pub fn may(self, action: StaffAction) -> Result<(), StaffOnly> {
        if self.staff {
            Ok(())
        } else {
            Err(StaffOnly(action))
        }
    }

    /// Whether the actor sees `member`'s redemptions: their own, or everyone's at the counter
    /// (staff).
    pub fn sees_redemptions_of(self, member: MemberId) -> bool {
        self.staff || self.id == member
    }

    /// Whether the actor may cancel `redemption` as it stands: before hand-over its redeemer or
    /// staff; after, only staff, and not staff cancelling their own (they would keep the item
    /// and get the points back). A cancelled one is not cancelled again.
    pub fn may_cancel(self, redemption: &Redemption<'_>) -> Result<(), PointsError> {
        let seq = redemption.seq;
        let own = redemption.member == self.id;
        if !own && !self.staff {
            return Err(PointsError::NotYours { seq });
        }
        match redemption.state {
            RedemptionState::Cancelled => Err(PointsError::AlreadyCancelled { seq }),
            RedemptionState::HandedOver if !self.staff => Err(PointsError::HandedOver { seq }),
            RedemptionState::HandedOver if own => Err(PointsError::OwnRedemption { seq }),
            RedemptionState::HandedOver | RedemptionState::Waiting => Ok(()),
        }
    }

    /// Whether the actor may hand `redemption` over at the counter: staff, never to themselves.
    pub fn may_hand_over(self, redemption: &Redemption<'_>) -> Result<(), PointsError> {
        self.may(StaffAction::HandOver)
            .map_err(|_| PointsError::StaffOnly)?;
        if redemption.member == self.id {
            return Err(PointsError::OwnRedemption {
                seq: redemption.seq,
            });
        }
        Ok(())
    }

    /// Whether the actor may verify `member`'s attendance: staff, never their own (staff who
    /// took part need a colleague).
    pub fn may_verify(self, member: MemberId) -> Result<(), ActivityError> {
        if !self.staff {
            return Err(ActivityError::StaffOnly);
        }
        if self.id == member {
            return Err(ActivityError::OwnAttendance);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volunteer::points::Points;
    use crate::volunteer::test_people;

    /// Ann and Bob are residents, Sam is staff.
    const ANN: Actor = Actor::member(test_people::ANN);
    const BOB: Actor = Actor::member(test_people::BOB);
    const SAM: Actor = Actor::staff(test_people::SAM);

    /// A redemption by `redeemer`.
    fn redemption(redeemer: Actor, state: RedemptionState) -> Redemption<'static> {
        Redemption {
            seq: 7,
            at: 0,
            member: redeemer.id,
            item: "soap",
            price: Points::new(10).unwrap(),
            state,
            handed_over_at: None,
        }
    }

    #[test]
    fn only_staff_take_staff_actions() {
        for action in StaffAction::ALL {
            assert_eq!(SAM.may(action), Ok(()));
            assert_eq!(ANN.may(action), Err(StaffOnly(action)), "{action}");
        }
        assert_eq!(
            ANN.may(StaffAction::Restock).unwrap_err().to_string(),
            "only staff may restock an item"
        );
    }

    #[test]
    fn residents_see_their_own_redemptions_and_staff_see_the_counter() {
        assert!(ANN.sees_redemptions_of(ANN.id));
        assert!(
            !ANN.sees_redemptions_of(BOB.id),
            "a resident sees no one else's"
        );
        assert!(SAM.sees_redemptions_of(ANN.id));
    }

    #[test]
    fn a_waiting_redemption_is_cancelled_by_its_redeemer_or_staff() {
        let waiting = redemption(ANN, RedemptionState::Waiting);
        assert_eq!(ANN.may_cancel(&waiting), Ok(()));
        assert_eq!(SAM.may_cancel(&waiting), Ok(()));
        assert_eq!(
            BOB.may_cancel(&waiting),
            Err(PointsError::NotYours { seq: 7 }),
            "another resident may not"
        );
    }

    #[test]
    fn after_hand_over_only_other_staff_cancel() {
        let handed = redemption(ANN, RedemptionState::HandedOver);
        assert_eq!(
            ANN.may_cancel(&handed),
            Err(PointsError::HandedOver { seq: 7 })
        );
        assert_eq!(
            BOB.may_cancel(&handed),
            Err(PointsError::NotYours { seq: 7 })
        );
        assert_eq!(SAM.may_cancel(&handed), Ok(()));
        let own = redemption(SAM, RedemptionState::HandedOver);
        assert_eq!(
            SAM.may_cancel(&own),
            Err(PointsError::OwnRedemption { seq: 7 }),
            "staff do not take back their own after hand-over"
        );
        let cancelled = redemption(ANN, RedemptionState::Cancelled);
        assert_eq!(
            SAM.may_cancel(&cancelled),
            Err(PointsError::AlreadyCancelled { seq: 7 })
        );
    }

    #[test]
    fn staff_hand_over_but_never_to_themselves() {
        let waiting = redemption(ANN, RedemptionState::Waiting);
        assert_eq!(SAM.may_hand_over(&waiting), Ok(()));
        assert_eq!(ANN.may_hand_over(&waiting), Err(PointsError::StaffOnly));
        assert_eq!(BOB.may_hand_over(&waiting), Err(PointsError::StaffOnly));
        let own = redemption(SAM, RedemptionState::Waiting);
        assert_eq!(
            SAM.may_hand_over(&own),
            Err(PointsError::OwnRedemption { seq: 7 })
        );
    }

    #[test]
    fn staff_verify_others_attendance_never_their_own() {
        assert_eq!(SAM.may_verify(ANN.id), Ok(()));
        assert_eq!(SAM.may_verify(SAM.id), Err(ActivityError::OwnAttendance));
        assert_eq!(ANN.may_verify(BOB.id), Err(ActivityError::StaffOnly));
        assert_eq!(ANN.may_verify(ANN.id), Err(ActivityError::StaffOnly));
    }
}
