//! Where each module's data comes from. A module has one backend type (an enum over its
//! implementations), chosen from `config.json`; screens call it and never see URLs.

pub mod account;
pub mod catalog;
pub mod client;
pub mod error;
mod local;
pub mod open311;
pub mod requests;
mod rest;
pub mod timebank;
pub mod volunteer;

use account::{RestAccounts, account_backend};
use catalog::CatalogBackend;
use citizen_core::config::AppConfig;
pub use local::DemoPerson;
use requests::RequestsBackend;
use timebank::TimebankBackend;
use volunteer::VolunteerBackend;

/// Every module's backend, resolved once from `config.json` when the app starts and provided to
/// the screens as context (`state::use_backends`). A module whose configured kind does not
/// implement it (`open311` is for requests only; accounts need the reference server) is `None`,
/// and its screens say so; requests have a backend of every kind.
#[derive(Debug, Clone)]
pub struct Backends {
    pub catalog: Option<CatalogBackend>,
    pub requests: RequestsBackend,
    pub volunteer: Option<VolunteerBackend>,
    pub timebank: Option<TimebankBackend>,
    pub account: Option<RestAccounts>,
}

impl Backends {
    pub fn from_config(config: &AppConfig) -> Backends {
        let account = account_backend(config);
        Backends {
            catalog: CatalogBackend::from_config(config),
            requests: RequestsBackend::from_config(config, account.is_some()),
            volunteer: VolunteerBackend::from_config(config),
            timebank: TimebankBackend::from_config(config),
            account,
        }
    }
}
