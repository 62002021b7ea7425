//! The two ways a handler touches the database: one read transaction, or one write transaction
//! taken in turn with the other writers.

use crate::AppState;
use crate::http::error::ApiError;
use rusqlite::{Connection, TransactionBehavior};

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
    state
        .db
        .run(move |conn| -> Result<T, ApiError> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = op(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
}
