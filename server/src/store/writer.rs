//! Group commit: the one writer of the database. Writes that arrive together run in one
//! IMMEDIATE transaction, each inside its own SAVEPOINT (a refusal rolls back its own changes
//! and nothing else), and are committed with one fsync (`synchronous = FULL`); each is
//! acknowledged only after the commit that made it durable. A commit that fails fails every
//! write of its batch. A lone write is a batch of one: the same transaction it had before.
//!
//! The writer is a thread of its own with one connection held for the process's life, fed
//! through a channel; it stops when the last sender (the `AppState`s) is gone.

use super::db::{DbError, Pooled, Tx};
use super::sql::Connection;
use std::sync::mpsc;

/// How many waiting writes one transaction takes at most.
pub const MAX_BATCH: usize = 64;

/// What to tell a write once its batch is settled: `Ok` when it was committed.
pub type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;

/// One write: it runs against the batch's transaction and says whether it succeeded (a failure
/// is rolled back to its savepoint) and how to deliver its outcome.
pub type Job = Box<dyn FnOnce(&Connection<'_>) -> (bool, Deliver) + Send>;

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer on `conn` (configured like every connection of the pool). When the
    /// connection is found closed before a batch (a database restarted or failed over), the
    /// writer takes a new one from `reconnect` and carries on.
    pub fn start(
        mut conn: Pooled,
        reconnect: impl Fn() -> Result<Pooled, DbError> + Send + 'static,
    ) -> Writer {
        let (jobs, waiting) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || {
                while let Ok(first) = waiting.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match waiting.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    let fresh = |conn: &mut Pooled| match reconnect() {
                        Ok(new) => *conn = new,
                        Err(e) => tracing::error!(error = %e, "the writer cannot reconnect"),
                    };
                    if conn.is_closed() {
                        fresh(&mut conn);
                    }
                    // A connection found dead only by the batch's first statement: once more on
                    // a new one (none of the batch's writes has run yet).
                    if let Some(unrun) = settle(&conn, batch)
                        && conn.is_closed()
                    {
                        fresh(&mut conn);
                        settle(&conn, unrun);
                    }
                }
            })
            .expect("the database writer thread starts");
        Writer { jobs }
    }

    /// Queues `job`; `false` when the writer has stopped.
    pub fn send(&self, job: Job) -> bool {
        self.jobs.send(job).is_ok()
    }
}

/// Runs one batch in one transaction and delivers every outcome after its commit. A lone write
/// needs no savepoint (its refusal rolls the transaction back); in a batch, each write's release
/// and the next one's savepoint travel together, so a write costs no round trip of its own
/// beyond its SQL.
/// A batch that could not begin comes back unrun (dropped, each of its writes hears that its
/// task stopped: an internal error).
fn settle(conn: &Pooled, batch: Vec<Job>) -> Option<Vec<Job>> {
    let n = batch.len();
    let tx = match conn.begin_then(Tx::Write, if n > 1 { "SAVEPOINT write" } else { "" }) {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, writes = n, "a write batch could not begin");
            return Some(batch);
        }
    };
    let mut delivered = Vec::with_capacity(n);
    for (i, job) in batch.into_iter().enumerate() {
        let (ok, deliver) = job(&tx.conn);
        if n == 1 {
            if !ok {
                // The refusal's changes go with the transaction; the write hears its refusal.
                drop(tx);
                deliver(Ok(()));
                return None;
            }
            delivered.push(deliver);
            break;
        }
        let mut close = if ok {
            "RELEASE write".to_owned()
        } else {
            "ROLLBACK TO write; RELEASE write".to_owned()
        };
        if i + 1 < n {
            close.push_str("; SAVEPOINT write");
        }
        if let Err(e) = tx.conn.execute_batch(&close) {
            // The writes after it are dropped unrun, like a batch that could not begin.
            tracing::error!(error = %e, "a write could not close its savepoint");
            let failed = e.to_string();
            delivered.push(Box::new(move |_| deliver(Err(failed))));
            break;
        }
        delivered.push(deliver);
    }
    let committed = tx.commit().map_err(|e| e.to_string());
    if let Err(e) = &committed {
        tracing::error!(error = %e, "a write batch could not commit");
    }
    for deliver in delivered {
        deliver(committed.clone());
    }
    None
}

