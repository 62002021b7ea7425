//! The `open311` requests backend: a client of Open311 GeoReport v2 (JSON), in one of two places.
//!
//! - **A city's endpoint** (`backends.requests` as an object): the `api_key` is the
//!   application's, sent in the form body of each filing, with the `jurisdiction_id` on every
//!   call. The city knows nobody here, so "my requests" are the ids this person filed, kept in
//!   their account when the app has accounts, on this device otherwise ([`super::receipts`]),
//!   read back with a `service_request_id` list. Only simple
//!   cross-origin requests are made (a GET, or a form POST with no header of ours), so a city
//!   need only answer with `Access-Control-Allow-Origin`: no preflight. GeoReport has no
//!   idempotency: a filing whose answer was lost may be filed twice there.
//! - **The reference server** (`"open311"` as a word): `{base}open311/v2/`, with the signed-in
//!   person's session token as `api_key` (in the form body of a POST, in the query of a GET, the
//!   only place GeoReport gives it there), and the outbox's `Idempotency-Key`.
//!
//! What GeoReport allows: a resident files a request and follows it. It has no commands, so the
//! resident's actions and the staff workspace are not offered (staff work in the city's system);
//! its `open`/`closed` status and `status_notes` become our state and timeline.

use super::receipts::Receipts;
use crate::backend::client::{self, Call, RequestCache};
use crate::backend::error::ApiFailure;
use crate::backend::requests::{CityRequest, Receipt, RequestsError, RestRequests};
use citizen_core::config::Open311Endpoint;
use citizen_core::georeport::reply::{Created, ServiceRequest as GeoRequest, Status, TokenReply};
use citizen_core::georeport::service::{Service, ServiceDefinition};
use citizen_core::requests::{
    ActorRole, CategoryCode, CityDetails, CommandKind, RequestState, RequestView, TimelineEvent,
};
use citizen_core::time::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::cell::OnceCell;

/// The reference server's endpoint, relative to the page's base.
const OURS: &str = "open311/v2/";

/// Ids asked for in one `requests.json` call (the URL stays well under 2,000 characters).
const IDS_PER_CALL: usize = 40;

/// An RFC 3339 time, read by the core's one reader.
fn instant(rfc3339: Option<&str>) -> Option<Timestamp> {
    rfc3339.and_then(|t| Timestamp::parse(t.trim()).ok())
}

/// GeoReport's two statuses onto our states and timeline: open (with notes: being handled) or
/// closed, the latest note as the event's note. GeoReport names no person, so no event names
/// who acted (the role is what the screens show).
fn view(geo: GeoRequest) -> RequestView {
    let code = geo.service_code.clone();
    let filed_at =
        instant(geo.requested_datetime.as_deref()).unwrap_or(Timestamp::from_unix_secs(0));
    let updated = instant(geo.updated_datetime.as_deref()).unwrap_or(filed_at);
    let notes = geo.status_notes;
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
        note: notes.clone(),
    };
    let (state, timeline) = match (geo.status, &notes) {
        (Status::Closed, _) => (
            RequestState::Closed,
            vec![filed, later(CommandKind::Verify, RequestState::Closed)],
        ),
        (_, Some(_)) => (
            RequestState::InProgress,
            vec![filed, later(CommandKind::Start, RequestState::InProgress)],
        ),
        _ => (RequestState::Submitted, vec![filed]),
    };
    RequestView {
        tracking: geo.service_request_id,
        category: CategoryCode::parse(&code),
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
        city: Some(CityDetails {
            service_code: code,
            service_name: geo.service_name,
            agency: geo.agency_responsible,
            expected_at: instant(geo.expected_datetime.as_deref()),
            notice: geo.service_notice,
            media_url: geo.media_url,
        }),
    }
}

