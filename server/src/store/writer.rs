//! Group commit: the one writer of the database. Writes that arrive together run in one
//! IMMEDIATE transaction, each inside its own SAVEPOINT (a refusal rolls back its own changes
//! and nothing else), and are committed with one fsync (`synchronous = FULL`); each is
//! acknowledged only after the commit that made it durable. A commit that fails fails every
//! write of its batch. A lone write is a batch of one: the same transaction it had before.
//!
//! One connection, held for the process's life, and one leader at a time who holds it (leader
//! and followers, as LevelDB's and MySQL's group commits): a write that finds nobody leading
//! leads, and on a multi-threaded runtime runs its batch of one on its own thread at once
//! ([`Writer::submit`]: no hand-over to another thread and back, which on this 2-core machine
//! cost a request about 0.03 ms of its 0.3 ms). Writes that arrive while someone leads wait in
//! the queue; the leader hands them to the writer's own thread, which leads until the queue is
//! empty, a batch of up to [`MAX_BATCH`] at a time. The thread stops when the last [`Writer`]
//! (the `AppState`s) is gone.
//!
//! The lone write runs right on the runtime's worker, which it holds for one commit (about
//! 0.1–0.3 ms; the other workers steal its queued tasks meanwhile), on both engines
//! (PostgreSQL's connection needs no runtime of its own, see `store::pg`). It is not wrapped in
//! `tokio::task::block_in_place`, which hands the worker's core to another thread and takes it
//! back: measured on SQLite on 1,600 writes with the WAL reused, 8 context switches per request
//! instead of 5.4 and 0.18 ms per request instead of 0.16 (raw 0.09). A lone write runs in
//! place only when nobody else is writing, so what it holds up is a quiet server's.

use super::db::{DbError, Pooled, Tx};
use super::sql::Connection;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// How many waiting writes one transaction takes at most.
pub const MAX_BATCH: usize = 64;

/// What to tell a write once its batch is settled: `Ok` when it was committed.
pub type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;

/// One write: it runs against the batch's transaction and says whether it succeeded (a failure
/// is rolled back to its savepoint) and how to deliver its outcome.
pub type Job = Box<dyn FnOnce(&Connection<'_>) -> (bool, Deliver) + Send>;

type Reconnect = Box<dyn Fn() -> Result<Pooled, DbError> + Send + Sync>;

#[derive(Clone)]
pub struct Writer {
    shared: Arc<Shared>,
    /// Dropped with the last `Writer`: the thread then stops.
    _alive: Arc<Alive>,
}

struct Shared {
    turn: Mutex<Turn>,
    /// Wakes the thread when it is handed the lead, or when the last `Writer` is gone.
    handed: Condvar,
    conn: Mutex<Pooled>,
    reconnect: Reconnect,
}

/// Who leads, and who waits. Whenever `waiting` holds a write, someone leads (and will run it).
#[derive(Default)]
struct Turn {
    waiting: VecDeque<Job>,
    leading: bool,
    /// The thread leads (it was handed the lead, or it was given the write itself).
    thread_leads: bool,
    stopped: bool,
}

impl Turn {
    /// Whoever leads gives the lead up if nobody waits (and says whether it did).
    fn give_up_if_idle(&mut self) -> bool {
        let idle = self.waiting.is_empty();
        if idle {
            self.leading = false;
            self.thread_leads = false;
        }
        idle
    }
}

struct Alive(Arc<Shared>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.turn().stopped = true;
        self.0.handed.notify_one();
    }
}

