//! PostgreSQL, the store of deployments with several replicas (`--database postgres://…`).
//!
//! The driver is tokio-postgres, without a runtime: each connection's socket is non-blocking,
//! and the thread that waits on a reply drives the connection itself ([`Client::drive`]): it
//! polls its request and the connection's protocol (which writes the request and hands over the
//! reply), and between polls that changed nothing sleeps in poll(2) on the socket. So store code
//! calls it blocking, exactly where it calls SQLite (the blocking pool, the writer's thread, or a
//! runtime's worker running a lone write, see `store::writer`), every store function and
//! transaction is written once for both engines (`store::sql`), and a round trip costs no
//! hand-over between threads. Connections are pooled by r2d2, as SQLite's are (it checks a
//! connection is still open when lending it, by reading what the server sent while it sat idle,
//! and replaces one the server closed). Measured against
//! deadpool-postgres with one shared runtime, and against a runtime per connection (which a
//! worker could only enter inside `block_in_place`), see the README's Architecture. TLS, when the
//! URL asks for it, is rustls over the same socket ([`Target`]).

use super::sql::{self, Error, Value, numbered_dollars};
use rustix::event::{PollFd, PollFlags};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::future::Future;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::pin::{Pin, pin};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::SimpleQueryMessage;
use tokio_postgres::config::{Host, SslMode, TargetSessionAttrs};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres_rustls::MakeRustlsConnect;

/// PostgreSQL's migrations, applied in order at start (by one replica at a time: a session
/// advisory lock), tracked in `schema_migrations`. Each SQLite migration after 013 comes with
/// its PostgreSQL twin of the same number.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/postgres/001_schema.sql")),
    (
        14,
        include_str!("../../migrations/postgres/014_row_order.sql"),
    ),
    (
        15,
        include_str!("../../migrations/postgres/015_limit_slots.sql"),
    ),
    (
        16,
        include_str!("../../migrations/postgres/016_favourites_by_seq.sql"),
    ),
    (
        17,
        include_str!("../../migrations/postgres/017_photo_objects.sql"),
    ),
];

/// The advisory lock keys: one for applying migrations, one taken by every write transaction
/// (see [`WRITE_LOCK`]).
const MIGRATION_LOCK: i64 = 0x0063_6974_796d_6967; // "citymig"
/// Every write transaction takes this lock first, so writes are serial across replicas, as they
/// are inside one SQLite file: every check-then-write rule of the store (balances, stock, caps,
/// quotas, idempotency) holds as it does on SQLite, without SERIALIZABLE's retries. Reads take
/// no lock (REPEATABLE READ snapshots). Group commit keeps the lock's cost to one per batch.
pub const WRITE_LOCK: i64 = 0x0063_6974_7977_7274; // "citywrt"

/// Where connections go, and how they are secured: a connection URL as libpq reads it.
///
/// `sslmode=require` (or libpq's `verify-ca` and `verify-full`, read alike) asks for TLS, and the
/// server's certificate is always verified, for its host name, against the Mozilla roots and the
/// CA in `sslrootcert=PATH` when the URL names one (a private CA). Without it (or with `disable`
/// or `prefer`) the connection is plain TCP: TLS whose certificate nobody checks is not offered.
/// `sslcert=PATH&sslkey=PATH` (PEM) sign in with a client certificate, for a database that asks
/// for one (`cert` in pg_hba.conf); unlike libpq, nothing is read from `~/.postgresql/`.
#[derive(Clone)]
pub struct Target {
    config: tokio_postgres::Config,
    tls: MakeRustlsConnect,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("config", &self.config)
            .finish()
    }
}

impl FromStr for Target {
    type Err = Error;

