//! The host bridge's pieces in a real browser: which links a host is asked to open, how a host
//! code leaves the address, and that without a host nothing is sent and links stay the app's.

use citizen_cloud::embed::bridge::{external, take_code};
use citizen_cloud::embed::{Told, offer_link, tell};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn pages_elsewhere_and_numbers_to_call_are_the_hosts_to_open() {
    assert_eq!(external("tel:12345"), Some("tel:12345".into()));
    assert_eq!(
        external("https://gjj.example.gov.cn/query"),
        Some("https://gjj.example.gov.cn/query".into())
    );
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    // The app's own pages and files (a photo) stay with the app; other schemes are not opened.
    assert_eq!(external(&format!("{origin}/services")), None);
    assert_eq!(external(&format!("{origin}/api/v1/photos/1")), None);
    assert_eq!(external("javascript:alert(1)"), None);
    assert_eq!(external("data:text/html,hi"), None);
    assert_eq!(external("not a url"), None);
}

#[wasm_bindgen_test]
fn a_host_code_is_taken_out_of_the_query_and_the_rest_kept() {
    assert_eq!(
        take_code("lang=en&host_code=hc_0123456789abcdefXYZ&large=1"),
        Some(("hc_0123456789abcdefXYZ".into(), "lang=en&large=1".into()))
    );
    assert_eq!(
        take_code("host_code=abc"),
        Some(("abc".into(), String::new()))
    );
    assert_eq!(take_code("lang=en"), None);
}

#[wasm_bindgen_test]
fn without_a_host_links_stay_the_apps_and_nothing_is_told() {
    assert!(!offer_link("https://gjj.example.gov.cn/".into()));
    assert!(!offer_link("tel:12345".into()));
    let mut built = false;
    tell(|| {
        built = true;
        Told::SignIn
    });
    assert!(!built, "nothing is even worded without a host");
}
