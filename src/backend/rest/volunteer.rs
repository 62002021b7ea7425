//! `api/v1/volunteer`: activities, check-in, points, the mall, the leaderboard, and the staff's
//! side of each. A rule's refusal arrives as 409 with the core's `Refusal` code; a bad field
//! as 422 naming it.

use crate::backend::client::{self, Call};
use crate::backend::volunteer::VolunteerError;
use citizen_core::volunteer::{
    ActivityDraft, ActivityView, AttendeeView, CheckInBody, CheckInDisplay, LeaderboardView,
    MallItemView, Month, NewMallItem, PointsAccount, RedemptionLine, RedemptionState,
    RedemptionView, Restock, RestockQuantity, VerifiedMinutes, VerifyAttendance,
};
use serde::de::DeserializeOwned;

const VOLUNTEER: &str = "api/v1/volunteer";

#[derive(Debug, Clone, Copy)]
pub struct RestVolunteer;

async fn fetch<T: DeserializeOwned>(call: Call<'_>) -> Result<T, VolunteerError> {
    Ok(call.fetch().await?)
}

/// An id as a path segment (ids are letters, digits, `-` and `_`, but a stray one must not
/// change the path).
fn segment(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

fn activity_url(id: &str) -> String {
    format!("{VOLUNTEER}/activities/{}", segment(id))
}

impl RestVolunteer {
    pub async fn activities(self, token: &str) -> Result<Vec<ActivityView>, VolunteerError> {
        fetch(client::get(&format!("{VOLUNTEER}/activities")).bearer(token)).await
    }

    pub async fn activity(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        fetch(client::get(&activity_url(id)).bearer(token)).await
    }

    pub async fn sign_up(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        fetch(
            client::post(&format!("{}/signup", activity_url(id)))
                .bearer(token)
                .json(&()),
        )
        .await
    }

    pub async fn cancel_sign_up(
        self,
        token: &str,
        id: &str,
    ) -> Result<ActivityView, VolunteerError> {
        fetch(client::delete(&format!("{}/signup", activity_url(id))).bearer(token)).await
    }

    pub async fn check_in(
        self,
        token: &str,
        id: &str,
        code: &str,
    ) -> Result<ActivityView, VolunteerError> {
        let body = CheckInBody {
            code: code.to_owned(),
        };
        fetch(
            client::post(&format!("{}/checkin", activity_url(id)))
                .bearer(token)
                .json(&body),
        )
        .await
    }

    pub async fn check_out(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        fetch(
            client::post(&format!("{}/checkout", activity_url(id)))
                .bearer(token)
                .json(&()),
        )
        .await
    }

    pub async fn points(self, token: &str) -> Result<PointsAccount, VolunteerError> {
        fetch(client::get(&format!("{VOLUNTEER}/points")).bearer(token)).await
    }

    pub async fn mall(self, token: &str) -> Result<Vec<MallItemView>, VolunteerError> {
        fetch(client::get(&format!("{VOLUNTEER}/mall")).bearer(token)).await
    }

    pub async fn redeem(self, token: &str, item: &str) -> Result<RedemptionView, VolunteerError> {
        let url = format!("{VOLUNTEER}/mall/{}/redeem", segment(item));
        fetch(client::post(&url).bearer(token).json(&())).await
    }

    pub async fn cancel_redemption(
        self,
        token: &str,
        seq: u64,
    ) -> Result<RedemptionView, VolunteerError> {
        let url = format!("{VOLUNTEER}/redemptions/{seq}/cancel");
        fetch(client::post(&url).bearer(token).json(&())).await
    }

    pub async fn redemptions(
        self,
        token: &str,
        state: Option<RedemptionState>,
    ) -> Result<Vec<RedemptionLine>, VolunteerError> {
        let url = match state {
            Some(state) => format!("{VOLUNTEER}/redemptions?state={}", state.as_str()),
            None => format!("{VOLUNTEER}/redemptions"),
        };
        fetch(client::get(&url).bearer(token)).await
    }

    pub async fn hand_over(self, token: &str, seq: u64) -> Result<RedemptionLine, VolunteerError> {
        let url = format!("{VOLUNTEER}/redemptions/{seq}/handover");
        fetch(client::post(&url).bearer(token).json(&())).await
    }

    pub async fn leaderboard(
        self,
        token: &str,
        month: Option<Month>,
    ) -> Result<LeaderboardView, VolunteerError> {
        let url = match month {
            Some(month) => format!("{VOLUNTEER}/leaderboard?month={month}"),
            None => format!("{VOLUNTEER}/leaderboard"),
        };
        fetch(client::get(&url).bearer(token)).await
    }

    pub async fn create_activity(
        self,
        token: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        fetch(
            client::post(&format!("{VOLUNTEER}/activities"))
                .bearer(token)
                .json(draft),
        )
        .await
    }

    pub async fn edit_activity(
        self,
        token: &str,
        id: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        fetch(client::put(&activity_url(id)).bearer(token).json(draft)).await
    }

    pub async fn check_in_code(
        self,
        token: &str,
        id: &str,
    ) -> Result<CheckInDisplay, VolunteerError> {
        fetch(client::get(&format!("{}/code", activity_url(id))).bearer(token)).await
    }

    pub async fn attendees(
        self,
        token: &str,
        id: &str,
    ) -> Result<Vec<AttendeeView>, VolunteerError> {
        fetch(client::get(&format!("{}/attendees", activity_url(id))).bearer(token)).await
    }

    pub async fn verify(
        self,
        token: &str,
        id: &str,
        person: i64,
        minutes: VerifiedMinutes,
    ) -> Result<AttendeeView, VolunteerError> {
        let url = format!("{}/attendees/{person}/verify", activity_url(id));
        fetch(
            client::post(&url)
                .bearer(token)
                .json(&VerifyAttendance { minutes }),
        )
        .await
    }

    pub async fn add_item(
        self,
        token: &str,
        item: &NewMallItem,
    ) -> Result<MallItemView, VolunteerError> {
        fetch(
            client::post(&format!("{VOLUNTEER}/mall"))
                .bearer(token)
                .json(item),
        )
        .await
    }

    pub async fn restock(
        self,
        token: &str,
        item: &str,
        quantity: RestockQuantity,
    ) -> Result<MallItemView, VolunteerError> {
        let url = format!("{VOLUNTEER}/mall/{}/restock", segment(item));
        fetch(client::post(&url).bearer(token).json(&Restock { quantity })).await
    }
}
