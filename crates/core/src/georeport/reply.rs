//! What a GeoReport v2 endpoint answers, and what a `GET requests.json` may ask.
//!
//! - The shapes, as serde types that read any city's replies: a request as listed
//!   ([`ServiceRequest`]), one element of the POST's reply ([`Created`]), of `tokens/{token}`
//!   ([`TokenReply`]) and of the error list ([`GeoError`]). A field the spec calls optional may be
//!   missing; cities write ids, codes and ZIP codes as numbers or as strings, coordinates as
//!   numbers or numeric strings, and blank texts for "nothing": all are read, a blank text as
//!   absent. The reference server writes its replies with the same types.
//! - The query's rules: comma lists ([`comma_list`]), the `status` list ([`statuses`]), the
//!   search window ([`Window`]) and the whole query ([`RequestQuery`]), refusals typed as
//!   [`QueryError`], whose text is the description the error list carries.

use crate::time::Timestamp;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A request's status in GeoReport. Written `open`/`closed`; read in any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Closed,
}

impl Status {
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    /// `open` or `closed`, surrounding spaces and case ignored.
    pub fn parse(text: &str) -> Option<Status> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("open") {
            Some(Status::Open)
        } else if text.eq_ignore_ascii_case("closed") {
            Some(Status::Closed)
        } else {
            None
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Status, D::Error> {
        let text = String::deserialize(deserializer)?;
        Status::parse(&text)
            .ok_or_else(|| de::Error::custom(format!("status {text:?}: not open or closed")))
    }
}

/// A service request as `GET requests.json` and `GET requests/{id}.json` list it. Only
/// `service_request_id`, `status` and `service_code` are required; the datetimes are kept as the
/// city wrote them (cities write them loosely; [`Timestamp::parse`] reads the RFC 3339 ones).
/// Written with every field present, `null` when there is nothing to say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRequest {
    #[serde(deserialize_with = "required_text")]
    pub service_request_id: String,
    pub status: Status,
    #[serde(default, deserialize_with = "loose_text")]
    pub status_notes: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub service_name: Option<String>,
    #[serde(deserialize_with = "required_text")]
    pub service_code: String,
    #[serde(default, deserialize_with = "loose_text")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub agency_responsible: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub service_notice: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub requested_datetime: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub updated_datetime: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub expected_datetime: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub address_id: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub zipcode: Option<String>,
    #[serde(default, deserialize_with = "loose_number")]
    pub lat: Option<f64>,
    #[serde(default, deserialize_with = "loose_number")]
    pub long: Option<f64>,
    #[serde(default, deserialize_with = "loose_text")]
    pub media_url: Option<String>,
}

impl ServiceRequest {
    /// `requested_datetime` as an instant, when it is an RFC 3339 date-time.
    pub fn requested_at(&self) -> Option<Timestamp> {
        self.requested_datetime
            .as_deref()
            .and_then(|t| Timestamp::parse(t).ok())
    }
}

/// One element of `POST requests.json`'s reply: the request's id at once, or a `token` to
/// resolve later with `tokens/{token}` (the reference server gives both).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    #[serde(default, deserialize_with = "loose_text")]
    pub service_request_id: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub token: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub service_notice: Option<String>,
    #[serde(default, deserialize_with = "loose_text")]
    pub account_id: Option<String>,
}

/// One element of `GET tokens/{token}`'s reply: the id, once the city has issued one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenReply {
    #[serde(default, deserialize_with = "loose_text")]
    pub service_request_id: Option<String>,
    #[serde(deserialize_with = "required_text")]
    pub token: String,
}

/// One element of GeoReport's error list, `[{"code": 400, "description": "…"}]`. `code` is the
/// HTTP status, read from a number or a numeric string (some cities quote it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeoError {
    #[serde(deserialize_with = "status_code")]
    pub code: u16,
    #[serde(default, deserialize_with = "plain_text")]
    pub description: String,
}

impl GeoError {
    pub fn new(code: u16, description: impl Into<String>) -> GeoError {
        GeoError {
            code,
            description: description.into(),
        }
    }
}

/// A JSON scalar as a city may write it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Whole(i64),
    Unsigned(u64),
    Number(f64),
    Flag(bool),
}

impl Scalar {
    /// The scalar as text; `None` for a blank text.
    fn text(self) -> Option<String> {
        match self {
            Scalar::Text(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
            Scalar::Whole(n) => Some(n.to_string()),
            Scalar::Unsigned(n) => Some(n.to_string()),
            Scalar::Number(n) => Some(n.to_string()),
            Scalar::Flag(b) => Some(b.to_string()),
        }
    }
}

/// A text, a number written as one, or nothing (`null`, missing, blank).
pub(super) fn loose_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(deserializer)?.and_then(Scalar::text))
}

