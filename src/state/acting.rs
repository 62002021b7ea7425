//! Who is acting on requests. On the `rest` backend, the signed-in person; on the in-browser
//! `local` backend, which has no accounts, the demo identity picked in 我的 (resident A,
//! resident B or staff), clearly labelled as a demo.

use crate::backend::requests::RequestsBackend;
use crate::i18n::Msg;
use crate::state::session::SessionState;
use crate::storage::{self, Key};
use citizen_core::account::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The demo identities of the `local` backend: the same people the server's demo seeds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DemoPerson {
    #[default]
    ResidentA,
    ResidentB,
    Staff,
}

impl DemoPerson {
    pub const ALL: [DemoPerson; 3] = [
        DemoPerson::ResidentA,
        DemoPerson::ResidentB,
        DemoPerson::Staff,
    ];

    /// The actor id the local backend records, and the outbox's person number.
    pub fn id(self) -> &'static str {
        match self {
            DemoPerson::ResidentA => "demo-resident-a",
            DemoPerson::ResidentB => "demo-resident-b",
            DemoPerson::Staff => "demo-staff",
        }
    }

    pub fn number(self) -> i64 {
        match self {
            DemoPerson::ResidentA => -1,
            DemoPerson::ResidentB => -2,
            DemoPerson::Staff => -3,
        }
    }

    /// The person id and mobile number the demo uses for the time bank (the reference server's
    /// demo people have the same numbers).
    pub fn member_id(self) -> i64 {
        match self {
            DemoPerson::ResidentA => 1,
            DemoPerson::ResidentB => 2,
            DemoPerson::Staff => 3,
        }
    }

    pub fn mobile(self) -> &'static str {
        match self {
            DemoPerson::ResidentA => "13800000001",
            DemoPerson::ResidentB => "13800000002",
            DemoPerson::Staff => "13800000003",
        }
    }

    pub fn from_id(id: &str) -> Option<DemoPerson> {
        DemoPerson::ALL.into_iter().find(|p| p.id() == id)
    }

    pub fn name(self) -> Msg {
        match self {
            DemoPerson::ResidentA => Msg::DemoResidentA,
            DemoPerson::ResidentB => Msg::DemoResidentB,
            DemoPerson::Staff => Msg::DemoStaff,
        }
    }
}

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
/// `None` when nobody is signed in.
pub fn acting(backend: RequestsBackend, session: Option<SessionState>) -> Option<Acting> {
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
