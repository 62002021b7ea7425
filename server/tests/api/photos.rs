//! Photos of requests: uploading the bytes, serving them back to an `<img>`, every refusal, citing
//! them when filing a request, and Open311's `media_url`.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use citizen_core::requests::MAX_PHOTO_BYTES;
use common::images::{jpeg, png, webp};
use common::*;
use serde_json::{Value, json};

fn upload_request(
    token: Option<&str>,
    content_type: Option<&str>,
    bytes: Vec<u8>,
) -> Request<Body> {
    let mut builder = with_token(Request::post("/api/v1/photos"), token);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder.body(Body::from(bytes)).unwrap()
}

async fn upload(app: &TestApp, token: Option<&str>, content_type: &str, bytes: Vec<u8>) -> Reply {
    app.send(upload_request(token, Some(content_type), bytes))
        .await
}

/// Uploads a JPEG and returns its id.
async fn uploaded(app: &TestApp, token: &str, seed: u8) -> String {
    let reply = upload(app, Some(token), "image/jpeg", jpeg(600, seed)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_uploaded_jpeg_is_served_back_byte_for_byte_to_anyone_with_its_id() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let photo = jpeg(1000, 7);
    let reply = upload(&app, Some(&token), "image/jpeg", photo.clone()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["id"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert_eq!(reply.body["content_type"], "image/jpeg");
    assert_eq!(reply.body["bytes"], 1000);
    assert_eq!(reply.headers[header::LOCATION], format!("photos/{id}"));

    // No bearer: an `<img src>` sends none.
    let served = app.get(&format!("/api/v1/photos/{id}"), None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.bytes, photo, "the very bytes uploaded");
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(
        served.headers[header::CACHE_CONTROL],
        "private, max-age=31536000, immutable"
    );
    assert_eq!(served.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(served.headers[header::CONTENT_DISPOSITION], "inline");

    let again = upload(&app, Some(&token), "image/jpeg", photo).await;
    assert_ne!(again.body["id"], id, "every upload gets its own id");
}

#[tokio::test]
async fn png_and_webp_are_kept_as_their_own_type() {
    let app = spawn_app().await;
    let token = app.sign_in(VOLUNTEER).await;
    for (content_type, bytes) in [("image/png", png()), ("image/webp", webp())] {
        let reply = upload(&app, Some(&token), content_type, bytes.clone()).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        assert_eq!(reply.body["content_type"], content_type);
        let id = reply.body["id"].as_str().unwrap();
        let served = app.get(&format!("/api/v1/photos/{id}"), None).await;
        assert_eq!(served.headers[header::CONTENT_TYPE], content_type);
        assert_eq!(served.bytes, bytes);
    }
    let staff = app.sign_in(STAFF).await;
    let reply = upload(&app, Some(&staff), "image/png; charset=binary", png()).await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "any role, and parameters are ignored: {}",
        reply.text
    );
}

#[tokio::test]
async fn bytes_that_are_not_the_type_they_claim_are_refused() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    for (content_type, bytes) in [
        ("image/jpeg", png()),
        ("image/png", jpeg(100, 1)),
        ("image/webp", jpeg(100, 1)),
        (
            "image/jpeg",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec(),
        ),
    ] {
        let reply = upload(&app, Some(&token), content_type, bytes).await;
        reply.assert_error_for(
            content_type,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some("photo"),
        );
    }
    assert_eq!(app.count("photos"), 0);
}

#[tokio::test]
async fn other_media_types_are_unsupported() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    for content_type in [
        Some("text/plain"),
        Some("image/gif"),
        Some("application/json"),
        None,
    ] {
        let reply = app
            .send(upload_request(Some(&token), content_type, jpeg(100, 1)))
            .await;
        reply.assert_error_for(
            &format!("{content_type:?}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            Some("photo"),
        );
        assert!(reply.message().contains("image/jpeg"), "{}", reply.text);
    }
}

#[tokio::test]
async fn a_photo_of_3_mib_is_kept_and_one_byte_more_is_too_large() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let largest = upload(&app, Some(&token), "image/jpeg", jpeg(MAX_PHOTO_BYTES, 1)).await;
    assert_eq!(largest.status, StatusCode::CREATED, "{}", largest.text);
    assert_eq!(largest.body["bytes"], MAX_PHOTO_BYTES);

    let too_large = upload(
        &app,
        Some(&token),
        "image/jpeg",
        jpeg(MAX_PHOTO_BYTES + 1, 1),
    )
    .await;
    too_large.assert_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        Some("photo"),
    );

    // The same with an Idempotency-Key: the key's guard reads the body first, and refuses alike.
    let keyed = with_key(
        upload_request(
            Some(&token),
            Some("image/jpeg"),
            jpeg(MAX_PHOTO_BYTES + 1, 1),
        ),
        "big-1",
    );
    let keyed = app.send(keyed).await;
    keyed.assert_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        Some("photo"),
    );
    assert_eq!(app.count("photos"), 1);
}

