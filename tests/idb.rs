//! IndexedDB in a real browser: what `put` returns from is there for `get` and `all`, photos
//! included (kept as bytes), and `delete` removes exactly the keys it is given. A photo shrinks to the core's
//! size limit.

use citizen_cloud::browser::idb::{self, Store};
use citizen_cloud::browser::photo::shrink;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn values_survive_a_reopen_and_delete_removes_only_its_keys() {
    let db = idb::open().await.unwrap();
    db.put(Store::Outbox, "test-a", &JsValue::from_str("{\"a\":1}"))
        .await
        .unwrap();
    db.put(Store::Outbox, "test-b", &JsValue::from_str("{\"b\":2}"))
        .await
        .unwrap();
    drop(db);

    let db = idb::open().await.unwrap();
    assert_eq!(
        db.get(Store::Outbox, "test-a")
            .await
            .unwrap()
            .and_then(|v| v.as_string()),
        Some("{\"a\":1}".to_owned())
    );
    assert_eq!(db.get(Store::Outbox, "missing").await.unwrap(), None);
    let all: Vec<String> = db
        .all(Store::Outbox)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|v| v.as_string())
        .collect();
    assert!(all.contains(&"{\"a\":1}".to_owned()) && all.contains(&"{\"b\":2}".to_owned()));

    db.delete(
        Store::Outbox,
        &["test-a".to_owned(), "never-there".to_owned()],
    )
    .await
    .unwrap();
    assert_eq!(db.get(Store::Outbox, "test-a").await.unwrap(), None);
    assert!(db.get(Store::Outbox, "test-b").await.unwrap().is_some());
    db.delete(Store::Outbox, &["test-b".to_owned()])
        .await
        .unwrap();
}

/// A canvas of the given size, as a PNG blob.
async fn picture(width: u32, height: u32) -> web_sys::Blob {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").unwrap().unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        canvas.to_blob(&resolve).unwrap();
    });
    JsFuture::from(promise).await.unwrap().unchecked_into()
}

async fn bitmap_size(blob: &web_sys::Blob) -> (u32, u32) {
    let window = web_sys::window().unwrap();
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(blob).unwrap())
            .await
            .unwrap()
            .unchecked_into();
    (bitmap.width(), bitmap.height())
}

#[wasm_bindgen_test]
async fn a_photo_shrinks_to_a_jpeg_of_at_most_1600_px_and_is_kept_as_bytes() {
    let shrunk = shrink(&picture(3200, 2400).await).await.unwrap();
    assert_eq!(shrunk.type_(), "image/jpeg");
    assert_eq!(bitmap_size(&shrunk).await, (1600, 1200));
    let small = shrink(&picture(800, 600).await).await.unwrap();
    assert_eq!(bitmap_size(&small).await, (800, 600), "never enlarged");

    let db = idb::open().await.unwrap();
    db.put_blob(Store::Photos, "test-photo", &shrunk)
        .await
        .unwrap();
    // Kept as its type and bytes, never as a Blob (which WebKit's private sessions refuse).
    let raw = db.get(Store::Photos, "test-photo").await.unwrap().unwrap();
    assert!(!raw.is_instance_of::<web_sys::Blob>());
    let back = db
        .get_blob(Store::Photos, "test-photo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.size(), shrunk.size());
    assert_eq!(back.type_(), "image/jpeg");
    assert_eq!(bitmap_size(&back).await, (1600, 1200));
    // A photo kept as a Blob before still reads.
    db.put(Store::Photos, "test-old-photo", &shrunk)
        .await
        .unwrap();
    let old = db
        .get_blob(Store::Photos, "test-old-photo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old.size(), shrunk.size());
    assert_eq!(db.get_blob(Store::Photos, "missing").await.unwrap(), None);
    db.delete(
        Store::Photos,
        &["test-photo".to_owned(), "test-old-photo".to_owned()],
    )
    .await
    .unwrap();

    let not_a_picture = web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(
        &JsValue::from_str("<img src=x onerror=alert(1)>"),
    ))
    .unwrap();
    assert!(shrink(&not_a_picture).await.is_err());
}
