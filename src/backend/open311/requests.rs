//! The `open311` requests backend: a client of Open311 GeoReport v2 (JSON) at `{base}open311/v2/`
//! (the reference server speaks it there; a city's endpoint can be proxied to that path). The
//! `api_key` is the signed-in person's session token: in the form body of a POST, in the query
//! string of a GET (the only place GeoReport gives it there).
//!
//! What GeoReport allows: a resident files a request and follows it. It has no commands, so the
//! resident's actions and the staff workspace are not offered (staff work in the city's system);
//! its `open`/`closed` status and `status_notes` become our state and timeline. Photos are not
//! sent: GeoReport takes only a `media_url`, an address the client must already host.

use crate::backend::client::{self, Call, RequestCache};
use crate::backend::error::ApiFailure;
use crate::backend::requests::RequestsError;
use citizen_core::requests::{
    ActorRole, CategoryCode, CommandKind, NewRequest, RequestState, RequestView, TimelineEvent,
};
use citizen_core::time::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;

const ENDPOINT: &str = "open311/v2/";

/// `POST requests.json`'s answer.
#[derive(Debug, Deserialize)]
struct Created {
    service_request_id: String,
}

/// A service from `services.json` (unknown fields ignored).
#[derive(Debug, Deserialize)]
struct Service {
    service_code: String,
}

/// A service request as GeoReport shows it (unknown fields ignored).
#[derive(Debug, Clone, Deserialize)]
struct GeoRequest {
    service_request_id: String,
    status: String,
    #[serde(default)]
    status_notes: Option<String>,
    service_code: String,
    #[serde(default)]
    description: Option<String>,
    requested_datetime: String,
    #[serde(default)]
    updated_datetime: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    lat: Option<f64>,
    #[serde(default)]
    long: Option<f64>,
}

/// An RFC 3339 time, read by the core's one reader (the epoch when unreadable: only the
/// timeline's order and the dates shown suffer).
fn instant(rfc3339: &str) -> Timestamp {
    Timestamp::parse(rfc3339).unwrap_or(Timestamp::from_unix_secs(0))
}

/// GeoReport's two statuses onto our states and timeline: open (with notes: being handled) or
/// closed, the latest note as the event's note. GeoReport names no person, so no event names
/// who acted (the role is what the screens show); "my" requests are the `api_key`'s, chosen by
/// the endpoint, never by an id here.
fn view(geo: GeoRequest) -> Option<RequestView> {
    let category = CategoryCode::parse(&geo.service_code)?;
    let filed_at = instant(&geo.requested_datetime);
    let updated = geo.updated_datetime.as_deref().map_or(filed_at, instant);
    let filed = TimelineEvent {
        at: filed_at.unix_secs(),
        actor: None,
        role: ActorRole::Resident,
        kind: CommandKind::Submit,
        from: None,
        to: RequestState::Submitted,
        note: None,
    };
    let later = |kind, to| TimelineEvent {
        at: updated.unix_secs(),
        actor: None,
        role: ActorRole::Staff,
        kind,
        from: Some(RequestState::Submitted),
        to,
        note: geo.status_notes.clone(),
    };
    let (state, timeline) = match (geo.status.as_str(), &geo.status_notes) {
        ("closed", _) => (
            RequestState::Closed,
            vec![filed, later(CommandKind::Verify, RequestState::Closed)],
        ),
        (_, Some(_)) => (
            RequestState::InProgress,
            vec![filed, later(CommandKind::Start, RequestState::InProgress)],
        ),
        _ => (RequestState::Submitted, vec![filed]),
    };
    Some(RequestView {
        tracking: geo.service_request_id,
        category,
        description: geo.description.unwrap_or_default(),
        state,
        department: None,
        lat: geo.lat,
        lng: geo.long,
        address: geo.address,
        anonymous: false,
        contact: None,
        photos: Vec::new(),
        rating: None,
        created_at: filed_at,
        updated_at: updated,
        timeline,
        allowed: Vec::new(),
    })
}

/// GeoReport's refusal (`[{"code": 400, "description": "…"}]`, decoded by the client) onto
/// the field our form names, by the description's first words; anything else as the client
/// decoded it.
fn failure(failure: ApiFailure) -> RequestsError {
    let field = failure.as_refused().and_then(|refused| {
        [
            ("service_code", "category"),
            ("description", "description"),
            ("lat", "address"),
            ("address", "address"),
            ("a location", "address"),
            ("phone", "contact"),
        ]
        .into_iter()
        .find(|(prefix, _)| refused.status < 500 && refused.message.starts_with(prefix))
        .map(|(_, field)| field)
    });
    match field {
        Some(field) => RequestsError::Field(field.to_owned()),
        None => failure.into(),
    }
}

async fn fetch<T: DeserializeOwned>(call: Call<'_>) -> Result<T, RequestsError> {
    call.fetch().await.map_err(failure)
}

fn params(pairs: &[(&str, &str)]) -> Result<web_sys::UrlSearchParams, RequestsError> {
    let form = web_sys::UrlSearchParams::new()
        .map_err(|_| RequestsError::Api(ApiFailure::Invalid("form".into())))?;
    for (name, value) in pairs {
        form.append(name, value);
    }
    Ok(form)
}