#[tokio::test]
async fn an_empty_body_is_refused() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let reply = upload(&app, Some(&token), "image/jpeg", Vec::new()).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "invalid_field", Some("photo"));
}

#[tokio::test]
async fn uploading_needs_a_sign_in() {
    let app = spawn_app().await;
    for token in [None, Some("not-a-token")] {
        upload(&app, token, "image/jpeg", jpeg(100, 1))
            .await
            .assert_error_for(
                &format!("{token:?}"),
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                None,
            );
    }
    assert_eq!(app.count("photos"), 0);
}

#[tokio::test]
async fn an_unknown_or_malformed_id_is_a_json_404() {
    let app = spawn_app().await;
    for id in [
        "0123456789abcdef0123456789abcdef",
        "0123456789ABCDEF0123456789ABCDEF",
        "nope",
        "..%2F..%2Fetc%2Fpasswd",
    ] {
        let reply = app.get(&format!("/api/v1/photos/{id}"), None).await;
        reply.assert_error_for(id, StatusCode::NOT_FOUND, "not_found", None);
    }
}

#[tokio::test]
async fn a_retried_upload_with_the_same_key_keeps_one_photo() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    // Larger than the JSON routes' 64 KiB: the key's guard must take a whole photo.
    let photo = jpeg(200 * 1024, 3);
    let keyed = |bytes: Vec<u8>| {
        with_key(
            upload_request(Some(&token), Some("image/jpeg"), bytes),
            "photo-1",
        )
    };
    let first = app.send(keyed(photo.clone())).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let retry = app.send(keyed(photo.clone())).await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(retry.body["id"], first.body["id"], "the same photo");
    assert_eq!(app.count("photos"), 1);

    let other = app.send(keyed(jpeg(200 * 1024, 4))).await;
    other.assert_error(
        StatusCode::CONFLICT,
        "idempotency_conflict",
        Some("Idempotency-Key"),
    );
    assert_eq!(app.count("photos"), 1);
}

#[tokio::test]
async fn a_request_shows_its_photos_in_order_to_everyone_who_reads_it() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let staff = app.sign_in(STAFF).await;
    let first = uploaded(&app, &resident, 1).await;
    let second = uploaded(&app, &resident, 2).await;
    // Cited in the other order than uploaded: the order is the filer's.
    let order = json!([second, first]);
    let filed = file_with(&app, &resident, &[&second, &first]).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    assert_eq!(filed.body["photos"], order);
    let tracking = filed.body["tracking"].as_str().unwrap();

    let one = app
        .get(&format!("/api/v1/requests/{tracking}"), Some(&resident))
        .await;
    assert_eq!(one.body["photos"], order);
    let mine = app.get("/api/v1/requests", Some(&resident)).await;
    assert_eq!(mine.body[0]["photos"], order);
    let queue = app.get("/api/v1/staff/requests", Some(&staff)).await;
    assert_eq!(queue.body[0]["photos"], order);
    let accepted = app
        .post_json(
            &format!("/api/v1/requests/{tracking}/commands"),
            Some(&staff),
            r#"{"kind": "accept"}"#,
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    assert_eq!(accepted.body["photos"], order);

    let without = file_with(&app, &resident, &[]).await;
    assert_eq!(without.body["photos"], json!([]));
    let no_field = app
        .post_json(
            "/api/v1/requests",
            Some(&resident),
            r#"{"category": "noise", "description": "楼上每晚装修到十一点多", "address": "玉林北路"}"#,
        )
        .await;
    assert_eq!(no_field.status, StatusCode::CREATED);
    assert_eq!(no_field.body["photos"], json!([]));
}

#[track_caller]
fn assert_photos_refused(reply: &Reply) {
    reply.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("photos"),
    );
}

