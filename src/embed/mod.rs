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

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;
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
}

/// The bridge's ear: true when it sent the message (an `Open` that is no external address is
/// not sent, and the link is left to the app). Set once and kept for the page's life.
type Hook = &'static dyn Fn(Told) -> bool;

thread_local! {
    /// Filled by the bridge once it runs; empty without a host.
    static HOST: Cell<Option<Hook>> = const { Cell::new(None) };
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
    // Opaque to the optimiser: with the one hook the bridge sets in sight, LTO would call it
    // directly, and pull the bridge (its JSON, its transports) into the first-load module.
    std::hint::black_box(HOST.with(Cell::get)).is_some_and(|host| host(told()))
}

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

/// An iframe, an iOS or Android host's handler, or a host code in the address.
fn host_present() -> bool {
    let window = window();
    let framed = window
        .parent()
        .ok()
        .flatten()
        .is_some_and(|parent| parent != window);
    let get = |on: &JsValue, key: &str| js_sys::Reflect::get(on, &key.into()).unwrap_or_default();
    let ios = get(
        &get(&get(&window, "webkit"), "messageHandlers"),
        "citizenCloud",
    );
    let android = get(&window, "CitizenCloudAndroid");
    let href = js_sys::JsString::from(get(&window.location(), "href"));
    framed || !ios.is_undefined() || !android.is_undefined() || href.includes("host_code=", 0)
}

#[cfg(wasm_split)]
#[leptos::wasm_split::wasm_split(embed, wasm_split_path = ::leptos::wasm_split, fallible)]
fn run_later(owner: Option<Owner>) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    bridge::run(owner);
    Ok(())
}

#[cfg(not(wasm_split))]
async fn run_later(owner: Option<Owner>) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    bridge::run(owner);
    Ok(())
}