    fn from_str(url: &str) -> Result<Target, Error> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let (mut root, mut cert, mut key) = (None, None, None);
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("sslrootcert", path)) => root = Some(path.to_owned()),
                Some(("sslcert", path)) => cert = Some(path.to_owned()),
                Some(("sslkey", path)) => key = Some(path.to_owned()),
                Some(("sslmode", "verify-ca" | "verify-full")) => kept.push("sslmode=require"),
                _ => kept.push(pair),
            }
        }
        let url = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config = tokio_postgres::Config::from_str(&url)?;
        if config.get_ssl_mode() != SslMode::Require {
            config.ssl_mode(SslMode::Disable);
        }
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        // A PEM file named in the URL that cannot be used, in words naming which and why.
        let unreadable = |what: &str, path: &str, e: &dyn std::fmt::Display| {
            Error::Bind(format!("{what} {path}: {e}"))
        };
        if let Some(path) = root {
            let unreadable = |e: &dyn std::fmt::Display| unreadable("sslrootcert", &path, e);
            let certificates = CertificateDer::pem_file_iter(&path).map_err(|e| unreadable(&e))?;
            for certificate in certificates {
                let certificate = certificate.map_err(|e| unreadable(&e))?;
                roots.add(certificate).map_err(|e| unreadable(&e))?;
            }
        }
        // ring (which tokio-postgres-rustls already builds on) has no post-quantum key exchange,
        // hence rustls's deprecation; aws-lc-rs has one, at the cost of a C library's build.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Bind(format!("TLS: {e}")))?
            .with_root_certificates(roots);
        let tls = match (cert, key) {
            (None, None) => builder.with_no_client_auth(),
            (Some(cert), Some(key)) => {
                let unreadable = |path: &str, e: &dyn std::fmt::Display| {
                    unreadable("the client certificate", path, e)
                };
                let chain = CertificateDer::pem_file_iter(&cert)
                    .map_err(|e| unreadable(&cert, &e))?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| unreadable(&cert, &e))?;
                let key_der =
                    PrivateKeyDer::from_pem_file(&key).map_err(|e| unreadable(&key, &e))?;
                builder
                    .with_client_auth_cert(chain, key_der)
                    .map_err(|e| unreadable(&cert, &e))?
            }
            _ => {
                return Err(Error::Bind(
                    "sslcert and sslkey go together: the client certificate and its key".into(),
                ));
            }
        };
        Ok(Target {
            config,
            tls: MakeRustlsConnect::new(tls),
        })
    }
}

impl Target {
    /// The hosts the URL names and its database, for the start-up banner (never the password).
    pub fn describe(&self) -> String {
        let hosts: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .map(|h| match h {
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => path.display().to_string(),
            })
            .collect();
        let tls = match self.config.get_ssl_mode() {
            SslMode::Require => ", TLS",
            _ => "",
        };
        format!(
            "PostgreSQL {} database {}{tls}",
            hosts.join(","),
            self.config.get_dbname().unwrap_or("(default)")
        )
    }
}

/// Opens connections to one database for r2d2.
#[derive(Debug)]
pub struct Manager {
    target: Target,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Client;
    type Error = Error;

    fn connect(&self) -> Result<Client, Error> {
        Client::connect(&self.target)
    }

    fn is_valid(&self, client: &mut Client) -> Result<(), Error> {
        if client.is_closed() {
            return Err(Error::Pool("the connection is closed".into()));
        }
        Ok(())
    }

    fn has_broken(&self, client: &mut Client) -> bool {
        client.is_closed()
    }
}

/// A pool of connections to one database.
#[derive(Clone)]
pub struct PgPool {
    pool: r2d2::Pool<Manager>,
    target: Target,
}

impl PgPool {
    /// Connects (lazily) to `url` with at most `size` connections.
    pub fn new(url: &str, size: u32) -> Result<PgPool, Error> {
        let target = Target::from_str(url)?;
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .build_unchecked(Manager {
                target: target.clone(),
            });
        Ok(PgPool { pool, target })
    }

    /// A connection, blocking until one is free; a closed one is replaced first.
    pub fn get(&self) -> Result<r2d2::PooledConnection<Manager>, Error> {
        self.pool.get().map_err(|e| Error::Pool(e.to_string()))
    }

    /// A connection of its own, outside the pool (the writer's).
    pub fn dedicated(&self) -> Result<Client, Error> {
        Client::connect(&self.target)
    }

    /// Applies the migrations this database lacks, one replica at a time.
    pub fn migrate(&self) -> Result<(), Error> {
        let client = self.dedicated()?;
        client.execute("SELECT pg_advisory_lock(?1)", &[Value::Int(MIGRATION_LOCK)])?;
        let applied = migrate(&client);
        let unlocked = client.execute(
            "SELECT pg_advisory_unlock(?1)",
            &[Value::Int(MIGRATION_LOCK)],
        );
        applied.and(unlocked.map(|_| ()))
    }
}

