//! The people of the `local` backends, which have no accounts: the caller passes one of them (by
//! its id, as the "token") to every call, the way the `rest` backends get a bearer token.

use crate::backend::error::ApiFailure;
use crate::i18n::Msg;
use citizen_core::Lang;
use citizen_core::ids::MemberId;
use citizen_core::timebank::MemberRef;
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

    /// The "token" the `local` backends take for this person (they record the person by
    /// [`DemoPerson::member`]).
    pub const fn id(self) -> &'static str {
        match self {
            DemoPerson::ResidentA => "demo-resident-a",
            DemoPerson::ResidentB => "demo-resident-b",
            DemoPerson::Staff => "demo-staff",
        }
    }

    /// The outbox's person number: negative, so a demo person's waiting requests are never
    /// taken for a signed-in account's.
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

    /// [`DemoPerson::member_id`] as the typed id the local time bank and volunteering record.
    pub fn member(self) -> MemberId {
        MemberId::new(self.member_id())
    }

    pub fn from_member(id: MemberId) -> Option<DemoPerson> {
        DemoPerson::ALL.into_iter().find(|p| p.member() == id)
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

    /// The demo person a `local` backend's caller passes as the "token": an id of no demo
    /// person reads as signed out, as a stale bearer token does on `rest`.
    pub fn from_token(token: &str) -> Result<DemoPerson, ApiFailure> {
        DemoPerson::from_id(token).ok_or(ApiFailure::SignedOut)
    }

    pub fn name(self) -> Msg {
        match self {
            DemoPerson::ResidentA => Msg::DemoResidentA,
            DemoPerson::ResidentB => Msg::DemoResidentB,
            DemoPerson::Staff => Msg::DemoStaff,
        }
    }
}

/// A demo person as the API names people: their person id, and their name as the time bank
/// shows it (an id of no demo person: named by the number).
pub fn member(id: MemberId) -> MemberRef {
    let person = DemoPerson::from_member(id);
    MemberRef {
        id,
        name: person
            .map(|p| p.name().text(Lang::ZhCn).to_owned())
            .unwrap_or_else(|| id.to_string()),
    }
}
