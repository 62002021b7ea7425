//! Volunteering (志愿积分): activities and sign-ups, check-in by the rotating code, check-out,
//! my points and star level, the mall, the leaderboard; for staff, planning activities, the
//! check-in display, verifying attendance and stocking the mall. `local` keeps the core's
//! activities and points book in this browser (the demo identities act); `rest` talks to the
//! server's `api/v1/volunteer`. Every method takes `token`: a bearer token, or on `local` the demo
//! identity's id.

use super::error::{ApiFailure, Failure};
use super::local::LocalVolunteer;
use super::rest::RestVolunteer;
use crate::i18n::Msg;
use citizen_core::config::AppConfig;
use citizen_core::module::{BackendKind, Module};
use citizen_core::volunteer::{
    ActivityDraft, ActivityView, AttendeeView, CheckInDisplay, LeaderboardView, MallItemView,
    Month, NewMallItem, PointsAccount, RedemptionLine, RedemptionState, RedemptionView, Refusal,
    RestockQuantity, VerifiedMinutes,
};

#[derive(Debug, Clone, Copy)]
pub enum VolunteerBackend {
    Local(LocalVolunteer),
    Rest(RestVolunteer),
}

/// Why a volunteering call failed: the refusals its screens word, decoded from the server's
/// codes (the core's [`Refusal`] on either backend), or the failure as the client decoded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VolunteerError {
    /// A rule said no (the core's on `local`, the server's code on `rest`).
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Staff only, or not this person's to change.
    #[error("not allowed")]
    Forbidden,
    /// A field that breaks a rule, named as in the body.
    #[error("the {0} field was refused")]
    Field(String),
    #[error("not found")]
    NotFound,
    /// No answer, a refused sign-in, too many wrong check-in codes (429), a server fault…
    #[error(transparent)]
    Api(ApiFailure),
}

impl From<ApiFailure> for VolunteerError {
    fn from(failure: ApiFailure) -> Self {
        let Some(refused) = failure.as_refused() else {
            return VolunteerError::Api(failure);
        };
        match (
            refused.status,
            Refusal::from_code(&refused.code),
            &refused.field,
        ) {
            (403, _, _) => VolunteerError::Forbidden,
            (_, Some(refusal), _) => VolunteerError::Refused(refusal),
            (404, _, _) => VolunteerError::NotFound,
            (422, _, Some(field)) => VolunteerError::Field(field.clone()),
            _ => VolunteerError::Api(failure),
        }
    }
}

impl Failure for VolunteerError {
    /// What to tell the person, in plain words.
    fn message(&self) -> Msg {
        match self {
            VolunteerError::Refused(refusal) => refusal_message(*refusal),
            VolunteerError::Forbidden => Msg::StaffOnly,
            VolunteerError::Field(_) => Msg::RequestFieldRefused,
            VolunteerError::NotFound => Msg::VolunteerNotFound,
            VolunteerError::Api(failure) => failure.message(),
        }
    }
}

/// The words for each refusal.
pub fn refusal_message(refusal: Refusal) -> Msg {
    match refusal {
        Refusal::CodeMalformed => Msg::RefusalCodeMalformed,
        Refusal::CodeExpired => Msg::RefusalCodeExpired,
        Refusal::CodeWrong => Msg::RefusalCodeWrong,
        Refusal::CheckInNotOpen => Msg::RefusalCheckInNotOpen,
        Refusal::CheckInClosed => Msg::RefusalCheckInClosed,
        Refusal::Full => Msg::RefusalFull,
        Refusal::Ended => Msg::RefusalEnded,
        Refusal::AlreadySignedUp => Msg::RefusalAlreadySignedUp,
        Refusal::NotSignedUp => Msg::RefusalNotSignedUp,
        Refusal::AlreadyCheckedIn => Msg::RefusalAlreadyCheckedIn,
        Refusal::NotCheckedIn => Msg::RefusalNotCheckedIn,
        Refusal::AlreadyCheckedOut => Msg::RefusalAlreadyCheckedOut,
        Refusal::AlreadyVerified => Msg::RefusalAlreadyVerified,
        Refusal::SlotsBelowSignups => Msg::RefusalSlotsBelowSignups,
        Refusal::TimeLocked => Msg::RefusalTimeLocked,
        Refusal::OutOfStock => Msg::RefusalOutOfStock,
        Refusal::NotEnoughPoints => Msg::RefusalNotEnoughPoints,
        Refusal::AlreadyCancelled => Msg::RefusalAlreadyCancelled,
        Refusal::NotARedemption => Msg::RefusalNotARedemption,
        Refusal::NothingToAward => Msg::RefusalNothingToAward,
        Refusal::OwnAttendance => Msg::RefusalOwnAttendance,
        Refusal::ZeroMinutes => Msg::RefusalZeroMinutes,
        Refusal::NotCheckedOut => Msg::RefusalNotCheckedOut,
        Refusal::HandedOver => Msg::RefusalHandedOver,
        Refusal::AlreadyHandedOver => Msg::RefusalAlreadyHandedOver,
        Refusal::OwnRedemption => Msg::RefusalOwnRedemption,
        Refusal::NotYours => Msg::RefusalNotYours,
    }
}

