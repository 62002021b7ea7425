//! The `/api/v1` wire types that the app and the server both use, so the two cannot drift.
//! Field rules come from the newtypes: a request that deserialises is a valid request.

use serde::{Deserialize, Serialize};

use crate::account::{DisplayName, NewPassword, Role, TypedPassword};
use crate::embed::HostCode;
use crate::georeport::receipt::ReceiptRef;
use crate::ids::{MemberId, TileId};
use crate::phone::MobileNumber;
use crate::sms::{SmsCode, SmsPurpose};
use crate::time::Timestamp;

/// `POST /api/v1/session`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    pub mobile: MobileNumber,
    pub password: TypedPassword,
}

/// `POST /api/v1/session` with a host code: the single-use code a host app's server obtained
/// (`POST /api/v1/host/sign-in-codes`) and handed to the embedded app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HostSignIn {
    #[serde(with = "host_code_text")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, min_length = 16, max_length = 128, pattern = "^[A-Za-z0-9_-]{16,128}$")
    )]
    pub host_code: HostCode,
}

/// The body of `POST /api/v1/session`: a mobile number and password, or a host code. Read by
/// its fields, so a mistake is named like any other body's (`password` missing, `host_code`
/// malformed, `mobile` beside a `host_code`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged, try_from = "SessionFields")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SessionRequest {
    Password(SignIn),
    HostCode(HostSignIn),
}

/// Every field either body may carry, before [`SessionRequest`] says which it is.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionFields {
    mobile: Option<MobileNumber>,
    password: Option<TypedPassword>,
    #[serde(default, deserialize_with = "host_code_text::deserialize_some")]
    host_code: Option<HostCode>,
}

impl TryFrom<SessionFields> for SessionRequest {
    type Error = String;

    /// The messages are serde's own, so the server names the field at fault.
    fn try_from(fields: SessionFields) -> Result<SessionRequest, String> {
        match fields {
            SessionFields {
                host_code: Some(host_code),
                mobile,
                password,
            } => match (mobile, password) {
                (None, None) => Ok(SessionRequest::HostCode(HostSignIn { host_code })),
                (Some(_), _) => Err("unknown field `mobile`, expected `host_code` alone".into()),
                (None, Some(_)) => {
                    Err("unknown field `password`, expected `host_code` alone".into())
                }
            },
            SessionFields {
                mobile: Some(mobile),
                password: Some(password),
                host_code: None,
            } => Ok(SessionRequest::Password(SignIn { mobile, password })),
            SessionFields {
                mobile: None,
                host_code: None,
                ..
            } => Err("missing field `mobile`".into()),
            SessionFields { password: None, .. } => Err("missing field `password`".into()),
        }
    }
}

/// A [`HostCode`] travels as its text; anything that is not one is refused by name.
mod host_code_text {
    use crate::embed::HostCode;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(code: &HostCode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<HostCode, D::Error> {
        let raw = String::deserialize(d)?;
        HostCode::parse(&raw).ok_or_else(|| {
            serde::de::Error::custom("a host code is 16 to 128 characters of A-Z a-z 0-9 - _")
        })
    }

    pub fn deserialize_some<'de, D: Deserializer<'de>>(d: D) -> Result<Option<HostCode>, D::Error> {
        deserialize(d).map(Some)
    }
}

/// `POST /api/v1/host/sign-in-codes` (a host app's server, with its client id and secret): the
/// mobile number the host has verified.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HostCodeRequest {
    pub mobile: MobileNumber,
}

/// A single-use sign-in code for the number, shown once: the host hands it to the embedded app,
/// which exchanges it at `POST /api/v1/session` within `expires_in` seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedHostCode {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 16, max_length = 128, pattern = "^[A-Za-z0-9_-]{16,128}$")
    )]
    pub code: String,
    pub expires_in: i64,
}

/// `POST /api/v1/sms-codes`: send a code to `mobile` for signing up or for a new password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsCodeRequest {
    pub mobile: MobileNumber,
    pub purpose: SmsPurpose,
}

