//! The SQL behind each area. Functions take a connection, so a handler can group them in one
//! transaction; none of them knows about HTTP.

pub mod city_receipts;
pub mod db;
pub mod favourites;
pub mod hosts;
pub mod housekeeping;
pub mod idempotency;
pub mod limits;
pub mod open311;
pub mod people;
pub mod pg;
pub mod photo_objects;
pub mod photos;
pub mod requests;
pub mod sessions;
pub mod sms;
pub mod sql;
pub mod timebank;
pub mod volunteer;
pub mod writer;
