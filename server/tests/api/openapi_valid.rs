//! The OpenAPI document the server serves is a valid OpenAPI 3.1 document, and says exactly what
//! the server checks: it validates against the OpenAPI Initiative's 3.1 schema, each of its
//! schemas is a valid JSON Schema (2020-12) whose patterns compile, every reference resolves,
//! operation ids are unique, path parameters are those of the path and every other parameter
//! is where it is sent (query strings `in: query`), every POST takes the constrained
//! `Idempotency-Key`, every JSON body documents 400, 413 and 415, and the bounds and patterns of
//! the fields are the core's own: each bound is accepted by the core's check and one step beyond
//! it is refused.
//!
//! `data/oas-3.1-schema.json` is the OpenAPI Initiative's published schema for OpenAPI 3.1
//! documents (`https://spec.openapis.org/oas/3.1/schema/2022-10-07`, Apache-2.0), as shipped in
//! the `openapi-spec-validator` package on PyPI.

use crate::common;

use citizen_core::georeport::receipt::ReceiptRef;
use citizen_core::phone::MobileNumber;
use citizen_core::requests::{PhotoId, Stars};
use citizen_core::text::Description;
use citizen_core::timebank::{ServiceDuration, ServiceNote};
use citizen_core::volunteer::{
    ActivityDetails, ActivityPlace, ActivityTitle, CheckInCode, ItemDetails, ItemName, Month,
    Points, RestockQuantity, Slots, VerifiedMinutes,
};
use common::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const OAS_3_1: &str = include_str!("data/oas-3.1-schema.json");
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

async fn served() -> Value {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(reply.status, 200);
    reply.body
}

/// `#/a/b` in `doc`.
fn pointer<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// The schema itself, references followed.
fn resolved<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        match pointer(doc, reference) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push((method.to_owned(), path.clone(), operation));
            }
        }
    }
    out
}

/// Every schema object in the document: components and those inline in operations.
fn schemas(doc: &Value) -> Vec<(String, &Value)> {
    let mut out: Vec<(String, &Value)> = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| (format!("#/components/schemas/{name}"), schema))
        .collect();
    for (method, path, operation) in operations(doc) {
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap_or_default();
            out.push((
                format!("{method} {path} parameter {name}"),
                &parameter["schema"],
            ));
        }
        let bodies = operation["requestBody"]["content"].as_object();
        for (media, content) in bodies.into_iter().flatten() {
            out.push((format!("{method} {path} body {media}"), &content["schema"]));
        }
        for (status, response) in operation["responses"].as_object().into_iter().flatten() {
            for (media, content) in response["content"].as_object().into_iter().flatten() {
                out.push((
                    format!("{method} {path} {status} {media}"),
                    &content["schema"],
                ));
            }
        }
    }
    out.retain(|(_, schema)| !schema.is_null());
    out
}

/// `schema` as a standalone JSON Schema, with the document's components beside it.
fn standalone(doc: &Value, schema: &Value) -> Value {
    let mut root = schema.clone();
    if let Value::Object(map) = &mut root {
        map.insert("components".into(), doc["components"].clone());
        map.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
    }
    root
}

