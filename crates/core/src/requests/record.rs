//! A filed request as any backend keeps it, and the rules about it that do not depend on where it
//! is kept: who may read it, what each reader sees (a contact only for the filer and intake
//! staff), how a command body becomes a transition, and the staff's figures. The server and the
//! in-browser `local` backend both use these, so the rules exist once.

use super::category::CategoryCode;
use super::machine::{Actor, ActorRole, CommandKind, RequestState, TransitionError, Workflow};
use super::photo::PhotoId;
use super::wire::{CommandBody, FieldError, NewRequest, RequestStats, RequestView, StateCount};
use crate::ids::MemberId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The filer is the workflow's `owner`, kept there once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub tracking: String,
    pub community: String,
    pub category: CategoryCode,
    pub description: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub address: Option<String>,
    pub contact: Option<String>,
    pub anonymous: bool,
    pub photos: Vec<PhotoId>,
    pub workflow: Workflow,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// Who is reading or acting: the person, and the community whose staff they are, if any.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub id: MemberId,
    pub staff_of: Option<&'a str>,
}

/// Why a command was not applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    /// A field the command needs is missing or breaks a rule.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// The command is not this reader's to give (a resident's command by someone else, a staff
    /// command by a resident).
    #[error("only {0} may do this")]
    Forbidden(ActorRole),
    /// Not possible in the request's state now.
    #[error(transparent)]
    Refused(TransitionError),
}

impl RequestRecord {
    /// A request just filed by `owner` of `community`. The caller has run `NewRequest::check`
    /// and issued the tracking number.
    pub fn file(
        tracking: String,
        owner: MemberId,
        community: &str,
        request: &NewRequest,
        now: i64,
    ) -> RequestRecord {
        RequestRecord {
            tracking,
            community: community.to_owned(),
            category: request.category,
            description: request.description.as_str().to_owned(),
            lat: request.position.map(|p| p.lat()),
            lng: request.position.map(|p| p.lng()),
            address: request.address.as_ref().map(|a| a.as_str().to_owned()),
            contact: request.contact.as_ref().map(|c| c.as_str().to_owned()),
            anonymous: request.anonymous,
            photos: request.photos.clone(),
            workflow: Workflow::submit(owner, now),
            created_at: now,
            updated_at: now,
        }
    }

    pub fn is_owner(&self, reader: Reader) -> bool {
        reader.id == self.workflow.owner
    }

    pub fn is_staff(&self, reader: Reader) -> bool {
        reader.staff_of == Some(self.community.as_str())
    }

    /// The filer and their community's staff; to anyone else it does not exist.
    pub fn may_read(&self, reader: Reader) -> bool {
        self.is_owner(reader) || self.is_staff(reader)
    }

    /// The request as `reader` may see it, with the commands `reader` may give now.
    pub fn view(&self, reader: Reader, now: i64) -> RequestView {
        let owner = self.is_owner(reader);
        let staff = self.is_staff(reader);
        let mut allowed = Vec::new();
        for (mine, role) in [(owner, ActorRole::Resident), (staff, ActorRole::Staff)] {
            if mine {
                let actor = Actor {
                    id: reader.id,
                    role,
                };
                allowed.extend(self.workflow.allowed(&actor, now));
            }
        }
        RequestView {
            tracking: self.tracking.clone(),
            category: Some(self.category),
            description: self.description.clone(),
            state: self.workflow.state,
            department: self.workflow.department,
            lat: self.lat,
            lng: self.lng,
            address: self.address.clone(),
            anonymous: self.anonymous,
            // Intake staff may call back even about an anonymous request; nobody else may see it.
            contact: (owner || staff).then(|| self.contact.clone()).flatten(),
            photos: self.photos.clone(),
            rating: self.workflow.rating,
            created_at: Timestamp::from_unix_secs(self.created_at),
            updated_at: Timestamp::from_unix_secs(self.updated_at),
            timeline: self.workflow.timeline.clone(),
            allowed,
            city: None,
        }
    }

