//! The host bridge's messages, version 1: what a host app (an iframe's parent page, an iOS or
//! Android webview's native code) may tell the app, and what the app tells the host.
//!
//! Every message is a JSON object carrying `"bridge": "citizen-cloud"` and `"version": 1`
//! beside its `type`, so the app and the host can share a `postMessage` channel with other
//! scripts: a message without the bridge's name is someone else's and is ignored quietly. The app
//! reads a host's message only through [`receive`], which checks the sender's origin against the
//! configuration's `allowed_origins` first; anything else that is wrong is a typed
//! [`Refusal`], and the message changes nothing.

use crate::config::AppConfig;
use crate::lang::Lang;
use crate::route::Route;
use serde::Serialize;
use serde_json::{Map, Value};

/// The name every bridge message carries (`"bridge"`).
pub const BRIDGE: &str = "citizen-cloud";
/// The version of the messages below (`"version"`).
pub const VERSION: u32 = 1;

/// A single-use sign-in code a host's server obtained for a person it has verified: 16 to 128
/// characters of `A–Z a–z 0–9 - _` (what the server issues; anything else cannot be one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCode(String);

impl HostCode {
    pub fn parse(raw: &str) -> Option<HostCode> {
        let ok = (16..=128).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| HostCode(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Host → app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostMessage {
    /// Sign this person in: exchange the code for a session.
    Auth { code: HostCode },
    /// Open one of the app's screens.
    Navigate { route: Route },
    /// Change the language, elder mode, or both, as if the resident had chosen them.
    Set {
        lang: Option<Lang>,
        large_text: Option<bool>,
    },
    /// End this app's sign-in.
    SignOut,
}

/// Why a message changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Not a bridge message at all (another script's, or not a JSON object): ignored quietly.
    #[error("not a bridge message")]
    NotOurs,
    #[error("a bridge message from {0:?}, which allowed_origins does not list")]
    Origin(String),
    #[error("bridge version {0:?}; this app speaks version 1")]
    Version(Value),
    #[error("unknown bridge message type {0:?}")]
    UnknownType(String),
    #[error("bridge message {kind:?}: {field} {problem}")]
    Field {
        kind: &'static str,
        field: &'static str,
        problem: &'static str,
    },
}

/// Reads `data` (the message as JSON text) sent by `origin`. Native hosts, which have no origin,
/// pass `None`: their messages arrive through a function only the host's own code can call.
pub fn receive(
    config: &AppConfig,
    origin: Option<&str>,
    data: &str,
) -> Result<HostMessage, Refusal> {
    let Ok(Value::Object(mut message)) = serde_json::from_str::<Value>(data) else {
        return Err(Refusal::NotOurs);
    };
    if message.get("bridge").and_then(Value::as_str) != Some(BRIDGE) {
        return Err(Refusal::NotOurs);
    }
    if let Some(origin) = origin
        && !config.is_origin_allowed(origin)
    {
        return Err(Refusal::Origin(origin.to_owned()));
    }
    match message.remove("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
        other => return Err(Refusal::Version(other.unwrap_or(Value::Null))),
    }
    message.remove("bridge");
    let kind = match message.remove("type") {
        Some(Value::String(kind)) => kind,
        other => {
            return Err(Refusal::UnknownType(
                other.map(|v| v.to_string()).unwrap_or_default(),
            ));
        }
    };
    let mut fields = Fields { kind: "", message };
    let parsed = match kind.as_str() {
        "auth" => {
            fields.kind = "auth";
            let code = fields.text("code")?;
            HostMessage::Auth {
                code: HostCode::parse(&code).ok_or(fields.bad("code", "is not a host code"))?,
            }
        }
        "navigate" => {
            fields.kind = "navigate";
            let path = fields.text("path")?;
            HostMessage::Navigate {
                route: Route::parse(&path)
                    .ok_or(fields.bad("path", "is not a screen of the app"))?,
            }
        }
        "set" => {
            fields.kind = "set";
            let lang = match fields.optional("lang") {
                None => None,
                Some(Value::String(tag)) => {
                    Some(Lang::parse(&tag).ok_or(fields.bad("lang", "is not zh-CN or en"))?)
                }
                Some(_) => return Err(fields.bad("lang", "is not zh-CN or en")),
            };
            let large_text = match fields.optional("large_text") {
                None => None,
                Some(Value::Bool(on)) => Some(on),
                Some(_) => return Err(fields.bad("large_text", "is not true or false")),
            };
            if lang.is_none() && large_text.is_none() {
                return Err(fields.bad("lang", "or large_text is needed"));
            }
            HostMessage::Set { lang, large_text }
        }
        "sign-out" => {
            fields.kind = "sign-out";
            HostMessage::SignOut
        }
        _ => return Err(Refusal::UnknownType(kind)),
    };
    fields.done()?;
    Ok(parsed)
}

/// The fields of one message, taken one by one; any left over is refused.
struct Fields {
    kind: &'static str,
    message: Map<String, Value>,
}

impl Fields {
    fn bad(&self, field: &'static str, problem: &'static str) -> Refusal {
        Refusal::Field {
            kind: self.kind,
            field,
            problem,
        }
    }

    fn optional(&mut self, field: &str) -> Option<Value> {
        self.message.remove(field).filter(|v| !v.is_null())
    }

    fn text(&mut self, field: &'static str) -> Result<String, Refusal> {
        match self.optional(field) {
            Some(Value::String(text)) => Ok(text),
            Some(_) => Err(self.bad(field, "is not text")),
            None => Err(self.bad(field, "is missing")),
        }
    }

    fn done(self) -> Result<(), Refusal> {
        match self.message.keys().next() {
            None => Ok(()),
            Some(_) => Err(self.bad("(other)", "is not a field of this message")),
        }
    }
}

/// App → host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum AppMessage {
    /// The app is running and listening: the bridge version, where it is and its title.
    Ready {
        version: u32,
        route: String,
        title: String,
    },
    /// Sent on every navigation.
    Route { path: String, title: String },
    /// The document's height in CSS pixels, for hosts that size the frame to it.
    Height { px: u32 },
    /// An external address (an `https://` page or a `tel:` number) the host should open itself.
    Open { url: String },
    /// The app needs a person signed in for what the resident asked to do.
    SignIn,
    /// A request was filed: its tracking number.
    Filed { tracking: String },
    /// What a person was told went wrong, in their language.
    Error { message: String },
}

impl AppMessage {
    /// The message as the host receives it: JSON with the bridge's name and version.
    pub fn to_json(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Value::Object(map) = &mut value {
            map.insert("bridge".into(), BRIDGE.into());
            map.insert("version".into(), VERSION.into());
        }
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HOST: &str = "https://host.example";
    const CODE: &str = "hc_0123456789abcdefXYZ";

    fn config() -> AppConfig {
        AppConfig::parse_json(&json!({ "allowed_origins": [HOST] }).to_string()).unwrap()
    }

    fn from_host(message: Value) -> Result<HostMessage, Refusal> {
        receive(&config(), Some(HOST), &message.to_string())
    }

    fn bridge(mut fields: Value) -> Value {
        fields["bridge"] = json!(BRIDGE);
        fields["version"] = json!(VERSION);
        fields
    }

    #[test]
    fn auth_carries_a_host_code() {
        assert_eq!(
            from_host(bridge(json!({"type": "auth", "code": CODE}))),
            Ok(HostMessage::Auth {
                code: HostCode::parse(CODE).unwrap()
            })
        );
    }

    #[test]
    fn navigate_opens_a_screen_of_the_app() {
        assert_eq!(
            from_host(bridge(json!({"type": "navigate", "path": "/requests"}))),
            Ok(HostMessage::Navigate {
                route: Route::Requests
            })
        );
    }

    #[test]
    fn set_changes_language_or_elder_mode() {
        assert_eq!(
            from_host(bridge(json!({"type": "set", "lang": "en"}))),
            Ok(HostMessage::Set {
                lang: Some(Lang::En),
                large_text: None
            })
        );
        assert_eq!(
            from_host(bridge(
                json!({"type": "set", "lang": "zh-CN", "large_text": true})
            )),
            Ok(HostMessage::Set {
                lang: Some(Lang::ZhCn),
                large_text: Some(true)
            })
        );
    }

    #[test]
    fn sign_out_takes_no_fields() {
        assert_eq!(
            from_host(bridge(json!({"type": "sign-out"}))),
            Ok(HostMessage::SignOut)
        );
    }

    #[test]
    fn native_hosts_have_no_origin_to_check() {
        let message = bridge(json!({"type": "sign-out"})).to_string();
        assert_eq!(
            receive(&AppConfig::default(), None, &message),
            Ok(HostMessage::SignOut)
        );
    }

    #[test]
    fn an_origin_not_listed_is_refused() {
        let message = bridge(json!({"type": "auth", "code": CODE})).to_string();
        for origin in [
            "https://evil.example",
            "http://host.example",
            "https://host.example.evil.example",
            "null",
        ] {
            assert_eq!(
                receive(&config(), Some(origin), &message),
                Err(Refusal::Origin(origin.to_owned())),
                "{origin}"
            );
        }
        // With none listed, no framing page may talk to the app.
        assert_eq!(
            receive(&AppConfig::default(), Some(HOST), &message),
            Err(Refusal::Origin(HOST.to_owned()))
        );
    }

    #[test]
    fn other_scripts_messages_are_not_ours() {
        for data in [
            "not json",
            "42",
            r#""auth""#,
            r#"{"type": "auth", "code": "hc_0123456789abcdefXYZ"}"#,
            r#"{"bridge": "someone-else", "version": 1, "type": "sign-out"}"#,
        ] {
            assert_eq!(
                receive(&config(), Some(HOST), data),
                Err(Refusal::NotOurs),
                "{data}"
            );
        }
    }

    #[test]
    fn another_version_is_refused() {
        let mut message = bridge(json!({"type": "sign-out"}));
        message["version"] = json!(2);
        assert_eq!(from_host(message), Err(Refusal::Version(json!(2))));
        let mut message = bridge(json!({"type": "sign-out"}));
        message.as_object_mut().unwrap().remove("version");
        assert_eq!(from_host(message), Err(Refusal::Version(Value::Null)));
    }

    #[test]
    fn an_unknown_type_is_refused() {
        assert_eq!(
            from_host(bridge(json!({"type": "delete-everything"}))),
            Err(Refusal::UnknownType("delete-everything".into()))
        );
        assert!(matches!(
            from_host(bridge(json!({"code": CODE}))),
            Err(Refusal::UnknownType(_))
        ));
    }

    #[test]
    fn malformed_fields_are_refused_by_name() {
        let field = |message: Value| match from_host(bridge(message)) {
            Err(Refusal::Field { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(json!({"type": "auth"})), "code");
        assert_eq!(field(json!({"type": "auth", "code": 12})), "code");
        assert_eq!(field(json!({"type": "auth", "code": "short"})), "code");
        assert_eq!(
            field(json!({"type": "auth", "code": "hc_0123456789abcdef<script>"})),
            "code"
        );
        assert_eq!(
            field(json!({"type": "navigate", "path": "https://evil.example/"})),
            "path"
        );
        assert_eq!(field(json!({"type": "navigate", "path": "/admin"})), "path");
        assert_eq!(field(json!({"type": "set", "lang": "fr"})), "lang");
        assert_eq!(
            field(json!({"type": "set", "large_text": "yes"})),
            "large_text"
        );
        assert_eq!(field(json!({"type": "set"})), "lang");
        assert_eq!(
            field(json!({"type": "sign-out", "everywhere": true})),
            "(other)"
        );
    }

    #[test]
    fn app_messages_carry_the_bridge_name_and_version() {
        let sent: Value = serde_json::from_str(
            &AppMessage::Filed {
                tracking: "SR-2026-000123".into(),
            }
            .to_json(),
        )
        .unwrap();
        assert_eq!(
            sent,
            json!({"bridge": BRIDGE, "version": 1, "type": "filed", "tracking": "SR-2026-000123"})
        );
        let sent: Value = serde_json::from_str(&AppMessage::SignIn.to_json()).unwrap();
        assert_eq!(
            sent,
            json!({"bridge": BRIDGE, "version": 1, "type": "sign-in"})
        );
    }
}
