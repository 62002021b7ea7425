//! Host sign-in: a host app's server asks for a single-use code for a number it has verified,
//! and the embedded app exchanges it for a session; and each way that may not work, refused.

use crate::common::files::{contains, database_bytes};
use crate::common::hosts::*;
use crate::common::*;
use axum::http::{StatusCode, header};
use citizen_core::embed::HostCode;
use citizen_core::throttle::{SIGN_IN_ATTEMPTS_PER_ADDRESS, SIGN_IN_FAILURES_PER_NUMBER};
use citizen_server::cli::admin::{self, AdminError, HostForm};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A number no demo account has.
const NEWCOMER: &str = "13912345678";
/// 43 characters a host code could be, which no host was given.
const MADE_UP: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

#[tokio::test]
async fn a_host_signs_a_resident_in_without_a_password() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    let issued = ask(&app, &host, RESIDENT).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);
    assert_eq!(issued.body["expires_in"], 60);
    let code = issued.body["code"].as_str().unwrap();
    assert!(HostCode::parse(code).is_some(), "the app accepts {code}");

    let session = exchange(&app, code).await;
    assert_eq!(session.status, StatusCode::CREATED, "{}", session.text);
    assert_eq!(session.body["person"]["mobile"], RESIDENT);
    assert_eq!(session.body["person"]["display_name"], "张明");
    let token = session.body["token"].as_str().unwrap();
    let me = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["mobile"], RESIDENT);
    // The same reply as a password sign-in: the same fields.
    let by_password = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body(RESIDENT, DEMO_PASSWORD),
        )
        .await;
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&session.body), keys(&by_password.body));
    assert_eq!(session.body["person"], by_password.body["person"]);
}

/// The refusal of a request for a code: 401, `invalid_host_credentials`.
fn assert_refused_host(reply: &Reply, case: &str) {
    reply.assert_error_for(
        case,
        StatusCode::UNAUTHORIZED,
        "invalid_host_credentials",
        None,
    );
    assert_eq!(
        reply.headers[header::WWW_AUTHENTICATE],
        r#"Basic realm="citizen-cloud hosts""#,
        "{case}"
    );
}

#[tokio::test]
async fn a_wrong_secret_and_an_unknown_client_id_get_the_same_refusal() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", true).await;
    let other = add_host(&app, "demo", true).await;
    let resident = app.sign_in(RESIDENT).await;
    let body = mobile_body(RESIDENT);
    let cases = [
        (
            "a wrong secret",
            Some(basic(&host.client_id, "wrong-secret")),
        ),
        (
            "another host's secret",
            Some(basic(&host.client_id, &other.secret)),
        ),
        (
            "an unknown client id",
            Some(basic("host_AAAAAAAAAAAAAAAA", &host.secret)),
        ),
        ("no secret", Some(basic(&host.client_id, ""))),
        ("no credentials", None),
        ("a resident's session", Some(format!("Bearer {resident}"))),
        ("not base64", Some("Basic !!!".to_owned())),
    ];
    let mut bodies = Vec::new();
    for (case, authorization) in cases {
        let reply = app
            .send(code_request(authorization.as_deref(), &body))
            .await;
        assert_refused_host(&reply, case);
        bodies.push((case, reply.body));
    }
    for (case, body) in &bodies {
        assert_eq!(body, &bodies[0].1, "{case} answers as a wrong secret does");
    }
    assert_eq!(app.count("host_codes"), 0, "no code was issued");
}

#[tokio::test]
async fn a_host_code_signs_in_once() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    let code = code_for(&app, &host, RESIDENT).await;
    assert_eq!(exchange(&app, &code).await.status, StatusCode::CREATED);
    let replayed = exchange(&app, &code).await;
    replayed.assert_error(StatusCode::UNAUTHORIZED, "invalid_host_code", None);
    let made_up = exchange(&app, MADE_UP).await;
    assert_eq!(
        replayed.body, made_up.body,
        "a replay answers as a made-up code"
    );
    assert_eq!(app.count("sessions"), 1);
}

