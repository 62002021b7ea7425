//! Navigation between screens, without a router crate: the address is parsed by the core's
//! [`Route`], kept in one signal, and changed by in-app links (intercepted on the window, like
//! any single-page router), by [`navigate`] and by the back button. Two modes, chosen by
//! `config.json`: path (`/community/requests/1`) and hash (`#/requests/1`).
//!
//! Why not leptos_router: it weighs 60 KB gzip in this bundle (measured: a Leptos hello world is
//! 35 KB with plain links and 95 KB with the router), more than a quarter of the first-load
//! budget, and it has neither a hash mode nor guarded history calls, which webviews need.

use crate::browser::history::{self, AppUrl};
use crate::browser::scroll;
use citizen_core::config::RoutingMode;
use citizen_core::route::Route;
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::JsCast;

thread_local! {
    static MODE: Cell<RoutingMode> = const { Cell::new(RoutingMode::Path) };
}

/// Where the app is: the one signal screens read.
#[derive(Clone, Copy)]
pub struct Navigation {
    pub url: RwSignal<AppUrl>,
}

impl Navigation {
    /// The screen, or `None` for an address that is no screen.
    pub fn route(&self) -> Memo<Option<Route>> {
        let url = self.url;
        Memo::new(move |_| url.with(|u| Route::parse(&u.path)))
    }

    /// Goes to an in-app path such as `/staff/requests?state=submitted`, as a link would.
    pub fn navigate(self, relative: &str) {
        go(MODE.with(Cell::get), self, AppUrl::parse(relative));
    }

    /// One query parameter of the address (`?category=…`).
    pub fn query(&self, key: &'static str) -> Memo<Option<String>> {
        let url = self.url;
        Memo::new(move |_| {
            url.with(|u| form_pairs(&u.query).find(|(k, _)| k == key).map(|(_, v)| v))
        })
    }
}

/// `a=1&b=x%20y` as decoded pairs (`+` is a space, as forms write it).
fn form_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let decode = |raw: &str| {
        let spaced = raw.replace('+', " ");
        js_sys::decode_uri_component(&spaced)
            .ok()
            .and_then(|d| d.as_string())
            .unwrap_or(spaced)
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(move |pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
}

/// The href for an in-app path such as `/services?category=health`, in the configured mode.
pub fn app_href(relative: &str) -> String {
    history::href(MODE.with(Cell::get), relative)
}

pub fn use_navigation() -> Navigation {
    expect_context::<Navigation>()
}

/// Starts navigation: reads the address, follows the back button and intercepts in-app links.
/// Going back (or forward) returns to where that screen was scrolled.
pub fn provide_navigation(mode: RoutingMode) -> Navigation {
    MODE.with(|m| m.set(mode));
    let start = history::current(mode);
    scroll::start(&start.to_relative());
    let navigation = Navigation {
        url: RwSignal::new(start),
    };
    provide_context(navigation);
    let follow = move || {
        let was = navigation.url.get_untracked();
        let now = history::current(mode);
        // In hash mode, an in-app link's own hash change arrives here after `go` showed it.
        if now == was {
            return;
        }
        scroll::keep(&was.to_relative());
        navigation.url.set(now.clone());
        scroll::restore(&now.to_relative());
    };
    match mode {
        RoutingMode::Path => drop(window_event_listener(leptos::ev::popstate, move |_| {
            follow()
        })),
        RoutingMode::Hash => drop(window_event_listener(leptos::ev::hashchange, move |_| {
            follow()
        })),
    }
    // A reload, or a host that runs the page again, finds the place where it was left.
    drop(window_event_listener(leptos::ev::pagehide, move |_| {
        scroll::keep(&navigation.url.with_untracked(AppUrl::to_relative))
    }));
    drop(window_event_listener(leptos::ev::click, move |ev| {
        intercept(mode, navigation, ev)
    }));
    navigation
}

/// Turns a plain click on an in-app `<a href>` into navigation without a page load. Clicks with
/// a modifier (new tab), on links with `target` or `download`, or to other origins are left alone.
fn intercept(mode: RoutingMode, navigation: Navigation, ev: web_sys::MouseEvent) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    let Some(anchor) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    // Embedded, an external page or a number to call is the host's to open.
    if crate::embed::offer_link(anchor.href()) {
        ev.prevent_default();
        return;
    }
    let own_window = matches!(anchor.target().as_str(), "" | "_self");
    if !own_window || anchor.has_attribute("download") {
        return;
    }
    let Some(target) = history::in_app(mode, &anchor.href()) else {
        return;
    };
    ev.prevent_default();
    go(mode, navigation, target);
}

/// Records `target` in the history and shows it, from the top of the page; the page it leaves
/// keeps its scroll position for the way back.
fn go(mode: RoutingMode, navigation: Navigation, target: AppUrl) {
    if navigation.url.with_untracked(|now| *now == target) {
        return;
    }
    scroll::keep(&navigation.url.with_untracked(AppUrl::to_relative));
    if history::push(mode, &target.to_relative()) {
        navigation.url.set(target);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}
