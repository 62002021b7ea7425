//! The runtime configuration: `config.json` next to the bundle, overridable by URL query.
//!
//! Parsing derives the file's shape (`deny_unknown_fields`), and `serde_path_to_error` names the
//! key at fault, so every error names the exact key and the value found there: a community admin
//! reading the error page can fix the file.

use crate::module::{BackendKind, Module};
use crate::{Lang, Localized};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use thiserror::Error;

/// What a key should have held; the app words it in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Text,
    LocalizedText,
    Language,
    Bool,
    ModuleList,
    BackendMap,
    /// A backend this module supports.
    BackendFor(Module),
    HexColour,
    OriginList,
    Routing,
}

/// How screens appear in the address: `/base/requests/1` (the default) or `#/requests/1`, for
/// webviews such as iOS WeChat's that mishandle `history.pushState` (copy-link shows the first
/// URL, an edge swipe closes the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoutingMode {
    #[default]
    Path,
    Hash,
}

impl RoutingMode {
    pub fn parse(raw: &str) -> Option<RoutingMode> {
        match raw {
            "path" => Some(RoutingMode::Path),
            "hash" => Some(RoutingMode::Hash),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    #[error("config.json is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("config.json must be a JSON object {{ … }}")]
    NotAnObject,
    #[error("unknown key `{key}`")]
    UnknownKey { key: String },
    #[error("`{key}` has the invalid value {value}")]
    Invalid {
        key: String,
        value: String,
        expected: Expected,
    },
}

/// `#rrggbb`, lowercase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeColour(String);

impl ThemeColour {
    /// Accepts `#rgb` and `#rrggbb` (the `#` may be left out, as URL queries often do).
    pub fn parse(raw: &str) -> Option<Self> {
        let hex = raw.trim().trim_start_matches('#');
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let full = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect::<String>(),
            6 => hex.to_owned(),
            _ => return None,
        };
        Some(ThemeColour(format!("#{}", full.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A web origin (`https://host.example:8443`) allowed to talk to the app through postMessage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(String);

impl Origin {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().trim_end_matches('/');
        let rest = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))?;
        let host_ok = !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        host_ok.then(|| Origin(raw.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    pub community: Localized,
    /// Enabled modules, in tab order, without repeats.
    pub modules: Vec<Module>,
    /// Modules whose backend is not the default; a short list, searched in order.
    backends: Vec<(Module, BackendKind)>,
    pub lang: Lang,
    pub large_text: bool,
    pub theme_colour: ThemeColour,
    pub allowed_origins: Vec<Origin>,
    pub routing: RoutingMode,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            community: Localized {
                zh: "市民云".into(),
                en: "Citizen Cloud".into(),
            },
            modules: Module::ALL.to_vec(),
            backends: Vec::new(),
            lang: Lang::ZhCn,
            large_text: false,
            theme_colour: ThemeColour("#c8102e".into()),
            allowed_origins: Vec::new(),
            routing: RoutingMode::Path,
        }
    }
}

/// A value as the error shows it: its JSON text, cut at 80 characters.
fn shown(text: String) -> String {
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

fn invalid_text(key: &str, value: &str, expected: Expected) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_owned(),
        value: shown(format!("\"{value}\"")),
        expected,
    }
}

impl AppConfig {
    /// Parses `config.json`. Missing keys take their defaults; unknown keys are refused so that
    /// a misspelt key (`langauge`) is reported instead of silently ignored.
    pub fn parse_json(text: &str) -> Result<Self, ConfigError> {
        let mut json = serde_json::Deserializer::from_str(text);
        let Document(file) =
            serde_path_to_error::deserialize(&mut json).map_err(ConfigError::from_serde)?;
        json.end().map_err(|e| ConfigError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let defaults = AppConfig::default();
        Ok(AppConfig {
            community: file.community.unwrap_or(defaults.community),
            modules: file.modules.unwrap_or(defaults.modules),
            backends: file.backends.map_or(defaults.backends, |b| b.chosen()),
            lang: file.lang.unwrap_or(defaults.lang),
            large_text: file.large_text.unwrap_or(defaults.large_text),
            theme_colour: file.theme_colour.unwrap_or(defaults.theme_colour),
            allowed_origins: file.allowed_origins.unwrap_or(defaults.allowed_origins),
            routing: file.routing.unwrap_or(defaults.routing),
        })
    }

    /// Applies URL query overrides (`?lang=en&large=1&modules=services,requests&community=…&theme=…`).
    /// Unknown parameters are left alone: the host page may use its own.
    pub fn apply_query<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), ConfigError> {
        for (key, value) in pairs {
            match key {
                "lang" => {
                    self.lang = Lang::parse(value)
                        .ok_or_else(|| invalid_text("?lang", value, Expected::Language))?
                }
                "large" => {
                    self.large_text = parse_flag(value)
                        .ok_or_else(|| invalid_text("?large", value, Expected::Bool))?
                }
                "modules" => {
                    let mut modules = Vec::new();
                    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        let module = Module::parse(item)
                            .ok_or_else(|| invalid_text("?modules", item, Expected::ModuleList))?;
                        if !modules.contains(&module) {
                            modules.push(module);
                        }
                    }
                    self.modules = modules
                }
                "community" => {
                    if value.trim().is_empty() {
                        return Err(invalid_text("?community", value, Expected::Text));
                    }
                    self.community = Localized::same(value.trim())
                }
                "theme" => {
                    self.theme_colour = ThemeColour::parse(value)
                        .ok_or_else(|| invalid_text("?theme", value, Expected::HexColour))?
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub fn backend(&self, module: Module) -> BackendKind {
        self.backends
            .iter()
            .find(|(m, _)| *m == module)
            .map(|(_, b)| *b)
            .unwrap_or_default()
    }

    pub fn is_enabled(&self, module: Module) -> bool {
        self.modules.contains(&module)
    }

    pub fn is_origin_allowed(&self, origin: &str) -> bool {
        Origin::parse(origin).is_some_and(|o| self.allowed_origins.contains(&o))
    }
}

fn parse_flag(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

impl ConfigError {
    /// Serde's error, with the path of the key at fault. Every key's reader below fails with the
    /// value it found as the message, and what the key expects follows from the key, so the
    /// only other failures are serde's own: JSON syntax, an unknown key, a repeated key, and a
    /// document that is not an object.
    fn from_serde(error: serde_path_to_error::Error<serde_json::Error>) -> ConfigError {
        use serde_json::error::Category;
        let path: Vec<String> = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                _ => None,
            })
            .collect();
        let key = path.join(".");
        let inner = error.into_inner();
        let message = inner.to_string();
        // serde_json adds the position to a message; the key names the place instead.
        let said = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(said, _)| said);
        match inner.classify() {
            Category::Data if said.starts_with("unknown field") => ConfigError::UnknownKey { key },
            Category::Data if path.is_empty() => ConfigError::NotAnObject,
            Category::Data if !said.starts_with("duplicate field") => ConfigError::Invalid {
                expected: expected_at(&path),
                key,
                value: said.to_owned(),
            },
            _ => ConfigError::Syntax {
                line: inner.line(),
                column: inner.column(),
                message,
            },
        }
    }
}

/// What the key at `path` holds.
fn expected_at(path: &[String]) -> Expected {
    match (path.first().map(String::as_str), path.get(1)) {
        (Some("community"), _) => Expected::LocalizedText,
        (Some("modules"), _) => Expected::ModuleList,
        (Some("backends"), Some(module)) => Module::parse(module)
            .map(Expected::BackendFor)
            .unwrap_or(Expected::BackendMap),
        (Some("backends"), None) => Expected::BackendMap,
        (Some("lang"), _) => Expected::Language,
        (Some("large_text"), _) => Expected::Bool,
        (Some("theme_colour"), _) => Expected::HexColour,
        (Some("allowed_origins"), _) => Expected::OriginList,
        (Some("routing"), _) => Expected::Routing,
        _ => Expected::Text,
    }
}

/// `config.json` as written: every key optional, no other key allowed (serde names a misspelt
/// one). Each key is read by a function below, which refuses a wrong value with the value it
/// found; what the key expected follows from its path ([`expected_at`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default, deserialize_with = "community")]
    community: Option<Localized>,
    #[serde(default, deserialize_with = "modules")]
    modules: Option<Vec<Module>>,
    #[serde(default, deserialize_with = "backends")]
    backends: Option<BackendChoice>,
    #[serde(default, deserialize_with = "lang")]
    lang: Option<Lang>,
    #[serde(default, deserialize_with = "large_text")]
    large_text: Option<bool>,
    #[serde(default, deserialize_with = "theme_colour")]
    theme_colour: Option<ThemeColour>,
    #[serde(default, deserialize_with = "origins")]
    allowed_origins: Option<Vec<Origin>>,
    #[serde(default, deserialize_with = "routing")]
    routing: Option<RoutingMode>,
}

/// The whole document: an object (serde would also take a list of the keys' values in order).
struct Document(ConfigFile);

impl Take for ConfigFile {
    fn object<'de, A: de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        ConfigFile::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Reader(std::marker::PhantomData))
            .map(Document)
    }
}

/// `backends`: one optional key per module, each naming a backend that module supports.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BackendChoice {
    #[serde(default, deserialize_with = "services")]
    services: Option<BackendKind>,
    #[serde(default, deserialize_with = "requests")]
    requests: Option<BackendKind>,
    #[serde(default, deserialize_with = "volunteer")]
    volunteer: Option<BackendKind>,
    #[serde(default, deserialize_with = "timebank")]
    timebank: Option<BackendKind>,
    #[serde(default, deserialize_with = "staff")]
    staff: Option<BackendKind>,
}

impl BackendChoice {
    fn chosen(self) -> Vec<(Module, BackendKind)> {
        [
            (Module::Services, self.services),
            (Module::Requests, self.requests),
            (Module::Volunteer, self.volunteer),
            (Module::Timebank, self.timebank),
            (Module::Staff, self.staff),
        ]
        .into_iter()
        .filter_map(|(module, kind)| kind.map(|kind| (module, kind)))
        .collect()
    }
}

/// `community` as `{"zh": …, "en": …}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Names {
    #[serde(default, deserialize_with = "name")]
    zh: Option<String>,
    #[serde(default, deserialize_with = "name")]
    en: Option<String>,
}

