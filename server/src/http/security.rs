//! Headers on every response the server writes (API, Open311, the bundle, errors and 404s):
//!
//! - a Content-Security-Policy: scripts and styles from this origin only, plus the inline boot
//!   script, start script and style of `index.html`, allowed by their SHA-256 hashes, computed
//!   from the very page served (so they never drift from `tools/bundle.mjs`); WebAssembly
//!   compiling (`'wasm-unsafe-eval'`) but no `eval` and no `'unsafe-inline'`; images from here,
//!   `data:` (the page's empty icon) and `blob:` (photo previews before upload); framing only by
//!   the config's `allowed_origins` (none listed: this origin only); calls (`connect-src`) and
//!   images to this origin and to a city's GeoReport endpoint when the config names one (its
//!   `media_url` photos are shown when the endpoint's origin hosts them), nowhere else;
//! - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`;
//! - `Cache-Control: no-store` on the API and Open311 replies, which carry personal data, except
//!   the public catalog's, which keep their ETag revalidation, and replies that already say
//!   `private` (a photo, which only its viewer's browser may keep).

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use citizen_core::config::Origin;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// `'sha256-…'` sources for the inline elements `tag` (`script` or `style`) of `html`; elements
/// with a `src` load a file and need no hash.
pub fn inline_hashes(html: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        // `<script>` or `<script …>`, not `<scripts>`.
        if !after.starts_with(['>', ' ', '\t', '\n', '\r']) {
            rest = after;
            continue;
        }
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(body_end) = body.find(&close) else {
            break;
        };
        if !attributes.contains("src=") {
            let digest = Sha256::digest(&body.as_bytes()[..body_end]);
            hashes.push(format!("'sha256-{}'", STANDARD.encode(digest)));
        }
        rest = &body[body_end + close.len()..];
    }
    hashes
}

/// Where the page may be framed from and what else it may call.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origins<'a> {
    /// Hosts that may embed the app (`allowed_origins`).
    pub framing: &'a [Origin],
    /// A city's GeoReport endpoint (`backends.requests.endpoint`).
    pub city: Option<&'a Origin>,
}

/// The policy for a page `index_html`, framed only by `origins.framing`.
pub fn content_security_policy(index_html: &str, origins: Origins<'_>) -> String {
    let allowed_origins = origins.framing;
    let city = origins
        .city
        .map(|o| format!(" {}", o.as_str()))
        .unwrap_or_default();
    let scripts = inline_hashes(index_html, "script");
    let styles = inline_hashes(index_html, "style");
    let mut ancestors = vec!["'self'".to_owned()];
    ancestors.extend(allowed_origins.iter().map(|o| o.as_str().to_owned()));
    let join = |first: &str, rest: &[String]| {
        std::iter::once(first.to_owned())
            .chain(rest.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    [
        "default-src 'self'".to_owned(),
        format!("connect-src 'self'{city}"),
        format!("script-src {}", join("'self' 'wasm-unsafe-eval'", &scripts)),
        // The app writes no `style` attributes (its theme colour goes through the CSS object
        // model), so inline styles are the page's own `<style>` only.
        format!("style-src {}", join("'self'", &styles)),
        format!("img-src 'self' data: blob:{city}"),
        format!("frame-ancestors {}", ancestors.join(" ")),
        "base-uri 'self'".to_owned(),
        "object-src 'none'".to_owned(),
        "form-action 'self'".to_owned(),
    ]
    .join("; ")
}

/// What the middleware adds, worked out once at start.
pub struct SecurityHeaders {
    csp: HeaderValue,
    /// `{base}api/` and `{base}open311/`.
    personal: [String; 2],
    /// Public catalog routes under them, which keep their own caching.
    public: Vec<String>,
}

impl SecurityHeaders {
    pub fn new(base: &str, index_html: &str, origins: Origins<'_>) -> SecurityHeaders {
        let policy = content_security_policy(index_html, origins);
        let csp = HeaderValue::from_str(&policy)
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
        let api = format!("{base}api/v1/");
        let open311 = format!("{base}open311/v2/");
        let mut public: Vec<String> = [
            "catalog",
            "tiles",
            "categories",
            "providers",
            "service-points",
            "openapi.json",
        ]
        .iter()
        .map(|p| format!("{api}{p}"))
        .collect();
        public.extend(
            ["services.json", "services/"]
                .iter()
                .map(|p| format!("{open311}{p}")),
        );
        SecurityHeaders {
            csp,
            personal: [format!("{base}api/"), format!("{base}open311/")],
            public,
        }
    }

    /// Whether a reply to `path` may carry personal data (and must not be stored by caches).
    pub fn is_personal(&self, path: &str) -> bool {
        self.personal.iter().any(|p| path.starts_with(p.as_str()))
            && !self.public.iter().any(|p| {
                path == p
                    || (p.ends_with('/') && path.starts_with(p.as_str()))
                    || path
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }
}

pub async fn middleware(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let personal = headers.is_personal(request.uri().path());
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    out.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if personal {
        let private = out
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|d| d.trim() == "private"));
        if !private {
            out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_and_styles_but_not_files() {
        let html = "<head><style>a{}</style><script src=\"x.js\"></script>\
                    <script type=\"module\">go()</script></head><body><script>boot()</script></body>";
        let scripts = inline_hashes(html, "script");
        let hash = |s: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(s.as_bytes())));
        assert_eq!(scripts, vec![hash("go()"), hash("boot()")]);
        assert_eq!(inline_hashes(html, "style"), vec![hash("a{}")]);
    }

    #[test]
    fn frame_ancestors_follow_the_allowed_origins() {
        let none = content_security_policy("", Origins::default());
        assert!(none.contains("frame-ancestors 'self';"), "{none}");
        assert!(!none.contains("unsafe-inline"));
        let host = Origin::parse("https://host.example/").unwrap();
        let some = content_security_policy(
            "",
            Origins {
                framing: &[host],
                city: None,
            },
        );
        assert!(
            some.contains("frame-ancestors 'self' https://host.example;"),
            "{some}"
        );
    }

    #[test]
    fn a_city_endpoint_may_be_called_and_show_images_and_nothing_else_may() {
        let none = content_security_policy("", Origins::default());
        assert!(none.contains("connect-src 'self';"), "{none}");
        assert!(none.contains("img-src 'self' data: blob:;"), "{none}");
        let city = Origin::parse("https://311.city.example").unwrap();
        let some = content_security_policy(
            "",
            Origins {
                framing: &[],
                city: Some(&city),
            },
        );
        assert!(
            some.contains("connect-src 'self' https://311.city.example;"),
            "{some}"
        );
        assert!(
            some.contains("img-src 'self' data: blob: https://311.city.example;"),
            "{some}"
        );
        assert!(some.contains("frame-ancestors 'self';"), "{some}");
    }

    #[test]
    fn personal_paths_are_the_api_but_the_catalog() {
        let h = SecurityHeaders::new("/c/", "", Origins::default());
        assert!(h.is_personal("/c/api/v1/me"));
        assert!(h.is_personal("/c/api/v1/photos/abc"));
        assert!(h.is_personal("/c/open311/v2/requests.json"));
        assert!(h.is_personal("/c/api/v1/tilesx"));
        assert!(!h.is_personal("/c/api/v1/tiles"));
        assert!(!h.is_personal("/c/api/v1/tiles/t-1"));
        assert!(!h.is_personal("/c/api/v1/catalog"));
        assert!(!h.is_personal("/c/open311/v2/services.json"));
        assert!(!h.is_personal("/c/open311/v2/services/001.json"));
        assert!(!h.is_personal("/c/"));
    }
}
