//! The receipts of requests filed at a city, as this device keeps them (a demo identity's, or
//! a signed-in person's that their account did not take), in a real browser's storage.

use citizen_cloud::backend::open311::receipts::{Device, Kept};
use citizen_cloud::backend::requests::Receipt;
use citizen_cloud::storage::Key;
use citizen_core::config::{AppConfig, Open311Endpoint};
use citizen_core::georeport::receipt::MAX_RECEIPTS;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn city(endpoint: &str) -> Open311Endpoint {
    let json = format!(
        r#"{{"backends": {{"requests": {{"kind": "open311", "endpoint": "{endpoint}"}}}}}}"#
    );
    AppConfig::parse_json(&json)
        .unwrap()
        .city()
        .unwrap()
        .unwrap()
}

fn fresh() {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item(Key::CityReceipts.name())
        .unwrap();
}

fn id(id: &str) -> Kept {
    Kept::from(&Receipt::Tracking(id.to_owned()))
}

#[wasm_bindgen_test]
fn each_person_at_each_endpoint_has_their_own_receipts() {
    fresh();
    let (a, b) = (city("https://a.example/v2/"), city("https://b.example/v2/"));
    Device::keep(&a, "demo-resident-a", &id("YL-1"));
    Device::keep(&a, "demo-resident-a", &id("YL-1"));
    Device::keep(&a, "demo-resident-b", &id("YL-2"));
    Device::keep(&b, "demo-resident-a", &id("B-3"));
    assert_eq!(
        Device::mine(&a, "demo-resident-a"),
        vec![id("YL-1")],
        "kept once"
    );
    assert_eq!(Device::mine(&a, "demo-resident-b"), vec![id("YL-2")]);
    assert_eq!(Device::mine(&b, "demo-resident-a"), vec![id("B-3")]);
    assert_eq!(Device::mine(&b, "demo-resident-b"), vec![]);
}

#[wasm_bindgen_test]
fn a_waiting_token_gets_its_id_for_its_person_only() {
    fresh();
    let a = city("https://a.example/v2/");
    let waiting = Kept::from(&Receipt::Waiting("tok-1".to_owned()));
    Device::keep(&a, "demo-resident-a", &waiting);
    Device::keep(&a, "demo-resident-b", &waiting);
    Device::resolved(&a, "demo-resident-a", "tok-1", "YL-9");
    assert_eq!(
        Device::mine(&a, "demo-resident-a"),
        vec![Kept {
            id: Some("YL-9".into()),
            token: Some("tok-1".into())
        }]
    );
    assert_eq!(Device::mine(&a, "demo-resident-b"), vec![waiting]);
}

#[wasm_bindgen_test]
fn beyond_the_limit_the_oldest_are_forgotten_and_receipts_stored_before_still_read() {
    fresh();
    // As the device stored them before receipts could be kept in an account.
    let before = r#"[{"endpoint": "https://a.example/v2/", "person": "demo-resident-a", "id": null, "token": "t-0"}]"#;
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item(Key::CityReceipts.name(), before)
        .unwrap();
    let a = city("https://a.example/v2/");
    assert_eq!(
        Device::mine(&a, "demo-resident-a"),
        vec![Kept::from(&Receipt::Waiting("t-0".into()))]
    );
    for n in 0..MAX_RECEIPTS {
        Device::keep(&a, "demo-resident-a", &id(&format!("YL-{n}")));
    }
    Device::keep(&a, "demo-resident-b", &id("theirs"));
    let mine = Device::mine(&a, "demo-resident-a");
    assert_eq!(mine.len(), MAX_RECEIPTS);
    assert_eq!(mine[0], id("YL-0"), "the oldest (the token) was forgotten");
    assert_eq!(Device::mine(&a, "demo-resident-b"), vec![id("theirs")]);
}
