//! The server's figures for `./run bench`: catalog read throughput and latency under a bounded
//! load, and the API's write path against raw SQLite, measured in one run on one machine.
//!
//! Also: requests filed through the core's outbox against a server that fails a share of them, and
//! how many it then holds; and a thousand concurrent time-bank and volunteering operations (gifts,
//! confirmations, mall redemptions and cancellations racing for a scarce item), with the books
//! checked afterwards.
//!
//! With `--postgres URL` (a cluster's admin URL; `./run bench` starts a throwaway one) the same
//! figures are measured on PostgreSQL beside SQLite: signed-in reads on one and two replicas, the
//! write path against raw PostgreSQL inserts, and group commit under concurrent writers.
//!
//! `cargo run --release -p citizen-server --example bench_server [-- --help]`
//!
//! The server runs in this process (its own runtime, one worker per core, as `citizen-server`
//! starts it) on a fresh temporary data directory with the demo accounts. The load generator
//! runs beside it and shares the same cores, so the read figures are a floor for the server.

use bytes::Bytes;
use citizen_server::clock::SystemClock;
use citizen_server::store::db::{Database, Tx};
use citizen_server::store::{people, sessions};
use citizen_server::{AppState, Settings, app};
use clap::Parser;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use rusqlite::{Connection, params};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;

const GOAL_READS_PER_S: f64 = 5_000.0;
const GOAL_P99_MS: f64 = 20.0;
const GOAL_WRITE_PERCENT: f64 = 50.0;
/// Group commit: acknowledged writes/s of the concurrent writers, as a share of raw single-writer
/// inserts (each its own fsync'd transaction) on the same engine.
const GOAL_GROUP_RATIO: f64 = 1.0;
/// The SMS key the bench's PostgreSQL servers share (a server on PostgreSQL needs one given).
const BENCH_SMS_KEY: &str = "YmVuY2gtc21zLWtleS1vZi10aGlydHktdHdvLWJ5dGU";
const MOBILE: &str = "13800000001";
const PASSWORD: &str = "demo-pass-2026";

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The concurrency test's driver and book checks, run here at the bench's scale.
#[allow(dead_code)]
#[path = "../tests/api/common/concurrency.rs"]
mod concurrency;
/// The concurrency test's loopback exchange and dice (the test serves the router itself).
#[allow(dead_code)]
#[path = "../tests/api/common/loopback.rs"]
mod loopback;
type Sender = SendRequest<Full<Bytes>>;

#[derive(Parser)]
#[command(about = "Server read and write figures on loopback")]
struct Args {
    /// Open keep-alive connections, each with one request in flight.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Seconds of load before measuring starts.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Seconds measured.
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Worker threads of the load generator's runtime.
    #[arg(long, default_value_t = 1)]
    client_threads: usize,
    /// Ask for the plain JSON instead of the pre-gzipped body.
    #[arg(long)]
    identity: bool,
    /// Sequential single-row inserts, through the API and raw (at most the number of tiles).
    #[arg(long, default_value_t = 200)]
    inserts: usize,
    /// Do not format the server's request logs (by default they are formatted into a sink).
    #[arg(long)]
    no_log: bool,
    /// Also time the parts of a write: a bare round trip, a signed-in read, raw insert + list.
    #[arg(long)]
    breakdown: bool,
    /// Requests filed through the outbox against the fault-injecting server.
    #[arg(long, default_value_t = 1_000)]
    submissions: usize,
    /// Share of filing attempts the fault injector fails.
    #[arg(long, default_value_t = 30)]
    fault_percent: u64,
    /// Concurrent time-bank and volunteering operations in the last run.
    #[arg(long, default_value_t = 1_000)]
    volunteer_ops: u64,
    /// A PostgreSQL cluster to measure on too (an admin URL: the bench makes its own databases).
    #[arg(long, env = "CITIZEN_BENCH_POSTGRES")]
    postgres: Option<String>,
    /// Concurrent writers in the group-commit run, each a person adding favourites.
    #[arg(long, default_value_t = 32)]
    writers: usize,
    /// Writes of each writer in the group-commit run.
    #[arg(long, default_value_t = 20)]
    writes_each: usize,
}