/// The reply to every accepted code request, whether or not a message was sent: ask again after
/// `resend_after` seconds at the earliest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsCodeAccepted {
    pub resend_after: i64,
}

/// `POST /api/v1/accounts`: a new resident account for a number that received a sign-up code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    pub mobile: MobileNumber,
    pub code: SmsCode,
    /// The name other people see: 1–40 characters.
    #[cfg_attr(feature = "openapi", schema(value_type = String, min_length = 1, max_length = 40))]
    pub name: DisplayName,
    pub password: NewPassword,
    /// The community the resident belongs to (one the server knows).
    pub community: String,
}

/// `POST /api/v1/password-reset`: a new password for a number that received a reset code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub mobile: MobileNumber,
    pub code: SmsCode,
    pub password: NewPassword,
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

/// `POST /api/v1/me/city-requests`: a receipt of a filing at the city's GeoReport endpoint,
/// its id, its deferred `token`, or both (a token's id once the city gave it). At least one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(min_properties = 1)
)]
pub struct NewCityReceipt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, required = false, min_length = 1, max_length = 100, pattern = "^[^\\s\\x00-\\x1f\\x7f-\\x9f]+$")
    )]
    pub id: Option<ReceiptRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, required = false, min_length = 1, max_length = 100, pattern = "^[^\\s\\x00-\\x1f\\x7f-\\x9f]+$")
    )]
    pub token: Option<ReceiptRef>,
}

/// One receipt kept in the account, as `/api/v1/me/city-requests` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityReceipt {
    /// The request's id at the city; `null` while its token waits for one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub id: Option<ReceiptRef>,
    /// The deferred filing's token, if the city gave one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub token: Option<ReceiptRef>,
    /// When it was kept (RFC 3339, UTC).
    pub filed_at: Timestamp,
}

/// `GET /api/v1/me/city-requests`: the person's receipts at the endpoint the server's
/// configuration names now, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityReceipts {
    pub items: Vec<CityReceipt>,
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
    /// `invalid_credentials`, `invalid_host_code`, `invalid_host_credentials`, `internal`.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<SessionRequest, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn a_session_body_is_a_password_or_a_host_code() {
        let code = "abcdefghijklmnop_-0123456789";
        match read(r#"{"mobile": "13800000001", "password": "secret"}"#) {
            Ok(SessionRequest::Password(p)) => assert_eq!(p.mobile.as_str(), "13800000001"),
            other => panic!("{other:?}"),
        }
        match read(&format!(r#"{{"host_code": "{code}"}}"#)) {
            Ok(SessionRequest::HostCode(h)) => assert_eq!(h.host_code.as_str(), code),
            other => panic!("{other:?}"),
        }
        // Written as the server reads it: the variant's own fields, nothing else.
        let host = SessionRequest::HostCode(HostSignIn {
            host_code: HostCode::parse(code).unwrap(),
        });
        assert_eq!(
            serde_json::to_string(&host).unwrap(),
            format!(r#"{{"host_code":"{code}"}}"#)
        );
    }

    #[test]
    fn a_mixed_or_partial_session_body_is_refused_by_name() {
        let code = "abcdefghijklmnop";
        for (body, error) in [
            (
                format!(r#"{{"host_code": "{code}", "mobile": "13800000001"}}"#),
                "unknown field `mobile`",
            ),
            (
                format!(r#"{{"host_code": "{code}", "password": "x"}}"#),
                "unknown field `password`",
            ),
            (
                r#"{"mobile": "13800000001"}"#.into(),
                "missing field `password`",
            ),
            (r#"{"password": "x"}"#.into(), "missing field `mobile`"),
            ("{}".into(), "missing field `mobile`"),
            (
                r#"{"host_code": "short"}"#.into(),
                "a host code is 16 to 128",
            ),
            (
                r#"{"host_code": "has spaces in it!!"}"#.into(),
                "a host code is 16 to 128",
            ),
            (
                format!(r#"{{"host_code": "{code}", "x": 1}}"#),
                "unknown field `x`",
            ),
        ] {
            let refused = read(&body).expect_err(&body);
            assert!(refused.starts_with(error), "{body}: {refused}");
        }
    }
}
