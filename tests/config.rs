//! The configuration parser and its layering, run in headless Chromium.

use citizen_cloud::config::{Preferences, TabOverrides, finish_config};
use citizen_core::Lang;
use citizen_core::config::{AppConfig, ConfigError, Expected};
use citizen_core::module::{BackendKind, Module};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SHIPPED: &str = include_str!("../public/config.json");

#[wasm_bindgen_test]
fn the_shipped_config_is_valid() {
    let config = AppConfig::parse_json(SHIPPED).expect("public/config.json parses");
    assert_eq!(config.lang, Lang::ZhCn);
    assert_eq!(config.backend(Module::Services), BackendKind::Local);
}

#[wasm_bindgen_test]
fn a_bad_value_is_named_with_key_and_value() {
    let err = AppConfig::parse_json(r#"{"large_text": "yes"}"#).unwrap_err();
    let ConfigError::Invalid {
        key,
        value,
        expected,
    } = err
    else {
        panic!("expected an invalid value, got {err:?}");
    };
    assert_eq!(
        (key.as_str(), value.to_string().as_str(), expected),
        ("large_text", "\"yes\"", Expected::Bool)
    );
}

#[wasm_bindgen_test]
fn preferences_override_the_file_and_the_query_overrides_both() {
    let config = AppConfig::parse_json(SHIPPED).unwrap();
    let saved = Preferences {
        lang: Some(Lang::En),
        large_text: Some(true),
        neighbourhood: None,
    };
    let from_prefs = finish_config(config.clone(), &saved, &[]).unwrap();
    assert_eq!(from_prefs.lang, Lang::En);
    assert!(from_prefs.large_text);

    let query = [
        ("lang", "zh".to_owned()),
        ("large", "0".to_owned()),
        ("modules", "services".to_owned()),
    ];
    let from_query = finish_config(config, &saved, &query).unwrap();
    assert_eq!(from_query.lang, Lang::ZhCn);
    assert!(!from_query.large_text);
    assert_eq!(from_query.modules, vec![Module::Services]);
}

#[wasm_bindgen_test]
fn a_bad_query_override_is_an_error_not_ignored() {
    let config = AppConfig::parse_json(SHIPPED).unwrap();
    let err = finish_config(
        config,
        &Preferences::default(),
        &[("modules", "services,shop".to_owned())],
    )
    .unwrap_err();
    assert!(
        matches!(err, ConfigError::Invalid { ref key, ref value, .. } if key == "?modules" && value.to_string() == "\"shop\""),
        "{err:?}"
    );
}

fn forget_tab() {
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    session.clear().unwrap();
}

fn lang_of(tab: &TabOverrides) -> Option<String> {
    tab.pairs()
        .into_iter()
        .find(|(k, _)| *k == "lang")
        .map(|(_, v)| v)
}

#[wasm_bindgen_test]
fn a_url_override_lasts_for_the_tab_and_the_residents_later_choice_wins() {
    forget_tab();
    let tab = TabOverrides::recall().unwrap();
    tab.take_url("?lang=en&large=1&utm_source=x");
    tab.keep();
    // In-app navigation dropped the query; the reload reads the tab's values.
    let tab = TabOverrides::recall().unwrap();
    tab.take_url("");
    assert_eq!(
        tab.pairs(),
        [("lang", "en".to_owned()), ("large", "1".to_owned())]
    );
    // The resident switches to Chinese in 我的; the host repeats its query on the next load.
    tab.choose("lang", "zh-CN");
    tab.keep();
    let tab = TabOverrides::recall().unwrap();
    tab.take_url("?lang=en&large=1");
    assert_eq!(
        lang_of(&tab).as_deref(),
        Some("zh-CN"),
        "a reload must not switch the language"
    );
    // A value the host has not given before is obeyed.
    tab.take_url("?lang=zh-CN");
    tab.take_url("?lang=en");
    assert_eq!(lang_of(&tab).as_deref(), Some("en"));
    forget_tab();
}

#[wasm_bindgen_test]
fn a_choice_without_an_override_leaves_the_tab_alone() {
    forget_tab();
    let tab = TabOverrides::recall().unwrap();
    tab.choose("lang", "en");
    assert!(tab.pairs().is_empty());
    let config = finish_config(
        AppConfig::parse_json(SHIPPED).unwrap(),
        &Preferences::default(),
        &tab.pairs(),
    )
    .unwrap();
    assert_eq!(config.lang, Lang::ZhCn);
}
