//! The database: the embedded SQLite file in the data directory (the default: WAL mode, a small
//! connection pool), or PostgreSQL for deployments with several replicas (`--database
//! postgres://…`, see `store::pg`). Migrations are applied at start. Handlers run their SQL on
//! the blocking thread pool, through `store::sql`, the same on both.

use super::pg::{self, PgPool};
use super::sql::{self, Connection, Engine};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite_migration::{M, Migrations};
use std::ops::DerefMut;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database error: {0}")]
    Sql(#[from] sql::Error),
    #[error("cannot migrate the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("a database task stopped unexpectedly")]
    Task,
    #[error("the write batch could not commit: {0}")]
    Commit(String),
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        DbError::Sql(e.into())
    }
}

/// Where the data is kept (`--database`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// An SQLite file (`sqlite:PATH`); its directory is created when missing.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by its connection URL (`postgres://user@host:port/name`).
    Postgres(String),
}

impl FromStr for Database {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            pg::Target::from_str(raw).map_err(|e| format!("not a PostgreSQL URL: {e}"))?;
            return Ok(Database::Postgres(raw.to_owned()));
        }
        match raw.strip_prefix("sqlite:") {
            Some(path) if !path.is_empty() => Ok(Database::Sqlite(PathBuf::from(path))),
            _ => Err("the database is sqlite:PATH or postgres://user@host:port/name".into()),
        }
    }
}

impl Database {
    /// Where the data is, for the start-up banner: the file, or the PostgreSQL host and database
    /// (never the password).
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => match pg::Target::from_str(url) {
                Ok(target) => target.describe(),
                Err(_) => "PostgreSQL".to_owned(),
            },
        }
    }

    /// The default: `citizen-cloud.sqlite3` in the data directory.
    pub fn in_data_dir(data_dir: &Path) -> Database {
        Database::Sqlite(data_dir.join(Db::FILE_NAME))
    }
}

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../../migrations/001_accounts.sql")),
    M::up(include_str!("../../migrations/002_requests.sql")),
    M::up(include_str!("../../migrations/003_photos.sql")),
    M::up(include_str!("../../migrations/004_timebank.sql")),
    M::up(include_str!("../../migrations/005_volunteer.sql")),
    M::up(include_str!("../../migrations/007_points_hand_over.sql")),
    M::up(include_str!("../../migrations/008_photo_limits.sql")),
    M::up(include_str!("../../migrations/009_request_member_ids.sql")),
    M::up(include_str!("../../migrations/010_hosts.sql")),
    M::up(include_str!("../../migrations/011_sms_codes.sql")),
    M::up(include_str!("../../migrations/012_open311_tokens.sql")),
    M::up(include_str!("../../migrations/013_city_receipts.sql")),
    M::up(include_str!("../../migrations/014_row_order.sql")),
    M::up(include_str!("../../migrations/015_limit_slots.sql")),
    M::up(include_str!("../../migrations/016_favourites_by_seq.sql")),
    M::up(include_str!("../../migrations/017_photo_objects.sql")),
];

/// Each connection: wait for the writer instead of failing, enforce foreign keys, and make every
/// acknowledged commit durable (`synchronous = FULL` syncs the WAL at each commit).
fn configure(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "PRAGMA busy_timeout = 5000;
         PRAGMA foreign_keys = ON;
         PRAGMA synchronous = FULL;",
    )
}

#[derive(Clone)]
pub struct Db {
    pools: Pools,
}

#[derive(Clone)]
enum Pools {
    Sqlite(r2d2::Pool<SqliteConnectionManager>),
    Postgres(Box<PgPool>),
}

/// Connections per server process: SQLite's readers, PostgreSQL's readers and writer.
const POOL_SIZE: u32 = 8;
const PG_POOL_SIZE: u32 = 16;

impl Db {
    pub const FILE_NAME: &str = "citizen-cloud.sqlite3";