/// Dispatches one call to the configured implementation.
macro_rules! each {
    ($self:ident.$method:ident($($arg:expr),*)) => {
        match $self {
            VolunteerBackend::Local(local) => local.$method($($arg),*).await,
            VolunteerBackend::Rest(rest) => rest.$method($($arg),*).await,
        }
    };
}

impl VolunteerBackend {
    /// `None` where the configured backend has no volunteering (`open311` is for requests only).
    pub fn from_config(config: &AppConfig) -> Option<VolunteerBackend> {
        match config.backend(Module::Volunteer) {
            BackendKind::Local => Some(VolunteerBackend::Local(LocalVolunteer)),
            BackendKind::Rest => Some(VolunteerBackend::Rest(RestVolunteer)),
            _ => None,
        }
    }

    pub fn is_local(self) -> bool {
        matches!(self, VolunteerBackend::Local(_))
    }

    // --- everyone ---

    /// The community's activities: running and upcoming first (soonest first), then ended ones.
    pub async fn activities(self, token: &str) -> Result<Vec<ActivityView>, VolunteerError> {
        each!(self.activities(token))
    }

    pub async fn activity(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        each!(self.activity(token, id))
    }

    pub async fn sign_up(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        each!(self.sign_up(token, id))
    }

    pub async fn cancel_sign_up(
        self,
        token: &str,
        id: &str,
    ) -> Result<ActivityView, VolunteerError> {
        each!(self.cancel_sign_up(token, id))
    }

    pub async fn check_in(
        self,
        token: &str,
        id: &str,
        code: &str,
    ) -> Result<ActivityView, VolunteerError> {
        each!(self.check_in(token, id, code))
    }

    pub async fn check_out(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        each!(self.check_out(token, id))
    }

    pub async fn points(self, token: &str) -> Result<PointsAccount, VolunteerError> {
        each!(self.points(token))
    }

    pub async fn mall(self, token: &str) -> Result<Vec<MallItemView>, VolunteerError> {
        each!(self.mall(token))
    }

    pub async fn redeem(self, token: &str, item: &str) -> Result<RedemptionView, VolunteerError> {
        each!(self.redeem(token, item))
    }

    /// Cancels a redemption: my own before it is handed over; staff may cancel anyone's, and
    /// after hand-over only staff other than its redeemer.
    pub async fn cancel_redemption(
        self,
        token: &str,
        seq: u64,
    ) -> Result<RedemptionView, VolunteerError> {
        each!(self.cancel_redemption(token, seq))
    }

    /// Redemptions, newest first, in `state` if given: staff see the community's, a resident
    /// their own.
    pub async fn redemptions(
        self,
        token: &str,
        state: Option<RedemptionState>,
    ) -> Result<Vec<RedemptionLine>, VolunteerError> {
        each!(self.redemptions(token, state))
    }

    /// `None`: this month (China time).
    pub async fn leaderboard(
        self,
        token: &str,
        month: Option<Month>,
    ) -> Result<LeaderboardView, VolunteerError> {
        each!(self.leaderboard(token, month))
    }

    // --- staff ---

    pub async fn create_activity(
        self,
        token: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        each!(self.create_activity(token, draft))
    }

    pub async fn edit_activity(
        self,
        token: &str,
        id: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        each!(self.edit_activity(token, id, draft))
    }

    /// The code the check-in display shows now.
    pub async fn check_in_code(
        self,
        token: &str,
        id: &str,
    ) -> Result<CheckInDisplay, VolunteerError> {
        each!(self.check_in_code(token, id))
    }

    pub async fn attendees(
        self,
        token: &str,
        id: &str,
    ) -> Result<Vec<AttendeeView>, VolunteerError> {
        each!(self.attendees(token, id))
    }

    /// Verifies `person`'s time at the activity; their points are credited then.
    pub async fn verify(
        self,
        token: &str,
        id: &str,
        person: i64,
        minutes: VerifiedMinutes,
    ) -> Result<AttendeeView, VolunteerError> {
        each!(self.verify(token, id, person, minutes))
    }

    pub async fn add_item(
        self,
        token: &str,
        item: &NewMallItem,
    ) -> Result<MallItemView, VolunteerError> {
        each!(self.add_item(token, item))
    }

    /// Marks a redemption handed over at the counter (staff; never their own).
    pub async fn hand_over(self, token: &str, seq: u64) -> Result<RedemptionLine, VolunteerError> {
        each!(self.hand_over(token, seq))
    }

    pub async fn restock(
        self,
        token: &str,
        item: &str,
        quantity: RestockQuantity,
    ) -> Result<MallItemView, VolunteerError> {
        each!(self.restock(token, item, quantity))
    }
}
