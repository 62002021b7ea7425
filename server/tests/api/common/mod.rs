//! A fresh server per test: a temporary bundle and database, a clock the test controls, and the
//! router driven without a socket (`spawn_app` in zero2prod's words).

pub mod concurrency;
pub mod files;
pub mod hosts;
pub mod images;
pub mod loopback;
pub mod process;
pub mod sms;
pub mod timebank;
pub mod volunteer;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use citizen_server::clock::ManualClock;
use citizen_server::store::db::{Database, Db, Tx};
use citizen_server::store::photo_objects::PhotoStore;
use citizen_server::store::sql::{self, Connection, OptionalExtension, Params, Row};
use citizen_server::{AppState, Settings};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tempfile::TempDir;
use tower::ServiceExt;

/// 2026-11-25T00:00:00Z.
pub const START: i64 = 1_795_564_800;
pub const DEMO_PASSWORD: &str = "demo-pass-2026";
pub const RESIDENT: &str = "13800000001";
pub const VOLUNTEER: &str = "13800000002";
pub const STAFF: &str = "13800000003";

pub struct TestApp {
    pub router: axum::Router,
    pub state: AppState,
    pub clock: ManualClock,
    pub dir: TempDir,
    /// The app's database: SQLite in `dir`, or, when `CITIZEN_TEST_POSTGRES` names a cluster
    /// (`./run test` starts one), a fresh PostgreSQL database of its own.
    pub database: Database,
}

