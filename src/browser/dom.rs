//! Document-level effects: `<html lang>`, elder-mode class, theme colour, title, base path.

use citizen_core::Lang;
use leptos::prelude::document;

/// index.html paints the shell before the module arrives (and the "please update" page where
/// WebAssembly is missing). Once Rust runs, a failing promise no longer means an old webview:
/// the page's boot script reads this mark.
pub fn mark_boot_running() {
    if let Some(boot) = document().get_element_by_id("boot") {
        let _ = boot.set_attribute("data-running", "");
    }
}

/// Removes index.html's painted shell. Called in the task that mounts the app's first screen,
/// so that no frame shows both, nor neither. Its hidden "please update" page stays, for the
/// chunk loader to show when a chunk cannot be compiled (tools/bundle.mjs).
pub fn remove_boot_screen() {
    if let Ok(Some(shell)) = document().query_selector("#boot .boot-shell") {
        shell.remove();
    }
}

pub fn apply_language(lang: Lang) {
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", lang.tag());
    }
}

pub fn apply_large_text(large: bool) {
    if let Some(html) = document().document_element() {
        let _ = html.class_list().toggle_with_force("large", large);
    }
}

pub fn apply_theme_colour(colour: &str) {
    use wasm_bindgen::JsCast;
    // Through the CSS object model, not a `style` attribute: the server's Content-Security-Policy
    // refuses inline style attributes, and property writes are not subject to it.
    if let Some(html) = document().document_element()
        && let Ok(html) = html.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = html.style().set_property("--brand", colour);
    }
}

/// Moves keyboard (and screen reader) focus to the element with this id, if it is there.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = document().get_element_by_id(id)
        && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = element.focus();
    }
}

/// Names the screen in the document title; a host app hears of it as the `route` it is on.
pub fn set_title(title: &str) {
    document().set_title(title);
    crate::embed::tell(|| crate::embed::Told::Route);
}

thread_local! {
    static ROUTER_BASE: String = {
        let base_uri = document().base_uri().ok().flatten().unwrap_or_default();
        let path = web_sys::Url::new(&base_uri)
            .map(|u| u.pathname())
            .unwrap_or_default();
        path.trim_end_matches('/').to_owned()
    };
}

/// The router's base, from the page's `<base href>` that the server points at the base path:
/// `/community/` gives `/community`, `/` gives the empty string. Read once per page load.
pub fn router_base() -> String {
    ROUTER_BASE.with(String::clone)
}