#[tokio::test]
async fn someone_elses_or_an_unknown_photo_cannot_be_cited() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let neighbour = app.sign_in(VOLUNTEER).await;
    let theirs = uploaded(&app, &neighbour, 1).await;
    let mine = uploaded(&app, &resident, 2).await;
    let refused = file_with(&app, &resident, &[&mine, &theirs]).await;
    assert_photos_refused(&refused);
    let unknown = file_with(&app, &resident, &["0123456789abcdef0123456789abcdef"]).await;
    assert_photos_refused(&unknown);
    assert_eq!(
        refused.message().replace(&theirs, "…"),
        unknown
            .message()
            .replace("0123456789abcdef0123456789abcdef", "…"),
        "someone else's photo reads as an unknown one"
    );
    assert_eq!(app.count("requests"), 0, "nothing filed");
    assert_eq!(app.count("request_photos"), 0);

    // Mine is still free to cite.
    let filed = file_with(&app, &resident, &[&mine]).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
}

#[tokio::test]
async fn ten_photos_or_one_twice_or_a_malformed_id_are_refused() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let mut ids = Vec::new();
    for seed in 0..10 {
        ids.push(uploaded(&app, &token, seed).await);
    }
    let ten: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_photos_refused(&file_with(&app, &token, &ten).await);
    assert_photos_refused(&file_with(&app, &token, &[ten[0], ten[0]]).await);

    let malformed = file_with(&app, &token, &["../etc/passwd"]).await;
    assert_eq!(
        malformed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        malformed.text
    );
    assert!(
        malformed.field().unwrap().starts_with("photos"),
        "{}",
        malformed.text
    );

    let nine = file_with(&app, &token, &ten[..9]).await;
    assert_eq!(
        nine.status,
        StatusCode::CREATED,
        "nine is the most: {}",
        nine.text
    );
    assert_eq!(nine.body["photos"].as_array().unwrap().len(), 9);
}

#[tokio::test]
async fn a_photo_belongs_to_one_request_only() {
    let app = spawn_app().await;
    let token = app.sign_in(RESIDENT).await;
    let photo = uploaded(&app, &token, 1).await;
    let first = file_with(&app, &token, &[&photo]).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let second = file_with(&app, &token, &[&photo]).await;
    assert_photos_refused(&second);
    assert!(
        second.message().contains("another request"),
        "{}",
        second.text
    );
    assert_eq!(app.count("requests"), 1);
}

