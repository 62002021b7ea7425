//! One folder per module; each screen in its own file.

pub mod config_error;
mod config_error_messages;
pub mod home;
pub mod lazy;
pub mod me;
pub mod module_pending;
pub mod not_found;
pub mod requests;
pub mod services;
pub mod staff;
pub mod timebank;
pub mod volunteer;
