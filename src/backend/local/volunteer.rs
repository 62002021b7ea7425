//! The in-browser volunteering backend. INTERIM: being written; every call says so.

use crate::backend::volunteer::VolunteerError;
use citizen_core::volunteer::{
    ActivityDraft, ActivityView, AttendeeView, CheckInDisplay, LeaderboardView, MallItemView,
    Month, NewMallItem, PointsAccount, RedemptionView, RestockQuantity, VerifiedMinutes,
};

#[derive(Debug, Clone, Copy)]
pub struct LocalVolunteer;

fn pending<T>() -> Result<T, VolunteerError> {
    Err(VolunteerError::Unexpected(
        "local volunteering is not built yet".into(),
    ))
}

#[allow(unused_variables)]
impl LocalVolunteer {
    pub async fn activities(self, token: &str) -> Result<Vec<ActivityView>, VolunteerError> {
        pending()
    }
    pub async fn activity(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        pending()
    }
    pub async fn sign_up(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        pending()
    }
    pub async fn cancel_sign_up(
        self,
        token: &str,
        id: &str,
    ) -> Result<ActivityView, VolunteerError> {
        pending()
    }
    pub async fn check_in(
        self,
        token: &str,
        id: &str,
        code: &str,
    ) -> Result<ActivityView, VolunteerError> {
        pending()
    }
    pub async fn check_out(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        pending()
    }
    pub async fn points(self, token: &str) -> Result<PointsAccount, VolunteerError> {
        pending()
    }
    pub async fn mall(self, token: &str) -> Result<Vec<MallItemView>, VolunteerError> {
        pending()
    }
    pub async fn redeem(self, token: &str, item: &str) -> Result<RedemptionView, VolunteerError> {
        pending()
    }
    pub async fn cancel_redemption(
        self,
        token: &str,
        seq: u64,
    ) -> Result<RedemptionView, VolunteerError> {
        pending()
    }
    pub async fn leaderboard(
        self,
        token: &str,
        month: Option<Month>,
    ) -> Result<LeaderboardView, VolunteerError> {
        pending()
    }
    pub async fn create_activity(
        self,
        token: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        pending()
    }
    pub async fn edit_activity(
        self,
        token: &str,
        id: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        pending()
    }
    pub async fn check_in_code(
        self,
        token: &str,
        id: &str,
    ) -> Result<CheckInDisplay, VolunteerError> {
        pending()
    }
    pub async fn attendees(
        self,
        token: &str,
        id: &str,
    ) -> Result<Vec<AttendeeView>, VolunteerError> {
        pending()
    }
    pub async fn verify(
        self,
        token: &str,
        id: &str,
        person: i64,
        minutes: VerifiedMinutes,
    ) -> Result<AttendeeView, VolunteerError> {
        pending()
    }
    pub async fn add_item(
        self,
        token: &str,
        item: &NewMallItem,
    ) -> Result<MallItemView, VolunteerError> {
        pending()
    }
    pub async fn restock(
        self,
        token: &str,
        item: &str,
        quantity: RestockQuantity,
    ) -> Result<MallItemView, VolunteerError> {
        pending()
    }
}
