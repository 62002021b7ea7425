//! The Citizen Cloud reference server. It serves the built bundle under a base path, the runtime
//! `config.json`, a health check, and the `/api/v1` JSON contract with its OpenAPI document,
//! backed by an embedded SQLite database in the data directory.

pub mod cli;
pub mod clock;
pub mod http;
pub mod image_meta;
pub mod password;
pub mod sms;
pub mod store;

use crate::http::base_path::BasePath;
use crate::http::{bundle, limits, open311, recover, security, session_cache};
use crate::store::db;
use axum::body::Body;
use axum::http::{HeaderName, Request};
use axum::{Json, Router, routing::get};
use citizen_core::catalog::Catalog;
use clock::Clock;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use thiserror::Error;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub bundle: Arc<bundle::Bundle>,
    pub catalog: Arc<http::catalog::CatalogDocument>,
    pub db: db::Db,
    pub clock: Arc<dyn Clock>,
    pub limits: Arc<limits::SignInLimits>,
    /// Host apps' credentials (`POST /host/sign-in-codes`), limited as sign-ins are, per claimed
    /// client id; a right secret gives the address its count back.
    pub host_limits: Arc<limits::SignInLimits>,
    pub sessions: Arc<session_cache::SessionCache>,
    pub openapi: Arc<String>,
    /// Two letters that start every tracking number (`CD` for Chengdu).
    pub city: String,
    /// The database's one writer: every write goes through it (group commit, `store::writer`),
    /// so writers never meet in SQLite's busy handler.
    pub writer: store::writer::Writer,
    /// Each community's points book, kept between changes (checked against the ledger each time).
    pub points_books: Arc<store::volunteer::Books>,
    /// Wrong check-in codes per person, so the six digits cannot be guessed by brute force
    /// (kept in the database, as every limit here: `http::limits`).
    pub check_ins: Arc<limits::CheckInLimits>,
    /// The time bank's monthly pool cap and its look-up limit per person.
    pub timebank: Arc<http::timebank::TimeBankGuards>,
    /// Take the caller's address from the last `X-Forwarded-For` hop (`--trusted-proxy`).
    pub trusted_proxy: bool,
    /// Where residents reach the app (`--public-url`), for absolute links such as Open311's
    /// `media_url`; never taken from a request's `Host`.
    pub public_url: Option<PublicUrl>,
    /// Passwords checked against their hash since start (the sign-in limits' effect, observable).
    pub password_checks: Arc<AtomicU64>,
    /// The headers every response gets (`security`).
    pub security: Arc<security::SecurityHeaders>,
    /// Photo upload attempts per person per minute, counted before the body is read.
    pub photo_uploads: Arc<http::photos::UploadLimits>,
    /// Where new photos' bytes go (`--photos`); `None`: into their rows in the database.
    pub photo_objects: Option<Arc<store::photo_objects::PhotoObjects>>,
    /// Where text messages go (`--sms`): the log, or a gateway's webhook.
    pub sms: Arc<dyn sms::SmsSender>,
    /// The in-memory key SMS codes are hashed under (`store::sms`).
    pub sms_key: Arc<store::sms::SmsKey>,
    /// SMS code requests per number and per address.
    pub sms_limits: Arc<limits::SmsLimits>,
}

/// An absolute `http(s)://` URL where the app is reached, always ending in `/`
/// (`https://city.example/community/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host name, without scheme, port or path: `city.example` for
    /// `https://city.example:8443/community/`; `[::1]` for `http://[::1]:8080/`.
    pub fn host(&self) -> &str {
        let rest = self.0.split_once("://").map_or(self.0.as_str(), |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or("");
        match authority.find(']') {
            Some(end) if authority.starts_with('[') => &authority[..=end],
            _ => authority.split(':').next().unwrap_or(""),
        }
    }
}

impl std::str::FromStr for PublicUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let rest = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))
            .ok_or("the public URL starts with https:// or http://")?;
        let host = rest.split('/').next().unwrap_or("");
        let plain = |c: char| c.is_ascii_alphanumeric() || "-._~/:[]%".contains(c);
        if host.is_empty() || !rest.chars().all(plain) {
            return Err(
                "the public URL is scheme://host[:port][/path], without query or fragment".into(),
            );
        }
        Ok(PublicUrl(if raw.ends_with('/') {
            raw.to_owned()
        } else {
            format!("{raw}/")
        }))
    }
}

#[derive(Debug, Error)]
pub enum StartError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid app configuration: {source}")]
    Config {
        path: PathBuf,
        source: citizen_core::config::ConfigError,
    },
    #[error("the shipped catalog is invalid: {0}")]
    Catalog(#[from] citizen_core::catalog::CatalogError),
    #[error("{0}")]
    Db(#[from] db::DbError),
    #[error(
        "replicas on PostgreSQL must check each other's SMS codes: give every replica the same \
         CITIZEN_SMS_KEY (32 random bytes in base64url)"
    )]
    SharedSmsKey,
    #[error("{0}")]
    PhotoStore(String),
}

