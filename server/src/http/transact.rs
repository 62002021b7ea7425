//! The ways a handler touches the database, and the only ones: one read transaction ([`read`]),
//! one write transaction, shared by the writes that arrive together and committed before any of
//! them is answered ([`write`]; group commit, see `store::writer`), or that write transaction
//! with the community's points book loaded inside it ([`write_book`]). No handler
//! opens a transaction of its own. The server's other writers use the same two pieces:
//! housekeeping takes its turn through [`write_as`] (its own error type), and the demo seed,
//! which runs before there is an `AppState` to take turns on, writes in one transaction of its
//! own (`Db::write_now`).

use crate::AppState;
use crate::http::error::ApiError;
use crate::store::db::{DbError, Tx};
use crate::store::sql::{self, Connection};
use crate::store::volunteer as points_store;
use crate::store::writer::{Deliver, Job};
use citizen_core::volunteer::PointsBook;
use std::sync::Arc;

/// Runs `op` in one read transaction: everything it reads is of the same moment.
pub async fn read<T: Send + 'static>(
    state: &AppState,
    op: impl FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    state.db.transaction(Tx::Read, op).await
}

/// Runs `op` in a write transaction and answers once it is committed; a refusal rolls back its
/// own changes. Writes that arrive together share one transaction and one fsync, each in its
/// own savepoint (group commit: `store::writer`).
pub async fn write<T: Send + 'static>(
    state: &AppState,
    op: impl FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    write_as(state, op).await
}

/// [`write`] for a writer that is not a handler, with its own error type.
pub async fn write_as<T, E>(
    state: &AppState,
    op: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + From<sql::Error> + Send + 'static,
{
    queue(state, move |conn| (op(conn), ()), |(), _| {}).await
}

/// Hands a write to the database's writer and waits for its answer, which comes once the batch
/// it ran in is settled. `work` runs inside the batch's transaction and returns its result and
/// what `settled` needs afterwards; `settled` hears whether the write took effect (it succeeded
/// and its batch committed) before the answer goes out.
async fn queue<T, E, K>(
    state: &AppState,
    work: impl FnOnce(&Connection) -> (Result<T, E>, K) + Send + 'static,
    settled: impl FnOnce(K, Settled) + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
    K: Send + 'static,
{
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move |conn| {
        let (result, kept) = work(conn);
        let ok = result.is_ok();
        let deliver: Deliver = Box::new(move |committed| {
            settled(
                kept,
                Settled {
                    succeeded: ok,
                    committed: committed.is_ok(),
                },
            );
            let _ = answer.send(match (result, committed) {
                (Ok(out), Ok(())) => Ok(out),
                (Ok(_), Err(failed)) => Err(E::from(DbError::from(failed))),
                (Err(refused), _) => Err(refused),
            });
        });
        (ok, deliver)
    });
    if !state.writer.submit(job) {
        return Err(E::from(DbError::Task));
    }
    answered.await.unwrap_or(Err(E::from(DbError::Task)))
}

/// How a queued write ended: whether it succeeded, and whether its batch committed.
#[derive(Debug, Clone, Copy)]
struct Settled {
    succeeded: bool,
    committed: bool,
}

/// [`write`] on `community`'s points book: the book as stored (kept in memory between changes,
/// see `store::volunteer::Books`), `op` applied through the core, the entries it added appended
/// to the ledger, commit. A refusal rolls back; the book is kept for the next change when it
/// was committed or left untouched, and restored from the tables otherwise.
pub async fn write_book<T: Send + 'static>(
    state: &AppState,
    community: String,
    op: impl FnOnce(&Connection, &mut PointsBook) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let books = Arc::clone(&state.points_books);
    let kept_books = Arc::clone(&books);
    let keeping = community.clone();
    queue(
        state,
        move |tx| {
            let mut taken: Option<(PointsBook, usize)> = None;
            let result = (|| {
                let book = books.take(tx, &community)?;
                let mark = book.entries().len();
                let (book, _) = taken.insert((book, mark));
                let out = op(tx, book)?;
                points_store::append(tx, &community, &book.entries()[mark..])?;
                Ok(out)
            })();
            (result, taken)
        },
        move |taken, settled| {
            // The book is kept when what it holds is what the database holds now: its changes
            // committed, or none made. Otherwise the next change reads it from the tables.
            // (Another write of the same batch on the same community took it from the tables
            // inside this transaction, and keeps its own later, in order.)
            if let Some((book, mark)) = taken
                && settled.committed
                && (settled.succeeded || book.entries().len() == mark)
            {
                kept_books.keep(&keeping, book);
            }
        },
    )
    .await
}