fn main() -> Result<(), Error> {
    let args = Args::parse();
    if !args.no_log {
        // As deployed (info, one line per request), minus the terminal's own cost.
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
            .with_writer(std::io::sink)
            .init();
    }
    let dir = tempfile::tempdir()?;
    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (addr, sqlite_state) = server.block_on(start_server(&dir.path().join("main"), None))?;
    let client = if args.client_threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.client_threads)
            .enable_all()
            .build()?
    };

    let reads = client.block_on(read_load(addr, &args))?;
    // The API and raw SQLite take turns (see `api_and_raw`).
    let (mut sender, token, tiles) = client.block_on(api_writer(addr, args.inserts, MOBILE))?;
    let mut conn = raw_sqlite(&dir.path().join("raw.sqlite3"))?;
    let (api, raw) = client.block_on(api_and_raw(
        &tiles,
        async |id| api_add(&mut sender, &token, id).await,
        async |id| raw_add(&mut conn, id, false),
    ))?;

    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let secs = reads.window.as_secs_f64();
    let rate = reads.latency.len() as f64 / secs;
    let ms = |micros: u64| micros as f64 / 1000.0;
    let p50 = ms(reads.latency.value_at_quantile(0.50));
    let p99 = ms(reads.latency.value_at_quantile(0.99));
    let max = ms(reads.latency.max());
    let coding = if args.identity { "identity" } else { "gzip" };
    println!(
        "\nServer reads: GET /api/v1/catalog ({coding}, {:.1} KB body), loopback, {cores} cores shared with the load generator",
        reads.body_bytes as f64 / 1024.0
    );
    println!(
        "  load:                       {} keep-alive connections, {} client thread(s), {secs:.1} s after {:.1} s warm-up",
        args.connections, args.client_threads, args.warmup
    );
    println!(
        "  throughput:                 {} reads/s  ({} measured, {} failed)  (goal >= {} reads/s) {}",
        thousands(rate),
        reads.latency.len(),
        reads.failed,
        thousands(GOAL_READS_PER_S),
        verdict(rate >= GOAL_READS_PER_S && reads.failed == 0)
    );
    println!(
        "  latency:                    p50 {p50:.2} ms  p99 {p99:.2} ms  max {max:.2} ms  (goal p99 <= {GOAL_P99_MS:.0} ms) {}",
        verdict(p99 <= GOAL_P99_MS)
    );

    let n = tiles.len();
    let per = |d: Duration| d.as_secs_f64() * 1000.0 / n as f64;
    println!(
        "\nServer writes: {n} single-row inserts, sequential, each acknowledged before the next (WAL, synchronous=FULL); API and raw take turns of {TURN}"
    );
    write_lines("SQLite", &api, raw, n);
    if args.breakdown {
        let mut sender = client.block_on(connect(addr))?;
        let mut sequential = |path: &str, token: Option<&str>| {
            client.block_on(async {
                let begin = Instant::now();
                for _ in 0..n {
                    let (status, _) = call(&mut sender, request("GET", path, token, None)).await?;
                    if status != StatusCode::OK {
                        return Err(format!("GET {path}: {status}").into());
                    }
                }
                Ok::<_, Error>(begin.elapsed())
            })
        };
        let health = sequential("/healthz", None)?;
        let me = sequential("/api/v1/me", Some(&token))?;
        let listed = sequential("/api/v1/me/favourites", Some(&token))?;
        let refused = client.block_on(async {
            let begin = Instant::now();
            for _ in 0..n {
                let body = Some(r#"{"tile": "no-such-tile"}"#.to_owned());
                let post = request("POST", "/api/v1/me/favourites", Some(&token), body);
                let (status, _) = call(&mut sender, post).await?;
                if status != StatusCode::UNPROCESSABLE_ENTITY {
                    return Err::<_, Error>(format!("POST no-such-tile: {status}").into());
                }
            }
            Ok(begin.elapsed())
        })?;
        let with_list = {
            let mut conn = raw_sqlite(&dir.path().join("raw-list.sqlite3"))?;
            let begin = Instant::now();
            for tile in &tiles {
                raw_add(&mut conn, tile, true)?;
            }
            begin.elapsed()
        };
        // On a worker of the server's runtime, where handlers run (a lone write leads in place).
        let alone = server.spawn(writer_alone(dir.path().join("alone"), 1000));
        let (writer_alone, raw_alone) = server.block_on(alone)??;
        println!(
            "  per request:                GET /healthz {:.2} ms, GET /me (auth) {:.2} ms, GET /me/favourites (auth + list of {n}) {:.2} ms; raw insert + list {:.2} ms",
            per(health),
            per(me),
            per(listed),
            per(with_list)
        );
        println!(
            "  the writer alone:           {:.3} ms per lone write from a task, raw {:.3} ms (no HTTP); POST /me/favourites refused before the database {:.2} ms",
            writer_alone.as_secs_f64() * 1000.0 / 1000.0,
            raw_alone.as_secs_f64() * 1000.0 / 1000.0,
            per(refused)
        );
    }
    println!("  (one run on a noisy machine: compare the ratios more than the times)");

    engines(
        &server,
        &client,
        &args,
        dir.path(),
        (addr, &sqlite_state),
        raw,
        n,
    )?;

    let faults = Arc::new(Faults::new(args.fault_percent));
    let (faulty, _) = server.block_on(start_server(
        &dir.path().join("faulty"),
        Some(Arc::clone(&faults)),
    ))?;
    let run = client.block_on(outbox_run(faulty, args.submissions))?;
    let before = faults
        .lost_before
        .load(std::sync::atomic::Ordering::Relaxed);
    let after = faults.lost_after.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "\nOutbox: {} submissions through the core's outbox, {} % of attempts failed by a fault injector",
        args.submissions, args.fault_percent
    );
    println!(
        "  attempts:                   {} ({before} lost before the server, {after} lost after it stored them)",
        run.attempts
    );
    println!(
        "  stored:                     {} requests, {} duplicates  (goal {} stored, 0 duplicates) {}",
        run.stored,
        run.duplicates,
        args.submissions,
        verdict(run.stored == args.submissions && run.duplicates == 0)
    );

    let (volunteer_addr, volunteer_state) =
        server.block_on(start_server(&dir.path().join("volunteer"), None))?;
    let run = client.block_on(concurrency::run(
        volunteer_addr,
        &volunteer_state,
        args.volunteer_ops,
    ))?;
    println!(
        "\nVolunteer concurrency: {} ops in {} ms, each on its own loopback connection: time-bank services logged, confirmed and rejected, gifts; mall redemptions (an item of 3 raced for), hand-overs and cancellations",
        thousands(args.volunteer_ops as f64),
        run.elapsed.as_millis(),
    );
    println!(
        "  succeeded:                  {} redemptions, {} hand-overs, {} cancels, {} gifts, {} confirmations credited",
        run.succeeded("redeem"),
        run.succeeded("handover"),
        run.succeeded("cancel"),
        run.succeeded("gift"),
        run.count("confirm", 200, "credited"),
    );
    println!(
        "  books:                      time-bank sum {}, pool {}; lowest points balance {}; stock, ledger replay and transfers checked: {} {}",
        run.pool["sum_of_accounts"],
        run.pool["pool_balance"],
        run.least_points,
        if run.broken.is_empty() {
            "whole".to_owned()
        } else {
            run.broken.join("; ")
        },
        verdict(run.broken.is_empty())
    );
    if !run.broken.is_empty() {
        for line in run.lines() {
            println!("    {line}");
        }
    }
    drop(server);
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Starts the server as `citizen-server` does, on 127.0.0.1 with a port of its own.
/// Starts a server on `dir`; with `faults`, a share of the requests to `/api/v1/requests` fail
/// as a flaky network would make them fail (see [`inject_faults`]).
async fn start_server(
    dir: &Path,
    faults: Option<Arc<Faults>>,
) -> Result<(SocketAddr, AppState), Error> {
    start_on(dir, None, faults).await
}

