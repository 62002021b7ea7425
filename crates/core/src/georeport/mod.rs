//! Open311 GeoReport v2 (JSON), the protocol the `open311` backend speaks and the reference
//! server's `/open311/v2/` answers: the shapes both sides read and write, and the protocol's rules
//! (a service's attributes and the answers they take, the search window, comma lists).
//!
//! - [`service`]: `services.json`, a service's definition, the answers a form gives its
//!   attributes and the contact fields a resident consents to send.
//! - [`reply`]: a service request as listed, the POST's reply (an id or a deferred `token`),
//!   `tokens/{token}` and the error list, and what a `GET requests.json` may ask.
//! - [`receipt`]: what a person keeps of their filings at a city (ids and waiting tokens).

pub mod receipt;
pub mod reply;
pub mod service;
