//! The requests part of the `/api/v1` contract, shared by the app and the server: what a resident
//! sends to file a request, what anyone sends to act on one, and what comes back.

use super::category::{CategoryCode, Department};
use super::machine::{Command, CommandKind, Comment, Note, RequestState, Stars, TimelineEvent};
use super::photo::{MAX_PHOTOS, PhotoId};
use crate::geo::LatLng;
use crate::phone::MobileNumber;
use crate::text::{BoundedText, Description};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A typed address when there is no position: 2–200 characters.
pub type Address = BoundedText<2, 200>;

/// A field of a request body that breaks a rule, named as in the body.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

fn field(field: &'static str, reason: impl ToString) -> FieldError {
    FieldError {
        field,
        reason: reason.to_string(),
    }
}

/// `POST /api/v1/requests`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRequest {
    #[cfg_attr(feature = "openapi", schema(example = "municipal"))]
    pub category: CategoryCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String, min_length = 10, max_length = 2000))]
    pub description: Description,
    /// Where, from the phone's position…
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Position>))]
    pub position: Option<LatLng>,
    /// …or as typed (at least one of the two).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, min_length = 2, max_length = 200))]
    pub address: Option<Address>,
    /// A number to call back; none when anonymous.
    #[serde(default)]
    pub contact: Option<MobileNumber>,
    /// Hide who filed it from everyone but intake staff.
    #[serde(default)]
    pub anonymous: bool,
    /// Photos uploaded first (`POST /api/v1/photos`) by the same person, in order; at most 9.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<PhotoId>, max_items = 9))]
    pub photos: Vec<PhotoId>,
}

/// A position as the API writes it.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Position {
    #[schema(minimum = -90, maximum = 90)]
    lat: f64,
    #[schema(minimum = -180, maximum = 180)]
    lng: f64,
}

impl NewRequest {
    /// The rules a body's types cannot say: a place is needed, and an anonymous request has no
    /// contact to hide from the people who must not see it… but intake staff may call back.
    pub fn check(&self) -> Result<(), FieldError> {
        if self.position.is_none() && self.address.is_none() {
            return Err(field("address", "give a position or an address"));
        }
        if self.photos.len() > MAX_PHOTOS {
            return Err(field("photos", format!("at most {MAX_PHOTOS} photos")));
        }
        let mut seen = self.photos.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.photos.len() {
            return Err(field("photos", "the same photo twice"));
        }
        Ok(())
    }
}

/// `POST /api/v1/requests/{tracking}/commands`: one command, its kind and what it needs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommandBody {
    #[cfg_attr(feature = "openapi", schema(value_type = CommandKind))]
    pub kind: Option<CommandKind>,
    /// For `reject` and `reopen`.
    #[serde(default)]
    pub reason: Option<String>,
    /// For `resolve`.
    #[serde(default)]
    pub reply: Option<String>,
    /// For `dispatch`; the category's default department when left out.
    #[serde(default)]
    pub department: Option<Department>,
    /// For `rate`: 1–5.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 1, maximum = 5))]
    pub stars: Option<Stars>,
    /// For `rate`, optional.
    #[serde(default)]
    pub comment: Option<String>,
    /// For `supplement`.
    #[serde(default)]
    pub note: Option<String>,
}

fn note(name: &'static str, text: Option<&str>) -> Result<Note, FieldError> {
    Note::parse(text.unwrap_or("")).map_err(|e| field(name, e))
}

impl CommandBody {
    /// The command this body asks for, with each needed field checked and named.
    pub fn command(&self, category: CategoryCode) -> Result<Command, FieldError> {
        let kind = self
            .kind
            .ok_or_else(|| field("kind", "say which command"))?;
        Ok(match kind {
            CommandKind::Submit => return Err(field("kind", "file a request with POST /requests")),
            CommandKind::Accept => Command::Accept,
            CommandKind::Reject => Command::Reject {
                reason: note("reason", self.reason.as_deref())?,
            },
            CommandKind::Dispatch => Command::Dispatch {
                department: self.department.unwrap_or(category.category().department),
            },
            CommandKind::Start => Command::Start,
            CommandKind::Resolve => Command::Resolve {
                reply: note("reply", self.reply.as_deref())?,
            },
            CommandKind::Confirm => Command::Confirm,
            CommandKind::Verify => Command::Verify,
            CommandKind::Rate => Command::Rate {
                stars: self.stars.ok_or_else(|| field("stars", "1 to 5 stars"))?,
                comment: match self.comment.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(text) => Some(Comment::parse(text).map_err(|e| field("comment", e))?),
                },
            },
            CommandKind::Reopen => Command::Reopen {
                reason: note("reason", self.reason.as_deref())?,
            },
            CommandKind::Withdraw => Command::Withdraw,
            CommandKind::Supplement => Command::Supplement {
                note: note("note", self.note.as_deref())?,
            },
        })
    }
}

