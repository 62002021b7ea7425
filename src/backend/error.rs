use crate::browser::fetch::FetchError;
use crate::i18n::Msg;
use citizen_core::module::{BackendKind, Module};

/// Why a backend call failed, in terms a screen can explain to a resident.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[error("the network request failed: {0}")]
    Network(String),
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("the data could not be read: {0}")]
    Invalid(String),
    #[error("the {kind} backend is not available for {module} yet")]
    Unsupported { module: Module, kind: BackendKind },
}

impl BackendError {
    /// The plain-words message for residents; the details stay in the console.
    pub fn message(&self) -> Msg {
        match self {
            BackendError::Network(_) => Msg::NetworkDown,
            BackendError::Status(_) => Msg::CatalogFailed,
            BackendError::Invalid(_) => Msg::CatalogInvalid,
            BackendError::Unsupported { .. } => Msg::BackendUnsupported,
        }
    }
}

impl From<FetchError> for BackendError {
    fn from(e: FetchError) -> Self {
        match e {
            FetchError::Network(reason) => BackendError::Network(reason),
            FetchError::Status(status) => BackendError::Status(status),
        }
    }
}
