//! The `/api/v1` wire types that the app and the server both use, so the two cannot drift.
//! Field rules come from the newtypes: a request that deserialises is a valid request.

use serde::{Deserialize, Serialize};

use crate::account::{Role, TypedPassword};
use crate::ids::{MemberId, TileId};
use crate::phone::MobileNumber;
use crate::time::Timestamp;

/// `POST /api/v1/session`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    pub mobile: MobileNumber,
    pub password: TypedPassword,
}

/// What a successful sign-in returns: the bearer token (shown once), when it expires (RFC 3339,
/// UTC) and who signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub token: String,
    pub expires_at: Timestamp,
    pub person: Me,
}

/// `GET /api/v1/me`: the signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub id: MemberId,
    pub display_name: String,
    /// The person's own number, in full (it is theirs).
    pub mobile: String,
    pub roles: Vec<Role>,
    /// The community the account belongs to.
    pub community: String,
}

/// `POST /api/v1/me/favourites`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFavourite {
    pub tile: TileId,
}

/// One favourite, as `POST /api/v1/me/favourites` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Favourite {
    pub tile: TileId,
    /// When it became a favourite (RFC 3339, UTC).
    pub added_at: Timestamp,
}

/// `GET /api/v1/me/favourites`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Favourites {
    pub tiles: Vec<TileId>,
}

/// Every error: `{"error": {"code", "message", "field"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable, machine-readable: `invalid_field`, `invalid_json`, `unauthorized`,
    /// `session_expired`, `forbidden`, `not_found`, `conflict`, `idempotency_conflict`,
    /// `payload_too_large`, `unsupported_media_type`, `too_many_attempts`,
    /// `invalid_credentials`, `internal`.
    pub code: String,
    /// For people reading logs; the app shows its own words per code and field.
    pub message: String,
    /// The request field at fault (`mobile`, `password`, `tile`…), when there is one.
    pub field: Option<String>,
    /// With `pool_cap_reached`: how many pool-paid minutes the provider may still bank in the
    /// month of the service, so the app can say it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_minutes: Option<u64>,
}

/// `GET /api/v1/people` (staff): the community's members, numbers masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct People {
    pub people: Vec<PersonSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonSummary {
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub id: MemberId,
    pub display_name: String,
    /// `138****0001`: staff see the full number only when they open a case.
    pub mobile_masked: String,
    pub roles: Vec<Role>,
}
