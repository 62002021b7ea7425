//! The browser's clock in the API's units: Unix seconds. Reading and writing times is the core's
//! (`citizen_core::time`).

/// Now, in whole Unix seconds.
pub fn unix_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
