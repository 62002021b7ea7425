//! `api/v1/requests`: file, list, read and act on the signed-in person's requests. Refusals are
//! decoded by [`RequestsError`]'s `From<ApiFailure>`.

use crate::backend::client;
use crate::backend::requests::RequestsError;
use citizen_core::requests::{
    CommandBody, NewRequest, PhotoId, PhotoUploaded, RequestStats, RequestView,
};

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
        Ok(client::post(REQUESTS)
            .bearer(token)
            .idempotency_key(Some(key))
            .json(request)
            .fetch()
            .await?)
    }

    /// Uploads one shrunk photo; the same `key` never stores it twice.
    pub async fn upload_photo(
        self,
        token: &str,
        photo: &web_sys::Blob,
        key: &str,
    ) -> Result<PhotoId, RequestsError> {
        let uploaded: PhotoUploaded = client::post(PHOTOS)
            .bearer(token)
            .idempotency_key(Some(key))
            .blob(photo)
            .fetch()
            .await?;
        Ok(uploaded.id)
    }

    /// Where a photo can be seen (its id is the capability: no bearer needed).
    pub fn photo_url(self, id: &PhotoId) -> String {
        format!("{PHOTOS}/{id}")
    }

    pub async fn mine(self, token: &str) -> Result<Vec<RequestView>, RequestsError> {
        Ok(client::get(REQUESTS).bearer(token).fetch().await?)
    }

    pub async fn one(self, token: &str, tracking: &str) -> Result<RequestView, RequestsError> {
        let url = format!("{REQUESTS}/{tracking}");
        Ok(client::get(&url).bearer(token).fetch().await?)
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
        let url = match filters.is_empty() {
            true => QUEUE.to_owned(),
            false => format!("{QUEUE}?{}", filters.join("&")),
        };
        Ok(client::get(&url).bearer(token).fetch().await?)
    }

    pub async fn stats(self, token: &str) -> Result<RequestStats, RequestsError> {
        let url = format!("{QUEUE}/stats");
        Ok(client::get(&url).bearer(token).fetch().await?)
    }

    pub async fn command(
        self,
        token: &str,
        tracking: &str,
        body: &CommandBody,
    ) -> Result<RequestView, RequestsError> {
        let url = format!("{REQUESTS}/{tracking}/commands");
        Ok(client::post(&url).bearer(token).json(body).fetch().await?)
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::error::{ApiFailure, Failure, Refused};
    use crate::backend::requests::RequestsError;
    use citizen_core::requests::PhotoLimit;

    fn reply(status: u16, body: &str) -> RequestsError {
        ApiFailure::Refused(Box::new(Refused::decode(status, None, body))).into()
    }

    #[test]
    fn errors_are_read_by_code_and_field() {
        let field =
            r#"{"error": {"code": "invalid_field", "message": "…", "field": "description"}}"#;
        assert_eq!(
            reply(422, field),
            RequestsError::Field("description".into())
        );
        let refused = r#"{"error": {"code": "transition_refused", "message": "…", "field": null}}"#;
        assert_eq!(reply(409, refused), RequestsError::Refused);
        let full = r#"{"error": {"code": "too_many_supplements", "message": "…", "field": null}}"#;
        let full = reply(409, full);
        assert_eq!(full, RequestsError::TooManySupplements);
        assert_eq!(full.message(), crate::i18n::Msg::RequestSupplementsFull);
        let missing = r#"{"error": {"code": "not_found", "message": "…", "field": null}}"#;
        assert_eq!(reply(404, missing), RequestsError::NotFound);
        let gateway = reply(502, "Bad Gateway");
        assert!(
            matches!(&gateway, RequestsError::Api(ApiFailure::Refused(r)) if r.status == 502),
            "{gateway:?}"
        );
        assert!(gateway.is_transient());
        let quota = r#"{"error": {"code": "photo_quota_count", "message": "…", "field": "photo"}}"#;
        assert_eq!(
            reply(429, quota),
            RequestsError::PhotoLimit(PhotoLimit::DailyPhotos)
        );
        let wide =
            r#"{"error": {"code": "photo_too_many_pixels", "message": "…", "field": "photo"}}"#;
        let wide = reply(422, wide);
        assert_eq!(wide, RequestsError::PhotoLimit(PhotoLimit::TooManyPixels));
        assert!(!wide.is_transient(), "another photo is needed");
        assert!(RequestsError::PhotoLimit(PhotoLimit::TooFast).is_transient());
        assert!(RequestsError::from(ApiFailure::SignedOut).is_transient());
        assert!(!RequestsError::Field("description".into()).is_transient());
    }
}