/// Settings the server starts with.
pub struct Settings {
    pub dist: PathBuf,
    pub base_path: BasePath,
    /// A `config.json` to serve instead of the one inside the bundle.
    pub config: Option<PathBuf>,
    /// Where the server keeps its files: the SQLite database by default, the SMS log.
    pub data_dir: PathBuf,
    /// Another database than the data directory's SQLite file (`--database`).
    pub database: Option<db::Database>,
    /// Seed the demo community's accounts.
    pub demo: bool,
    /// Two letters that start every tracking number.
    pub city: String,
    /// The most minutes of a member's service the community pool pays for per calendar month.
    pub pool_cap_minutes: u32,
    /// Behind a reverse proxy: read the caller's address from `X-Forwarded-For`.
    pub trusted_proxy: bool,
    /// Where residents reach the app, for absolute links.
    pub public_url: Option<PublicUrl>,
    /// How text messages (sign-up and reset codes) are sent.
    pub sms: sms::SmsSettings,
    /// The key SMS codes are hashed under, shared by replicas (`CITIZEN_SMS_KEY`); without it a
    /// server on SQLite makes its own at start, and one on PostgreSQL does not start.
    pub sms_key: Option<store::sms::SmsKey>,
    /// A photo store for new photos' bytes (`--photos`), instead of their database rows.
    pub photos: Option<store::photo_objects::PhotoStore>,
}

impl Settings {
    /// The database to open: `--database`, else the SQLite file in the data directory.
    pub fn database(&self) -> db::Database {
        self.database
            .clone()
            .unwrap_or_else(|| db::Database::in_data_dir(&self.data_dir))
    }

    /// Defaults for a bundle directory: base `/`, its own config, data in `data_dir`, demo on.
    pub fn new(dist: impl Into<PathBuf>, data_dir: impl Into<PathBuf>) -> Settings {
        Settings {
            dist: dist.into(),
            base_path: BasePath::root(),
            config: None,
            data_dir: data_dir.into(),
            database: None,
            demo: true,
            city: "CD".to_owned(),
            pool_cap_minutes: citizen_core::timebank::PoolCap::DEFAULT_MINUTES,
            trusted_proxy: false,
            public_url: None,
            sms: sms::SmsSettings::Log,
            sms_key: None,
            photos: None,
        }
    }
}

impl AppState {
    pub async fn load(settings: &Settings, clock: Arc<dyn Clock>) -> Result<AppState, StartError> {
        let catalog = Catalog::parse_json(citizen_core::catalog::SHIPPED_JSON)?;
        // The bundle first: a wrong --dist should not leave a fresh database behind.
        let bundle = bundle::Bundle::load(settings)?;
        // The data directory holds the SMS log whichever database is used.
        std::fs::create_dir_all(&settings.data_dir).map_err(|source| db::DbError::DataDir {
            path: settings.data_dir.clone(),
            source,
        })?;
        let db = db::Db::connect(&settings.database()).await?;
        let engine = db.engine();
        let sms_key = match (&settings.sms_key, engine) {
            (Some(key), _) => key.clone(),
            (None, store::sql::Engine::Sqlite) => store::sms::SmsKey::generate(),
            (None, store::sql::Engine::Postgres) => return Err(StartError::SharedSmsKey),
        };
        let photo_objects = match &settings.photos {
            Some(store) => Some(Arc::new(
                store.open().await.map_err(StartError::PhotoStore)?,
            )),
            None => None,
        };
        let writer = db.writer().await?;
        if settings.demo {
            cli::demo::seed(&db, clock.now()).await?;
        }
        let openapi = http::openapi::document(settings.base_path.as_str())
            .to_json()
            .expect("the OpenAPI document serialises");
        let security = security::SecurityHeaders::new(
            settings.base_path.as_str(),
            bundle.index_html(),
            bundle.origins(),
        );
        Ok(AppState {
            bundle: Arc::new(bundle),
            catalog: Arc::new(http::catalog::CatalogDocument::new(&catalog)),
            db,
            clock,
            limits: Arc::new(limits::SignInLimits::sign_in()),
            host_limits: Arc::new(limits::SignInLimits::host()),
            sessions: Arc::new(session_cache::SessionCache::for_engine(engine)),
            openapi: Arc::new(openapi),
            city: settings.city.clone(),
            writer,
            points_books: Arc::default(),
            check_ins: Arc::default(),
            timebank: Arc::new(http::timebank::TimeBankGuards::new(
                citizen_core::timebank::PoolCap::minutes(settings.pool_cap_minutes),
            )),
            trusted_proxy: settings.trusted_proxy,
            public_url: settings.public_url.clone(),
            password_checks: Arc::default(),
            security: Arc::new(security),
            photo_uploads: Arc::default(),
            photo_objects,
            sms: Arc::from(settings.sms.sender(&settings.data_dir)),
            sms_key: Arc::new(sms_key),
            sms_limits: Arc::default(),
        })
    }
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Every request gets an id (the caller's `x-request-id` if it sent one), logged on its span and
/// returned in the response, so a resident's error report can be found in the logs.
fn request_span(request: &Request<Body>) -> Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
}

pub const REQUEST_ID: &str = "x-request-id";

/// The whole HTTP surface. Tests drive it with `tower::ServiceExt::oneshot`.
pub fn app(state: AppState) -> Router {
    app_with(state, Router::new())
}

/// [`app`] with `extra` routes merged inside the same layers (tests add a route that panics).
pub fn app_with(state: AppState, extra: Router) -> Router {
    let header = HeaderName::from_static(REQUEST_ID);
    let security = state.security.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .merge(extra)
        .merge(http::router(state.clone()))
        .merge(open311::router(state.clone()))
        .merge(bundle::router(state))
        // A handler that panics answers 500 with the request id; the server carries on.
        .layer(CatchPanicLayer::custom(recover::panicked))
        .layer(axum::middleware::from_fn(recover::with_request_id))
        .layer(axum::middleware::from_fn_with_state(
            security,
            security::middleware,
        ))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(header.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(header, MakeRequestUuid))
}
