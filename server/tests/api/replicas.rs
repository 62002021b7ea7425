//! Several replicas on one database (issue 15): what one replica does, every other one sees, and
//! nothing that must be shared lives in one process. `./run test` runs this file on SQLite (two
//! servers on one file) and on a throwaway PostgreSQL, the store of real multi-replica
//! deployments; the tests that only PostgreSQL promises say so and are skipped on SQLite.

use crate::common;

use axum::http::StatusCode;
use citizen_server::store::db::{DbError, Tx};
use citizen_server::store::sql::Engine;
use citizen_server::{AppState, Settings, StartError};
use common::concurrency;
use common::loopback::wire;
use common::sms::{account_body, ask, nth_code};
use common::*;
use std::sync::Arc;

fn on_postgres(app: &TestApp) -> bool {
    let shared = app.state.db.engine() == Engine::Postgres;
    if !shared {
        println!("skipped on SQLite: only a PostgreSQL store is shared by replicas");
    }
    shared
}

/// A thousand mixed time-bank and mall operations, alternated between two replicas, each POST
/// retried with its Idempotency-Key on the other one: the books stay whole (sum zero, no negative
/// balance, stock never below zero, each kept thing stored once), and every retry is the first
/// reply replayed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_keep_the_books_through_a_thousand_operations_and_retries_on_each_other() {
    let a = spawn_roomy_app().await;
    let b = replica_of(&a).await;
    let servers = [
        wire::serve(a.router.clone()).await,
        wire::serve(b.router.clone()).await,
    ];
    let run = concurrency::run_on(&servers, &a.state, 1000).await.unwrap();
    println!(
        "1000 operations on two replicas ({}) in {:?}:",
        a.state.db.engine(),
        run.elapsed
    );
    for line in run.lines() {
        println!("  {line}");
    }
    assert!(run.broken.is_empty(), "the books broke: {:#?}", run.broken);
    assert_eq!(run.pool["sum_of_accounts"], 0, "{}", run.pool);
    assert!(run.least_points >= 0, "{}", run.least_points);
    // Both kinds of outcome happened, so the race was real.
    for (op, status) in [
        ("redeem", 200),
        ("redeem", 409),
        ("gift", 201),
        ("confirm", 200),
    ] {
        assert!(
            run.tally.keys().any(|(o, s, _)| *o == op && *s == status),
            "no {op} {status} in the run"
        );
    }
}

/// A filing sent to one replica and retried (same key, same body) on the other is one request,
/// and the retry answers with the first reply.
#[tokio::test]
async fn a_filing_retried_on_the_other_replica_is_stored_once() {
    let a = spawn_app().await;
    let b = replica_of(&a).await;
    let token = a.sign_in(RESIDENT).await;
    let body = r#"{"category": "noise", "description": "楼上每晚装修到十一点多，影响休息", "address": "玉林北路 3 号 2 栋"}"#;
    let keyed = || {
        with_key(
            post("/api/v1/requests", Some(&token), body),
            "filing-across-replicas",
        )
    };
    let first = a.send(keyed()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let retry = b.send(keyed()).await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(retry.body, first.body);
    assert_eq!(a.count("requests"), 1);
    // The same key with another body is a conflict on either replica.
    let other = with_key(
        post(
            "/api/v1/requests",
            Some(&token),
            r#"{"category": "noise", "description": "另一件事情，和第一件不一样"}"#,
        ),
        "filing-across-replicas",
    );
    assert_eq!(b.send(other).await.status, StatusCode::CONFLICT);
    assert_eq!(a.count("requests"), 1);
}

/// A photo uploaded through one replica is served by the other, cited by a request filed there,
/// and the other's housekeeping purges an uncited one, its bytes with it (in the rows on SQLite,
/// in the shared photo store on PostgreSQL).
#[tokio::test]
async fn a_photo_kept_by_one_replica_is_served_cited_and_purged_by_the_other() {
    let a = spawn_app().await;
    let b = replica_of(&a).await;
    let token = a.sign_in(RESIDENT).await;
    let mut ids = Vec::new();
    for seed in [1, 2] {
        ids.push(crate::security_photos::kept(&a, &token, images::jpeg(4_000, seed)).await);
    }
    let [cited, orphan] = [&ids[0], &ids[1]];
    for id in &ids {
        let served = b.get(&format!("/api/v1/photos/{id}"), None).await;
        assert_eq!(served.status, StatusCode::OK, "{}", served.text);
        assert_eq!(Some(served.bytes), a.kept_photo(id).await);
    }
    let filed = file_with(&b, &token, &[cited]).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text);

    a.clock.advance(citizen_core::requests::ORPHAN_PHOTO_SECS);
    let purged = citizen_server::store::housekeeping::run_once(&b.state)
        .await
        .unwrap();
    assert_eq!(purged.orphan_photos, 1);
    assert_eq!(a.kept_photo(orphan).await, None, "its bytes go with it");
    let gone = a.get(&format!("/api/v1/photos/{orphan}"), None).await;
    gone.assert_error(StatusCode::NOT_FOUND, "not_found", None);
    assert_eq!(
        a.get(&format!("/api/v1/photos/{cited}"), None).await.status,
        StatusCode::OK
    );
}

