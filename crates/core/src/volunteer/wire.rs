//! The volunteering part of the `/api/v1` contract, shared by the app, the server and every
//! backend: activities (staff plan them, volunteers sign up, check in, check out; staff verify),
//! the points account, the mall and the leaderboard. People travel as person ids with display
//! names ([`MemberRef`]); times as RFC 3339. The rules stay in [`Activity`] and
//! [`PointsBook`](super::PointsBook); this module only shapes their data for the wire.

use super::access::Actor;
use super::activity::{
    Activity, ActivityDetails, ActivityError, ActivityPhase, ActivityPlace, ActivityPlan,
    ActivityTitle, Signup, Slots, VerifyError,
};
use super::checkin::{
    ActivityTime, CheckInError, CheckInSecret, CheckOutError, code_at, secs_until_next_code,
};
use super::points::{
    AwardRule, EntryKind, LeaderboardRow, Month, Points, PointsBook, PointsError, Redemption,
    RedemptionState, StarLevel, VerifiedMinutes,
};
use crate::bounded::bounded_u32;
use crate::ids::MemberId;
use crate::text::BoundedText;
use crate::time::Timestamp;
use crate::timebank::{MemberRef, ServiceStart};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A mall item's name: 2–40 characters.
pub type ItemName = BoundedText<2, 40>;
/// What the item is, where to collect it: up to 200 characters.
pub type ItemDetails = BoundedText<1, 200>;

bounded_u32! {
    /// How many items one restock adds: 1 to 10,000.
    pub struct RestockQuantity(u32);
    range: 1..=10_000;
    error: RestockQuantityError("a restock adds 1 to 10000 items, got {0}");
    get: get;
}

/// An item in the community's points mall (积分商城). Its stock is not here: it is a sum over
/// the points book, like a balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MallItem {
    pub id: String,
    pub community: String,
    pub name: ItemName,
    pub details: Option<ItemDetails>,
    pub price: Points,
}

/// `POST /api/v1/volunteer/activities` and `PUT /api/v1/volunteer/activities/{id}` (staff).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityDraft {
    /// 2–60 characters.
    #[cfg_attr(feature = "openapi", schema(value_type = String, min_length = 2, max_length = 60))]
    pub title: ActivityTitle,
    /// 2–100 characters.
    #[cfg_attr(feature = "openapi", schema(value_type = String, min_length = 2, max_length = 100))]
    pub place: ActivityPlace,
    /// 1–1,000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, min_length = 1, max_length = 1000))]
    pub details: Option<ActivityDetails>,
    pub start: ServiceStart,
    /// After the start.
    pub end: ServiceStart,
    /// 1–500 volunteers.
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1, maximum = 500))]
    pub slots: Slots,
    pub award: AwardRule,
}

/// A draft that cannot become a plan: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DraftError {
    #[error("{0} is not a date-time")]
    NotADateTime(&'static str),
    #[error("the end must come after the start")]
    EndBeforeStart,
}

impl DraftError {
    /// The body field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            DraftError::NotADateTime(field) => field,
            DraftError::EndBeforeStart => "end",
        }
    }
}

impl ActivityDraft {
    /// The plan, its times read by the core's one reader ([`ServiceStart::timestamp`]).
    pub fn plan(self) -> Result<ActivityPlan, DraftError> {
        let start = self
            .start
            .timestamp()
            .ok_or(DraftError::NotADateTime("start"))?
            .unix_secs();
        let end = self
            .end
            .timestamp()
            .ok_or(DraftError::NotADateTime("end"))?
            .unix_secs();
        let time = ActivityTime::new(start, end).map_err(|_| DraftError::EndBeforeStart)?;
        Ok(ActivityPlan {
            title: self.title,
            place: self.place,
            details: self.details,
            time,
            slots: self.slots,
            award: self.award,
        })
    }
}

/// The viewer's own sign-up, as the activity shows it to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySignup {
    /// RFC 3339.
    pub signed_up_at: Timestamp,
    pub checked_in_at: Option<Timestamp>,
    pub checked_out_at: Option<Timestamp>,
    /// Once staff verified the time.
    pub verified_minutes: Option<u32>,
    pub points: Option<u32>,
}