    /// Applies the command `body` asks for, by `reader`, at `now`.
    pub fn command(
        &mut self,
        reader: Reader,
        body: &CommandBody,
        now: i64,
    ) -> Result<(), CommandError> {
        let command = body.command(self.category)?;
        let role = command.kind().role();
        let entitled = match role {
            ActorRole::Staff => self.is_staff(reader),
            ActorRole::Resident => self.is_owner(reader),
        };
        if !entitled {
            return Err(CommandError::Forbidden(role));
        }
        let actor = Actor {
            id: reader.id,
            role,
        };
        self.workflow
            .apply(&actor, command, now)
            .map_err(|e| match e {
                TransitionError::WrongRole { needed, .. } => CommandError::Forbidden(needed),
                TransitionError::NotOwner { .. } => CommandError::Forbidden(ActorRole::Resident),
                other => CommandError::Refused(other),
            })?;
        self.updated_at = now;
        Ok(())
    }
}

/// The staff's figures over a community's requests: counts by state, the resolution rate (resolved,
/// closed or rated, out of all but withdrawn), mean stars, and the median hours from filing to
/// the first resolution.
pub fn statistics<'a>(records: impl IntoIterator<Item = &'a RequestRecord>) -> RequestStats {
    let records: Vec<&RequestRecord> = records.into_iter().collect();
    let count = |s: RequestState| records.iter().filter(|r| r.workflow.state == s).count() as u64;
    let by_state = RequestState::ALL
        .into_iter()
        .map(|state| StateCount {
            state,
            count: count(state),
        })
        .collect();
    let considered = records.len() as u64 - count(RequestState::Withdrawn);
    let done =
        count(RequestState::Resolved) + count(RequestState::Closed) + count(RequestState::Rated);
    let stars: Vec<f64> = records
        .iter()
        .filter_map(|r| r.workflow.rating)
        .map(|s| f64::from(s.get()))
        .collect();
    let mut hours: Vec<f64> = records
        .iter()
        .filter_map(|r| {
            let resolved = r
                .workflow
                .timeline
                .iter()
                .find(|e| e.kind == CommandKind::Resolve)?;
            Some((resolved.at - r.created_at) as f64 / 3600.0)
        })
        .collect();
    hours.sort_by(f64::total_cmp);
    let median = match hours.len() {
        0 => None,
        n if n % 2 == 1 => Some(hours[n / 2]),
        n => Some((hours[n / 2 - 1] + hours[n / 2]) / 2.0),
    };
    RequestStats {
        total: records.len() as u64,
        by_state,
        resolution_rate: if considered == 0 {
            0.0
        } else {
            done as f64 / considered as f64
        },
        mean_stars: (!stars.is_empty()).then(|| stars.iter().sum::<f64>() / stars.len() as f64),
        median_hours_to_resolve: median,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESIDENT: Reader = Reader {
        id: MemberId::new(1),
        staff_of: None,
    };
    const NEIGHBOUR: Reader = Reader {
        id: MemberId::new(2),
        staff_of: None,
    };
    const STAFF: Reader = Reader {
        id: MemberId::new(3),
        staff_of: Some("yulin"),
    };
    const OTHER_STAFF: Reader = Reader {
        id: MemberId::new(4),
        staff_of: Some("elsewhere"),
    };

    fn filed() -> RequestRecord {
        let request: NewRequest = serde_json::from_str(
            r#"{"category": "municipal", "description": "路灯坏了三天，晚上很黑", "address": "玉林北路 3 号", "contact": "13900001234", "anonymous": true}"#,
        )
        .unwrap();
        RequestRecord::file(
            "CD-20261125-000001".into(),
            RESIDENT.id,
            "yulin",
            &request,
            1_000,
        )
    }

    fn body(json: &str) -> CommandBody {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn only_the_filer_and_the_communitys_staff_read_it_and_only_they_see_the_contact() {
        let r = filed();
        assert!(r.may_read(RESIDENT) && r.may_read(STAFF));
        assert!(!r.may_read(NEIGHBOUR) && !r.may_read(OTHER_STAFF));
        assert_eq!(r.view(STAFF, 1_000).contact.as_deref(), Some("13900001234"));
        assert_eq!(
            r.view(RESIDENT, 1_000).contact.as_deref(),
            Some("13900001234")
        );
        assert_eq!(r.view(NEIGHBOUR, 1_000).contact, None);
        assert_eq!(
            r.view(STAFF, 1_000).allowed,
            vec![CommandKind::Accept, CommandKind::Reject]
        );
        assert_eq!(
            r.view(RESIDENT, 1_000).allowed,
            vec![CommandKind::Withdraw, CommandKind::Supplement]
        );
    }

    #[test]
    fn commands_go_through_the_workflow_for_the_right_reader_only() {
        let mut r = filed();
        assert_eq!(
            r.command(RESIDENT, &body(r#"{"kind": "accept"}"#), 2_000),
            Err(CommandError::Forbidden(ActorRole::Staff))
        );
        assert_eq!(
            r.command(NEIGHBOUR, &body(r#"{"kind": "withdraw"}"#), 2_000),
            Err(CommandError::Forbidden(ActorRole::Resident))
        );
        assert_eq!(
            r.command(STAFF, &body(r#"{"kind": "withdraw"}"#), 2_000),
            Err(CommandError::Forbidden(ActorRole::Resident)),
            "staff do not give the filer's commands"
        );
        assert_eq!(
            r.command(OTHER_STAFF, &body(r#"{"kind": "accept"}"#), 2_000),
            Err(CommandError::Forbidden(ActorRole::Staff)),
            "nor another community's staff theirs"
        );
        assert_eq!(r.workflow.timeline.len(), 1, "refusals leave no trace");
        assert!(matches!(
            r.command(STAFF, &body(r#"{"kind": "reject"}"#), 2_000),
            Err(CommandError::Field(FieldError {
                field: "reason",
                ..
            }))
        ));
        assert!(matches!(
            r.command(
                STAFF,
                &body(r#"{"kind": "resolve", "reply": "修好了"}"#),
                2_000
            ),
            Err(CommandError::Refused(TransitionError::NotNow { .. }))
        ));
        for kind in ["accept", "dispatch", "start"] {
            r.command(STAFF, &body(&format!(r#"{{"kind": "{kind}"}}"#)), 2_000)
                .unwrap();
        }
        r.command(
            STAFF,
            &body(r#"{"kind": "resolve", "reply": "已更换灯泡"}"#),
            3_600 * 5 + 1_000,
        )
        .unwrap();
        assert_eq!(r.workflow.state, RequestState::Resolved);
        assert_eq!(r.updated_at, 3_600 * 5 + 1_000);
        r.command(RESIDENT, &body(r#"{"kind": "confirm"}"#), 20_000)
            .unwrap();
        r.command(RESIDENT, &body(r#"{"kind": "rate", "stars": 4}"#), 20_000)
            .unwrap();

        let mut withdrawn = filed();
        withdrawn
            .command(RESIDENT, &body(r#"{"kind": "withdraw"}"#), 1_500)
            .unwrap();
        let stats = statistics([&r, &withdrawn, &filed()]);
        assert_eq!(stats.total, 3);
        assert_eq!(
            stats.resolution_rate, 0.5,
            "withdrawn requests are not counted"
        );
        assert_eq!(stats.mean_stars, Some(4.0));
        assert_eq!(stats.median_hours_to_resolve, Some(5.0));
        let count = |s| stats.by_state.iter().find(|c| c.state == s).unwrap().count;
        assert_eq!(count(RequestState::Rated), 1);
        assert_eq!(count(RequestState::Submitted), 1);
    }

    #[test]
    fn the_record_names_people_by_member_id() {
        let mut r = filed();
        r.command(STAFF, &body(r#"{"kind": "accept"}"#), 2_000)
            .unwrap();
        let actors: Vec<_> = r.workflow.timeline.iter().map(|e| e.actor).collect();
        assert_eq!(actors, [Some(RESIDENT.id), Some(STAFF.id)]);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["workflow"]["owner"], 1);
        assert_eq!(json["workflow"]["timeline"][1]["actor"], 3);
        assert_eq!(
            serde_json::from_value::<RequestRecord>(json.clone()).unwrap(),
            r
        );
        // A record that names its filer as text (as stored before ids were typed) is refused
        // rather than read, so it can never match a reader by accident.
        let mut text = json;
        text["workflow"]["owner"] = "1".into();
        assert!(serde_json::from_value::<RequestRecord>(text).is_err());
    }
}
