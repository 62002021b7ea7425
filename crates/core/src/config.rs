//! The runtime configuration: `config.json` next to the bundle, overridable by URL query.
//!
//! Parsing walks a `serde_json::Value` by hand instead of deriving, so that every error names the
//! exact key and the value found there: a community admin reading the error page can fix the file.

use crate::module::{BackendKind, Module};
use crate::{Lang, Localized};
use serde_json::{Map, Value};
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
    /// An absolute `https://` address (plain `http://` only on this machine) ending in `/`.
    EndpointUrl,
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
        value: ShownValue,
        expected: Expected,
    },
}

/// The value found at a key, as JSON, cut at 80 characters when shown. It is written out only
/// when the error is shown: the JSON writer (with its float formatting) then loads with the
/// error page instead of with every start (1.8 KB gzip of the first load).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownValue(Value);

/// Tests write the expected value as JSON text.
#[cfg(test)]
impl From<&str> for ShownValue {
    fn from(json: &str) -> Self {
        ShownValue(serde_json::from_str(json).expect("test JSON"))
    }
}

impl fmt::Display for ShownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        if text.chars().count() > 80 {
            write!(f, "{}…", text.chars().take(80).collect::<String>())
        } else {
            f.write_str(&text)
        }
    }
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
        Origin::of(raw, rest)
    }

    /// `scheme://host` whose host (and port) is `host`: letters, digits, `.-:[]`, not empty.
    /// The one rule for both [`Origin::parse`] and a city's endpoint (kept apart from `parse`'s
    /// trimming, so that the first load does not share its string searchers with a chunk).
    fn of(origin: &str, host: &str) -> Option<Origin> {
        let host_ok = !host.is_empty()
            && host.bytes().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'[' | b']')
            });
        host_ok.then(|| Origin(origin.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A city's GeoReport v2 endpoint: `backends.requests` written as an object,
/// `{"kind": "open311", "endpoint": "https://…/open311/v2/", "api_key": "…", "jurisdiction_id": "…"}`.
/// The `api_key` is the application's, issued by the city (sent with every filing); the person
/// filing is nobody the city knows, so their requests are the ids kept for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Endpoint {
    /// Absolute, ending in `/`: paths such as `services.json` are joined to it.
    pub endpoint: String,
    /// The endpoint's origin: the one place besides this app's the page may call.
    pub origin: Origin,
    pub api_key: Option<String>,
    pub jurisdiction_id: Option<String>,
}

impl Open311Endpoint {
    const KEYS: [&'static str; 4] = ["kind", "endpoint", "api_key", "jurisdiction_id"];

    /// Checks `value`, written at `key`, key by key.
    pub fn parse(key: &str, value: &Value) -> Result<Open311Endpoint, ConfigError> {
        let requests = Expected::BackendFor(Module::Requests);
        let map = value
            .as_object()
            .ok_or_else(|| invalid(key, value, requests))?;
        // Each key's text, in `KEYS` order.
        let mut found: [Option<&str>; 4] = [None; 4];
        for (name, item) in map {
            let at = format!("{key}.{name}");
            let Some(slot) = Self::KEYS.iter().position(|k| k == name) else {
                return Err(ConfigError::UnknownKey { key: at });
            };
            found[slot] = Some(text(item).ok_or_else(|| invalid(&at, item, Expected::Text))?);
        }
        let [kind, endpoint, api_key, jurisdiction_id] = found;
        if kind.is_some_and(|k| k != "open311") {
            return Err(invalid(&format!("{key}.kind"), &map["kind"], requests));
        }
        let (endpoint, origin) = endpoint.and_then(endpoint_url).ok_or_else(|| {
            let given = map.get("endpoint").unwrap_or(&Value::Null);
            invalid(&format!("{key}.endpoint"), given, Expected::EndpointUrl)
        })?;
        Ok(Open311Endpoint {
            endpoint,
            origin,
            api_key: api_key.map(str::to_owned),
            jurisdiction_id: jurisdiction_id.map(str::to_owned),
        })
    }
}

/// `https://host[:port]/path/` (a `/` added when missing), or `http://` to this machine (a
/// test double; a page served over HTTPS could not call plain HTTP anyway). No query, no
/// fragment, no user and password (the origin's own check refuses `@`, `?`, `#` and spaces).
fn endpoint_url(raw: &str) -> Option<(String, Origin)> {
    let raw = raw.trim();
    let after = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))?;
    let cut = after.find('/').unwrap_or(after.len());
    let (origin, path) = raw.split_at(raw.len() - after.len() + cut);
    let origin = Origin::of(origin, &after[..cut])?;
    let host = &origin.as_str()[raw.len() - after.len()..];
    let loopback = ["localhost", "127.0.0.1", "[::1]"].iter().any(|h| {
        host.strip_prefix(h)
            .is_some_and(|port| port.is_empty() || port.starts_with(':'))
    });
    let plain = path.bytes().all(|b| !matches!(b, b'?' | b'#' | b' '));
    if !(origin.as_str().starts_with("https:") || loopback) || !plain {
        return None;
    }
    let slash = if path.ends_with('/') { "" } else { "/" };
    Some((format!("{}{path}{slash}", origin.as_str()), origin))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    pub community: Localized,
    /// The community's id on the reference server (`--community` of `add-person`), which
    /// residents who sign up by SMS join; without it the app offers no sign-up.
    pub community_id: Option<String>,
    /// Enabled modules, in tab order, without repeats.
    pub modules: Vec<Module>,
    /// Modules whose backend is not the default; a short list, searched in order.
    backends: Vec<(Module, BackendKind)>,
    /// A city's GeoReport endpoint for requests, as written (`backends.requests` as an object);
    /// `None` with `"open311"` written as a word: the reference server's own `open311/v2/`, with
    /// the signed-in person's token as `api_key`. Checked by [`AppConfig::city`] where it is
    /// used (the server at start, the app's requests screens), so the check stays out of the
    /// app's first load (1.3 KB gzip, measured). Shared, not copied.
    city: Option<std::sync::Arc<Value>>,
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
            community_id: None,
            modules: Module::ALL.to_vec(),
            backends: Vec::new(),
            city: None,
            lang: Lang::ZhCn,
            large_text: false,
            theme_colour: ThemeColour("#c8102e".into()),
            allowed_origins: Vec::new(),
            routing: RoutingMode::Path,
        }
    }
}

