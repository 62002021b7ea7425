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
