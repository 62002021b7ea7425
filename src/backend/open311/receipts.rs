//! The requests a person filed at a city's GeoReport endpoint: a city knows nobody here (the
//! `api_key` is the application's), so these receipts are what "my requests" are there, read
//! back with a `service_request_id` list. A token waiting for its id is kept until the city
//! gives one.
//!
//! Where they are kept: when the app has accounts, in the signed-in person's account on the
//! reference server (`api/v1/me/city-requests`), so they follow the person to another sign-in
//! and another device; otherwise on this device (localStorage), per endpoint and demo identity.
//! A receipt the account could not take after a filing succeeded is kept on the device instead
//! (never lost), and moved to the account the next time the list is read.

use crate::backend::client;
use crate::backend::requests::{Receipt, RequestsError};
use crate::storage::{self, Key};
use citizen_core::api::{CityReceipts, NewCityReceipt};
use citizen_core::config::Open311Endpoint;
use citizen_core::georeport::receipt::{MAX_RECEIPTS, ReceiptRef};
use serde::{Deserialize, Serialize};

const ACCOUNT: &str = "api/v1/me/city-requests";

/// One receipt: the request's id, its waiting token, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub id: Option<String>,
    pub token: Option<String>,
}

impl From<&Receipt> for Kept {
    fn from(receipt: &Receipt) -> Kept {
        match receipt {
            Receipt::Tracking(id) => Kept {
                id: Some(id.clone()),
                token: None,
            },
            Receipt::Waiting(token) => Kept {
                id: None,
                token: Some(token.clone()),
            },
        }
    }
}

/// A receipt as this device stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stored {
    endpoint: String,
    /// Whose: the acting person's key (`Acting::token` at a city).
    person: String,
    id: Option<String>,
    token: Option<String>,
}

/// The receipts kept on this device, for every endpoint and person, newest last. Beyond
/// [`MAX_RECEIPTS`] per person and endpoint, the oldest are forgotten.
pub struct Device;

impl Device {
    fn load() -> Vec<Stored> {
        storage::load(Key::CityReceipts)
    }

    fn save(all: &[Stored]) {
        if let Err(e) = storage::save(Key::CityReceipts, &all) {
            leptos::logging::warn!("{e}");
        }
    }

    fn is_theirs(stored: &Stored, city: &Open311Endpoint, person: &str) -> bool {
        stored.endpoint == city.endpoint && stored.person == person
    }

    /// Keeps a receipt (once).
    pub fn keep(city: &Open311Endpoint, person: &str, kept: &Kept) {
        let mut all = Self::load();
        let stored = Stored {
            endpoint: city.endpoint.clone(),
            person: person.to_owned(),
            id: kept.id.clone(),
            token: kept.token.clone(),
        };
        if all.contains(&stored) {
            return;
        }
        all.push(stored);
        let theirs = all
            .iter()
            .filter(|s| Self::is_theirs(s, city, person))
            .count();
        let mut extra = theirs.saturating_sub(MAX_RECEIPTS);
        all.retain(|s| {
            let drop = extra > 0 && Self::is_theirs(s, city, person);
            extra -= usize::from(drop);
            !drop
        });
        Self::save(&all);
    }

    /// A waiting token's id, once the city gave it.
    pub fn resolved(city: &Open311Endpoint, person: &str, token: &str, id: &str) {
        let mut all = Self::load();
        for s in all.iter_mut() {
            if Self::is_theirs(s, city, person) && s.token.as_deref() == Some(token) {
                s.id = Some(id.to_owned());
            }
        }
        Self::save(&all);
    }

    /// The person's receipts, oldest first.
    pub fn mine(city: &Open311Endpoint, person: &str) -> Vec<Kept> {
        Self::load()
            .into_iter()
            .filter(|s| Self::is_theirs(s, city, person))
            .map(|s| Kept {
                id: s.id,
                token: s.token,
            })
            .collect()
    }

    /// Forgets one of the person's receipts (moved to their account).
    fn forget(city: &Open311Endpoint, person: &str, kept: &Kept) {
        let mut all = Self::load();
        all.retain(|s| {
            !(Self::is_theirs(s, city, person) && s.id == kept.id && s.token == kept.token)
        });
        Self::save(&all);
    }
}

/// The signed-in person's receipts in their account, under the endpoint the server is
/// configured with (the same config as this page's).
struct Account;

impl Account {
    async fn keep(bearer: &str, kept: &Kept) -> Result<(), RequestsError> {
        let parse = |text: &Option<String>| {
            text.as_deref()
                .map(ReceiptRef::parse)
                .transpose()
                .map_err(|_| RequestsError::Field("receipt".to_owned()))
        };
        let body = NewCityReceipt {
            id: parse(&kept.id)?,
            token: parse(&kept.token)?,
        };
        client::post(ACCOUNT)
            .bearer(bearer)
            .json(&body)
            .text()
            .await?;
        Ok(())
    }

    async fn mine(bearer: &str) -> Result<Vec<Kept>, RequestsError> {
        let kept: CityReceipts = client::get(ACCOUNT).bearer(bearer).fetch().await?;
        Ok(kept
            .items
            .into_iter()
            .map(|item| Kept {
                id: item.id.map(String::from),
                token: item.token.map(String::from),
            })
            .collect())
    }
}

/// Where one city's receipts are kept for the people acting here.
#[derive(Debug, Clone, Copy)]
pub struct Receipts {
    city: &'static Open311Endpoint,
    /// In the person's account (`person` is their bearer token), or on this device (`person`
    /// is the demo identity's id).
    in_account: bool,
}

impl Receipts {
    pub fn new(city: &'static Open311Endpoint, in_account: bool) -> Receipts {
        Receipts { city, in_account }
    }

    /// Keeps a receipt. Never fails: what the account does not take stays on this device.
    async fn keep_kept(self, person: &str, kept: &Kept) {
        if self.in_account {
            match Account::keep(person, kept).await {
                Ok(()) => return,
                Err(e) => leptos::logging::warn!(
                    "the account did not keep a city request's receipt, so this device keeps it: {e}"
                ),
            }
        }
        Device::keep(self.city, person, kept);
    }

    /// Remembers a filing's receipt.
    pub async fn keep(self, person: &str, receipt: &Receipt) {
        self.keep_kept(person, &Kept::from(receipt)).await;
    }

    /// A waiting token's id, once the city gave it.
    pub async fn resolved(self, person: &str, token: &str, id: &str) {
        // On the device first: a receipt kept there (the account did not take it) gets its id,
        // and is then the one kept below, not a second.
        Device::resolved(self.city, person, token, id);
        if self.in_account {
            let kept = Kept {
                id: Some(id.to_owned()),
                token: Some(token.to_owned()),
            };
            self.keep_kept(person, &kept).await;
        }
    }

    /// The person's receipts, oldest first. From the account, what this device kept for them
    /// is moved there first (what still does not go stays here, and is listed).
    pub async fn mine(self, person: &str) -> Result<Vec<Kept>, RequestsError> {
        let here = Device::mine(self.city, person);
        if !self.in_account {
            return Ok(here);
        }
        let mut left = Vec::new();
        for kept in here {
            match Account::keep(person, &kept).await {
                Ok(()) => Device::forget(self.city, person, &kept),
                Err(_) => left.push(kept),
            }
        }
        let mut all = Account::mine(person).await?;
        all.extend(left);
        Ok(all)
    }

    /// The ids given to the person's requests.
    pub async fn ids(self, person: &str) -> Result<Vec<String>, RequestsError> {
        Ok(self
            .mine(person)
            .await?
            .into_iter()
            .filter_map(|k| k.id)
            .collect())
    }
}
