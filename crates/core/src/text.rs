//! Text fields with length rules, counted in characters (what people see), not bytes.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("too short: at least {min} characters, got {len}")]
    TooShort { min: usize, len: usize },
    #[error("too long: at most {max} characters, got {len}")]
    TooLong { max: usize, len: usize },
}

/// Trimmed text of `MIN..=MAX` characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BoundedText<const MIN: usize, const MAX: usize>(String);

impl<const MIN: usize, const MAX: usize> BoundedText<MIN, MAX> {
    pub const MIN: usize = MIN;
    pub const MAX: usize = MAX;

    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let trimmed = raw.trim();
        let len = trimmed.chars().count();
        if len < MIN {
            return Err(TextError::TooShort { min: MIN, len });
        }
        if len > MAX {
            return Err(TextError::TooLong { max: MAX, len });
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MIN: usize, const MAX: usize> TryFrom<String> for BoundedText<MIN, MAX> {
    type Error = TextError;
    fn try_from(raw: String) -> Result<Self, TextError> {
        Self::parse(&raw)
    }
}

impl<const MIN: usize, const MAX: usize> From<BoundedText<MIN, MAX>> for String {
    fn from(t: BoundedText<MIN, MAX>) -> String {
        t.0
    }
}

impl<const MIN: usize, const MAX: usize> fmt::Display for BoundedText<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A request's description: 10–2000 characters.
pub type Description = BoundedText<10, 2000>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_counts_characters_not_bytes() {
        assert!(Description::parse("楼道灯坏了好几天了请修").is_ok()); // 11 hanzi, 33 bytes
        assert_eq!(
            Description::parse("灯坏了"),
            Err(TextError::TooShort { min: 10, len: 3 })
        );
    }

    #[test]
    fn description_is_trimmed_and_bounded() {
        assert_eq!(
            Description::parse("  0123456789  ").unwrap().as_str(),
            "0123456789"
        );
        let long = "字".repeat(2001);
        assert_eq!(
            Description::parse(&long),
            Err(TextError::TooLong {
                max: 2000,
                len: 2001
            })
        );
        assert!(Description::parse(&"字".repeat(2000)).is_ok());
    }
}
