//! `api/v1/timebank`: the signed-in member's account, records, gifts and statement. Errors
//! arrive as `{"error": {code, field}}` and are mapped by code.

use super::bearer::{CallError, send, with_body};
use crate::backend::timebank::TimebankError;
use crate::browser::fetch::{Method, Reply};
use citizen_core::api::ErrorBody;
use citizen_core::timebank::{
    ConfirmReply, LogService, NewGift, PoolReport, RecordView, Refusal, RejectService, ServiceNote,
    StatementPage, TimeBankAccount,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

const TIMEBANK: &str = "api/v1/timebank";

#[derive(Debug, Clone, Copy)]
pub struct RestTimebank;

impl CallError for TimebankError {
    fn network() -> Self {
        TimebankError::Network
    }

    fn unexpected(detail: String) -> Self {
        TimebankError::Unexpected(detail)
    }

    fn from_reply(reply: &Reply) -> Self {
        let body = serde_json::from_str::<ErrorBody>(&reply.body).ok();
        if let Some(ErrorBody { error }) = &body
            && let Some(refusal) = Refusal::from_code(&error.code)
        {
            return TimebankError::Typed {
                refusal,
                remaining_minutes: error.remaining_minutes,
            };
        }
        match (reply.status, body) {
            (401, _) => TimebankError::SessionExpired,
            (429, _) => TimebankError::TooMany(reply.retry_after.unwrap_or(60)),
            (404, _) => TimebankError::NotFound,
            (_, Some(ErrorBody { error })) if error.field.is_some() && reply.status == 422 => {
                TimebankError::Field(error.field.unwrap_or_default())
            }
            (403 | 409, Some(ErrorBody { error })) => TimebankError::Refused(error.message),
            (status, _) => TimebankError::Unexpected(format!("HTTP {status}")),
        }
    }
}

async fn post<B: Serialize, T: DeserializeOwned>(
    token: &str,
    url: &str,
    body: &B,
) -> Result<T, TimebankError> {
    with_body(token, Method::Post, url, body).await
}

impl RestTimebank {
    pub async fn account(self, token: &str) -> Result<TimeBankAccount, TimebankError> {
        send(token, Method::Get, &format!("{TIMEBANK}/me"), None).await
    }

    pub async fn log(self, token: &str, new: &LogService) -> Result<RecordView, TimebankError> {
        post(token, &format!("{TIMEBANK}/records"), new).await
    }

    pub async fn confirm(self, token: &str, record: u64) -> Result<ConfirmReply, TimebankError> {
        post(token, &format!("{TIMEBANK}/records/{record}/confirm"), &()).await
    }

    pub async fn reject(
        self,
        token: &str,
        record: u64,
        reason: ServiceNote,
    ) -> Result<RecordView, TimebankError> {
        post(
            token,
            &format!("{TIMEBANK}/records/{record}/reject"),
            &RejectService { reason },
        )
        .await
    }

    pub async fn gift(self, token: &str, gift: &NewGift) -> Result<(), TimebankError> {
        post::<_, serde_json::Value>(token, &format!("{TIMEBANK}/gifts"), gift)
            .await
            .map(|_| ())
    }

    /// Staff only (403 otherwise).
    pub async fn pool(self, token: &str) -> Result<PoolReport, TimebankError> {
        send(token, Method::Get, &format!("{TIMEBANK}/pool"), None).await
    }

    pub async fn statement(
        self,
        token: &str,
        before: Option<u64>,
        limit: usize,
    ) -> Result<StatementPage, TimebankError> {
        let url = match before {
            Some(before) => format!("{TIMEBANK}/statement?limit={limit}&before={before}"),
            None => format!("{TIMEBANK}/statement?limit={limit}"),
        };
        send(token, Method::Get, &url, None).await
    }
}