#[tokio::test]
async fn a_host_code_lasts_one_minute() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    let late = code_for(&app, &host, RESIDENT).await;
    let in_time = code_for(&app, &host, RESIDENT).await;
    app.clock.advance(59);
    assert_eq!(exchange(&app, &in_time).await.status, StatusCode::CREATED);
    app.clock.advance(1);
    let expired = exchange(&app, &late).await;
    expired.assert_error(StatusCode::UNAUTHORIZED, "invalid_host_code", None);
    assert_eq!(expired.body, exchange(&app, MADE_UP).await.body);
    // Housekeeping deletes both (one used, one expired); the expired one still signs nobody in.
    let purged = citizen_server::store::housekeeping::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(purged.host_codes, 2);
    let after = exchange(&app, &late).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn made_up_and_malformed_codes_are_refused() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", true).await;
    let _real = code_for(&app, &host, RESIDENT).await;
    exchange(&app, MADE_UP)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_host_code", None);
    exchange(&app, "too-short").await.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("host_code"),
    );
    // A code beside a number or password is neither kind of sign-in.
    let mixed = format!(r#"{{"host_code": "{MADE_UP}", "mobile": "{RESIDENT}"}}"#);
    app.post_json("/api/v1/session", None, &mixed)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_field", Some("mobile"));
    // Password sign-ins read as before.
    app.post_json(
        "/api/v1/session",
        None,
        &format!(r#"{{"mobile": "{RESIDENT}"}}"#),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_field", Some("password"));
    assert_eq!(app.count("sessions"), 0);
}

#[tokio::test]
async fn a_host_that_may_not_create_residents_signs_in_no_unknown_number() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    let people = app.count("people");
    let known = ask(&app, &host, RESIDENT).await;
    let unknown = ask(&app, &host, NEWCOMER).await;
    // Asking says nothing about who has an account.
    assert_eq!(unknown.status, StatusCode::CREATED);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&known.body), keys(&unknown.body));
    let refused = exchange(&app, unknown.body["code"].as_str().unwrap()).await;
    refused.assert_error(StatusCode::UNAUTHORIZED, "invalid_host_code", None);
    assert_eq!(refused.body, exchange(&app, MADE_UP).await.body);
    assert_eq!(app.count("people"), people, "no account was created");
    assert_eq!(app.count("sessions"), 0);
}

#[tokio::test]
async fn a_host_that_may_create_residents_gives_a_new_number_an_account() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", true).await;
    let people = app.count("people");
    let first = exchange(&app, &code_for(&app, &host, NEWCOMER).await).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let person = &first.body["person"];
    assert_eq!(person["mobile"], NEWCOMER);
    assert_eq!(person["display_name"], "居民5678");
    assert_eq!(person["roles"], serde_json::json!(["resident"]));
    assert_eq!(person["community"], "demo");
    assert_eq!(app.count("people"), people + 1);
    // The next code signs the same person in; no second account.
    let again = exchange(&app, &code_for(&app, &host, NEWCOMER).await).await;
    assert_eq!(again.body["person"]["id"], person["id"]);
    assert_eq!(app.count("people"), people + 1);
    // No password signs the new account in: it has none anyone knows.
    for password in ["", DEMO_PASSWORD, "decoy password, never matches"] {
        let reply = app
            .post_json("/api/v1/session", None, &sign_in_body(NEWCOMER, password))
            .await;
        assert_ne!(reply.status, StatusCode::CREATED, "{password:?}");
    }
}

#[tokio::test]
async fn a_host_signs_in_no_one_from_another_community() {
    let app = spawn_app().await;
    let host = add_host(&app, "yulin", true).await;
    let people = app.count("people");
    for mobile in [RESIDENT, STAFF] {
        let refused = exchange(&app, &code_for(&app, &host, mobile).await).await;
        refused.assert_error(StatusCode::UNAUTHORIZED, "invalid_host_code", None);
    }
    assert_eq!(
        app.count("people"),
        people,
        "no account shadows the other community's"
    );
    assert_eq!(app.count("sessions"), 0);
}

#[tokio::test]
async fn wrong_secrets_are_counted_before_they_are_checked() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    let wrong = basic(&host.client_id, "wrong-secret");
    for _ in 0..SIGN_IN_FAILURES_PER_NUMBER {
        let reply = app
            .send(code_request(Some(&wrong), &mobile_body(RESIDENT)))
            .await;
        assert_refused_host(&reply, "a wrong secret");
    }
    // The sixth attempt is refused before its secret is looked at, even the right one.
    let limited = ask(&app, &host, RESIDENT).await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    assert_eq!(limited.headers[header::RETRY_AFTER], "60");
    assert_eq!(app.count("host_codes"), 0);
    // Unknown client ids are counted alike.
    let unknown = basic("host_BBBBBBBBBBBBBBBB", "guess");
    for _ in 0..SIGN_IN_FAILURES_PER_NUMBER {
        let _ = app
            .send(code_request(Some(&unknown), &mobile_body(RESIDENT)))
            .await;
    }
    let reply = app
        .send(code_request(Some(&unknown), &mobile_body(RESIDENT)))
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(60);
    assert_eq!(ask(&app, &host, RESIDENT).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_proved_host_asks_for_more_codes_than_an_address_may_sign_in() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    for _ in 0..SIGN_IN_ATTEMPTS_PER_ADDRESS + 10 {
        assert_eq!(ask(&app, &host, RESIDENT).await.status, StatusCode::CREATED);
    }
}

