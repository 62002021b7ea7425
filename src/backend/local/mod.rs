//! The `local` backends: everything in the browser, seeded from data shipped with the bundle.

mod catalog;
mod demo;
mod requests;
mod timebank;
mod volunteer;

pub use catalog::LocalCatalog;
pub use demo::DemoPerson;
pub use requests::LocalRequests;
pub use timebank::LocalTimebank;
pub use volunteer::LocalVolunteer;