fn invalid(key: &str, value: &Value, expected: Expected) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_owned(),
        value: ShownValue(value.clone()),
        expected,
    }
}

fn invalid_text(key: &str, value: &str, expected: Expected) -> ConfigError {
    invalid(key, &Value::String(value.to_owned()), expected)
}

impl AppConfig {
    /// Parses `config.json`. Missing keys take their defaults; unknown keys are refused so that
    /// a misspelt key (`langauge`) is reported instead of silently ignored.
    pub fn parse_json(text: &str) -> Result<Self, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ConfigError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let Value::Object(map) = value else {
            return Err(ConfigError::NotAnObject);
        };
        Self::from_map(&map)
    }

    fn from_map(map: &Map<String, Value>) -> Result<Self, ConfigError> {
        let mut config = AppConfig::default();
        for (key, value) in map {
            match key.as_str() {
                "community" => config.community = parse_community(value)?,
                "community_id" => {
                    config.community_id = Some(
                        text(value)
                            .ok_or_else(|| invalid(key, value, Expected::Text))?
                            .to_owned(),
                    )
                }
                "modules" => config.modules = parse_module_list(key, value)?,
                "backends" => (config.backends, config.city) = parse_backends(value)?,
                "lang" => {
                    config.lang = value
                        .as_str()
                        .and_then(Lang::parse)
                        .ok_or_else(|| invalid(key, value, Expected::Language))?
                }
                "large_text" => {
                    config.large_text = value
                        .as_bool()
                        .ok_or_else(|| invalid(key, value, Expected::Bool))?
                }
                "theme_colour" => {
                    config.theme_colour = value
                        .as_str()
                        .and_then(ThemeColour::parse)
                        .ok_or_else(|| invalid(key, value, Expected::HexColour))?
                }
                "allowed_origins" => config.allowed_origins = parse_origins(value)?,
                "routing" => {
                    config.routing = value
                        .as_str()
                        .and_then(RoutingMode::parse)
                        .ok_or_else(|| invalid(key, value, Expected::Routing))?
                }
                _ => return Err(ConfigError::UnknownKey { key: key.clone() }),
            }
        }
        Ok(config)
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
                    let list: Vec<Value> = value
                        .split(',')
                        .filter(|s| !s.trim().is_empty())
                        .map(|s| Value::String(s.trim().to_owned()))
                        .collect();
                    self.modules = parse_module_list("?modules", &Value::Array(list))?
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

    /// The city's GeoReport endpoint the requests backend names, checked key by key; `Ok(None)`
    /// when it names none.
    pub fn city(&self) -> Result<Option<Open311Endpoint>, ConfigError> {
        self.city
            .as_deref()
            .map(|written| Open311Endpoint::parse("backends.requests", written))
            .transpose()
    }

    /// The city's endpoint as written, unchecked (see [`AppConfig::city`]).
    pub fn city_written(&self) -> Option<&std::sync::Arc<Value>> {
        self.city.as_ref()
    }

    pub fn is_enabled(&self, module: Module) -> bool {
        self.modules.contains(&module)
    }

    /// Whether `origin`, as a browser serializes one (`MessageEvent.origin`, `location.origin`:
    /// lowercase, no trailing slash), is listed. Compared as text: the listed origins were
    /// written in that form when the configuration was read.
    pub fn is_origin_allowed(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o.as_str() == origin)
    }
}

