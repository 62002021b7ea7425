//! The address bar, in either routing mode. History calls are guarded: iOS WeChat's webview wraps
//! `pushState` and has thrown from it, so a failed push falls back to a full page load instead of
//! breaking navigation.

use super::dom::router_base;
use citizen_core::config::RoutingMode;
use leptos::prelude::window;

/// An in-app address: the path relative to the base (`/services`) and the query without `?`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppUrl {
    pub path: String,
    pub query: String,
}

impl AppUrl {
    /// Splits `/services?category=x`.
    pub fn parse(raw: &str) -> AppUrl {
        let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        AppUrl {
            path,
            query: query.to_owned(),
        }
    }

    pub fn to_relative(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// The href of an in-app address, as an `<a>` should carry it.
pub fn href(mode: RoutingMode, relative: &str) -> String {
    match mode {
        RoutingMode::Path => format!("{}{relative}", router_base()),
        RoutingMode::Hash => format!("#{relative}"),
    }
}

/// Where the page is now.
pub fn current(mode: RoutingMode) -> AppUrl {
    let location = window().location();
    match mode {
        RoutingMode::Path => {
            let pathname = location.pathname().unwrap_or_default();
            let base = router_base();
            let path = pathname.strip_prefix(base.as_str()).unwrap_or(&pathname);
            let search = location.search().unwrap_or_default();
            AppUrl {
                path: if path.is_empty() {
                    "/".into()
                } else {
                    path.to_owned()
                },
                query: search.trim_start_matches('?').to_owned(),
            }
        }
        RoutingMode::Hash => {
            let hash = location.hash().unwrap_or_default();
            match hash.strip_prefix('#').filter(|h| h.starts_with('/')) {
                Some(relative) => AppUrl::parse(relative),
                None => AppUrl::parse("/"),
            }
        }
    }
}

/// Records a new address: in path mode with `pushState`, in hash mode by setting the fragment,
/// which never touches the history API that some webviews break. Returns false when the browser
/// refused and a full load was started.
pub fn push(mode: RoutingMode, relative: &str) -> bool {
    let target = href(mode, relative);
    let pushed = match mode {
        RoutingMode::Path => window()
            .history()
            .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target))),
        RoutingMode::Hash => window().location().set_hash(relative),
    };
    if pushed.is_ok() {
        return true;
    }
    let _ = window().location().assign(&target);
    false
}

/// The absolute address an `<a>` points at, as the app sees it, when it is an in-app link.
pub fn in_app(mode: RoutingMode, absolute: &str) -> Option<AppUrl> {
    let url = web_sys::Url::new(absolute).ok()?;
    let location = window().location();
    if url.origin() != location.origin().ok()? {
        return None;
    }
    let here = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let there = format!("{}{}", url.pathname(), url.search());
    match mode {
        RoutingMode::Path => {
            // A fragment on this page (the skip link) is the browser's business.
            if there == here && !url.hash().is_empty() {
                return None;
            }
            let base = router_base();
            let path = url.pathname();
            let relative = path.strip_prefix(base.as_str())?;
            if !(relative.is_empty() || relative.starts_with('/')) {
                return None;
            }
            let relative = if relative.is_empty() { "/" } else { relative };
            Some(AppUrl::parse(&format!("{relative}{}", url.search())))
        }
        RoutingMode::Hash => {
            let hash = url.hash();
            let relative = hash.strip_prefix('#').filter(|h| h.starts_with('/'))?;
            (there == here).then(|| AppUrl::parse(relative))
        }
    }
}
