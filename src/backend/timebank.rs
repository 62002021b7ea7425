//! The time bank (时间银行): my balance and records, logging a service I gave, confirming or
//! rejecting one I received, gifts to family, my statement. `local` keeps the core's bank in
//! this browser (the demo identities act); `rest` talks to the server. Every method takes
//! `token`: a bearer token, or on `local` the demo identity's id.

use super::error::{ApiFailure, Failure};
use super::local::LocalTimebank;
use super::rest::RestTimebank;
use crate::i18n::{Msg, pool_minutes_left};
use citizen_core::Lang;
use citizen_core::config::AppConfig;
use citizen_core::module::{BackendKind, Module};
use citizen_core::timebank::{
    ConfirmReply, LogService, NewGift, PoolReport, RecordView, Refusal, ServiceNote, StatementPage,
    TimeBankAccount, TimeBankError,
};

#[derive(Debug, Clone, Copy)]
pub enum TimebankBackend {
    Local(LocalTimebank),
    Rest(RestTimebank),
}

/// Why a time bank call failed: the refusals the time bank's screens word (the core's, the same
/// code from either backend), or the failure as the client decoded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimebankError {
    /// The core's refusal (on `local`) that has no code of its own on the wire.
    #[error(transparent)]
    Rule(TimeBankError),
    /// A refusal that keeps hours from being minted, the same code from either backend; with
    /// `pool_cap_reached`, the minutes left in that month.
    #[error("refused: {}", .refusal.code())]
    Typed {
        refusal: Refusal,
        remaining_minutes: Option<u64>,
    },
    /// The server's refusal for the state of things (403, 409), in its words.
    #[error("refused: {0}")]
    Refused(String),
    /// A field that breaks a rule, named as in the body.
    #[error("the {0} field was refused")]
    Field(String),
    #[error("no such record")]
    NotFound,
    /// No answer, a refused sign-in, too many records this hour (429), a server fault…
    #[error(transparent)]
    Api(ApiFailure),
}

impl From<ApiFailure> for TimebankError {
    fn from(failure: ApiFailure) -> Self {
        let Some(refused) = failure.as_refused() else {
            return TimebankError::Api(failure);
        };
        if let Some(refusal) = Refusal::from_code(&refused.code) {
            return TimebankError::Typed {
                refusal,
                remaining_minutes: refused.remaining_minutes,
            };
        }
        match (refused.status, &refused.field, refused.code.is_empty()) {
            (404, _, _) => TimebankError::NotFound,
            (422, Some(field), _) => TimebankError::Field(field.clone()),
            (403 | 409, _, false) => TimebankError::Refused(refused.message.clone()),
            _ => TimebankError::Api(failure),
        }
    }
}

impl From<TimeBankError> for TimebankError {
    fn from(e: TimeBankError) -> TimebankError {
        match Refusal::of(&e) {
            Some(refusal) => TimebankError::Typed {
                refusal,
                remaining_minutes: match e {
                    TimeBankError::PoolCapReached { remaining, .. } => Some(remaining),
                    _ => None,
                },
            },
            None => TimebankError::Rule(e),
        }
    }
}

impl Failure for TimebankError {
    /// What to tell the person, in plain words, numbers included (the minutes left under the
    /// pool's monthly cap).
    fn text(&self, lang: Lang) -> String {
        match self {
            TimebankError::Typed {
                refusal: Refusal::PoolCapReached,
                remaining_minutes: Some(left),
            } => pool_minutes_left(lang, *left),
            other => other.message().text(lang).to_owned(),
        }
    }

    /// What to tell the person, in plain words.
    fn message(&self) -> Msg {
        match self {
            TimebankError::Typed { refusal, .. } => match refusal {
                Refusal::StartTooOld => Msg::TimebankStartTooOld,
                Refusal::StartInFuture => Msg::TimebankStartInFuture,
                Refusal::PoolCapReached => Msg::TimebankPoolCap,
                Refusal::StaffApproves => Msg::TimebankStaffApproves,
                Refusal::RecipientConfirms => Msg::TimebankRecipientConfirms,
                Refusal::OwnRecord => Msg::TimebankOwnRecord,
            },
            TimebankError::Api(failure) if failure.status() == 429 => Msg::TimebankTooMany,
            TimebankError::Rule(TimeBankError::NotEnough { .. }) => Msg::TimebankNotEnough,
            TimebankError::Rule(TimeBankError::NotLinked) => Msg::TimebankNotFamily,
            TimebankError::Rule(TimeBankError::NotFinished) => Msg::TimebankNotFinished,
            TimebankError::Rule(TimeBankError::ProviderIsRecipient) => Msg::TimebankNotYourself,
            TimebankError::Rule(_) | TimebankError::Refused(_) => Msg::TimebankRefused,
            TimebankError::Field(_) => Msg::RequestFieldRefused,
            TimebankError::NotFound => Msg::TimebankNotFound,
            TimebankError::Api(failure) => failure.message(),
        }
    }
}

impl TimebankBackend {
    /// `None` where the configured backend has no time bank (`open311` is for requests only).
    pub fn from_config(config: &AppConfig) -> Option<TimebankBackend> {
        match config.backend(Module::Timebank) {
            BackendKind::Local => Some(TimebankBackend::Local(LocalTimebank)),
            BackendKind::Rest => Some(TimebankBackend::Rest(RestTimebank)),
            _ => None,
        }
    }

    pub async fn account(self, token: &str) -> Result<TimeBankAccount, TimebankError> {
        match self {
            TimebankBackend::Local(local) => local.account(token).await,
            TimebankBackend::Rest(rest) => rest.account(token).await,
        }
    }

    pub async fn log(self, token: &str, new: &LogService) -> Result<RecordView, TimebankError> {
        match self {
            TimebankBackend::Local(local) => local.log(token, new).await,
            TimebankBackend::Rest(rest) => rest.log(token, new).await,
        }
    }

    pub async fn confirm(self, token: &str, record: u64) -> Result<ConfirmReply, TimebankError> {
        match self {
            TimebankBackend::Local(local) => local.confirm(token, record).await,
            TimebankBackend::Rest(rest) => rest.confirm(token, record).await,
        }
    }

    pub async fn reject(
        self,
        token: &str,
        record: u64,
        reason: ServiceNote,
    ) -> Result<RecordView, TimebankError> {
        match self {
            TimebankBackend::Local(local) => local.reject(token, record, reason).await,
            TimebankBackend::Rest(rest) => rest.reject(token, record, reason).await,
        }
    }

    pub async fn gift(self, token: &str, gift: &NewGift) -> Result<(), TimebankError> {
        match self {
            TimebankBackend::Local(local) => local.gift(token, gift).await,
            TimebankBackend::Rest(rest) => rest.gift(token, gift).await,
        }
    }

    /// Staff: the community pool, every member's balance, the totals (summing to zero) and the
    /// records waiting for confirmation.
    pub async fn pool(self, token: &str) -> Result<PoolReport, TimebankError> {
        match self {
            TimebankBackend::Local(local) => local.pool(token).await,
            TimebankBackend::Rest(rest) => rest.pool(token).await,
        }
    }

    /// My statement, newest first: `limit` lines older than transfer `before`.
    pub async fn statement(
        self,
        token: &str,
        before: Option<u64>,
        limit: usize,
    ) -> Result<StatementPage, TimebankError> {
        match self {
            TimebankBackend::Local(local) => local.statement(token, before, limit).await,
            TimebankBackend::Rest(rest) => rest.statement(token, before, limit).await,
        }
    }
}
