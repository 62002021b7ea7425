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
/// person is the signed-in one (or without accounts the demo identity) and the token is their
/// number: the key of their receipts on this device, never sent.
pub fn acting(backend: RequestsBackend, session: Option<SessionState>) -> Option<Acting> {
    if backend.is_city() {
        return acting_as(session.is_none(), session).map(|a| Acting {
            token: format!("person-{}", a.person),
            ..a
        });
    }
    acting_as(matches!(backend, RequestsBackend::Local(_)), session)
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
