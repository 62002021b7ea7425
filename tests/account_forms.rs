//! Sign-up and a new password by SMS code, in a real browser: the server's answers become the
//! typed refusals the forms word (one for every unusable code, the community, each field by name,
//! a host's refused code), and the resend countdown belongs to one number and counts whole
//! seconds up.

use citizen_cloud::backend::account::{AccountError, AccountField};
use citizen_cloud::backend::client;
use citizen_cloud::backend::error::{ApiFailure, Failure};
use citizen_cloud::i18n::{Msg, resend_in, try_again_in};
use citizen_cloud::pages::me::sms_code::Countdown;
use citizen_core::Lang;
use citizen_core::phone::MobileNumber;
use gloo_net::http::Response;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn error(code: &str, field: Option<&str>) -> String {
    let field = field.map_or("null".to_owned(), |f| format!("\"{f}\""));
    format!(r#"{{"error": {{"code": "{code}", "message": "said", "field": {field}}}}}"#)
}

/// The failure the client reads from an answer with this status, body and `Retry-After`.
async fn failure(status: u16, retry_after: Option<&str>, body: &str) -> ApiFailure {
    let mut answer = Response::builder().status(status);
    if let Some(secs) = retry_after {
        answer = answer.header("Retry-After", secs);
    }
    let answer = answer.body(Some(body)).unwrap();
    client::post("api/v1/accounts")
        .answer(answer)
        .await
        .unwrap_err()
}

#[wasm_bindgen_test]
async fn every_unusable_code_is_one_refusal_with_one_message() {
    let refused = AccountError::from(failure(401, None, &error("invalid_sms_code", None)).await);
    assert_eq!(refused, AccountError::InvalidSmsCode);
    assert_eq!(refused.message(), Msg::SmsCodeRefused);
    // The same on sign-up, where a 404 means something else.
    let on_sign_up =
        AccountError::of_sign_up(failure(401, None, &error("invalid_sms_code", None)).await);
    assert_eq!(on_sign_up, AccountError::InvalidSmsCode);
    // Nothing about the wording says whether the number has an account.
    for lang in Lang::ALL {
        let text = refused.text(lang);
        for telling in ["注册", "registered", "account"] {
            assert!(!text.contains(telling), "{text}");
        }
    }
}

#[wasm_bindgen_test]
async fn each_field_the_server_names_is_read_by_name() {
    for (name, field, msg) in [
        ("mobile", AccountField::Mobile, Msg::MobileInvalid),
        ("code", AccountField::Code, Msg::SmsCodeMalformed),
        ("name", AccountField::Name, Msg::NameRefused),
        ("password", AccountField::Password, Msg::PasswordRefused),
    ] {
        let e = AccountError::from(failure(422, None, &error("invalid_field", Some(name))).await);
        assert_eq!(e, AccountError::Field(field), "{name}");
        assert_eq!(e.message(), msg, "{name}");
    }
    // A field no form has (a bad purpose is the app's own mistake) is not pinned on a field.
    let purpose =
        AccountError::from(failure(422, None, &error("invalid_field", Some("purpose"))).await);
    assert!(matches!(purpose, AccountError::Api(_)), "{purpose:?}");
    assert_eq!(purpose.message(), Msg::SignInUnexpected);
}

#[wasm_bindgen_test]
async fn a_404_is_the_community_only_on_sign_up() {
    let body = error("not_found", None);
    let unknown = || failure(404, None, &body);
    let on_sign_up = AccountError::of_sign_up(unknown().await);
    assert_eq!(on_sign_up, AccountError::UnknownCommunity);
    assert_eq!(on_sign_up.message(), Msg::CommunityUnknown);
    // Anywhere else (an older server without the route) it is nothing the person can fix.
    let elsewhere = AccountError::from(unknown().await);
    assert!(matches!(elsewhere, AccountError::Api(_)), "{elsewhere:?}");
    // A proxy's 404 page is not a community either.
    let page = AccountError::of_sign_up(failure(404, None, "<html>Not Found</html>").await);
    assert!(matches!(page, AccountError::Api(_)), "{page:?}");
}

#[wasm_bindgen_test]
async fn limits_say_how_long_to_wait() {
    let body = error("too_many_attempts", None);
    let limited = AccountError::from(failure(429, Some("3600"), &body).await);
    assert_eq!(limited.text(Lang::ZhCn), try_again_in(Lang::ZhCn, 60));
    assert_eq!(
        limited.text(Lang::En),
        "Too many attempts. Try again in 60 minutes."
    );
    let soon = AccountError::of_sign_up(failure(429, Some("5"), &body).await);
    assert_eq!(soon.text(Lang::ZhCn), "尝试次数过多，请 1 分钟后再试");
    let bare = AccountError::from(failure(429, None, &body).await);
    assert_eq!(bare.text(Lang::En), Msg::TooManyAttempts.text(Lang::En));
}

#[wasm_bindgen_test]
async fn a_refused_host_code_says_to_start_again_from_the_app() {
    let refused = AccountError::from(failure(401, None, &error("invalid_host_code", None)).await);
    assert_eq!(refused, AccountError::InvalidHostCode);
    assert_eq!(refused.message(), Msg::HostSignInRefused);
    assert_eq!(
        refused.text(Lang::ZhCn),
        "应用传来的登录已失效，请返回应用重新进入。"
    );
    // A wrong password is still a wrong password.
    let wrong = AccountError::from(failure(401, None, &error("invalid_credentials", None)).await);
    assert_eq!(wrong, AccountError::InvalidCredentials);
}

const NOW: f64 = 1_795_564_800_000.0;

fn number(raw: &str) -> MobileNumber {
    MobileNumber::parse(raw).unwrap()
}

#[wasm_bindgen_test]
fn the_countdown_counts_whole_seconds_up_to_the_servers_wait() {
    let countdown = Countdown::start(&number("13900001111"), 60, NOW);
    assert_eq!(countdown.wait("13900001111", NOW), Some(60));
    assert_eq!(countdown.wait("13900001111", NOW + 1.0), Some(60));
    assert_eq!(countdown.wait("13900001111", NOW + 1_000.0), Some(59));
    assert_eq!(countdown.wait("13900001111", NOW + 59_001.0), Some(1));
    assert_eq!(countdown.wait("13900001111", NOW + 60_000.0), None);
    assert_eq!(countdown.wait("13900001111", NOW + 600_000.0), None);
    // The server's own shorter wait (a code was asked for 20 s ago) is the one counted.
    let shorter = Countdown::start(&number("13900001111"), 40, NOW);
    assert_eq!(shorter.wait("13900001111", NOW), Some(40));
    // A nonsensical wait is no wait.
    let negative = Countdown::start(&number("13900001111"), -5, NOW);
    assert_eq!(negative.wait("13900001111", NOW), None);
}

#[wasm_bindgen_test]
fn the_countdown_belongs_to_the_number_it_was_asked_for() {
    let countdown = Countdown::start(&number("139 0000 1111"), 60, NOW);
    // The same number however it is typed.
    assert_eq!(countdown.wait("13900001111", NOW), Some(60));
    assert_eq!(countdown.wait("139-0000-1111", NOW), Some(60));
    // A corrected number may ask at once; half a number waits for nothing.
    assert_eq!(countdown.wait("13900002222", NOW), None);
    assert_eq!(countdown.wait("1390000", NOW), None);
    assert_eq!(countdown.wait("", NOW), None);
}

#[wasm_bindgen_test]
fn the_button_says_the_wait_in_both_languages() {
    assert_eq!(resend_in(Lang::ZhCn, 59), "59 秒后可重新获取");
    assert_eq!(resend_in(Lang::En, 1), "Send again in 1 s");
}
