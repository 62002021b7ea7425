//! A volunteer activity (志愿活动) and the people signed up for it: sign-up while slots are
//! left, cancel before checking in, check in by the rotating code inside the window, check out,
//! and staff verify the time each person gave, once. Verification says how many points the
//! activity's rule earns; the [`PointsBook`](super::PointsBook) records them (and refuses a
//! second award), so a backend does both in one transaction.
//!
//! The check-in secret is not part of the activity: it never leaves the backend, which passes it
//! in to [`Activity::check_in`] and shows staff only the code of the moment.

use super::access::Actor;
use super::checkin::{ActivityTime, Attendance, CheckInError, CheckInSecret, CheckOutError};
use super::points::{AwardRule, PointsBook, PointsError, VerifiedMinutes};
use crate::bounded::bounded_u32;
use crate::ids::MemberId;
use crate::text::BoundedText;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An activity's title: 2–60 characters.
pub type ActivityTitle = BoundedText<2, 60>;
/// Where it happens: 2–100 characters.
pub type ActivityPlace = BoundedText<2, 100>;
/// What volunteers will do, what to bring: up to 1,000 characters.
pub type ActivityDetails = BoundedText<1, 1000>;

bounded_u32! {
    /// How many volunteers an activity takes: 1 to 500.
    pub struct Slots(u32);
    range: 1..=500;
    error: SlotsError("an activity takes 1 to 500 volunteers, got {0}");
    get: get;
}

/// What staff set when they create or edit an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPlan {
    pub title: ActivityTitle,
    pub place: ActivityPlace,
    pub details: Option<ActivityDetails>,
    pub time: ActivityTime,
    pub slots: Slots,
    pub award: AwardRule,
}

/// Staff's verification of one person's time at one activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub minutes: VerifiedMinutes,
    /// What the activity's rule earned for them (0 is possible: a few minutes at a low rate).
    pub points: u32,
    pub at: i64,
}

/// One person signed up for an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signup {
    pub member: MemberId,
    pub signed_up_at: i64,
    pub attendance: Option<Attendance>,
    pub verification: Option<Verification>,
}

/// Why an activity refused a change.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActivityError {
    #[error("the activity is full")]
    Full,
    #[error("the activity has ended")]
    Ended,
    #[error("already signed up")]
    AlreadySignedUp,
    #[error("not signed up for this activity")]
    NotSignedUp,
    #[error("already checked in: the sign-up can no longer be cancelled")]
    AlreadyCheckedIn,
    #[error("not checked in yet")]
    NotCheckedIn,
    #[error(transparent)]
    CheckIn(#[from] CheckInError),
    #[error(transparent)]
    CheckOut(#[from] CheckOutError),
    #[error("this person's time was already verified")]
    AlreadyVerified,
    /// An edit that would leave fewer slots than people signed up.
    #[error("{signed_up} people are signed up: the activity needs at least that many slots")]
    SlotsBelowSignups { signed_up: u32 },
    /// An edit that would move an activity people have already checked in to.
    #[error("people have checked in: the time can no longer change")]
    TimeLocked,
    /// Separation of duties: the verifier is the person verified (also when they planned it).
    #[error("nobody may verify their own attendance")]
    OwnAttendance,
    /// Only staff verify attendance.
    #[error("only staff may verify attendance")]
    StaffOnly,
    #[error("verified time of 0 minutes earns nothing: verify the time given")]
    ZeroMinutes,
    /// A fixed award is for taking part to the end: check-out first.
    #[error("not checked out yet: a fixed award needs a check-out")]
    NotCheckedOut,
}

/// Where an activity stands at a moment, for lists and badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActivityPhase {
    /// More than 30 minutes before the start: sign-up only.
    Upcoming,
    /// From 30 minutes before the start until the end: check-in open.
    CheckInOpen,
    Ended,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: String,
    pub community: String,
    pub plan: ActivityPlan,
    pub created_by: MemberId,
    pub created_at: i64,
    /// In sign-up order.
    pub signups: Vec<Signup>,
}

impl Activity {
    pub fn new(
        id: &str,
        community: &str,
        plan: ActivityPlan,
        created_by: MemberId,
        now: i64,
    ) -> Activity {
        Activity {
            id: id.to_owned(),
            community: community.to_owned(),
            plan,
            created_by,
            created_at: now,
            signups: Vec::new(),
        }
    }

