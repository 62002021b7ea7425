//! The requests a person filed at a city's GeoReport endpoint from this device: a city knows
//! nobody here (the `api_key` is the application's), so this list is what "my requests" are
//! there. Kept in localStorage per endpoint and person, newest last; a token waiting for its
//! id is kept until the city gives one.

use crate::backend::requests::Receipt;
use crate::storage::{self, Key};
use citizen_core::config::Open311Endpoint;
use serde::{Deserialize, Serialize};

/// Receipts kept per person and endpoint: beyond this many, the oldest are forgotten.
const KEPT: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Kept {
    endpoint: String,
    /// Whose: the acting person's key (`Acting::token` at a city).
    person: String,
    id: Option<String>,
    token: Option<String>,
}

pub struct Receipts;

impl Receipts {
    fn mine<'a>(
        all: &'a [Kept],
        city: &'a Open311Endpoint,
        person: &'a str,
    ) -> impl Iterator<Item = &'a Kept> {
        all.iter()
            .filter(move |k| k.endpoint == city.endpoint && k.person == person)
    }

    fn save(all: &[Kept]) {
        if let Err(e) = storage::save(Key::CityReceipts, &all) {
            leptos::logging::warn!("{e}");
        }
    }

    /// Remembers a filing's receipt.
    pub fn keep(city: &Open311Endpoint, person: &str, receipt: &Receipt) {
        let mut all: Vec<Kept> = storage::load(Key::CityReceipts);
        let (id, token) = match receipt {
            Receipt::Tracking(id) => (Some(id.clone()), None),
            Receipt::Waiting(token) => (None, Some(token.clone())),
        };
        let kept = Kept {
            endpoint: city.endpoint.clone(),
            person: person.to_owned(),
            id,
            token,
        };
        if all.contains(&kept) {
            return;
        }
        all.push(kept);
        let theirs = Self::mine(&all, city, person).count();
        if theirs > KEPT {
            let mut extra = theirs - KEPT;
            all.retain(|k| {
                let drop = extra > 0 && k.endpoint == city.endpoint && k.person == person;
                extra -= usize::from(drop);
                !drop
            });
        }
        Self::save(&all);
    }

    /// A waiting token's id, once the city gave it.
    pub fn resolved(city: &Open311Endpoint, person: &str, token: &str, id: &str) {
        let mut all: Vec<Kept> = storage::load(Key::CityReceipts);
        for k in all.iter_mut() {
            if k.endpoint == city.endpoint
                && k.person == person
                && k.token.as_deref() == Some(token)
            {
                k.id = Some(id.to_owned());
            }
        }
        Self::save(&all);
    }

    /// The ids, oldest first.
    pub fn ids(city: &Open311Endpoint, person: &str) -> Vec<String> {
        let all: Vec<Kept> = storage::load(Key::CityReceipts);
        Self::mine(&all, city, person)
            .filter_map(|k| k.id.clone())
            .collect()
    }

    /// The tokens still waiting for an id.
    pub fn waiting(city: &Open311Endpoint, person: &str) -> Vec<String> {
        let all: Vec<Kept> = storage::load(Key::CityReceipts);
        Self::mine(&all, city, person)
            .filter(|k| k.id.is_none())
            .filter_map(|k| k.token.clone())
            .collect()
    }
}
