//! The `open311` backends: clients of Open311 GeoReport v2 (JSON).

mod requests;

pub use requests::Open311Requests;