/// Where a key's reader takes a value: text, a flag, a list or an object. Whatever it does not
/// take is refused with the value found (objects and lists shown by their brackets).
trait Take: Sized {
    fn text<E: de::Error>(_: &str) -> Result<Option<Self>, E> {
        Ok(None)
    }
    fn flag(_: bool) -> Option<Self> {
        None
    }
    fn list<'de, A: de::SeqAccess<'de>>(_: A) -> Result<Option<Self>, A::Error> {
        Ok(None)
    }
    fn object<'de, A: de::MapAccess<'de>>(_: A) -> Result<Option<Self>, A::Error> {
        Ok(None)
    }
}

struct Reader<T>(std::marker::PhantomData<T>);

fn read<'de, D: Deserializer<'de>, T: Take>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(Reader(std::marker::PhantomData))
        .map(Some)
}

fn found<E: de::Error>(value: String) -> E {
    E::custom(shown(value))
}

impl<'de, T: Take> Visitor<'de> for Reader<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a configuration value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::text(v)?.ok_or_else(|| found(format!("\"{v}\"")))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        T::flag(v).ok_or_else(|| found(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Err(found(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Err(found(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Err(found(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(found("null".to_owned()))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::list(seq)?.ok_or_else(|| found("[…]".to_owned()))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::object(map)?.ok_or_else(|| found("{…}".to_owned()))
    }
}

/// Each key's reader: the value parsed, or `None` to refuse it.
macro_rules! text_key {
    ($reader:ident, $type:ty, $parse:expr) => {
        fn $reader<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$type>, D::Error> {
            struct Key($type);
            impl Take for Key {
                fn text<E: de::Error>(v: &str) -> Result<Option<Self>, E> {
                    Ok(($parse)(v).map(Key))
                }
            }
            read::<D, Key>(d).map(|k| k.map(|Key(v)| v))
        }
    };
}

text_key!(lang, Lang, Lang::parse);
text_key!(theme_colour, ThemeColour, ThemeColour::parse);
text_key!(routing, RoutingMode, RoutingMode::parse);
text_key!(module, Module, Module::parse);
text_key!(origin, Origin, Origin::parse);
/// A backend the module supports (GeoReport speaks requests only).
macro_rules! backend_key {
    ($reader:ident, $module:expr) => {
        text_key!($reader, BackendKind, |v| BackendKind::parse(v)
            .filter(|b| $module.supports(*b)));
    };
}

backend_key!(services, Module::Services);
backend_key!(requests, Module::Requests);
backend_key!(volunteer, Module::Volunteer);
backend_key!(timebank, Module::Timebank);
backend_key!(staff, Module::Staff);
text_key!(name, String, |v: &str| Some(v.trim())
    .filter(|v| !v.is_empty())
    .map(str::to_owned));

fn large_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    struct Flag(bool);
    impl Take for Flag {
        fn flag(v: bool) -> Option<Self> {
            Some(Flag(v))
        }
    }
    read::<D, Flag>(d).map(|f| f.map(|Flag(v)| v))
}

/// One list item, read by `reader`.
struct Item<T>(T);

macro_rules! list_key {
    ($reader:ident, $item:ident, $type:ty) => {
        impl<'de> Deserialize<'de> for Item<$type> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $item(d)?.map(Item).ok_or_else(|| de::Error::custom("null"))
            }
        }

        fn $reader<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<$type>>, D::Error> {
            struct List(Vec<$type>);
            impl Take for List {
                fn list<'de, A: de::SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
                    let mut items: Vec<$type> = Vec::new();
                    while let Some(Item(item)) = seq.next_element::<Item<$type>>()? {
                        if !items.contains(&item) {
                            items.push(item);
                        }
                    }
                    Ok(Some(List(items)))
                }
            }
            read::<D, List>(d).map(|l| l.map(|List(v)| v))
        }
    };
}

list_key!(modules, module, Module);
list_key!(origins, origin, Origin);

impl Take for BackendChoice {
    fn object<'de, A: de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        BackendChoice::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

fn backends<'de, D: Deserializer<'de>>(d: D) -> Result<Option<BackendChoice>, D::Error> {
    read::<D, BackendChoice>(d)
}

fn community<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Localized>, D::Error> {
    struct Community(Localized);
    impl Take for Community {
        fn text<E: de::Error>(v: &str) -> Result<Option<Self>, E> {
            Ok(Some(v.trim())
                .filter(|v| !v.is_empty())
                .map(|v| Community(Localized::same(v))))
        }
        fn object<'de, A: de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
            let names = Names::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(match (names.zh, names.en) {
                (Some(zh), Some(en)) => Some(Community(Localized { zh, en })),
                _ => None,
            })
        }
    }
    read::<D, Community>(d).map(|c| c.map(|Community(v)| v))
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Text => f.write_str("non-empty text"),
            Expected::LocalizedText => f.write_str(r#"text, or {"zh": "…", "en": "…"}"#),
            Expected::Language => f.write_str(r#""zh-CN" or "en""#),
            Expected::Bool => f.write_str("true or false"),
            Expected::ModuleList => {
                f.write_str("a list of services, requests, volunteer, timebank, staff")
            }
            Expected::BackendMap => f.write_str(r#"an object like {"services": "local"}"#),
            Expected::BackendFor(Module::Requests) => f.write_str("local, rest or open311"),
            Expected::BackendFor(_) => f.write_str("local or rest"),
            Expected::HexColour => f.write_str("a colour like #c8102e"),
            Expected::OriginList => f.write_str(r#"a list of origins like "https://host.example""#),
            Expected::Routing => f.write_str(r#""path" or "hash""#),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_gives_defaults() {
        let config = AppConfig::parse_json("{}").unwrap();
        assert_eq!(config, AppConfig::default());
        assert_eq!(config.backend(Module::Services), BackendKind::Local);
    }

    #[test]
    fn full_config_parses() {
        let config = AppConfig::parse_json(
            r##"{"community": {"zh": "玉林社区", "en": "Yulin"}, "modules": ["services", "requests", "services"],
                "backends": {"requests": "open311"}, "lang": "en", "large_text": true,
                "theme_colour": "#0A0", "allowed_origins": ["https://host.example/"], "routing": "hash"}"##,
        )
        .unwrap();
        assert_eq!(config.routing, RoutingMode::Hash);
        assert_eq!(AppConfig::default().routing, RoutingMode::Path);
        assert!(matches!(
            AppConfig::parse_json(r#"{"routing": "history"}"#),
            Err(ConfigError::Invalid { key, expected: Expected::Routing, .. }) if key == "routing"
        ));
        assert_eq!(config.community.get(Lang::ZhCn), "玉林社区");
        assert_eq!(config.modules, vec![Module::Services, Module::Requests]);
        assert_eq!(config.backend(Module::Requests), BackendKind::Open311);
        assert_eq!(config.lang, Lang::En);
        assert!(config.large_text);
        assert_eq!(config.theme_colour.as_str(), "#00aa00");
        assert!(config.is_origin_allowed("https://HOST.example"));
        assert!(!config.is_origin_allowed("https://evil.example"));
    }

    #[test]
    fn a_misspelt_key_is_named() {
        assert_eq!(
            AppConfig::parse_json(r#"{"langauge": "en"}"#),
            Err(ConfigError::UnknownKey {
                key: "langauge".into()
            })
        );
    }

    #[test]
    fn a_bad_value_names_key_value_and_expectation() {
        assert_eq!(
            AppConfig::parse_json(r#"{"lang": "fr"}"#),
            Err(ConfigError::Invalid {
                key: "lang".into(),
                value: "\"fr\"".into(),
                expected: Expected::Language
            })
        );
        assert_eq!(
            AppConfig::parse_json(r#"{"backends": {"services": "open311"}}"#),
            Err(ConfigError::Invalid {
                key: "backends.services".into(),
                value: "\"open311\"".into(),
                expected: Expected::BackendFor(Module::Services)
            })
        );
        assert!(matches!(
            AppConfig::parse_json(r#"{"modules": ["services", "shop"]}"#),
            Err(ConfigError::Invalid { key, value, .. }) if key == "modules" && value == "\"shop\""
        ));
    }

    #[test]
    fn a_misspelt_key_inside_an_object_is_named_by_its_path() {
        for (json, key) in [
            (
                r#"{"community": {"zh": "玉林", "en": "Yulin", "fr": "Yulin"}}"#,
                "community.fr",
            ),
            (r#"{"backends": {"shop": "local"}}"#, "backends.shop"),
        ] {
            assert_eq!(
                AppConfig::parse_json(json),
                Err(ConfigError::UnknownKey { key: key.into() }),
                "{json}"
            );
        }
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_shown_as_found() {
        let cases = [
            (r#"{"lang": null}"#, "lang", "null", Expected::Language),
            (r#"{"large_text": 1}"#, "large_text", "1", Expected::Bool),
            (
                r#"{"modules": "services"}"#,
                "modules",
                "\"services\"",
                Expected::ModuleList,
            ),
            (
                r#"{"backends": ["rest"]}"#,
                "backends",
                "[…]",
                Expected::BackendMap,
            ),
            (
                r#"{"community": {"zh": "玉林"}}"#,
                "community",
                "{…}",
                Expected::LocalizedText,
            ),
            (
                r#"{"community": {"zh": "玉林", "en": 5}}"#,
                "community.en",
                "5",
                Expected::LocalizedText,
            ),
            (
                r#"{"allowed_origins": ["ftp://x"]}"#,
                "allowed_origins",
                "\"ftp://x\"",
                Expected::OriginList,
            ),
            (
                r#"{"theme_colour": "red"}"#,
                "theme_colour",
                "\"red\"",
                Expected::HexColour,
            ),
        ];
        for (json, key, value, expected) in cases {
            assert_eq!(
                AppConfig::parse_json(json),
                Err(ConfigError::Invalid {
                    key: key.into(),
                    value: value.into(),
                    expected
                }),
                "{json}"
            );
        }
    }

    #[test]
    fn only_an_object_is_a_config() {
        for json in [
            "[1]",
            "[]",
            r##"["市民云", ["services"], {}, "en", true, "#fff", [], "path"]"##,
            "\"x\"",
        ] {
            assert_eq!(
                AppConfig::parse_json(json),
                Err(ConfigError::NotAnObject),
                "{json}"
            );
        }
        assert!(matches!(
            AppConfig::parse_json(r#"{"lang": "en"} {}"#),
            Err(ConfigError::Syntax { line: 1, .. })
        ));
    }

    #[test]
    fn syntax_errors_say_where() {
        let err = AppConfig::parse_json("{\n  \"lang\": \"en\",\n}").unwrap_err();
        assert!(
            matches!(err, ConfigError::Syntax { line: 3, .. }),
            "{err:?}"
        );
        assert_eq!(AppConfig::parse_json("[1]"), Err(ConfigError::NotAnObject));
    }

    #[test]
    fn query_overrides_apply_and_are_checked() {
        let mut config = AppConfig::default();
        config
            .apply_query([
                ("lang", "en"),
                ("large", "1"),
                ("modules", "services,requests"),
                ("utm_source", "ignored"),
                ("theme", "336699"),
            ])
            .unwrap();
        assert_eq!(config.lang, Lang::En);
        assert!(config.large_text);
        assert_eq!(config.modules, vec![Module::Services, Module::Requests]);
        assert!(!config.is_enabled(Module::Staff));
        assert_eq!(config.theme_colour.as_str(), "#336699");
        assert!(matches!(
            config.apply_query([("large", "maybe")]),
            Err(ConfigError::Invalid { key, .. }) if key == "?large"
        ));
    }
}