/// The script that makes the test clusters.
const PG_SH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/pg.sh");

/// A cluster `tools/pg.sh` made for one test (a primary, or a standby of one): stopped, and its
/// directory removed, when dropped.
struct Cluster {
    dir: std::path::PathBuf,
    url: String,
}

impl Cluster {
    /// Runs `tools/pg.sh` with `args`; what it printed on stdout.
    fn pg_sh(args: &[&str]) -> String {
        let out = std::process::Command::new("bash")
            .arg(PG_SH)
            .args(args)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "tools/pg.sh {args:?}: {said}");
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// A directory of its own for a cluster, that the `postgres` user can reach.
    fn new_dir(role: &str) -> std::path::PathBuf {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        std::env::temp_dir().join(format!("citizen-{role}-{}-{nanos}", std::process::id()))
    }

    fn primary() -> Cluster {
        let dir = Cluster::new_dir("primary");
        let url = Cluster::pg_sh(&["start", dir.to_str().unwrap()]);
        Cluster { dir, url }
    }

    fn standby(&self) -> Cluster {
        let dir = Cluster::new_dir("standby");
        let url = Cluster::pg_sh(&["standby", self.dir.to_str().unwrap(), dir.to_str().unwrap()]);
        Cluster { dir, url }
    }

    fn promote(&self) {
        Cluster::pg_sh(&["promote", self.dir.to_str().unwrap()]);
    }

    /// `host:port` of its URL.
    fn address(&self) -> &str {
        let rest = self.url.split_once('@').unwrap().1;
        rest.split_once('/').unwrap().0
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .arg(PG_SH)
            .args(["stop", self.dir.to_str().unwrap()])
            .status();
    }
}

