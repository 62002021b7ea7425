//! Where a tile leads: an in-app route, an external H5 page, or a phone number.

use crate::route::Route;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TargetError {
    #[error("a tile target's kind is route, h5 or tel: {0:?}")]
    Kind(String),
    #[error("an in-app path must be one of the app's module routes: {0:?}")]
    Path(String),
    #[error("an external link must be an https:// address: {0:?}")]
    Url(String),
    #[error("a phone number may only hold digits and hyphens: {0:?}")]
    Tel(String),
}

/// An in-app route a tile may open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AppPath(String);

impl AppPath {
    /// A screen of the app that a tile may open (see [`Route::is_tile_target`]).
    pub fn parse(raw: &str) -> Result<Self, TargetError> {
        match Route::parse(raw) {
            Some(route) if route.is_tile_target() => Ok(AppPath(route.to_string())),
            _ => Err(TargetError::Path(raw.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An https:// address: never `javascript:` or plain http, which a webview may refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct H5Url(String);

impl H5Url {
    pub fn parse(raw: &str) -> Result<Self, TargetError> {
        let host_and_path = raw
            .strip_prefix("https://")
            .ok_or_else(|| TargetError::Url(raw.to_owned()))?;
        let host = host_and_path.split(['/', '?', '#']).next().unwrap_or("");
        let clean = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
            && !raw.chars().any(|c| c.is_whitespace() || c.is_control());
        if clean {
            Ok(H5Url(raw.to_owned()))
        } else {
            Err(TargetError::Url(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A dialable number (`12345`, `028-12345678`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TelNumber(String);

impl TelNumber {
    pub fn parse(raw: &str) -> Result<Self, TargetError> {
        let digits = raw.bytes().filter(u8::is_ascii_digit).count();
        let ok = (3..=15).contains(&digits)
            && raw.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if ok {
            Ok(TelNumber(raw.to_owned()))
        } else {
            Err(TargetError::Tel(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `tel:` href, digits only.
    pub fn href(&self) -> String {
        format!("tel:{}", self.0.replace('-', ""))
    }
}

macro_rules! string_conversions {
    ($($name:ident),*) => {$(
        impl TryFrom<String> for $name {
            type Error = TargetError;
            fn try_from(raw: String) -> Result<Self, TargetError> {
                $name::parse(&raw)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
    )*};
}
string_conversions!(AppPath, H5Url, TelNumber);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TaggedTarget", into = "TaggedTarget")]
pub enum TileTarget {
    Route { path: AppPath },
    H5 { url: H5Url },
    Tel { number: TelNumber },
}

/// The JSON form, `{"kind": "h5", "url": "…"}`. A plain struct rather than
/// `#[serde(tag = "kind")]`, whose buffering code would weigh on the wasm bundle.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct TaggedTarget {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    number: Option<String>,
}

impl TryFrom<TaggedTarget> for TileTarget {
    type Error = TargetError;
    fn try_from(t: TaggedTarget) -> Result<Self, TargetError> {
        let field = |value: Option<String>| value.unwrap_or_default();
        match t.kind.as_str() {
            "route" => Ok(TileTarget::Route {
                path: AppPath::parse(&field(t.path))?,
            }),
            "h5" => Ok(TileTarget::H5 {
                url: H5Url::parse(&field(t.url))?,
            }),
            "tel" => Ok(TileTarget::Tel {
                number: TelNumber::parse(&field(t.number))?,
            }),
            other => Err(TargetError::Kind(other.to_owned())),
        }
    }
}

impl From<TileTarget> for TaggedTarget {
    fn from(t: TileTarget) -> Self {
        let (kind, path, url, number) = match t {
            TileTarget::Route { path } => ("route", Some(path.0), None, None),
            TileTarget::H5 { url } => ("h5", None, Some(url.0), None),
            TileTarget::Tel { number } => ("tel", None, None, Some(number.0)),
        };
        TaggedTarget {
            kind: kind.to_owned(),
            path,
            url,
            number,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_or_unknown_targets() {
        assert!(H5Url::parse("javascript:alert(1)").is_err());
        assert!(H5Url::parse("http://plain.example.cn").is_err());
        assert!(H5Url::parse("https://").is_err());
        assert!(H5Url::parse("https://a b.cn").is_err());
        assert!(H5Url::parse("https://gjj.example.gov.cn/balance?x=1").is_ok());
        assert!(AppPath::parse("/admin").is_err());
        assert!(TelNumber::parse("12345; drop").is_err());
        assert_eq!(
            TelNumber::parse("028-12345").unwrap().href(),
            "tel:02812345"
        );
    }

    #[test]
    fn targets_deserialise_by_kind() {
        let t: TileTarget = serde_json::from_str(r#"{"kind":"tel","number":"12345"}"#).unwrap();
        assert!(matches!(t, TileTarget::Tel { .. }));
        assert!(serde_json::from_str::<TileTarget>(r#"{"kind":"h5","url":"ftp://x"}"#).is_err());
        assert!(serde_json::from_str::<TileTarget>(r#"{"kind":"fax","number":"1"}"#).is_err());
        let round = serde_json::to_string(&t).unwrap();
        assert_eq!(round, r#"{"kind":"tel","number":"12345"}"#);
    }
}