/// [`start_server`] on `database` (default: SQLite in `dir`).
async fn start_on(
    dir: &Path,
    database: Option<Database>,
    faults: Option<Arc<Faults>>,
) -> Result<(SocketAddr, AppState), Error> {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist)?;
    std::fs::write(dist.join("index.html"), "<head></head>")?;
    std::fs::write(dist.join("config.json"), "{}")?;
    let sms_key = match database {
        Some(Database::Postgres(_)) => Some(BENCH_SMS_KEY.parse()?),
        _ => None,
    };
    let settings = Settings {
        // The bench logs hundreds of services per member at once: no cap it would reach.
        pool_cap_minutes: u32::MAX,
        database,
        sms_key,
        ..Settings::new(&dist, dir.join("data"))
    };
    let state = AppState::load(&settings, Arc::new(SystemClock)).await?;
    // Nor the look-up limit, which the security tests hold.
    let state = AppState {
        timebank: Arc::new(
            citizen_server::http::timebank::TimeBankGuards::with_lookup_limit(
                citizen_core::timebank::PoolCap::minutes(u32::MAX),
                u32::MAX,
            ),
        ),
        ..state
    };
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let mut router = app(state.clone());
    if let Some(faults) = faults {
        router = router.layer(axum::middleware::from_fn(move |request, next| {
            inject_faults(Arc::clone(&faults), request, next)
        }));
    }
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    Ok((addr, state))
}

/// The fault injector's dice and tallies. Deterministic (xorshift), so runs compare.
struct Faults {
    percent: u64,
    state: std::sync::Mutex<u64>,
    lost_before: std::sync::atomic::AtomicU64,
    lost_after: std::sync::atomic::AtomicU64,
}

impl Faults {
    fn new(percent: u64) -> Faults {
        Faults {
            percent,
            state: std::sync::Mutex::new(0x9E37_79B9_7F4A_7C15),
            lost_before: Default::default(),
            lost_after: Default::default(),
        }
    }

    fn roll(&self) -> u64 {
        let mut x = self.state.lock().unwrap_or_else(|e| e.into_inner());
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x % 100
    }
}