impl From<String> for DbError {
    fn from(failed: String) -> DbError {
        DbError::Commit(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn open(path: &std::path::Path) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;
             CREATE TABLE IF NOT EXISTS t (x INTEGER NOT NULL)",
        )
        .unwrap();
        conn
    }

    /// A job inserting `x` (refused, after inserting, when `refuse`), recording what it was told
    /// and how many rows another connection saw at that moment.
    fn job(
        x: i64,
        refuse: bool,
        path: std::path::PathBuf,
        told: Arc<Mutex<Vec<(i64, bool, i64)>>>,
    ) -> Job {
        Box::new(move |conn| {
            conn.execute("INSERT INTO t (x) VALUES (?1)", [x]).unwrap();
            let deliver: Deliver = Box::new(move |committed| {
                let seen: i64 = open(&path)
                    .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                    .unwrap();
                told.lock()
                    .unwrap()
                    .push((x, committed.is_ok() && !refuse, seen));
            });
            (!refuse, deliver)
        })
    }

    #[test]
    fn a_batch_commits_once_a_refusal_rolls_back_alone_and_answers_come_after_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite3");
        let conn = Pooled::Sqlite(Box::new(Box::new(open(&path))));
        let told = Arc::new(Mutex::new(Vec::new()));
        let batch = vec![
            job(1, false, path.clone(), Arc::clone(&told)),
            job(2, true, path.clone(), Arc::clone(&told)),
            job(3, false, path.clone(), Arc::clone(&told)),
        ];
        settle(&conn, batch);
        let rows: Vec<i64> = conn
            .sql()
            .query_map("SELECT x FROM t ORDER BY x", (), |r| r.get(0))
            .unwrap();
        assert_eq!(rows, [1, 3], "the refused write left nothing");
        let told = told.lock().unwrap();
        assert_eq!(
            *told,
            [(1, true, 2), (2, false, 2), (3, true, 2)],
            "each is answered in order, once the batch is visible to another connection"
        );
    }

    #[test]
    fn a_lone_write_commits_without_a_savepoint_and_a_lone_refusal_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite3");
        let conn = Pooled::Sqlite(Box::new(Box::new(open(&path))));
        let told = Arc::new(Mutex::new(Vec::new()));
        settle(&conn, vec![job(1, true, path.clone(), Arc::clone(&told))]);
        settle(&conn, vec![job(2, false, path.clone(), Arc::clone(&told))]);
        let rows: Vec<i64> = conn
            .sql()
            .query_map("SELECT x FROM t ORDER BY x", (), |r| r.get(0))
            .unwrap();
        assert_eq!(rows, [2], "the refused write left nothing");
        assert_eq!(*told.lock().unwrap(), [(1, false, 0), (2, true, 1)]);
        // Neither left a transaction open: another connection can write at once.
        open(&path)
            .execute("INSERT INTO t (x) VALUES (3)", [])
            .unwrap();
    }

    #[test]
    fn writes_sent_together_through_the_writer_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite3");
        let writer = Writer::start(Pooled::Sqlite(Box::new(Box::new(open(&path)))), || {
            Err(DbError::Task)
        });
        let told = Arc::new(Mutex::new(Vec::new()));
        for x in 0..200 {
            assert!(writer.send(job(x, x % 7 == 0, path.clone(), Arc::clone(&told))));
        }
        drop(writer);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while told.lock().unwrap().len() < 200 {
            assert!(
                std::time::Instant::now() < deadline,
                "every write is answered"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let stored: i64 = open(&path)
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, (0..200).filter(|x| x % 7 != 0).count() as i64);
    }
}