/// GeoReport's refusal (`[{"code": 400, "description": "…"}]`, decoded by the client) onto
/// the field our form names, by the description's first words; anything else as the client
/// decoded it.
fn failure(failure: ApiFailure) -> RequestsError {
    let field = failure.as_refused().and_then(|refused| {
        if refused.status >= 500 {
            return None;
        }
        let message = refused.message.trim_start();
        if let Some(rest) = message.strip_prefix("attribute[") {
            return rest
                .split(']')
                .next()
                .map(|code| format!("attribute:{code}"));
        }
        [
            ("service_code", "category"),
            ("description", "description"),
            ("lat", "address"),
            ("address", "address"),
            ("a location", "address"),
            ("phone", "phone"),
            ("email", "email"),
            ("first_name", "first_name"),
            ("last_name", "last_name"),
        ]
        .into_iter()
        .find(|(prefix, _)| message.starts_with(prefix))
        .map(|(_, field)| field.to_owned())
    });
    match field {
        Some(field) => RequestsError::Field(field),
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

/// A path segment, escaped.
fn segment(text: &str) -> String {
    js_sys::encode_uri_component(text)
        .as_string()
        .unwrap_or_default()
}

#[derive(Debug, Clone, Copy)]
pub struct Open311Requests {
    /// A city's endpoint as `config.json` wrote it, or `None` for the reference server's. Kept
    /// for the page's life; checked on first use ([`Open311Requests::city`]).
    written: Option<&'static Value>,
    /// At a city: whether the app has accounts, so that a person's receipts are kept in their
    /// account rather than on this device ([`Receipts`]).
    accounts: bool,
}

thread_local! {
    /// The city's endpoint once checked (one configuration per page).
    static CITY: OnceCell<Result<&'static Open311Endpoint, String>> = const { OnceCell::new() };
}

impl Open311Requests {
    pub fn new(written: Option<&'static Value>, accounts: bool) -> Open311Requests {
        Open311Requests { written, accounts }
    }

    /// At a city: where the acting person's receipts are kept.
    fn receipts(self) -> Option<Receipts> {
        self.city().map(|city| Receipts::new(city, self.accounts))
    }

    /// Whether this talks to a city (which knows nobody here) rather than the reference server.
    pub fn is_city(self) -> bool {
        self.written.is_some()
    }

    /// The city's endpoint, checked by the core the first time (here, in the requests screens'
    /// code, rather than at start: see `AppConfig::city`); a wrong one is the failure every call
    /// reports.
    fn checked(self) -> Result<Option<&'static Open311Endpoint>, RequestsError> {
        let Some(written) = self.written else {
            return Ok(None);
        };
        CITY.with(|cell| {
            cell.get_or_init(|| {
                Open311Endpoint::parse("backends.requests", written)
                    .map(|city| &*Box::leak(Box::new(city)))
                    .map_err(|e| e.to_string())
            })
            .clone()
        })
        .map(Some)
        .map_err(RequestsError::CityConfig)
    }

    /// The city's endpoint (none when it is wrong: every call reports that, see `checked`).
    fn city(self) -> Option<&'static Open311Endpoint> {
        self.checked().ok().flatten()
    }

    /// Whether a `media_url` is on the endpoint's own origin, where the page may show images
    /// (its CSP allows this origin and the city's, nothing else).
    pub fn hosts_image(self, url: &str) -> bool {
        let origin = match self.city() {
            Some(city) => city.origin.as_str().to_owned(),
            None => leptos::prelude::window()
                .location()
                .origin()
                .unwrap_or_default(),
        };
        !origin.is_empty()
            && url
                .strip_prefix(origin.as_str())
                .is_some_and(|path| path.starts_with('/'))
    }

    fn url(self, path: &str) -> String {
        match self.city() {
            Some(city) => format!("{}{path}", city.endpoint),
            None => format!("{OURS}{path}"),
        }
    }

    /// A GeoReport read, with `extra` query fields. At a city: its `jurisdiction_id`, no key
    /// (GeoReport asks none for reads). Here: the person's token as `api_key`: over HTTPS it is
    /// encrypted, but a proxy or server that logs full URLs keeps it (the README's Open311
    /// section says so). Writes put it in the body ([`Open311Requests::file`]).
    async fn get<T: DeserializeOwned>(
        self,
        path: &str,
        token: &str,
        extra: &[(&str, &str)],
    ) -> Result<T, RequestsError> {
        let mut pairs = Vec::from(extra);
        match self.city().and_then(|c| c.jurisdiction_id.as_deref()) {
            Some(jurisdiction) => pairs.push(("jurisdiction_id", jurisdiction)),
            None if self.city().is_none() => pairs.push(("api_key", token)),
            None => {}
        }
        let query = params(&pairs)?.to_string();
        let url = format!("{}?{}", self.url(path), String::from(query));
        let call = client::get(&url);
        match self.city() {
            Some(_) => fetch(call.cache(RequestCache::NoStore)).await,
            None => fetch(call.api_key(token)).await,
        }
    }

    /// `services.json`: every service the endpoint offers, as it lists them.
    pub async fn services(self) -> Result<Vec<Service>, RequestsError> {
        self.checked()?;
        let mut pairs = Vec::new();
        if let Some(jurisdiction) = self.city().and_then(|c| c.jurisdiction_id.as_deref()) {
            pairs.push(("jurisdiction_id", jurisdiction));
        }
        let query = String::from(params(&pairs)?.to_string());
        let url = format!("{}?{query}", self.url("services.json"));
        let url = url.trim_end_matches('?');
        fetch(client::get(url).cache(RequestCache::NoCache)).await
    }

    /// `services/{code}.json`: the questions a service asks.
    pub async fn definition(self, code: &str) -> Result<ServiceDefinition, RequestsError> {
        self.checked()?;
        let mut pairs = Vec::new();
        if let Some(jurisdiction) = self.city().and_then(|c| c.jurisdiction_id.as_deref()) {
            pairs.push(("jurisdiction_id", jurisdiction));
        }
        let query = String::from(params(&pairs)?.to_string());
        let url = format!(
            "{}?{query}",
            self.url(&format!("services/{}.json", segment(code)))
        );
        let url = url.trim_end_matches('?');
        fetch(client::get(url).cache(RequestCache::NoCache)).await
    }

    /// `POST requests.json`. `token` is the person's (at a city: the key of their receipts on
    /// this device); `key` goes as `Idempotency-Key` to the reference server, which honours it.
    pub async fn file(
        self,
        token: &str,
        request: &CityRequest,
        key: &str,
    ) -> Result<Receipt, RequestsError> {
        self.checked()?;
        let (lat, long) = request
            .position
            .map(|p| (degrees(p.lat()), degrees(p.lng())))
            .unwrap_or_default();
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        match self.city() {
            Some(city) => {
                pairs.extend(city.api_key.as_deref().map(|k| ("api_key", k)));
                pairs.extend(
                    city.jurisdiction_id
                        .as_deref()
                        .map(|j| ("jurisdiction_id", j)),
                );
            }
            // `api_key` in the form body, as GeoReport allows for a POST: never in the URL,
            // where access logs and proxies would keep it.
            None => pairs.push(("api_key", token)),
        }
        pairs.extend([
            ("service_code", request.service_code.as_str()),
            ("description", request.description.as_str()),
        ]);
        if request.position.is_some() {
            pairs.extend([("lat", lat.as_str()), ("long", long.as_str())]);
        }
        if let Some(address) = &request.address {
            pairs.push(("address_string", address.as_str()));
        }
        pairs.extend(
            request
                .attributes
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        if let Some(contact) = &request.contact {
            pairs.extend(contact.fields());
        }
        // A photo the reference server hosts goes as its address (the server attaches it).
        let media = match (self.city(), request.photos.first()) {
            (None, Some(id)) => absolute(&RestRequests.photo_url(id)),
            _ => None,
        };
        pairs.extend(media.as_deref().map(|url| ("media_url", url)));
        let form = params(&pairs)?;
        let url = self.url("requests.json");
        let call = match self.city() {
            // A simple cross-origin request: no header of ours, so no preflight.
            Some(_) => client::post(&url).cache(RequestCache::NoStore),
            None => client::post(&url).api_key(token).idempotency_key(Some(key)),
        };
        let created: Vec<Created> = fetch(call.form(&form)).await?;
        let created = created
            .into_iter()
            .next()
            .ok_or_else(|| RequestsError::Api(ApiFailure::Invalid("no request id".into())))?;
        let receipt = match (created.service_request_id, created.token) {
            (Some(id), _) => Receipt::Tracking(id),
            (_, Some(token)) => Receipt::Waiting(token),
            _ => {
                return Err(RequestsError::Api(ApiFailure::Invalid(
                    "no request id".into(),
                )));
            }
        };
        if let Some(receipts) = self.receipts() {
            receipts.keep(token, &receipt).await;
        }
        Ok(receipt)
    }

    /// `GET tokens/{token}.json`: the request's id once the city has given one.
    pub async fn resolve(
        self,
        token: &str,
        waiting: &str,
    ) -> Result<Option<String>, RequestsError> {
        self.checked()?;
        let path = format!("tokens/{}.json", segment(waiting));
        let found: Vec<TokenReply> = match self.get(&path, token, &[]).await {
            Err(RequestsError::NotFound) => return Ok(None),
            other => other?,
        };
        // (Blank ids are read as none by the core.)
        let id = found.into_iter().find_map(|t| t.service_request_id);
        if let (Some(receipts), Some(id)) = (self.receipts(), &id) {
            receipts.resolved(token, waiting, id).await;
        }
        Ok(id)
    }

    /// The person's requests, newest first: the ids their account on the reference server
    /// holds, or at a city their receipts, in the account or on this device (tokens still
    /// waiting are asked about first); either way read back with a `service_request_id` list, which no date window
    /// limits.
    pub async fn mine(self, token: &str) -> Result<Vec<RequestView>, RequestsError> {
        self.checked()?;
        let ids: Vec<String> = match self.receipts() {
            None => RestRequests
                .mine(token)
                .await?
                .into_iter()
                .map(|r| r.tracking)
                .collect(),
            Some(receipts) => {
                let mut ids = Vec::new();
                for kept in receipts.mine(token).await? {
                    match (kept.id, kept.token) {
                        (Some(id), _) => ids.push(id),
                        (None, Some(waiting)) => match self.resolve(token, &waiting).await {
                            Ok(id) => ids.extend(id),
                            Err(e) => {
                                leptos::logging::warn!("a token could not be asked about: {e}")
                            }
                        },
                        (None, None) => {}
                    }
                }
                ids
            }
        };
        let mut found = Vec::new();
        for chunk in ids.chunks(IDS_PER_CALL) {
            let list = chunk.join(",");
            let mut some: Vec<GeoRequest> = self
                .get("requests.json", token, &[("service_request_id", &list)])
                .await?;
            // Only what was asked for: an endpoint that ignores the list answers with others'.
            some.retain(|r| chunk.contains(&r.service_request_id));
            found.append(&mut some);
        }
        let mut list: Vec<RequestView> = found.into_iter().map(view).collect();
        list.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(list)
    }

    pub async fn one(self, token: &str, id: &str) -> Result<RequestView, RequestsError> {
        self.checked()?;
        if let Some(receipts) = self.receipts()
            && !receipts.ids(token).await?.iter().any(|kept| kept == id)
        {
            // Not one of this person's: the city would show anyone's, this app does not.
            return Err(RequestsError::NotFound);
        }
        let found: Vec<GeoRequest> = self
            .get(&format!("requests/{}.json", segment(id)), token, &[])
            .await?;
        found
            .into_iter()
            .find(|r| r.service_request_id == id)
            .map(view)
            .ok_or(RequestsError::NotFound)
    }
}

/// An address relative to the page's base, made absolute (`media_url` must be): the base is
/// the page's `<base href>`, which ends in `/`.
fn absolute(relative: &str) -> Option<String> {
    let base = leptos::prelude::document().base_uri().ok().flatten()?;
    let base = base.split(['?', '#']).next().unwrap_or_default();
    let dir = &base[..base.rfind('/')? + 1];
    Some(format!("{dir}{relative}"))
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
        let body =
            r#"[{"code": 400, "description": "attribute[lamps_out]: a number is required"}]"#;
        assert_eq!(
            geo(400, body),
            RequestsError::Field("attribute:lamps_out".into())
        );
        let body = r#"[{"code": 404, "description": "no such request"}]"#;
        assert_eq!(geo(404, body), RequestsError::NotFound);
        let other = geo(400, r#"[{"code": 400, "description": "something else"}]"#);
        assert!(
            matches!(&other, RequestsError::Api(ApiFailure::Refused(r)) if r.code == "400" && r.message == "something else"),
            "{other:?}"
        );
        assert!(geo(503, "").is_transient());
    }

    #[test]
    fn a_city_request_reads_with_its_own_service_and_details() {
        let geo: GeoRequest = serde_json::from_str(
            r#"{"service_request_id": "YL-000001", "status": "closed", "status_notes": "已修复",
                "service_name": "路灯不亮", "service_code": "svc-7f3a", "description": "三号杆不亮",
                "agency_responsible": "武侯区市政维护中心", "service_notice": "已转交",
                "requested_datetime": "2026-12-05T10:00:00+08:00",
                "updated_datetime": "2026-12-06T10:00:00+08:00",
                "expected_datetime": "2026-12-08T10:00:00+08:00", "address": " ",
                "lat": 30.6, "long": 104.0, "media_url": "https://city.example/m/1.png",
                "zipcode": null, "address_id": 7}"#,
        )
        .unwrap();
        let v = view(geo);
        assert_eq!(v.category, None);
        assert_eq!(v.state, RequestState::Closed);
        assert_eq!(v.address, None, "blank is none");
        assert_eq!(v.timeline.last().unwrap().note.as_deref(), Some("已修复"));
        let city = v.city.unwrap();
        assert_eq!(city.service_name.as_deref(), Some("路灯不亮"));
        assert_eq!(city.agency.as_deref(), Some("武侯区市政维护中心"));
        assert_eq!(
            city.expected_at,
            Some(Timestamp::parse("2026-12-08T02:00:00Z").unwrap())
        );
        assert_eq!(
            city.media_url.as_deref(),
            Some("https://city.example/m/1.png")
        );
    }
}
