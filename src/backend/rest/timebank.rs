//! `api/v1/timebank`: the signed-in member's account, records, gifts and statement. Refusals
//! are decoded by [`TimebankError`]'s `From<ApiFailure>`.

use crate::backend::client;
use crate::backend::timebank::TimebankError;
use citizen_core::timebank::{
    ConfirmReply, LogService, NewGift, PoolReport, RecordView, RejectService, ServiceNote,
    StatementPage, TimeBankAccount,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

const TIMEBANK: &str = "api/v1/timebank";

#[derive(Debug, Clone, Copy)]
pub struct RestTimebank;

async fn get<T: DeserializeOwned>(token: &str, url: &str) -> Result<T, TimebankError> {
    Ok(client::get(url).bearer(token).fetch().await?)
}

async fn post<B: Serialize, T: DeserializeOwned>(
    token: &str,
    url: &str,
    body: &B,
) -> Result<T, TimebankError> {
    Ok(client::post(url).bearer(token).json(body).fetch().await?)
}

impl RestTimebank {
    pub async fn account(self, token: &str) -> Result<TimeBankAccount, TimebankError> {
        get(token, &format!("{TIMEBANK}/me")).await
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
        get(token, &format!("{TIMEBANK}/pool")).await
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
        get(token, &url).await
    }
}