fn parse_flag(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// A string, trimmed, unless it is empty.
fn text(value: &Value) -> Option<&str> {
    value.as_str().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_community(value: &Value) -> Result<Localized, ConfigError> {
    if let Some(name) = text(value) {
        return Ok(Localized::same(name));
    }
    match value {
        Value::Object(map) => {
            for key in map.keys() {
                if key != "zh" && key != "en" {
                    return Err(ConfigError::UnknownKey {
                        key: format!("community.{key}"),
                    });
                }
            }
            let name = |lang: &str| map.get(lang).and_then(text).map(str::to_owned);
            match (name("zh"), name("en")) {
                (Some(zh), Some(en)) => Ok(Localized { zh, en }),
                _ => Err(invalid("community", value, Expected::LocalizedText)),
            }
        }
        _ => Err(invalid("community", value, Expected::LocalizedText)),
    }
}

fn parse_module_list(key: &str, value: &Value) -> Result<Vec<Module>, ConfigError> {
    let items = value
        .as_array()
        .ok_or_else(|| invalid(key, value, Expected::ModuleList))?;
    let mut modules = Vec::new();
    for item in items {
        let module = item
            .as_str()
            .and_then(Module::parse)
            .ok_or_else(|| invalid(key, item, Expected::ModuleList))?;
        if !modules.contains(&module) {
            modules.push(module);
        }
    }
    Ok(modules)
}

type Backends = (Vec<(Module, BackendKind)>, Option<std::sync::Arc<Value>>);

fn parse_backends(value: &Value) -> Result<Backends, ConfigError> {
    let map = value
        .as_object()
        .ok_or_else(|| invalid("backends", value, Expected::BackendMap))?;
    let mut out = Vec::new();
    let mut city = None;
    for (name, kind) in map {
        let key = format!("backends.{name}");
        let module = Module::parse(name).ok_or(ConfigError::UnknownKey { key: key.clone() })?;
        if module == Module::Requests && kind.is_object() {
            city = Some(std::sync::Arc::new(kind.clone()));
            out.retain(|(m, _)| *m != module);
            out.push((module, BackendKind::Open311));
            continue;
        }
        let backend = kind
            .as_str()
            .and_then(BackendKind::parse)
            .filter(|b| module.supports(*b))
            .ok_or_else(|| invalid(&key, kind, Expected::BackendFor(module)))?;
        out.retain(|(m, _)| *m != module);
        out.push((module, backend));
    }
    Ok((out, city))
}

fn parse_origins(value: &Value) -> Result<Vec<Origin>, ConfigError> {
    let items = value
        .as_array()
        .ok_or_else(|| invalid("allowed_origins", value, Expected::OriginList))?;
    items
        .iter()
        .map(|item| {
            item.as_str()
                .and_then(Origin::parse)
                .ok_or_else(|| invalid("allowed_origins", item, Expected::OriginList))
        })
        .collect()
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
            Expected::EndpointUrl => {
                f.write_str("an https:// address like https://city.example/open311/v2/")
            }
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
        assert!(config.is_origin_allowed("https://host.example"));
        assert!(!config.is_origin_allowed("https://evil.example"));
        assert!(!config.is_origin_allowed("https://host.example.evil.example"));
    }

    #[test]
    fn the_community_id_is_optional_trimmed_text() {
        assert_eq!(AppConfig::default().community_id, None);
        let config = AppConfig::parse_json(r#"{"community_id": " yulin "}"#).unwrap();
        assert_eq!(config.community_id.as_deref(), Some("yulin"));
        for bad in [r#""""#, r#""  ""#, "7", "null"] {
            assert!(
                matches!(
                    AppConfig::parse_json(&format!(r#"{{"community_id": {bad}}}"#)),
                    Err(ConfigError::Invalid { key, expected: Expected::Text, .. }) if key == "community_id"
                ),
                "{bad}"
            );
        }
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
    fn a_city_endpoint_is_an_object_and_open311_as_a_word_keeps_its_meaning() {
        let config = AppConfig::parse_json(
            r#"{"backends": {"requests": {"kind": "open311",
                "endpoint": "https://311.City.example:8443/open311/v2",
                "api_key": " key-1 ", "jurisdiction_id": "city.example"}}}"#,
        )
        .unwrap();
        assert_eq!(config.backend(Module::Requests), BackendKind::Open311);
        let city = config.city().unwrap().unwrap();
        assert_eq!(city.endpoint, "https://311.city.example:8443/open311/v2/");
        assert_eq!(city.origin.as_str(), "https://311.city.example:8443");
        assert_eq!(city.api_key.as_deref(), Some("key-1"));
        assert_eq!(city.jurisdiction_id.as_deref(), Some("city.example"));
        let word = AppConfig::parse_json(r#"{"backends": {"requests": "open311"}}"#).unwrap();
        assert_eq!(word.backend(Module::Requests), BackendKind::Open311);
        assert_eq!(word.city(), Ok(None));
        let local = AppConfig::parse_json(
            r#"{"backends": {"requests": {"kind": "open311", "endpoint": "http://127.0.0.1:9/v2/"}}}"#,
        )
        .unwrap();
        assert_eq!(
            local.city().unwrap().unwrap().endpoint,
            "http://127.0.0.1:9/v2/"
        );
    }

    #[test]
    fn a_city_endpoint_is_checked_key_by_key() {
        // Written as an object, the endpoint is checked where it is used.
        let refused = |json: &str| match AppConfig::parse_json(json) {
            Ok(config) => config.city().unwrap_err(),
            Err(e) => e,
        };
        let key = |e: ConfigError| match e {
            ConfigError::Invalid { key, .. } | ConfigError::UnknownKey { key } => key,
            other => panic!("{other:?}"),
        };
        for bad in [
            "http://city.example/v2/",
            "https://city.example/v2/?x=1",
            "https://user@city.example/v2/",
            "ftp://city.example/",
            "city.example/v2/",
            "https:///v2/",
        ] {
            let json = format!(
                r#"{{"backends": {{"requests": {{"kind": "open311", "endpoint": "{bad}"}}}}}}"#
            );
            assert_eq!(key(refused(&json)), "backends.requests.endpoint", "{bad}");
        }
        assert_eq!(
            key(refused(
                r#"{"backends": {"requests": {"kind": "open311"}}}"#
            )),
            "backends.requests.endpoint"
        );
        assert_eq!(
            key(refused(
                r#"{"backends": {"requests": {"kind": "rest", "endpoint": "https://c.example/"}}}"#
            )),
            "backends.requests.kind"
        );
        assert_eq!(
            key(refused(
                r#"{"backends": {"requests": {"endpoint": "https://c.example/", "apikey": "k"}}}"#
            )),
            "backends.requests.apikey"
        );
        assert_eq!(
            key(refused(
                r#"{"backends": {"services": {"kind": "open311"}}}"#
            )),
            "backends.services"
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
            Err(ConfigError::Invalid { key, value, .. }) if key == "modules" && value.to_string() == "\"shop\""
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

    #[test]
    fn a_long_value_is_cut_when_shown() {
        let long = format!("{{\"community\": \"{}\"}}", "长".repeat(100));
        let Err(ConfigError::Invalid { value, .. }) =
            AppConfig::parse_json(&format!("{{\"lang\": {long}}}"))
        else {
            panic!("an object is not a language");
        };
        let shown = value.to_string();
        assert_eq!(shown.chars().count(), 81);
        assert!(
            shown.starts_with("{\"community\":\"长") && shown.ends_with('…'),
            "{shown}"
        );
    }
}
