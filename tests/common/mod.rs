//! What the browser tests of the in-browser backends share: the demo people's tokens (each
//! local backend takes the token a demo identity signs in with) and the page's localStorage.

#![allow(dead_code, reason = "each test file uses part of it")]

use citizen_cloud::backend::DemoPerson;

pub const A: &str = DemoPerson::ResidentA.id();
pub const B: &str = DemoPerson::ResidentB.id();
pub const STAFF: &str = DemoPerson::Staff.id();

pub fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}
