//! Mainland China mobile numbers: 11 digits, `1[3-9]` then 9 digits.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("the phone number is empty")]
    Empty,
    #[error("a phone number may only contain digits")]
    NotDigits,
    #[error("a mobile number has 11 digits, this one has {0}")]
    WrongLength(usize),
    #[error("a mainland mobile number starts with 13–19")]
    NotMobile,
}

/// A valid mainland mobile number, stored as its 11 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Accepts what people type: spaces and hyphens between groups, and a `+86`/`0086` prefix.
    pub fn parse(raw: &str) -> Result<Self, PhoneError> {
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .unwrap_or(&compact);
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError::NotDigits);
        }
        if digits.len() != 11 {
            return Err(PhoneError::WrongLength(digits.len()));
        }
        let bytes = digits.as_bytes();
        if bytes[0] != b'1' || !(b'3'..=b'9').contains(&bytes[1]) {
            return Err(PhoneError::NotMobile);
        }
        Ok(MobileNumber(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: what staff lists show by default.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl TryFrom<String> for MobileNumber {
    type Error = PhoneError;
    fn try_from(raw: String) -> Result<Self, PhoneError> {
        MobileNumber::parse(&raw)
    }
}

impl From<MobileNumber> for String {
    fn from(n: MobileNumber) -> String {
        n.0
    }
}

impl fmt::Display for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_typed_forms() {
        for raw in [
            "13812345678",
            "138 1234 5678",
            "+86 138-1234-5678",
            "008619912345678",
        ] {
            assert!(MobileNumber::parse(raw).is_ok(), "{raw} should be accepted");
        }
        assert_eq!(
            MobileNumber::parse("+8613812345678").unwrap().as_str(),
            "13812345678"
        );
    }

    #[test]
    fn refuses_with_the_reason() {
        assert_eq!(MobileNumber::parse("  "), Err(PhoneError::Empty));
        assert_eq!(
            MobileNumber::parse("1381234567a"),
            Err(PhoneError::NotDigits)
        );
        assert_eq!(
            MobileNumber::parse("1381234567"),
            Err(PhoneError::WrongLength(10))
        );
        assert_eq!(
            MobileNumber::parse("12812345678"),
            Err(PhoneError::NotMobile)
        );
        assert_eq!(
            MobileNumber::parse("02812345678"),
            Err(PhoneError::NotMobile)
        );
    }

    #[test]
    fn masks_the_middle() {
        assert_eq!(
            MobileNumber::parse("13812345678").unwrap().masked(),
            "138****5678"
        );
    }

    proptest! {
        #[test]
        fn every_1_3to9_11_digit_number_is_valid(second in 3u8..=9, rest in "[0-9]{9}") {
            let raw = format!("1{second}{rest}");
            let parsed = MobileNumber::parse(&raw).unwrap();
            prop_assert_eq!(parsed.as_str(), raw.as_str());
        }

        #[test]
        fn parse_never_panics(raw in "\\PC{0,30}") {
            let _ = MobileNumber::parse(&raw);
        }
    }
}
