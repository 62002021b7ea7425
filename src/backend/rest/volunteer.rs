//! `api/v1/volunteer`: activities, check-in, points, the mall, the leaderboard, and the staff's
//! side of each. A rule's refusal arrives as 409 with the core's [`Refusal`] code; a bad field
//! as 422 naming it.

use super::bearer::{CallError, send, with_body};
use crate::backend::volunteer::VolunteerError;
use crate::browser::fetch::{Method, Reply};
use citizen_core::api::ErrorBody;
use citizen_core::volunteer::{
    ActivityDraft, ActivityView, AttendeeView, CheckInBody, CheckInDisplay, LeaderboardView,
    MallItemView, Month, NewMallItem, PointsAccount, RedemptionLine, RedemptionState,
    RedemptionView, Refusal, Restock, RestockQuantity, VerifiedMinutes, VerifyAttendance,
};

const VOLUNTEER: &str = "api/v1/volunteer";

#[derive(Debug, Clone, Copy)]
pub struct RestVolunteer;

impl CallError for VolunteerError {
    fn network() -> Self {
        VolunteerError::Network
    }

    fn unexpected(detail: String) -> Self {
        VolunteerError::Unexpected(detail)
    }

    fn from_reply(reply: &Reply) -> Self {
        let body = serde_json::from_str::<ErrorBody>(&reply.body).ok();
        let refusal = body
            .as_ref()
            .and_then(|b| Refusal::from_code(&b.error.code));
        match (reply.status, body, refusal) {
            (403, _, _) => VolunteerError::Forbidden,
            (_, _, Some(refusal)) => VolunteerError::Refused(refusal),
            (401, _, _) => VolunteerError::SessionExpired,
            (429, _, _) => VolunteerError::TooManyAttempts,
            (404, _, _) => VolunteerError::NotFound,
            (422, Some(ErrorBody { error }), _) if error.field.is_some() => {
                VolunteerError::Field(error.field.unwrap_or_default())
            }
            (status, _, _) => VolunteerError::Unexpected(format!("HTTP {status}")),
        }
    }
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
        send(token, Method::Get, &format!("{VOLUNTEER}/activities"), None).await
    }

    pub async fn activity(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        send(token, Method::Get, &activity_url(id), None).await
    }

    pub async fn sign_up(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        with_body(
            token,
            Method::Post,
            &format!("{}/signup", activity_url(id)),
            &(),
        )
        .await
    }

    pub async fn cancel_sign_up(
        self,
        token: &str,
        id: &str,
    ) -> Result<ActivityView, VolunteerError> {
        send(
            token,
            Method::Delete,
            &format!("{}/signup", activity_url(id)),
            None,
        )
        .await
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
        with_body(
            token,
            Method::Post,
            &format!("{}/checkin", activity_url(id)),
            &body,
        )
        .await
    }

    pub async fn check_out(self, token: &str, id: &str) -> Result<ActivityView, VolunteerError> {
        with_body(
            token,
            Method::Post,
            &format!("{}/checkout", activity_url(id)),
            &(),
        )
        .await
    }

    pub async fn points(self, token: &str) -> Result<PointsAccount, VolunteerError> {
        send(token, Method::Get, &format!("{VOLUNTEER}/points"), None).await
    }

    pub async fn mall(self, token: &str) -> Result<Vec<MallItemView>, VolunteerError> {
        send(token, Method::Get, &format!("{VOLUNTEER}/mall"), None).await
    }

    pub async fn redeem(self, token: &str, item: &str) -> Result<RedemptionView, VolunteerError> {
        let url = format!("{VOLUNTEER}/mall/{}/redeem", segment(item));
        with_body(token, Method::Post, &url, &()).await
    }

    pub async fn cancel_redemption(
        self,
        token: &str,
        seq: u64,
    ) -> Result<RedemptionView, VolunteerError> {
        let url = format!("{VOLUNTEER}/redemptions/{seq}/cancel");
        with_body(token, Method::Post, &url, &()).await
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
        send(token, Method::Get, &url, None).await
    }

    pub async fn hand_over(self, token: &str, seq: u64) -> Result<RedemptionLine, VolunteerError> {
        let url = format!("{VOLUNTEER}/redemptions/{seq}/handover");
        with_body(token, Method::Post, &url, &()).await
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
        send(token, Method::Get, &url, None).await
    }

    pub async fn create_activity(
        self,
        token: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        with_body(
            token,
            Method::Post,
            &format!("{VOLUNTEER}/activities"),
            draft,
        )
        .await
    }

    pub async fn edit_activity(
        self,
        token: &str,
        id: &str,
        draft: &ActivityDraft,
    ) -> Result<ActivityView, VolunteerError> {
        with_body(token, Method::Put, &activity_url(id), draft).await
    }

    pub async fn check_in_code(
        self,
        token: &str,
        id: &str,
    ) -> Result<CheckInDisplay, VolunteerError> {
        send(
            token,
            Method::Get,
            &format!("{}/code", activity_url(id)),
            None,
        )
        .await
    }

    pub async fn attendees(
        self,
        token: &str,
        id: &str,
    ) -> Result<Vec<AttendeeView>, VolunteerError> {
        send(
            token,
            Method::Get,
            &format!("{}/attendees", activity_url(id)),
            None,
        )
        .await
    }

    pub async fn verify(
        self,
        token: &str,
        id: &str,
        person: i64,
        minutes: VerifiedMinutes,
    ) -> Result<AttendeeView, VolunteerError> {
        let url = format!("{}/attendees/{person}/verify", activity_url(id));
        with_body(token, Method::Post, &url, &VerifyAttendance { minutes }).await
    }

    pub async fn add_item(
        self,
        token: &str,
        item: &NewMallItem,
    ) -> Result<MallItemView, VolunteerError> {
        with_body(token, Method::Post, &format!("{VOLUNTEER}/mall"), item).await
    }

    pub async fn restock(
        self,
        token: &str,
        item: &str,
        quantity: RestockQuantity,
    ) -> Result<MallItemView, VolunteerError> {
        let url = format!("{VOLUNTEER}/mall/{}/restock", segment(item));
        with_body(token, Method::Post, &url, &Restock { quantity }).await
    }
}