    pub fn phase(&self, now: i64) -> ActivityPhase {
        match self.plan.time.check_in_open(now) {
            Ok(()) => ActivityPhase::CheckInOpen,
            Err(CheckInError::NotOpenYet { .. }) => ActivityPhase::Upcoming,
            Err(_) => ActivityPhase::Ended,
        }
    }

    pub fn signed_up(&self) -> u32 {
        u32::try_from(self.signups.len()).unwrap_or(u32::MAX)
    }

    pub fn slots_left(&self) -> u32 {
        self.plan.slots.get().saturating_sub(self.signed_up())
    }

    pub fn signup(&self, member: MemberId) -> Option<&Signup> {
        self.signups.iter().find(|s| s.member == member)
    }

    fn signup_mut(&mut self, member: MemberId) -> Result<&mut Signup, ActivityError> {
        self.signups
            .iter_mut()
            .find(|s| s.member == member)
            .ok_or(ActivityError::NotSignedUp)
    }

    /// Takes a slot, until the activity ends (late helpers are still welcome while it runs).
    pub fn sign_up(&mut self, member: MemberId, now: i64) -> Result<(), ActivityError> {
        if now >= self.plan.time.end() {
            return Err(ActivityError::Ended);
        }
        if self.signup(member).is_some() {
            return Err(ActivityError::AlreadySignedUp);
        }
        if self.slots_left() == 0 {
            return Err(ActivityError::Full);
        }
        self.signups.push(Signup {
            member,
            signed_up_at: now,
            attendance: None,
            verification: None,
        });
        Ok(())
    }

    /// Gives the slot back, before checking in: after that, the person was there.
    pub fn cancel_signup(&mut self, member: MemberId, now: i64) -> Result<(), ActivityError> {
        if now >= self.plan.time.end() {
            return Err(ActivityError::Ended);
        }
        if self.signup_mut(member)?.attendance.is_some() {
            return Err(ActivityError::AlreadyCheckedIn);
        }
        self.signups.retain(|s| s.member != member);
        Ok(())
    }

    /// Checks a signed-up person in with the code they typed.
    pub fn check_in(
        &mut self,
        member: MemberId,
        secret: &CheckInSecret,
        typed: &str,
        now: i64,
    ) -> Result<Attendance, ActivityError> {
        let time = self.plan.time;
        let signup = self.signup_mut(member)?;
        if signup.attendance.is_some() {
            return Err(ActivityError::AlreadyCheckedIn);
        }
        let attendance = Attendance::check_in(time, secret, typed, now)?;
        signup.attendance = Some(attendance);
        Ok(attendance)
    }

    pub fn check_out(&mut self, member: MemberId, now: i64) -> Result<Attendance, ActivityError> {
        let signup = self.signup_mut(member)?;
        let attendance = signup
            .attendance
            .as_mut()
            .ok_or(ActivityError::NotCheckedIn)?;
        attendance.check_out(now)?;
        Ok(*attendance)
    }

    /// Staff (`by`) verify the time a checked-in person gave (they may correct what
    /// check-in and check-out suggest), once: never their own, never 0 minutes, and for a fixed
    /// award only after check-out. Returns the points the rule earns, for the points book (use
    /// [`verify_attendance`] to do both).
    pub fn verify(
        &mut self,
        member: MemberId,
        by: Actor,
        minutes: VerifiedMinutes,
        now: i64,
    ) -> Result<Verification, ActivityError> {
        by.may_verify(member)?;
        let award = self.plan.award;
        let signup = self.signup_mut(member)?;
        let Some(attendance) = signup.attendance else {
            return Err(ActivityError::NotCheckedIn);
        };
        if signup.verification.is_some() {
            return Err(ActivityError::AlreadyVerified);
        }
        if minutes.get() == 0 {
            return Err(ActivityError::ZeroMinutes);
        }
        if matches!(award, AwardRule::Fixed { .. }) && attendance.checked_out_at().is_none() {
            return Err(ActivityError::NotCheckedOut);
        }
        let verification = Verification {
            minutes,
            points: award.points_for(minutes),
            at: now,
        };
        signup.verification = Some(verification);
        Ok(verification)
    }