/// Everything wrong with `doc` as an OpenAPI 3.1 document of this API; empty when nothing is.
fn problems(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();

    let oas: Value = serde_json::from_str(OAS_3_1).expect("the OpenAPI 3.1 schema is JSON");
    let oas = jsonschema::validator_for(&oas).expect("the OpenAPI 3.1 schema compiles");
    problems.extend(
        oas.iter_errors(doc)
            .map(|e| format!("OpenAPI 3.1: {e} at {}", e.instance_path())),
    );

    for (at, schema) in schemas(doc) {
        let root = standalone(doc, schema);
        if let Err(e) = jsonschema::meta::validate(&root) {
            problems.push(format!("{at}: not a JSON Schema: {e}"));
        } else if let Err(e) = jsonschema::validator_for(&root) {
            problems.push(format!("{at}: unusable schema: {e}"));
        }
    }

    let text = doc.to_string();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("\"$ref\":\"") {
        rest = &rest[at + 8..];
        let reference = &rest[..rest.find('"').unwrap_or(0)];
        if pointer(doc, reference).is_none() {
            problems.push(format!("{reference} does not resolve"));
        }
    }

    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (method, path, operation) in operations(doc) {
        let what = format!("{} {path}", method.to_uppercase());
        match operation["operationId"].as_str() {
            Some(id) => ids.entry(id.to_owned()).or_default().push(what.clone()),
            None => problems.push(format!("{what}: no operationId")),
        }

        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut seen = BTreeSet::new();
        for p in &parameters {
            let key = (
                p["name"].as_str().unwrap_or_default(),
                p["in"].as_str().unwrap_or_default(),
            );
            if !seen.insert(key) {
                problems.push(format!("{what}: parameter {key:?} twice"));
            }
        }
        let in_template: BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let in_path: BTreeSet<&str> = parameters
            .iter()
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str())
            .collect();
        if in_template != in_path {
            problems.push(format!(
                "{what}: the path's parameters are {in_template:?}, the document's `in: path` ones {in_path:?}"
            ));
        }

        let responses = &operation["responses"];
        let documents = |status: &str| responses.get(status).is_some();
        if operation.get("security").is_some() && !documents("401") {
            problems.push(format!("{what}: needs a sign-in but documents no 401"));
        }
        let takes_json = operation["requestBody"]["content"]
            .get("application/json")
            .is_some();
        for status in ["400", "413", "415"] {
            if takes_json && !documents(status) {
                problems.push(format!("{what}: takes JSON but documents no {status}"));
            }
        }
        if method == "post" {
            for status in ["409", "413", "422"] {
                if !documents(status) {
                    problems.push(format!(
                        "{what}: a POST (Idempotency-Key, body limit) but documents no {status}"
                    ));
                }
            }
            let key = parameters
                .iter()
                .find(|p| p["in"] == "header" && p["name"] == "Idempotency-Key");
            let expected = json!({
                "type": "string", "minLength": 1, "maxLength": 255,
                "pattern": r"^[\x21-\x7E]{1,255}$",
            });
            match key {
                Some(key) if key["required"] != json!(true) && key["schema"] == expected => {}
                Some(key) => problems.push(format!(
                    "{what}: Idempotency-Key is not the optional 1–255 visible ASCII string: {key}"
                )),
                None => problems.push(format!("{what}: no Idempotency-Key header")),
            }
        }
    }
    for (id, operations) in ids {
        if operations.len() > 1 {
            problems.push(format!("operationId {id} is used by {operations:?}"));
        }
    }
    problems
}

#[tokio::test]
async fn the_served_document_is_valid_openapi_3_1() {
    let doc = served().await;
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..4]), Some("3.1."));
    let problems = problems(&doc);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn each_kind_of_mistake_is_caught() {
    let good = served().await;
    type Break = fn(&mut Value);
    let mistakes: [(&str, Break); 7] = [
        ("a query parameter declared in the path", |doc| {
            doc["paths"]["/tiles"]["get"]["parameters"][0]["in"] = json!("path");
            doc["paths"]["/tiles"]["get"]["parameters"][0]["required"] = json!(true);
        }),
        ("an operation id twice", |doc| {
            doc["paths"]["/people"]["get"]["operationId"] = json!("me");
        }),
        ("a nullable Idempotency-Key", |doc| {
            let parameters = doc["paths"]["/session"]["post"]["parameters"]
                .as_array_mut()
                .unwrap();
            for p in parameters {
                if p["name"] == "Idempotency-Key" {
                    p["schema"] = json!({"type": ["string", "null"]});
                }
            }
        }),
        ("a JSON body without its 415", |doc| {
            doc["paths"]["/session"]["post"]["responses"]
                .as_object_mut()
                .unwrap()
                .remove("415");
        }),
        ("a reference to nothing", |doc| {
            doc["paths"]["/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
                json!({"$ref": "#/components/schemas/Nobody"});
        }),
        ("a pattern that is no regular expression", |doc| {
            doc["components"]["schemas"]["PhotoId"]["pattern"] = json!("^[0-9a-f{32}$");
        }),
        ("no valid OpenAPI", |doc| {
            doc["paths"]["/me"]["get"]["responses"] = json!("200");
        }),
    ];
    for (what, mistake) in mistakes {
        let mut doc = good.clone();
        mistake(&mut doc);
        assert!(!problems(&doc).is_empty(), "{what} went unnoticed");
    }
}

/// The schema at `at` (a JSON pointer into the document), references followed.
fn field<'a>(doc: &'a Value, at: &str) -> &'a Value {
    let schema = pointer(doc, at).unwrap_or_else(|| panic!("nothing at {at}"));
    resolved(doc, schema)
}