impl MySignup {
    fn new(signup: &Signup) -> MySignup {
        MySignup {
            signed_up_at: Timestamp::from_unix_secs(signup.signed_up_at),
            checked_in_at: signup
                .attendance
                .map(|a| Timestamp::from_unix_secs(a.checked_in_at())),
            checked_out_at: signup
                .attendance
                .and_then(|a| a.checked_out_at())
                .map(Timestamp::from_unix_secs),
            verified_minutes: signup.verification.map(|v| v.minutes.get()),
            points: signup.verification.map(|v| v.points),
        }
    }
}

/// An activity as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityView {
    pub id: String,
    pub title: String,
    pub place: String,
    pub details: Option<String>,
    /// RFC 3339.
    pub start: Timestamp,
    pub end: Timestamp,
    /// When check-in opens: 30 minutes before the start (RFC 3339).
    pub check_in_opens: Timestamp,
    pub phase: ActivityPhase,
    pub slots: u32,
    pub slots_left: u32,
    pub award: AwardRule,
    /// The viewer's sign-up, if they have one.
    pub mine: Option<MySignup>,
}

impl ActivityView {
    pub fn new(activity: &Activity, viewer: Option<MemberId>, now: i64) -> ActivityView {
        let plan = &activity.plan;
        ActivityView {
            id: activity.id.clone(),
            title: plan.title.as_str().to_owned(),
            place: plan.place.as_str().to_owned(),
            details: plan.details.as_ref().map(|d| d.as_str().to_owned()),
            start: Timestamp::from_unix_secs(plan.time.start()),
            end: Timestamp::from_unix_secs(plan.time.end()),
            check_in_opens: Timestamp::from_unix_secs(plan.time.check_in_opens()),
            phase: activity.phase(now),
            slots: plan.slots.get(),
            slots_left: activity.slots_left(),
            award: plan.award,
            mine: viewer.and_then(|v| activity.signup(v)).map(MySignup::new),
        }
    }
}

/// `POST /api/v1/volunteer/activities/{id}/checkin`: the 6 digits read from the display.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInBody {
    /// The 6 digits on the display.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$"))]
    pub code: String,
}

/// `GET /api/v1/volunteer/activities/{id}/code` (staff): what the check-in display shows now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInDisplay {
    /// 6 digits.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}$"))]
    pub code: String,
    /// Seconds until the next code (1–30). The code just replaced is still accepted for one
    /// more step, so someone typing as it changes is not refused.
    pub secs_left: i64,
    pub phase: ActivityPhase,
}

impl CheckInDisplay {
    pub fn new(activity: &Activity, secret: &CheckInSecret, now: i64) -> CheckInDisplay {
        CheckInDisplay {
            code: code_at(secret, now).to_string(),
            secs_left: secs_until_next_code(now),
            phase: activity.phase(now),
        }
    }
}

/// One person signed up, as staff see them when verifying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendeeView {
    pub person: MemberRef,
    /// RFC 3339.
    pub signed_up_at: Timestamp,
    pub checked_in_at: Option<Timestamp>,
    pub checked_out_at: Option<Timestamp>,
    /// What check-in and check-out suggest, once checked out.
    pub suggested_minutes: Option<u32>,
    pub verified_minutes: Option<u32>,
    pub points: Option<u32>,
}

impl AttendeeView {
    pub fn new(
        activity: &Activity,
        signup: &Signup,
        member: &impl Fn(MemberId) -> MemberRef,
    ) -> AttendeeView {
        let mine = MySignup::new(signup);
        AttendeeView {
            person: member(signup.member),
            signed_up_at: mine.signed_up_at,
            checked_in_at: mine.checked_in_at,
            checked_out_at: mine.checked_out_at,
            suggested_minutes: activity.suggested_minutes(signup.member),
            verified_minutes: mine.verified_minutes,
            points: mine.points,
        }
    }
}

/// `POST /api/v1/volunteer/activities/{id}/attendees/{person}/verify` (staff).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyAttendance {
    /// The time given, in minutes: 1 to 1,440 (0 is refused: `zero_minutes`).
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1, maximum = 1440))]
    pub minutes: VerifiedMinutes,
}

