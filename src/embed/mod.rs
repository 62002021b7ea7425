//! The host bridge (issue 13): when the app runs inside a host app (an iframe's parent page, an
//! iOS WKWebView, an Android webview, or a mini-program web-view handing over `?host_code=`),
//! it listens to the host and tells it what happens. The messages are the core's
//! (`citizen_core::embed`, version 1).
//!
//! This module is all the first-load module carries: a cheap check for a host at start, and
//! [`tell`], which screens call and which does nothing until the bridge is running. The bridge
//! itself (its JSON, listeners and transports, `bridge.rs`) is its own wasm chunk, fetched only
//! when there is a host.

pub mod bridge;

use crate::later::later;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// What a screen tells the host (the bridge words it as an `AppMessage`).
pub enum Told {
    /// An external address (`https://…`, `tel:…`) the host should open itself.
    Open(String),
    /// The screen needs a person signed in.
    SignIn,
    /// A request was filed: its tracking number.
    Filed(String),
    /// What the person was shown went wrong.
    Error(String),
    /// A screen has named itself (every screen does, once drawn): the route may have changed.
    Route,
}

thread_local! {
    /// The bridge's ear, a JS function `(kind and text) -> bool` that the bridge sets once it runs
    /// (true when it sent the message); empty without a host. A JS function rather than a Rust
    /// closure: the optimiser cannot see through it, so the bridge stays in its chunk.
    static HOST: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Tells the host, when there is one; `told` is only built then.
pub fn tell(told: impl FnOnce() -> Told) {
    offer(told);
}

/// Offers a link the resident tapped to the host: true when the host was asked to open it (an
/// external page or a number to call, while embedded), so the app must not follow it.
pub fn offer_link(href: String) -> bool {
    offer(|| Told::Open(href))
}

fn offer(told: impl FnOnce() -> Told) -> bool {
    let Some(host) = HOST.with(|h| h.borrow().clone()) else {
        return false;
    };
    let (kind, text) = match told() {
        Told::Open(url) => (OPEN, url),
        Told::SignIn => (SIGN_IN, String::new()),
        Told::Filed(tracking) => (FILED, tracking),
        Told::Error(message) => (ERROR, message),
        Told::Route => (ROUTE, String::new()),
    };
    // One text: the kind's letter, then the words.
    let mut message = String::with_capacity(text.len() + 1);
    message.push(kind);
    message.push_str(&text);
    host.call1(&JsValue::NULL, &JsValue::from(message))
        .is_ok_and(|sent| !sent.is_falsy())
}

/// [`Told`]'s kinds as the bridge's ear receives them.
const OPEN: char = 'o';
const SIGN_IN: char = 's';
const FILED: char = 'f';
const ERROR: char = 'e';
const ROUTE: char = 'r';

/// Starts the bridge when there is a host; otherwise does nothing and loads nothing. Called by
/// the shell once its contexts are provided: the bridge reads them under the shell's owner.
pub fn start() {
    if !host_present() {
        return;
    }
    let owner = Owner::current();
    spawn_local(async move {
        if run_later(owner).await.is_err() {
            leptos::logging::warn!("the host bridge could not be loaded");
        }
    });
}

/// `window.a`, read dynamically: the bridge reads the page with the few imports the first load
/// has anyway, so that it adds none of its own there.
pub(crate) fn prop(on: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(on, &key.into()).unwrap_or_default()
}

/// Whether the app runs in a frame (its parent is another window).
pub(crate) fn framed() -> bool {
    let window = JsValue::from(window());
    !js_sys::Object::is(&prop(&window, "parent"), &window)
}

/// An iframe, an iOS or Android host's handler, or a host code in the address.
fn host_present() -> bool {
    let window = JsValue::from(window());
    let ios = prop(
        &prop(&prop(&window, "webkit"), "messageHandlers"),
        "citizenCloud",
    );
    let android = prop(&window, "CitizenCloudAndroid");
    let href = js_sys::JsString::from(prop(&prop(&window, "location"), "href"));
    framed() || !ios.is_undefined() || !android.is_undefined() || href.includes("host_code=", 0)
}

later!(embed:
    /// The bridge, from its chunk.
    fn run_later(owner: Option<Owner>) -> () {
        bridge::run(owner)
    }
);
