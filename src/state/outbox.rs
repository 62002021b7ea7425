//! The requests outbox in this browser. A submission is written to IndexedDB, with its
//! idempotency key, before any network call; it is sent when it falls due (at once, then with the
//! core's backoff), when the network comes back, and whenever a requests screen opens. Photos go
//! first, each under a key derived from the request's, then the request with their ids: whatever
//! fails half-way is retried with the same keys, so nothing is filed twice. A reload or a closed
//! tab loses nothing: the next start reads the store again.
//!
//! One outbox per page, shared by the screens and the sender (a thread-local: the app has one
//! thread). It sends a person's entries only while that person acts (is signed in, or on
//! `local` is the demo identity).

use crate::backend::error::ApiFailure;
use crate::backend::requests::{CityRequest, Receipt, RequestsBackend, RequestsError, Submission};
use crate::browser::idb::{self, Db, IdbError, Store};
use crate::state::acting::acting;
use crate::state::session::SessionState;
use citizen_core::outbox::{Entry, IdempotencyKey, Outbox, Outcome, Status};
use citizen_core::requests::PhotoId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsValue;

/// A request waiting to be filed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Filing {
    /// Whose it is (`Acting::person`): sent only while that person acts.
    pub person: i64,
    /// The request as typed; for our API its `photos` are filled in from `photos` when it is
    /// sent.
    pub request: Submission,
    pub photos: Vec<QueuedPhoto>,
    /// The photos were uploaded again once, after the server no longer knew them (it deletes
    /// photos no request cites a day after their upload, so a filing stuck for a day finds its
    /// uploads gone). Only once: a second refusal is the person's to see.
    #[serde(default)]
    pub reuploaded: bool,
}

/// A shrunk photo in the `Photos` store, and its id on the server once uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedPhoto {
    pub slot: String,
    pub uploaded: Option<PhotoId>,
}

/// The photo being uploaded for the entry being sent: `done` of `total`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub key: IdempotencyKey,
    pub done: usize,
    pub total: usize,
}

/// What the screens read.
#[derive(Clone)]
pub struct RequestOutbox {
    /// Every entry (waiting or refused), oldest first; `None` until the store has been read.
    pub entries: ArcRwSignal<Option<Vec<Entry<Filing>>>>,
    pub progress: ArcRwSignal<Option<Progress>>,
    /// Entries sent in this page's life: their key and what filing gave back.
    pub sent: ArcRwSignal<Vec<(IdempotencyKey, Receipt)>>,
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    outbox: Outbox<Filing>,
    loaded: bool,
    busy: bool,
    backend: RequestsBackend,
    session: Option<SessionState>,
    timer: Option<TimeoutHandle>,
}

thread_local! {
    static OUTBOX: RefCell<Option<RequestOutbox>> = const { RefCell::new(None) };
}

fn now() -> i64 {
    js_sys::Date::now() as i64
}

/// The page's outbox, started on first use: it reads the store, listens for the network coming
/// back, and sends what is due.
pub fn request_outbox(backend: RequestsBackend, session: Option<SessionState>) -> RequestOutbox {
    if let Some(outbox) = OUTBOX.with_borrow(Clone::clone) {
        return outbox;
    }
    let outbox = RequestOutbox {
        entries: ArcRwSignal::new(None),
        progress: ArcRwSignal::new(None),
        sent: ArcRwSignal::new(Vec::new()),
        inner: Rc::new(RefCell::new(Inner {
            outbox: Outbox::new(),
            loaded: false,
            busy: false,
            backend,
            session,
            timer: None,
        })),
    };
    OUTBOX.with_borrow_mut(|slot| *slot = Some(outbox.clone()));
    let online = outbox.clone();
    // For the page's whole life, like the outbox itself.
    std::mem::forget(window_event_listener_untyped("online", move |_| {
        online.inner.borrow_mut().outbox.retry_all_now(now());
        online.kick();
    }));
    let loading = outbox.clone();
    spawn_local(async move {
        match read_store().await {
            Ok(entries) => loading.inner.borrow_mut().outbox = Outbox::restore(entries),
            Err(e) => leptos::logging::warn!("could not read the outbox: {e}"),
        }
        loading.inner.borrow_mut().loaded = true;
        loading.mirror();
        loading.kick();
    });
    outbox
}

/// The outbox for the screens.
pub fn use_request_outbox(backend: RequestsBackend) -> RequestOutbox {
    request_outbox(backend, crate::state::session::use_session())
}

async fn read_store() -> Result<Vec<Entry<Filing>>, IdbError> {
    let db = idb::open().await?;
    Ok(db
        .all(Store::Outbox)
        .await?
        .into_iter()
        .filter_map(|value| value.as_string())
        .filter_map(|json| match serde_json::from_str(&json) {
            Ok(entry) => Some(entry),
            Err(e) => {
                leptos::logging::warn!("an outbox entry could not be read: {e}");
                None
            }
        })
        .collect())
}