/// An integer field's bounds are those of the core: each is accepted, one beyond is refused.
fn integer_bounds(doc: &Value, at: &str, accepts: impl Fn(i64) -> bool) {
    let schema = field(doc, at);
    let (min, max) = (schema["minimum"].as_i64(), schema["maximum"].as_i64());
    let (Some(min), Some(max)) = (min, max) else {
        panic!("{at} has no minimum and maximum: {schema}");
    };
    assert!(
        accepts(min) && accepts(max),
        "{at}: the core refuses {min} or {max}"
    );
    assert!(!accepts(max + 1), "{at}: the core accepts {}", max + 1);
    if min > 0 {
        assert!(!accepts(min - 1), "{at}: the core accepts {}", min - 1);
    }
}

/// A text field's lengths are those of the core (counted in characters).
fn length_bounds(doc: &Value, at: &str, accepts: impl Fn(&str) -> bool) {
    let schema = field(doc, at);
    let (min, max) = (schema["minLength"].as_u64(), schema["maxLength"].as_u64());
    let (Some(min), Some(max)) = (min, max) else {
        panic!("{at} has no minLength and maxLength: {schema}");
    };
    let text = |n: u64| "字".repeat(n as usize);
    assert!(
        accepts(&text(min)) && accepts(&text(max)),
        "{at}: {min}–{max}"
    );
    assert!(
        !accepts(&text(max + 1)),
        "{at}: the core accepts {}",
        max + 1
    );
    if min > 0 {
        assert!(
            !accepts(&text(min - 1)),
            "{at}: the core accepts {}",
            min - 1
        );
    }
}

/// A string field's pattern agrees with the core's check on each sample.
fn pattern_agrees(doc: &Value, at: &str, samples: &[&str], accepts: impl Fn(&str) -> bool) {
    let schema = field(doc, at);
    assert!(
        schema["pattern"].is_string(),
        "{at} has no pattern: {schema}"
    );
    let validator = jsonschema::validator_for(&standalone(doc, schema)).unwrap();
    for sample in samples {
        assert_eq!(
            validator.is_valid(&json!(sample)),
            accepts(sample),
            "{at}: the pattern and the core disagree on {sample:?}"
        );
    }
}

fn u32_of(n: i64) -> Option<u32> {
    u32::try_from(n).ok()
}

