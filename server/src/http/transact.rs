//! The ways a handler touches the database, and the only ones: one read transaction ([`read`]),
//! one write transaction taken in turn with the other writers ([`write`]), or that write
//! transaction with the community's points book loaded inside it ([`write_book`]). No handler
//! opens a transaction of its own.

use crate::AppState;
use crate::http::error::ApiError;
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
    let _turn = state.writes.lock().await;
    state.db.run(move |conn| immediate(conn, op)).await
}

/// One IMMEDIATE transaction around `op`, committed when it succeeds.
fn immediate<T>(
    conn: &mut Connection,
    op: impl FnOnce(&Connection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
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
