//! The GeoReport v2 endpoints: services, filing form-encoded, reading back, the error format,
//! and the same privacy as the JSON API.

use crate::common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn services_list_the_taxonomy() {
    let app = spawn_app().await;
    let services = app.get("/open311/v2/services.json", None).await;
    assert_eq!(services.status, StatusCode::OK);
    let list = services.body.as_array().unwrap();
    assert_eq!(list.len(), 14);
    assert!(
        list.iter()
            .any(|s| s["service_code"] == "fire-safety" && s["service_name"] == "消防安全")
    );
    assert_eq!(list[0]["type"], "realtime");
    let one = app.get("/open311/v2/services/noise.json", None).await;
    assert_eq!(one.body["service_code"], "noise");
    let missing = app.get("/open311/v2/services/ufo.json", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body[0]["code"], 404);
}

#[tokio::test]
async fn a_city_client_files_and_reads_back_a_request() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    let body = street_light_form(
        &key,
        &[
            ("lat", "30.64"),
            ("long", "104.05"),
            ("phone", "13800000001"),
        ],
    );
    let filed = app.send(form("/open311/v2/requests.json", &body)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let id = filed.body[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(id, "CD-20261125-000001");

    let read = app
        .get(
            &format!("/open311/v2/requests/{id}.json?api_key={key}"),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    let request = &read.body[0];
    assert_eq!(request["status"], "open");
    assert_eq!(request["service_code"], "municipal");
    assert_eq!(request["lat"], 30.64);
    assert_eq!(request["long"], 104.05);
    assert!(request.get("phone").is_none(), "contacts are never listed");

    // Staff resolve it through the JSON API; GeoReport shows it closed with the reply as notes.
    let staff = app.sign_in(STAFF).await;
    for kind in [
        json!({"kind": "accept"}),
        json!({"kind": "dispatch"}),
        json!({"kind": "start"}),
        json!({"kind": "resolve", "reply": "已更换灯泡"}),
    ] {
        app.post_json(
            &format!("/api/v1/requests/{id}/commands"),
            Some(&staff),
            &kind.to_string(),
        )
        .await;
    }
    app.post_json(
        &format!("/api/v1/requests/{id}/commands"),
        Some(&staff),
        r#"{"kind": "verify"}"#,
    )
    .await;
    let closed = app
        .get(
            &format!("/open311/v2/requests.json?api_key={key}&status=closed"),
            None,
        )
        .await;
    assert_eq!(closed.body[0]["status"], "closed");
    assert_eq!(closed.body[0]["status_notes"], "已更换灯泡");
    assert_eq!(closed.body[0]["agency_responsible"], "市政设施管理所");
    let open = app
        .get(
            &format!("/open311/v2/requests.json?api_key={key}&status=open"),
            None,
        )
        .await;
    assert_eq!(open.body, json!([]));
}

#[tokio::test]
async fn errors_come_as_a_code_and_description_list() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    for (body, status, says) in [
        (
            "service_code=noise&address_string=x&description=0123456789ab".to_owned(),
            403,
            "api_key",
        ),
        (
            format!("api_key={key}&service_code=ufo&address_string=here&description=0123456789ab"),
            400,
            "service_code",
        ),
        (
            format!("api_key={key}&service_code=noise&description=0123456789ab"),
            400,
            "location",
        ),
        (
            format!(
                "api_key={key}&service_code=noise&lat=30&address_string=x&description=0123456789ab"
            ),
            400,
            "long",
        ),
        (
            format!("api_key={key}&service_code=noise&address_string=x&description=short"),
            400,
            "description",
        ),
        (
            format!(
                "api_key={key}&service_code=noise&address_string=x&description=0123456789ab&phone=123"
            ),
            400,
            "phone",
        ),
    ] {
        let reply = app.send(form("/open311/v2/requests.json", &body)).await;
        assert_eq!(reply.status.as_u16(), status, "{body}: {}", reply.text);
        assert_eq!(reply.body[0]["code"], status);
        assert!(
            reply.body[0]["description"]
                .as_str()
                .unwrap()
                .contains(says),
            "{body}: {}",
            reply.text
        );
    }
    let bad_status = app
        .get(
            &format!("/open311/v2/requests.json?api_key={key}&status=maybe"),
            None,
        )
        .await;
    assert_eq!(bad_status.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_key_reads_only_what_its_person_may() {
    let app = spawn_app().await;
    let owner = app.sign_in(RESIDENT).await;
    let other = app.sign_in(VOLUNTEER).await;
    let staff = app.sign_in(STAFF).await;
    let body = format!(
        "api_key={owner}&service_code=noise&address_string=%E7%8E%89%E6%9E%97&description=0123456789ab"
    );
    let id = app
        .send(form("/open311/v2/requests.json", &body))
        .await
        .body[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = app
        .get(
            &format!("/open311/v2/requests/{id}.json?api_key={other}"),
            None,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/open311/v2/requests.json?api_key={other}"), None)
            .await
            .body,
        json!([])
    );
    let staff_list = app
        .get(&format!("/open311/v2/requests.json?api_key={staff}"), None)
        .await;
    assert_eq!(staff_list.body.as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/open311/v2/requests.json", None).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_retried_filing_with_the_same_key_files_once() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("api_key", &key)
        .append_pair("service_code", "noise")
        .append_pair("address_string", "玉林北路 3 号")
        .append_pair("description", "楼下烧烤店每晚营业到凌晨两点")
        .finish();
    let first = app
        .send(with_key(
            form("/open311/v2/requests.json", &body),
            "outbox-key-1",
        ))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let again = app
        .send(with_key(
            form("/open311/v2/requests.json", &body),
            "outbox-key-1",
        ))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
    assert_eq!(
        again.body[0]["service_request_id"],
        first.body[0]["service_request_id"]
    );
    assert_eq!(app.count("requests"), 1);
    let other = app
        .send(with_key(
            form("/open311/v2/requests.json", &body),
            "outbox-key-2",
        ))
        .await;
    assert_eq!(other.status, StatusCode::CREATED);
    assert_eq!(app.count("requests"), 2);
}

/// Files a request of `service_code` as `key`; its id.
async fn filed(app: &TestApp, key: &str, service_code: &str) -> String {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("api_key", key)
        .append_pair("service_code", service_code)
        .append_pair("address_string", "玉林北路 3 号")
        .append_pair("description", "3 栋门口的路灯不亮已经一周了")
        .finish();
    let reply = app.send(form("/open311/v2/requests.json", &body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The ids `GET requests.json?{query}` lists; it must answer 200.
#[track_caller]
fn ids_of(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let mut ids: Vec<String> = reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn listed(app: &TestApp, key: &str, query: &str) -> Reply {
    app.get(
        &format!("/open311/v2/requests.json?api_key={key}&{query}"),
        None,
    )
    .await
}

/// A GeoReport error: `status`, and a list of one `{"code": status, "description"}` that
/// mentions `says`.
#[track_caller]
fn assert_geo_error(reply: &Reply, status: u16, says: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    let list = reply
        .body
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {}", reply.text));
    assert_eq!(list.len(), 1, "{}", reply.text);
    assert_eq!(list[0]["code"], status, "{}", reply.text);
    assert_eq!(list[0].as_object().unwrap().len(), 2, "{}", reply.text);
    let description = list[0]["description"].as_str().unwrap();
    assert!(description.contains(says), "{says:?} in {}", reply.text);
}

#[tokio::test]
async fn start_and_end_date_bound_the_search() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    let id = filed(&app, &key, "noise").await;
    // START is 2026-11-25T00:00:00Z.
    for (query, expected) in [
        ("", vec![id.clone()]),
        ("start_date=2026-11-24T00:00:00Z", vec![id.clone()]),
        ("start_date=2026-11-25T08:00:00%2B08:00", vec![id.clone()]),
        ("start_date=2026-11-25T00:00:01Z", vec![]),
        ("end_date=2026-11-24T23:59:59Z", vec![]),
        (
            "start_date=2026-09-01T00:00:00Z&end_date=2026-11-29T00:00:00Z",
            vec![id.clone()],
        ),
        ("end_date=2027-02-01T00:00:00Z", vec![id.clone()]),
    ] {
        let reply = listed(&app, &key, query).await;
        assert_eq!(ids_of(&reply), expected, "{query}");
    }
    for (query, says) in [
        ("start_date=garbage", "start_date garbage"),
        ("end_date=2026-11-25", "end_date"),
        (
            "start_date=2026-11-26T00:00:00Z&end_date=2026-11-25T00:00:00Z",
            "after",
        ),
        (
            "start_date=2026-08-01T00:00:00Z&end_date=2026-11-25T00:00:00Z",
            "90 days",
        ),
    ] {
        assert_geo_error(&listed(&app, &key, query).await, 400, says);
    }

    // 91 days on, the default window (the last 90 days) has left it behind; its id still finds it,
    // whatever else is asked (the spec: the id overrides every other parameter).
    app.clock.advance(91 * 24 * 60 * 60);
    let key = app.sign_in(RESIDENT).await;
    assert_eq!(ids_of(&listed(&app, &key, "").await), Vec::<String>::new());
    let by_id = listed(
        &app,
        &key,
        &format!("service_request_id={id}&start_date=garbage&status=closed&service_code=other"),
    )
    .await;
    assert_eq!(ids_of(&by_id), vec![id]);
}

#[tokio::test]
async fn service_code_and_status_take_comma_lists() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    let noise = filed(&app, &key, "noise").await;
    let light = filed(&app, &key, "municipal").await;
    let fire = filed(&app, &key, "fire-safety").await;
    let staff = app.sign_in(STAFF).await;
    for kind in ["accept", "dispatch", "start"] {
        app.post_json(
            &format!("/api/v1/requests/{fire}/commands"),
            Some(&staff),
            &json!({ "kind": kind }).to_string(),
        )
        .await;
    }
    for command in [
        json!({"kind": "resolve", "reply": "已处理"}),
        json!({"kind": "verify"}),
    ] {
        let done = app
            .post_json(
                &format!("/api/v1/requests/{fire}/commands"),
                Some(&staff),
                &command.to_string(),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    }
    let mut all = vec![noise.clone(), light.clone(), fire.clone()];
    all.sort();
    for (query, expected) in [
        (
            "service_code=noise,municipal",
            vec![noise.clone(), light.clone()],
        ),
        ("service_code=%20noise%20,,", vec![noise.clone()]),
        ("service_code=ufo,noise", vec![noise.clone()]),
        ("status=open,closed", all.clone()),
        ("status=closed", vec![fire.clone()]),
        ("status=open", vec![noise.clone(), light.clone()]),
        (
            "status=closed&service_code=noise,fire-safety",
            vec![fire.clone()],
        ),
        (&format!("service_request_id={noise},{fire}"), {
            let mut two = vec![noise.clone(), fire.clone()];
            two.sort();
            two
        }),
    ] {
        let mut expected = expected;
        expected.sort();
        assert_eq!(
            ids_of(&listed(&app, &key, query).await),
            expected,
            "{query}"
        );
    }
    assert_geo_error(&listed(&app, &key, "status=open,maybe").await, 400, "maybe");
}

#[tokio::test]
async fn api_key_is_read_from_the_query_or_the_form() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    let body = street_light_form("", &[("address_string", "玉林北路 3 号")]);
    let body = body.replacen("api_key=&", "", 1);
    let in_query = app
        .send(form(
            &format!("/open311/v2/requests.json?api_key={key}"),
            &body,
        ))
        .await;
    assert_eq!(in_query.status, StatusCode::CREATED, "{}", in_query.text);
    // Attack: an invalid key in the query files nothing.
    let forged = app
        .send(form(
            "/open311/v2/requests.json?api_key=not-a-session",
            &body,
        ))
        .await;
    assert_geo_error(&forged, 403, "api_key");
    let other = app.sign_in(VOLUNTEER).await;
    let two_keys = app
        .send(form(
            &format!("/open311/v2/requests.json?api_key={other}"),
            &format!("{body}&api_key={key}"),
        ))
        .await;
    assert_geo_error(&two_keys, 400, "api_key");
    assert_eq!(app.count("requests"), 1);
    // The same key in both places is the same caller.
    let both = app
        .send(form(
            &format!("/open311/v2/requests.json?api_key={key}"),
            &format!("{body}&api_key={key}"),
        ))
        .await;
    assert_eq!(both.status, StatusCode::CREATED, "{}", both.text);
}

#[tokio::test]
async fn the_same_idempotency_key_from_two_people_is_not_one_request() {
    // Attack: tokenless routes scope keys by address; two people behind one address, with the key
    // in the query and the same body, must not receive each other's reply (nor its token).
    let app = spawn_app().await;
    let first = app.sign_in(RESIDENT).await;
    let second = app.sign_in(VOLUNTEER).await;
    let body =
        street_light_form("", &[("address_string", "玉林北路 3 号")]).replacen("api_key=&", "", 1);
    let send = |key: String| {
        with_key(
            form(&format!("/open311/v2/requests.json?api_key={key}"), &body),
            "shared-key",
        )
    };
    let filed = app.send(send(first.clone())).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let replayed = app.send(send(first)).await;
    assert_eq!(replayed.headers["idempotent-replayed"], "true");
    assert_eq!(replayed.body, filed.body);
    let theirs = app.send(send(second)).await;
    assert_geo_error(&theirs, 409, "Idempotency-Key");
    assert!(
        !theirs
            .text
            .contains(filed.body[0]["token"].as_str().unwrap())
    );
    assert_eq!(app.count("requests"), 1);
}

#[tokio::test]
async fn jurisdiction_id_is_the_public_url_s_host() {
    let app = spawn_app_with("/", |s| {
        s.public_url = Some("https://city.example:8443/".parse().unwrap());
    })
    .await;
    let key = app.sign_in(RESIDENT).await;
    for ours in [
        "",
        "&jurisdiction_id=city.example",
        "&jurisdiction_id=CITY.example",
    ] {
        let services = app
            .get(&format!("/open311/v2/services.json?x=1{ours}"), None)
            .await;
        assert_eq!(services.status, StatusCode::OK, "{ours}: {}", services.text);
        assert_eq!(
            ids_of(&listed(&app, &key, ours).await),
            Vec::<String>::new()
        );
    }
    let filed = app
        .send(form(
            "/open311/v2/requests.json",
            &street_light_form(
                &key,
                &[("address_string", "x"), ("jurisdiction_id", "city.example")],
            ),
        ))
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let elsewhere = "jurisdiction_id=other.example";
    for reply in [
        app.get(&format!("/open311/v2/services.json?{elsewhere}"), None)
            .await,
        app.get(
            &format!("/open311/v2/services/noise.json?{elsewhere}"),
            None,
        )
        .await,
        listed(&app, &key, elsewhere).await,
        app.send(form(
            "/open311/v2/requests.json",
            &street_light_form(
                &key,
                &[
                    ("address_string", "x"),
                    ("jurisdiction_id", "other.example"),
                ],
            ),
        ))
        .await,
    ] {
        assert_geo_error(&reply, 404, "other.example");
    }
    assert_eq!(app.count("requests"), 1);

    // Without --public-url the server has no name for itself: any value is accepted.
    let plain = spawn_app().await;
    let services = plain
        .get(
            "/open311/v2/services.json?jurisdiction_id=anything.example",
            None,
        )
        .await;
    assert_eq!(services.status, StatusCode::OK);
}

#[tokio::test]
async fn every_error_is_a_code_and_description_list() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    for nothing in [
        "/open311/v2/nothing.json",
        "/open311/v2/",
        "/open311/v2",
        "/open311/",
        "/open311",
        "/open311/v1/requests.json",
    ] {
        let reply = app.get(nothing, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{nothing}");
        assert_geo_error(&reply, 404, "GeoReport");
    }
    assert_geo_error(
        &app.get("/open311/v2/requests/CD-1.json?api_key=x", None)
            .await,
        403,
        "api_key",
    );
    assert_geo_error(
        &app.get(
            &format!("/open311/v2/requests/CD-1.json?api_key={key}"),
            None,
        )
        .await,
        404,
        "CD-1",
    );
    // 405, with its Allow header kept.
    let deleted = app.delete("/open311/v2/requests.json", None).await;
    assert_geo_error(&deleted, 405, "DELETE");
    assert!(
        deleted.headers.contains_key("allow"),
        "{:?}",
        deleted.headers
    );
    assert_geo_error(
        &app.send(form("/open311/v2/services.json", "")).await,
        405,
        "POST",
    );
    // 413, whether the handler or the idempotency guard reads the body first.
    let huge = format!(
        "{}&pad={}",
        street_light_form(&key, &[("address_string", "x")]),
        "x".repeat(70 * 1024)
    );
    assert_geo_error(
        &app.send(form("/open311/v2/requests.json", &huge)).await,
        413,
        "larger than",
    );
    assert_geo_error(
        &app.send(with_key(form("/open311/v2/requests.json", &huge), "big"))
            .await,
        413,
        "larger than",
    );
    // The idempotency guard's refusals: a key it cannot take, and a key reused for another body.
    let body = street_light_form(&key, &[("address_string", "x")]);
    assert_geo_error(
        &app.send(with_key(
            form("/open311/v2/requests.json", &body),
            "bad key",
        ))
        .await,
        422,
        "Idempotency-Key",
    );
    let first = app
        .send(with_key(form("/open311/v2/requests.json", &body), "k1"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_geo_error(
        &app.send(with_key(
            form("/open311/v2/requests.json", &format!("{body}&x=1")),
            "k1",
        ))
        .await,
        409,
        "Idempotency-Key",
    );
    // A refusal kept for replay comes back in the same shape.
    let refused = "service_code=ufo&address_string=x&description=0123456789ab";
    let refused = format!("api_key={key}&{refused}");
    for _ in 0..2 {
        assert_geo_error(
            &app.send(with_key(form("/open311/v2/requests.json", &refused), "k2"))
                .await,
            400,
            "ufo",
        );
    }
}

#[tokio::test]
async fn a_filing_s_token_resolves_to_its_id_and_nothing_else() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    let body = street_light_form(&key, &[("address_string", "玉林北路 3 号")]);
    let filed = app.send(form("/open311/v2/requests.json", &body)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let id = filed.body[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = filed.body[0]["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 32, "128 bits as hex");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let again = app.send(form("/open311/v2/requests.json", &body)).await;
    assert_ne!(
        again.body[0]["token"],
        token.as_str(),
        "each filing its own"
    );

    for path in [
        format!("/open311/v2/tokens/{token}.json"),
        format!("/open311/v2/tokens/{token}"),
    ] {
        let resolved = app.get(&path, None).await;
        assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.text);
        assert_eq!(
            resolved.body,
            json!([{ "service_request_id": id, "token": token }]),
            "the id and nothing else"
        );
    }
    // Attack: a token is not a key. It reads nothing of the request itself.
    assert_geo_error(
        &app.get(
            &format!("/open311/v2/requests/{id}.json?api_key={token}"),
            None,
        )
        .await,
        403,
        "api_key",
    );
    assert_geo_error(
        &app.get(
            &format!("/open311/v2/requests/{id}.json?token={token}"),
            None,
        )
        .await,
        403,
        "api_key",
    );
    for unknown in [
        "0123456789abcdef0123456789abcdef".to_owned(),
        token.to_uppercase(),
        format!("{token}0"),
        "x".to_owned(),
    ] {
        assert_geo_error(
            &app.get(&format!("/open311/v2/tokens/{unknown}.json"), None)
                .await,
            404,
            "token",
        );
    }
}

#[tokio::test]
async fn a_key_with_another_s_id_reads_nothing_of_theirs() {
    // Attack: a resident lists someone else's id beside their own.
    let app = spawn_app().await;
    let owner = app.sign_in(RESIDENT).await;
    let other = app.sign_in(VOLUNTEER).await;
    let theirs = filed(&app, &owner, "noise").await;
    let mine = filed(&app, &other, "noise").await;
    let reply = listed(&app, &other, &format!("service_request_id={theirs},{mine}")).await;
    assert_eq!(ids_of(&reply), vec![mine]);
    assert!(!reply.text.contains(&theirs));
    let reply = listed(&app, &other, &format!("service_request_id={theirs}")).await;
    assert_eq!(ids_of(&reply), Vec::<String>::new());
}