fn migrate(client: &Client) -> Result<(), Error> {
    client.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )?;
    for (version, up) in MIGRATIONS {
        let done = client.query(
            "SELECT 1 FROM schema_migrations WHERE version = ?1",
            &[Value::Int(*version)],
        )?;
        if !done.is_empty() {
            continue;
        }
        client.batch("BEGIN")?;
        let applied = client.batch(up).and_then(|()| {
            client.execute(
                "INSERT INTO schema_migrations (version) VALUES (?1)",
                &[Value::Int(*version)],
            )
        });
        match applied {
            Ok(_) => client.batch("COMMIT")?,
            Err(e) => {
                let _ = client.batch("ROLLBACK");
                return Err(e);
            }
        }
    }
    Ok(())
}

/// One connection, driven by whoever waits on it ([`Client::drive`]), and its prepared statements.
pub struct Client {
    client: tokio_postgres::Client,
    /// The protocol's side of the connection; `None` once it has ended (the server closed it).
    connection: std::sync::Mutex<Option<Pin<Box<Connection>>>>,
    driver: Driver,
    /// Prepared statements by the store's text (with `?1` placeholders).
    statements: std::sync::Mutex<std::collections::HashMap<String, tokio_postgres::Statement>>,
    /// Statements to send ahead of the next one, in its round trip ([`Client::send_ahead`]).
    ahead: std::sync::Mutex<String>,
}

type Connection =
    tokio_postgres::Connection<Socket, <MakeRustlsConnect as MakeTlsConnect<Socket>>::Stream>;

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("pg::Client")
    }
}

impl Client {
    /// A connection to the first of the URL's hosts that answers, signs in, and (with
    /// `target_session_attrs`) offers the kind of session asked for: libpq's rule, so that a URL
    /// naming a primary and its standbys reaches whichever is the primary now.
    fn connect(target: &Target) -> Result<Client, Error> {
        let mut failed = None;
        for host in 0..target.config.get_hosts().len() {
            match Client::connect_to(target, host) {
                Ok(client) => return Ok(client),
                Err(e) => failed = Some(e),
            }
        }
        Err(failed.unwrap_or_else(|| Error::Pool("the database URL names no host".into())))
    }

    /// A connection to the URL's `i`th host: the socket, TLS, start-up and sign-in, then the
    /// session's kind checked.
    fn connect_to(target: &Target, i: usize) -> Result<Client, Error> {
        let config = &target.config;
        let (stream, fd, host) = open_socket(config, i)
            .map_err(|e| Error::Pool(format!("cannot reach PostgreSQL: {e}")))?;
        let tls = MakeTlsConnect::<Socket>::make_tls_connect(&mut target.tls.clone(), &host)
            .map_err(|e| Error::Pool(format!("TLS to {host}: {e}")))?;
        let blocked_write = Arc::new(AtomicBool::new(false));
        let driver = Driver {
            fd,
            woken: Arc::new(Woken(AtomicBool::new(false))),
            blocked_write: Arc::clone(&blocked_write),
        };
        let socket = Socket {
            stream,
            blocked_write,
        };
        let mut connecting = pin!(config.connect_raw(socket, tls));
        let (client, connection) = driver
            .run(|cx| connecting.as_mut().poll(cx))
            .map_err(failed)??;
        let client = Client {
            client,
            connection: std::sync::Mutex::new(Some(Box::pin(connection))),
            driver,
            statements: std::sync::Mutex::default(),
            ahead: std::sync::Mutex::default(),
        };
        client.check_session(config.get_target_session_attrs(), &host)?;
        Ok(client)
    }

    /// Refuses a session that is not of the `wanted` kind: a read-only one (a standby) when
    /// writes are wanted, a writable one when reads only are.
    fn check_session(&self, wanted: TargetSessionAttrs, host: &str) -> Result<(), Error> {
        if wanted == TargetSessionAttrs::Any {
            return Ok(());
        }
        let replies = self.drive(self.client.simple_query("SHOW transaction_read_only"))??;
        let read_only = replies
            .iter()
            .any(|reply| matches!(reply, SimpleQueryMessage::Row(row) if row.get(0) == Some("on")));
        match (wanted, read_only) {
            (TargetSessionAttrs::ReadWrite, true) => Err(Error::Pool(format!(
                "{host} takes no writes (a standby); target_session_attrs=read-write"
            ))),
            (TargetSessionAttrs::ReadOnly, false) => Err(Error::Pool(format!(
                "{host} takes writes; target_session_attrs=read-only"
            ))),
            _ => Ok(()),
        }
    }

