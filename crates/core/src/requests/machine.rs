//! The request state machine, exactly as the brief gives it:
//!
//! ```text
//! submitted → accepted | rejected(reason) | withdrawn (by the resident)
//! accepted → dispatched(department) → in_progress → resolved(reply)
//! resolved → closed (the resident confirms, or staff verify: 核实结项)
//!          → dispatched again, when the resident reopens within 7 days
//! closed → rated (1–5 stars, optional comment)
//! ```
//!
//! Nothing else. Each command names the role allowed to give it; the resident's commands are for
//! the person who filed the request only. Every applied command appends one timeline event. A
//! supplement (more details from the resident) is an event that leaves the state as it is.

use super::category::Department;
use crate::ids::MemberId;
use crate::text::BoundedText;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestState {
    Submitted,
    Accepted,
    Rejected,
    Dispatched,
    InProgress,
    Resolved,
    Closed,
    Rated,
    Withdrawn,
}

impl RequestState {
    pub const ALL: [RequestState; 9] = [
        RequestState::Submitted,
        RequestState::Accepted,
        RequestState::Rejected,
        RequestState::Dispatched,
        RequestState::InProgress,
        RequestState::Resolved,
        RequestState::Closed,
        RequestState::Rated,
        RequestState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Submitted => "submitted",
            RequestState::Accepted => "accepted",
            RequestState::Rejected => "rejected",
            RequestState::Dispatched => "dispatched",
            RequestState::InProgress => "in_progress",
            RequestState::Resolved => "resolved",
            RequestState::Closed => "closed",
            RequestState::Rated => "rated",
            RequestState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<RequestState> {
        RequestState::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Still being worked on (Open311's `open`); everything else is `closed`.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestState::Submitted
                | RequestState::Accepted
                | RequestState::Dispatched
                | RequestState::InProgress
                | RequestState::Resolved
        )
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who acts, in which role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActorRole {
    Resident,
    Staff,
}

impl fmt::Display for ActorRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ActorRole::Resident => "the resident who filed it",
            ActorRole::Staff => "staff",
        })
    }
}

/// Who acts, and as what: the person by their [`MemberId`], in requests as in the time bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Actor {
    pub id: MemberId,
    pub role: ActorRole,
}

/// A reason, reply or note: 1–1000 characters.
pub type Note = BoundedText<1, 1000>;

/// A rating of one to five stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stars(u8);

