//! Thin wrappers over browser APIs, kept apart so screens stay declarative.

pub mod clock;
pub mod dom;
pub mod geolocation;
pub mod history;
pub mod idb;
pub mod photo;
pub mod scroll;
pub mod styles;
