//! Points volunteering (志愿积分): on-site check-in with rotating codes, points credited after
//! staff verify the time given, a points ledger with a redemption mall, a monthly community
//! leaderboard and star levels. The rules live here once; every backend applies them.

mod access;
mod activity;
mod checkin;
mod points;
mod wire;

pub use access::{Actor, StaffAction, StaffOnly};
pub use activity::{
    Activity, ActivityDetails, ActivityError, ActivityPhase, ActivityPlace, ActivityPlan,
    ActivityTitle, Signup, Slots, SlotsError, Verification, VerifyError, verify_attendance,
};
pub use checkin::{
    ActivityTime, ActivityTimeError, Attendance, CHECK_IN_OPENS_BEFORE_SECS, CODE_DIGITS,
    CODE_STEP_SECS, CheckInCode, CheckInError, CheckInSecret, CheckOutError, CodeFormatError,
    SecretError, code_at, secs_until_next_code, time_step, verify,
};
pub use points::{
    AwardRule, EntryKind, LeaderboardRow, MAX_POINTS, Month, MonthError, Points, PointsAmountError,
    PointsBook, PointsEntry, PointsError, PointsLine, Redemption, RedemptionState, RestoreError,
    StarLevel, VerifiedMinutes, VerifiedMinutesError, leaderboard,
};
pub use wire::{
    ActivityDraft, ActivityView, AttendeeView, CheckInBody, CheckInDisplay, DraftError,
    ItemDetails, ItemName, LeaderboardPlace, LeaderboardView, MallItem, MallItemView, MySignup,
    NewMallItem, PointsAccount, PointsHistoryLine, PointsLineKind, REDEMPTIONS_SHOWN,
    RedemptionLine, RedemptionView, Refusal, Restock, RestockQuantity, RestockQuantityError,
    VerifyAttendance, masked_name, visible_redemptions,
};

/// The people of the volunteering tests, by name.
#[cfg(test)]
pub(crate) mod test_people {
    use crate::ids::MemberId;

    pub const ANN: MemberId = MemberId::new(1);
    pub const BOB: MemberId = MemberId::new(2);
    pub const CAT: MemberId = MemberId::new(3);
    pub const DAN: MemberId = MemberId::new(4);
    pub const EVE: MemberId = MemberId::new(5);
    pub const SAM: MemberId = MemberId::new(6);
    pub const STAFF: MemberId = MemberId::new(7);
    pub const TOM: MemberId = MemberId::new(8);
    pub const P1: MemberId = MemberId::new(11);
    pub const P2: MemberId = MemberId::new(12);
    pub const P3: MemberId = MemberId::new(13);
    pub const OTHER_STAFF: MemberId = MemberId::new(14);
}