#[tokio::test]
async fn bounds_and_patterns_are_the_cores() {
    let doc = served().await;
    let schemas = "#/components/schemas";

    integer_bounds(
        &doc,
        &format!("{schemas}/LogService/properties/duration"),
        |n| u32_of(n).is_some_and(|n| ServiceDuration::new(n).is_ok()),
    );
    integer_bounds(
        &doc,
        &format!("{schemas}/ActivityDraft/properties/slots"),
        |n| u32_of(n).is_some_and(|n| Slots::new(n).is_ok()),
    );
    for at in ["NewMallItem/properties/price", "Points"] {
        integer_bounds(&doc, &format!("{schemas}/{at}"), |n| {
            u32_of(n).is_some_and(|n| Points::new(n).is_ok())
        });
    }
    for at in [
        "NewMallItem/properties/stock",
        "Restock/properties/quantity",
    ] {
        integer_bounds(&doc, &format!("{schemas}/{at}"), |n| {
            u32_of(n).is_some_and(|n| RestockQuantity::new(n).is_ok())
        });
    }
    integer_bounds(
        &doc,
        &format!("{schemas}/VerifyAttendance/properties/minutes"),
        // The type holds 0 (a ledger line may carry it), but verifying 0 minutes is refused by
        // the core's verify rule (`zero_minutes`), so the document's minimum is 1.
        |n| u32_of(n).is_some_and(|n| n > 0 && VerifiedMinutes::new(n).is_ok()),
    );
    integer_bounds(
        &doc,
        &format!("{schemas}/CommandBody/properties/stars"),
        |n| u8::try_from(n).ok().and_then(Stars::new).is_some(),
    );

    length_bounds(
        &doc,
        &format!("{schemas}/NewRequest/properties/description"),
        |s| Description::parse(s).is_ok(),
    );
    type Accepts = fn(&str) -> bool;
    let texts: [(&str, Accepts); 7] = [
        ("RejectService/properties/reason", |s| {
            ServiceNote::parse(s).is_ok()
        }),
        ("LogService/properties/note", |s| {
            ServiceNote::parse(s).is_ok()
        }),
        ("ActivityDraft/properties/title", |s| {
            ActivityTitle::parse(s).is_ok()
        }),
        ("ActivityDraft/properties/place", |s| {
            ActivityPlace::parse(s).is_ok()
        }),
        ("ActivityDraft/properties/details", |s| {
            ActivityDetails::parse(s).is_ok()
        }),
        ("NewMallItem/properties/name", |s| {
            ItemName::parse(s).is_ok()
        }),
        ("NewMallItem/properties/details", |s| {
            ItemDetails::parse(s).is_ok()
        }),
    ];
    for (at, accepts) in texts {
        length_bounds(&doc, &format!("{schemas}/{at}"), accepts);
    }

    for at in [
        "NewCityReceipt/properties/id",
        "NewCityReceipt/properties/token",
    ] {
        let at = format!("{schemas}/{at}");
        length_bounds(&doc, &at, |s| ReceiptRef::parse(s).is_ok());
        pattern_agrees(
            &doc,
            &at,
            &[
                "YL-000001",
                "令牌/7f3a",
                "YL 1",
                " a",
                "a\n",
                "a\u{0}b",
                "a\u{3000}b",
                "a\u{7f}",
            ],
            |s| ReceiptRef::parse(s).is_ok(),
        );
    }

    pattern_agrees(
        &doc,
        &format!("{schemas}/SignIn/properties/mobile"),
        &[
            "13800000001",
            "19912345678",
            "12800000001",
            "1380000000",
            "138000000012",
            "1380000000a",
            "",
        ],
        |s| MobileNumber::parse(s).is_ok(),
    );
    pattern_agrees(
        &doc,
        &format!("{schemas}/HostCodeRequest/properties/mobile"),
        &["13800000001", "12800000001", "1380000000", ""],
        |s| MobileNumber::parse(s).is_ok(),
    );
    let (shortest, longest) = ("a".repeat(16), "Z-_9".repeat(32));
    let host_codes = [
        shortest.as_str(),
        &shortest[1..],
        longest.as_str(),
        &format!("{longest}a"),
        "abcdefghijklmnop!",
        "abcdefghijklmno p",
        "abcdefghijklmnopé",
        "",
    ];
    for at in [
        "HostSignIn/properties/host_code",
        "IssuedHostCode/properties/code",
    ] {
        pattern_agrees(&doc, &format!("{schemas}/{at}"), &host_codes, |s| {
            citizen_core::embed::HostCode::parse(s).is_some()
        });
    }
    pattern_agrees(
        &doc,
        &format!("{schemas}/CheckInBody/properties/code"),
        &["123456", "000000", "12345", "1234567", "12345a", ""],
        |s| CheckInCode::parse(s).is_ok(),
    );
    let photo = "0123456789abcdef0123456789abcdef";
    pattern_agrees(
        &doc,
        &format!("{schemas}/NewRequest/properties/photos/items"),
        &[
            photo,
            &photo.to_uppercase(),
            &photo[1..],
            &format!("{photo}0"),
            "../etc/passwd",
        ],
        |s| PhotoId::parse(s).is_ok(),
    );
    pattern_agrees(
        &doc,
        &format!("{schemas}/LeaderboardView/properties/month"),
        &[
            "2026-11", "2026-12", "2026-01", "2026-13", "2026-00", "2026-1", "26-11",
        ],
        |s| Month::parse(s).is_ok(),
    );

    // Query and header parameters.
    let parameter = |path: &str, method: &str, name: &str| -> Value {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"))
    };
    for (path, name) in [
        ("/tiles", "q"),
        ("/tiles", "category"),
        ("/tiles", "limit"),
        ("/timebank/statement", "limit"),
        ("/timebank/statement", "before"),
        ("/staff/requests", "state"),
        ("/staff/requests", "category"),
        ("/volunteer/leaderboard", "month"),
    ] {
        let p = parameter(path, "get", name);
        assert_eq!(
            (&p["in"], &p["required"]),
            (&json!("query"), &json!(false)),
            "{path} {name}"
        );
    }
    for (path, name, min, max) in [
        ("/tiles", "limit", 1, 500),
        ("/timebank/statement", "limit", 1, 100),
    ] {
        let p = parameter(path, "get", name);
        assert_eq!(
            (
                p["schema"]["minimum"].as_i64(),
                p["schema"]["maximum"].as_i64()
            ),
            (Some(min), Some(max)),
            "{path} {name}"
        );
    }
    let key = parameter("/requests", "post", "Idempotency-Key");
    let validator = jsonschema::validator_for(&key["schema"]).unwrap();
    for (sample, valid) in [
        ("a", true),
        ("4f9c-2026/12:04", true),
        (&"k".repeat(255)[..], true),
        (&"k".repeat(256)[..], false),
        ("", false),
        ("two words", false),
        ("clé", false),
    ] {
        assert_eq!(validator.is_valid(&json!(sample)), valid, "{sample:?}");
    }
}

