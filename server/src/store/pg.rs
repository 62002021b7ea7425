//! PostgreSQL, the store of deployments with several replicas (`--database postgres://…`).
//!
//! The driver is tokio-postgres. Each connection is driven by a single-threaded runtime of its
//! own, which the thread using the connection runs while it waits for a reply: store code calls
//! it blocking from the blocking pool or the writer's thread, exactly where it calls SQLite, so
//! every store function and transaction is written once for both engines (`store::sql`), and a
//! round trip costs no hand-over between threads. Connections are pooled by r2d2, as SQLite's are
//! (it checks a connection is still open when lending it, as far as the connection's runtime has
//! seen; a read that finds it dead anyway runs once more, see `Db::transaction`). Measured against deadpool-postgres
//! with one shared runtime, see the README's Architecture.

use super::sql::{self, Error, Value, numbered_dollars};
use std::str::FromStr;
use tokio_postgres::NoTls;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

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
];

/// The advisory lock keys: one for applying migrations, one taken by every write transaction
/// (see [`WRITE_LOCK`]).
const MIGRATION_LOCK: i64 = 0x0063_6974_796d_6967; // "citymig"
/// Every write transaction takes this lock first, so writes are serial across replicas, as they
/// are inside one SQLite file: every check-then-write rule of the store (balances, stock, caps,
/// quotas, idempotency) holds as it does on SQLite, without SERIALIZABLE's retries. Reads take
/// no lock (REPEATABLE READ snapshots). Group commit keeps the lock's cost to one per batch.
pub const WRITE_LOCK: i64 = 0x0063_6974_7977_7274; // "citywrt"

/// Opens connections to one database for r2d2.
#[derive(Debug)]
pub struct Manager {
    config: tokio_postgres::Config,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Client;
    type Error = Error;

    fn connect(&self) -> Result<Client, Error> {
        Client::connect(&self.config)
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
    config: tokio_postgres::Config,
}

impl PgPool {
    /// Connects (lazily) to `url` with at most `size` connections.
    pub fn new(url: &str, size: u32) -> Result<PgPool, Error> {
        let config = tokio_postgres::Config::from_str(url)?;
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .build_unchecked(Manager {
                config: config.clone(),
            });
        Ok(PgPool { pool, config })
    }

    /// A connection, blocking until one is free; a closed one is replaced first.
    pub fn get(&self) -> Result<r2d2::PooledConnection<Manager>, Error> {
        self.pool.get().map_err(|e| Error::Pool(e.to_string()))
    }

    /// A connection of its own, outside the pool (the writer's).
    pub fn dedicated(&self) -> Result<Client, Error> {
        Client::connect(&self.config)
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

/// One connection, with the runtime that drives it and its prepared statements.
pub struct Client {
    client: tokio_postgres::Client,
    runtime: Driver,
    /// Prepared statements by the store's text (with `?1` placeholders).
    statements: std::sync::Mutex<std::collections::HashMap<String, tokio_postgres::Statement>>,
    /// Statements to send ahead of the next one, in its round trip ([`Client::send_ahead`]).
    ahead: std::sync::Mutex<String>,
}

/// A connection's runtime. Dropped without waiting (a pool may be dropped on an async task, where
/// a runtime must not block).
struct Driver(Option<tokio::runtime::Runtime>);

impl Driver {
    fn block_on<F: std::future::Future>(&self, work: F) -> F::Output {
        match &self.0 {
            Some(runtime) => runtime.block_on(work),
            None => unreachable!("a driver has its runtime until it is dropped"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("pg::Client")
    }
}

impl Client {
    fn connect(config: &tokio_postgres::Config) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Pool(e.to_string()))?;
        let (client, connection) = runtime.block_on(config.connect(NoTls))?;
        runtime.spawn(connection);
        Ok(Client {
            client,
            runtime: Driver(Some(runtime)),
            statements: std::sync::Mutex::default(),
            ahead: std::sync::Mutex::default(),
        })
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
                let statement = self.runtime.block_on(self.client.prepare(&text))?;
                self.statements
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(sql.to_owned(), statement.clone());
                statement
            }
        };
        let ahead = self.take_ahead();
        Ok(self.runtime.block_on(async {
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
        })?)
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

    /// Whether the server closed the connection (a restart, a failover, an administrator). The
    /// connection's runtime runs only while someone waits on it: it is given two turns first, so
    /// a close that arrived while the connection sat idle is seen (in the first, the runtime
    /// polls the socket and wakes the connection's task; in the second, that task reads the
    /// server's goodbye and ends, which closes the client).
    pub fn is_closed(&self) -> bool {
        self.runtime.block_on(async {
            tokio::task::yield_now().await;
            tokio::task::yield_now().await;
        });
        self.client.is_closed()
    }

    pub(super) fn batch(&self, sql: &str) -> sql::Result<()> {
        let sql = match self.take_ahead() {
            Some(ahead) => format!("{ahead}; {sql}"),
            None => sql.to_owned(),
        };
        self.runtime.block_on(self.client.batch_execute(&sql))?;
        Ok(())
    }
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
    let admin = Client::connect(&tokio_postgres::Config::from_str(admin_url)?)?;
    admin.batch(&format!("CREATE DATABASE {name}"))?;
    Ok(format!("{cluster}/{name}"))
}
