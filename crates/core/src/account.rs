//! People and what they may do: roles, passwords, display names and how long a sign-in lasts.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

use crate::named::Named;
use crate::text::BoundedText;

/// What a person may do. One person may hold several roles (a resident who volunteers).
/// Written by name (`"staff"`, see [`Named`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(rename_all = "snake_case")
)]
pub enum Role {
    Resident,
    Volunteer,
    Staff,
}

crate::named_serde!(Role);

impl Named for Role {
    const WHAT: &'static str = "role";
    const TABLE: &'static [(Role, &'static str)] = &[
        (Role::Resident, "resident"),
        (Role::Volunteer, "volunteer"),
        (Role::Staff, "staff"),
    ];
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Resident, Role::Volunteer, Role::Staff];

    pub fn as_str(self) -> &'static str {
        self.name()
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::TABLE
            .iter()
            .find(|(_, name)| *name == raw)
            .map(|(role, _)| *role)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name other people see: 1–40 characters.
pub type DisplayName = BoundedText<1, 40>;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("a password has at least {min} characters, this one has {len}")]
    TooShort { min: usize, len: usize },
    #[error("a password has at most {max} characters")]
    TooLong { max: usize },
    #[error("a password may not be only digits")]
    OnlyDigits,
}

/// A password a person may choose: 8–128 characters, not only digits (a birthday or a phone
/// number is the first thing an attacker tries). Never trimmed: spaces are the person's choice.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    pub fn parse(raw: &str) -> Result<NewPassword, PasswordError> {
        let len = raw.chars().count();
        if len < Self::MIN {
            return Err(PasswordError::TooShort {
                min: Self::MIN,
                len,
            });
        }
        if len > Self::MAX {
            return Err(PasswordError::TooLong { max: Self::MAX });
        }
        if raw.chars().all(|c| c.is_ascii_digit()) {
            return Err(PasswordError::OnlyDigits);
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for NewPassword {
    type Error = PasswordError;
    fn try_from(raw: String) -> Result<Self, PasswordError> {
        NewPassword::parse(&raw)
    }
}

/// The app sends what was chosen; nothing else serialises a password.
impl Serialize for NewPassword {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Passwords never appear in logs or debug output.
impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// A password typed at sign-in: any non-empty text up to the maximum, checked only against the
/// stored hash (rules may have changed since it was chosen).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct TypedPassword(String);

impl TypedPassword {
    pub fn parse(raw: &str) -> Result<TypedPassword, PasswordError> {
        if raw.is_empty() {
            return Err(PasswordError::TooShort { min: 1, len: 0 });
        }
        if raw.chars().count() > NewPassword::MAX {
            return Err(PasswordError::TooLong {
                max: NewPassword::MAX,
            });
        }
        Ok(TypedPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TypedPassword {
    type Error = PasswordError;
    fn try_from(raw: String) -> Result<Self, PasswordError> {
        TypedPassword::parse(&raw)
    }
}

/// The app sends what was typed; nothing else serialises a password.
impl Serialize for TypedPassword {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl fmt::Debug for TypedPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TypedPassword(…)")
    }
}

/// How long a sign-in lasts: 30 days, then the person signs in again.
pub const SESSION_LIFETIME_SECS: i64 = 30 * 24 * 60 * 60;

/// A session token as the server hands it out: 43 characters of unpadded base64url (256 random
/// bits). Parsing rejects anything else before a database is asked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionToken(String);

impl SessionToken {
    pub const LEN: usize = 43;

    pub fn parse(raw: &str) -> Option<SessionToken> {
        let ok = raw.len() == Self::LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| SessionToken(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_new_password_needs_eight_characters_and_not_only_digits() {
        assert!(NewPassword::parse("correct horse").is_ok());
        assert_eq!(
            NewPassword::parse("short").unwrap_err(),
            PasswordError::TooShort { min: 8, len: 5 }
        );
        assert_eq!(
            NewPassword::parse("19800101").unwrap_err(),
            PasswordError::OnlyDigits
        );
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        assert!(
            NewPassword::parse("密码是八个汉字哦").is_ok(),
            "counted in characters"
        );
    }

    #[test]
    fn passwords_never_show_in_debug_output() {
        let p = NewPassword::parse("secret-pass-1").unwrap();
        assert!(!format!("{p:?}").contains("secret"));
        let t = TypedPassword::parse("secret").unwrap();
        assert!(!format!("{t:?}").contains("secret"));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.as_str())
            );
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn a_session_token_is_43_base64url_characters() {
        assert!(SessionToken::parse(&"a".repeat(43)).is_some());
        assert!(SessionToken::parse(&"a".repeat(42)).is_none());
        assert!(SessionToken::parse(&format!("{}=", "a".repeat(42))).is_none());
        assert!(SessionToken::parse(&format!("{}/", "a".repeat(42))).is_none());
    }

    proptest! {
        #[test]
        fn typed_passwords_accept_any_non_empty_text_up_to_the_limit(raw in ".{1,128}") {
            prop_assert!(TypedPassword::parse(&raw).is_ok());
        }
    }
}
