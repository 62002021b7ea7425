//! `api/v1/requests`: file, list, read and act on the signed-in person's requests. Errors arrive
//! as `{"error": {code, field}}` and are mapped by code.

use crate::backend::error::BackendError;
use crate::backend::requests::RequestsError;
use crate::browser::fetch::{Call, Method, Reply, RequestCache, call};
use citizen_core::api::ErrorBody;
use citizen_core::requests::{
    CommandBody, NewRequest, PhotoId, PhotoLimit, PhotoUploaded, RequestStats, RequestView,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

const REQUESTS: &str = "api/v1/requests";
const QUEUE: &str = "api/v1/staff/requests";
const PHOTOS: &str = "api/v1/photos";

#[derive(Debug, Clone, Copy)]
pub struct RestRequests;

impl RestRequests {
    pub async fn file(
        self,
        token: &str,
        request: &NewRequest,
        key: &str,
    ) -> Result<RequestView, RequestsError> {
        post(token, REQUESTS, request, Some(key)).await
    }

    /// Uploads one shrunk photo; the same `key` never stores it twice.
    pub async fn upload_photo(
        self,
        token: &str,
        photo: &web_sys::Blob,
        key: &str,
    ) -> Result<PhotoId, RequestsError> {
        let reply = call(Call {
            bearer: Some(token),
            blob: Some(photo),
            idempotency_key: Some(key),
            cache: RequestCache::NoStore,
            ..Call::new(Method::Post, PHOTOS)
        })
        .await?;
        read::<PhotoUploaded>(reply).map(|uploaded| uploaded.id)
    }

    /// Where a photo can be seen (its id is the capability: no bearer needed).
    pub fn photo_url(self, id: &PhotoId) -> String {
        format!("{PHOTOS}/{id}")
    }

    pub async fn mine(self, token: &str) -> Result<Vec<RequestView>, RequestsError> {
        get(token, REQUESTS).await
    }

    pub async fn one(self, token: &str, tracking: &str) -> Result<RequestView, RequestsError> {
        get(token, &format!("{REQUESTS}/{tracking}")).await
    }

    /// The community's queue (staff), oldest first, filtered by state and category codes.
    pub async fn queue(
        self,
        token: &str,
        state: Option<&str>,
        category: Option<&str>,
    ) -> Result<Vec<RequestView>, RequestsError> {
        let filters: Vec<String> = [("state", state), ("category", category)]
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| format!("{key}={v}")))
            .collect();
        match filters.is_empty() {
            true => get(token, QUEUE).await,
            false => get(token, &format!("{QUEUE}?{}", filters.join("&"))).await,
        }
    }

    pub async fn stats(self, token: &str) -> Result<RequestStats, RequestsError> {
        get(token, &format!("{QUEUE}/stats")).await
    }

    pub async fn command(
        self,
        token: &str,
        tracking: &str,
        body: &CommandBody,
    ) -> Result<RequestView, RequestsError> {
        post(
            token,
            &format!("{REQUESTS}/{tracking}/commands"),
            body,
            None,
        )
        .await
    }
}

async fn get<T: DeserializeOwned>(token: &str, url: &str) -> Result<T, RequestsError> {
    let reply = call(Call {
        bearer: Some(token),
        cache: RequestCache::NoStore,
        ..Call::new(Method::Get, url)
    })
    .await?;
    read(reply)
}

async fn post<B: Serialize, T: DeserializeOwned>(
    token: &str,
    url: &str,
    body: &B,
    key: Option<&str>,
) -> Result<T, RequestsError> {
    let json = serde_json::to_string(body).map_err(|e| unexpected(0, e))?;
    let reply = call(Call {
        bearer: Some(token),
        json: Some(json),
        idempotency_key: key,
        cache: RequestCache::NoStore,
        ..Call::new(Method::Post, url)
    })
    .await?;
    read(reply)
}

fn unexpected(status: u16, detail: impl ToString) -> RequestsError {
    RequestsError::Unexpected {
        status,
        detail: detail.to_string(),
    }
}

fn read<T: DeserializeOwned>(reply: Reply) -> Result<T, RequestsError> {
    if let Some(e) = reply_error(&reply) {
        return Err(e);
    }
    serde_json::from_str(&reply.body)
        .map_err(|e| RequestsError::Backend(BackendError::Invalid(e.to_string())))
}

/// The error a reply carries, if it is one.
fn reply_error(reply: &Reply) -> Option<RequestsError> {
    if reply.ok() {
        return None;
    }
    if reply.status >= 500 {
        return Some(RequestsError::Backend(BackendError::Status(reply.status)));
    }
    let Ok(ErrorBody { error }) = serde_json::from_str::<ErrorBody>(&reply.body) else {
        return Some(unexpected(reply.status, "no error body"));
    };
    if let Some(limit) = PhotoLimit::from_code(&error.code) {
        return Some(RequestsError::PhotoLimit(limit));
    }
    Some(match (error.code.as_str(), error.field) {
        ("invalid_field", Some(field)) => RequestsError::Field(field),
        ("transition_refused", _) => RequestsError::Refused,
        ("too_many_supplements", _) => RequestsError::TooManySupplements,
        ("not_found", _) => RequestsError::NotFound,
        ("session_expired" | "unauthorized", _) => RequestsError::SessionExpired,
        (code, _) => unexpected(reply.status, code),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            retry_after: None,
            body: body.to_owned(),
        }
    }

    #[test]
    fn errors_are_read_by_code_and_field() {
        let field =
            r#"{"error": {"code": "invalid_field", "message": "…", "field": "description"}}"#;
        assert_eq!(
            reply_error(&reply(422, field)),
            Some(RequestsError::Field("description".into()))
        );
        let refused = r#"{"error": {"code": "transition_refused", "message": "…", "field": null}}"#;
        assert_eq!(
            reply_error(&reply(409, refused)),
            Some(RequestsError::Refused)
        );
        let full = r#"{"error": {"code": "too_many_supplements", "message": "…", "field": null}}"#;
        let full = reply_error(&reply(409, full));
        assert_eq!(full, Some(RequestsError::TooManySupplements));
        assert_eq!(
            full.map(|e| e.message()),
            Some(crate::i18n::Msg::RequestSupplementsFull)
        );
        let missing = r#"{"error": {"code": "not_found", "message": "…", "field": null}}"#;
        assert_eq!(
            reply_error(&reply(404, missing)),
            Some(RequestsError::NotFound)
        );
        assert_eq!(
            reply_error(&reply(502, "Bad Gateway")),
            Some(RequestsError::Backend(BackendError::Status(502)))
        );
        assert_eq!(reply_error(&reply(201, "{}")), None);
        let quota = r#"{"error": {"code": "photo_quota_count", "message": "…", "field": "photo"}}"#;
        assert_eq!(
            reply_error(&reply(429, quota)),
            Some(RequestsError::PhotoLimit(PhotoLimit::DailyPhotos))
        );
        let wide =
            r#"{"error": {"code": "photo_too_many_pixels", "message": "…", "field": "photo"}}"#;
        let wide = reply_error(&reply(422, wide)).unwrap();
        assert_eq!(wide, RequestsError::PhotoLimit(PhotoLimit::TooManyPixels));
        assert!(!wide.is_transient(), "another photo is needed");
        assert!(RequestsError::PhotoLimit(PhotoLimit::TooFast).is_transient());
    }
}
