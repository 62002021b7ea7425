//! The Citizen Cloud domain. Every rule of the product brief lives here once; the app, the
//! server and every backend call it. No web or IO dependencies: everything here runs natively
//! in unit tests and in the browser unchanged.

pub mod account;
pub mod api;
mod bounded;
pub mod catalog;
pub mod config;
pub mod embed;
pub mod geo;
pub mod georeport;
pub mod host;
pub mod ids;
pub mod lang;
pub mod localized;
pub mod manifest;
pub mod module;
pub mod named;
#[cfg(feature = "openapi")]
mod openapi;
pub mod order;
pub mod outbox;
pub mod personal;
pub mod phone;
pub mod requests;
pub mod route;
pub mod sms;
pub mod text;
pub mod throttle;
pub mod time;
pub mod timebank;
pub mod volunteer;

pub use lang::Lang;
pub use localized::Localized;