#[tokio::test]
async fn code_exchanges_are_counted_before_they_are_checked() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    let code = code_for(&app, &host, RESIDENT).await;
    for i in 0..SIGN_IN_ATTEMPTS_PER_ADDRESS {
        let guess = format!("{MADE_UP}{i:03}");
        let reply = exchange(&app, &guess).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    }
    // The address is over its limit: even a valid code is refused before it is looked up…
    let limited = exchange(&app, &code).await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None);
    // …and is still unused.
    let used: Option<i64> = app
        .db()
        .query_row("SELECT used_at FROM host_codes", (), |r| r.get(0))
        .unwrap();
    assert_eq!(used, None);
    // Password sign-ins from the address share the limit.
    let password = app
        .post_json(
            "/api/v1/session",
            None,
            &sign_in_body(RESIDENT, DEMO_PASSWORD),
        )
        .await;
    assert_eq!(password.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn secrets_and_codes_are_kept_only_as_digests() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    // Asked with an idempotency key: the reply, which holds the code, is not kept for replay.
    let request = with_key(
        code_request(
            Some(&basic(&host.client_id, &host.secret)),
            &mobile_body(RESIDENT),
        ),
        "host-code-1",
    );
    let issued = app.send(request).await;
    assert_eq!(issued.status, StatusCode::CREATED);
    let code = issued.body["code"].as_str().unwrap().to_owned();
    let used = code_for(&app, &host, RESIDENT).await;
    assert_eq!(exchange(&app, &used).await.status, StatusCode::CREATED);

    let bytes = database_bytes(&app);
    assert!(
        contains(&bytes, &host.client_id),
        "the search can find text"
    );
    for (what, secret) in [
        ("the secret", &host.secret),
        ("a code", &code),
        ("a used code", &used),
    ] {
        assert!(!contains(&bytes, secret), "{what} is in the database files");
    }
    let digest = |text: &str| Sha256::digest(text.as_bytes()).to_vec();
    let db = app.db();
    let stored: Vec<u8> = db
        .query_row(
            "SELECT secret_hash FROM hosts WHERE client_id = ?1",
            [&host.client_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, digest(&host.secret));
    let codes: i64 = db
        .query_row(
            "SELECT count(*) FROM host_codes WHERE code_hash IN (?1, ?2)",
            [digest(&code), digest(&used)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(codes, 2);
    assert_eq!(app.count("idempotency_keys"), 0);
}

#[tokio::test]
async fn a_retry_with_the_same_key_is_given_a_new_code() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    let send = || {
        with_key(
            code_request(
                Some(&basic(&host.client_id, &host.secret)),
                &mobile_body(RESIDENT),
            ),
            "host-retry",
        )
    };
    let first = app.send(send()).await;
    let second = app.send(send()).await;
    assert_eq!(
        (first.status, second.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert!(second.headers.get("idempotent-replayed").is_none());
    assert_ne!(first.body["code"], second.body["code"]);
}

#[tokio::test]
async fn a_host_may_not_ask_for_a_code_for_what_is_not_a_mobile_number() {
    let app = spawn_app().await;
    let host = add_host(&app, "demo", false).await;
    ask(&app, &host, "12345").await.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("mobile"),
    );
    let authorization = basic(&host.client_id, &host.secret);
    let extra = format!(r#"{{"mobile": "{RESIDENT}", "name": "张明"}}"#);
    app.send(code_request(Some(&authorization), &extra))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_field", Some("name"));
    assert_eq!(app.count("host_codes"), 0);
}

#[tokio::test]
async fn add_host_prints_credentials_that_work_and_stores_a_digest() {
    let app = spawn_app().await;
    let data = app.database.clone();
    let form = |origin| HostForm {
        name: "邻里通",
        origin,
        community: "demo",
        may_create_residents: false,
    };
    let credentials = admin::add_host(&data, form("http://localhost:5173"), START)
        .await
        .unwrap();
    let output = admin::host_added("邻里通", &credentials);
    let host = printed(&output);
    assert!(host.client_id.starts_with("host_") && host.client_id.len() == 21);
    assert!(host.secret.len() >= 43, "at least 256 bits");
    assert_eq!(ask(&app, &host, RESIDENT).await.status, StatusCode::CREATED);
    let (name, origin, community, may_create, secret_hash): (
        String,
        String,
        String,
        bool,
        Vec<u8>,
    ) = app
        .db()
        .query_row(
            // The demo seed registers the demo host too: this one is read by its client id.
            "SELECT name, origin, community, may_create_residents, secret_hash FROM hosts
             WHERE client_id = ?1",
            [&host.client_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (
            name.as_str(),
            origin.as_str(),
            community.as_str(),
            may_create
        ),
        ("邻里通", "http://localhost:5173", "demo", false)
    );
    assert_eq!(secret_hash, Sha256::digest(host.secret.as_bytes()).to_vec());
    // Two hosts never share credentials.
    let second = admin::add_host(&data, form("https://b.example.cn"), START)
        .await
        .unwrap();
    assert_ne!(second.client_id, credentials.client_id);
    assert_ne!(second.secret, credentials.secret);

    // What the command refuses, before anything is written.
    for (origin, community, name) in [
        ("http://host.example.cn", "demo", "x"),
        ("host.example.cn", "demo", "x"),
        ("https://host.example.cn", " ", "x"),
        ("https://host.example.cn", "demo", " "),
    ] {
        let form = HostForm {
            name,
            origin,
            community,
            may_create_residents: true,
        };
        let refused = admin::add_host(&data, form, START).await;
        assert!(
            matches!(
                refused,
                Err(AdminError::Origin(_) | AdminError::NoCommunity | AdminError::Name(_))
            ),
            "{origin} {community:?} {name:?}"
        );
    }
    // The two added here, beside the demo host the demo seed registers.
    assert_eq!(app.count("hosts"), 3);
}

/// `text` without the terminal's colour codes.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The real binary: `add-host` registers the host, and the server's log names the host on every
/// code issued and every exchange, and holds no secret and no code.
#[test]
fn the_binary_adds_a_host_and_logs_each_code_and_exchange_without_secrets() {
    use crate::common::process::{call_with, start_logging};
    let dir = tempfile::tempdir().unwrap();
    let add_host = |origin: &str| {
        crate::common::process::binary(dir.path())
            .arg("add-host")
            .args([
                "--name",
                "邻里通",
                "--origin",
                origin,
                "--community",
                "demo",
            ])
            .output()
            .unwrap()
    };
    let refused = add_host("http://host.example.cn");
    assert!(!refused.status.success());
    assert!(
        refused.stdout.is_empty(),
        "no credentials for a refused host"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--origin"));
    let added = add_host("https://host.example.cn");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let host = printed(&String::from_utf8(added.stdout).unwrap());

    let mut server = start_logging(dir.path(), &["--demo"], "info");
    let authorization = basic(&host.client_id, &host.secret);
    let ask = |mobile: &str| {
        let (status, body) = call_with(
            server.port,
            "POST",
            "/api/v1/host/sign-in-codes",
            Some(&authorization),
            &mobile_body(mobile),
        );
        assert_eq!(status, 201, "{body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        body["code"].as_str().unwrap().to_owned()
    };
    let exchange = |code: &str| {
        call_with(
            server.port,
            "POST",
            "/api/v1/session",
            None,
            &exchange_body(code),
        )
        .0
    };
    let code = ask(RESIDENT);
    let refused = ask(NEWCOMER);
    assert_eq!(exchange(&code), 201);
    assert_eq!(exchange(&code), 401);
    assert_eq!(exchange(&refused), 401);
    let wrong = basic(&host.client_id, "wrong-secret");
    let (status, _) = call_with(
        server.port,
        "POST",
        "/api/v1/host/sign-in-codes",
        Some(&wrong),
        &mobile_body(RESIDENT),
    );
    assert_eq!(status, 401);
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    let with_host = |text: &str, what: &str| {
        text.lines()
            .filter(|l| l.contains(what) && l.contains(&format!("host={}", host.client_id)))
            .count()
    };
    let expected = [
        ("issued a host sign-in code", 2),
        ("signed in with a host code", 1),
        ("host code refused", 2),
        ("host credentials refused", 1),
    ];
    // The log arrives through a pipe: wait a little for its last lines.
    let mut text = String::new();
    for _ in 0..50 {
        text = plain(&server.output.lock().unwrap());
        if expected
            .iter()
            .all(|(what, n)| with_host(&text, what) == *n)
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    for (what, n) in expected {
        assert_eq!(with_host(&text, what), n, "{what}:\n{text}");
    }
    for secret in [host.secret.as_str(), &code, &refused, "wrong-secret"] {
        assert!(!text.contains(secret), "{secret} is in the log");
    }
    assert!(!text.contains(NEWCOMER), "numbers are masked");
}