impl Stars {
    pub fn new(stars: u8) -> Option<Stars> {
        (1..=5).contains(&stars).then_some(Stars(stars))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Stars {
    type Error = &'static str;
    fn try_from(n: u8) -> Result<Self, &'static str> {
        Stars::new(n).ok_or("a rating is 1 to 5 stars")
    }
}

impl From<Stars> for u8 {
    fn from(s: Stars) -> u8 {
        s.0
    }
}

/// A rating's optional comment: up to 500 characters.
pub type Comment = BoundedText<1, 500>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Accept,
    Reject {
        reason: Note,
    },
    Dispatch {
        department: Department,
    },
    Start,
    Resolve {
        reply: Note,
    },
    Confirm,
    Verify,
    Rate {
        stars: Stars,
        comment: Option<Comment>,
    },
    Reopen {
        reason: Note,
    },
    Withdraw,
    Supplement {
        note: Note,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CommandKind {
    Submit,
    Accept,
    Reject,
    Dispatch,
    Start,
    Resolve,
    Confirm,
    Verify,
    Rate,
    Reopen,
    Withdraw,
    Supplement,
}

impl CommandKind {
    /// Every command a person can give (submission is not one: it creates the request).
    pub const ALL: [CommandKind; 11] = [
        CommandKind::Accept,
        CommandKind::Reject,
        CommandKind::Dispatch,
        CommandKind::Start,
        CommandKind::Resolve,
        CommandKind::Confirm,
        CommandKind::Verify,
        CommandKind::Rate,
        CommandKind::Reopen,
        CommandKind::Withdraw,
        CommandKind::Supplement,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommandKind::Submit => "submit",
            CommandKind::Accept => "accept",
            CommandKind::Reject => "reject",
            CommandKind::Dispatch => "dispatch",
            CommandKind::Start => "start",
            CommandKind::Resolve => "resolve",
            CommandKind::Confirm => "confirm",
            CommandKind::Verify => "verify",
            CommandKind::Rate => "rate",
            CommandKind::Reopen => "reopen",
            CommandKind::Withdraw => "withdraw",
            CommandKind::Supplement => "supplement",
        }
    }

    /// Who may give the command.
    pub fn role(self) -> ActorRole {
        match self {
            CommandKind::Accept
            | CommandKind::Reject
            | CommandKind::Dispatch
            | CommandKind::Start
            | CommandKind::Resolve
            | CommandKind::Verify => ActorRole::Staff,
            CommandKind::Submit
            | CommandKind::Confirm
            | CommandKind::Rate
            | CommandKind::Reopen
            | CommandKind::Withdraw
            | CommandKind::Supplement => ActorRole::Resident,
        }
    }

    /// The state the command leads to from `from`, if the graph has that edge.
    pub fn target(self, from: RequestState) -> Option<RequestState> {
        use RequestState as S;
        match (from, self) {
            (S::Submitted, CommandKind::Accept) => Some(S::Accepted),
            (S::Submitted, CommandKind::Reject) => Some(S::Rejected),
            (S::Submitted, CommandKind::Withdraw) => Some(S::Withdrawn),
            (S::Accepted, CommandKind::Dispatch) => Some(S::Dispatched),
            (S::Dispatched, CommandKind::Start) => Some(S::InProgress),
            (S::InProgress, CommandKind::Resolve) => Some(S::Resolved),
            (S::Resolved, CommandKind::Confirm | CommandKind::Verify) => Some(S::Closed),
            (S::Resolved, CommandKind::Reopen) => Some(S::Dispatched),
            (S::Closed, CommandKind::Rate) => Some(S::Rated),
            (
                S::Submitted | S::Accepted | S::Dispatched | S::InProgress,
                CommandKind::Supplement,
            ) => Some(from),
            _ => None,
        }
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Command {
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Accept => CommandKind::Accept,
            Command::Reject { .. } => CommandKind::Reject,
            Command::Dispatch { .. } => CommandKind::Dispatch,
            Command::Start => CommandKind::Start,
            Command::Resolve { .. } => CommandKind::Resolve,
            Command::Confirm => CommandKind::Confirm,
            Command::Verify => CommandKind::Verify,
            Command::Rate { .. } => CommandKind::Rate,
            Command::Reopen { .. } => CommandKind::Reopen,
            Command::Withdraw => CommandKind::Withdraw,
            Command::Supplement { .. } => CommandKind::Supplement,
        }
    }

    /// The words that go on the timeline with the event.
    fn note(&self) -> Option<String> {
        match self {
            Command::Reject { reason } | Command::Reopen { reason } => Some(reason.to_string()),
            Command::Resolve { reply } => Some(reply.to_string()),
            Command::Supplement { note } => Some(note.to_string()),
            Command::Dispatch { department } => Some(department.code().to_owned()),
            Command::Rate { comment, .. } => comment.as_ref().map(ToString::to_string),
            Command::Accept
            | Command::Start
            | Command::Confirm
            | Command::Verify
            | Command::Withdraw => None,
        }
    }
}

/// One line of a request's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    /// Unix seconds.
    pub at: i64,
    /// The person id of who acted: every event the workflow appends names them (the server
    /// always does); null only from a backend that does not say who (Open311 GeoReport reports a
    /// status, never a person).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub actor: Option<MemberId>,
    pub role: ActorRole,
    pub kind: CommandKind,
    /// `None` for the submission that created the request.
    pub from: Option<RequestState>,
    pub to: RequestState,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("cannot {kind} a request that is {state}")]
    NotNow {
        kind: CommandKind,
        state: RequestState,
    },
    #[error("only {needed} may {kind} a request")]
    WrongRole {
        kind: CommandKind,
        needed: ActorRole,
    },
    #[error("only the resident who filed the request may {kind} it")]
    NotOwner { kind: CommandKind },
    #[error("a request can be reopened only within 7 days of its resolution")]
    ReopenWindowClosed,
    #[error(
        "a request takes at most {MAX_SUPPLEMENTS} supplements; call the service desk to add more"
    )]
    TooManySupplements,
}