    /// Runs `work` (requests on this connection) to completion on this thread, polling the
    /// connection's protocol alongside it: it writes the requests, reads the replies and hands
    /// them to `work`. Between polls that changed nothing, the thread waits for the socket.
    /// Fails only when the connection has ended and `work` still waits on it.
    fn drive<T>(&self, work: impl Future<Output = T>) -> sql::Result<T> {
        let mut work = pin!(work);
        let mut connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        self.driver
            .run(|cx| {
                if let Poll::Ready(out) = work.as_mut().poll(cx) {
                    return Poll::Ready(Some(out));
                }
                let Some(open) = connection.as_mut() else {
                    return Poll::Ready(None);
                };
                if let Poll::Ready(ended) = open.as_mut().poll(cx) {
                    if let Err(e) = ended {
                        tracing::warn!(error = %e, "a PostgreSQL connection ended");
                    }
                    // Dropped, it answers every request in flight with an error: `work` hears it.
                    *connection = None;
                    cx.waker().wake_by_ref();
                }
                Poll::Pending
            })
            .map_err(failed)?
            .ok_or_else(|| Error::Pool("the connection is closed".into()))
    }

    /// Sends `sql` (statements without placeholders, such as a transaction's `BEGIN`) with the
    /// next statement, in the same round trip: both are written before either's reply is read
    /// (pipelined), and the server runs them in order. An error of `sql` is the next
    /// statement's error (which then finds its transaction aborted and runs nothing).
    pub(super) fn send_ahead(&self, sql: &str) {
        let mut ahead = self.ahead.lock().unwrap_or_else(|e| e.into_inner());
        if !ahead.is_empty() {
            ahead.push_str("; ");
        }
        ahead.push_str(sql);
    }

    /// What is to go ahead of the next statement, taken.
    fn take_ahead(&self) -> Option<String> {
        let mut ahead = self.ahead.lock().unwrap_or_else(|e| e.into_inner());
        (!ahead.is_empty()).then(|| std::mem::take(&mut *ahead))
    }

    /// Runs `work` with `sql`'s prepared statement, to completion.
    fn run<T>(
        &self,
        sql: &str,
        work: impl AsyncFnOnce(
            &tokio_postgres::Client,
            &tokio_postgres::Statement,
        ) -> Result<T, tokio_postgres::Error>,
    ) -> sql::Result<T> {
        let kept = self
            .statements
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(sql)
            .cloned();
        let statement = match kept {
            Some(statement) => statement,
            None => {
                // Translated once, when first prepared; kept under the store's own text.
                let text = numbered_dollars(sql);
                let statement = self.drive(self.client.prepare(&text))??;
                self.statements
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(sql.to_owned(), statement.clone());
                statement
            }
        };
        let ahead = self.take_ahead();
        Ok(self.drive(async {
            let Some(ahead) = ahead else {
                return work(&self.client, &statement).await;
            };
            // `biased`: the statements ahead are polled, so sent, first.
            let (sent, done) = tokio::join!(
                biased;
                self.client.batch_execute(&ahead),
                work(&self.client, &statement),
            );
            sent.and(done)
        })??)
    }

    pub(super) fn execute(&self, sql: &str, values: &[Value<'_>]) -> sql::Result<usize> {
        let params: Vec<Param<'_>> = values.iter().copied().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let changed = self.run(sql, async |client, statement| {
            client.execute(statement, &refs).await
        })?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub(super) fn query(
        &self,
        sql: &str,
        values: &[Value<'_>],
    ) -> sql::Result<Vec<tokio_postgres::Row>> {
        let params: Vec<Param<'_>> = values.iter().copied().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        self.run(sql, async |client, statement| {
            client.query(statement, &refs).await
        })
    }

    /// Whether the server closed the connection (a restart, a failover, an administrator). What
    /// the server sent while the connection sat idle is read first, without waiting: a goodbye,
    /// or the end of the stream, ends the connection's protocol, and so the connection.
    pub fn is_closed(&self) -> bool {
        let mut connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(open) = connection.as_mut()
            && open
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
                .is_ready()
        {
            *connection = None;
        }
        connection.is_none() || self.client.is_closed()
    }

    pub(super) fn batch(&self, sql: &str) -> sql::Result<()> {
        let sql = match self.take_ahead() {
            Some(ahead) => format!("{ahead}; {sql}"),
            None => sql.to_owned(),
        };
        self.drive(self.client.batch_execute(&sql))??;
        Ok(())
    }
}

/// A connection's socket failed while a thread waited on it.
fn failed(e: std::io::Error) -> Error {
    Error::Pool(format!("the PostgreSQL connection failed: {e}"))
}

