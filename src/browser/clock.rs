//! The browser's clock in the API's units: Unix seconds, and RFC 3339 text read back into them.

/// Now, in whole Unix seconds.
pub fn unix_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Unix seconds of an RFC 3339 date-time; `None` when the browser cannot read it.
pub fn parse_unix(rfc3339: &str) -> Option<i64> {
    let ms = js_sys::Date::parse(rfc3339);
    (!ms.is_nan()).then(|| (ms / 1000.0) as i64)
}
