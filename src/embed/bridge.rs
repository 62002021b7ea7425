//! The bridge itself, in its own wasm chunk (`embed`): the transport to the host, the listeners
//! for its messages, and what the app tells it.

use super::{HOST, Told, framed, prop};
use crate::backend::error::Failure;
use crate::browser::history;
use crate::i18n::{I18n, use_i18n};
use crate::router::{Navigation, use_navigation};
use crate::state::session::{SessionState, use_session};
use crate::state::{Personal, use_config, use_personal};
use citizen_core::config::AppConfig;
use citizen_core::config::RoutingMode;
use citizen_core::embed::{self, AppMessage, HostCode, HostMessage, Refusal};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// How messages reach the host, chosen once at start.
enum Transport {
    /// `window.parent.postMessage(json, target)`, `target` being the parent's own origin, which
    /// `allowed_origins` lists.
    Parent { target: String },
    /// `window.webkit.messageHandlers.citizenCloud` (iOS) or `window.CitizenCloudAndroid`
    /// (Android): an object with `postMessage(json)`.
    Native(JsValue),
}

impl Transport {
    fn send(&self, message: &AppMessage) {
        let json = JsValue::from(message.to_json());
        let sent = match self {
            Transport::Parent { target } => prop(&window(), "parent")
                .unchecked_into::<web_sys::Window>()
                .post_message(&json, target),
            Transport::Native(handler) => call(handler, "postMessage", &json).map(drop),
        };
        if let Err(e) = sent {
            leptos::logging::warn!("the host did not take a message: {e:?}");
        }
    }
}

/// `on.name(arg)`; an error when it is no function or it throws.
fn call(on: &JsValue, name: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    prop(on, name)
        .unchecked_into::<js_sys::Function>()
        .call1(on, arg)
}

fn text(on: &JsValue, key: &str) -> String {
    prop(on, key).as_string().unwrap_or_default()
}

/// `window.a.b.c`, when every step is there.
fn lookup(path: &[&str]) -> Option<JsValue> {
    path.iter().try_fold(JsValue::from(window()), |on, key| {
        let next = js_sys::Reflect::get(&on, &(*key).into()).ok()?;
        (!next.is_undefined() && !next.is_null()).then_some(next)
    })
}

/// The framing page's origin: `location.ancestorOrigins` where the browser has it, otherwise the
/// referrer's (the page that loaded this frame).
fn parent_origin() -> Option<String> {
    let from_ancestors = lookup(&["location", "ancestorOrigins"])
        .and_then(|list| js_sys::Reflect::get(&list, &0.into()).ok())
        .and_then(|o| o.as_string());
    from_ancestors.or_else(|| {
        let referrer = text(&document(), "referrer");
        web_sys::Url::new(&referrer).ok().map(|u| u.origin())
    })
}

/// The transport to the host, or `None` when there is no host this app may talk to: an iframe
/// whose parent's origin is not listed (or cannot be established) is told nothing.
fn transport(parts: &Parts) -> Option<Transport> {
    if let Some(handler) = lookup(&["webkit", "messageHandlers", "citizenCloud"])
        .or_else(|| lookup(&["CitizenCloudAndroid"]))
    {
        return Some(Transport::Native(handler));
    }
    if !framed() {
        return None;
    }
    match parent_origin() {
        Some(origin) if parts.config.is_origin_allowed(&origin) => {
            Some(Transport::Parent { target: origin })
        }
        other => {
            leptos::logging::warn!(
                "framed by {other:?}, which allowed_origins does not list: the host is told nothing"
            );
            None
        }
    }
}

/// What the bridge acts on: the shell's contexts.
struct Parts {
    navigation: Navigation,
    config: Arc<AppConfig>,
    personal: Personal,
    i18n: I18n,
    session: Option<SessionState>,
}

/// Starts the bridge under the shell's owner (its contexts, and effects that live as long as it).
pub fn run(owner: Option<Owner>) {
    let Some(owner) = owner else {
        return;
    };
    owner.with(|| {
        start(Rc::new(Parts {
            navigation: use_navigation(),
            config: use_config(),
            personal: use_personal(),
            i18n: use_i18n(),
            session: use_session(),
        }))
    });
}

