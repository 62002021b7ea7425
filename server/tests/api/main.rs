//! The server's API tests, one binary (zero2prod's layout): a module per area, the shared
//! helpers in `common` (a fresh app per test, images, a loopback socket, the built binary).
//! Run one area with `cargo test -p citizen-server --test api timebank::`.

mod common;

mod account;
mod bundle;
mod catalog;
mod city_receipts;
mod clean_deployment;
mod concurrency;
mod hosts;
mod idempotency;
mod open311;
mod openapi_contract;
mod openapi_valid;
mod photo_store;
mod photos;
mod replicas;
mod requests;
mod restart;
mod security_http;
mod security_photos;
mod security_points;
mod security_timebank;
mod shared_limits;
mod sms;
mod timebank;
mod times;
mod volunteer;