/// How many supplements one request takes: enough for any real follow-up, and a bound on what one
/// resident can pile onto a request's timeline.
pub const MAX_SUPPLEMENTS: usize = 20;

/// How long after a resolution the resident may reopen: 7 days.
pub const REOPEN_WINDOW_SECS: i64 = 7 * 24 * 60 * 60;

/// A request's life: its state, what the state depends on, and its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    pub state: RequestState,
    /// The person who filed it.
    pub owner: MemberId,
    pub department: Option<Department>,
    /// When it was last resolved (the reopen window counts from here).
    pub resolved_at: Option<i64>,
    pub rating: Option<Stars>,
    pub timeline: Vec<TimelineEvent>,
}

impl Workflow {
    /// A new request, filed by `owner` at `now`.
    pub fn submit(owner: MemberId, now: i64) -> Workflow {
        Workflow {
            state: RequestState::Submitted,
            owner,
            department: None,
            resolved_at: None,
            rating: None,
            timeline: vec![TimelineEvent {
                at: now,
                actor: Some(owner),
                role: ActorRole::Resident,
                kind: CommandKind::Submit,
                from: None,
                to: RequestState::Submitted,
                note: None,
            }],
        }
    }

    /// Checks `kind` for `actor` now, without applying it.
    pub fn check(
        &self,
        actor: &Actor,
        kind: CommandKind,
        now: i64,
    ) -> Result<RequestState, TransitionError> {
        let needed = kind.role();
        if actor.role != needed {
            return Err(TransitionError::WrongRole { kind, needed });
        }
        if needed == ActorRole::Resident && actor.id != self.owner {
            return Err(TransitionError::NotOwner { kind });
        }
        let to = kind.target(self.state).ok_or(TransitionError::NotNow {
            kind,
            state: self.state,
        })?;
        if kind == CommandKind::Reopen {
            let resolved = self.resolved_at.unwrap_or(i64::MIN);
            if now.saturating_sub(resolved) > REOPEN_WINDOW_SECS {
                return Err(TransitionError::ReopenWindowClosed);
            }
        }
        if kind == CommandKind::Supplement
            && self
                .timeline
                .iter()
                .filter(|e| e.kind == CommandKind::Supplement)
                .count()
                >= MAX_SUPPLEMENTS
        {
            return Err(TransitionError::TooManySupplements);
        }
        Ok(to)
    }

    /// The commands `actor` may give now: what a screen offers, and nothing more.
    pub fn allowed(&self, actor: &Actor, now: i64) -> Vec<CommandKind> {
        CommandKind::ALL
            .into_iter()
            .filter(|&kind| self.check(actor, kind, now).is_ok())
            .collect()
    }

