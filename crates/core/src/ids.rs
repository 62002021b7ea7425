//! Typed ids. The catalog's are slugs: a value of one of these types is a valid id, lowercase
//! ASCII kebab-case, 2–48 characters, which is safe in URLs, storage keys and file names alike.
//! A person is a [`MemberId`], the number the server's accounts table gives them.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("an id must be 2–48 characters long, got {0}")]
    Length(usize),
    #[error("an id may only contain a–z, 0–9 and inner hyphens: {0:?}")]
    Characters(String),
}

fn check_slug(raw: &str) -> Result<(), IdError> {
    let len = raw.chars().count();
    if !(2..=48).contains(&len) {
        return Err(IdError::Length(len));
    }
    let valid_chars = raw
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid_chars || raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
        return Err(IdError::Characters(raw.to_owned()));
    }
    Ok(())
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                check_slug(raw)?;
                Ok(Self(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(raw: String) -> Result<Self, IdError> {
                check_slug(&raw)?;
                Ok(Self(raw))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// A service tile.
    TileId
);
slug_id!(
    /// A catalog category (社保, 公积金…).
    CategoryId
);
slug_id!(
    /// An organisation that provides tiles (a bureau, a utility company).
    ProviderId
);
slug_id!(
    /// A physical service point (党群服务中心…).
    ServicePointId
);
slug_id!(
    /// A neighbourhood (街道) a resident can pick when location is unavailable.
    NeighbourhoodId
);

/// A person (a member of a community): the account's number. One type wherever a person is
/// named, on the wire and in every backend. It travels as the bare number (`"id": 42`), so the
/// JSON is what it was when ids were plain integers; in an OpenAPI schema a field of this type
/// is declared `value_type = i64`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct MemberId(i64);

impl MemberId {
    pub const fn new(id: i64) -> MemberId {
        MemberId(id)
    }

    pub const fn get(self) -> i64 {
        self.0
    }
}

impl From<i64> for MemberId {
    fn from(id: i64) -> MemberId {
        MemberId(id)
    }
}

impl From<MemberId> for i64 {
    fn from(id: MemberId) -> i64 {
        id.0
    }
}

impl fmt::Display for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for MemberId {
    type Err = std::num::ParseIntError;
    fn from_str(raw: &str) -> Result<MemberId, Self::Err> {
        raw.parse().map(MemberId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kebab_case() {
        assert_eq!(
            TileId::parse("housing-fund-2").unwrap().as_str(),
            "housing-fund-2"
        );
    }

    #[test]
    fn refuses_bad_ids_with_a_reason() {
        assert_eq!(TileId::parse("a"), Err(IdError::Length(1)));
        assert!(matches!(
            TileId::parse("Housing"),
            Err(IdError::Characters(_))
        ));
        assert!(matches!(TileId::parse("-a"), Err(IdError::Characters(_))));
        assert!(matches!(TileId::parse("a--b"), Err(IdError::Characters(_))));
        assert!(matches!(
            TileId::parse("公积金"),
            Err(IdError::Characters(_))
        ));
        assert!(matches!(
            TileId::parse("../etc"),
            Err(IdError::Characters(_))
        ));
    }

    #[test]
    fn a_member_id_travels_as_its_number() {
        let id = MemberId::new(42);
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<MemberId>("42").unwrap(), id);
        assert!(serde_json::from_str::<MemberId>("\"42\"").is_err());
        assert_eq!("42".parse::<MemberId>(), Ok(id));
        assert!("4x".parse::<MemberId>().is_err());
        assert_eq!(id.to_string(), "42");
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<TileId>("\"ok-id\"").is_ok());
        assert!(serde_json::from_str::<TileId>("\"Not OK\"").is_err());
    }
}
