//! Housekeeping: rows that have served their purpose are deleted, every
//! [`EVERY`] by a task `main` starts ([`spawn`]), and whenever a test calls [`run_once`].

use crate::AppState;
use crate::store::db::DbError;
use crate::store::{hosts, idempotency, limits, photos, sessions, sms};
use std::time::Duration;

/// How often the server tidies up.
pub const EVERY: Duration = Duration::from_secs(10 * 60);

/// What one pass deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Sessions past their expiry or signed out.
    pub sessions: usize,
    /// Idempotency replies older than a day.
    pub idempotency_keys: usize,
    /// Photos no request cites, 24 h after their upload.
    pub orphan_photos: usize,
    /// Host sign-in codes past their minute, used or not.
    pub host_codes: usize,
    /// SMS codes past their five minutes, or used.
    pub sms_codes: usize,
    /// Attempt limits' slots past their window or memory.
    pub limit_slots: usize,
}

/// One pass over everything that expires. Purged photos whose bytes are in the photo store are
/// deleted there once their rows' deletion is committed.
pub async fn run_once(state: &AppState) -> Result<Purged, DbError> {
    let now = state.clock.now();
    // One write transaction, in turn with the handlers' writes.
    let (purged, photos_in_store) =
        crate::http::transact::write_as(state, move |conn| -> Result<(Purged, Vec<_>), DbError> {
            let photos = photos::purge_orphans(conn, now)?;
            let purged = Purged {
                sessions: sessions::purge(conn, now)?,
                idempotency_keys: idempotency::purge(conn, now)?,
                orphan_photos: photos.count,
                host_codes: hosts::purge(conn, now)?,
                sms_codes: sms::purge(conn, now)?,
                limit_slots: limits::purge(conn, now)?,
            };
            Ok((purged, photos.in_store))
        })
        .await?;
    match &state.photo_objects {
        Some(objects) => objects.delete_all(&photos_in_store).await,
        None if !photos_in_store.is_empty() => tracing::error!(
            photos = photos_in_store.len(),
            "purged photos' objects were left in a photo store this server does not have (--photos)"
        ),
        None => {}
    }
    Ok(purged)
}

/// Runs [`run_once`] every `every` until the runtime stops; a failed pass is logged and retried
/// at the next tick.
pub fn spawn(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match run_once(&state).await {
                Ok(purged) => tracing::info!(?purged, "housekeeping"),
                Err(e) => tracing::error!(error = %e, "housekeeping failed"),
            }
        }
    })
}
