//! Host apps in the API tests (`hosts`, `openapi_contract`): registered through the same function
//! `citizen-server add-host` calls, then asking for codes with HTTP Basic, as a host's server does.

use super::{Reply, START, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use citizen_server::cli::admin::{self, HostForm};

/// A registered host's credentials, as `add-host` printed them.
#[derive(Debug, Clone)]
pub struct HostCredentials {
    pub client_id: String,
    pub secret: String,
}

/// Registers a host serving `community` through `add-host`'s function and reads its client id
/// and secret from what the command prints.
pub async fn add_host(
    app: &TestApp,
    community: &str,
    may_create_residents: bool,
) -> HostCredentials {
    let form = HostForm {
        name: "邻里通社区小程序",
        origin: "https://host.example.cn",
        community,
        may_create_residents,
    };
    let credentials = admin::add_host(&app.database, form, START)
        .await
        .expect("the host is added");
    printed(&admin::host_added("邻里通社区小程序", &credentials))
}

/// The credentials in `add-host`'s output.
pub fn printed(output: &str) -> HostCredentials {
    let line = |label: &str| {
        output
            .lines()
            .find_map(|l| l.strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label} line in {output}"))
            .trim()
            .to_owned()
    };
    HostCredentials {
        client_id: line("client_id:"),
        secret: line("secret:"),
    }
}

/// `Authorization: Basic …` for this client id and secret.
pub fn basic(client_id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{client_id}:{secret}")))
}

/// `POST /api/v1/host/sign-in-codes` with this `Authorization` (none: `None`) and body.
pub fn code_request(authorization: Option<&str>, body: &str) -> Request<Body> {
    let mut builder = Request::post("/api/v1/host/sign-in-codes")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(value) = authorization {
        builder = builder.header(header::AUTHORIZATION, value);
    }
    builder.body(Body::from(body.to_owned())).unwrap()
}

pub fn mobile_body(mobile: &str) -> String {
    format!(r#"{{"mobile": "{mobile}"}}"#)
}

/// The host asks for a code for `mobile`.
pub async fn ask(app: &TestApp, host: &HostCredentials, mobile: &str) -> Reply {
    let authorization = basic(&host.client_id, &host.secret);
    app.send(code_request(Some(&authorization), &mobile_body(mobile)))
        .await
}

/// A code for `mobile`, which the host must be given.
pub async fn code_for(app: &TestApp, host: &HostCredentials, mobile: &str) -> String {
    let reply = ask(app, host, mobile).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["code"].as_str().unwrap().to_owned()
}

pub fn exchange_body(code: &str) -> String {
    format!(r#"{{"host_code": "{code}"}}"#)
}

/// The app exchanges `code` at `POST /api/v1/session`.
pub async fn exchange(app: &TestApp, code: &str) -> Reply {
    app.post_json("/api/v1/session", None, &exchange_body(code))
        .await
}
