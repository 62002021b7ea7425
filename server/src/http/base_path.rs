//! The URL prefix the bundle is served under (`/`, or e.g. `/community/`).

use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Always starts and ends with `/`; segments are URL-safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasePath(String);

#[derive(Debug, Error, PartialEq, Eq)]
#[error(
    "a base path is made of segments of a–z, A–Z, 0–9, '-', '_' or '.', like /community/: got {0:?}"
)]
pub struct BasePathError(String);

impl FromStr for BasePath {
    type Err = BasePathError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let segments: Vec<&str> = raw.split('/').filter(|s| !s.is_empty()).collect();
        let valid = segments.iter().all(|s| {
            *s != "."
                && *s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
        if !valid {
            return Err(BasePathError(raw.to_owned()));
        }
        if segments.is_empty() {
            Ok(BasePath("/".into()))
        } else {
            Ok(BasePath(format!("/{}/", segments.join("/"))))
        }
    }
}

impl BasePath {
    pub fn root() -> BasePath {
        BasePath("/".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0 == "/"
    }

    /// `/community` (no trailing slash), the form axum's `nest` takes.
    pub fn without_trailing_slash(&self) -> &str {
        self.0.trim_end_matches('/')
    }
}

impl fmt::Display for BasePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_slashes() {
        assert_eq!(
            "community".parse::<BasePath>().unwrap().as_str(),
            "/community/"
        );
        assert_eq!("/a/b".parse::<BasePath>().unwrap().as_str(), "/a/b/");
        assert_eq!("".parse::<BasePath>().unwrap(), BasePath::root());
        assert_eq!("/".parse::<BasePath>().unwrap(), BasePath::root());
    }

    #[test]
    fn refuses_traversal_and_odd_characters() {
        assert!("/../etc".parse::<BasePath>().is_err());
        assert!("/a b/".parse::<BasePath>().is_err());
        assert!("/<script>/".parse::<BasePath>().is_err());
    }
}