#[tokio::test]
async fn open311_shows_the_first_photo_as_media_url() {
    let app = spawn_app_with("/community/", |s| {
        s.public_url = Some("https://citizen.example/community".parse().unwrap());
    })
    .await;
    let token = app.sign_in_under("/community/", RESIDENT).await;
    let upload_under = |bytes: Vec<u8>| {
        with_token(Request::post("/community/api/v1/photos"), Some(&token))
            .header(header::CONTENT_TYPE, "image/jpeg")
            .body(Body::from(bytes))
            .unwrap()
    };
    let first = app.send(upload_under(jpeg(300, 1))).await;
    let second = app.send(upload_under(jpeg(300, 2))).await;
    let (first, second) = (
        first.body["id"].as_str().unwrap().to_owned(),
        second.body["id"].as_str().unwrap().to_owned(),
    );
    let body = street_light(&[&first, &second]);
    let with_photos = app
        .post_json(
            "/community/api/v1/requests",
            Some(&token),
            &body.to_string(),
        )
        .await;
    assert_eq!(
        with_photos.status,
        StatusCode::CREATED,
        "{}",
        with_photos.text
    );
    let tracking = with_photos.body["tracking"].as_str().unwrap().to_owned();
    let without = app
        .post_json(
            "/community/api/v1/requests",
            Some(&token),
            r#"{"category": "noise", "description": "楼上每晚装修到十一点多", "address": "玉林北路"}"#,
        )
        .await;
    let bare = without.body["tracking"].as_str().unwrap().to_owned();

    let read = |uri: String| {
        Request::get(uri)
            .header(header::HOST, "citizen.example:8080")
            .body(Body::empty())
            .unwrap()
    };
    // From --public-url; the Host header sent is not echoed.
    let media = format!("https://citizen.example/community/api/v1/photos/{first}");
    let one = app
        .send(read(format!(
            "/community/open311/v2/requests/{tracking}.json?api_key={token}"
        )))
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    assert_eq!(one.body[0]["media_url"], media.as_str());

    let list = app
        .send(read(format!(
            "/community/open311/v2/requests.json?api_key={token}"
        )))
        .await;
    let by_id = |id: &str| -> Value {
        list.body
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["service_request_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_id(&tracking)["media_url"], media.as_str());
    assert_eq!(
        by_id(&bare)["media_url"],
        Value::Null,
        "no photo, no media_url"
    );

    // The address works: the photo is there, for anyone.
    let served = app
        .get(&format!("/community/api/v1/photos/{first}"), None)
        .await;
    assert_eq!(served.status, StatusCode::OK);
}

#[tokio::test]
async fn open311_accepts_a_media_url_and_ignores_it() {
    let app = spawn_app().await;
    let key = app.sign_in(RESIDENT).await;
    let body = street_light_form(
        &key,
        &[
            ("address_string", "玉林北路 3 号"),
            ("media_url", "http://elsewhere.example/photo.jpg"),
        ],
    );
    let filed = app.send(form("/open311/v2/requests.json", &body)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let id = filed.body[0]["service_request_id"].as_str().unwrap();
    let read = app
        .get(
            &format!("/open311/v2/requests/{id}.json?api_key={key}"),
            None,
        )
        .await;
    assert_eq!(read.body[0]["media_url"], Value::Null);
    assert_eq!(app.count("photos"), 0);
}

/// Files the street light through Open311 as `key` with `media_url`; its `media_url` read back.
async fn filed_with_media_url(app: &TestApp, key: &str, media_url: &str) -> Value {
    let body = street_light_form(
        key,
        &[
            ("address_string", "玉林北路 3 号"),
            ("media_url", media_url),
        ],
    );
    let filed = app.send(form("/open311/v2/requests.json", &body)).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    let id = filed.body[0]["service_request_id"].as_str().unwrap();
    let read = app
        .get(
            &format!("/open311/v2/requests/{id}.json?api_key={key}"),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    read.body[0]["media_url"].clone()
}

#[tokio::test]
async fn open311_media_url_of_the_filer_s_own_photo_attaches_it() {
    let app = spawn_app_with("/", |s| {
        s.public_url = Some("https://citizen.example".parse().unwrap());
    })
    .await;
    let key = app.sign_in(RESIDENT).await;
    let photo = uploaded(&app, &key, 1).await;
    let url = format!("https://citizen.example/api/v1/photos/{photo}");
    assert_eq!(filed_with_media_url(&app, &key, &url).await, url.as_str());
    assert_eq!(app.count("request_photos"), 1);
    // Cited once already: a second request does not take it.
    assert_eq!(filed_with_media_url(&app, &key, &url).await, Value::Null);
    // Another host, with the server's path and the filer's own unused photo: not ours, ignored.
    let other = uploaded(&app, &key, 2).await;
    let elsewhere = format!("https://elsewhere.example/api/v1/photos/{other}");
    assert_eq!(
        filed_with_media_url(&app, &key, &elsewhere).await,
        Value::Null
    );
    assert_eq!(app.count("request_photos"), 1);

    // Without --public-url the host cannot be checked: the path names the photo.
    let plain = spawn_app_under("/community/").await;
    let key = plain.sign_in_under("/community/", RESIDENT).await;
    let upload = with_token(Request::post("/community/api/v1/photos"), Some(&key))
        .header(header::CONTENT_TYPE, "image/jpeg")
        .body(Body::from(jpeg(300, 3)))
        .unwrap();
    let photo = plain.send(upload).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = street_light_form(
        &key,
        &[
            ("address_string", "玉林北路 3 号"),
            (
                "media_url",
                &format!("http://localhost:8080/community/api/v1/photos/{photo}"),
            ),
        ],
    );
    let filed = plain
        .send(form("/community/open311/v2/requests.json", &body))
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);
    assert_eq!(plain.count("request_photos"), 1);
}

#[tokio::test]
async fn open311_media_url_of_someone_else_s_photo_is_not_attached() {
    // Attack: a resident names another person's photo (photo URLs are public to anyone who has
    // one) to make it part of their request.
    let app = spawn_app_with("/", |s| {
        s.public_url = Some("https://citizen.example/".parse().unwrap());
    })
    .await;
    let victim = app.sign_in(VOLUNTEER).await;
    let photo = uploaded(&app, &victim, 1).await;
    let key = app.sign_in(RESIDENT).await;
    let url = format!("https://citizen.example/api/v1/photos/{photo}");
    assert_eq!(filed_with_media_url(&app, &key, &url).await, Value::Null);
    assert_eq!(app.count("request_photos"), 0);
    // The photo is still its owner's to cite.
    let theirs = file_with(&app, &victim, &[&photo]).await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.text);
}

#[tokio::test]
async fn another_method_on_a_photo_is_405_signed_in_or_not() {
    let app = spawn_app().await;
    let resident = app.sign_in(RESIDENT).await;
    let uri = "/api/v1/photos/00000000000000000000000000000000";
    for token in [None, Some(resident.as_str())] {
        let reply = app.send(post(uri, token, "")).await;
        reply.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None);
    }
}
