//! The product's modules and the backends each may use.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A module a community can switch on or off. Home and 我的 (settings) are always present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Module {
    Services,
    Requests,
    Volunteer,
    Timebank,
    Staff,
}

impl Module {
    pub const ALL: [Module; 5] = [
        Module::Services,
        Module::Requests,
        Module::Volunteer,
        Module::Timebank,
        Module::Staff,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Module::Services => "services",
            Module::Requests => "requests",
            Module::Volunteer => "volunteer",
            Module::Timebank => "timebank",
            Module::Staff => "staff",
        }
    }

    pub fn parse(key: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.key() == key.trim())
    }

    /// Open311 GeoReport v2 only speaks requests; every module has a local and a rest backend.
    pub fn supports(self, backend: BackendKind) -> bool {
        match backend {
            BackendKind::Local | BackendKind::Rest => true,
            BackendKind::Open311 => self == Module::Requests,
        }
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Where a module reads and writes its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// In the browser, persisted in browser storage, seeded with demo data.
    #[default]
    Local,
    /// The project's own JSON API (the reference server).
    Rest,
    /// A city system speaking Open311 GeoReport v2.
    Open311,
}

impl BackendKind {
    pub fn key(self) -> &'static str {
        match self {
            BackendKind::Local => "local",
            BackendKind::Rest => "rest",
            BackendKind::Open311 => "open311",
        }
    }

    pub fn parse(key: &str) -> Option<BackendKind> {
        [BackendKind::Local, BackendKind::Rest, BackendKind::Open311]
            .into_iter()
            .find(|b| b.key() == key.trim())
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open311_is_only_for_requests() {
        assert!(Module::Requests.supports(BackendKind::Open311));
        assert!(!Module::Services.supports(BackendKind::Open311));
        assert!(Module::ALL.iter().all(|m| m.supports(BackendKind::Local)));
    }

    #[test]
    fn keys_round_trip() {
        for m in Module::ALL {
            assert_eq!(Module::parse(m.key()), Some(m));
        }
        assert_eq!(Module::parse("service"), None);
    }
}
