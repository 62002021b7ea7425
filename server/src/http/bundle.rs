//! Serving the built bundle: hashed assets cached forever, `index.html` and `config.json`
//! never cached, and every deep link answered with `index.html` so a reload keeps the screen.

use crate::http::base_path::BasePath;
use crate::{AppState, Settings, StartError};
use axum::Router;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use citizen_core::config::{AppConfig, Origin};
use citizen_core::module::Module;
use std::path::{Path, PathBuf};
use tower::ServiceExt;
use tower_http::services::ServeDir;

pub struct Bundle {
    dist: PathBuf,
    base: BasePath,
    index_html: String,
    config_json: String,
    /// The web app manifest and its icon, made from the configuration (`citizen_core::manifest`).
    manifest: String,
    icon_svg: String,
    allowed_origins: Vec<Origin>,
    /// A city's GeoReport endpoint's origin, which the page may call.
    city: Option<Origin>,
    /// That endpoint's address (ending in `/`), which a signed-in person's receipts there are
    /// kept under (`me::city_requests`).
    city_endpoint: Option<String>,
}

fn read(path: &Path) -> Result<String, StartError> {
    std::fs::read_to_string(path).map_err(|source| StartError::Read {
        path: path.to_owned(),
        source,
    })
}

/// Points the page's `<base href>` at the base path, so that the bundle's relative asset URLs
/// and the router both work from any deep link.
pub fn with_base_href(index_html: &str, base: &BasePath) -> String {
    const OPEN: &str = "<base href=\"";
    if let Some(start) = index_html.find(OPEN).map(|i| i + OPEN.len())
        && let Some(len) = index_html[start..].find('"')
    {
        let mut out = index_html.to_owned();
        out.replace_range(start..start + len, base.as_str());
        return out;
    }
    index_html.replacen("<head>", &format!("<head><base href=\"{base}\">"), 1)
}

