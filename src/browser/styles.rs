//! Each chunk's stylesheet (`style/<chunk>.css`), added to the page the first time one of the
//! chunk's screens opens or is prefetched, so the first load carries only the shell's and the
//! home page's styles. `tools/bundle.mjs` writes the sheets beside the chunks and lists them in
//! `<meta name="chunk-styles" content="<folder>" data-chunks="<names>">`; under `trunk serve`
//! index.html links every sheet itself and there is no such meta, so there is nothing to do.
//! What several chunks' screens share (`style/shared.css`: forms, request cards, photos) comes
//! with whichever chunk's sheet is added first, and before it, so a chunk's own rules win.

use js_sys::Promise;
use leptos::prelude::document;
use std::cell::RefCell;
use std::future::Future;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The sheets already added, each with a promise that settles once it has loaded or failed.
    static ADDED: RefCell<Vec<(&'static str, Promise)>> = const { RefCell::new(Vec::new()) };
}

/// Adds `chunk`'s stylesheet (once) and resolves when it is usable. A sheet that cannot be
/// fetched resolves too: the screen still works, only plainer, and never waits forever on it.
pub fn load(chunk: &'static str) -> impl Future<Output = ()> {
    let promise = add(chunk);
    async move {
        if let Some(promise) = promise {
            let _ = JsFuture::from(promise).await;
        }
    }
}

/// The sheet every chunk's screens may use.
const SHARED: &str = "shared";

/// Adds the shared sheet and `chunk`'s own, once each, without waiting for them (a prefetch); a
/// promise that settles once both have; `None` where the page lists neither.
pub fn add(chunk: &'static str) -> Option<Promise> {
    match (add_one(SHARED), add_one(chunk)) {
        (Some(shared), Some(own)) => Some(Promise::all(&js_sys::Array::of2(&shared, &own))),
        (shared, own) => shared.or(own),
    }
}

fn add_one(chunk: &'static str) -> Option<Promise> {
    ADDED.with(|added| {
        let mut added = added.borrow_mut();
        if let Some((_, promise)) = added.iter().find(|(name, _)| *name == chunk) {
            return Some(promise.clone());
        }
        let promise = link(chunk)?;
        added.push((chunk, promise.clone()));
        Some(promise)
    })
}

fn link(chunk: &str) -> Option<Promise> {
    let doc = document();
    let meta = doc.query_selector("meta[name=chunk-styles]").ok()??;
    let folder = meta.get_attribute("content")?;
    let listed = meta.get_attribute("data-chunks")?;
    if !listed.split(' ').any(|name| name == chunk) {
        return None;
    }
    let link = doc.create_element("link").ok()?;
    link.set_attribute("rel", "stylesheet").ok()?;
    link.set_attribute("href", &format!("{folder}{chunk}.css"))
        .ok()?;
    let promise = Promise::new(&mut |settle, _| {
        let target: &web_sys::EventTarget = link.unchecked_ref();
        let _ = target.add_event_listener_with_callback("load", &settle);
        let _ = target.add_event_listener_with_callback("error", &settle);
    });
    doc.query_selector("head").ok()??.append_child(&link).ok()?;
    Some(promise)
}
