//! Why a backend call failed, decoded once: every module's error type wraps this one and
//! decodes from it only the refusals its screens word (a volunteering [`Refusal`] code, a
//! photo limit, a field by name).
//!
//! [`Refusal`]: citizen_core::volunteer::Refusal

use crate::i18n::Msg;
use citizen_core::Lang;
use citizen_core::api::ErrorBody;
use citizen_core::module::{BackendKind, Module};
use serde::Deserialize;
use std::fmt::Display;

/// A failure a screen words: every module's error type says it in plain words here, where it is
/// defined (its details, the `Display`, go to the console).
pub trait Failure: Display {
    /// The plain-words message for residents.
    fn message(&self) -> Msg;

    /// [`message`](Self::message) in `lang`; a failure that carries a number (minutes to wait,
    /// minutes left) says it here.
    fn text(&self, lang: Lang) -> String {
        self.message().text(lang).to_owned()
    }
}

/// A failure, from either kind of backend: no answer, a refused sign-in, a server's refusal with
/// its code, an answer that cannot be read, this browser's storage, or a backend this module
/// does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiFailure {
    /// No answer arrived (offline, refused, aborted).
    #[error("the network request failed: {0}")]
    Network(String),
    /// The server no longer accepts the sign-in (expired or revoked). The client has already
    /// ended it (see `client::on_signed_out`).
    #[error("the sign-in has expired")]
    SignedOut,
    /// The server answered with a failure status; what its body said, when it said anything.
    #[error("HTTP {}: {} {}", .0.status, .0.code, .0.message)]
    Refused(Box<Refused>),
    /// An answer (or a body to send) that could not be read or written.
    #[error("the data could not be read: {0}")]
    Invalid(String),
    /// This browser's storage refused (the `local` backends).
    #[error("this browser's storage refused: {0}")]
    Storage(String),
    #[error("the {kind} backend is not available for {module} yet")]
    Unsupported { module: Module, kind: BackendKind },
}

/// A failure status and what the server said about it: our API's `{"error": {code, message,
/// field}}`, or GeoReport's `[{"code", "description"}]` (its code as text, its description as
/// the message). Empty strings where the body said nothing (a proxy's 502 page).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Refused {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// `Retry-After`, in seconds.
    pub retry_after: Option<u32>,
    /// The time bank's pool: the minutes left under this month's cap.
    pub remaining_minutes: Option<u64>,
}

/// GeoReport's error body (its code is a number).
#[derive(Deserialize)]
struct GeoError {
    code: u32,
    description: String,
}

impl Refused {
    /// Decodes a failure answer's body, whichever of the two shapes it has.
    pub fn decode(status: u16, retry_after: Option<u32>, body: &str) -> Refused {
        let mut refused = Refused {
            status,
            retry_after,
            ..Refused::default()
        };
        if let Ok(ErrorBody { error }) = serde_json::from_str::<ErrorBody>(body) {
            refused.code = error.code;
            refused.message = error.message;
            refused.field = error.field;
            refused.remaining_minutes = error.remaining_minutes;
        } else if let Ok(geo) = serde_json::from_str::<Vec<GeoError>>(body)
            && let Some(first) = geo.into_iter().next()
        {
            refused.code = first.code.to_string();
            refused.message = first.description;
        }
        refused
    }
}

impl ApiFailure {
    /// A refusal made without a server (a `local` backend), in the server's terms.
    pub fn refused(status: u16, code: &str, message: &str) -> ApiFailure {
        ApiFailure::Refused(Box::new(Refused {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
            ..Refused::default()
        }))
    }

    /// The server's refusal, when this is one.
    pub fn as_refused(&self) -> Option<&Refused> {
        match self {
            ApiFailure::Refused(refused) => Some(refused),
            _ => None,
        }
    }

    /// The failure status (0 when no answer came).
    pub fn status(&self) -> u16 {
        self.as_refused().map_or(0, |r| r.status)
    }

    /// Whether trying again later may succeed: no answer, a server fault, a rate limit, full
    /// storage, an expired sign-in (the call goes once the person signs in again).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiFailure::Network(_) | ApiFailure::SignedOut | ApiFailure::Storage(_) => true,
            ApiFailure::Refused(r) => matches!(r.status, 408 | 429 | 500..),
            ApiFailure::Invalid(_) | ApiFailure::Unsupported { .. } => false,
        }
    }
}

/// Modules word their own refusals first and fall back to this.
impl Failure for ApiFailure {
    fn message(&self) -> Msg {
        match self {
            ApiFailure::Network(_) => Msg::ServerUnreachable,
            ApiFailure::SignedOut => Msg::SessionExpired,
            ApiFailure::Refused(r) if r.status == 429 => Msg::TooManyAttempts,
            ApiFailure::Unsupported { .. } => Msg::BackendUnsupported,
            ApiFailure::Refused(_) | ApiFailure::Invalid(_) | ApiFailure::Storage(_) => {
                Msg::ServerFailed
            }
        }
    }
}