    /// Opens (creating if needed) the SQLite database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Db, DbError> {
        Db::open_sqlite(&data_dir.join(Self::FILE_NAME))
    }

    /// Opens `database`, bringing its schema up to date.
    pub async fn connect(database: &Database) -> Result<Db, DbError> {
        match database {
            Database::Sqlite(path) => Db::open_sqlite(path),
            Database::Postgres(url) => {
                let pool = PgPool::new(url, PG_POOL_SIZE)?;
                let migrating = pool.clone();
                tokio::task::spawn_blocking(move || migrating.migrate())
                    .await
                    .map_err(|_| DbError::Task)??;
                Ok(Db {
                    pools: Pools::Postgres(Box::new(pool)),
                })
            }
        }
    }

    /// Opens (creating if needed) the SQLite file at `path` and brings its schema up to date.
    pub fn open_sqlite(path: &Path) -> Result<Db, DbError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        {
            let mut conn = rusqlite::Connection::open(path)?;
            // WAL is a property of the file: set once, before the pool opens more connections.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            configure(&mut conn)?;
            Migrations::from_slice(MIGRATIONS).to_latest(&mut conn)?;
        }
        let manager = SqliteConnectionManager::file(path).with_init(configure);
        // A local SQLite connection does not go stale: no test query before each use.
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .test_on_check_out(false)
            .build(manager)?;
        Ok(Db {
            pools: Pools::Sqlite(pool),
        })
    }

    pub fn engine(&self) -> Engine {
        match self.pools {
            Pools::Sqlite(_) => Engine::Sqlite,
            Pools::Postgres(_) => Engine::Postgres,
        }
    }

    /// A connection, blocking until one is free (call from a blocking thread).
    pub fn get(&self) -> Result<Pooled, DbError> {
        Ok(match &self.pools {
            Pools::Sqlite(pool) => Pooled::Sqlite(Box::new(pool.get()?)),
            Pools::Postgres(pool) => Pooled::Postgres(Box::new(pool.get()?)),
        })
    }

    /// The database's one writer (see `store::writer`), on a connection of its own for the
    /// process's life (SQLite's from the pool; PostgreSQL's outside it, see `pg::PgPool::dedicated`).
    pub async fn writer(&self) -> Result<super::writer::Writer, DbError> {
        let db = self.clone();
        let connect = move || match &db.pools {
            Pools::Sqlite(_) => db.get(),
            Pools::Postgres(pool) => Ok(Pooled::Postgres(Box::new(Box::new(pool.dedicated()?)))),
        };
        let first = connect.clone();
        let conn = tokio::task::spawn_blocking(first)
            .await
            .map_err(|_| DbError::Task)??;
        Ok(super::writer::Writer::start(conn, connect))
    }

    /// Runs `op` in one transaction of `kind` on the blocking pool. Handlers write through the
    /// writer instead (`http::transact`); a `Tx::Write` here is for the command line and the
    /// demo seed, which run before the server's writer exists. The transaction is
    /// [`Pooled::transaction`]'s.
    pub async fn transaction<T, E>(
        &self,
        kind: Tx,
        op: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + From<sql::Error> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            // The pool lends a connection it has just found open (see `pg::Manager`).
            db.get()?.transaction(kind, op)
        })
        .await
        .map_err(|_| E::from(DbError::Task))?
    }
}

/// What a transaction may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tx {
    /// Reads of one moment: SQLite's deferred transaction, PostgreSQL's REPEATABLE READ READ ONLY.
    Read,
    /// A write, serial with every other write: SQLite's IMMEDIATE transaction (the file's write
    /// lock), PostgreSQL's READ COMMITTED behind the writers' advisory lock (`pg::WRITE_LOCK`).
    Write,
}

/// A connection taken from the pool.
pub enum Pooled {
    Sqlite(Box<dyn DerefMut<Target = rusqlite::Connection> + Send>),
    Postgres(Box<dyn std::ops::Deref<Target = pg::Client> + Send>),
}

impl Pooled {
    /// Whether the connection is gone (its database went away); SQLite's never is.
    pub fn is_closed(&self) -> bool {
        match self {
            Pooled::Sqlite(_) => false,
            Pooled::Postgres(client) => client.is_closed(),
        }
    }