/// A request as its reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestView {
    /// `CD-20261125-000123`.
    pub tracking: String,
    /// Our category; none for a request in a city's own service (see `city`).
    pub category: Option<CategoryCode>,
    pub description: String,
    pub state: RequestState,
    pub department: Option<Department>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub address: Option<String>,
    pub anonymous: bool,
    /// The call-back number: shown to the person who filed it and to staff only.
    pub contact: Option<String>,
    /// Photo ids in order; each is at `GET /api/v1/photos/{id}`.
    pub photos: Vec<PhotoId>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>))]
    pub rating: Option<Stars>,
    /// RFC 3339.
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub timeline: Vec<TimelineEvent>,
    /// What the reader may do now.
    pub allowed: Vec<CommandKind>,
    /// What a GeoReport endpoint says of the request beyond these fields (the app's `open311`
    /// backend fills it); never part of the JSON API.
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub city: Option<CityDetails>,
}

/// A request as a GeoReport endpoint tells of it, beyond what every backend says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CityDetails {
    /// The city's service, by its code and name.
    pub service_code: String,
    pub service_name: Option<String>,
    /// Who handles it (`agency_responsible`).
    pub agency: Option<String>,
    /// When the city expects to be done (`expected_datetime`).
    pub expected_at: Option<Timestamp>,
    /// What the city tells everyone about it (`service_notice`).
    pub notice: Option<String>,
    /// A photo's address (`media_url`).
    pub media_url: Option<String>,
}

/// `GET /api/v1/requests/stats` (staff).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestStats {
    pub total: u64,
    /// Count per state, every state listed.
    pub by_state: Vec<StateCount>,
    /// Resolved, closed or rated, out of all but withdrawn.
    pub resolution_rate: f64,
    pub mean_stars: Option<f64>,
    /// From submission to the first resolution.
    pub median_hours_to_resolve: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StateCount {
    pub state: RequestState,
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> CommandBody {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn each_command_needs_its_own_field() {
        let municipal = CategoryCode::parse("municipal").unwrap();
        assert_eq!(
            body(r#"{"kind": "reject"}"#)
                .command(municipal)
                .unwrap_err()
                .field,
            "reason"
        );
        assert_eq!(
            body(r#"{"kind": "resolve", "reply": " "}"#)
                .command(municipal)
                .unwrap_err()
                .field,
            "reply"
        );
        assert_eq!(
            body(r#"{"kind": "rate"}"#)
                .command(municipal)
                .unwrap_err()
                .field,
            "stars"
        );
        assert_eq!(body("{}").command(municipal).unwrap_err().field, "kind");
        assert!(serde_json::from_str::<CommandBody>(r#"{"kind": "rate", "stars": 6}"#).is_err());
        assert_eq!(
            body(r#"{"kind": "dispatch"}"#).command(municipal).unwrap(),
            Command::Dispatch {
                department: Department::Municipal
            },
            "the category's own department by default"
        );
    }

    #[test]
    fn a_request_needs_a_place() {
        let json = r#"{"category": "noise", "description": "楼上每晚装修到十一点多"}"#;
        let request: NewRequest = serde_json::from_str(json).unwrap();
        assert_eq!(request.check().unwrap_err().field, "address");
        let with_address: NewRequest = serde_json::from_str(
            r#"{"category": "noise", "description": "楼上每晚装修到十一点多", "address": "玉林北路 3 号"}"#,
        )
        .unwrap();
        assert!(with_address.check().is_ok());
        assert!(
            serde_json::from_str::<NewRequest>(
                r#"{"category": "ufo", "description": "0123456789", "address": "here"}"#
            )
            .is_err()
        );
    }
}
