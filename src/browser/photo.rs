//! Shrinking a photo on the phone before it is stored or sent: a 12-megapixel camera photo (3–6 MB)
//! becomes a JPEG of at most 1600 px on its longest side (150–600 KB), the size the core sets.
//! The browser decodes it (turning it upright by its EXIF orientation) and encodes the JPEG.

use citizen_core::requests::fitted_size;
use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

/// JPEG quality: small files, and text on a sign still readable.
const QUALITY: f64 = 0.82;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// Not a picture the browser can read (a PDF, a damaged file).
    #[error("the file is not a picture this browser can read")]
    Unreadable,
    #[error("the picture could not be shrunk: {0}")]
    Failed(String),
}

fn failed(e: JsValue) -> PhotoError {
    PhotoError::Failed(
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "canvas".to_owned()),
    )
}

/// The photo as a JPEG no larger than the core's limit.
pub async fn shrink(file: &Blob) -> Result<Blob, PhotoError> {
    let window = leptos::prelude::window();
    let bitmap: ImageBitmap = JsFuture::from(
        window
            .create_image_bitmap_with_blob(file)
            .map_err(|_| PhotoError::Unreadable)?,
    )
    .await
    .map_err(|_| PhotoError::Unreadable)?
    .unchecked_into();
    let (width, height) = fitted_size(bitmap.width(), bitmap.height());
    let canvas: HtmlCanvasElement = leptos::prelude::document()
        .create_element("canvas")
        .map_err(failed)?
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(failed)?
        .ok_or_else(|| PhotoError::Failed("no 2d context".to_owned()))?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            &bitmap,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(failed)?;
    bitmap.close();
    let mut encode = Some(canvas);
    let promise = Promise::new(&mut |resolve, reject| {
        if let Some(canvas) = encode.take()
            && let Err(e) = canvas.to_blob_with_type_and_encoder_options(
                &resolve,
                "image/jpeg",
                &JsValue::from_f64(QUALITY),
            )
        {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    });
    let blob = JsFuture::from(promise).await.map_err(failed)?;
    blob.dyn_into::<Blob>()
        .map_err(|_| PhotoError::Failed("the browser made no JPEG".to_owned()))
}