    /// Applies `command` by `actor` at `now`, appending its timeline event.
    pub fn apply(
        &mut self,
        actor: &Actor,
        command: Command,
        now: i64,
    ) -> Result<&TimelineEvent, TransitionError> {
        let kind = command.kind();
        let to = self.check(actor, kind, now)?;
        let from = self.state;
        match &command {
            Command::Dispatch { department } => self.department = Some(*department),
            Command::Resolve { .. } => self.resolved_at = Some(now),
            Command::Rate { stars, .. } => self.rating = Some(*stars),
            _ => {}
        }
        self.state = to;
        self.timeline.push(TimelineEvent {
            at: now,
            actor: Some(actor.id),
            role: actor.role,
            kind,
            from: Some(from),
            to,
            note: command.note(),
        });
        Ok(self.timeline.last().expect("an event was just pushed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = 24 * 60 * 60;
    const RESIDENT_A: MemberId = MemberId::new(1);

    fn resident() -> Actor {
        Actor {
            id: RESIDENT_A,
            role: ActorRole::Resident,
        }
    }
    fn other_resident() -> Actor {
        Actor {
            id: MemberId::new(2),
            role: ActorRole::Resident,
        }
    }
    fn staff() -> Actor {
        Actor {
            id: MemberId::new(3),
            role: ActorRole::Staff,
        }
    }
    fn note(text: &str) -> Note {
        Note::parse(text).unwrap()
    }

    /// Walks a request to `resolved` at time `at`.
    fn resolved_at(at: i64) -> Workflow {
        let mut w = Workflow::submit(RESIDENT_A, 0);
        w.apply(&staff(), Command::Accept, 1).unwrap();
        w.apply(
            &staff(),
            Command::Dispatch {
                department: Department::Municipal,
            },
            2,
        )
        .unwrap();
        w.apply(&staff(), Command::Start, 3).unwrap();
        w.apply(
            &staff(),
            Command::Resolve {
                reply: note("路灯已修好"),
            },
            at,
        )
        .unwrap();
        w
    }

    #[test]
    fn the_whole_loop_from_report_to_rating() {
        let mut w = resolved_at(10);
        w.apply(&resident(), Command::Confirm, 11).unwrap();
        w.apply(
            &resident(),
            Command::Rate {
                stars: Stars::new(5).unwrap(),
                comment: None,
            },
            12,
        )
        .unwrap();
        assert_eq!(w.state, RequestState::Rated);
        assert_eq!(w.rating, Stars::new(5));
        assert_eq!(w.department, Some(Department::Municipal));
        let kinds: Vec<_> = w.timeline.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "submit", "accept", "dispatch", "start", "resolve", "confirm", "rate"
            ]
        );
        assert_eq!(w.timeline[4].note.as_deref(), Some("路灯已修好"));
        assert!(
            w.allowed(&resident(), 13).is_empty(),
            "a rated request is finished"
        );
    }

    #[test]
    fn staff_verify_instead_of_the_resident_confirming() {
        let mut w = resolved_at(10);
        let event = w.apply(&staff(), Command::Verify, 11).unwrap();
        assert_eq!(
            (event.from, event.to),
            (Some(RequestState::Resolved), RequestState::Closed)
        );
    }

    #[test]
    fn each_command_belongs_to_one_role() {
        let mut w = Workflow::submit(RESIDENT_A, 0);
        assert_eq!(
            w.apply(&resident(), Command::Accept, 1),
            Err(TransitionError::WrongRole {
                kind: CommandKind::Accept,
                needed: ActorRole::Staff
            })
        );
        assert_eq!(
            w.apply(&staff(), Command::Withdraw, 1),
            Err(TransitionError::WrongRole {
                kind: CommandKind::Withdraw,
                needed: ActorRole::Resident
            })
        );
        assert_eq!(
            w.apply(&other_resident(), Command::Withdraw, 1),
            Err(TransitionError::NotOwner {
                kind: CommandKind::Withdraw
            })
        );
        assert_eq!(w.timeline.len(), 1, "refusals leave no trace");
    }

    #[test]
    fn reopen_only_within_seven_days_of_the_resolution() {
        let mut w = resolved_at(100);
        assert_eq!(
            w.clone().apply(
                &resident(),
                Command::Reopen {
                    reason: note("又坏了")
                },
                100 + 7 * DAY + 1
            ),
            Err(TransitionError::ReopenWindowClosed)
        );
        let event = w
            .apply(
                &resident(),
                Command::Reopen {
                    reason: note("又坏了"),
                },
                100 + 7 * DAY,
            )
            .unwrap();
        assert_eq!(event.to, RequestState::Dispatched, "back to the department");
        assert_eq!(w.department, Some(Department::Municipal));
    }

    #[test]
    fn withdrawn_and_rejected_requests_are_finished() {
        let mut w = Workflow::submit(RESIDENT_A, 0);
        w.apply(&resident(), Command::Withdraw, 1).unwrap();
        assert_eq!(
            w.apply(&staff(), Command::Accept, 2),
            Err(TransitionError::NotNow {
                kind: CommandKind::Accept,
                state: RequestState::Withdrawn
            })
        );
        let mut r = Workflow::submit(RESIDENT_A, 0);
        r.apply(
            &staff(),
            Command::Reject {
                reason: note("不属于社区受理范围"),
            },
            1,
        )
        .unwrap();
        assert!(r.allowed(&resident(), 2).is_empty());
        assert!(r.allowed(&staff(), 2).is_empty());
        assert!(!r.state.is_open());
    }

    #[test]
    fn supplements_stop_at_the_cap_with_a_reason() {
        let mut w = Workflow::submit(RESIDENT_A, 0);
        for i in 0..MAX_SUPPLEMENTS {
            let more = Command::Supplement {
                note: note(&format!("补充 {i}")),
            };
            w.apply(&resident(), more, 1 + i as i64).unwrap();
        }
        assert!(
            !w.allowed(&resident(), 100)
                .contains(&CommandKind::Supplement)
        );
        let one_more = Command::Supplement {
            note: note("再补充一次"),
        };
        assert_eq!(
            w.apply(&resident(), one_more, 100),
            Err(TransitionError::TooManySupplements)
        );
        assert_eq!(w.timeline.len(), 1 + MAX_SUPPLEMENTS);
        // The rest of the request's life goes on.
        w.apply(&staff(), Command::Accept, 101).unwrap();
    }

    #[test]
    fn a_supplement_adds_to_the_timeline_without_changing_the_state() {
        let mut w = Workflow::submit(RESIDENT_A, 0);
        let event = w
            .apply(
                &resident(),
                Command::Supplement {
                    note: note("补充：在3号楼"),
                },
                1,
            )
            .unwrap();
        assert_eq!(
            (event.from, event.to),
            (Some(RequestState::Submitted), RequestState::Submitted)
        );
        assert_eq!(
            w.allowed(&resident(), 2),
            vec![CommandKind::Withdraw, CommandKind::Supplement]
        );
        assert_eq!(
            w.allowed(&staff(), 2),
            vec![CommandKind::Accept, CommandKind::Reject]
        );
    }

    #[test]
    fn stars_are_one_to_five() {
        assert!(Stars::new(0).is_none());
        assert!(Stars::new(6).is_none());
        assert_eq!(serde_json::from_str::<Stars>("4").unwrap().get(), 4);
        assert!(serde_json::from_str::<Stars>("9").is_err());
    }

    fn any_command() -> impl Strategy<Value = (u8, Command)> {
        // (who: 0 resident, 1 other resident, 2 staff), the command
        let commands = prop_oneof![
            Just(Command::Accept),
            Just(Command::Reject {
                reason: Note::parse("理由").unwrap()
            }),
            prop::sample::select(Department::ALL.to_vec())
                .prop_map(|department| Command::Dispatch { department }),
            Just(Command::Start),
            Just(Command::Resolve {
                reply: Note::parse("已处理").unwrap()
            }),
            Just(Command::Confirm),
            Just(Command::Verify),
            (1u8..=5).prop_map(|n| Command::Rate {
                stars: Stars::new(n).unwrap(),
                comment: None
            }),
            Just(Command::Reopen {
                reason: Note::parse("没修好").unwrap()
            }),
            Just(Command::Withdraw),
            Just(Command::Supplement {
                note: Note::parse("补充").unwrap()
            }),
        ];
        (0u8..3, commands)
    }

    proptest! {
        #[test]
        fn any_sequence_of_commands_stays_inside_the_graph(
            steps in proptest::collection::vec((any_command(), 0i64..(4 * DAY)), 0..60)
        ) {
            let mut w = Workflow::submit(RESIDENT_A, 0);
            let mut now = 0;
            let mut applied = 0;
            for ((who, command), wait) in steps {
                now += wait;
                let actor = match who { 0 => resident(), 1 => other_resident(), _ => staff() };
                let before = w.clone();
                let kind = command.kind();
                match w.apply(&actor, command, now) {
                    Ok(event) => {
                        applied += 1;
                        let from = event.from.unwrap();
                        prop_assert_eq!(kind.target(from), Some(event.to), "an edge of the graph");
                        prop_assert_eq!(event.role, kind.role());
                        if event.role == ActorRole::Resident {
                            prop_assert_eq!(event.actor, Some(RESIDENT_A));
                        }
                        if kind == CommandKind::Reopen {
                            prop_assert!(now - before.resolved_at.unwrap() <= REOPEN_WINDOW_SECS);
                        }
                    }
                    Err(_) => prop_assert_eq!(&w, &before, "a refusal changes nothing"),
                }
            }
            prop_assert_eq!(w.timeline.len(), 1 + applied, "one event per applied command");
            for pair in w.timeline.windows(2) {
                prop_assert_eq!(pair[1].from, Some(pair[0].to), "the timeline is a connected path");
                prop_assert!(pair[1].at >= pair[0].at);
            }
            prop_assert_eq!(w.timeline.last().unwrap().to, w.state);
        }
    }
}