fn start(parts: Rc<Parts>) {
    if let Some(code) = code_from_address(&parts) {
        adopt(&parts, code, false);
    }
    let Some(transport) = transport(&parts) else {
        return;
    };
    let transport = Rc::new(transport);
    listen(&parts, &transport);

    let navigation = parts.navigation;
    let here = move || navigation.url.with_untracked(|u| u.path.clone());
    transport.send(&AppMessage::Ready {
        version: embed::VERSION,
        route: here(),
        title: text(&document(), "title"),
    });
    let check_route = follow_routes(transport.clone(), here);

    let to_host = transport.clone();
    let hook = Closure::<dyn Fn(String) -> bool>::new(move |told: String| {
        let mut chars = told.chars();
        let kind = chars.next();
        let words = chars.as_str().to_owned();
        let message = match kind {
            Some(super::OPEN) => match external(&words) {
                Some(url) => AppMessage::Open { url },
                None => return false,
            },
            Some(super::SIGN_IN) => AppMessage::SignIn,
            Some(super::FILED) => AppMessage::Filed { tracking: words },
            Some(super::ERROR) => AppMessage::Error { message: words },
            Some(super::ROUTE) => {
                check_route();
                return true;
            }
            _ => return false,
        };
        to_host.send(&message);
        true
    });
    HOST.with(|h| *h.borrow_mut() = Some(hook.into_js_value().unchecked_into()));
    follow_height(&transport);
}

/// An address the host should open itself: a page on another origin, or a number to call.
/// In-app links and this origin's own files (a photo) stay with the app.
pub fn external(href: &str) -> Option<String> {
    if href.starts_with("tel:") {
        return Some(href.to_owned());
    }
    let web = href.starts_with("https:") || href.starts_with("http:");
    let url = web_sys::Url::new(href).ok()?;
    let elsewhere = window().location().origin().ok()? != url.origin();
    (web && elsewhere).then(|| href.to_owned())
}

/// Host → app: `message` events for iframes (origin checked by the core), and
/// `window.citizenCloud.receive(json)` for native hosts (no origin: only the host's own code
/// can call it).
fn listen(parts: &Rc<Parts>, transport: &Transport) {
    let from_frame = parts.clone();
    drop(window_event_listener(leptos::ev::message, move |ev| {
        // Messages are JSON text; anything else is not a bridge message.
        let Some(data) = prop(&ev, "data").as_string() else {
            return;
        };
        let origin = text(&ev, "origin");
        act(
            &from_frame,
            embed::receive(&from_frame.config, Some(&origin), &data),
        );
    }));
    if let Transport::Native(_) = transport {
        let from_native = parts.clone();
        let receive = Closure::<dyn Fn(String)>::new(move |json: String| {
            act(
                &from_native,
                embed::receive(&from_native.config, None, &json),
            );
        });
        let api = js_sys::Object::new();
        let defined = js_sys::Reflect::set(&api, &"receive".into(), receive.as_ref())
            .and_then(|_| js_sys::Reflect::set(&window(), &"citizenCloud".into(), &api));
        if defined.is_err() {
            leptos::logging::warn!("window.citizenCloud could not be defined");
        }
        receive.forget();
    }
}

/// Does what the host asked. A refused message changes nothing.
fn act(parts: &Rc<Parts>, message: Result<HostMessage, Refusal>) {
    match message {
        Err(Refusal::NotOurs) => {}
        Err(refusal) => leptos::logging::warn!("ignored: {refusal}"),
        Ok(HostMessage::Auth { code }) => adopt(parts, code, true),
        Ok(HostMessage::Navigate { route }) => parts.navigation.navigate(&route.to_string()),
        Ok(HostMessage::Set { lang, large_text }) => {
            if let Some(lang) = lang {
                parts.personal.choose_language(parts.i18n, lang);
            }
            if let Some(large) = large_text {
                parts.personal.choose_large_text(large);
            }
        }
        Ok(HostMessage::SignOut) => {
            if let Some(session) = parts.session {
                session.sign_out();
            }
        }
    }
}

