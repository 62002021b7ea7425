//! Every response of the API matches the OpenAPI document the server serves: each status is
//! documented for its route, and each JSON body validates against the documented schema, made
//! strict (no undocumented fields). Every documented operation is exercised at least once, and
//! every route the router serves under `/api/v1` is in the document.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Closes every object schema that does not say otherwise, so an undocumented field fails.
fn strict(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let is_object = map.get("type") == Some(&json!("object"));
            if is_object
                && map.contains_key("properties")
                && !map.contains_key("additionalProperties")
            {
                map.insert("additionalProperties".into(), json!(false));
            }
            map.values_mut().for_each(strict);
        }
        Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}

struct Contract {
    doc: Value,
    components: Value,
    seen: BTreeSet<(String, String)>,
}

impl Contract {
    /// The document the server serves, made strict.
    async fn served_by(app: &TestApp) -> Contract {
        let doc = app.get("/api/v1/openapi.json", None).await;
        assert_eq!(doc.status, 200);
        assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
        let mut components = doc.body["components"].clone();
        strict(&mut components);
        Contract {
            doc: doc.body,
            components,
            seen: BTreeSet::new(),
        }
    }

    /// The documented response for this status, the operation marked as exercised.
    fn response(&mut self, method: &Method, template: &str, status: u16, text: &str) -> Value {
        let operation = &self.doc["paths"][template][method.as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {template} is not in the document"
        );
        self.seen.insert((method.to_string(), template.to_owned()));
        let response = &operation["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "{method} {template} answered {status}, which the document does not list: {text}"
        );
        response.clone()
    }

    /// A reply that is not JSON (a photo's bytes): its status and media type are documented.
    fn check_media(&mut self, method: &Method, template: &str, status: u16, content_type: &str) {
        let response = self.response(method, template, status, "");
        assert!(
            response["content"][content_type].is_object(),
            "{method} {template} {status} answered {content_type}, which the document does not list"
        );
    }