/// Fails `percent` % of the POSTs to `/api/v1/requests` with a 503: half before the server sees
/// them (the request was lost), half after it stored them (the reply was lost, the worst case
/// for duplicates).
async fn inject_faults(
    faults: Arc<Faults>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use std::sync::atomic::Ordering;
    let filing =
        request.method() == hyper::Method::POST && request.uri().path() == "/api/v1/requests";
    let roll = if filing { faults.roll() } else { 100 };
    if roll < faults.percent / 2 {
        faults.lost_before.fetch_add(1, Ordering::Relaxed);
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let response = next.run(request).await;
    if roll < faults.percent {
        faults.lost_after.fetch_add(1, Ordering::Relaxed);
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    response
}

struct OutboxRun {
    attempts: u64,
    stored: usize,
    duplicates: usize,
}

/// Files `n` requests through the core's outbox against a server that fails some of them, with
/// the outbox's backoff on a virtual clock (no real waiting), then counts what the server holds.
async fn outbox_run(addr: SocketAddr, n: usize) -> Result<OutboxRun, Error> {
    use citizen_core::outbox::{IdempotencyKey, Outbox, Outcome, outcome_of};
    let mut sender = connect(addr).await?;
    let credentials = serde_json::json!({ "mobile": MOBILE, "password": PASSWORD }).to_string();
    let (_, body) = call(
        &mut sender,
        request("POST", "/api/v1/session", None, Some(credentials)),
    )
    .await?;
    let session: serde_json::Value = serde_json::from_slice(&body)?;
    let token = session["token"]
        .as_str()
        .ok_or("sign-in: no token")?
        .to_owned();

    let mut outbox = Outbox::default();
    for i in 0..n {
        let body = serde_json::json!({
            "category": "municipal",
            "description": format!("第 {i} 号：楼道的灯不亮了，请尽快修理"),
            "address": "玉林北路 3 号",
        })
        .to_string();
        outbox.push(
            IdempotencyKey::parse(&format!("bench-outbox-{i:08}"))?,
            body,
            0,
        );
    }
    let (mut now, mut attempts) = (0_i64, 0_u64);
    loop {
        let due: Vec<_> = outbox
            .due(now)
            .into_iter()
            .map(|e| (e.key.clone(), e.payload.clone()))
            .collect();
        if due.is_empty() {
            match outbox.next_due() {
                Some(at) => now = at,
                None => break,
            }
            continue;
        }
        for (key, body) in due {
            let mut post = request("POST", "/api/v1/requests", Some(&token), Some(body));
            post.headers_mut()
                .insert("idempotency-key", key.as_str().parse()?);
            attempts += 1;
            let outcome = match call(&mut sender, post).await {
                Ok((status, _)) => outcome_of(Some(status.as_u16()), status.to_string()),
                Err(_) => Outcome::Retry,
            };
            if let Outcome::Refused(reason) = &outcome {
                return Err(format!("the server refused a request: {reason}").into());
            }
            outbox.record(&key, outcome, now);
        }
    }
    let (_, body) = call(
        &mut sender,
        request("GET", "/api/v1/requests", Some(&token), None),
    )
    .await?;
    let stored: Vec<serde_json::Value> = serde_json::from_slice(&body)?;
    let unique: std::collections::HashSet<&str> = stored
        .iter()
        .filter_map(|r| r["description"].as_str())
        .collect();
    Ok(OutboxRun {
        attempts,
        stored: stored.len(),
        duplicates: stored.len() - unique.len(),
    })
}

async fn connect(addr: SocketAddr) -> Result<Sender, Error> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

fn request(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(json) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Full::new(Bytes::from(json))
        }
        None => Full::new(Bytes::new()),
    };
    builder.body(body).expect("a valid request")
}