/// A text, or a number written as one; never blank.
pub(super) fn required_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    loose_text(deserializer)?.ok_or_else(|| de::Error::custom("a text is required here"))
}

/// A text that may be `null` (read as empty).
pub(super) fn plain_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(loose_text(deserializer)?.unwrap_or_default())
}

/// A finite number, or a text holding one; anything else (`null`, blank, not a number) is none.
fn loose_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    let number = match Option::<Scalar>::deserialize(deserializer)? {
        Some(Scalar::Number(n)) => Some(n),
        Some(Scalar::Whole(n)) => Some(n as f64),
        Some(Scalar::Unsigned(n)) => Some(n as f64),
        Some(Scalar::Text(t)) => t.trim().parse::<f64>().ok(),
        Some(Scalar::Flag(_)) | None => None,
    };
    Ok(number.filter(|n| n.is_finite()))
}

/// An HTTP status, 100–599, as a number or a numeric text.
fn status_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u16, D::Error> {
    let code = match Scalar::deserialize(deserializer)? {
        Scalar::Whole(n) => u16::try_from(n).ok(),
        Scalar::Unsigned(n) => u16::try_from(n).ok(),
        Scalar::Text(t) => t.trim().parse::<u16>().ok(),
        Scalar::Number(_) | Scalar::Flag(_) => None,
    };
    code.filter(|c| (100..=599).contains(c))
        .ok_or_else(|| de::Error::custom("code: not an HTTP status"))
}

/// The longest search window a `GET requests.json` may ask for, and the one it gets by default.
pub const MAX_WINDOW_DAYS: i64 = 90;
const MAX_WINDOW_SECS: i64 = MAX_WINDOW_DAYS * 24 * 60 * 60;

/// Why a `GET requests.json` query is refused (a 400). The text is the description the error
/// list carries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("status {0}: give open, closed or both, separated by a comma")]
    Status(String),
    #[error("{field} {value}: not a date-time such as 2026-11-25T09:00:00+08:00")]
    NotADate { field: &'static str, value: String },
    #[error("start_date is after end_date")]
    StartAfterEnd,
    #[error("start_date and end_date may be at most {MAX_WINDOW_DAYS} days apart")]
    TooLong,
}

/// The items of a comma-separated parameter (`service_request_id`, `service_code`, `status`),
/// each trimmed, empty ones dropped: `"a, b,,"` is `["a", "b"]`.
pub fn comma_list(raw: &str) -> Vec<&str> {
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

/// The `status` parameter: `open`, `closed` or both, comma-separated, each once. Empty: every
/// status (an empty list).
pub fn statuses(raw: &str) -> Result<Vec<Status>, QueryError> {
    let mut wanted = Vec::new();
    for item in comma_list(raw) {
        let status = Status::parse(item).ok_or_else(|| QueryError::Status(item.to_owned()))?;
        if !wanted.contains(&status) {
            wanted.push(status);
        }
    }
    Ok(wanted)
}

/// The span of `requested_datetime` a search covers, both ends included.
///
/// The spec: `start_date` and `end_date` are W3C date-times (read here as RFC 3339, with an
/// offset, by [`Timestamp::parse`]) and "may not span more than 90 days"; "when not specified,
/// the range defaults to most recent 90 days". What the spec's implementations do, and so this:
/// with only one side given the other is 90 days away from it; with neither, the last 90 days
/// up to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Window {
    /// The window `start_date` and `end_date` ask for (blank is absent), at `now`.
    pub fn new(
        start_date: Option<&str>,
        end_date: Option<&str>,
        now: Timestamp,
    ) -> Result<Window, QueryError> {
        let read = |field: &'static str, value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| {
                    Timestamp::parse(v).map_err(|_| QueryError::NotADate {
                        field,
                        value: v.to_owned(),
                    })
                })
                .transpose()
        };
        let shift = |t: Timestamp, secs: i64| Timestamp::from_unix_secs(t.unix_secs() + secs);
        let (start, end) = match (read("start_date", start_date)?, read("end_date", end_date)?) {
            (Some(start), Some(end)) => (start, end),
            (Some(start), None) => (start, shift(start, MAX_WINDOW_SECS)),
            (None, Some(end)) => (shift(end, -MAX_WINDOW_SECS), end),
            (None, None) => (shift(now, -MAX_WINDOW_SECS), now),
        };
        if start > end {
            return Err(QueryError::StartAfterEnd);
        }
        if end.unix_secs() - start.unix_secs() > MAX_WINDOW_SECS {
            return Err(QueryError::TooLong);
        }
        Ok(Window { start, end })
    }

    pub fn contains(self, at: Timestamp) -> bool {
        (self.start..=self.end).contains(&at)
    }
}