    /// The minutes check-in and check-out suggest for a person, for staff to confirm or correct.
    pub fn suggested_minutes(&self, member: MemberId) -> Option<u32> {
        self.signup(member)?
            .attendance?
            .attended_minutes(self.plan.time)
    }

    /// Replaces the plan. Slots cannot drop below the people signed up, and the time is fixed
    /// once anyone has checked in (their attendance was measured against it).
    pub fn edit(&mut self, plan: ActivityPlan) -> Result<(), ActivityError> {
        let signed_up = self.signed_up();
        if plan.slots.get() < signed_up {
            return Err(ActivityError::SlotsBelowSignups { signed_up });
        }
        let checked_in = self.signups.iter().any(|s| s.attendance.is_some());
        if checked_in && plan.time != self.plan.time {
            return Err(ActivityError::TimeLocked);
        }
        self.plan = plan;
        Ok(())
    }
}

/// Why verifying attendance was refused: by the activity, or by the points book.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    #[error(transparent)]
    Activity(#[from] ActivityError),
    #[error(transparent)]
    Points(#[from] PointsError),
}

/// Staff (`by`) verify `member`'s time at `activity` and the points it earns are credited in
/// `book`: both, or (refused) neither. The one path by which an activity credits points.
pub fn verify_attendance(
    activity: &mut Activity,
    book: &mut PointsBook,
    member: MemberId,
    by: Actor,
    minutes: VerifiedMinutes,
    now: i64,
) -> Result<Verification, VerifyError> {
    let mut verified = activity.clone();
    let verification = verified.verify(member, by, minutes, now)?;
    if verification.points > 0 {
        book.award(
            member,
            &verified.community,
            &verified.id,
            verified.plan.award,
            minutes,
            by.id,
            now,
        )?;
    }
    *activity = verified;
    Ok(verification)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volunteer::checkin::code_at;
    use crate::volunteer::points::Points;
    use crate::volunteer::test_people::*;
    use proptest::prelude::*;

    const START: i64 = 1_764_000_000;
    const HOUR: i64 = 3600;

    fn plan(slots: u32) -> ActivityPlan {
        ActivityPlan {
            title: ActivityTitle::parse("社区义诊").unwrap(),
            place: ActivityPlace::parse("党群服务中心").unwrap(),
            details: None,
            time: ActivityTime::new(START, START + 2 * HOUR).unwrap(),
            slots: Slots::new(slots).unwrap(),
            award: AwardRule::PerHour {
                per_hour: Points::new(10).unwrap(),
                cap: Points::new(15).unwrap(),
            },
        }
    }

    fn secret() -> CheckInSecret {
        CheckInSecret::from_random([7; 20])
    }

    fn activity(slots: u32) -> Activity {
        Activity::new("act-1", "c1", plan(slots), STAFF, START - 10 * HOUR)
    }

    #[test]
    fn slots_fill_and_free() {
        let mut a = activity(1);
        a.sign_up(P1, START - HOUR).unwrap();
        assert_eq!(a.slots_left(), 0);
        assert_eq!(a.sign_up(P2, START - HOUR), Err(ActivityError::Full));
        assert_eq!(
            a.sign_up(P1, START - HOUR),
            Err(ActivityError::AlreadySignedUp)
        );
        a.cancel_signup(P1, START - HOUR).unwrap();
        a.sign_up(P2, START - HOUR).unwrap();
        assert_eq!(a.signup(P2).unwrap().member, P2);
        assert_eq!(a.sign_up(P3, START + 2 * HOUR), Err(ActivityError::Ended));
    }

    #[test]
    fn check_in_needs_sign_up_window_and_code() {
        let mut a = activity(5);
        let s = secret();
        let now = START - 10 * 60;
        let code = code_at(&s, now).to_string();
        assert_eq!(
            a.check_in(P1, &s, &code, now),
            Err(ActivityError::NotSignedUp)
        );
        a.sign_up(P1, START - HOUR).unwrap();
        let early = START - HOUR;
        assert!(matches!(
            a.check_in(P1, &s, &code_at(&s, early).to_string(), early),
            Err(ActivityError::CheckIn(CheckInError::NotOpenYet { .. }))
        ));
        let old = code_at(&s, now - 60).to_string();
        if old != code && old != code_at(&s, now - 30).to_string() {
            assert_eq!(
                a.check_in(P1, &s, &old, now),
                Err(ActivityError::CheckIn(CheckInError::Expired))
            );
        }
        a.check_in(P1, &s, &code, now).unwrap();
        assert_eq!(
            a.check_in(P1, &s, &code, now),
            Err(ActivityError::AlreadyCheckedIn)
        );
        assert_eq!(
            a.cancel_signup(P1, now),
            Err(ActivityError::AlreadyCheckedIn)
        );
    }

    #[test]
    fn verification_awards_by_rule_once() {
        let mut a = activity(5);
        let s = secret();
        a.sign_up(P1, START - HOUR).unwrap();
        assert_eq!(
            a.verify(
                P1,
                Actor::staff(STAFF),
                VerifiedMinutes::new(60).unwrap(),
                START
            ),
            Err(ActivityError::NotCheckedIn)
        );
        a.check_in(P1, &s, &code_at(&s, START).to_string(), START)
            .unwrap();
        a.check_out(P1, START + 90 * 60).unwrap();
        assert_eq!(a.suggested_minutes(P1), Some(90));
        let v = a
            .verify(
                P1,
                Actor::staff(STAFF),
                VerifiedMinutes::new(90).unwrap(),
                START + 2 * HOUR,
            )
            .unwrap();
        // 10 per hour × 1.5 h = 15, which is also the cap.
        assert_eq!(v.points, 15);
        assert_eq!(
            a.verify(
                P1,
                Actor::staff(STAFF),
                VerifiedMinutes::new(90).unwrap(),
                START + 2 * HOUR
            ),
            Err(ActivityError::AlreadyVerified)
        );
    }

    fn mins(n: u32) -> VerifiedMinutes {
        VerifiedMinutes::new(n).unwrap()
    }

    /// `who` signed up and checked in at the start (and out after an hour when `out`).
    fn attended(a: &mut Activity, who: MemberId, out: bool) {
        let s = secret();
        a.sign_up(who, START - HOUR).unwrap();
        a.check_in(who, &s, &code_at(&s, START).to_string(), START)
            .unwrap();
        if out {
            a.check_out(who, START + HOUR).unwrap();
        }
    }

    #[test]
    fn nobody_verifies_their_own_attendance() {
        let mut a = activity(5);
        attended(&mut a, P1, true);
        assert_eq!(
            a.verify(P1, Actor::staff(P1), mins(60), START + 2 * HOUR),
            Err(ActivityError::OwnAttendance)
        );
        // The staff member who planned it took part: they cannot verify themselves either.
        attended(&mut a, STAFF, true);
        assert_eq!(
            a.verify(STAFF, Actor::staff(STAFF), mins(60), START + 2 * HOUR),
            Err(ActivityError::OwnAttendance)
        );
        assert!(a.signups.iter().all(|s| s.verification.is_none()));
        // A resident may not verify anyone, themselves included.
        assert_eq!(
            a.verify(P1, Actor::member(P2), mins(60), START + 2 * HOUR),
            Err(ActivityError::StaffOnly)
        );
        // A colleague may.
        a.verify(STAFF, Actor::staff(OTHER_STAFF), mins(60), START + 2 * HOUR)
            .unwrap();
    }

    #[test]
    fn zero_minutes_is_no_verification() {
        let mut a = activity(5);
        attended(&mut a, P1, true);
        assert_eq!(
            a.verify(P1, Actor::staff(STAFF), mins(0), START + 2 * HOUR),
            Err(ActivityError::ZeroMinutes)
        );
        assert_eq!(a.signup(P1).unwrap().verification, None);
    }

    #[test]
    fn a_fixed_award_needs_a_check_out() {
        let mut a = activity(5);
        let mut fixed = plan(5);
        fixed.award = AwardRule::Fixed {
            points: Points::new(40).unwrap(),
        };
        a.edit(fixed).unwrap();
        attended(&mut a, P1, false);
        assert_eq!(
            a.verify(P1, Actor::staff(STAFF), mins(60), START + 2 * HOUR),
            Err(ActivityError::NotCheckedOut)
        );
        a.check_out(P1, START + HOUR).unwrap();
        assert_eq!(
            a.verify(P1, Actor::staff(STAFF), mins(60), START + 2 * HOUR)
                .unwrap()
                .points,
            40
        );
        // Per-hour awards pay by the verified time, which staff may set without a check-out.
        let mut b = activity(5);
        attended(&mut b, P2, false);
        b.verify(P2, Actor::staff(STAFF), mins(60), START + 2 * HOUR)
            .unwrap();
    }

    #[test]
    fn verifying_credits_both_or_neither() {
        let mut a = activity(5);
        attended(&mut a, P1, true);
        let mut book = PointsBook::new();
        // The book already holds an award for p1 here (say, restored from elsewhere): the
        // activity must not be left verified without its points.
        book.award(P1, "c1", "act-1", a.plan.award, mins(60), STAFF, 0)
            .unwrap();
        let before = a.clone();
        assert_eq!(
            verify_attendance(
                &mut a,
                &mut book,
                P1,
                Actor::staff(STAFF),
                mins(60),
                START + 2 * HOUR
            ),
            Err(VerifyError::Points(PointsError::AlreadyAwarded {
                member: P1,
                activity: "act-1".into()
            }))
        );
        assert_eq!(a, before);

        let mut a = activity(5);
        attended(&mut a, P1, true);
        let mut book = PointsBook::new();
        assert_eq!(
            verify_attendance(
                &mut a,
                &mut book,
                P1,
                Actor::staff(P1),
                mins(60),
                START + 2 * HOUR
            ),
            Err(VerifyError::Activity(ActivityError::OwnAttendance))
        );
        assert!(book.entries().is_empty());
        let v = verify_attendance(
            &mut a,
            &mut book,
            P1,
            Actor::staff(STAFF),
            mins(60),
            START + 2 * HOUR,
        )
        .unwrap();
        assert_eq!((v.points, book.balance(P1)), (10, 10));
    }

    #[test]
    fn edits_keep_signups_and_measured_time() {
        let mut a = activity(3);
        let s = secret();
        a.sign_up(P1, START - HOUR).unwrap();
        a.sign_up(P2, START - HOUR).unwrap();
        assert_eq!(
            a.edit(plan(1)),
            Err(ActivityError::SlotsBelowSignups { signed_up: 2 })
        );
        let mut later = plan(3);
        later.time = ActivityTime::new(START + HOUR, START + 3 * HOUR).unwrap();
        a.edit(later.clone()).unwrap();
        a.check_in(P1, &s, &code_at(&s, START + HOUR).to_string(), START + HOUR)
            .unwrap();
        let mut again = later.clone();
        again.time = ActivityTime::new(START, START + 3 * HOUR).unwrap();
        assert_eq!(a.edit(again), Err(ActivityError::TimeLocked));
        let mut renamed = later;
        renamed.title = ActivityTitle::parse("社区义诊（上午）").unwrap();
        a.edit(renamed).unwrap();
    }

    proptest! {
        /// Whatever people do, an activity never holds more people than slots, nobody twice, and
        /// nobody verified who did not check in.
        #[test]
        fn signups_stay_within_slots(
            ops in prop::collection::vec((0u8..5, 0usize..6, 0i64..(4 * HOUR)), 0..80),
            slots in 1u32..5,
        ) {
            let mut a = activity(slots);
            let s = secret();
            for (op, who, offset) in ops {
                let member = MemberId::new(10 + who as i64);
                let now = START - HOUR + offset;
                let _ = match op {
                    0 => a.sign_up(member, now).map(|_| ()),
                    1 => a.cancel_signup(member, now),
                    2 => a.check_in(member, &s, &code_at(&s, now).to_string(), now).map(|_| ()),
                    3 => a.check_out(member, now).map(|_| ()),
                    _ => a.verify(member, Actor::staff(STAFF), VerifiedMinutes::new(60).unwrap(), now).map(|_| ()),
                };
                prop_assert!(a.signed_up() <= slots);
                let mut members: Vec<_> = a.signups.iter().map(|s| &s.member).collect();
                members.sort();
                members.dedup();
                prop_assert_eq!(members.len(), a.signups.len());
                for signup in &a.signups {
                    prop_assert!(signup.verification.is_none() || signup.attendance.is_some());
                }
            }
        }
    }
}