/// Sends one request and reads the whole reply.
async fn call(
    sender: &mut Sender,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Bytes), Error> {
    sender.ready().await?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

fn new_histogram() -> Histogram<u64> {
    // Microseconds, 1 µs to 60 s, 3 significant digits.
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds")
}

struct Reads {
    latency: Histogram<u64>,
    failed: u64,
    body_bytes: usize,
    window: Duration,
}

/// A closed loop: each connection sends its next request when the last reply is read in full.
/// Requests that start in the warm-up or end after the window are not counted.
async fn read_load(addr: SocketAddr, args: &Args) -> Result<Reads, Error> {
    let gzip = !args.identity;
    let catalog = move || {
        let mut r = request("GET", "/api/v1/catalog", None, None);
        let coding = if gzip { "gzip" } else { "identity" };
        r.headers_mut().insert(
            header::ACCEPT_ENCODING,
            coding.parse().expect("a header value"),
        );
        r
    };
    read_load_on(&[addr], args, catalog).await
}

/// [`read_load`] of `make`'s request, the connections spread over `servers` in turn.
async fn read_load_on(
    servers: &[SocketAddr],
    args: &Args,
    make: impl Fn() -> Request<Full<Bytes>> + Copy + Send + 'static,
) -> Result<Reads, Error> {
    let catalog = make;
    let first = *servers.first().ok_or("no server")?;
    let (status, body) = call(&mut connect(first).await?, catalog()).await?;
    if status != StatusCode::OK {
        return Err(format!("{}: {status}", catalog().uri()).into());
    }
    let expected = body.len();
    let mut senders = Vec::new();
    for i in 0..args.connections {
        senders.push(connect(servers[i % servers.len()]).await?);
    }
    let start = Instant::now() + Duration::from_secs_f64(args.warmup);
    let end = start + Duration::from_secs_f64(args.duration);
    let workers: Vec<_> = senders
        .into_iter()
        .map(|mut sender| {
            tokio::spawn(async move {
                let mut latency = new_histogram();
                let mut failed = 0u64;
                loop {
                    let sent = Instant::now();
                    if sent >= end {
                        break;
                    }
                    sender.ready().await?;
                    let response = sender.send_request(catalog()).await?;
                    let ok = response.status() == StatusCode::OK;
                    let mut body = response.into_body();
                    let mut len = 0;
                    while let Some(frame) = body.frame().await {
                        if let Ok(data) = frame?.into_data() {
                            len += data.len();
                        }
                    }
                    let done = Instant::now();
                    if sent >= start && done <= end {
                        if ok && len == expected {
                            latency.saturating_record((done - sent).as_micros() as u64);
                        } else {
                            failed += 1;
                        }
                    }
                }
                Ok::<_, Error>((latency, failed))
            })
        })
        .collect();
    let mut reads = Reads {
        latency: new_histogram(),
        failed: 0,
        body_bytes: expected,
        window: end - start,
    };
    for worker in workers {
        let (latency, failed) = worker.await??;
        reads.latency.add(&latency)?;
        reads.failed += failed;
    }
    Ok(reads)
}

struct Writes {
    total: Duration,
    latency: Histogram<u64>,
}

/// A signed-in client with `n` tile ids to add as favourites (signs in once: sign-ins are rate
/// limited).
async fn api_writer(
    addr: SocketAddr,
    n: usize,
    mobile: &str,
) -> Result<(Sender, String, Vec<String>), Error> {
    let mut sender = connect(addr).await?;
    let credentials = serde_json::json!({ "mobile": mobile, "password": PASSWORD }).to_string();
    let (status, body) = call(
        &mut sender,
        request("POST", "/api/v1/session", None, Some(credentials)),
    )
    .await?;
    if status != StatusCode::CREATED {
        return Err(format!("sign-in: {status} {}", String::from_utf8_lossy(&body)).into());
    }
    let session: serde_json::Value = serde_json::from_slice(&body)?;
    let token = session["token"]
        .as_str()
        .ok_or("sign-in: no token")?
        .to_owned();
    let (status, body) = call(
        &mut sender,
        request("GET", "/api/v1/tiles?limit=500", None, None),
    )
    .await?;
    if status != StatusCode::OK {
        return Err(format!("GET /api/v1/tiles: {status}").into());
    }
    let tiles: Vec<serde_json::Value> = serde_json::from_slice(&body)?;
    let ids: Vec<String> = tiles
        .iter()
        .filter_map(|t| t["id"].as_str().map(str::to_owned))
        .take(n)
        .collect();
    if ids.len() < n {
        return Err(format!("only {} tiles for {n} inserts", ids.len()).into());
    }
    Ok((sender, token, ids))
}

/// One acknowledged write through the API: adds favourite `id`.
async fn api_add(sender: &mut Sender, token: &str, id: &str) -> Result<(), Error> {
    let body = serde_json::json!({ "tile": id }).to_string();
    let post = request("POST", "/api/v1/me/favourites", Some(token), Some(body));
    let (status, reply) = call(sender, post).await?;
    if status != StatusCode::CREATED {
        let reply = String::from_utf8_lossy(&reply);
        return Err(format!("add favourite {id}: {status} {reply}").into());
    }
    Ok(())
}

/// The sequential writes' figures on `engine`: the API's `n` writes, raw's, and the ratio.
fn write_lines(engine: &str, api: &Writes, raw: Duration, n: usize) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let percent = raw.as_secs_f64() / api.total.as_secs_f64() * 100.0;
    println!(
        "  API POST /me/favourites:    {:>7.1} ms  {:.2} ms/insert  p50 {:.2} ms  p99 {:.2} ms",
        ms(api.total),
        ms(api.total) / n as f64,
        api.latency.value_at_quantile(0.50) as f64 / 1000.0,
        api.latency.value_at_quantile(0.99) as f64 / 1000.0
    );
    println!(
        "  {:<28}{:>7.1} ms  {:.2} ms/insert",
        format!("raw {engine}, 1 txn/row:"),
        ms(raw),
        ms(raw) / n as f64
    );
    println!(
        "  API write path = {percent:.0} % of raw {engine}  (goal >= {GOAL_WRITE_PERCENT:.0} %) {}",
        verdict(percent >= GOAL_WRITE_PERCENT)
    );
}

/// How many writes each side makes in a row before the other takes its turn.
const TURN: usize = 10;