/// What the server adds to the page's head for this configuration:
/// - the web app manifest (`<link rel="manifest">`, relative to the base href);
/// - the catalog's address (`<meta name="catalog">`), so that index.html's boot script can
///   preload it while the module downloads; the app's own request then takes the preloaded
///   answer. None where the services module has no catalog.
pub fn with_head_links(index_html: &str, config: &AppConfig) -> String {
    let mut head = String::from(r#"<link rel="manifest" href="manifest.webmanifest">"#);
    if let Some(address) = citizen_core::catalog::address(config.backend(Module::Services)) {
        head.push_str(&format!(r#"<meta name="catalog" content="{address}">"#));
    }
    index_html.replacen("</head>", &format!("{head}</head>"), 1)
}

/// Built assets carry a hash of their content in their name: `main-<16 hex digits>.css`, or the
/// directory `pkg-<16 hex digits>/` holding the wasm modules and their JS (tools/bundle.mjs).
/// Their content never changes under that name, so browsers may keep them for a year.
pub fn is_hashed_asset(path: &str) -> bool {
    let mut segments = path.split('/').filter(|s| !s.is_empty()).peekable();
    while let Some(segment) = segments.next() {
        let is_dir = segments.peek().is_some();
        let hashed = segment.split('-').skip(1).any(|part| {
            let hex_len = part.bytes().take_while(u8::is_ascii_hexdigit).count();
            let after = part.as_bytes().get(16);
            hex_len == 16
                && (if is_dir {
                    after.is_none()
                } else {
                    matches!(after, Some(b'.' | b'_'))
                })
        });
        if hashed {
            return true;
        }
    }
    false
}

impl Bundle {
    pub fn base(&self) -> &BasePath {
        &self.base
    }

    /// The page served for the app (with its `<base href>` set).
    pub fn index_html(&self) -> &str {
        &self.index_html
    }

    /// The served config's origins: who may embed the app, and the city endpoint it calls.
    pub fn origins(&self) -> crate::http::security::Origins<'_> {
        crate::http::security::Origins {
            framing: &self.allowed_origins,
            city: self.city.as_ref(),
        }
    }

    /// The city's GeoReport endpoint the served config names for requests, if any.
    pub fn city_endpoint(&self) -> Option<&str> {
        self.city_endpoint.as_deref()
    }

    pub fn load(settings: &Settings) -> Result<Bundle, StartError> {
        let index_path = settings.dist.join("index.html");
        let index_html = with_base_href(&read(&index_path)?, &settings.base_path);
        let config_path = settings
            .config
            .clone()
            .unwrap_or_else(|| settings.dist.join("config.json"));
        let config_json = read(&config_path)?;
        let config = AppConfig::parse_json(&config_json).map_err(|source| StartError::Config {
            path: config_path.clone(),
            source,
        })?;
        // A city's GeoReport endpoint is checked here too: a wrong one stops the start.
        let city = config.city().map_err(|source| StartError::Config {
            path: config_path.clone(),
            source,
        })?;
        let index_html = with_head_links(&index_html, &config);
        Ok(Bundle {
            dist: settings.dist.clone(),
            base: settings.base_path.clone(),
            index_html,
            config_json,
            manifest: citizen_core::manifest::web_manifest(&config, settings.base_path.as_str()),
            icon_svg: citizen_core::manifest::icon_svg(&config),
            allowed_origins: config.allowed_origins,
            city_endpoint: city.as_ref().map(|city| city.endpoint.clone()),
            city: city.map(|city| city.origin),
        })
    }
}

fn no_cache(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn index_response(bundle: &Bundle) -> Response {
    no_cache(
        (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            bundle.index_html.clone(),
        )
            .into_response(),
    )
}

/// A path whose last segment has a dot asks for a file: a missing one is a 404, never the page
/// (a browser would otherwise try to run HTML as JavaScript).
fn spa_fallback(bundle: &Bundle, uri: &Uri) -> Response {
    let last = uri.path().rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        (StatusCode::NOT_FOUND, "not found").into_response()
    } else {
        index_response(bundle)
    }
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    response
}

pub fn router(state: AppState) -> Router {
    let bundle = state.bundle;
    let fallback = {
        let bundle = bundle.clone();
        move |uri: Uri| {
            let bundle = bundle.clone();
            async move { spa_fallback(&bundle, &uri) }
        }
    };
    // tools/bundle.mjs writes a gzip -9 copy beside each module and the catalog: served as is to
    // browsers that take gzip, so no request waits while the server compresses 0.5 MB of wasm.
    let files = ServeDir::new(&bundle.dist)
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(fallback.into_service());
    let page = {
        let bundle = bundle.clone();
        move || {
            let bundle = bundle.clone();
            async move { index_response(&bundle) }
        }
    };
    // config.json, the manifest and its icon: made once at start, revalidated on every load.
    let generated = |content_type: &'static str, body: fn(&Bundle) -> &str| {
        let bundle = bundle.clone();
        move || {
            let body = body(&bundle).to_owned();
            async move { no_cache(([(header::CONTENT_TYPE, content_type)], body).into_response()) }
        }
    };
    let config = generated("application/json", |b| &b.config_json);
    let manifest = generated("application/manifest+json", |b| &b.manifest);
    let icon = generated("image/svg+xml", |b| &b.icon_svg);
    // ServeDir sees paths relative to the base: strip the prefix before handing a request over.
    let prefix = bundle.base.without_trailing_slash().to_owned();
    let serve_files = move |mut request: Request| {
        let files = files.clone();
        let prefix = prefix.clone();
        async move {
            let Some(rest) = request.uri().path().strip_prefix(prefix.as_str()) else {
                return (StatusCode::NOT_FOUND, "not found").into_response();
            };
            let stripped = match request.uri().query() {
                Some(q) => format!("{rest}?{q}"),
                None => rest.to_owned(),
            };
            match stripped.parse::<Uri>() {
                Ok(uri) if stripped.starts_with('/') => *request.uri_mut() = uri,
                _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
            }
            match files.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            }
        }
    };
    let base = bundle.base.as_str();
    let mut router = Router::new()
        .route(base, get(page.clone()))
        .route(&format!("{base}index.html"), get(page))
        .route(&format!("{base}config.json"), get(config))
        .route(&format!("{base}manifest.webmanifest"), get(manifest))
        .route(&format!("{base}icon.svg"), get(icon))
        .fallback(serve_files);
    if !bundle.base.is_root() {
        let to_base = {
            let base = bundle.base.clone();
            move || {
                let base = base.clone();
                async move { Redirect::temporary(base.as_str()) }
            }
        };
        router = router
            .route("/", get(to_base.clone()))
            .route(bundle.base.without_trailing_slash(), get(to_base));
    }
    router.layer(middleware::from_fn(cache_headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_hashed_names() {
        assert!(is_hashed_asset("/citizen-cloud-0123456789abcdef.js"));
        assert!(is_hashed_asset("/c/citizen-cloud-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/pkg-0123456789abcdef/split_requests.wasm"));
        assert!(is_hashed_asset(
            "/community/pkg-0123456789abcdef/__wasm_split.js"
        ));
        assert!(!is_hashed_asset("/pkg-0123456789abcdef"));
        assert!(!is_hashed_asset("/pkg-0123456789abcdefff/a.js"));
        assert!(!is_hashed_asset("/pkg/split_requests.wasm"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/catalog.json"));
        assert!(!is_hashed_asset("/my-app-0123.js"));
    }

    #[test]
    fn rewrites_or_inserts_the_base_href() {
        let base: BasePath = "/community/".parse().unwrap();
        assert_eq!(
            with_base_href(r#"<head><base href="./"/></head>"#, &base),
            r#"<head><base href="/community/"/></head>"#
        );
        assert_eq!(
            with_base_href("<head></head>", &base),
            r#"<head><base href="/community/"></head>"#
        );
    }
}