async fn store(db: &Db, entry: &Entry<Filing>) -> Result<(), IdbError> {
    let json = serde_json::to_string(entry).map_err(|e| IdbError::from(e.to_string()))?;
    db.put(Store::Outbox, entry.key.as_str(), &JsValue::from_str(&json))
        .await
}

impl RequestOutbox {
    fn mirror(&self) {
        let inner = self.inner.borrow();
        let entries = inner.loaded.then(|| inner.outbox.entries().to_vec());
        drop(inner);
        self.entries.set(entries);
    }

    /// Queues a request: on disk first, then in memory, then an attempt at once.
    pub async fn queue(&self, key: IdempotencyKey, filing: Filing) -> Result<(), IdbError> {
        let entry = Entry {
            key: key.clone(),
            payload: filing.clone(),
            queued_at: now(),
            attempts: 0,
            next_attempt_at: now(),
            status: Status::Waiting,
        };
        store(&idb::open().await?, &entry).await?;
        self.inner
            .borrow_mut()
            .outbox
            .push(key, filing, entry.queued_at);
        self.mirror();
        self.kick();
        Ok(())
    }

    /// "Send now": everything waiting is due.
    pub fn send_now(&self) {
        self.inner.borrow_mut().outbox.retry_all_now(now());
        self.kick();
    }

    /// The person gave up on an entry: it and its photos are deleted here.
    pub async fn discard(&self, key: &IdempotencyKey) -> Result<(), IdbError> {
        let db = idb::open().await?;
        let slots = self
            .inner
            .borrow()
            .outbox
            .entry(key)
            .map(|e| slots(&e.payload))
            .unwrap_or_default();
        db.delete(Store::Outbox, &[key.as_str().to_owned()]).await?;
        db.delete(Store::Photos, &slots).await?;
        self.inner.borrow_mut().outbox.discard(key);
        self.mirror();
        Ok(())
    }

    /// Starts sending what is due, unless a send is under way (it picks up new entries).
    pub fn kick(&self) {
        {
            let mut inner = self.inner.borrow_mut();
            if inner.busy || !inner.loaded {
                return;
            }
            inner.busy = true;
            if let Some(timer) = inner.timer.take() {
                timer.clear();
            }
        }
        let this = self.clone();
        spawn_local(async move {
            this.flush().await;
            this.inner.borrow_mut().busy = false;
            this.schedule();
        });
    }

    /// Wakes up when the next entry falls due.
    fn schedule(&self) {
        let Some(due) = self.inner.borrow().outbox.next_due() else {
            return;
        };
        let wait = Duration::from_millis(due.saturating_sub(now()).max(0) as u64);
        let this = self.clone();
        let timer = set_timeout_with_handle(move || this.kick(), wait).ok();
        self.inner.borrow_mut().timer = timer;
    }

    async fn flush(&self) {
        loop {
            let (backend, session) = {
                let inner = self.inner.borrow();
                (inner.backend, inner.session)
            };
            let Some(acting) = acting(backend, session) else {
                return;
            };
            let (person, token) = (acting.person, acting.token);
            let next = {
                let inner = self.inner.borrow();
                inner
                    .outbox
                    .due(now())
                    .into_iter()
                    .find(|e| e.payload.person == person)
                    .cloned()
            };
            let Some(entry) = next else { return };
            let outcome = self.attempt(&entry, &token).await;
            if let Err(e) = self.record(&entry.key, outcome).await {
                // Memory is ahead of the disk now; the entry is still there for the next start.
                leptos::logging::warn!("the outbox could not be saved: {e}");
            }
        }
    }

    /// One try at filing an entry: photos not yet uploaded, then the request.
    async fn attempt(&self, entry: &Entry<Filing>, token: &str) -> Outcome {
        let backend = self.inner.borrow().backend;
        let Ok(db) = idb::open().await else {
            return Outcome::Retry;
        };
        let total = entry.payload.photos.len();
        let mut ids = Vec::with_capacity(total);
        for (i, photo) in entry.payload.photos.iter().enumerate() {
            self.progress.set(Some(Progress {
                key: entry.key.clone(),
                done: i,
                total,
            }));
            if let Some(id) = &photo.uploaded {
                ids.push(id.clone());
                continue;
            }
            let blob = match db.get_blob(Store::Photos, &photo.slot).await {
                Ok(Some(blob)) => blob,
                Ok(None) => return Outcome::Refused("photos".to_owned()),
                Err(_) => return Outcome::Retry,
            };
            let key = format!("{}-p{i}", entry.key.as_str());
            match backend.upload_photo(token, &blob, &key).await {
                Ok(id) => {
                    ids.push(id.clone());
                    self.uploaded(&db, &entry.key, i, id).await;
                }
                Err(e) => return self.failed(e),
            }
        }
        self.progress.set(None);
        let request = match &entry.payload.request {
            Submission::Ours(request) => Submission::Ours(citizen_core::requests::NewRequest {
                photos: ids,
                ..request.clone()
            }),
            Submission::City(request) => Submission::City(CityRequest {
                photos: ids,
                ..request.clone()
            }),
        };
        match backend.file(token, &request, entry.key.as_str()).await {
            Ok(receipt) => {
                self.sent
                    .update(|sent| sent.push((entry.key.clone(), receipt)));
                Outcome::Sent
            }
            Err(RequestsError::Field(field))
                if field == "photos"
                    && !entry.payload.reuploaded
                    && entry.payload.photos.iter().any(|p| p.uploaded.is_some()) =>
            {
                self.forget_uploads(&db, &entry.key).await;
                Outcome::Retry
            }
            Err(e) => self.failed(e),
        }
    }