/// What a line of the points history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PointsLineKind {
    Award,
    Redeem,
    CancelRedeem,
}

/// One line of my points history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsHistoryLine {
    /// The ledger entry's number: what a cancellation names.
    pub seq: u64,
    /// RFC 3339.
    pub at: Timestamp,
    pub kind: PointsLineKind,
    /// The activity's title or the item's name.
    pub what: String,
    pub delta: i64,
    pub balance: u64,
    /// For a redemption: whether it was cancelled since.
    pub cancelled: bool,
    /// For a redemption: whether staff handed the item over at the counter (then only staff
    /// may cancel it).
    #[serde(default)]
    pub handed_over: bool,
}

/// `GET /api/v1/volunteer/points`: my points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsAccount {
    pub balance: u64,
    /// Every verified minute, ever: what star levels count.
    pub verified_minutes: u64,
    /// 0 (not rated yet) to 5.
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 0, maximum = 5))]
    pub stars: StarLevel,
    /// The hours that reach the next star, if there is one.
    pub next_star_hours: Option<u64>,
    pub history: Vec<PointsHistoryLine>,
}

impl PointsAccount {
    /// `member`'s account; `what` names an activity or an item id for people.
    pub fn new(book: &PointsBook, member: MemberId, what: &impl Fn(&EntryKind) -> String) -> Self {
        let verified_minutes = book.verified_minutes(member);
        let stars = StarLevel::for_minutes(verified_minutes);
        let mut history: Vec<PointsHistoryLine> = book
            .history(member)
            .into_iter()
            .map(|line| PointsHistoryLine {
                seq: line.entry.seq,
                at: Timestamp::from_unix_secs(line.entry.at),
                kind: match line.entry.kind {
                    EntryKind::Award { .. } => PointsLineKind::Award,
                    EntryKind::CancelRedeem { .. } => PointsLineKind::CancelRedeem,
                    _ => PointsLineKind::Redeem,
                },
                what: what(&line.entry.kind),
                delta: line.delta,
                balance: line.balance,
                cancelled: book.is_cancelled(line.entry.seq),
                handed_over: book.is_handed_over(line.entry.seq),
            })
            .collect();
        history.reverse();
        PointsAccount {
            balance: book.balance(member),
            verified_minutes,
            stars,
            next_star_hours: stars.next_at_hours(),
            history,
        }
    }
}

/// A mall item as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MallItemView {
    pub id: String,
    pub name: String,
    pub details: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1))]
    pub price: Points,
    pub stock: u64,
}

impl MallItemView {
    pub fn new(item: &MallItem, book: &PointsBook) -> MallItemView {
        MallItemView {
            id: item.id.clone(),
            name: item.name.as_str().to_owned(),
            details: item.details.as_ref().map(|d| d.as_str().to_owned()),
            price: item.price,
            stock: book.stock(&item.id),
        }
    }
}

/// `POST /api/v1/volunteer/mall` (staff): a new item and its first stock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMallItem {
    /// 2–40 characters.
    #[cfg_attr(feature = "openapi", schema(value_type = String, min_length = 2, max_length = 40))]
    pub name: ItemName,
    /// 1–200 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, min_length = 1, max_length = 200))]
    pub details: Option<ItemDetails>,
    /// 1 to 1,000,000 points.
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1, maximum = 1000000))]
    pub price: Points,
    /// 1 to 10,000.
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1, maximum = 10000))]
    pub stock: RestockQuantity,
}

/// `POST /api/v1/volunteer/mall/{id}/restock` (staff).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Restock {
    /// 1 to 10,000.
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1, maximum = 10000))]
    pub quantity: RestockQuantity,
}

/// The reply to a redemption or its cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionView {
    /// The redemption's ledger entry: what `POST /volunteer/redemptions/{seq}/cancel` names.
    pub seq: u64,
    pub item: MallItemView,
    pub balance: u64,
    pub cancelled: bool,
    /// Waiting to be collected, handed over, or cancelled.
    #[serde(default = "waiting")]
    pub state: RedemptionState,
}

