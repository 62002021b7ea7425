//! A person's receipts at a city's GeoReport endpoint: the `service_request_id`s of the requests
//! they filed there, and the `token`s still waiting for one. The city knows nobody here (its
//! `api_key` is the application's), so these are what "my requests" are at a city: kept in the
//! account on the reference server for a signed-in person, on the device for a demo identity.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// The most receipts a person keeps at one endpoint: the reference server refuses one more
/// (`city_receipts_full`); the device forgets the oldest.
pub const MAX_RECEIPTS: usize = 500;

/// The longest id or token kept, in characters.
pub const MAX_REF_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RefError {
    #[error("an id or token is 1–{MAX_REF_CHARS} characters long, got {0}")]
    Length(usize),
    #[error("an id or token has no spaces or control characters")]
    Characters,
}

/// Why the reference server keeps no receipt: the codes of its refusals (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ReceiptRefusal {
    /// Its configuration names no city endpoint for requests (`no_city_endpoint`).
    #[error("this server's configuration names no city GeoReport endpoint for requests")]
    NoCityEndpoint,
    /// The person has [`MAX_RECEIPTS`] at this endpoint already (`city_receipts_full`).
    #[error("at most {MAX_RECEIPTS} requests at a city are kept per person")]
    Full,
}

impl ReceiptRefusal {
    pub const fn code(self) -> &'static str {
        match self {
            ReceiptRefusal::NoCityEndpoint => "no_city_endpoint",
            ReceiptRefusal::Full => "city_receipts_full",
        }
    }

    pub fn from_code(code: &str) -> Option<ReceiptRefusal> {
        [ReceiptRefusal::NoCityEndpoint, ReceiptRefusal::Full]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// A request's id or a deferred filing's token as a city gave it: 1–100 printable characters,
/// no whitespace. A value of this type is one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReceiptRef(String);

impl ReceiptRef {
    pub fn parse(raw: &str) -> Result<ReceiptRef, RefError> {
        let len = raw.chars().count();
        if !(1..=MAX_REF_CHARS).contains(&len) {
            return Err(RefError::Length(len));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(RefError::Characters);
        }
        Ok(ReceiptRef(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ReceiptRef {
    type Error = RefError;
    fn try_from(raw: String) -> Result<ReceiptRef, RefError> {
        ReceiptRef::parse(&raw)
    }
}

impl From<ReceiptRef> for String {
    fn from(r: ReceiptRef) -> String {
        r.0
    }
}

impl fmt::Display for ReceiptRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_or_token_is_printable_without_spaces() {
        assert_eq!(
            ReceiptRef::parse("YL-000123").unwrap().as_str(),
            "YL-000123"
        );
        assert!(ReceiptRef::parse("令牌-7f3a/é").is_ok());
        assert_eq!(ReceiptRef::parse(""), Err(RefError::Length(0)));
        assert_eq!(
            ReceiptRef::parse(&"a".repeat(MAX_REF_CHARS + 1)),
            Err(RefError::Length(MAX_REF_CHARS + 1))
        );
        assert!(ReceiptRef::parse(&"码".repeat(MAX_REF_CHARS)).is_ok());
        for bad in ["YL 1", " YL-1", "YL-1\n", "a\u{0}b", "a\u{3000}b", "a\tb"] {
            assert_eq!(ReceiptRef::parse(bad), Err(RefError::Characters), "{bad:?}");
        }
        assert!(serde_json::from_str::<ReceiptRef>(r#""YL 1""#).is_err());
        assert_eq!(
            serde_json::to_string(&ReceiptRef::parse("t-1").unwrap()).unwrap(),
            r#""t-1""#
        );
    }
}
