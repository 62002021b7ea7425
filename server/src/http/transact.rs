//! The ways a handler touches the database, and the only ones: one read transaction ([`read`]),
//! one write transaction taken in turn with the other writers ([`write`]), or that write
//! transaction with the community's points book loaded inside it ([`write_book`]). No handler
//! opens a transaction of its own. The server's other writers use the same two pieces:
//! housekeeping takes its turn through [`write_as`] (its own error type), and the demo seed,
//! which runs before there is an `AppState` to take turns on, writes in one [`immediate`]
//! transaction.

use crate::AppState;
use crate::http::error::ApiError;
use crate::store::db::DbError;
use crate::store::volunteer as points_store;
use citizen_core::volunteer::PointsBook;
use rusqlite::{Connection, TransactionBehavior};
use std::sync::Arc;

/// Runs `op` in one read transaction: everything it reads is of the same moment.
pub async fn read<T: Send + 'static>(
    state: &AppState,
    op: impl FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    state
        .db
        .run(move |conn| -> Result<T, ApiError> {
            let tx = conn.transaction()?;
            op(&tx)
        })
        .await
}

/// Runs `op` in one IMMEDIATE write transaction and commits it; a refusal rolls back. The
/// transaction is what makes the change atomic; the turn only keeps waiting writers out of
/// SQLite's busy handler (see `AppState::writes`).
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
    E: From<DbError> + From<rusqlite::Error> + Send + 'static,
{
    let _turn = state.writes.lock().await;
    state.db.run(move |conn| immediate(conn, op)).await
}

/// One IMMEDIATE transaction around `op`, committed when it succeeds; a refusal rolls back.
pub fn immediate<T, E: From<rusqlite::Error>>(
    conn: &mut Connection,
    op: impl FnOnce(&Connection) -> Result<T, E>,
) -> Result<T, E> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let out = op(&tx)?;
    tx.commit()?;
    Ok(out)
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
    let _turn = state.writes.lock().await;
    state
        .db
        .run(move |conn| -> Result<T, ApiError> {
            let mut taken: Option<(PointsBook, usize)> = None;
            let result = immediate(conn, |tx| {
                let book = books.take(tx, &community)?;
                let mark = book.entries().len();
                let (book, _) = taken.insert((book, mark));
                let out = op(tx, book)?;
                points_store::append(tx, &community, &book.entries()[mark..])?;
                Ok(out)
            });
            if let Some((book, mark)) = taken
                && (result.is_ok() || book.entries().len() == mark)
            {
                books.keep(&community, book);
            }
            result
        })
        .await
}
