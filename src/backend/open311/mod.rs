//! The `open311` backends: clients of Open311 GeoReport v2 (JSON).

pub mod receipts;
mod requests;

pub use requests::Open311Requests;