/// What lets a thread wait on its connection without a runtime: the socket, to wait on with
/// poll(2), and the flags its polls leave.
struct Driver {
    /// The socket (a duplicate of its descriptor), to wait on.
    fd: OwnedFd,
    /// Set when a poll woke a task of the connection's (a request queued, a reply handed over).
    woken: Arc<Woken>,
    /// Set when a write found the socket's buffer full.
    blocked_write: Arc<AtomicBool>,
}

impl Driver {
    /// Polls `step` until it is ready. A poll that woke something is followed by another at
    /// once; after one that woke nothing, the thread sleeps until the socket can be read (or
    /// written, when a write was refused).
    fn run<T>(&self, mut step: impl FnMut(&mut Context<'_>) -> Poll<T>) -> std::io::Result<T> {
        let waker = Waker::from(Arc::clone(&self.woken));
        let mut cx = Context::from_waker(&waker);
        loop {
            self.woken.0.store(false, Ordering::Relaxed);
            self.blocked_write.store(false, Ordering::Relaxed);
            if let Poll::Ready(out) = step(&mut cx) {
                return Ok(out);
            }
            if self.woken.0.load(Ordering::Relaxed) {
                continue;
            }
            let mut wait_for = PollFlags::IN;
            if self.blocked_write.load(Ordering::Relaxed) {
                wait_for |= PollFlags::OUT;
            }
            match rustix::event::poll(&mut [PollFd::new(&self.fd, wait_for)], None) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// The flag a connection's wakers set (every poll is on the thread that waits, see [`Driver`]).
struct Woken(AtomicBool);

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The connection's socket, non-blocking: a read or write that would block is `Pending`, and
/// the [`Driver`] waits for the socket before polling again.
struct Socket {
    stream: Stream,
    blocked_write: Arc<AtomicBool>,
}

enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Stream {
    fn io(&mut self) -> &mut dyn ReadWrite {
        match self {
            Stream::Tcp(s) => s,
            Stream::Unix(s) => s,
        }
    }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// A non-blocking call's outcome as a poll's: `Pending` when it would block.
fn attempt<T>(mut call: impl FnMut() -> std::io::Result<T>) -> Poll<std::io::Result<T>> {
    loop {
        match call() {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Poll::Pending,
            done => return Poll::Ready(done),
        }
    }
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let read = ready!(attempt(|| this.stream.io().read(buf.initialize_unfilled())))?;
        buf.advance(read);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let written = attempt(|| this.stream.io().write(data));
        if written.is_pending() {
            this.blocked_write.store(true, Ordering::Relaxed);
        }
        written
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let shut = match &self.stream {
            Stream::Tcp(s) => s.shutdown(Shutdown::Write),
            Stream::Unix(s) => s.shutdown(Shutdown::Write),
        };
        Poll::Ready(shut)
    }
}

/// A socket to `config`'s `i`th host, set up as tokio-postgres sets up its own (no Nagle delay,
/// keepalives as configured), non-blocking; a duplicate of its descriptor to wait on; and the
/// host's name, for TLS.
fn open_socket(
    config: &tokio_postgres::Config,
    i: usize,
) -> std::io::Result<(Stream, OwnedFd, String)> {
    let ports = config.get_ports();
    let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
    let host = config
        .get_hosts()
        .get(i)
        .ok_or_else(|| std::io::Error::other("the URL names no such host"))?;
    let stream = match host {
        Host::Tcp(name) => match config.get_hostaddrs().get(i) {
            Some(ip) => tcp(config, &[SocketAddr::new(*ip, port)]),
            None => (name.as_str(), port)
                .to_socket_addrs()
                .and_then(|addrs| tcp(config, &addrs.collect::<Vec<_>>())),
        },
        Host::Unix(dir) => {
            UnixStream::connect(dir.join(format!(".s.PGSQL.{port}"))).map(Stream::Unix)
        }
    }?;
    let fd = match &stream {
        Stream::Tcp(s) => {
            s.set_nonblocking(true)?;
            s.as_fd().try_clone_to_owned()?
        }
        Stream::Unix(s) => {
            s.set_nonblocking(true)?;
            s.as_fd().try_clone_to_owned()?
        }
    };
    // The name a server's certificate is checked against. PostgreSQL speaks no TLS on a Unix
    // socket (`sslmode=require` there is refused by the server), so a socket's name only fills
    // the place.
    let name = match host {
        Host::Tcp(name) => name.clone(),
        Host::Unix(_) => "localhost".to_owned(),
    };
    Ok((stream, fd, name))
}

/// A TCP connection to the first of `addrs` that accepts one.
fn tcp(config: &tokio_postgres::Config, addrs: &[SocketAddr]) -> std::io::Result<Stream> {
    let mut failed = None;
    for addr in addrs {
        let connected = match config.get_connect_timeout() {
            Some(limit) => TcpStream::connect_timeout(addr, *limit),
            None => TcpStream::connect(addr),
        };
        match connected {
            Ok(stream) => {
                stream.set_nodelay(true)?;
                if config.get_keepalives() {
                    let mut keepalive =
                        socket2::TcpKeepalive::new().with_time(config.get_keepalives_idle());
                    if let Some(interval) = config.get_keepalives_interval() {
                        keepalive = keepalive.with_interval(interval);
                    }
                    if let Some(retries) = config.get_keepalives_retries() {
                        keepalive = keepalive.with_retries(retries);
                    }
                    socket2::SockRef::from(&stream).set_tcp_keepalive(&keepalive)?;
                }
                return Ok(Stream::Tcp(stream));
            }
            Err(e) => failed = Some(e),
        }
    }
    Err(failed.unwrap_or_else(|| std::io::Error::other("the host name resolves to no address")))
}

/// A column of a PostgreSQL row as one of SQLite's kinds.
pub(super) fn value(row: &tokio_postgres::Row, column: usize) -> sql::Result<Value<'_>> {
    let Some(ty) = row.columns().get(column).map(|c| c.type_().clone()) else {
        return Err(Error::Conversion {
            column,
            message: "no such column".into(),
        });
    };
    let int = |i: Option<i64>| i.map_or(Value::Null, Value::Int);
    Ok(match ty {
        Type::INT8 => int(row.try_get::<_, Option<i64>>(column)?),
        Type::INT4 => int(row.try_get::<_, Option<i32>>(column)?.map(i64::from)),
        Type::INT2 => int(row.try_get::<_, Option<i16>>(column)?.map(i64::from)),
        Type::BOOL => int(row.try_get::<_, Option<bool>>(column)?.map(i64::from)),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(column)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(column)?
            .map_or(Value::Null, |f| Value::Real(f64::from(f))),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
            .try_get::<_, Option<&str>>(column)?
            .map_or(Value::Null, Value::Text),
        Type::BYTEA => row
            .try_get::<_, Option<&[u8]>>(column)?
            .map_or(Value::Null, Value::Blob),
        other => {
            return Err(Error::Conversion {
                column,
                message: format!("a PostgreSQL {other} column (CAST it to BIGINT or TEXT)"),
            });
        }
    })
}

/// A value bound as the type PostgreSQL inferred for its placeholder.
#[derive(Debug)]
struct Param<'a>(Value<'a>);

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        match (self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Int(i), &Type::INT4) => i32::try_from(i)?.to_sql(ty, out),
            (Value::Int(i), &Type::INT2) => i16::try_from(i)?.to_sql(ty, out),
            (Value::Int(i), &Type::BOOL) => (i != 0).to_sql(ty, out),
            (Value::Int(i), &Type::FLOAT8) => (i as f64).to_sql(ty, out),
            (Value::Int(i), &Type::TEXT | &Type::VARCHAR | &Type::UNKNOWN) => {
                i.to_string().as_str().to_sql(ty, out)
            }
            (Value::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Value::Real(f), &Type::FLOAT4) => (f as f32).to_sql(ty, out),
            (
                Value::Text(s),
                &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME | &Type::UNKNOWN,
            ) => s.to_sql(ty, out),
            (Value::Blob(b), &Type::BYTEA) => b.to_sql(ty, out),
            (value, ty) => Err(format!("cannot send {value:?} as a PostgreSQL {ty}").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Creates the empty database `name` on the cluster `admin_url` connects to, and returns its URL
/// (`admin_url` with its database name replaced): a fresh database per test or bench run.
pub fn create_database(admin_url: &str, name: &str) -> Result<String, Error> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::Bind(format!("not a plain database name: {name}")));
    }
    let (cluster, _) = admin_url
        .rsplit_once('/')
        .filter(|(cluster, _)| cluster.contains("://"))
        .ok_or_else(|| Error::Bind("the URL names no database".into()))?;
    let admin = Client::connect(&Target::from_str(admin_url)?)?;
    admin.batch(&format!("CREATE DATABASE {name}"))?;
    Ok(format!("{cluster}/{name}"))
}