/// What a `GET requests.json` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestQuery {
    /// `service_request_id` was given: these requests, whatever their code, status or date. The
    /// spec: "if this parameter is provided, all other parameters are ignored" (they are not
    /// even read, so a bad `start_date` beside it is no error).
    Ids(Vec<String>),
    /// A search: requests of these codes (none: any) in these statuses (none: any), requested
    /// within the window.
    Search {
        service_codes: Vec<String>,
        statuses: Vec<Status>,
        window: Window,
    },
}

impl RequestQuery {
    /// The query whose parameters `param` gives by name (`service_request_id`, `service_code`,
    /// `status`, `start_date`, `end_date`), at `now`.
    pub fn parse<'a>(
        param: impl Fn(&str) -> Option<&'a str>,
        now: Timestamp,
    ) -> Result<RequestQuery, QueryError> {
        let ids = comma_list(param("service_request_id").unwrap_or(""));
        if !ids.is_empty() {
            return Ok(RequestQuery::Ids(
                ids.into_iter().map(str::to_owned).collect(),
            ));
        }
        Ok(RequestQuery::Search {
            service_codes: comma_list(param("service_code").unwrap_or(""))
                .into_iter()
                .map(str::to_owned)
                .collect(),
            statuses: statuses(param("status").unwrap_or(""))?,
            window: Window::new(param("start_date"), param("end_date"), now)?,
        })
    }

    /// Whether `request` answers the query. A search leaves out a request without a readable
    /// `requested_datetime`.
    pub fn admits(&self, request: &ServiceRequest) -> bool {
        match self {
            RequestQuery::Ids(ids) => ids.contains(&request.service_request_id),
            RequestQuery::Search {
                service_codes,
                statuses,
                window,
            } => {
                (service_codes.is_empty() || service_codes.contains(&request.service_code))
                    && (statuses.is_empty() || statuses.contains(&request.status))
                    && request.requested_at().is_some_and(|at| window.contains(at))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const DAY: i64 = 24 * 60 * 60;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn now() -> Timestamp {
        at("2026-11-25T00:00:00Z")
    }

    #[test]
    fn a_comma_list_is_trimmed_and_drops_empties() {
        assert_eq!(comma_list(" a, b ,,c,"), ["a", "b", "c"]);
        assert!(comma_list("").is_empty());
        assert!(comma_list(" , ,").is_empty());
        assert_eq!(comma_list("noise"), ["noise"]);
    }

    #[test]
    fn statuses_are_open_closed_or_both() {
        assert_eq!(statuses("open"), Ok(vec![Status::Open]));
        assert_eq!(
            statuses("open,closed"),
            Ok(vec![Status::Open, Status::Closed])
        );
        assert_eq!(
            statuses(" Closed , open,closed"),
            Ok(vec![Status::Closed, Status::Open])
        );
        assert_eq!(statuses(""), Ok(vec![]));
        let refused = statuses("open,maybe").unwrap_err();
        assert_eq!(refused, QueryError::Status("maybe".into()));
        assert!(refused.to_string().contains("maybe"), "{refused}");
    }

    #[test]
    fn the_default_window_is_the_last_ninety_days() {
        let window = Window::new(None, None, now()).unwrap();
        assert_eq!(window.end, now());
        assert_eq!(window.start.unix_secs(), now().unix_secs() - 90 * DAY);
        assert!(window.contains(now()));
        assert!(!window.contains(Timestamp::from_unix_secs(now().unix_secs() + 1)));
        assert_eq!(Window::new(Some(" "), Some(""), now()), Ok(window));
    }

    #[test]
    fn one_side_given_puts_the_other_ninety_days_away() {
        let start = at("2026-01-01T00:00:00Z");
        let window = Window::new(Some("2026-01-01T08:00:00+08:00"), None, now()).unwrap();
        assert_eq!(window.start, start);
        assert_eq!(window.end.unix_secs(), start.unix_secs() + 90 * DAY);
        let window = Window::new(None, Some("2026-01-01T00:00:00Z"), now()).unwrap();
        assert_eq!(window.end, start);
        assert_eq!(window.start.unix_secs(), start.unix_secs() - 90 * DAY);
    }

    #[test]
    fn a_window_is_checked() {
        let ok = Window::new(
            Some("2026-09-01T00:00:00Z"),
            Some("2026-11-30T00:00:00Z"),
            now(),
        )
        .unwrap();
        assert!(ok.contains(at("2026-09-01T00:00:00Z")));
        assert!(ok.contains(at("2026-11-30T00:00:00Z")));
        assert!(!ok.contains(at("2026-08-31T23:59:59Z")));
        assert_eq!(
            Window::new(
                Some("2026-11-02T00:00:00Z"),
                Some("2026-11-01T00:00:00Z"),
                now()
            ),
            Err(QueryError::StartAfterEnd)
        );
        assert_eq!(
            Window::new(
                Some("2026-01-01T00:00:00Z"),
                Some("2026-04-01T00:00:01Z"),
                now()
            ),
            Err(QueryError::TooLong)
        );
        for garbage in ["garbage", "2026-11-01", "2026-11-01 09:00", "1e9"] {
            let refused = Window::new(Some(garbage), None, now()).unwrap_err();
            assert_eq!(
                refused,
                QueryError::NotADate {
                    field: "start_date",
                    value: garbage.into()
                }
            );
            assert!(refused.to_string().starts_with("start_date"), "{refused}");
            assert!(matches!(
                Window::new(None, Some(garbage), now()),
                Err(QueryError::NotADate {
                    field: "end_date",
                    ..
                })
            ));
        }
    }

    fn listed(id: &str, code: &str, status: Status, requested: &str) -> ServiceRequest {
        serde_json::from_value(json!({
            "service_request_id": id, "service_code": code, "status": status,
            "requested_datetime": requested,
        }))
        .unwrap()
    }

    #[test]
    fn ids_ignore_every_other_parameter() {
        let params = [
            ("service_request_id", "CD-1, CD-2"),
            ("status", "nonsense"),
            ("start_date", "garbage"),
            ("service_code", "other"),
        ];
        let param = |name: &str| params.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        let query = RequestQuery::parse(param, now()).unwrap();
        assert_eq!(query, RequestQuery::Ids(vec!["CD-1".into(), "CD-2".into()]));
        let old = listed("CD-2", "noise", Status::Closed, "2020-01-01T00:00:00Z");
        assert!(query.admits(&old));
        assert!(!query.admits(&listed(
            "CD-3",
            "noise",
            Status::Open,
            "2026-11-24T00:00:00Z"
        )));
    }

    #[test]
    fn a_search_filters_codes_statuses_and_dates() {
        let params = [("service_code", "noise,municipal"), ("status", "open")];
        let param = |name: &str| params.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        let query = RequestQuery::parse(param, now()).unwrap();
        let recent = "2026-11-24T00:00:00Z";
        assert!(query.admits(&listed("a", "noise", Status::Open, recent)));
        assert!(query.admits(&listed("b", "municipal", Status::Open, recent)));
        assert!(!query.admits(&listed("c", "fire-safety", Status::Open, recent)));
        assert!(!query.admits(&listed("d", "noise", Status::Closed, recent)));
        assert!(!query.admits(&listed("e", "noise", Status::Open, "2026-01-01T00:00:00Z")));
        assert!(!query.admits(&listed("f", "noise", Status::Open, "yesterday")));
        let everything = RequestQuery::parse(|_| None, now()).unwrap();
        assert!(everything.admits(&listed("d", "noise", Status::Closed, recent)));
        let bad = [("status", "open"), ("end_date", "soon")];
        let param = |name: &str| bad.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        assert!(matches!(
            RequestQuery::parse(param, now()),
            Err(QueryError::NotADate { .. })
        ));
    }

    #[test]
    fn a_city_s_loose_request_is_read() {
        let request: ServiceRequest = serde_json::from_value(json!({
            "service_request_id": 638344,
            "status": "Open",
            "status_notes": null,
            "service_name": "Sidewalk and Curb Issues",
            "service_code": 6,
            "description": "",
            "requested_datetime": "2010-04-14T06:37:38-08:00",
            "expected_datetime": "",
            "address": "8TH AVE and JUDAH ST",
            "zipcode": 94122,
            "lat": "37.762221815",
            "long": -122.4651145,
            "media_url": "http://city.example/photo.jpg",
            "unknown": {"nested": true}
        }))
        .unwrap();
        assert_eq!(request.service_request_id, "638344");
        assert_eq!(request.status, Status::Open);
        assert_eq!(request.service_code, "6");
        assert_eq!(request.description, None);
        assert_eq!(request.expected_datetime, None);
        assert_eq!(request.agency_responsible, None);
        assert_eq!(request.zipcode.as_deref(), Some("94122"));
        assert_eq!(request.lat, Some(37.762221815));
        assert_eq!(request.long, Some(-122.4651145));
        assert_eq!(request.requested_at(), Some(at("2010-04-14T14:37:38Z")));
        for missing in ["service_request_id", "status", "service_code"] {
            let mut value =
                json!({"service_request_id": "1", "status": "open", "service_code": "x"});
            value.as_object_mut().unwrap().remove(missing);
            assert!(
                serde_json::from_value::<ServiceRequest>(value).is_err(),
                "{missing}"
            );
        }
        let odd = json!({"service_request_id": "1", "status": "pending", "service_code": "x"});
        assert!(serde_json::from_value::<ServiceRequest>(odd).is_err());
    }

    #[test]
    fn a_request_is_written_with_every_field() {
        let request = listed("CD-1", "noise", Status::Closed, "2026-11-24T00:00:00Z");
        let written = serde_json::to_value(&request).unwrap();
        assert_eq!(written["status"], "closed");
        assert_eq!(written["expected_datetime"], serde_json::Value::Null);
        assert_eq!(written.as_object().unwrap().len(), 17);
        let back: ServiceRequest = serde_json::from_value(written).unwrap();
        assert_eq!(back, request);
    }

    #[test]
    fn replies_and_errors_are_read_from_any_city() {
        let created: Vec<Created> =
            serde_json::from_str(r#"[{"token": "12345", "service_notice": ""}]"#).unwrap();
        assert_eq!(
            created,
            [Created {
                token: Some("12345".into()),
                ..Created::default()
            }]
        );
        let created: Vec<Created> =
            serde_json::from_str(r#"[{"service_request_id": 293944, "account_id": 7}]"#).unwrap();
        assert_eq!(created[0].service_request_id.as_deref(), Some("293944"));
        assert_eq!(created[0].account_id.as_deref(), Some("7"));
        let token: Vec<TokenReply> =
            serde_json::from_str(r#"[{"service_request_id": null, "token": "abc"}]"#).unwrap();
        assert_eq!(token[0].service_request_id, None);
        let errors: Vec<GeoError> = serde_json::from_str(
            r#"[{"code": 403, "description": "api_key"}, {"code": "404", "description": "none"}]"#,
        )
        .unwrap();
        assert_eq!(
            errors,
            [GeoError::new(403, "api_key"), GeoError::new(404, "none")]
        );
        assert!(
            serde_json::from_str::<GeoError>(r#"{"code": "nope", "description": ""}"#).is_err()
        );
        assert!(serde_json::from_str::<GeoError>(r#"{"code": 70000}"#).is_err());
        assert_eq!(
            serde_json::to_string(&GeoError::new(400, "x")).unwrap(),
            r#"{"code":400,"description":"x"}"#
        );
    }

    proptest! {
        #[test]
        fn a_comma_list_round_trips(items in proptest::collection::vec("[a-z0-9 -]{0,8}", 0..8)) {
            let joined = items.join(",");
            let listed = comma_list(&joined);
            let expected: Vec<&str> =
                items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()).collect();
            prop_assert_eq!(&listed, &expected);
            for item in &listed {
                prop_assert!(!item.is_empty() && !item.contains(',') && item.trim() == *item);
            }
        }

        #[test]
        fn a_window_is_at_most_ninety_days_and_holds_its_ends(
            start in 0i64..4_000_000_000,
            length in -10 * DAY..100 * DAY,
            one_side in 0u8..3,
        ) {
            let start = Timestamp::from_unix_secs(start);
            let end = Timestamp::from_unix_secs(start.unix_secs() + length);
            let (s, e) = (start.to_rfc3339(), end.to_rfc3339());
            let given = match one_side {
                0 => Window::new(Some(&s), Some(&e), now()),
                1 => Window::new(Some(&s), None, now()),
                _ => Window::new(None, Some(&e), now()),
            };
            match given {
                Ok(window) => {
                    prop_assert!(window.start <= window.end);
                    prop_assert!(window.end.unix_secs() - window.start.unix_secs() <= 90 * DAY);
                    prop_assert!(window.contains(window.start) && window.contains(window.end));
                    if one_side == 0 {
                        prop_assert_eq!(window, Window { start, end });
                    }
                }
                Err(QueryError::StartAfterEnd) => prop_assert!(one_side == 0 && length < 0),
                Err(QueryError::TooLong) => prop_assert!(one_side == 0 && length > 90 * DAY),
                Err(other) => prop_assert!(false, "{other}"),
            }
        }
    }
}