impl Writer {
    /// Starts the writer on `conn` (configured like every connection of the pool). When the
    /// connection is found closed before a batch (a database restarted or failed over), the
    /// writer takes a new one from `reconnect` and carries on.
    pub fn start(
        conn: Pooled,
        reconnect: impl Fn() -> Result<Pooled, DbError> + Send + Sync + 'static,
    ) -> Writer {
        let shared = Arc::new(Shared {
            turn: Mutex::default(),
            handed: Condvar::new(),
            conn: Mutex::new(conn),
            reconnect: Box::new(reconnect),
        });
        let thread = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || thread.lead_on_thread())
            .expect("the database writer thread starts");
        Writer {
            _alive: Arc::new(Alive(Arc::clone(&shared))),
            shared,
        }
    }

    /// Runs `job` (delivering its outcome as `job` says, after its batch is settled): at once on
    /// this thread when nobody leads and this is a multi-threaded tokio runtime's worker, else
    /// through the queue. `false` when the writer has stopped.
    pub fn submit(&self, job: Job) -> bool {
        let in_place = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        let mut turn = self.shared.turn();
        if turn.stopped {
            return false;
        }
        if !in_place || turn.leading {
            self.shared.queue(&mut turn, job);
            return true;
        }
        turn.leading = true;
        drop(turn);
        // Whatever happens to the batch (even a panic in a write), the lead is given up or
        // handed on, so that no write is left waiting.
        let _lead = Lead(&self.shared);
        self.shared.settle(vec![job], &|| {});
        true
    }

    /// Queues `job` for the thread; `false` when the writer has stopped. Handlers and
    /// housekeeping go through [`Writer::submit`]; the tests send writes to the thread this way.
    #[cfg(test)]
    pub fn send(&self, job: Job) -> bool {
        let mut turn = self.shared.turn();
        if turn.stopped {
            return false;
        }
        self.shared.queue(&mut turn, job);
        true
    }
}

/// The lead of a write that ran in place: on drop, given up when nobody waits, else handed to
/// the thread.
struct Lead<'a>(&'a Shared);

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        let mut turn = self.0.turn();
        if !turn.give_up_if_idle() {
            turn.thread_leads = true;
        }
        if turn.thread_leads || turn.stopped {
            self.0.handed.notify_one();
        }
    }
}

impl Shared {
    fn turn(&self) -> MutexGuard<'_, Turn> {
        self.turn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The thread: waits to be handed the lead, then runs batches until nobody waits.
    fn lead_on_thread(&self) {
        loop {
            let batch = {
                let mut turn = self.turn();
                loop {
                    if turn.thread_leads && !turn.give_up_if_idle() {
                        let n = turn.waiting.len().min(MAX_BATCH);
                        break turn.waiting.drain(..n).collect::<Vec<_>>();
                    }
                    if turn.stopped && !turn.leading {
                        return;
                    }
                    turn = self.handed.wait(turn).unwrap_or_else(|e| e.into_inner());
                }
            };
            // A write that panics fails its batch (their answers are dropped: an internal
            // error), not the thread.
            let settled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.settle(batch, &|| {
                    // Before the batch hears its answers: a lone write answered next then finds
                    // nobody leading, and leads in place.
                    self.turn().give_up_if_idle();
                });
            }));
            if settled.is_err() {
                tracing::error!("a write panicked; its batch was rolled back");
            }
        }
    }

    /// Runs `batch` on the connection, on a new one if it is found closed (before the batch, or
    /// by SQLite's BEGIN: then once more, none of its writes having run). PostgreSQL's BEGIN
    /// travels with the first write's first statement (`Pooled::begin_pipelined`): a connection
    /// that dies after the check fails that batch, as one dying between two statements would.
    fn settle(&self, batch: Vec<Job>, settled: &dyn Fn()) {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = |conn: &mut Pooled| match (self.reconnect)() {
            Ok(new) => *conn = new,
            Err(e) => tracing::error!(error = %e, "the writer cannot reconnect"),
        };
        if conn.is_closed() {
            fresh(&mut conn);
        }
        if let Some(unrun) = settle(&conn, batch, settled)
            && conn.is_closed()
        {
            fresh(&mut conn);
            settle(&conn, unrun, settled);
        }
    }

    /// Queues `job`; when nobody leads, the thread is handed the lead to run it.
    fn queue(&self, turn: &mut Turn, job: Job) {
        turn.waiting.push_back(job);
        if !turn.leading {
            turn.leading = true;
            turn.thread_leads = true;
            self.handed.notify_one();
        }
    }
}

