//! Where each screen was scrolled, so that going back puts the resident where they left a list.
//! Kept in the tab's session storage, per in-app address, so a page the webview runs again (some
//! hosts reload on back) finds it too. The browser's own restoration is off: it would scroll
//! before the screen's chunk and data have arrived, and then lose the place.

use crate::storage::screen;
use leptos::prelude::{set_timeout, window};
use std::time::Duration;

fn name(relative: &str) -> String {
    format!("scroll:{relative}")
}

/// Turns the browser's scroll restoration off, and returns the page to where `relative` was
/// left, if this tab left it (a reload, or a host running the page again on back).
pub fn start(relative: &str) {
    // Through `Reflect`: web-sys's typed setter costs an enum's JS glue in the first load.
    if let Ok(history) = window().history() {
        let _ = js_sys::Reflect::set(&history, &"scrollRestoration".into(), &"manual".into());
    }
    restore(relative);
}

/// Remembers how far the page is scrolled, as the position of `relative` (the address it leaves).
/// Whole pixels, kept as an integer: formatting or parsing a float would bring the float code
/// into the first-load module (about 20 KB gzip).
pub fn keep(relative: &str) {
    let y = window().scroll_y().unwrap_or(0.0) as u32;
    if y > 0 {
        screen::remember(&name(relative), &y.to_string());
    } else {
        screen::forget(&name(relative));
    }
}

/// Scrolls back to where `relative` was left, once its screen is tall enough to get there (its
/// chunk and data arrive after the address changes): tries again every 50 ms for up to 3 s.
pub fn restore(relative: &str) {
    if let Some(y) = screen::recall(&name(relative)).and_then(|y| y.parse::<u32>().ok()) {
        scroll_when_tall(f64::from(y), 60);
    }
}

fn scroll_when_tall(y: f64, tries: u32) {
    window().scroll_to_with_x_and_y(0.0, y);
    let reached = window().scroll_y().unwrap_or(0.0) + 1.0 >= y;
    if !reached && tries > 0 {
        set_timeout(
            move || scroll_when_tall(y, tries - 1),
            Duration::from_millis(50),
        );
    }
}