/// Every instant in the document is the core's one `Timestamp` schema (a `date-time` string),
/// referred to by each field rather than restated, so no field can drift to another format.
#[tokio::test]
async fn every_instant_refers_to_the_one_timestamp_schema() {
    fn walk(v: &Value, path: &str, restated: &mut Vec<String>, refs: &mut usize) {
        match v {
            Value::Object(map) => {
                if map.get("format") == Some(&json!("date-time")) {
                    restated.push(path.to_owned());
                }
                if map.get("$ref") == Some(&json!("#/components/schemas/Timestamp")) {
                    *refs += 1;
                }
                for (key, value) in map {
                    walk(value, &format!("{path}/{key}"), restated, refs);
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    walk(value, &format!("{path}/{i}"), restated, refs);
                }
            }
            _ => {}
        }
    }
    let mut doc = served().await;
    let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
    let timestamp = schemas.remove("Timestamp").expect("a Timestamp component");
    assert_eq!(timestamp["type"], "string");
    assert_eq!(timestamp["format"], "date-time");
    let (mut restated, mut refs) = (Vec::new(), 0);
    walk(&doc, "#", &mut restated, &mut refs);
    assert_eq!(
        restated,
        Vec::<String>::new(),
        "date-times not through Timestamp"
    );
    // Requests, sessions, favourites, the time bank (records, statements, where a service starts)
    // and volunteering (activities, sign-ups, points, redemptions) all carry instants.
    assert!(refs >= 20, "only {refs} references to Timestamp");
}
