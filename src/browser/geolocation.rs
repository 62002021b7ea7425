//! The browser's position, as a future. Asked only when the resident presses a button, so
//! nobody gets a permission prompt they did not ask for.

use citizen_core::geo::LatLng;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Position, PositionOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GeoFailure {
    #[error("location permission denied")]
    Denied,
    #[error("location unavailable")]
    Unavailable,
}

/// `GeolocationPositionError.PERMISSION_DENIED`.
const PERMISSION_DENIED: f64 = 1.0;

pub async fn current_position() -> Result<LatLng, GeoFailure> {
    let geolocation = leptos::prelude::window()
        .navigator()
        .geolocation()
        .map_err(|_| GeoFailure::Unavailable)?;
    let options = PositionOptions::new();
    options.set_timeout(15_000);
    options.set_maximum_age(300_000);
    // The promise's own resolve/reject are the success and error callbacks: no closures to leak.
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        if geolocation
            .get_current_position_with_error_callback_and_options(&resolve, Some(&reject), &options)
            .is_err()
        {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    match JsFuture::from(promise).await {
        // Browsers name the classes GeolocationPosition(Error) now, so `instanceof` checks
        // against web-sys's older names would fail: read the fields structurally instead.
        Ok(value) => {
            let coords = value.unchecked_into::<Position>().coords();
            LatLng::new(coords.latitude(), coords.longitude()).map_err(|_| GeoFailure::Unavailable)
        }
        Err(error) => {
            let code = js_sys::Reflect::get(&error, &"code".into())
                .ok()
                .and_then(|c| c.as_f64());
            if code == Some(PERMISSION_DENIED) {
                Err(GeoFailure::Denied)
            } else {
                Err(GeoFailure::Unavailable)
            }
        }
    }
}
