//! The `rest` backends: the project's own JSON API (`api/v1/…`), served by the reference server
//! on the same origin and under the same base path as the bundle.

mod account;
mod catalog;
mod requests;
mod timebank;
mod volunteer;

pub use account::RestAccounts;
pub use catalog::RestCatalog;
pub use requests::RestRequests;
pub use timebank::RestTimebank;
pub use volunteer::RestVolunteer;