fn waiting() -> RedemptionState {
    RedemptionState::Waiting
}

/// A redemption as staff see it at the counter (`GET /api/v1/volunteer/redemptions`,
/// `POST /api/v1/volunteer/redemptions/{seq}/handover`); a resident sees only their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedemptionLine {
    /// The redemption's ledger entry: what hand-over and cancellation name.
    pub seq: u64,
    /// When it was redeemed (RFC 3339).
    pub at: Timestamp,
    /// Who redeemed it: the person to hand the item to.
    pub member: MemberRef,
    /// The item's id and name.
    pub item: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1))]
    pub price: Points,
    pub state: RedemptionState,
    /// When staff handed it over (RFC 3339), if they did.
    pub handed_over_at: Option<Timestamp>,
}

impl RedemptionLine {
    pub fn new(
        redemption: &Redemption<'_>,
        member: &impl Fn(MemberId) -> MemberRef,
        name: &impl Fn(&str) -> String,
    ) -> RedemptionLine {
        RedemptionLine {
            seq: redemption.seq,
            at: Timestamp::from_unix_secs(redemption.at),
            member: member(redemption.member),
            item: redemption.item.to_owned(),
            name: name(redemption.item),
            price: redemption.price,
            state: redemption.state,
            handed_over_at: redemption.handed_over_at.map(Timestamp::from_unix_secs),
        }
    }
}

/// The most redemptions one list shows, the newest first.
pub const REDEMPTIONS_SHOWN: usize = 200;

/// The redemptions `viewer` may see, newest first, at most [`REDEMPTIONS_SHOWN`]: staff see the
/// community's, anyone else only their own ([`Actor::sees_redemptions_of`]); `state` keeps only
/// those in that state.
pub fn visible_redemptions<'a>(
    book: &'a PointsBook,
    viewer: Actor,
    state: Option<RedemptionState>,
) -> Vec<Redemption<'a>> {
    let mut found: Vec<Redemption<'a>> = book
        .redemptions()
        .filter(|r| viewer.sees_redemptions_of(r.member))
        .filter(|r| state.is_none_or(|s| r.state == s))
        .collect();
    found.reverse();
    found.truncate(REDEMPTIONS_SHOWN);
    found
}

/// One place on the leaderboard. Names are shortened (张*) for privacy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardPlace {
    pub rank: u32,
    pub name: String,
    pub points: u64,
    pub verified_minutes: u64,
    /// This row is the viewer.
    pub me: bool,
}

/// `GET /api/v1/volunteer/leaderboard?month=2026-12`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardView {
    /// `YYYY-MM`, China time.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$"))]
    pub month: Month,
    pub rows: Vec<LeaderboardPlace>,
}

impl LeaderboardView {
    pub fn new(
        month: Month,
        rows: Vec<LeaderboardRow>,
        viewer: Option<MemberId>,
        name: &impl Fn(MemberId) -> String,
    ) -> LeaderboardView {
        LeaderboardView {
            month,
            rows: rows
                .into_iter()
                .map(|row| LeaderboardPlace {
                    rank: row.rank,
                    name: masked_name(&name(row.member)),
                    points: row.points,
                    verified_minutes: row.verified_minutes,
                    me: viewer == Some(row.member),
                })
                .collect(),
        }
    }
}

/// A display name shortened for a public list: its first character and `*` (张三丰 → 张*).
pub fn masked_name(name: &str) -> String {
    match name.trim().chars().next() {
        Some(first) => format!("{first}*"),
        None => "*".to_owned(),
    }
}

/// Why volunteering refused a change, as one code every backend sends and every screen words:
/// the server puts [`Refusal::code`] in its error body, the app reads it back with
/// [`Refusal::from_code`], and the local backend converts the core's errors directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    CodeMalformed,
    CodeExpired,
    CodeWrong,
    CheckInNotOpen,
    CheckInClosed,
    Full,
    Ended,
    AlreadySignedUp,
    NotSignedUp,
    AlreadyCheckedIn,
    NotCheckedIn,
    AlreadyCheckedOut,
    AlreadyVerified,
    SlotsBelowSignups,
    TimeLocked,
    OutOfStock,
    NotEnoughPoints,
    AlreadyCancelled,
    NotARedemption,
    NothingToAward,
    OwnAttendance,
    ZeroMinutes,
    NotCheckedOut,
    HandedOver,
    AlreadyHandedOver,
    OwnRedemption,
    /// Someone else's redemption, or staff's work (the server answers 403).
    NotYours,
}

