//! IndexedDB, for what must outlive the tab: the outbox and photos (blobs that localStorage
//! cannot hold). Five operations over web-sys: put, get, all, keys, delete. A write counts once its
//! transaction completes, so `put` returning `Ok` means the data is on disk. (The `idb` crate
//! would bring tokio's sync types into the bundle for the same four calls.)

use js_sys::{Array, Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest,
    IdbTransactionMode,
};

const NAME: &str = "citizen-cloud";
const VERSION: u32 = 1;

/// The object stores; values are JSON strings (`Outbox`) or photos (`Photos`, through
/// [`Db::put_blob`] and [`Db::get_blob`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// One entry per submission waiting to be sent, keyed by its idempotency key.
    Outbox,
    /// Shrunk photos, keyed by a slot id; a draft or an outbox entry lists its slots.
    Photos,
}

impl Store {
    const ALL: [Store; 2] = [Store::Outbox, Store::Photos];

    fn name(self) -> &'static str {
        match self {
            Store::Outbox => "outbox",
            Store::Photos => "photos",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the browser's storage refused: {0}")]
pub struct IdbError(String);

impl From<String> for IdbError {
    fn from(reason: String) -> IdbError {
        IdbError(reason)
    }
}

fn refused(error: JsValue) -> IdbError {
    let text = error
        .dyn_ref::<web_sys::DomException>()
        .map(|e| format!("{}: {}", e.name(), e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "IndexedDB is unavailable".to_owned());
    IdbError(text)
}

/// Resolves when `wire` has hooked the promise's resolve and reject into event handlers.
async fn settled(wire: impl FnOnce(&Function, &Function)) -> Result<(), IdbError> {
    let mut wire = Some(wire);
    let promise = Promise::new(&mut |resolve, reject| {
        if let Some(wire) = wire.take() {
            wire(&resolve, &reject);
        }
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(refused)
}

async fn done(request: &IdbRequest) -> Result<JsValue, IdbError> {
    settled(|resolve, reject| {
        request.set_onsuccess(Some(resolve));
        request.set_onerror(Some(reject));
    })
    .await
    .map_err(|_| {
        refused(
            request
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL),
        )
    })?;
    request.result().map_err(refused)
}

/// The app's database, opened (and created on first use) once per call site.
pub struct Db(IdbDatabase);

pub async fn open() -> Result<Db, IdbError> {
    let factory = leptos::prelude::window()
        .indexed_db()
        .map_err(refused)?
        .ok_or_else(|| IdbError("IndexedDB is unavailable".to_owned()))?;
    let request: IdbOpenDbRequest = factory.open_with_u32(NAME, VERSION).map_err(refused)?;
    let upgrade = wasm_bindgen::closure::Closure::<dyn FnMut()>::new({
        let request = request.clone();
        move || {
            let Ok(db) = request.result().map(IdbDatabase::unchecked_from_js) else {
                return;
            };
            for store in Store::ALL {
                if !db.object_store_names().contains(store.name()) {
                    let _ = db.create_object_store(store.name());
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = done(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    Ok(Db(result?.unchecked_into()))
}

impl Db {
    fn store(&self, store: Store, mode: IdbTransactionMode) -> Result<IdbObjectStore, IdbError> {
        self.0
            .transaction_with_str_and_mode(store.name(), mode)
            .and_then(|tx| tx.object_store(store.name()))
            .map_err(refused)
    }

    /// Writes, and returns once the write is committed.
    pub async fn put(&self, store: Store, key: &str, value: &JsValue) -> Result<(), IdbError> {
        let objects = self.store(store, IdbTransactionMode::Readwrite)?;
        objects
            .put_with_key(value, &JsValue::from_str(key))
            .map_err(refused)?;
        committed(&objects).await
    }

    pub async fn get(&self, store: Store, key: &str) -> Result<Option<JsValue>, IdbError> {
        let objects = self.store(store, IdbTransactionMode::Readonly)?;
        let value = done(&objects.get(&JsValue::from_str(key)).map_err(refused)?).await?;
        Ok((!value.is_undefined()).then_some(value))
    }

    /// Writes a blob as its type and bytes, not as a `Blob`: WebKit refuses to keep a `Blob` in
    /// IndexedDB in a private session (Safari's private browsing, a webview on a non-persistent
    /// data store), with "Error preparing Blob/File data to be stored in object store"; bytes
    /// are kept by every engine. Returns once the write is committed.
    pub async fn put_blob(&self, store: Store, key: &str, blob: &Blob) -> Result<(), IdbError> {
        let bytes = JsFuture::from(blob.array_buffer()).await.map_err(refused)?;
        self.put(
            store,
            key,
            &Array::of2(&JsValue::from_str(&blob.type_()), &bytes),
        )
        .await
    }

    /// A blob written by [`Db::put_blob`] (or, from before it, as a `Blob`).
    pub async fn get_blob(&self, store: Store, key: &str) -> Result<Option<Blob>, IdbError> {
        let Some(value) = self.get(store, key).await? else {
            return Ok(None);
        };
        if let Some(blob) = value.dyn_ref::<Blob>() {
            return Ok(Some(blob.clone()));
        }
        let Ok(record) = value.dyn_into::<Array>() else {
            return Err(IdbError("not a kept photo".to_owned()));
        };
        let options = BlobPropertyBag::new();
        options.set_type(&record.get(0).as_string().unwrap_or_default());
        Blob::new_with_buffer_source_sequence_and_options(&Array::of1(&record.get(1)), &options)
            .map(Some)
            .map_err(refused)
    }

    /// Every value of a store, in key order.
    pub async fn all(&self, store: Store) -> Result<Vec<JsValue>, IdbError> {
        let objects = self.store(store, IdbTransactionMode::Readonly)?;
        let values = done(&objects.get_all().map_err(refused)?).await?;
        Ok(values.unchecked_into::<Array>().iter().collect())
    }

    /// Every key of a store, in key order.
    pub async fn keys(&self, store: Store) -> Result<Vec<String>, IdbError> {
        let objects = self.store(store, IdbTransactionMode::Readonly)?;
        let keys = done(&objects.get_all_keys().map_err(refused)?).await?;
        Ok(keys
            .unchecked_into::<Array>()
            .iter()
            .filter_map(|k| k.as_string())
            .collect())
    }

    /// Deletes the keys (missing ones are fine), in one transaction.
    pub async fn delete(&self, store: Store, keys: &[String]) -> Result<(), IdbError> {
        let objects = self.store(store, IdbTransactionMode::Readwrite)?;
        for key in keys {
            objects.delete(&JsValue::from_str(key)).map_err(refused)?;
        }
        committed(&objects).await
    }
}

async fn committed(objects: &IdbObjectStore) -> Result<(), IdbError> {
    let tx = objects.transaction();
    settled(|resolve, reject| {
        tx.set_oncomplete(Some(resolve));
        tx.set_onerror(Some(reject));
        tx.set_onabort(Some(reject));
    })
    .await
}
