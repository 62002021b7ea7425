//! Housekeeping: rows that have served their purpose are deleted, every
//! [`EVERY`] by a task `main` starts ([`spawn`]), and whenever a test calls [`run_once`]; once a
//! day, the photo store's objects that no row names ([`sweep_photo_store`]).

use crate::AppState;
use crate::store::db::{DbError, Tx};
use crate::store::{hosts, idempotency, limits, photos, sessions, sms};
use futures_util::TryStreamExt;
use std::collections::HashSet;
use std::pin::pin;
use std::time::{Duration, SystemTime};

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

/// How often the photo store is swept for objects no row names ([`sweep_photo_store`]).
pub const SWEEP_EVERY: Duration = Duration::from_secs(24 * 3600);

/// How many objects' rows one read looks up in a sweep.
const SWEEP_BATCH: usize = 500;

/// Deletes the photo store's objects that are a day old or more and that no photo row names:
/// left by a process killed between writing a photo's object and its row, or by a delete that
/// failed. Each batch of the listing is looked up and cleared before the next is read; a listing
/// that fails midway keeps what was cleared and says so. Returns how many; nothing without a photo store. The age is the store's own clock's
/// (when the object was written), so an upload in flight is never taken.
pub async fn sweep_photo_store(state: &AppState) -> Result<usize, String> {
    let Some(objects) = &state.photo_objects else {
        return Ok(0);
    };
    let day = Duration::from_secs(citizen_core::requests::ORPHAN_PHOTO_SECS.unsigned_abs());
    // A batch at a time, as the listing arrives: a city's bucket is never held in memory whole.
    let mut batches = pin!(
        objects
            .written_before(SystemTime::now() - day)
            .try_chunks(SWEEP_BATCH)
    );
    let mut deleted = 0;
    while let Some(batch) = batches
        .try_next()
        .await
        .map_err(|e| format!("the photo store's listing failed: {}", e.1))?
    {
        let ids = batch.clone();
        let named: HashSet<String> = state
            .db
            .transaction(Tx::Read, move |conn| -> Result<_, DbError> {
                Ok(photos::existing(conn, &ids)?)
            })
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .collect();
        let unnamed: Vec<_> = batch
            .into_iter()
            .filter(|id| !named.contains(id.as_str()))
            .collect();
        objects.delete_all(&unnamed).await;
        deleted += unnamed.len();
    }
    Ok(deleted)
}

/// Runs [`run_once`] every `every` until the runtime stops, and [`sweep_photo_store`] at the
/// first pass and every [`SWEEP_EVERY`] after; a failed pass is logged and retried at the next
/// tick.
pub fn spawn(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut swept: Option<tokio::time::Instant> = None;
        loop {
            ticks.tick().await;
            match run_once(&state).await {
                Ok(purged) => tracing::info!(?purged, "housekeeping"),
                Err(e) => tracing::error!(error = %e, "housekeeping failed"),
            }
            if state.photo_objects.is_some() && swept.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
                match sweep_photo_store(&state).await {
                    Ok(deleted) => {
                        swept = Some(tokio::time::Instant::now());
                        tracing::info!(deleted, "photo store swept");
                    }
                    Err(e) => tracing::error!(error = %e, "sweeping the photo store failed"),
                }
            }
        }
    })
}