impl Refusal {
    pub const ALL: [Refusal; 27] = [
        Refusal::CodeMalformed,
        Refusal::CodeExpired,
        Refusal::CodeWrong,
        Refusal::CheckInNotOpen,
        Refusal::CheckInClosed,
        Refusal::Full,
        Refusal::Ended,
        Refusal::AlreadySignedUp,
        Refusal::NotSignedUp,
        Refusal::AlreadyCheckedIn,
        Refusal::NotCheckedIn,
        Refusal::AlreadyCheckedOut,
        Refusal::AlreadyVerified,
        Refusal::SlotsBelowSignups,
        Refusal::TimeLocked,
        Refusal::OutOfStock,
        Refusal::NotEnoughPoints,
        Refusal::AlreadyCancelled,
        Refusal::NotARedemption,
        Refusal::NothingToAward,
        Refusal::OwnAttendance,
        Refusal::ZeroMinutes,
        Refusal::NotCheckedOut,
        Refusal::HandedOver,
        Refusal::AlreadyHandedOver,
        Refusal::OwnRedemption,
        Refusal::NotYours,
    ];

    /// The error code in an API error body.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::CodeMalformed => "code_malformed",
            Refusal::CodeExpired => "code_expired",
            Refusal::CodeWrong => "code_wrong",
            Refusal::CheckInNotOpen => "check_in_not_open",
            Refusal::CheckInClosed => "check_in_closed",
            Refusal::Full => "activity_full",
            Refusal::Ended => "activity_ended",
            Refusal::AlreadySignedUp => "already_signed_up",
            Refusal::NotSignedUp => "not_signed_up",
            Refusal::AlreadyCheckedIn => "already_checked_in",
            Refusal::NotCheckedIn => "not_checked_in",
            Refusal::AlreadyCheckedOut => "already_checked_out",
            Refusal::AlreadyVerified => "already_verified",
            Refusal::SlotsBelowSignups => "slots_below_signups",
            Refusal::TimeLocked => "time_locked",
            Refusal::OutOfStock => "out_of_stock",
            Refusal::NotEnoughPoints => "not_enough_points",
            Refusal::AlreadyCancelled => "already_cancelled",
            Refusal::NotARedemption => "not_a_redemption",
            Refusal::NothingToAward => "nothing_to_award",
            Refusal::OwnAttendance => "own_attendance",
            Refusal::ZeroMinutes => "zero_minutes",
            Refusal::NotCheckedOut => "not_checked_out",
            Refusal::HandedOver => "handed_over",
            Refusal::AlreadyHandedOver => "already_handed_over",
            Refusal::OwnRedemption => "own_redemption",
            Refusal::NotYours => "not_yours",
        }
    }

    pub fn from_code(code: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl From<&CheckInError> for Refusal {
    fn from(e: &CheckInError) -> Refusal {
        match e {
            CheckInError::Malformed => Refusal::CodeMalformed,
            CheckInError::Expired => Refusal::CodeExpired,
            CheckInError::Wrong => Refusal::CodeWrong,
            CheckInError::NotOpenYet { .. } => Refusal::CheckInNotOpen,
            CheckInError::Closed { .. } => Refusal::CheckInClosed,
        }
    }
}

impl From<&ActivityError> for Refusal {
    fn from(e: &ActivityError) -> Refusal {
        match e {
            ActivityError::Full => Refusal::Full,
            ActivityError::Ended => Refusal::Ended,
            ActivityError::AlreadySignedUp => Refusal::AlreadySignedUp,
            ActivityError::NotSignedUp => Refusal::NotSignedUp,
            ActivityError::AlreadyCheckedIn => Refusal::AlreadyCheckedIn,
            ActivityError::NotCheckedIn => Refusal::NotCheckedIn,
            ActivityError::CheckIn(e) => Refusal::from(e),
            ActivityError::CheckOut(CheckOutError::AlreadyCheckedOut { .. }) => {
                Refusal::AlreadyCheckedOut
            }
            ActivityError::CheckOut(CheckOutError::BeforeCheckIn) => Refusal::NotCheckedIn,
            ActivityError::AlreadyVerified => Refusal::AlreadyVerified,
            ActivityError::SlotsBelowSignups { .. } => Refusal::SlotsBelowSignups,
            ActivityError::TimeLocked => Refusal::TimeLocked,
            ActivityError::OwnAttendance => Refusal::OwnAttendance,
            ActivityError::StaffOnly => Refusal::NotYours,
            ActivityError::ZeroMinutes => Refusal::ZeroMinutes,
            ActivityError::NotCheckedOut => Refusal::NotCheckedOut,
        }
    }
}

impl From<&PointsError> for Refusal {
    fn from(e: &PointsError) -> Refusal {
        match e {
            PointsError::AlreadyAwarded { .. } => Refusal::AlreadyVerified,
            PointsError::NothingToAward => Refusal::NothingToAward,
            PointsError::OutOfStock { .. } => Refusal::OutOfStock,
            PointsError::NotEnoughPoints { .. } => Refusal::NotEnoughPoints,
            PointsError::NotARedemption { .. } | PointsError::CancelMismatch { .. } => {
                Refusal::NotARedemption
            }
            PointsError::AlreadyCancelled { .. } => Refusal::AlreadyCancelled,
            PointsError::EmptyRestock => Refusal::NothingToAward,
            PointsError::OwnAward => Refusal::OwnAttendance,
            PointsError::ZeroMinutes => Refusal::ZeroMinutes,
            PointsError::HandedOver { .. } => Refusal::HandedOver,
            PointsError::AlreadyHandedOver { .. } => Refusal::AlreadyHandedOver,
            PointsError::OwnRedemption { .. } => Refusal::OwnRedemption,
            PointsError::NotYours { .. } | PointsError::StaffOnly => Refusal::NotYours,
        }
    }
}

impl From<&VerifyError> for Refusal {
    fn from(e: &VerifyError) -> Refusal {
        match e {
            VerifyError::Activity(e) => Refusal::from(e),
            VerifyError::Points(e) => Refusal::from(e),
        }
    }
}

impl Refusal {
    /// Whether this refusal is about who asks rather than about the state of things: the API
    /// answers it 403.
    pub fn is_forbidden(self) -> bool {
        self == Refusal::NotYours
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_round_trip() {
        for r in Refusal::ALL {
            assert_eq!(Refusal::from_code(r.code()), Some(r));
        }
        assert_eq!(Refusal::from_code("nope"), None);
    }

    #[test]
    fn names_are_masked() {
        assert_eq!(masked_name("张三丰"), "张*");
        assert_eq!(masked_name("Li Lei"), "L*");
        assert_eq!(masked_name(""), "*");
    }

    #[test]
    fn drafts_name_the_bad_time() {
        let draft = |start: ServiceStart, end: ServiceStart| ActivityDraft {
            title: ActivityTitle::parse("清扫楼道").unwrap(),
            place: ActivityPlace::parse("3 栋").unwrap(),
            details: None,
            start,
            end,
            slots: Slots::new(5).unwrap(),
            award: AwardRule::Fixed {
                points: Points::new(20).unwrap(),
            },
        };
        assert_eq!(
            draft(ServiceStart::Rfc3339("soon".into()), ServiceStart::Unix(10))
                .plan()
                .unwrap_err()
                .field(),
            "start"
        );
        assert_eq!(
            draft(ServiceStart::Unix(10), ServiceStart::Unix(10))
                .plan()
                .unwrap_err(),
            DraftError::EndBeforeStart
        );
        let plan = draft(ServiceStart::Unix(10), ServiceStart::Unix(3610))
            .plan()
            .unwrap();
        assert_eq!(plan.time.end() - plan.time.start(), 3600);
    }
}
