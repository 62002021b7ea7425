//! The HTTP client in a real browser: a failure answer's body becomes the typed failure (our
//! API's `{"error": …}` and GeoReport's `[{"code", "description"}]`), and a refused token ends
//! the sign-in in the client, once, whichever call it was.

use citizen_cloud::backend::account::{AccountError, RestAccounts};
use citizen_cloud::backend::client;
use citizen_cloud::backend::error::{ApiFailure, Failure};
use citizen_cloud::backend::requests::RequestsError;
use citizen_cloud::backend::timebank::TimebankError;
use citizen_cloud::backend::volunteer::VolunteerError;
use citizen_cloud::i18n::Msg;
use citizen_cloud::state::session::{
    Recalled, SessionState, TYPED_MOBILE, forget_session, recall_session, remember_session,
};
use citizen_cloud::storage::screen;
use citizen_core::account::Role;
use citizen_core::api::{Me, Session};
use gloo_net::http::Response;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn answer(status: u16, body: &str) -> Response {
    Response::builder()
        .status(status)
        .header("Retry-After", "90")
        .body(Some(body))
        .unwrap()
}

fn error(code: &str, field: Option<&str>) -> String {
    let field = field.map_or("null".to_owned(), |f| format!("\"{f}\""));
    format!(r#"{{"error": {{"code": "{code}", "message": "said", "field": {field}}}}}"#)
}

#[wasm_bindgen_test]
async fn a_success_is_the_body() {
    let body = client::get("api/v1/me")
        .answer(answer(200, r#"{"ok": true}"#))
        .await;
    assert_eq!(body.as_deref(), Ok(r#"{"ok": true}"#));
}

#[wasm_bindgen_test]
async fn a_failure_body_is_decoded_into_the_typed_failure() {
    let failure = client::post("api/v1/volunteer/activities/a/checkin")
        .bearer("token")
        .answer(answer(409, &error("code_expired", None)))
        .await
        .unwrap_err();
    let refused = failure.as_refused().expect("a refusal");
    assert_eq!(
        (
            refused.status,
            refused.code.as_str(),
            refused.message.as_str()
        ),
        (409, "code_expired", "said")
    );
    assert_eq!(refused.retry_after, Some(90));
    assert_eq!(
        VolunteerError::from(failure),
        VolunteerError::Refused(citizen_core::volunteer::Refusal::CodeExpired)
    );

    let field = client::post("api/v1/requests")
        .bearer("token")
        .answer(answer(422, &error("invalid_field", Some("description"))))
        .await
        .unwrap_err();
    assert_eq!(
        RequestsError::from(field),
        RequestsError::Field("description".into())
    );

    let pool = r#"{"error": {"code": "pool_cap_reached", "message": "…", "field": null, "remaining_minutes": 30}}"#;
    let pool = client::post("api/v1/timebank/records")
        .bearer("token")
        .answer(answer(409, pool))
        .await
        .unwrap_err();
    assert_eq!(
        TimebankError::from(pool),
        TimebankError::Typed {
            refusal: citizen_core::timebank::Refusal::PoolCapReached,
            remaining_minutes: Some(30),
        }
    );

    let limited = client::post("api/v1/volunteer/activities/a/checkin")
        .bearer("token")
        .answer(answer(429, "Too Many Requests"))
        .await
        .unwrap_err();
    assert_eq!(limited.status(), 429);
    assert!(limited.is_transient());
    assert_eq!(
        VolunteerError::from(limited).message(),
        Msg::TooManyAttempts
    );
}

#[wasm_bindgen_test]
async fn a_georeport_failure_body_is_decoded_too() {
    let body = r#"[{"code": 400, "description": "service_code is not one of ours"}]"#;
    let failure = client::post("open311/v2/requests.json")
        .api_key("token")
        .answer(answer(400, body))
        .await
        .unwrap_err();
    let refused = failure.as_refused().expect("a refusal");
    assert_eq!(refused.code, "400");
    assert_eq!(refused.message, "service_code is not one of ours");
}

/// A document the page loads first: a failure is its status, with no body read (the test page's
/// server answers 404 for a file it does not have).
#[wasm_bindgen_test]
async fn a_missing_document_is_its_status() {
    let failure = client::document("no-such-config.json", client::RequestCache::NoCache)
        .await
        .unwrap_err();
    assert_eq!(failure.status(), 404);
    assert!(!failure.is_transient());
}

#[wasm_bindgen_test]
async fn no_answer_is_a_network_failure() {
    // Nothing listens on port 9 here: the browser refuses the connection.
    let failure = client::get("http://127.0.0.1:9/nothing")
        .text()
        .await
        .unwrap_err();
    assert!(matches!(failure, ApiFailure::Network(_)), "{failure:?}");
    assert!(failure.is_transient());
    assert_eq!(failure.message(), Msg::ServerUnreachable);
}

fn session() -> Session {
    Session {
        token: "b".repeat(43),
        expires_at: citizen_core::time::Timestamp::from_unix_secs(4_070_908_800),
        person: Me {
            id: 7.into(),
            display_name: "李雷".into(),
            mobile: "13800000007".into(),
            roles: vec![Role::Resident],
            community: "yulin".into(),
        },
    }
}

/// One test (the hook is per page): a refused token ends that sign-in, and only that one.
#[wasm_bindgen_test]
async fn a_refused_token_ends_the_sign_in_in_the_client() {
    leptos::mount::mount_to_body(|| ());
    screen::remember(TYPED_MOBILE, "");
    let stored = session();
    remember_session(&stored);
    let state = SessionState::start(RestAccounts);
    assert_eq!(state.current.get_untracked(), Some(stored.clone()));

    // A sign-in with a wrong password is a refusal, not a refused token.
    let wrong = client::post("api/v1/session")
        .answer(answer(401, &error("invalid_credentials", None)))
        .await
        .unwrap_err();
    assert_eq!(AccountError::from(wrong), AccountError::InvalidCredentials);
    assert_eq!(state.current.get_untracked(), Some(stored.clone()));

    // Another token (a sign-in replaced since the call left) leaves this one alone.
    let other = client::get("api/v1/requests")
        .bearer("another token")
        .answer(answer(401, &error("session_expired", None)))
        .await;
    assert_eq!(other, Err(ApiFailure::SignedOut));
    assert_eq!(state.current.get_untracked(), Some(stored.clone()));

    // A GeoReport 403 (a refused api_key) with this sign-in's token ends it.
    let refused = client::get("open311/v2/requests.json")
        .api_key(&stored.token)
        .answer(answer(403, r#"[{"code": 403, "description": "api_key"}]"#))
        .await;
    assert_eq!(refused, Err(ApiFailure::SignedOut));
    assert_eq!(state.current.get_untracked(), None);
    assert_eq!(state.notice.get_untracked(), Some(Msg::SessionExpired));
    assert_eq!(screen::recall(TYPED_MOBILE).as_deref(), Some("13800000007"));
    assert_eq!(recall_session(js_sys::Date::now()), Recalled::Nothing);
    assert_eq!(
        RequestsError::from(ApiFailure::SignedOut).message(),
        Msg::SessionExpired
    );

    // Signed in again; a bearer 401 ends it the same way.
    let again = session();
    state.signed_in(again.clone());
    state.notice.set(None);
    let expired = client::get("api/v1/volunteer/points")
        .bearer(&again.token)
        .answer(answer(401, &error("session_expired", None)))
        .await;
    assert_eq!(expired, Err(ApiFailure::SignedOut));
    assert_eq!(state.current.get_untracked(), None);
    assert_eq!(state.notice.get_untracked(), Some(Msg::SessionExpired));
    forget_session();
}
