//! Who is acting on requests. On the `rest` backend, the signed-in person; on the in-browser
//! `local` backend, which has no accounts, the demo identity picked in 我的 (resident A,
//! resident B or staff), clearly labelled as a demo.

pub use crate::backend::DemoPerson;
use crate::backend::requests::RequestsBackend;
use crate::state::session::SessionState;
use crate::storage::{self, Key};
use citizen_core::account::Role;
use leptos::prelude::*;

thread_local! {
    static DEMO: ArcRwSignal<DemoPerson> = ArcRwSignal::new(storage::load(Key::DemoIdentity));
}

/// The demo identity, for the page's whole life (remembered on this device).
pub fn demo_person() -> ArcRwSignal<DemoPerson> {
    DEMO.with(Clone::clone)
}

pub fn choose_demo_person(person: DemoPerson) {
    demo_person().set(person);
    if let Err(e) = storage::save(Key::DemoIdentity, &person) {
        leptos::logging::warn!("{e}");
    }
}

/// The person acting: their number (for the outbox), the token the backend wants (a bearer token,
/// or the demo identity's id), and whether they are staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    pub person: i64,
    pub token: String,
    pub staff: bool,
}

/// Who acts now on `backend` (reactive: read inside a closure, it follows sign-ins and switches).
/// `None` when nobody is signed in. At a city's GeoReport endpoint, which knows nobody here, the
/// person is the signed-in one when the app has accounts, otherwise the demo identity: their
/// token is never sent to the city, only used to keep their receipts (see `backend/open311`).
pub fn acting(backend: RequestsBackend, session: Option<SessionState>) -> Option<Acting> {
    acting_as(demo_acts(backend, session.is_some()), session)
}

/// Whether the demo identity acts on requests on `backend`, in an app with `accounts` or
/// without: on `local`, and at a city's endpoint when there are no accounts.
pub fn demo_acts(backend: RequestsBackend, accounts: bool) -> bool {
    match backend {
        RequestsBackend::Local(_) => true,
        _ if backend.is_city() => !accounts,
        _ => false,
    }
}

/// Who acts on a module whose backend is in this browser (`local`: the demo identity) or not
/// (the signed-in person).
pub fn acting_as(local: bool, session: Option<SessionState>) -> Option<Acting> {
    match local {
        true => {
            let demo = demo_person().get();
            Some(Acting {
                person: demo.number(),
                token: demo.id().to_owned(),
                staff: demo == DemoPerson::Staff,
            })
        }
        false => session?.current.with(|c| {
            c.as_ref().map(|s| Acting {
                person: s.person.id.get(),
                token: s.token.clone(),
                staff: s.person.roles.contains(&Role::Staff),
            })
        }),
    }
}
