//! The configuration parser and its layering, run in headless Chromium.

use citizen_cloud::config::{Preferences, finish_config};
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
    assert_eq!(
        err,
        ConfigError::Invalid {
            key: "large_text".into(),
            value: "\"yes\"".into(),
            expected: Expected::Bool
        }
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
        matches!(err, ConfigError::Invalid { ref key, ref value, .. } if key == "?modules" && value == "\"shop\""),
        "{err:?}"
    );
}