    /// The connection, to run SQL on.
    pub fn sql(&self) -> Connection<'_> {
        match self {
            Pooled::Sqlite(conn) => Connection::Sqlite(conn),
            Pooled::Postgres(client) => Connection::Postgres(client),
        }
    }

    /// Begins a transaction of `kind`; it is open until [`Open::commit`], and rolled back when
    /// the guard is dropped uncommitted.
    pub fn begin(&self, kind: Tx) -> sql::Result<Open<'_>> {
        self.start(kind, "")?;
        Ok(self.opened())
    }

    /// [`Pooled::begin`], then `then` (statements without placeholders). On PostgreSQL they
    /// are not sent on their own: they travel with the transaction's first statement, a round
    /// trip fewer (`pg::Client::send_ahead`; a connection found closed then shows in that
    /// statement's error, not here). The writer's transactions begin so.
    pub fn begin_pipelined(&self, kind: Tx, then: &str) -> sql::Result<Open<'_>> {
        match self {
            Pooled::Sqlite(_) => self.start(kind, then)?,
            Pooled::Postgres(client) => client.send_ahead(&self.begin_text(kind, then)),
        }
        Ok(self.opened())
    }

    /// Sends the statements that begin a transaction of `kind`, then `then`.
    fn start(&self, kind: Tx, then: &str) -> sql::Result<()> {
        self.sql().execute_batch(&self.begin_text(kind, then))
    }

    /// The statements that begin a transaction of `kind`, then `then`.
    fn begin_text(&self, kind: Tx, then: &str) -> String {
        let mut begin = match (self, kind) {
            (Pooled::Sqlite(_), Tx::Read) => "BEGIN DEFERRED".to_owned(),
            (Pooled::Sqlite(_), Tx::Write) => "BEGIN IMMEDIATE".to_owned(),
            (Pooled::Postgres(_), Tx::Read) => {
                "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY".to_owned()
            }
            (Pooled::Postgres(_), Tx::Write) => {
                format!("BEGIN; SELECT pg_advisory_xact_lock({})", pg::WRITE_LOCK)
            }
        };
        if !then.is_empty() {
            begin.push_str("; ");
            begin.push_str(then);
        }
        begin
    }

    /// The guard of the transaction [`Pooled::start`] began.
    fn opened(&self) -> Open<'_> {
        Open {
            conn: self.sql(),
            open: true,
        }
    }

    /// Runs `op` in one transaction of `kind`, committed when it succeeds; a refusal rolls back.
    /// On PostgreSQL its `BEGIN` travels with `op`'s first statement ([`Pooled::begin_pipelined`]).
    pub fn transaction<T, E: From<sql::Error>>(
        &self,
        kind: Tx,
        op: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self.begin_pipelined(kind, "")?;
        let out = op(&tx.conn)?;
        tx.commit()?;
        Ok(out)
    }
}

/// An open transaction; dropped uncommitted, it rolls back.
pub struct Open<'c> {
    pub conn: Connection<'c>,
    open: bool,
}