/// A failover. The server is given a primary and its hot standby in one URL, the standby first,
/// with `target_session_attrs=read-write` (libpq's way): it migrates, seeds and writes on the
/// primary, passing over the read-only standby. Then the primary goes (a fast shutdown, its
/// files removed) and the standby is promoted, as a failover tool does: the very next write and
/// read work, on the promoted standby, and see what was written before.
#[tokio::test]
async fn after_a_failover_the_next_write_and_read_go_to_the_promoted_standby() {
    if test_postgres().is_none() {
        println!("skipped on SQLite: failover is a PostgreSQL deployment's");
        return;
    }
    let (primary, standby) = tokio::task::spawn_blocking(|| {
        let primary = Cluster::primary();
        let standby = primary.standby();
        (primary, standby)
    })
    .await
    .unwrap();
    // The standby alone cannot be the store of a server that writes: it says so at start.
    let dir = tempfile::tempdir().unwrap();
    let standby_only = Settings {
        database: Some(citizen_server::store::db::Database::Postgres(format!(
            "postgres://citizen@{}/citizen?target_session_attrs=read-write",
            standby.address()
        ))),
        ..test_settings(dir.path(), "/")
    };
    let clock = Arc::new(citizen_server::clock::ManualClock::at(START));
    let Err(refused) = AppState::load(&standby_only, clock).await else {
        panic!("a server started on a read-only standby");
    };
    assert!(
        refused.to_string().contains("takes no writes (a standby)"),
        "{refused}"
    );

    let url = format!(
        "postgres://citizen@{},{}/citizen?target_session_attrs=read-write",
        standby.address(),
        primary.address()
    );
    let app = spawn_app_with("/", |s| {
        s.database = Some(citizen_server::store::db::Database::Postgres(url))
    })
    .await;
    let token = app.sign_in(RESIDENT).await;
    let before = app.add_favourite(&token, "housing-fund-balance").await;
    assert_eq!(before.status, StatusCode::CREATED, "{}", before.text);

    let promoted = tokio::task::spawn_blocking(move || {
        drop(primary);
        standby.promote();
        standby
    })
    .await
    .unwrap();

    app.clock.advance(1);
    let after = app.add_favourite(&token, "social-security-query").await;
    assert_eq!(after.status, StatusCode::CREATED, "{}", after.text);
    let listed = app.get("/api/v1/me/favourites", Some(&token)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    assert_eq!(
        listed.body["tiles"],
        serde_json::json!(["social-security-query", "housing-fund-balance"])
    );
    drop(app);
    tokio::task::spawn_blocking(move || drop(promoted))
        .await
        .unwrap();
}

/// Signed out on one replica, a token is refused by the other within a second, although that
/// replica had just checked it.
#[tokio::test]
async fn a_token_signed_out_on_one_replica_is_refused_by_the_other_within_a_second() {
    let a = spawn_app().await;
    if !on_postgres(&a) {
        return;
    }
    let b = replica_of(&a).await;
    let token = a.sign_in(RESIDENT).await;
    assert_eq!(
        b.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::OK,
        "the other replica knows the session (and keeps it in its cache)"
    );
    assert_eq!(
        a.delete("/api/v1/session", Some(&token)).await.status,
        StatusCode::NO_CONTENT
    );
    a.clock.advance(1);
    let after = b.get("/api/v1/me", Some(&token)).await;
    after.assert_error(StatusCode::UNAUTHORIZED, "unauthorized", None);
    // And the replica that signed it out refuses it at once.
    assert_eq!(
        a.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// A sign-up code sent through one replica is checked by the other: they hash codes under one
/// key.
#[tokio::test]
async fn a_code_sent_by_one_replica_is_accepted_by_the_other() {
    let a = spawn_app().await;
    let b = replica_of(&a).await;
    let mobile = "13912345670";
    assert_eq!(
        ask(&a, mobile, "sign-up").await.status,
        StatusCode::ACCEPTED
    );
    let code = nth_code(&a, mobile, 1).await;
    let created = b
        .post_json(
            "/api/v1/accounts",
            None,
            &account_body(mobile, &code, "a-long-secret-1", "demo"),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
}

/// A server on PostgreSQL does not start without the replicas' shared SMS key: with a key of its
/// own, codes sent by one replica would fail on every other.
#[tokio::test]
async fn a_server_on_postgres_needs_the_shared_sms_key() {
    let a = spawn_app().await;
    if !on_postgres(&a) {
        return;
    }
    let settings = Settings {
        database: Some(a.database.clone()),
        sms_key: None,
        ..Settings::new(a.dir.path().join("dist"), a.dir.path().join("other"))
    };
    let refused = AppState::load(&settings, Arc::new(a.clock.clone())).await;
    assert!(
        matches!(refused, Err(StartError::SharedSmsKey)),
        "{:?}",
        refused.err()
    );
}

/// The points ledger is append-only in the database itself, whichever the engine: nobody with
/// the database's credentials rewrites or deletes it behind the server.
#[tokio::test]
async fn the_points_ledger_refuses_updates_and_deletes_in_the_database() {
    let app = spawn_app().await;
    assert!(app.count("volunteer_points") > 0, "the demo has a ledger");
    let db = app.db();
    for attack in [
        "UPDATE volunteer_points SET points = points + 1000",
        "DELETE FROM volunteer_points",
    ] {
        let refused = db.execute(attack, ()).unwrap_err();
        assert!(
            refused.to_string().contains("append-only"),
            "{attack}: {refused}"
        );
    }
    if app.state.db.engine() == Engine::Postgres {
        let refused = db.execute("TRUNCATE volunteer_points", ()).unwrap_err();
        assert!(refused.to_string().contains("append-only"), "{refused}");
    }
    let untouched = app.count("volunteer_points");
    assert!(untouched > 0);
}

/// Two replicas starting at once on a new database: one applies the migrations (the other waits
/// for its lock), both serve, and the demo is seeded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_starting_at_once_on_a_new_database_migrate_and_seed_it_once() {
    let Some(_) = test_postgres() else {
        println!("skipped on SQLite: only a PostgreSQL store is shared by replicas");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<head></head>").unwrap();
    std::fs::write(dist.join("config.json"), "{}").unwrap();
    let database = fresh_database(dir.path());
    let start = |name: &str| {
        let settings = Settings {
            database: Some(database.clone()),
            sms_key: test_sms_key(),
            ..Settings::new(&dist, dir.path().join(name))
        };
        async move { AppState::load(&settings, Arc::new(citizen_server::clock::SystemClock)).await }
    };
    let (a, b) = tokio::join!(start("a"), start("b"));
    let (a, b) = (a.unwrap(), b.unwrap());
    for state in [&a, &b] {
        let people: i64 = state
            .db
            .transaction(Tx::Read, |conn| -> Result<i64, DbError> {
                Ok(conn.query_row(
                    "SELECT count(*) FROM people WHERE mobile = '13800000001'",
                    (),
                    |r| r.get(0),
                )?)
            })
            .await
            .unwrap();
        assert_eq!(people, 1, "the demo resident, seeded once");
    }
    let applied: i64 =
        a.db.transaction(Tx::Read, |conn| -> Result<i64, DbError> {
            Ok(conn.query_row("SELECT count(*) FROM schema_migrations", (), |r| r.get(0))?)
        })
        .await
        .unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .count();
    assert_eq!(
        applied as usize, files,
        "each migration applied and recorded once"
    );
}

/// PostgreSQL drops every connection (a restart, a failover to the standby): the next write and
/// read succeed on new connections, the writer's included.
#[tokio::test]
async fn after_the_database_drops_every_connection_the_next_write_and_read_work() {
    let app = spawn_app().await;
    if !on_postgres(&app) {
        return;
    }
    let token = app.sign_in(RESIDENT).await;
    // Two connections taken at once and given back, so the pool holds two idle readers' (the
    // test takes one below; the other is dropped under the pool).
    let db = app.state.db.clone();
    std::thread::spawn(move || {
        let both = (db.get().unwrap(), db.get().unwrap());
        drop(both);
    })
    .join()
    .unwrap();
    let dropped: i64 = app
        .db()
        .query_row(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()) AS ended",
            (),
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        dropped >= 2,
        "the writer's connection and a reader's: {dropped}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // Two reads at once, each holding its connection a moment, so both pooled connections are
    // lent: the dropped one is replaced, and both reads work.
    let read = || {
        app.state
            .db
            .transaction(Tx::Read, |conn| -> Result<i64, DbError> {
                Ok(
                    conn.query_row("SELECT 1 FROM (SELECT pg_sleep(0.05)) AS waited", (), |r| {
                        r.get(0)
                    })?,
                )
            })
    };
    let (one, two) = tokio::join!(read(), read());
    assert_eq!((one.unwrap(), two.unwrap()), (1, 1));
    let added = app
        .post_json(
            "/api/v1/me/favourites",
            Some(&token),
            r#"{"tile": "housing-fund-balance"}"#,
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    let listed = app.get("/api/v1/me/favourites", Some(&token)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    assert_eq!(
        listed.body["tiles"][0], "housing-fund-balance",
        "{}",
        listed.text
    );
}

/// The writer's transactions begin with their first statement (`Pooled::begin_pipelined`: one
/// round trip fewer on PostgreSQL): what goes ahead runs first and inside the transaction (the
/// writers' lock is held when the first statement runs), and when it fails, the first statement
/// fails with its error, having run nothing.
#[tokio::test]
async fn a_pipelined_begin_runs_ahead_of_the_first_statement_and_its_error_is_that_statements() {
    let app = spawn_app().await;
    if !on_postgres(&app) {
        return;
    }
    let db = app.state.db.clone();
    let (locks, refused, rows) = tokio::task::spawn_blocking(move || {
        let conn = db.get().unwrap();
        let tx = conn.begin_pipelined(Tx::Write, "").unwrap();
        let locks: i64 = tx
            .conn
            .query_row(
                "SELECT count(*) FROM pg_locks
                 WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted",
                (),
                |r| r.get(0),
            )
            .unwrap();
        drop(tx);
        let tx = conn.begin_pipelined(Tx::Write, "SELECT 1 / 0").unwrap();
        let refused = tx
            .conn
            .execute(
                "INSERT INTO favourites (person_id, tile, created_at, seq) VALUES (1, 'x', 0, 1)",
                (),
            )
            .unwrap_err()
            .to_string();
        drop(tx);
        let rows: i64 = conn
            .sql()
            .query_row(
                "SELECT count(*) FROM favourites WHERE tile = 'x'",
                (),
                |r| r.get(0),
            )
            .unwrap();
        (locks, refused, rows)
    })
    .await
    .unwrap();
    assert_eq!(locks, 1, "the writers' lock is held by the first statement");
    assert!(refused.contains("22012"), "division by zero: {refused}");
    assert_eq!(rows, 0, "the statement after the failed one ran nothing");
}

/// A PostgreSQL connection is driven by the thread that waits on it (`store::pg`, no runtime of
/// its own): a statement larger than the socket's buffers is written as the socket drains (the
/// thread waits until it can write), and a reply larger than them is read as it arrives.
#[tokio::test]
async fn a_statement_and_a_reply_larger_than_the_socket_buffers_travel_whole() {
    let app = spawn_app().await;
    if !on_postgres(&app) {
        return;
    }
    const LARGE: usize = 24_000_000;
    let db = app.db();
    // On a thread of its own, so that a connection left waiting on the wrong thing fails the
    // test after a minute instead of hanging it.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let sent = "s".repeat(LARGE);
        let _ = done.send(db.with(|conn| {
            let length: i64 = conn
                .query_row("SELECT length(?1)", [sent.as_str()], |r| r.get(0))
                .unwrap();
            let received: String = conn
                .query_row("SELECT repeat('r', ?1)", [LARGE as i64], |r| r.get(0))
                .unwrap();
            (length, received)
        }));
    });
    let (length, received) = finished
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("both round trips end within a minute");
    assert_eq!(length, LARGE as i64, "the whole statement arrived");
    assert_eq!(received.len(), LARGE, "the whole reply arrived");
    assert!(received.bytes().all(|b| b == b'r'));
}

/// The URL's hosts are tried in order (one that refuses is passed over), a host that is a
/// directory is the server's Unix socket there, and a URL whose every host refuses fails at
/// once instead of waiting.
#[tokio::test]
async fn the_database_is_reached_by_its_unix_socket_and_past_a_host_that_refuses() {
    let app = spawn_app().await;
    if !on_postgres(&app) {
        return;
    }
    let (sockets, port, user, database): (String, String, String, String) = app
        .db()
        .query_row(
            "SELECT current_setting('unix_socket_directories'), current_setting('port'),
                    current_user::text, current_database()::text",
            (),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let socket_dir = sockets.split(',').next().unwrap().trim().to_owned();
    assert!(socket_dir.starts_with('/'), "{sockets}");
    // A port nobody listens on: the first free one the system hands out, let go at once.
    let refused = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let by_socket = format!(
        "postgres://{user}@{}:{port}/{database}",
        socket_dir.replace('/', "%2F")
    );
    let past_refusal = format!("postgres://{user}@127.0.0.1:{refused},127.0.0.1:{port}/{database}");
    let only_refusal = format!("postgres://{user}@127.0.0.1:{refused}/{database}");
    let (through_socket, through_second, failed, took) = tokio::task::spawn_blocking(move || {
        let ask = |url: &str| {
            one_row_at(
                url,
                "SELECT current_database()::text, coalesce(inet_client_addr()::text, 'local')",
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
        };
        let begin = std::time::Instant::now();
        let failed = ask(&only_refusal);
        (ask(&by_socket), ask(&past_refusal), failed, begin.elapsed())
    })
    .await
    .unwrap();
    assert_eq!(
        through_socket.unwrap(),
        (database.clone(), "local".to_owned()),
        "by the Unix socket"
    );
    assert_eq!(
        through_second.unwrap(),
        (database, "127.0.0.1/32".to_owned()),
        "by TCP, past the host that refused"
    );
    let failed = failed.unwrap_err();
    assert!(failed.contains("cannot reach PostgreSQL"), "{failed}");
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
}

/// A read's `BEGIN` travels with its first statement (one round trip fewer), and that statement
/// already runs inside the read's transaction: one snapshot, read-only.
#[tokio::test]
async fn a_read_begins_with_its_first_statement_in_a_read_only_snapshot() {
    let app = spawn_app().await;
    if !on_postgres(&app) {
        return;
    }
    let (isolation, read_only, refused) = app
        .state
        .db
        .transaction(Tx::Read, |conn| -> Result<_, DbError> {
            let isolation: String =
                conn.query_row("SELECT current_setting('transaction_isolation')", (), |r| {
                    r.get(0)
                })?;
            let read_only: String =
                conn.query_row("SELECT current_setting('transaction_read_only')", (), |r| {
                    r.get(0)
                })?;
            let refused = conn
                .execute("DELETE FROM favourites WHERE person_id = -1", ())
                .unwrap_err()
                .to_string();
            Ok((isolation, read_only, refused))
        })
        .await
        .unwrap();
    assert_eq!(
        (isolation.as_str(), read_only.as_str()),
        ("repeatable read", "on")
    );
    assert!(
        refused.contains("25006"),
        "a read-only transaction: {refused}"
    );
}

/// TLS to PostgreSQL: `sslmode=require` (or libpq's `verify-full`) with the CA that signed the
/// server's certificate in `sslrootcert` connects encrypted; without that CA the certificate is
/// refused, never trusted blindly; a URL that asks for nothing stays plain.
#[tokio::test]
async fn tls_is_used_when_asked_and_a_certificate_nobody_vouches_for_is_refused() {
    use citizen_server::store::db::Database;
    let app = spawn_app().await;
    let Some(TlsCluster {
        dir,
        port,
        user,
        database,
    }) = tls_cluster(&app)
    else {
        return;
    };
    let ca = dir.join("ca.crt");
    let ca = ca.display();
    let base = format!("postgres://{user}@127.0.0.1:{port}/{database}");
    let verified = format!("{base}?sslmode=verify-full&sslrootcert={ca}");
    let by_name =
        format!("postgres://{user}@localhost:{port}/{database}?sslmode=require&sslrootcert={ca}");
    let unvouched = format!("{base}?sslmode=require");
    let described = verified.parse::<Database>().unwrap().describe();
    assert!(described.ends_with(", TLS"), "{described}");
    let urls = [verified, by_name, unvouched, base];
    let [verified, by_name, unvouched, plain] = first_column_at::<i64, 4>(
        urls,
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    )
    .await;
    assert_eq!(verified, Ok(1), "encrypted, the certificate verified");
    assert_eq!(by_name, Ok(1), "verified for the name it was reached by");
    let refused = unvouched.unwrap_err();
    assert!(refused.contains("certificate"), "{refused}");
    assert_eq!(plain, Ok(0), "a URL that asks for no TLS stays plain");
}

/// `sql`'s one row, read by `read`, on a connection of its own to `url` (blocking): how the
/// connection tests reach a database by a URL of their making.
/// Where the test cluster `app`'s database is, when that cluster speaks TLS (as `tools/pg.sh`
/// makes it: its CA and client certificate beside the data directory).
struct TlsCluster {
    dir: std::path::PathBuf,
    port: String,
    user: String,
    database: String,
}

/// `app`'s [`TlsCluster`]; `None` (and why, printed) on SQLite or on a cluster without TLS.
fn tls_cluster(app: &TestApp) -> Option<TlsCluster> {
    if !on_postgres(app) {
        return None;
    }
    let (ssl, data_dir, port, user, database): (String, String, String, String, String) = app
        .db()
        .query_row(
            "SELECT current_setting('ssl'), current_setting('data_directory'),
                    current_setting('port'), current_user::text, current_database()::text",
            (),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    if ssl != "on" {
        println!("skipped: this cluster has no TLS (tools/pg.sh found no openssl)");
        return None;
    }
    let dir = std::path::Path::new(&data_dir).parent().unwrap().to_owned();
    Some(TlsCluster {
        dir,
        port,
        user,
        database,
    })
}

/// A role the database signs in by client certificate only (`cert` in pg_hba.conf: tools/pg.sh
/// makes `citizen_cert` so, and its certificate): the URL's `sslcert` and `sslkey` sign it in,
/// the certificate is the one the database saw, and without them the database refuses; a
/// certificate without its key is refused before any connection.
#[tokio::test]
async fn a_client_certificate_signs_in_where_the_database_asks_for_one() {
    let app = spawn_app().await;
    let Some(TlsCluster {
        dir,
        port,
        database,
        ..
    }) = tls_cluster(&app)
    else {
        return;
    };
    let (ca, cert, key) = (
        dir.join("ca.crt"),
        dir.join("client.crt"),
        dir.join("client.key"),
    );
    let (ca, cert, key) = (ca.display(), cert.display(), key.display());
    let base = format!(
        "postgres://citizen_cert@127.0.0.1:{port}/{database}?sslmode=require&sslrootcert={ca}"
    );
    let urls = [
        format!("{base}&sslcert={cert}&sslkey={key}"),
        base.clone(),
        format!("{base}&sslcert={cert}"),
    ];
    let [signed, refused, half] = first_column_at::<String, 3>(
        urls,
        "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    )
    .await;
    assert_eq!(signed, Ok("/CN=citizen_cert".to_owned()));
    let refused = refused.unwrap_err();
    assert!(refused.contains("client certificate"), "{refused}");
    let half = half.unwrap_err();
    assert!(half.contains("sslcert and sslkey go together"), "{half}");
}

/// [`one_row_at`] each of `urls`, off the runtime: the first column of `sql`'s first row.
async fn first_column_at<T, const N: usize>(
    urls: [String; N],
    sql: &'static str,
) -> [Result<T, String>; N]
where
    T: citizen_server::store::sql::FromSql + Send + 'static,
{
    tokio::task::spawn_blocking(move || urls.map(|url| one_row_at(&url, sql, |r| r.get::<_, T>(0))))
        .await
        .unwrap()
}

fn one_row_at<T>(
    url: &str,
    sql: &str,
    read: impl FnOnce(&citizen_server::store::sql::Row<'_>) -> citizen_server::store::sql::Result<T>,
) -> Result<T, String> {
    use citizen_server::store::db::Pooled;
    let client = citizen_server::store::pg::PgPool::new(url, 1)
        .and_then(|pool| pool.dedicated())
        .map_err(|e| e.to_string())?;
    Pooled::Postgres(Box::new(Box::new(client)))
        .sql()
        .query_row(sql, (), read)
        .map_err(|e| e.to_string())
}
