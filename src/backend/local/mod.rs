//! The `local` backends: everything in the browser, seeded from data shipped with the bundle.

mod catalog;
mod requests;

pub use catalog::LocalCatalog;
pub use requests::LocalRequests;