    /// How a failed call counts (an expired sign-in has been ended by the HTTP client; the
    /// request is sent after the next one).
    fn failed(&self, error: RequestsError) -> Outcome {
        outcome(error)
    }

    /// Forgets the photos' ids from earlier attempts, so the next one uploads them again (the
    /// same keys: the server keeps an upload's reply for replay no longer than the photo).
    async fn forget_uploads(&self, db: &Db, key: &IdempotencyKey) {
        let updated = {
            let mut inner = self.inner.borrow_mut();
            if let Some(filing) = inner.outbox.payload_mut(key) {
                filing.reuploaded = true;
                filing.photos.iter_mut().for_each(|p| p.uploaded = None);
            }
            inner.outbox.entry(key).cloned()
        };
        if let Some(entry) = updated
            && let Err(e) = store(db, &entry).await
        {
            leptos::logging::warn!("the outbox could not be saved: {e}");
        }
    }

    /// Remembers an uploaded photo's id, so a retry does not upload it again.
    async fn uploaded(&self, db: &Db, key: &IdempotencyKey, index: usize, id: PhotoId) {
        let updated = {
            let mut inner = self.inner.borrow_mut();
            if let Some(photo) = inner
                .outbox
                .payload_mut(key)
                .and_then(|filing| filing.photos.get_mut(index))
            {
                photo.uploaded = Some(id);
            }
            inner.outbox.entry(key).cloned()
        };
        if let Some(entry) = updated
            && let Err(e) = store(db, &entry).await
        {
            leptos::logging::warn!("the outbox could not be saved: {e}");
        }
    }

    async fn record(&self, key: &IdempotencyKey, outcome: Outcome) -> Result<(), IdbError> {
        self.progress.set(None);
        let (finished, remaining) = {
            let mut inner = self.inner.borrow_mut();
            let finished = inner.outbox.record(key, outcome, now());
            (finished, inner.outbox.entry(key).cloned())
        };
        self.mirror();
        let db = idb::open().await?;
        match (finished, remaining) {
            (Some(done), _) => {
                db.delete(Store::Outbox, &[key.as_str().to_owned()]).await?;
                db.delete(Store::Photos, &slots(&done.payload)).await
            }
            (None, Some(entry)) => store(&db, &entry).await,
            (None, None) => Ok(()),
        }
    }
}

/// Deletes every photo that no outbox entry holds: a draft's, and any a closed tab left behind.
/// Part of signing out (see `SessionState::sign_out`); the entries' own photos stay with them.
pub async fn forget_loose_photos() -> Result<(), IdbError> {
    let held: Vec<String> = read_store()
        .await?
        .iter()
        .flat_map(|e| slots(&e.payload))
        .collect();
    let db = idb::open().await?;
    let loose: Vec<String> = db
        .keys(Store::Photos)
        .await?
        .into_iter()
        .filter(|k| !held.contains(k))
        .collect();
    db.delete(Store::Photos, &loose).await
}

fn slots(filing: &Filing) -> Vec<String> {
    filing.photos.iter().map(|p| p.slot.clone()).collect()
}

/// How a failed attempt counts: worth retrying, or refused until the person acts.
/// An entry refused for a reason other than a field: `refused:` and the status (0: none).
pub const REFUSED: &str = "refused:";
/// An entry refused because the city's endpoint in `config.json` is wrong.
pub const CITY_CONFIG: &str = "city-config";

fn outcome(error: RequestsError) -> Outcome {
    if error.is_transient() {
        return Outcome::Retry;
    }
    match error {
        RequestsError::Field(name) => Outcome::Refused(name),
        RequestsError::PhotoLimit(limit) => Outcome::Refused(limit.code().to_owned()),
        // Not a field: kept as a code the request's card words (never the other side's own
        // words, which may be in any language).
        RequestsError::CityConfig(_) => Outcome::Refused(CITY_CONFIG.to_owned()),
        other => {
            leptos::logging::warn!("the filing was refused: {other}");
            let status = match &other {
                RequestsError::Api(ApiFailure::Refused(refused)) => refused.status,
                _ => 0,
            };
            Outcome::Refused(format!("{REFUSED}{status}"))
        }
    }
}