/// The same writes `ids` made one after another through the API (`api`) and raw (`raw`), taking
/// turns of [`TURN`] (the API first in one turn, raw first in the next), so that a slow or fast
/// moment of this shared machine's disk falls on both sides. Each side's total, and the API's
/// latencies.
async fn api_and_raw(
    ids: &[String],
    mut api: impl AsyncFnMut(&str) -> Result<(), Error>,
    mut raw: impl AsyncFnMut(&str) -> Result<(), Error>,
) -> Result<(Writes, Duration), Error> {
    let mut writes = Writes {
        total: Duration::ZERO,
        latency: new_histogram(),
    };
    let mut raw_total = Duration::ZERO;
    for (turn, ids) in ids.chunks(TURN).enumerate() {
        for api_first in [turn % 2 == 0, turn % 2 == 1] {
            if api_first {
                for id in ids {
                    let sent = Instant::now();
                    api(id).await?;
                    let took = sent.elapsed();
                    writes.total += took;
                    writes.latency.saturating_record(took.as_micros() as u64);
                }
            } else {
                let begin = Instant::now();
                for id in ids {
                    raw(id).await?;
                }
                raw_total += begin.elapsed();
            }
        }
    }
    Ok((writes, raw_total))
}

/// A fresh SQLite file opened as the server opens its own, with the favourites table.
fn raw_sqlite(path: &Path) -> Result<Connection, Error> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.execute_batch(
        "PRAGMA busy_timeout = 5000;
         PRAGMA foreign_keys = ON;
         PRAGMA synchronous = FULL;
         CREATE TABLE favourites (
             person_id  INTEGER NOT NULL,
             tile       TEXT    NOT NULL,
             created_at INTEGER NOT NULL,
             PRIMARY KEY (person_id, tile)
         ) STRICT;",
    )?;
    Ok(conn)
}

/// One raw write: the row in a transaction of its own; `list` also reads the person's
/// favourites back after it, as the API's list does.
fn raw_add(conn: &mut Connection, tile: &str, list: bool) -> Result<(), Error> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let tx = conn.transaction()?;
    tx.prepare_cached("INSERT INTO favourites (person_id, tile, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![1_i64, tile, now])?;
    tx.commit()?;
    if list {
        let mut statement = conn.prepare_cached(
            "SELECT tile FROM favourites WHERE person_id = ?1 ORDER BY created_at DESC, rowid DESC",
        )?;
        let rows = statement.query_map([1_i64], |r| r.get::<_, String>(0))?;
        std::hint::black_box(rows.collect::<Result<Vec<_>, _>>()?);
    }
    Ok(())
}

/// The engines side by side: signed-in reads (auth and a list read from the database) on SQLite
/// and on PostgreSQL with one and two replicas; the write path against raw inserts on PostgreSQL;
/// and group commit, concurrent writers against raw single-writer inserts, on both.
fn engines(
    server: &tokio::runtime::Runtime,
    client: &tokio::runtime::Runtime,
    args: &Args,
    dir: &Path,
    (sqlite_addr, sqlite_state): (SocketAddr, &AppState),
    sqlite_raw: Duration,
    inserts: usize,
) -> Result<(), Error> {
    let ms = |micros: u64| micros as f64 / 1000.0;
    let reads_line = |name: &str, reads: &Reads| {
        let rate = reads.latency.len() as f64 / reads.window.as_secs_f64();
        println!(
            "  {name:<28}{:>7} reads/s  p50 {:.2} ms  p99 {:.2} ms  ({} failed)",
            thousands(rate),
            ms(reads.latency.value_at_quantile(0.50)),
            ms(reads.latency.value_at_quantile(0.99)),
            reads.failed,
        );
    };
    let pg = args.postgres.as_deref();
    println!(
        "\nSigned-in reads: GET /api/v1/me/favourites (a session, then the person's list from the database), {} connections, {:.1} s",
        args.connections, args.duration
    );
    let sqlite_token = client.block_on(reader(sqlite_addr, sqlite_state))?;
    let sqlite_reads =
        client.block_on(read_load_on(&[sqlite_addr], args, favourites(sqlite_token)))?;
    reads_line("SQLite, one server:", &sqlite_reads);
    let mut pg_servers = None;
    if let Some(admin) = pg {
        let url = citizen_server::store::pg::create_database(admin, &database_name("reads"))?;
        let (a, a_state) = server.block_on(start_on(
            &dir.join("pg-a"),
            Some(Database::Postgres(url.clone())),
            None,
        ))?;
        let (b, _) = server.block_on(start_on(
            &dir.join("pg-b"),
            Some(Database::Postgres(url.clone())),
            None,
        ))?;
        let token = client.block_on(reader(a, &a_state))?;
        let one = client.block_on(read_load_on(&[a], args, favourites(token.clone())))?;
        reads_line("PostgreSQL, one replica:", &one);
        let two = client.block_on(read_load_on(&[a, b], args, favourites(token)))?;
        reads_line("PostgreSQL, two replicas:", &two);
        pg_servers = Some((a, a_state, url));
    } else {
        println!("  PostgreSQL:                 skipped (no --postgres; ./run bench starts one)");
    }
    println!(
        "  (the replicas share this machine's 2 cores with each other, PostgreSQL and the load generator)"
    );

    // The write path against raw inserts on PostgreSQL, as for SQLite above.
    let rate = |n: usize, d: Duration| n as f64 / d.as_secs_f64();
    let mut pg_raw = None;
    if let (Some(admin), Some((a, _, _))) = (pg, &pg_servers) {
        let raw_url = citizen_server::store::pg::create_database(admin, &database_name("raw"))?;
        let (tiles, api, raw) = client.block_on(async {
            let (mut sender, token, tiles) = api_writer(*a, inserts, MOBILE).await?;
            let (raw_client, insert) = raw_pg(&raw_url).await?;
            let (api, raw) = api_and_raw(
                &tiles,
                async |id| api_add(&mut sender, &token, id).await,
                async |id| raw_pg_add(&raw_client, &insert, id).await,
            )
            .await?;
            Ok::<_, Error>((tiles, api, raw))
        })?;
        println!(
            "\nServer writes on PostgreSQL: {} single-row inserts, sequential, each acknowledged before the next (synchronous_commit on, fsync on); API and raw take turns of {TURN}",
            tiles.len()
        );
        write_lines("PostgreSQL", &api, raw, tiles.len());
        pg_raw = Some(rate(tiles.len(), raw));
    }

    // Group commit: many writers at once, each write acknowledged only once durable.
    println!(
        "\nGroup commit: {} writers at once, {} favourites each, every write acknowledged after its batch's commit; against raw single-writer inserts (1 txn, 1 fsync each) on the same engine",
        args.writers, args.writes_each
    );
    let sqlite_raw_rate = rate(inserts, sqlite_raw);
    let group_line = |name: &str, addr: SocketAddr, state: &AppState, raw_rate: f64| {
        let tokens = client.block_on(writers(state, args.writers))?;
        let run = client.block_on(concurrent_writes(addr, tokens, args.writes_each))?;
        let writes = args.writers * args.writes_each;
        let api_rate = rate(writes, run.total);
        let ratio = api_rate / raw_rate;
        let p99 = ms(run.latency.value_at_quantile(0.99));
        println!(
            "  {name:<28}{:>7} writes/s acknowledged  p99 {p99:.2} ms;  raw single writer {} inserts/s;  ratio {ratio:.2}  (goal >= {GOAL_GROUP_RATIO:.1}, p99 <= {GOAL_P99_MS:.0} ms) {}",
            thousands(api_rate),
            thousands(raw_rate),
            verdict(ratio >= GOAL_GROUP_RATIO && p99 <= GOAL_P99_MS)
        );
        Ok::<_, Error>(())
    };
    group_line("SQLite:", sqlite_addr, sqlite_state, sqlite_raw_rate)?;
    if let (Some((a, a_state, _)), Some(raw_rate)) = (&pg_servers, pg_raw) {
        group_line("PostgreSQL:", *a, a_state, raw_rate)?;
    }
    Ok(())
}