impl Open<'_> {
    pub fn commit(mut self) -> sql::Result<()> {
        self.open = false;
        let committed = self.conn.execute_batch("COMMIT");
        if committed.is_err() {
            // SQLite keeps a transaction open after a failed COMMIT (SQLITE_BUSY); end it.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        committed
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }

    /// A database in memory with the first `n` migrations applied.
    fn migrated_through(n: usize) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        configure(&mut conn).unwrap();
        Migrations::from_slice(&MIGRATIONS[..n])
            .to_latest(&mut conn)
            .unwrap();
        conn
    }

    fn foreign_key_violations(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap()
    }

    /// A ledger written before hand-overs existed is carried over entry for entry, stays
    /// append-only, and takes hand-overs, once per redemption.
    #[test]
    fn the_hand_over_migration_keeps_the_ledger() {
        // 001 to 005: the points ledger before 007 added hand-overs.
        let mut conn = migrated_through(5);
        conn.execute_batch(
            "INSERT INTO people (id, mobile, display_name, password_hash, community, created_at)
                 VALUES (1, '13800000001', '张明', 'x', 'demo', 0);
             INSERT INTO volunteer_mall_items (community, id, name, price, created_at)
                 VALUES ('demo', 'bag', '环保袋', 5, 0);
             INSERT INTO volunteer_points (community, seq, at, kind, item, quantity)
                 VALUES ('demo', 0, 0, 'restock', 'bag', 2);
             INSERT INTO volunteer_points (community, seq, at, kind, member, item, points)
                 VALUES ('demo', 1, 1, 'redeem', 1, 'bag', 5);
             INSERT INTO volunteer_points (community, seq, at, kind, member, item, points,
                     redemption)
                 VALUES ('demo', 2, 2, 'cancel_redeem', 1, 'bag', 5, 1);",
        )
        .unwrap();
        let ledger = |conn: &Connection| -> Vec<(i64, String)> {
            conn.prepare("SELECT seq, kind FROM volunteer_points ORDER BY seq")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let old = ledger(&conn);
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .unwrap();
        assert_eq!(ledger(&conn), old);
        assert!(
            conn.execute("UPDATE volunteer_points SET at = 9", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM volunteer_points", []).is_err());
        let hand_over = |seq: i64, redemption: i64| {
            conn.execute(
                "INSERT INTO volunteer_points (community, seq, at, kind, member, item, redemption)
                 VALUES ('demo', ?1, 3, 'hand_over', 1, 'bag', ?2)",
                [seq, redemption],
            )
        };
        conn.execute(
            "INSERT INTO volunteer_points (community, seq, at, kind, member, item, points)
             VALUES ('demo', 3, 3, 'redeem', 1, 'bag', 5)",
            [],
        )
        .unwrap();
        hand_over(4, 3).unwrap();
        assert!(hand_over(5, 3).is_err(), "handed over once");
        assert!(hand_over(100, 99).is_err(), "of a redemption that exists");
        assert_eq!(foreign_key_violations(&conn), 0);
    }

    /// 016 rebuilds the favourites WITHOUT ROWID: every favourite is carried over with its
    /// number, the list keeps its order, the next one is numbered after the largest, a person's
    /// removal still takes theirs, and a second of the same tile is still refused.
    #[test]
    fn the_favourites_migration_keeps_them_in_order() {
        use crate::store::favourites;
        use citizen_core::ids::{MemberId, TileId};
        // 001 to 015: the favourites with their numbers, as 014 left them.
        let mut conn = migrated_through(14);
        let indexed: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'favourites_by_seq'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexed, 0, "the migrations before 016");
        conn.execute_batch(
            "INSERT INTO people (id, mobile, display_name, password_hash, community, created_at)
                 VALUES (1, '13800000001', '张明', 'x', 'demo', 0),
                        (2, '13800000002', '李华', 'x', 'demo', 0);
             INSERT INTO favourites (person_id, tile, created_at, seq) VALUES
                 (1, 'social-security', 5, 1), (1, 'housing-fund-balance', 5, 2),
                 (1, 'library', 4, 3), (2, 'library', 9, 4);",
        )
        .unwrap();
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .unwrap();
        let without_rowid: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'favourites'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(without_rowid.contains("WITHOUT ROWID"), "{without_rowid}");
        let sql = crate::store::sql::Connection::Sqlite(&conn);
        let tile = |t: &str| TileId::parse(t).unwrap();
        let listed = |person: i64| -> Vec<String> {
            favourites::list(&sql, MemberId::new(person))
                .unwrap()
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect()
        };
        assert_eq!(
            listed(1),
            ["housing-fund-balance", "social-security", "library"]
        );
        assert_eq!(
            favourites::add(&sql, MemberId::new(1), &tile("parking"), 5).unwrap(),
            (true, 5)
        );
        assert_eq!(listed(1)[0], "parking", "numbered after the largest");
        assert_eq!(
            favourites::add(&sql, MemberId::new(1), &tile("library"), 7).unwrap(),
            (false, 4),
            "a second of the same tile is refused, its first kept"
        );
        conn.execute("DELETE FROM people WHERE id = 2", []).unwrap();
        assert!(listed(2).is_empty(), "a person's removal takes theirs");
        assert_eq!(foreign_key_violations(&conn), 0);
    }

    /// Requests written while the workflow named people as text ("1") read after the migration
    /// with member ids (1), their timeline in order and otherwise as it was.
    #[test]
    fn the_member_id_migration_keeps_requests() {
        use crate::store::requests;
        use citizen_core::ids::MemberId;
        // 001 to 008: before 009 typed the workflow's ids.
        let mut conn = migrated_through(7);
        let text_ids = r#"{"state":"accepted","owner":"1","department":null,
            "resolved_at":null,"rating":null,"timeline":[
            {"at":0,"actor":"1","role":"resident","kind":"submit","from":null,"to":"submitted","note":null},
            {"at":5,"actor":"1","role":"resident","kind":"supplement","from":"submitted","to":"submitted","note":"在3号楼"},
            {"at":9,"actor":"3","role":"staff","kind":"accept","from":"submitted","to":"accepted","note":null}]}"#;
        conn.execute_batch(
            "INSERT INTO people (id, mobile, display_name, password_hash, community, created_at)
                 VALUES (1, '13800000001', '张明', 'x', 'demo', 0);",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO requests (tracking, owner_id, community, category, description,
                 address, anonymous, state, workflow, created_at, updated_at)
             VALUES ('CD-20261125-000001', 1, 'demo', 'municipal', '路灯坏了三天，晚上很黑',
                 '玉林北路 3 号', 0, 'accepted', ?1, 0, 9)",
            [text_ids],
        )
        .unwrap();
        assert!(
            requests::by_id(&sql::Connection::Sqlite(&conn), 1).is_err(),
            "text ids do not read as member ids"
        );
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .unwrap();
        let record = requests::by_id(&sql::Connection::Sqlite(&conn), 1)
            .unwrap()
            .unwrap()
            .record;
        assert_eq!(record.workflow.owner, MemberId::new(1));
        let events: Vec<_> = record
            .workflow
            .timeline
            .iter()
            .map(|e| (e.at, e.actor.map(MemberId::get), e.note.as_deref()))
            .collect();
        assert_eq!(
            events,
            [
                (0, Some(1), None),
                (5, Some(1), Some("在3号楼")),
                (9, Some(3), None)
            ]
        );
        assert_eq!(record.tracking, "CD-20261125-000001");
        // The owner_id column only copies the workflow's owner: a row where they differ is
        // refused, never read as someone else's.
        conn.execute_batch(
            "INSERT INTO people (id, mobile, display_name, password_hash, community, created_at)
                 VALUES (2, '13800000002', '李华', 'x', 'demo', 0);
             UPDATE requests SET owner_id = 2;",
        )
        .unwrap();
        assert!(requests::by_id(&sql::Connection::Sqlite(&conn), 1).is_err());
    }

    #[test]
    fn opening_twice_keeps_the_schema_and_uses_wal() {
        let dir = tempfile::tempdir().unwrap();
        Db::open(dir.path()).unwrap();
        let _again = Db::open(dir.path()).unwrap();
        let conn = Connection::open(dir.path().join(Db::FILE_NAME)).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    /// 017 lets a photo's bytes live in the photo store (NULL in the row): every photo is carried
    /// over with its bytes and its citation, the quota's and the purge's indexes are there again,
    /// a cited photo still cannot be deleted, and a row that has bytes must still say their size.
    #[test]
    fn the_photo_store_migration_keeps_photos_and_their_citations() {
        // 001 to 016.
        let mut conn = migrated_through(MIGRATIONS.len() - 1);
        let photos = |conn: &Connection| -> Vec<(String, Option<Vec<u8>>, i64)> {
            conn.prepare("SELECT id, bytes, size FROM photos ORDER BY id")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        conn.execute_batch(
            "INSERT INTO people (id, mobile, display_name, password_hash, community, created_at)
                 VALUES (1, '13800000001', '张明', 'x', 'demo', 0);
             INSERT INTO photos (id, owner_id, content_type, bytes, size, created_at) VALUES
                 ('a', 1, 'image/jpeg', x'FFD8FF', 3, 10), ('b', 1, 'image/png', x'89504E47', 4, 11);
             INSERT INTO requests (id, tracking, owner_id, community, category, description,
                 anonymous, state, workflow, created_at, updated_at)
                 VALUES (1, 'CD-20261125-000001', 1, 'demo', 'road', 'a pothole', 0,
                     'submitted', '{}', 10, 10);
             INSERT INTO request_photos (request_id, photo_id, position) VALUES (1, 'a', 0);",
        )
        .unwrap();
        let before = photos(&conn);
        assert!(
            conn.execute(
                "INSERT INTO photos VALUES ('c', 1, 'image/jpeg', NULL, 3, 12)",
                []
            )
            .is_err(),
            "before 017 every row holds its bytes"
        );
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .unwrap();
        assert_eq!(photos(&conn), before);
        assert_eq!(foreign_key_violations(&conn), 0);
        let cited: String = conn
            .query_row(
                "SELECT photo_id FROM request_photos WHERE request_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(cited, "a");
        assert!(
            conn.execute("DELETE FROM photos WHERE id = 'a'", [])
                .is_err(),
            "a cited photo"
        );
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos'
                 AND name IN ('photos_by_owner_time', 'photos_by_time')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 2);
        let insert = |bytes: Option<&[u8]>, size: i64| {
            conn.execute(
                "INSERT INTO photos VALUES ('c', 1, 'image/jpeg', ?1, ?2, 12)",
                rusqlite::params![bytes, size],
            )
        };
        assert!(
            insert(Some(b"\xFF\xD8"), 3).is_err(),
            "a size that is not the bytes'"
        );
        assert!(insert(None, 0).is_err(), "an empty photo");
        insert(None, 3_000).unwrap();
    }
}