/// The PostgreSQL cluster to run the suite on (an admin URL), when there is one.
pub fn test_postgres() -> Option<String> {
    std::env::var("CITIZEN_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// The SMS key of servers on the test cluster (a server on PostgreSQL needs one given).
pub const TEST_SMS_KEY: &str = "dGVzdC1zbXMta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXM";

/// The SMS key a test server is given: none on SQLite (it makes its own), the test key on
/// PostgreSQL.
pub fn test_sms_key() -> Option<citizen_server::store::sms::SmsKey> {
    test_postgres().map(|_| TEST_SMS_KEY.parse().unwrap())
}

/// A new database for one test: a file in `dir`, or a fresh database on the test cluster.
pub fn fresh_database(dir: &std::path::Path) -> Database {
    match test_postgres() {
        None => Database::in_data_dir(&dir.join("data")),
        Some(admin) => {
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos();
            let name = format!("t_{}_{n}_{nanos}", std::process::id());
            // Off the async runtime: the store's PostgreSQL calls block.
            let url = std::thread::scope(|s| {
                s.spawn(|| citizen_server::store::pg::create_database(&admin, &name))
                    .join()
                    .unwrap()
            })
            .unwrap();
            Database::Postgres(url)
        }
    }
}

/// The photo store of a test server: none on SQLite (photos in their rows, the embedded
/// default); on PostgreSQL, as a multi-replica deployment keeps them, a directory (`photos` in
/// the test's own) standing for the replicas' shared volume. So every photo test runs both ways.
pub fn test_photo_store(dir: &std::path::Path) -> Option<PhotoStore> {
    test_postgres().map(|_| file_store(&test_photo_dir(dir)))
}

/// Where [`test_photo_store`] keeps the photos of the test whose directory is `dir`.
fn test_photo_dir(dir: &std::path::Path) -> std::path::PathBuf {
    dir.join("photos")
}

/// A photo store in the directory `dir` (an absolute path, as `--photos` takes one).
pub fn file_store(dir: &std::path::Path) -> PhotoStore {
    PhotoStore::new(dir.to_str().unwrap(), []).unwrap()
}

/// How many files `dir` holds, in it and below it (none when it does not exist).
pub fn files_in(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .map(|entry| entry.unwrap().path())
        .map(|path| if path.is_dir() { files_in(&path) } else { 1 })
        .sum()
}

/// A test's hand on its app's database, beside the server: each call runs off the async runtime
/// on a pooled connection, outside any transaction (each statement commits).
pub struct TestDb(Db);

impl TestDb {
    pub fn with<T: Send>(&self, f: impl FnOnce(&Connection) -> T + Send) -> T {
        std::thread::scope(|s| s.spawn(|| f(&self.0.get().unwrap().sql())).join().unwrap())
    }

    pub fn execute(&self, sql: &str, params: impl Params + Send) -> sql::Result<usize> {
        self.with(|conn| conn.execute(sql, params))
    }

    pub fn query_row<T: Send>(
        &self,
        sql: &str,
        params: impl Params + Send,
        f: impl FnOnce(&Row<'_>) -> sql::Result<T> + Send,
    ) -> sql::Result<T> {
        self.with(|conn| conn.query_row(sql, params, f))
    }

    /// `f` in one write transaction, committed when it succeeds.
    pub fn write<T: Send>(
        &self,
        f: impl FnOnce(&Connection) -> sql::Result<T> + Send,
    ) -> sql::Result<T> {
        std::thread::scope(|s| {
            s.spawn(|| {
                let pooled = self.0.get().unwrap();
                pooled.transaction(Tx::Write, f)
            })
            .join()
            .unwrap()
        })
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
    /// The body as sent, for replies that are not text (photos).
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The `code` of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }

    /// The `message` of an error body; there must be one.
    pub fn message(&self) -> &str {
        self.body["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no error message: {}", self.text))
    }

    /// Asserts an error reply: its status, its `code` and its `field` (`None`: the body's field
    /// is null or absent); a failure shows the reply.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, code: &str, field: Option<&str>) {
        self.assert_error_for("", status, code, field);
    }

    /// [`Reply::assert_error`] for one of several cases, named in a failure by `case`.
    #[track_caller]
    pub fn assert_error_for(
        &self,
        case: &str,
        status: StatusCode,
        code: &str,
        field: Option<&str>,
    ) {
        let at = if case.is_empty() {
            String::new()
        } else {
            format!("{case}: ")
        };
        assert_eq!(self.status, status, "{at}{}", self.text);
        assert_eq!(self.code(), code, "{at}{}", self.text);
        assert_eq!(
            self.body["error"]["field"],
            serde_json::json!(field),
            "{at}{}",
            self.text
        );
    }
}

/// The JSON body that signs `mobile` in with `password`.
pub fn sign_in_body(mobile: &str, password: &str) -> String {
    format!(r#"{{"mobile": "{mobile}", "password": "{password}"}}"#)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_under("/").await
}

/// A server whose app and API live under `base` (e.g. `/community/`).
pub async fn spawn_app_under(base: &str) -> TestApp {
    spawn_app_with(base, |_| {}).await
}

/// A server under `base` whose settings `adjust` changes first (its `dist` holds a minimal
/// `index.html` and `config.json`, which `adjust` may overwrite).
pub async fn spawn_app_with(base: &str, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with_routes(base, adjust, axum::Router::new()).await
}

/// A server whose served config sends requests to a city's GeoReport `endpoint` (the other
/// modules on `rest`, so residents sign in). With `data_of`, it opens that app's database: the
/// same server restarted with another config.
pub async fn spawn_city_app(endpoint: &str, data_of: Option<&TestApp>) -> TestApp {
    let config = serde_json::json!({
        "backends": {
            "services": "rest",
            "requests": {"kind": "open311", "endpoint": endpoint, "api_key": "app-key"},
        }
    });
    let database = data_of.map(|app| app.database.clone());
    spawn_app_with("/", |s| {
        std::fs::write(s.dist.join("config.json"), config.to_string()).unwrap();
        if let Some(database) = database {
            s.database = Some(database);
        }
    })
    .await
}

/// A test server's settings in `dir`: a minimal bundle (`dist`, an `index.html` and an empty
/// `config.json`), a fresh database, the test SMS key and photo store, its API under `base`.
pub fn test_settings(dir: &std::path::Path, base: &str) -> Settings {
    let dist = dir.join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<head></head>").unwrap();
    std::fs::write(dist.join("config.json"), "{}").unwrap();
    Settings {
        base_path: base.parse().unwrap(),
        database: Some(fresh_database(dir)),
        sms_key: test_sms_key(),
        photos: test_photo_store(dir),
        ..Settings::new(&dist, dir.join("data"))
    }
}

/// [`spawn_app_with`], with `extra` routes inside the real app's layers.
pub async fn spawn_app_with_routes(
    base: &str,
    adjust: impl FnOnce(&mut Settings),
    extra: axum::Router,
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(START);
    let mut settings = test_settings(dir.path(), base);
    adjust(&mut settings);
    let database = settings.database();
    let state = AppState::load(&settings, Arc::new(clock.clone()))
        .await
        .unwrap();
    TestApp {
        router: citizen_server::app_with(state.clone(), extra),
        state,
        clock,
        dir,
        database,
    }
}

impl TestApp {
    /// The bytes the server keeps for photo `id`: its row's, or, when the row has none, its
    /// object's in the server's photo store. `None` when there is neither.
    pub async fn kept_photo(&self, id: &str) -> Option<Vec<u8>> {
        let row: Option<Option<Vec<u8>>> = self
            .db()
            .query_row("SELECT bytes FROM photos WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .unwrap();
        match row {
            Some(Some(bytes)) => Some(bytes),
            _ => self.stored_object(id).await,
        }
    }

    /// How many objects the test's own photo store (`test_photo_store`) holds; `None` when the
    /// server keeps photos in their rows.
    pub fn files_in_photo_store(&self) -> Option<usize> {
        self.state.photo_objects.as_ref()?;
        Some(files_in(&test_photo_dir(self.dir.path())))
    }

    /// Photo `id`'s object in the server's photo store, if it has one and the object is there.
    pub async fn stored_object(&self, id: &str) -> Option<Vec<u8>> {
        let objects = self.state.photo_objects.as_ref()?;
        let id = citizen_core::requests::PhotoId::parse(id).unwrap();
        objects.get(&id).await.unwrap().map(|b| b.to_vec())
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        self.send(
            with_token(Request::get(uri), token)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn delete(&self, uri: &str, token: Option<&str>) -> Reply {
        self.send(
            with_token(Request::delete(uri), token)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, uri: &str, token: Option<&str>, body: &str) -> Reply {
        self.send(post(uri, token, body)).await
    }

    /// `POST /me/favourites` of `tile`, signed in as `token`.
    pub async fn add_favourite(&self, token: &str, tile: &str) -> Reply {
        let body = serde_json::json!({ "tile": tile }).to_string();
        self.post_json("/api/v1/me/favourites", Some(token), &body)
            .await
    }

    /// Signs in and returns the token.
    pub async fn sign_in(&self, mobile: &str) -> String {
        self.sign_in_under("/", mobile).await
    }

    /// Signs in on a server whose API lives under `base` (as given to [`spawn_app_under`]).
    pub async fn sign_in_under(&self, base: &str, mobile: &str) -> String {
        let reply = self
            .post_json(
                &format!("{base}api/v1/session"),
                None,
                &sign_in_body(mobile, DEMO_PASSWORD),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "sign-in failed: {}",
            reply.text
        );
        reply.body["token"].as_str().unwrap().to_owned()
    }

    /// The server's database, beside it.
    pub fn db(&self) -> TestDb {
        TestDb(self.state.db.clone())
    }

    /// How many rows `table` holds.
    pub fn count(&self, table: &str) -> i64 {
        self.db()
            .query_row(&format!("SELECT count(*) FROM {table}"), (), |r| r.get(0))
            .unwrap()
    }
}

pub fn with_token(
    builder: axum::http::request::Builder,
    token: Option<&str>,
) -> axum::http::request::Builder {
    match token {
        Some(token) => builder.header(header::AUTHORIZATION, format!("Bearer {token}")),
        None => builder,
    }
}

pub fn post(uri: &str, token: Option<&str>, body: &str) -> Request<Body> {
    with_token(Request::post(uri), token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// A form-encoded POST, as Open311 clients send.
pub fn form(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// `request` with an `Idempotency-Key`.
pub fn with_key(mut request: Request<Body>, key: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert("idempotency-key", key.parse().unwrap());
    request
}

/// A server whose time-bank pool cap and look-up limit a test of volume does not reach (the
/// security tests, `security_timebank.rs`, hold both).
pub async fn spawn_roomy_app() -> TestApp {
    use citizen_core::timebank::PoolCap;
    use citizen_server::http::timebank::TimeBankGuards;
    let TestApp {
        state,
        clock,
        dir,
        database,
        ..
    } = spawn_app().await;
    let state = AppState {
        timebank: Arc::new(TimeBankGuards::with_lookup_limit(
            PoolCap::minutes(u32::MAX),
            u32::MAX,
        )),
        ..state
    };
    TestApp {
        router: citizen_server::app(state.clone()),
        state,
        clock,
        dir,
        database,
    }
}

/// Another server beside `base`: the same database, clock, bundle, SMS key, photo store and data
/// directory (one `sms.log` holds what both sent), with process state of its own (caches, writer,
/// guards), as a second replica behind a load balancer is; `adjust` changes its settings first
/// (another pool cap: a community that changed it).
pub async fn server_beside(base: &TestApp, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = Settings {
        database: Some(base.database.clone()),
        sms_key: Some((*base.state.sms_key).clone()),
        photos: test_photo_store(base.dir.path()),
        ..Settings::new(base.dir.path().join("dist"), base.dir.path().join("data"))
    };
    adjust(&mut settings);
    let state = AppState::load(&settings, Arc::new(base.clock.clone()))
        .await
        .unwrap();
    TestApp {
        router: citizen_server::app(state.clone()),
        state,
        clock: base.clock.clone(),
        dir: tempfile::tempdir().unwrap(),
        database: base.database.clone(),
    }
}

/// [`server_beside`] `base`, with `base`'s time-bank settings (a roomy app's replica stays
/// roomy; the limits' counts are in the database either way).
pub async fn replica_of(base: &TestApp) -> TestApp {
    let replica = server_beside(base, |_| {}).await;
    let state = AppState {
        timebank: Arc::clone(&base.state.timebank),
        ..replica.state
    };
    TestApp {
        router: citizen_server::app(state.clone()),
        state,
        ..replica
    }
}

/// The person id of the one signed in with `token`.
pub async fn person_id(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/me", Some(token)).await.body["id"]
        .as_i64()
        .unwrap()
}

/// A request for a broken street light citing `photos`, as the app files it.
pub fn street_light(photos: &[&str]) -> Value {
    serde_json::json!({
        "category": "municipal",
        "description": "3 栋门口的路灯不亮已经一周了",
        "address": "玉林北路 3 号",
        "photos": photos,
    })
}

/// Files [`street_light`] as `token`.
pub async fn file_with(app: &TestApp, token: &str, photos: &[&str]) -> Reply {
    let body = street_light(photos).to_string();
    app.post_json("/api/v1/requests", Some(token), &body).await
}

/// The same street light as an Open311 client files it (form-encoded, signed with `api_key`),
/// with the `extra` fields.
pub fn street_light_form(api_key: &str, extra: &[(&str, &str)]) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("api_key", api_key)
        .append_pair("service_code", "municipal")
        .append_pair("description", "3 栋门口的路灯不亮已经一周了");
    for (key, value) in extra {
        form.append_pair(key, value);
    }
    form.finish()
}

/// GETs `path` followed by each case's query as `token`; each must answer the case's status.
/// The replies, in order.
pub async fn get_each(
    app: &TestApp,
    token: &str,
    path: &str,
    cases: &[(&str, StatusCode)],
) -> Vec<Reply> {
    let mut replies = Vec::new();
    for (query, status) in cases {
        let reply = app.get(&format!("{path}{query}"), Some(token)).await;
        assert_eq!(reply.status, *status, "{query}: {}", reply.text);
        replies.push(reply);
    }
    replies
}

/// Adds a person to a community (with the demo password) and returns their person id.
pub fn add_person(
    app: &TestApp,
    mobile: &str,
    name: &str,
    community: &str,
    roles: &[citizen_core::account::Role],
) -> i64 {
    // One hash for every person added (Argon2 is slow on purpose).
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = HASH.get_or_init(|| citizen_server::password::hash(DEMO_PASSWORD));
    app.db()
        .with(|conn| {
            citizen_server::store::people::insert(
                conn,
                &citizen_server::store::people::NewPerson {
                    mobile: &citizen_core::phone::MobileNumber::parse(mobile).unwrap(),
                    display_name: &citizen_core::account::DisplayName::parse(name).unwrap(),
                    password_hash: hash,
                    community,
                    roles,
                },
                START,
            )
        })
        .unwrap()
        .expect("a new number")
        .get()
}

/// A session opened for `person` straight in the database (sign-ins are rate limited and hash
/// passwords); its token.
pub fn open_session(app: &TestApp, person: i64) -> String {
    let token = citizen_server::store::sessions::new_token();
    let id = citizen_core::ids::MemberId::new(person);
    app.db()
        .with(|conn| citizen_server::store::sessions::open(conn, &token, id, START))
        .unwrap();
    token.expose().to_owned()
}