/// Runs one batch in one transaction and delivers every outcome after its commit. A lone write
/// needs no savepoint (its refusal rolls the transaction back); in a batch, each write's release
/// and the next one's savepoint travel together, so a write costs no round trip of its own
/// beyond its SQL.
/// `settled` runs once the batch is settled, before any write hears its outcome. A batch that
/// could not begin comes back unrun (dropped, each of its writes hears that its task stopped: an
/// internal error).
fn settle(conn: &Pooled, batch: Vec<Job>, settled: &dyn Fn()) -> Option<Vec<Job>> {
    let n = batch.len();
    let tx = match conn.begin_pipelined(Tx::Write, if n > 1 { "SAVEPOINT write" } else { "" }) {
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
                settled();
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
    settled();
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
        settle(&conn, batch, &|| {});
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
        settle(
            &conn,
            vec![job(1, true, path.clone(), Arc::clone(&told))],
            &|| {},
        );
        settle(
            &conn,
            vec![job(2, false, path.clone(), Arc::clone(&told))],
            &|| {},
        );
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

    /// `f`'s output, which must come within ten seconds (a writer left without a leader would
    /// otherwise hang the test instead of failing it).
    async fn within<F: std::future::Future>(f: F) -> F::Output {
        tokio::time::timeout(std::time::Duration::from_secs(10), f)
            .await
            .expect("answered within ten seconds")
    }

    /// A write into `t` that records the thread it ran on and answers through `answer`.
    fn noting(
        x: i64,
        ran_on: Arc<Mutex<Vec<String>>>,
    ) -> (Job, tokio::sync::oneshot::Receiver<bool>) {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let thread = std::thread::current().name().unwrap_or("").to_owned();
            ran_on.lock().unwrap().push(thread);
            let ok = conn.execute("INSERT INTO t (x) VALUES (?1)", [x]).is_ok();
            let deliver: Deliver = Box::new(move |committed| {
                let _ = answer.send(ok && committed.is_ok());
            });
            (ok, deliver)
        });
        (job, answered)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lone_write_runs_where_it_was_submitted_and_writes_that_meet_are_batched_on_the_thread()
     {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite3");
        let writer = Writer::start(Pooled::Sqlite(Box::new(Box::new(open(&path)))), || {
            Err(DbError::Task)
        });
        let ran_on = Arc::new(Mutex::new(Vec::new()));
        let (job, answered) = noting(-1, Arc::clone(&ran_on));
        assert!(writer.submit(job));
        assert!(within(answered).await.unwrap(), "the lone write committed");
        let first = ran_on.lock().unwrap()[0].clone();
        assert_ne!(first, "db-writer", "nobody led: it ran in place");

        // Two hundred at once from many tasks: every one lands; those that found a leader waited
        // and ran on the thread, in batches.
        let mut tasks = tokio::task::JoinSet::new();
        for x in 0..200 {
            let (writer, ran_on) = (writer.clone(), Arc::clone(&ran_on));
            tasks.spawn(async move {
                let (job, answered) = noting(x, ran_on);
                assert!(writer.submit(job));
                answered.await.unwrap()
            });
        }
        assert!(within(tasks.join_all()).await.into_iter().all(|ok| ok));
        let stored: i64 = open(&path)
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, 201);
        let on_thread = ran_on
            .lock()
            .unwrap()
            .iter()
            .filter(|t| *t == "db-writer")
            .count();
        assert!(
            on_thread > 0,
            "some writes met a leader and were handed to the thread"
        );

        // Once nobody waits, the thread has given the lead up before the last answers went out:
        // a lone write leads in place again.
        for x in [2000, 2001] {
            let (job, answered) = noting(x, Arc::clone(&ran_on));
            assert!(writer.submit(job));
            assert!(within(answered).await.unwrap());
        }
        let last = ran_on.lock().unwrap().last().cloned().unwrap();
        assert_ne!(last, "db-writer", "alone again, it ran in place");

        // A write that panics gives the lead up: the next one still runs.
        let (job, _) = noting(0, Arc::clone(&ran_on));
        let panicking: Job = Box::new(move |conn| {
            let _ = job;
            let _ = conn;
            panic!("a write that panics")
        });
        let w = writer.clone();
        let panicked = tokio::spawn(async move { w.submit(panicking) }).await;
        assert!(panicked.is_err(), "the panic reached its own task");
        let (job, answered) = noting(1000, Arc::clone(&ran_on));
        assert!(writer.submit(job));
        assert!(within(answered).await.unwrap(), "the lead was given up");
        // And one that panics on the thread fails its batch, not the thread.
        let panicking: Job = Box::new(|_| panic!("a write that panics on the thread"));
        assert!(writer.send(panicking));
        let (job, answered) = noting(1001, Arc::clone(&ran_on));
        assert!(writer.send(job));
        // It may have shared the panic's batch (then its answer was dropped) or not.
        let _ = within(answered).await;
        let (job, answered) = noting(1002, Arc::clone(&ran_on));
        assert!(writer.send(job));
        assert!(within(answered).await.unwrap(), "the thread still writes");
    }
}