    fn check(&mut self, method: &Method, template: &str, status: u16, body: &Value, text: &str) {
        let response = self.response(method, template, status, text);
        let Some(schema) = response["content"]["application/json"]["schema"].as_object() else {
            assert!(
                text.is_empty(),
                "{method} {template} {status}: a body the document does not describe: {text}"
            );
            return;
        };
        let mut root = Value::Object(schema.clone());
        root["components"] = self.components.clone();
        root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        let validator = jsonschema::validator_for(&root)
            .unwrap_or_else(|e| panic!("{method} {template} {status}: unusable schema: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {template} {status} does not match the document:\n{}\nbody: {text}",
            errors.join("\n")
        );
    }
}

const NOISE: &str = r#"{"category": "noise", "description": "楼上每晚装修到十一点多", "address": "玉林北路 3 号", "contact": "13800000001"}"#;
/// The first request filed in a fresh database, on the test clock's day.
const FIRST: &str = "CD-20261125-000001";

/// (method, path template in the document, URI, bearer token, JSON body). Each list pairs a case
/// with the status it must answer, one case a line: a table, kept out of rustfmt so it reads down
/// its columns.
type Case<'a> = (Method, &'a str, String, Option<&'a str>, Option<String>);

#[tokio::test]
async fn every_response_matches_the_openapi_document() {
    let app = spawn_app().await;
    let mut contract = Contract::served_by(&app).await;

    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let expired = app.sign_in(VOLUNTEER).await;
    // The volunteer gives services, signed in until the end, when the session expires.
    let volunteer = expired.clone();
    let who = Who {
        resident: &resident,
        staff: &staff,
        volunteer: &volunteer,
    };
    let areas = [
        catalog(),
        account(who),
        requests(who),
        timebank(who),
        signing_out(who),
    ];
    expect_all(&app, &mut contract, areas.into_iter().flatten()).await;

    // Photos: raw bytes up, raw bytes down.
    let jpeg = common::images::jpeg(200, 1);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut too_large = jpeg.clone();
    too_large.resize(citizen_core::requests::MAX_PHOTO_BYTES + 1, 0);
    let uploads: Vec<(Option<&str>, &str, Vec<u8>)> = vec![
        (Some(&resident), "image/jpeg", jpeg.clone()),
        (Some(&resident), "text/plain", b"not a photo".to_vec()),
        (None, "image/jpeg", jpeg.clone()),
        (Some(&resident), "image/jpeg", png),
        (Some(&resident), "image/jpeg", Vec::new()),
        (Some(&resident), "image/jpeg", too_large),
        (
            Some(&resident),
            "image/png",
            common::images::png_sized(8001, 10, &[]),
        ),
    ];
    let mut photo = None;
    for (token, content_type, bytes) in uploads {
        let request = with_token(Request::post("/api/v1/photos"), token)
            .header("content-type", content_type)
            .body(Body::from(bytes))
            .unwrap();
        let reply = app.send(request).await;
        let status = reply.status.as_u16();
        contract.check(&Method::POST, "/photos", status, &reply.body, &reply.text);
        if status == 201 {
            photo = reply.body["id"].as_str().map(str::to_owned);
        }
    }
    let photo = photo.expect("a photo was kept");
    // The upload rate: the staff member's own minute runs out.
    let uploader = app.sign_in(STAFF).await;
    let limited = loop {
        let request = with_token(Request::post("/api/v1/photos"), Some(&uploader))
            .header("content-type", "image/jpeg")
            .body(Body::from(jpeg.clone()))
            .unwrap();
        let reply = app.send(request).await;
        if reply.status != 201 {
            break reply;
        }
    };
    assert_eq!(limited.code(), "photo_rate_limited", "{}", limited.text);
    contract.check(
        &Method::POST,
        "/photos",
        limited.status.as_u16(),
        &limited.body,
        &limited.text,
    );
    let served = app.get(&format!("/api/v1/photos/{photo}"), None).await;
    let content_type = served.headers["content-type"].to_str().unwrap();
    contract.check_media(
        &Method::GET,
        "/photos/{id}",
        served.status.as_u16(),
        content_type,
    );
    let missing = app
        .get("/api/v1/photos/0123456789abcdef0123456789abcdef", None)
        .await;
    contract.check(
        &Method::GET,
        "/photos/{id}",
        missing.status.as_u16(),
        &missing.body,
        &missing.text,
    );
    let unknown = NOISE.replace('}', r#", "photos": ["0123456789abcdef0123456789abcdef"]}"#);
    let cited = NOISE.replace('}', &format!(r#", "photos": ["{photo}"]}}"#));
    for (body, status) in [(unknown, 422), (cited, 201)] {
        let reply = app
            .post_json("/api/v1/requests", Some(&resident), &body)
            .await;
        assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
        contract.check(&Method::POST, "/requests", status, &reply.body, &reply.text);
    }

    // The time bank's guards: a start from 1970, the monthly pool cap (with the minutes left),
    // and the look-up limit (429).
    let at = |start: i64, minutes: u32| {
        format!(
            r#"{{"recipient": "{RESIDENT}", "service": "escort", "start": {start}, "duration": {minutes}}}"#
        )
    };
    let mut guarded = vec![at(0, 480)];
    guarded.extend((1..=6).map(|day| at(START - day * 86_400, 480)));
    guarded.extend((0..20).map(|_| at(START - 4 * 3600, 30)));
    let mut codes = BTreeSet::new();
    for body in guarded {
        let reply = app
            .post_json("/api/v1/timebank/records", Some(&volunteer), &body)
            .await;
        contract.check(
            &Method::POST,
            "/timebank/records",
            reply.status.as_u16(),
            &reply.body,
            &reply.text,
        );
        codes.insert(reply.code().to_owned());
    }
    for code in ["start_too_old", "pool_cap_reached", "too_many_attempts"] {
        assert!(codes.contains(code), "{code} not seen: {codes:?}");
    }

    volunteering(&app, &mut contract, &resident, &volunteer).await;
    host_sign_in(&app, &mut contract).await;
    sms_codes(&app, &mut contract).await;
    city_receipts(&app, &mut contract).await;

    // An expired session, and the rate limit.
    app.clock
        .advance(citizen_core::account::SESSION_LIFETIME_SECS);
    let reply = app.get("/api/v1/me", Some(&expired)).await;
    assert_eq!(reply.code(), "session_expired");
    contract.check(
        &Method::GET,
        "/me",
        reply.status.as_u16(),
        &reply.body,
        &reply.text,
    );
    let wrong = sign_in_body(RESIDENT, "wrong-password");
    let mut last = None;
    for _ in 0..6 {
        last = Some(app.post_json("/api/v1/session", None, &wrong).await);
    }
    let limited = last.unwrap();
    assert_eq!(limited.status, 429);
    contract.check(&Method::POST, "/session", 429, &limited.body, &limited.text);

    let documented: BTreeSet<(String, String)> = contract.doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
                .map(|m| (m.to_uppercase(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let missed: Vec<_> = documented.difference(&contract.seen).collect();
    assert!(
        missed.is_empty(),
        "documented but never exercised here: {missed:?}"
    );
}

/// The callers of the cases: the demo's resident, staff member and volunteer, signed in.
#[derive(Clone, Copy)]
struct Who<'a> {
    resident: &'a str,
    staff: &'a str,
    volunteer: &'a str,
}

/// Catalog: open to all.
#[rustfmt::skip]
fn catalog() -> Vec<(u16, Case<'static>)> {
    vec![
        (200, (Method::GET, "/catalog", "/api/v1/catalog".into(), None, None)),
        (200, (Method::GET, "/tiles", "/api/v1/tiles?q=gjj&limit=3".into(), None, None)),
        (422, (Method::GET, "/tiles", "/api/v1/tiles?limit=0".into(), None, None)),
        (200, (Method::GET, "/tiles/{id}", "/api/v1/tiles/housing-fund-balance".into(), None, None)),
        (404, (Method::GET, "/tiles/{id}", "/api/v1/tiles/no-such-tile".into(), None, None)),
        (400, (Method::GET, "/tiles/{id}", "/api/v1/tiles/BAD".into(), None, None)),
        (200, (Method::GET, "/categories", "/api/v1/categories".into(), None, None)),
        (200, (Method::GET, "/providers", "/api/v1/providers".into(), None, None)),
        (200, (Method::GET, "/service-points", "/api/v1/service-points".into(), None, None)),
    ]
}

/// Account: signing in, the signed-in person, favourites; people, for staff.
#[rustfmt::skip]
fn account<'a>(who: Who<'a>) -> Vec<(u16, Case<'a>)> {
    vec![
        (201, (Method::POST, "/session", "/api/v1/session".into(), None, Some(sign_in_body(VOLUNTEER, DEMO_PASSWORD)))),
        (401, (Method::POST, "/session", "/api/v1/session".into(), None, Some(sign_in_body(VOLUNTEER, "wrong-password")))),
        (400, (Method::POST, "/session", "/api/v1/session".into(), None, Some("{".into()))),
        (422, (Method::POST, "/session", "/api/v1/session".into(), None, Some(r#"{"mobile": "1", "password": "x"}"#.into()))),
        (200, (Method::GET, "/me", "/api/v1/me".into(), Some(who.resident), None)),
        (401, (Method::GET, "/me", "/api/v1/me".into(), None, None)),
        (201, (Method::POST, "/me/favourites", "/api/v1/me/favourites".into(), Some(who.resident), Some(r#"{"tile": "housing-fund-balance"}"#.into()))),
        (200, (Method::POST, "/me/favourites", "/api/v1/me/favourites".into(), Some(who.resident), Some(r#"{"tile": "housing-fund-balance"}"#.into()))),
        (422, (Method::POST, "/me/favourites", "/api/v1/me/favourites".into(), Some(who.resident), Some(r#"{"tile": "no-such-tile"}"#.into()))),
        (400, (Method::POST, "/me/favourites", "/api/v1/me/favourites".into(), Some(who.resident), Some(r#"{"tile": 1}"#.into()))),
        (401, (Method::POST, "/me/favourites", "/api/v1/me/favourites".into(), None, Some(r#"{"tile": "housing-fund-balance"}"#.into()))),
        (200, (Method::GET, "/me/favourites", "/api/v1/me/favourites".into(), Some(who.resident), None)),
        (204, (Method::DELETE, "/me/favourites/{tile}", "/api/v1/me/favourites/housing-fund-balance".into(), Some(who.resident), None)),
        (400, (Method::DELETE, "/me/favourites/{tile}", "/api/v1/me/favourites/BAD".into(), Some(who.resident), None)),
        (200, (Method::GET, "/people", "/api/v1/people".into(), Some(who.staff), None)),
        (403, (Method::GET, "/people", "/api/v1/people".into(), Some(who.resident), None)),
    ]
}

/// Requests: filing, following, staff commands and the queue.
#[rustfmt::skip]
fn requests<'a>(who: Who<'a>) -> Vec<(u16, Case<'a>)> {
    vec![
        (201, (Method::POST, "/requests", "/api/v1/requests".into(), Some(who.resident), Some(NOISE.into()))),
        (422, (Method::POST, "/requests", "/api/v1/requests".into(), Some(who.resident), Some(r#"{"category": "noise", "description": "short"}"#.into()))),
        (400, (Method::POST, "/requests", "/api/v1/requests".into(), Some(who.resident), Some(r#"{"category": 1}"#.into()))),
        (200, (Method::GET, "/requests", "/api/v1/requests".into(), Some(who.resident), None)),
        (200, (Method::GET, "/requests/{tracking}", format!("/api/v1/requests/{FIRST}"), Some(who.resident), None)),
        (404, (Method::GET, "/requests/{tracking}", format!("/api/v1/requests/{FIRST}"), Some(who.volunteer), None)),
        (200, (Method::POST, "/requests/{tracking}/commands", format!("/api/v1/requests/{FIRST}/commands"), Some(who.staff), Some(r#"{"kind": "accept"}"#.into()))),
        (409, (Method::POST, "/requests/{tracking}/commands", format!("/api/v1/requests/{FIRST}/commands"), Some(who.staff), Some(r#"{"kind": "accept"}"#.into()))),
        (422, (Method::POST, "/requests/{tracking}/commands", format!("/api/v1/requests/{FIRST}/commands"), Some(who.staff), Some(r#"{"kind": "reject"}"#.into()))),
        (403, (Method::POST, "/requests/{tracking}/commands", format!("/api/v1/requests/{FIRST}/commands"), Some(who.resident), Some(r#"{"kind": "start"}"#.into()))),
        (400, (Method::POST, "/requests/{tracking}/commands", format!("/api/v1/requests/{FIRST}/commands"), Some(who.resident), Some(r#"{"kind": 7}"#.into()))),
        (404, (Method::POST, "/requests/{tracking}/commands", "/api/v1/requests/CD-20261125-999999/commands".into(), Some(who.staff), Some(r#"{"kind": "accept"}"#.into()))),
        (200, (Method::GET, "/staff/requests", "/api/v1/staff/requests?state=accepted".into(), Some(who.staff), None)),
        (422, (Method::GET, "/staff/requests", "/api/v1/staff/requests?state=lost".into(), Some(who.staff), None)),
        (400, (Method::GET, "/staff/requests", "/api/v1/staff/requests?colour=red".into(), Some(who.staff), None)),
        (403, (Method::GET, "/staff/requests", "/api/v1/staff/requests".into(), Some(who.resident), None)),
        (200, (Method::GET, "/staff/requests/stats", "/api/v1/staff/requests/stats".into(), Some(who.staff), None)),
        (401, (Method::GET, "/staff/requests/stats", "/api/v1/staff/requests/stats".into(), None, None)),
    ]
}

/// Time bank: records, confirmation, family links, gifts, statements, the pool.
#[rustfmt::skip]
fn timebank<'a>(who: Who<'a>) -> Vec<(u16, Case<'a>)> {
    // The volunteer gives a service to the resident (the session expires only at the end).
    let service = format!(
        r#"{{"recipient": "{RESIDENT}", "service": "escort", "start": {}, "duration": 90}}"#,
        START - 4 * 3600
    );
    vec![
        (200, (Method::GET, "/timebank/me", "/api/v1/timebank/me".into(), Some(who.resident), None)),
        (401, (Method::GET, "/timebank/me", "/api/v1/timebank/me".into(), None, None)),
        (201, (Method::POST, "/timebank/records", "/api/v1/timebank/records".into(), Some(who.volunteer), Some(service.clone()))),
        (201, (Method::POST, "/timebank/records", "/api/v1/timebank/records".into(), Some(who.volunteer), Some(service.clone()))),
        (422, (Method::POST, "/timebank/records", "/api/v1/timebank/records".into(), Some(who.volunteer), Some(service.replace(r#""duration": 90"#, r#""duration": 600"#)))),
        (400, (Method::POST, "/timebank/records", "/api/v1/timebank/records".into(), Some(who.volunteer), Some(r#"{"recipient": 1}"#.into()))),
        (401, (Method::POST, "/timebank/records", "/api/v1/timebank/records".into(), None, Some(service.clone()))),
        (403, (Method::POST, "/timebank/records/{id}/confirm", "/api/v1/timebank/records/0/confirm".into(), Some(who.resident), None)),
        (200, (Method::POST, "/timebank/records/{id}/confirm", "/api/v1/timebank/records/0/confirm".into(), Some(who.staff), None)),
        (200, (Method::POST, "/timebank/records/{id}/confirm", "/api/v1/timebank/records/0/confirm".into(), Some(who.staff), None)),
        (403, (Method::POST, "/timebank/records/{id}/confirm", "/api/v1/timebank/records/0/confirm".into(), Some(who.volunteer), None)),
        (404, (Method::POST, "/timebank/records/{id}/confirm", "/api/v1/timebank/records/99/confirm".into(), Some(who.staff), None)),
        (401, (Method::POST, "/timebank/records/{id}/confirm", "/api/v1/timebank/records/0/confirm".into(), None, None)),
        (200, (Method::POST, "/timebank/records/{id}/reject", "/api/v1/timebank/records/1/reject".into(), Some(who.resident), Some(r#"{"reason": "那天没有见到志愿者"}"#.into()))),
        (409, (Method::POST, "/timebank/records/{id}/reject", "/api/v1/timebank/records/0/reject".into(), Some(who.resident), Some(r#"{"reason": "记错了"}"#.into()))),
        (403, (Method::POST, "/timebank/records/{id}/reject", "/api/v1/timebank/records/1/reject".into(), Some(who.volunteer), Some(r#"{"reason": "记错了"}"#.into()))),
        (404, (Method::POST, "/timebank/records/{id}/reject", "/api/v1/timebank/records/99/reject".into(), Some(who.staff), Some(r#"{"reason": "记错了"}"#.into()))),
        (400, (Method::POST, "/timebank/records/{id}/reject", "/api/v1/timebank/records/1/reject".into(), Some(who.resident), Some("{}".into()))),
        (422, (Method::POST, "/timebank/records/{id}/reject", "/api/v1/timebank/records/1/reject".into(), Some(who.resident), Some(r#"{"reason": " "}"#.into()))),
        (401, (Method::POST, "/timebank/records/{id}/reject", "/api/v1/timebank/records/1/reject".into(), None, Some(r#"{"reason": "记错了"}"#.into()))),
        (409, (Method::POST, "/timebank/records/{id}/confirm", "/api/v1/timebank/records/1/confirm".into(), Some(who.staff), None)),
        (201, (Method::POST, "/timebank/family", "/api/v1/timebank/family".into(), Some(who.staff), Some(r#"{"person": 2, "relative": 1}"#.into()))),
        (200, (Method::POST, "/timebank/family", "/api/v1/timebank/family".into(), Some(who.staff), Some(r#"{"person": 1, "relative": 2}"#.into()))),
        (422, (Method::POST, "/timebank/family", "/api/v1/timebank/family".into(), Some(who.staff), Some(r#"{"person": 2, "relative": 2}"#.into()))),
        (400, (Method::POST, "/timebank/family", "/api/v1/timebank/family".into(), Some(who.staff), Some(r#"{"person": "王芳"}"#.into()))),
        (403, (Method::POST, "/timebank/family", "/api/v1/timebank/family".into(), Some(who.resident), Some(r#"{"person": 2, "relative": 1}"#.into()))),
        (401, (Method::POST, "/timebank/family", "/api/v1/timebank/family".into(), None, Some(r#"{"person": 2, "relative": 1}"#.into()))),
        (201, (Method::POST, "/timebank/gifts", "/api/v1/timebank/gifts".into(), Some(who.volunteer), Some(r#"{"to": 1, "minutes": 30}"#.into()))),
        (422, (Method::POST, "/timebank/gifts", "/api/v1/timebank/gifts".into(), Some(who.volunteer), Some(r#"{"to": 1, "minutes": 1000}"#.into()))),
        (400, (Method::POST, "/timebank/gifts", "/api/v1/timebank/gifts".into(), Some(who.volunteer), Some(r#"{"to": "张明", "minutes": 1}"#.into()))),
        (401, (Method::POST, "/timebank/gifts", "/api/v1/timebank/gifts".into(), None, Some(r#"{"to": 1, "minutes": 30}"#.into()))),
        (200, (Method::GET, "/timebank/statement", "/api/v1/timebank/statement".into(), Some(who.volunteer), None)),
        (200, (Method::GET, "/timebank/statement", "/api/v1/timebank/statement?limit=1".into(), Some(who.volunteer), None)),
        (422, (Method::GET, "/timebank/statement", "/api/v1/timebank/statement?limit=0".into(), Some(who.volunteer), None)),
        (400, (Method::GET, "/timebank/statement", "/api/v1/timebank/statement?page=2".into(), Some(who.volunteer), None)),
        (401, (Method::GET, "/timebank/statement", "/api/v1/timebank/statement".into(), None, None)),
        (200, (Method::GET, "/timebank/pool", "/api/v1/timebank/pool".into(), Some(who.staff), None)),
        (403, (Method::GET, "/timebank/pool", "/api/v1/timebank/pool".into(), Some(who.resident), None)),
        (401, (Method::GET, "/timebank/pool", "/api/v1/timebank/pool".into(), None, None)),
    ]
}

/// Signing out.
#[rustfmt::skip]
fn signing_out<'a>(who: Who<'a>) -> Vec<(u16, Case<'a>)> {
    vec![
        (204, (Method::DELETE, "/session", "/api/v1/session".into(), Some(who.staff), None)),
        (401, (Method::DELETE, "/session", "/api/v1/session".into(), Some(who.staff), None)),
    ]
}
/// Host sign-in: a host's server asks for codes with its credentials (HTTP Basic), the app
/// exchanges them at `POST /session`. Each row: the status, the `Authorization`, the body.
async fn host_sign_in(app: &TestApp, contract: &mut Contract) {
    use common::hosts::{add_host, basic, code_for, code_request, exchange_body, mobile_body};
    let host = add_host(app, "demo", true).await;
    let right = Some(basic(&host.client_id, &host.secret));
    let wrong = Some(basic(&host.client_id, "wrong-secret"));
    let unknown = Some(basic("host_AAAAAAAAAAAAAAAA", &host.secret));
    let codes = "/host/sign-in-codes";
    #[rustfmt::skip]
    let asked: Vec<(u16, Option<String>, String)> = vec![
        (201, right.clone(), mobile_body(RESIDENT)),
        (201, right.clone(), mobile_body("13912345678")),
        (401, wrong.clone(), mobile_body(RESIDENT)),
        (401, unknown.clone(), mobile_body(RESIDENT)),
        (401, None, mobile_body(RESIDENT)),
        (422, right.clone(), mobile_body("12345")),
        (400, right.clone(), "{".into()),
        (400, right.clone(), r#"{"mobile": 13800000001}"#.into()),
    ];
    for (status, authorization, body) in asked {
        let reply = app
            .send(code_request(authorization.as_deref(), &body))
            .await;
        assert_eq!(reply.status.as_u16(), status, "{body}: {}", reply.text);
        contract.check(&Method::POST, codes, status, &reply.body, &reply.text);
    }
    let code = code_for(app, &host, RESIDENT).await;
    let newcomer = code_for(app, &host, "13912345678").await;
    let mixed = format!(r#"{{"host_code": "{code}", "password": "x"}}"#);
    #[rustfmt::skip]
    let exchanged: Vec<(u16, Case)> = vec![
        (201, (Method::POST, "/session", "/api/v1/session".into(), None, Some(exchange_body(&code)))),
        (401, (Method::POST, "/session", "/api/v1/session".into(), None, Some(exchange_body(&code)))),
        (201, (Method::POST, "/session", "/api/v1/session".into(), None, Some(exchange_body(&newcomer)))),
        (401, (Method::POST, "/session", "/api/v1/session".into(), None, Some(exchange_body("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")))),
        (422, (Method::POST, "/session", "/api/v1/session".into(), None, Some(exchange_body("short")))),
        (400, (Method::POST, "/session", "/api/v1/session".into(), None, Some(mixed))),
    ];
    expect_all(app, contract, exchanged).await;
    // Wrong secrets are counted first: after the free ones, even the right secret waits.
    for _ in 0..citizen_core::throttle::SIGN_IN_FAILURES_PER_NUMBER {
        let _ = app
            .send(code_request(wrong.as_deref(), &mobile_body(RESIDENT)))
            .await;
    }
    let limited = app
        .send(code_request(right.as_deref(), &mobile_body(RESIDENT)))
        .await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    contract.check(&Method::POST, codes, 429, &limited.body, &limited.text);
}

/// Signing up and resetting a password with an SMS code (the `log` sender's `sms.log` holds the
/// codes). Each row: the status, the route, the body.
async fn sms_codes(app: &TestApp, contract: &mut Contract) {
    use common::sms::{account_body, ask, nth_code, reset_body};
    // Fresh sign-in windows for the address (the tries count with sign-ins).
    app.clock.advance(16 * 60);
    let newcomer = "13912340001";
    #[rustfmt::skip]
    let requests: Vec<(u16, Case)> = vec![
        (202, (Method::POST, "/sms-codes", "/api/v1/sms-codes".into(), None, Some(format!(r#"{{"mobile": "{newcomer}", "purpose": "sign-up"}}"#)))),
        (202, (Method::POST, "/sms-codes", "/api/v1/sms-codes".into(), None, Some(format!(r#"{{"mobile": "{RESIDENT}", "purpose": "reset"}}"#)))),
        (422, (Method::POST, "/sms-codes", "/api/v1/sms-codes".into(), None, Some(r#"{"mobile": "13912340001", "purpose": "sign-in"}"#.into()))),
        (400, (Method::POST, "/sms-codes", "/api/v1/sms-codes".into(), None, Some("{".into()))),
        (422, (Method::POST, "/sms-codes", "/api/v1/sms-codes".into(), None, Some(r#"{"mobile": "12345", "purpose": "reset"}"#.into()))),
    ];
    expect_all(app, contract, requests).await;
    let sign_up = nth_code(app, newcomer, 1).await;
    let reset = nth_code(app, RESIDENT, 1).await;
    let wrong = if sign_up == "000000" {
        "000001"
    } else {
        "000000"
    };
    #[rustfmt::skip]
    let used: Vec<(u16, Case)> = vec![
        (422, (Method::POST, "/accounts", "/api/v1/accounts".into(), None, Some(account_body(newcomer, &sign_up, "short", "demo")))),
        (404, (Method::POST, "/accounts", "/api/v1/accounts".into(), None, Some(account_body(newcomer, &sign_up, "long enough", "nowhere")))),
        (400, (Method::POST, "/accounts", "/api/v1/accounts".into(), None, Some(r#"{"mobile": "13912340001"}"#.into()))),
        (401, (Method::POST, "/accounts", "/api/v1/accounts".into(), None, Some(account_body(newcomer, wrong, "long enough", "demo")))),
        (201, (Method::POST, "/accounts", "/api/v1/accounts".into(), None, Some(account_body(newcomer, &sign_up, "long enough", "demo")))),
        (422, (Method::POST, "/password-reset", "/api/v1/password-reset".into(), None, Some(reset_body(RESIDENT, &reset, "12345678")))),
        (422, (Method::POST, "/password-reset", "/api/v1/password-reset".into(), None, Some(reset_body(RESIDENT, "1", DEMO_PASSWORD)))),
        (400, (Method::POST, "/password-reset", "/api/v1/password-reset".into(), None, Some(r#"{"mobile": "13800000001"}"#.into()))),
        (401, (Method::POST, "/password-reset", "/api/v1/password-reset".into(), None, Some(reset_body(newcomer, &sign_up, "long enough")))),
        (204, (Method::POST, "/password-reset", "/api/v1/password-reset".into(), None, Some(reset_body(RESIDENT, &reset, DEMO_PASSWORD)))),
    ];
    expect_all(app, contract, used).await;
    // A number's codes for the day: ten, a minute apart; the eleventh is refused.
    let busy = "13912340002";
    for _ in 0..citizen_core::throttle::SMS_CODES_PER_NUMBER_PER_DAY {
        assert_eq!(ask(app, busy, "sign-up").await.status, 202);
        app.clock.advance(61);
    }
    let limited = ask(app, busy, "sign-up").await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    contract.check(
        &Method::POST,
        "/sms-codes",
        429,
        &limited.body,
        &limited.text,
    );
}

/// Sends one request and checks its reply against the document.
async fn exchange(
    app: &TestApp,
    contract: &mut Contract,
    (method, template, uri, token, body): Case<'_>,
) -> Reply {
    let builder = with_token(Request::builder().method(method.clone()).uri(&uri), token);
    let request = match body {
        Some(body) => builder
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    };
    let reply = app.send(request).await;
    contract.check(
        &method,
        template,
        reply.status.as_u16(),
        &reply.body,
        &reply.text,
    );
    reply
}

/// Sends each case and checks its reply's status (and, through [`exchange`], its shape).
async fn expect_all<'a>(
    app: &TestApp,
    contract: &mut Contract,
    cases: impl IntoIterator<Item = (u16, Case<'a>)>,
) {
    for (status, case) in cases {
        let what = format!("{} {}", case.0, case.2);
        let reply = exchange(app, contract, case).await;
        assert_eq!(reply.status.as_u16(), status, "{what}: {}", reply.text);
    }
}

/// A signed-in person's receipts at a city: on a server whose config names a city endpoint, and
/// on `app`, whose config names none.
async fn city_receipts(app: &TestApp, contract: &mut Contract) {
    let city = spawn_city_app("https://311.city.example/georeport/v2/", None).await;
    let resident = city.sign_in(RESIDENT).await;
    let uri = || "/api/v1/me/city-requests".to_owned();
    let path = "/me/city-requests";
    let body = |json: &str| Some(json.to_owned());
    #[rustfmt::skip]
    let cases = vec![
        (201, (Method::POST, path, uri(), Some(resident.as_str()), body(r#"{"token": "tok-1"}"#))),
        (200, (Method::POST, path, uri(), Some(resident.as_str()), body(r#"{"token": "tok-1", "id": "YL-000001"}"#))),
        (422, (Method::POST, path, uri(), Some(resident.as_str()), body(r#"{"id": "YL 1"}"#))),
        (400, (Method::POST, path, uri(), Some(resident.as_str()), body(r#"{"id": 1}"#))),
        (401, (Method::POST, path, uri(), None, body(r#"{"id": "YL-000001"}"#))),
        (200, (Method::GET, path, uri(), Some(resident.as_str()), None)),
        (401, (Method::GET, path, uri(), None, None)),
    ];
    expect_all(&city, contract, cases).await;
    let resident = app.sign_in(RESIDENT).await;
    #[rustfmt::skip]
    let cases = vec![
        (409, (Method::POST, path, uri(), Some(resident.as_str()), body(r#"{"id": "YL-000001"}"#))),
        (409, (Method::GET, path, uri(), Some(resident.as_str()), None)),
    ];
    expect_all(app, contract, cases).await;
}

/// `resident` redeems an eco-bag; the redemption's number.
async fn buy_a_bag(app: &TestApp, contract: &mut Contract, resident: &str) -> u64 {
    let path = "/api/v1/volunteer/mall/eco-bag/redeem".to_owned();
    let redeem = "/volunteer/mall/{id}/redeem";
    let case = (
        Method::POST,
        redeem,
        path,
        Some(resident),
        Some("null".to_owned()),
    );
    let bought = exchange(app, contract, case).await;
    assert_eq!(bought.status, 200, "{}", bought.text);
    bought.body["seq"].as_u64().unwrap()
}

/// Volunteering: activities, check-in, verification, points, the mall, the leaderboard; each
/// operation's answers, the refusals included. Staff sign in again (the main cases signed out).
async fn volunteering(app: &TestApp, contract: &mut Contract, resident: &str, volunteer: &str) {
    use citizen_core::volunteer::{CheckInSecret, code_at};
    let staff = app.sign_in(STAFF).await;
    let staff = staff.as_str();
    let me = app.get("/api/v1/me", Some(resident)).await.body["id"]
        .as_i64()
        .unwrap();
    let hex: String = app
        .db()
        .query_row(
            "SELECT secret FROM volunteer_activities WHERE id = 'demo-clean-up'",
            (),
            |r| r.get(0),
        )
        .unwrap();
    let code = code_at(&CheckInSecret::parse_hex(&hex).unwrap(), START).to_string();
    let draft = format!(
        r#"{{"title": "楼道清扫", "place": "3 栋", "start": {}, "end": {}, "slots": 5, "award": {{"kind": "per_hour", "per_hour": 10, "cap": 40}}}}"#,
        START + 3600,
        START + 7200
    );
    let activities = "/volunteer/activities";
    let activity = "/volunteer/activities/{id}";
    let signup = "/volunteer/activities/{id}/signup";
    let checkin = "/volunteer/activities/{id}/checkin";
    let checkout = "/volunteer/activities/{id}/checkout";
    let display = "/volunteer/activities/{id}/code";
    let attendees = "/volunteer/activities/{id}/attendees";
    let verify = "/volunteer/activities/{id}/attendees/{person}/verify";
    let mall = "/volunteer/mall";
    let restock = "/volunteer/mall/{id}/restock";
    let redeem = "/volunteer/mall/{id}/redeem";
    let cancel = "/volunteer/redemptions/{seq}/cancel";
    let leaderboard = "/volunteer/leaderboard";
    let v = |path: &str| format!("/api/v1/volunteer/{path}");
    let body = |text: &str| Some(text.to_owned());
    let null = || body("null");
    let minutes = |n: &str| body(&format!(r#"{{"minutes": {n}}}"#));
    // (the status each answers, the case)
    #[rustfmt::skip]
    let cases: Vec<(u16, Case)> = vec![
        (200, (Method::GET, activities, v("activities"), Some(resident), None)),
        (401, (Method::GET, activities, v("activities"), None, None)),
        (201, (Method::POST, activities, v("activities"), Some(staff), Some(draft.clone()))),
        (403, (Method::POST, activities, v("activities"), Some(resident), Some(draft.clone()))),
        (422, (Method::POST, activities, v("activities"), Some(staff), Some(draft.replace("楼道清扫", "x")))),
        (400, (Method::POST, activities, v("activities"), Some(staff), body(r#"{"title": 1}"#))),
        (200, (Method::GET, activity, v("activities/demo-clean-up"), Some(resident), None)),
        (404, (Method::GET, activity, v("activities/nope"), Some(resident), None)),
        (200, (Method::PUT, activity, v("activities/demo-elder-visit"), Some(staff), Some(draft.clone()))),
        (409, (Method::PUT, activity, v("activities/demo-health-fair"), Some(staff), Some(draft.clone()))),
        (404, (Method::PUT, activity, v("activities/nope"), Some(staff), Some(draft.clone()))),
        (403, (Method::PUT, activity, v("activities/demo-elder-visit"), Some(resident), Some(draft.clone()))),
        (422, (Method::PUT, activity, v("activities/demo-elder-visit"), Some(staff), Some(draft.replace(r#""slots": 5"#, r#""slots": 0"#)))),
        (400, (Method::PUT, activity, v("activities/demo-elder-visit"), Some(staff), body("[]"))),
        (200, (Method::POST, signup, v("activities/demo-clean-up/signup"), Some(resident), null())),
        (409, (Method::POST, signup, v("activities/demo-clean-up/signup"), Some(resident), null())),
        (404, (Method::POST, signup, v("activities/nope/signup"), Some(resident), null())),
        (200, (Method::POST, signup, v("activities/demo-elder-visit/signup"), Some(volunteer), null())),
        (200, (Method::DELETE, signup, v("activities/demo-elder-visit/signup"), Some(volunteer), None)),
        (409, (Method::DELETE, signup, v("activities/demo-elder-visit/signup"), Some(volunteer), None)),
        (404, (Method::DELETE, signup, v("activities/nope/signup"), Some(volunteer), None)),
        (422, (Method::POST, checkin, v("activities/demo-clean-up/checkin"), Some(resident), body("{\"code\": \"12a\"}"))),
        (400, (Method::POST, checkin, v("activities/demo-clean-up/checkin"), Some(resident), body(r#"{"code": 1}"#))),
        (200, (Method::POST, checkin, v("activities/demo-clean-up/checkin"), Some(resident), body(&format!(r#"{{"code": "{code}"}}"#)))),
        (409, (Method::POST, checkin, v("activities/demo-clean-up/checkin"), Some(resident), body(&format!(r#"{{"code": "{code}"}}"#)))),
        (404, (Method::POST, checkin, v("activities/nope/checkin"), Some(resident), body(&format!(r#"{{"code": "{code}"}}"#)))),
        (200, (Method::POST, checkout, v("activities/demo-clean-up/checkout"), Some(resident), null())),
        (409, (Method::POST, checkout, v("activities/demo-clean-up/checkout"), Some(resident), null())),
        (404, (Method::POST, checkout, v("activities/nope/checkout"), Some(resident), null())),
        (200, (Method::GET, display, v("activities/demo-clean-up/code"), Some(staff), None)),
        (403, (Method::GET, display, v("activities/demo-clean-up/code"), Some(resident), None)),
        (404, (Method::GET, display, v("activities/nope/code"), Some(staff), None)),
        (200, (Method::GET, attendees, v("activities/demo-clean-up/attendees"), Some(staff), None)),
        (403, (Method::GET, attendees, v("activities/demo-clean-up/attendees"), Some(resident), None)),
        (404, (Method::GET, attendees, v("activities/nope/attendees"), Some(staff), None)),
        (200, (Method::POST, verify, v(&format!("activities/demo-clean-up/attendees/{me}/verify")), Some(staff), minutes("60"))),
        (409, (Method::POST, verify, v(&format!("activities/demo-clean-up/attendees/{me}/verify")), Some(staff), minutes("60"))),
        (403, (Method::POST, verify, v(&format!("activities/demo-clean-up/attendees/{me}/verify")), Some(resident), minutes("60"))),
        (404, (Method::POST, verify, v(&format!("activities/nope/attendees/{me}/verify")), Some(staff), minutes("60"))),
        (422, (Method::POST, verify, v(&format!("activities/demo-clean-up/attendees/{me}/verify")), Some(staff), minutes("2000"))),
        (400, (Method::POST, verify, v(&format!("activities/demo-clean-up/attendees/{me}/verify")), Some(staff), minutes("\"an hour\""))),
        (200, (Method::GET, "/volunteer/points", v("points"), Some(resident), None)),
        (401, (Method::GET, "/volunteer/points", v("points"), None, None)),
        (200, (Method::GET, mall, v("mall"), Some(resident), None)),
        (401, (Method::GET, mall, v("mall"), None, None)),
        (201, (Method::POST, mall, v("mall"), Some(staff), body(r#"{"name": "水杯", "price": 30, "stock": 2}"#))),
        (403, (Method::POST, mall, v("mall"), Some(resident), body(r#"{"name": "水杯", "price": 30, "stock": 2}"#))),
        (422, (Method::POST, mall, v("mall"), Some(staff), body(r#"{"name": "x", "price": 30, "stock": 2}"#))),
        (400, (Method::POST, mall, v("mall"), Some(staff), body("{}"))),
        (200, (Method::POST, restock, v("mall/eco-bag/restock"), Some(staff), body(r#"{"quantity": 5}"#))),
        (403, (Method::POST, restock, v("mall/eco-bag/restock"), Some(resident), body(r#"{"quantity": 5}"#))),
        (404, (Method::POST, restock, v("mall/nope/restock"), Some(staff), body(r#"{"quantity": 5}"#))),
        (422, (Method::POST, restock, v("mall/eco-bag/restock"), Some(staff), body(r#"{"quantity": 0}"#))),
        (400, (Method::POST, restock, v("mall/eco-bag/restock"), Some(staff), body("{}"))),
        (409, (Method::POST, redeem, v("mall/movie-ticket/redeem"), Some(resident), null())),
        (404, (Method::POST, redeem, v("mall/nope/redeem"), Some(resident), null())),
        (401, (Method::POST, redeem, v("mall/eco-bag/redeem"), None, null())),
        (409, (Method::POST, cancel, v("redemptions/0/cancel"), Some(resident), null())),
        (404, (Method::POST, cancel, v("redemptions/999/cancel"), Some(resident), null())),
        (200, (Method::GET, leaderboard, v("leaderboard"), Some(resident), None)),
        (200, (Method::GET, leaderboard, v("leaderboard?month=2026-10"), Some(resident), None)),
        (422, (Method::GET, leaderboard, v("leaderboard?month=2026-13"), Some(resident), None)),
        (400, (Method::GET, leaderboard, v("leaderboard?year=2026"), Some(resident), None)),
    ];
    expect_all(app, contract, cases).await;
    let seq = buy_a_bag(app, contract, resident).await;
    // Someone else's, mine, mine again.
    for (token, status) in [(volunteer, 403), (resident, 200), (resident, 409)] {
        let reply = exchange(
            app,
            contract,
            (
                Method::POST,
                cancel,
                v(&format!("redemptions/{seq}/cancel")),
                Some(token),
                null(),
            ),
        )
        .await;
        assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    }

    // The counter: a second bag waits; a resident may not hand it over, staff may, once; after
    // that the resident may not cancel it.
    let seq = buy_a_bag(app, contract, resident).await;
    let redemptions = "/volunteer/redemptions";
    let handover = "/volunteer/redemptions/{seq}/handover";
    #[rustfmt::skip]
    let counter: Vec<(u16, Case)> = vec![
        (200, (Method::GET, redemptions, v("redemptions"), Some(resident), None)),
        (200, (Method::GET, redemptions, v("redemptions?state=waiting"), Some(staff), None)),
        (422, (Method::GET, redemptions, v("redemptions?state=lost"), Some(staff), None)),
        (400, (Method::GET, redemptions, v("redemptions?colour=red"), Some(staff), None)),
        (401, (Method::GET, redemptions, v("redemptions"), None, None)),
        (403, (Method::POST, handover, v(&format!("redemptions/{seq}/handover")), Some(resident), null())),
        (200, (Method::POST, handover, v(&format!("redemptions/{seq}/handover")), Some(staff), null())),
        (409, (Method::POST, handover, v(&format!("redemptions/{seq}/handover")), Some(staff), null())),
        (404, (Method::POST, handover, v("redemptions/999/handover"), Some(staff), null())),
        (401, (Method::POST, handover, v(&format!("redemptions/{seq}/handover")), None, null())),
        (409, (Method::POST, cancel, v(&format!("redemptions/{seq}/cancel")), Some(resident), null())),
        (200, (Method::GET, redemptions, v("redemptions?state=handed_over"), Some(resident), None)),
        (200, (Method::POST, cancel, v(&format!("redemptions/{seq}/cancel")), Some(staff), null())),
    ];
    expect_all(app, contract, counter).await;
}

/// The path templates the app serves under `/api/v1`, relative to it, as its router holds them.
/// An axum `Router` lists its routes only in its `Debug` output (each route's template, quoted);
/// the check below also requires every documented path among them, so a change to that output
/// fails the test instead of emptying the list.
fn served_api_paths(router: &axum::Router) -> BTreeSet<String> {
    let listing = format!("{router:?}");
    listing
        .split('"')
        .filter_map(|quoted| quoted.strip_prefix("/api/v1"))
        .filter(|path| path.starts_with('/') && !path.contains("{*"))
        .map(str::to_owned)
        .collect()
}

/// What the app serves under `/api/v1` that the document does not list: each path the router
/// holds must be documented (the document's own route aside), and on each documented path, a
/// method the document lacks must be the router's 405.
async fn undocumented_routes(app: &TestApp, contract: &Contract, token: &str) -> Vec<String> {
    const OWN: &str = "/openapi.json";
    let paths = contract.doc["paths"].as_object().unwrap();
    let served = served_api_paths(&app.router);
    let mut problems: Vec<String> = paths
        .keys()
        .filter(|path| !served.contains(*path))
        .map(|path| {
            format!("{path} is documented but not among the router's paths (its listing changed?)")
        })
        .collect();
    assert!(served.contains(OWN), "the router's listing lacks {OWN}");
    for path in served.iter().filter(|path| path.as_str() != OWN) {
        let Some(item) = paths.get(path) else {
            problems.push(format!("{path} is served but not in the document"));
            continue;
        };
        // Each `{param}` filled in; the route answers, whatever the value.
        let uri: String = path
            .split('/')
            .map(|part| if part.starts_with('{') { "1" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            if item.get(method.as_str().to_lowercase()).is_some() {
                continue;
            }
            let request = with_token(
                Request::builder()
                    .method(method.clone())
                    .uri(format!("/api/v1{uri}")),
                Some(token),
            )
            .body(Body::empty())
            .unwrap();
            let reply = app.send(request).await;
            if reply.status != 405 {
                problems.push(format!(
                    "{method} {path} answers {} but is not in the document: {}",
                    reply.status, reply.text
                ));
            }
        }
    }
    problems
}

#[tokio::test]
async fn every_served_api_route_is_in_the_document() {
    let app = spawn_app().await;
    let contract = Contract::served_by(&app).await;
    let token = app.sign_in(RESIDENT).await;
    let problems = undocumented_routes(&app, &contract, &token).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn the_route_check_catches_an_undocumented_route() {
    async fn hidden() -> &'static str {
        "not in the document"
    }
    let extra = axum::Router::new()
        .route("/api/v1/hidden", axum::routing::get(hidden))
        .route("/api/v1/timebank/pool", axum::routing::delete(hidden));
    let app = spawn_app_with_routes("/", |_| {}, extra).await;
    let contract = Contract::served_by(&app).await;
    let token = app.sign_in(RESIDENT).await;
    let problems = undocumented_routes(&app, &contract, &token).await;
    assert_eq!(
        problems,
        [
            "/hidden is served but not in the document",
            "DELETE /timebank/pool answers 200 OK but is not in the document: not in the document",
        ],
        "{problems:?}"
    );
}

#[tokio::test]
async fn the_contract_check_catches_an_undocumented_field() {
    let app = spawn_app().await;
    let mut contract = Contract::served_by(&app).await;
    let token = app.sign_in(RESIDENT).await;
    let mut me = app.get("/api/v1/me", Some(&token)).await.body;
    me["password_hash"] = json!("leaked");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        contract.check(&Method::GET, "/me", 200, &me, "")
    }));
    let panic = result.expect_err("an extra field must fail the contract check");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("does not match") && message.contains("password_hash"),
        "{message}"
    );
}
