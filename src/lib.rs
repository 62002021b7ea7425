//! Citizen Cloud (市民云): the resident-facing single-page app.
//!
//! `app` decides between the boot screen, the configuration error page and the shell; the shell
//! provides config, language, preferences and the catalog backend through context, and routes
//! to `pages/<module>/`. Screens talk to `backend/` only, never to URLs.

pub mod app;
pub mod backend;
pub mod browser;
pub mod components;
pub mod config;
pub mod embed;
pub mod i18n;
pub mod later;
pub mod pages;
pub mod router;
pub mod state;
pub mod storage;

pub use app::App;