/// A database name of its own for this run.
fn database_name(what: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("bench_{what}_{}_{nanos}", std::process::id())
}

/// `GET /api/v1/me/favourites` as `token`.
fn favourites(token: String) -> impl Fn() -> Request<Full<Bytes>> + Copy + Send + 'static {
    let token: &'static str = Box::leak(token.into_boxed_str());
    move || request("GET", "/api/v1/me/favourites", Some(token), None)
}

/// A reader's session, with a favourite to list.
async fn reader(addr: SocketAddr, state: &AppState) -> Result<String, Error> {
    let token = writers(state, 1).await?.pop().ok_or("no reader")?;
    let body = serde_json::json!({ "tile": "housing-fund-balance" }).to_string();
    let (status, _) = call(
        &mut connect(addr).await?,
        request("POST", "/api/v1/me/favourites", Some(&token), Some(body)),
    )
    .await?;
    if status != StatusCode::CREATED {
        return Err(format!("the reader's favourite: {status}").into());
    }
    Ok(token)
}

/// `n` new people of the demo community, each with a session opened in the database (sign-ins
/// are rate limited and hash passwords): their tokens.
async fn writers(state: &AppState, n: usize) -> Result<Vec<String>, Error> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let first = NEXT.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let hash = citizen_server::password::hash(PASSWORD);
    state
        .db
        .transaction(Tx::Write, move |conn| -> Result<Vec<String>, Error> {
            let mut tokens = Vec::new();
            for i in first..first + n {
                let mobile = citizen_core::phone::MobileNumber::parse(&format!("1370000{i:04}"))?;
                let id = people::insert(
                    conn,
                    &people::NewPerson {
                        mobile: &mobile,
                        display_name: &citizen_core::account::DisplayName::parse("写入者")?,
                        password_hash: &hash,
                        community: "demo",
                        roles: &[citizen_core::account::Role::Resident],
                    },
                    now,
                )?
                .ok_or("a bench person exists already")?;
                let token = sessions::new_token();
                sessions::open(conn, &token, id, now)?;
                tokens.push(token.expose().to_owned());
            }
            Ok(tokens)
        })
        .await
}

