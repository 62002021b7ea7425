//! The `local` backends: everything in the browser, seeded from data shipped with the bundle.

mod catalog;

pub use catalog::LocalCatalog;