/// A GeoReport read. The spec gives a GET no other place for `api_key` than the query string,
/// so here the token travels in the URL: over HTTPS it is encrypted, but a proxy or server that
/// logs full URLs keeps it (the README's Open311 section says so). Writes put it in the body
/// ([`Open311Requests::file`]).
async fn get<T: DeserializeOwned>(path: &str, token: &str) -> Result<T, RequestsError> {
    let query = params(&[("api_key", token)])?.to_string();
    let url = format!("{ENDPOINT}{path}?{query}");
    fetch(client::get(&url).api_key(token)).await
}

#[derive(Debug, Clone, Copy)]
pub struct Open311Requests;

impl Open311Requests {
    /// `services.json`: the categories the endpoint offers, among ours (a service code the app
    /// has no category for cannot be filed from this form).
    pub async fn categories(self) -> Result<Vec<CategoryCode>, RequestsError> {
        let url = format!("{ENDPOINT}services.json");
        let services: Vec<Service> = fetch(client::get(&url).cache(RequestCache::NoCache)).await?;
        Ok(services
            .iter()
            .filter_map(|s| CategoryCode::parse(&s.service_code))
            .collect())
    }

    /// `POST requests.json`, then the request as filed. `key` goes as `Idempotency-Key`, which
    /// the reference server honours (a retry never files twice there).
    pub async fn file(
        self,
        token: &str,
        request: &NewRequest,
        key: &str,
    ) -> Result<RequestView, RequestsError> {
        let (lat, long) = request
            .position
            .map(|p| (degrees(p.lat()), degrees(p.lng())))
            .unwrap_or_default();
        // `api_key` in the form body, as GeoReport allows for a POST: never in the URL, where
        // access logs and proxies would keep it.
        let mut pairs = vec![
            ("api_key", token),
            ("service_code", request.category.as_str()),
            ("description", request.description.as_str()),
        ];
        if request.position.is_some() {
            pairs.extend([("lat", lat.as_str()), ("long", long.as_str())]);
        }
        if let Some(address) = &request.address {
            pairs.push(("address_string", address.as_str()));
        }
        if let Some(phone) = request.contact.as_ref().filter(|_| !request.anonymous) {
            pairs.push(("phone", phone.as_str()));
        }
        let form = params(&pairs)?;
        let url = format!("{ENDPOINT}requests.json");
        let call = client::post(&url)
            .api_key(token)
            .idempotency_key(Some(key))
            .form(&form);
        let created: Vec<Created> = fetch(call).await?;
        let id = created
            .into_iter()
            .next()
            .ok_or_else(|| RequestsError::Api(ApiFailure::Invalid("no request id".into())))?
            .service_request_id;
        self.one(token, &id).await
    }

    /// The key's person's requests, newest first.
    pub async fn mine(self, token: &str) -> Result<Vec<RequestView>, RequestsError> {
        let mut found: Vec<GeoRequest> = get("requests.json", token).await?;
        found.sort_by(|a, b| b.requested_datetime.cmp(&a.requested_datetime));
        Ok(found.into_iter().filter_map(view).collect())
    }

    pub async fn one(self, token: &str, id: &str) -> Result<RequestView, RequestsError> {
        let id = js_sys::encode_uri_component(id)
            .as_string()
            .unwrap_or_default();
        let found: Vec<GeoRequest> = get(&format!("requests/{id}.json"), token).await?;
        found
            .into_iter()
            .next()
            .and_then(view)
            .ok_or(RequestsError::NotFound)
    }
}

/// A coordinate with six decimals (about 0.1 m), by whole-number arithmetic: float formatting
/// would sit in the first-load module (the split keeps every table-called function there).
fn degrees(x: f64) -> String {
    let micro = (x * 1e6).round() as i64;
    let sign = if micro < 0 { "-" } else { "" };
    let micro = micro.unsigned_abs();
    format!("{sign}{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::error::Refused;

    fn geo(status: u16, body: &str) -> RequestsError {
        failure(ApiFailure::Refused(Box::new(Refused::decode(
            status, None, body,
        ))))
    }

    #[test]
    fn georeport_refusals_name_the_form_field() {
        let body = r#"[{"code": 400, "description": "description is required"}]"#;
        assert_eq!(geo(400, body), RequestsError::Field("description".into()));
        let body =
            r#"[{"code": 400, "description": "a location (lat/long or address) is required"}]"#;
        assert_eq!(geo(400, body), RequestsError::Field("address".into()));
        let body = r#"[{"code": 404, "description": "no such request"}]"#;
        assert_eq!(geo(404, body), RequestsError::NotFound);
        let other = geo(400, r#"[{"code": 400, "description": "something else"}]"#);
        assert!(
            matches!(&other, RequestsError::Api(ApiFailure::Refused(r)) if r.code == "400" && r.message == "something else"),
            "{other:?}"
        );
        assert!(geo(503, "").is_transient());
    }
}