/// Each token's writer adds `each` favourites one after another on its own connection, all
/// writers at once: the wall time, and every write's latency.
async fn concurrent_writes(
    addr: SocketAddr,
    tokens: Vec<String>,
    each: usize,
) -> Result<Writes, Error> {
    let mut sender = connect(addr).await?;
    let (status, body) = call(
        &mut sender,
        request("GET", "/api/v1/tiles?limit=500", None, None),
    )
    .await?;
    if status != StatusCode::OK {
        return Err(format!("GET /api/v1/tiles: {status}").into());
    }
    let tiles: Vec<serde_json::Value> = serde_json::from_slice(&body)?;
    let tiles: Arc<Vec<String>> = Arc::new(
        tiles
            .iter()
            .filter_map(|t| t["id"].as_str().map(str::to_owned))
            .take(each)
            .collect(),
    );
    if tiles.len() < each {
        return Err(format!("only {} tiles for {each} writes each", tiles.len()).into());
    }
    let mut senders = Vec::new();
    for _ in &tokens {
        senders.push(connect(addr).await?);
    }
    let begin = Instant::now();
    let tasks: Vec<_> = tokens
        .into_iter()
        .zip(senders)
        .map(|(token, mut sender)| {
            let tiles = Arc::clone(&tiles);
            tokio::spawn(async move {
                let mut latency = new_histogram();
                for tile in tiles.iter() {
                    let body = serde_json::json!({ "tile": tile }).to_string();
                    let sent = Instant::now();
                    let (status, reply) = call(
                        &mut sender,
                        request("POST", "/api/v1/me/favourites", Some(&token), Some(body)),
                    )
                    .await?;
                    latency.saturating_record(sent.elapsed().as_micros() as u64);
                    if status != StatusCode::CREATED {
                        return Err::<_, Error>(
                            format!("add {tile}: {status} {}", String::from_utf8_lossy(&reply))
                                .into(),
                        );
                    }
                }
                Ok(latency)
            })
        })
        .collect();
    let mut latency = new_histogram();
    for task in tasks {
        latency.add(&task.await??)?;
    }
    Ok(Writes {
        total: begin.elapsed(),
        latency,
    })
}

/// A fresh PostgreSQL database's connection, straight through the driver, with the favourites
/// table and its insert prepared.
async fn raw_pg(url: &str) -> Result<(tokio_postgres::Client, tokio_postgres::Statement), Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    client
        .batch_execute(
            "CREATE TABLE favourites (
                 person_id  BIGINT NOT NULL,
                 tile       TEXT   NOT NULL,
                 created_at BIGINT NOT NULL,
                 PRIMARY KEY (person_id, tile)
             )",
        )
        .await?;
    let insert = client
        .prepare("INSERT INTO favourites (person_id, tile, created_at) VALUES ($1, $2, $3)")
        .await?;
    Ok((client, insert))
}

/// One raw write on PostgreSQL: one transaction (one commit, one WAL flush).
async fn raw_pg_add(
    client: &tokio_postgres::Client,
    insert: &tokio_postgres::Statement,
    tile: &str,
) -> Result<(), Error> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    client.batch_execute("BEGIN").await?;
    client.execute(insert, &[&1_i64, &tile, &now]).await?;
    client.batch_execute("COMMIT").await?;
    Ok(())
}

/// `n` lone writes handed to the database's writer one after another from a task, as a handler
/// hands them (no HTTP; spawned on the server's runtime, a lone write leads in place), against the same inserts straight on a connection of the same database.
async fn writer_alone(dir: PathBuf, n: u32) -> Result<(Duration, Duration), Error> {
    use citizen_server::store::db::{Db, DbError};
    use citizen_server::store::writer::{Deliver, Job};
    let db = Db::open(&dir)?;
    let table = "CREATE TABLE alone (person_id INTEGER NOT NULL, tile TEXT NOT NULL,
        created_at INTEGER NOT NULL, PRIMARY KEY (person_id, tile)) STRICT";
    let raw = {
        let db = db.clone();
        tokio::task::spawn_blocking(move || -> Result<Duration, Error> {
            let conn = db.get()?;
            conn.sql().execute_batch(table)?;
            let begin = Instant::now();
            for i in 0..n {
                let tx = conn.begin(Tx::Write)?;
                tx.conn
                    .execute("INSERT INTO alone VALUES (1, ?1, 0)", [format!("raw-{i}")])?;
                tx.commit()?;
            }
            Ok(begin.elapsed())
        })
        .await??
    };
    let writer = db.writer().await?;
    let begin = Instant::now();
    for i in 0..n {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let ok = conn
                .execute(
                    "INSERT INTO alone VALUES (2, ?1, 0)",
                    [format!("writer-{i}")],
                )
                .is_ok();
            let deliver: Deliver = Box::new(move |committed| {
                let _ = answer.send(ok && committed.is_ok());
            });
            (ok, deliver)
        });
        if !writer.submit(job) || !answered.await.unwrap_or(false) {
            return Err(DbError::Task.into());
        }
    }
    Ok((begin.elapsed(), raw))
}