/// Exchanges a host code; a refusal is told to the host (when `tell_host` and there is one) in the
/// person's words.
fn adopt(parts: &Rc<Parts>, code: HostCode, tell_host: bool) {
    let Some(session) = parts.session else {
        leptos::logging::warn!("a host code, but this configuration has no accounts");
        return;
    };
    let lang = parts.i18n.lang;
    spawn_local(async move {
        if let Err(e) = session.adopt_host_code(code).await {
            leptos::logging::warn!("the host code was refused: {e}");
            if tell_host {
                super::tell(|| Told::Error(e.text(lang.get_untracked())));
            }
        }
    });
}

/// `?host_code=` in the address (mini-program web-views): taken, and removed from the address
/// at once, before anything else runs, so it is neither kept in the history nor shared.
fn code_from_address(parts: &Parts) -> Option<HostCode> {
    let location = window().location();
    let search = location.search().ok()?;
    let hash = location.hash().ok()?;
    let (code, search, hash) = if search.contains("host_code=") {
        let (code, rest) = take_code(search.trim_start_matches('?'))?;
        (code, rest, hash)
    } else {
        let (path, query) = hash.split_once('?')?;
        let (code, rest) = take_code(query)?;
        let hash = if rest.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{rest}")
        };
        (code, String::new(), hash)
    };
    let search = if search.is_empty() {
        String::new()
    } else {
        format!("?{search}")
    };
    let pathname = location.pathname().unwrap_or_default();
    let clean = format!("{pathname}{search}{hash}");
    let mode = parts.config.routing;
    let replaced = window()
        .history()
        .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&clean)));
    if replaced.is_err() && mode == RoutingMode::Hash {
        // A webview that refuses the history API: the fragment alone changes without a load.
        let _ = call(&location, "replace", &JsValue::from(&clean));
    }
    parts.navigation.url.set(history::current(mode));
    HostCode::parse(&code)
}

/// Splits `host_code` off a query: the code, and the query without it.
pub fn take_code(query: &str) -> Option<(String, String)> {
    let params = web_sys::UrlSearchParams::new_with_str(query).ok()?;
    let code = params.get("host_code")?;
    params.delete("host_code");
    Some((code, String::from(params.to_string())))
}

/// `route` on every navigation, with the screen's title, never twice alike: checked when a screen
/// names itself (`dom::set_title`), so the title is the new screen's, not the one it replaced.
fn follow_routes(transport: Rc<Transport>, here: impl Fn() -> String + 'static) -> impl Fn() {
    let last = RefCell::new((here(), text(&document(), "title")));
    move || {
        let now = (here(), text(&document(), "title"));
        if *last.borrow() != now {
            transport.send(&AppMessage::Route {
                path: now.0.clone(),
                title: now.1.clone(),
            });
            *last.borrow_mut() = now;
        }
    }
}

/// `height` whenever the document's height changes, in whole CSS pixels.
fn follow_height(transport: &Rc<Transport>) {
    let transport = transport.clone();
    let last = Rc::new(RefCell::new(0u32));
    let measure = move || {
        let Some(root) = document().document_element() else {
            return;
        };
        let rect = prop(&root, "getBoundingClientRect")
            .unchecked_into::<js_sys::Function>()
            .call0(&root)
            .unwrap_or_default();
        let px = prop(&rect, "height").as_f64().unwrap_or(0.0).ceil() as u32;
        if *last.borrow() != px {
            *last.borrow_mut() = px;
            transport.send(&AppMessage::Height { px });
        }
    };
    let observed = Closure::<dyn Fn()>::new(measure);
    if let (Ok(observer), Some(root)) = (
        web_sys::ResizeObserver::new(observed.as_ref().unchecked_ref()),
        document().document_element(),
    ) {
        let _ = call(&observer, "observe", &root);
    }
    observed.forget();
}
