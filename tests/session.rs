//! The stored sign-in in a real browser: it survives a reload, an expired one is forgotten
//! without asking the server, a corrupt one reads as signed out.

use citizen_cloud::backend::account::RestAccounts;
use citizen_cloud::i18n::Msg;
use citizen_cloud::state::session::{
    Recalled, SessionState, TYPED_MOBILE, forget_session, has_expired, recall_session,
    remember_session,
};
use citizen_cloud::storage::{Key, screen};
use citizen_core::account::Role;
use citizen_core::api::{Me, Session};
use citizen_core::time::Timestamp;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// 2026-11-25T00:00:00Z in milliseconds since the epoch.
const NOW: f64 = 1_795_564_800_000.0;

fn session(expires_at: &str) -> Session {
    Session {
        token: "a".repeat(43),
        expires_at: Timestamp::parse(expires_at).unwrap(),
        person: Me {
            id: citizen_core::ids::MemberId::new(2),
            display_name: "王芳".into(),
            mobile: "13800000002".into(),
            roles: vec![Role::Resident, Role::Volunteer],
            community: "yulin".into(),
        },
    }
}

#[wasm_bindgen_test]
fn the_clock_reads_rfc3339() {
    assert_eq!(js_sys::Date::parse("2026-11-25T00:00:00Z"), NOW);
    assert!(!has_expired("2026-11-25T00:00:01Z", NOW));
    assert!(
        has_expired("2026-11-25T00:00:00Z", NOW),
        "expiry is exclusive"
    );
    assert!(has_expired("2026-11-24T23:59:59Z", NOW));
    assert!(
        has_expired("not a date", NOW),
        "unreadable counts as expired"
    );
}

#[wasm_bindgen_test]
fn a_stored_session_round_trips_and_never_holds_a_password() {
    let stored = session("2026-12-25T00:00:00Z");
    remember_session(&stored);
    assert_eq!(recall_session(NOW), Recalled::Active(stored));
    let raw = local_storage()
        .get_item(Key::Session.name())
        .unwrap()
        .unwrap();
    assert!(raw.contains("王芳") && raw.contains("volunteer"), "{raw}");
    assert!(!raw.contains("password"), "{raw}");
    // Still there: recalling does not consume it.
    assert!(matches!(recall_session(NOW), Recalled::Active(_)));
    forget_session();
    assert_eq!(recall_session(NOW), Recalled::Nothing);
    assert_eq!(local_storage().get_item(Key::Session.name()).unwrap(), None);
}

#[wasm_bindgen_test]
fn a_session_past_its_expiry_is_forgotten_but_the_person_is_kept_for_the_form() {
    let stored = session("2026-11-24T12:00:00Z");
    remember_session(&stored);
    assert_eq!(recall_session(NOW), Recalled::Expired(stored.person));
    assert_eq!(local_storage().get_item(Key::Session.name()).unwrap(), None);
    assert_eq!(recall_session(NOW), Recalled::Nothing);
}

#[wasm_bindgen_test]
fn a_corrupt_session_reads_as_signed_out() {
    local_storage()
        .set_item(Key::Session.name(), r#"{"token": 5}"#)
        .unwrap();
    assert_eq!(recall_session(NOW), Recalled::Nothing);
}

/// Lets spawned tasks run (what mounting the app does).
fn start_executor() {
    leptos::mount::mount_to_body(|| ());
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
fn starting_with_an_expired_sign_in_asks_to_sign_in_again_with_the_number_filled_in() {
    screen::remember(TYPED_MOBILE, "");
    remember_session(&session("2020-01-01T00:00:00Z"));
    let state = SessionState::start(RestAccounts);
    assert_eq!(state.current.get_untracked(), None);
    assert_eq!(state.notice.get_untracked(), Some(Msg::SessionExpired));
    assert_eq!(screen::recall(TYPED_MOBILE).as_deref(), Some("13800000002"));
    assert_eq!(recall_session(js_sys::Date::now()), Recalled::Nothing);
}

/// The stored person shows at once; when the check with the server gets no usable answer (here
/// the test page has no API, so it answers 404) the person stays signed in: offline is normal.
#[wasm_bindgen_test]
async fn a_stored_sign_in_shows_at_once_and_survives_an_unusable_answer() {
    start_executor();
    let stored = session("2099-01-01T00:00:00Z");
    remember_session(&stored);
    let state = SessionState::start(RestAccounts);
    assert_eq!(state.current.get_untracked(), Some(stored.clone()));
    assert_eq!(state.notice.get_untracked(), None);
    sleep(300).await;
    assert_eq!(state.current.get_untracked(), Some(stored.clone()));
    assert_eq!(
        recall_session(js_sys::Date::now()),
        Recalled::Active(stored)
    );
    forget_session();
}
