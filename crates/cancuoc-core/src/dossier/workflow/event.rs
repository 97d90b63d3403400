//! The dossier's event log (nhật ký hồ sơ): one [`DossierEvent`] per state
//! change, append-only, and [`replay`], which folds a stored log back to the
//! state it leads to and refuses a log the workflow could not have produced.
//!
//! [`DossierLog`] is the in-memory form the store builds on: it checks each
//! step with [`check_transition`] and appends the event to persist, so the
//! log and the state cannot drift apart.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::check::{TransitionInput, WorkflowError, check_start, check_transition};
use super::table::{Requirement, STARTS, TRANSITIONS};
use super::{ActorScope, Role, State};
use crate::i18n::Localized;

/// Who took a step: an opaque id (officer id, or the portal for a citizen's
/// own booking) and the role they acted in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    /// Opaque identifier; never a full personal ID number.
    pub id: String,
    /// The role the step was taken in.
    pub role: Role,
}

impl Actor {
    /// An actor with this id and role.
    pub fn new(id: impl Into<String>, role: Role) -> Self {
        Self {
            id: id.into(),
            role,
        }
    }
}

/// One entry of the append-only event log of a dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierEvent {
    /// Position in the log, 1 for the creating event, then +1 each; also the
    /// dossier's version for optimistic concurrency.
    pub seq: u64,
    /// When it happened (given by the caller; the core has no clock).
    pub at: Timestamp,
    /// Who did it.
    pub actor: Actor,
    /// State before; `None` for the creating event.
    pub from: Option<State>,
    /// State after.
    pub to: State,
    /// The note or reason, trimmed; `None` when blank.
    pub note: Option<String>,
}

/// Folds an event log back to the state it leads to, checking that the
/// workflow could have produced it: contiguous `seq` from 1, time never going
/// backwards, a valid start, each `from` equal to the state before, each step
/// in [`TRANSITIONS`] for the actor's role, and a reason wherever one is
/// required. (Office scope and capture input are not in the log, so they are
/// checked when the step is taken, not here.)
pub fn replay(events: &[DossierEvent]) -> Result<State, ReplayError> {
    let mut state: Option<State> = None;
    let mut last_at: Option<Timestamp> = None;
    for (i, e) in events.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        if e.seq != expected_seq {
            return Err(ReplayError::BadSeq {
                expected: expected_seq,
                found: e.seq,
            });
        }
        if let Some(prev) = last_at
            && e.at < prev
        {
            return Err(ReplayError::TimeWentBackwards { seq: e.seq });
        }
        last_at = Some(e.at);
        let has_reason = e.note.as_deref().is_some_and(|n| !n.trim().is_empty());
        match state {
            None => {
                if e.from.is_some()
                    || !STARTS
                        .iter()
                        .any(|s| s.to == e.to && s.role == e.actor.role)
                {
                    return Err(ReplayError::BadStart {
                        seq: e.seq,
                        to: e.to,
                        role: e.actor.role,
                    });
                }
            }
            Some(current) => {
                if e.from != Some(current) {
                    return Err(ReplayError::FromMismatch {
                        seq: e.seq,
                        expected: current,
                        found: e.from,
                    });
                }
                let Some(row) = TRANSITIONS
                    .iter()
                    .find(|t| t.from == current && t.to == e.to && t.role == e.actor.role)
                else {
                    return Err(ReplayError::NotInTable {
                        seq: e.seq,
                        from: current,
                        to: e.to,
                        role: e.actor.role,
                    });
                };
                if row.requires.contains(&Requirement::Reason) && !has_reason {
                    return Err(ReplayError::MissingReason {
                        seq: e.seq,
                        to: e.to,
                    });
                }
            }
        }
        state = Some(e.to);
    }
    state.ok_or(ReplayError::Empty)
}

/// A dossier's state with its event log, advanced only through the checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DossierLog {
    state: State,
    events: Vec<DossierEvent>,
}

impl DossierLog {
    /// Creates a dossier in state `to` (booked, or received for a walk-in).
    pub fn start(
        to: State,
        actor: Actor,
        scope: ActorScope,
        at: Timestamp,
        note: Option<&str>,
    ) -> Result<Self, WorkflowError> {
        check_start(to, actor.role, scope)?;
        let note = clean_note(note)?;
        Ok(Self {
            state: to,
            events: vec![DossierEvent {
                seq: 1,
                at,
                actor,
                from: None,
                to,
                note,
            }],
        })
    }

    /// Rebuilds the log from stored events, checking them with [`replay`].
    pub fn from_events(events: Vec<DossierEvent>) -> Result<Self, ReplayError> {
        let state = replay(&events)?;
        Ok(Self { state, events })
    }

    /// Takes one step if [`check_transition`] allows it (and `at` is not
    /// earlier than the last event), and returns a copy of the event appended:
    /// the one the store persists.
    pub fn apply(
        &mut self,
        to: State,
        actor: Actor,
        scope: ActorScope,
        input: &TransitionInput<'_>,
        at: Timestamp,
    ) -> Result<DossierEvent, WorkflowError> {
        check_transition(self.state, to, actor.role, scope, input)?;
        if let Some(last) = self.events.last()
            && at < last.at
        {
            return Err(WorkflowError::EarlierThanLastEvent { last: last.at, at });
        }
        let note = clean_note(input.note)?;
        let event = DossierEvent {
            seq: self.version() + 1,
            at,
            actor,
            from: Some(self.state),
            to,
            note,
        };
        self.state = to;
        self.events.push(event.clone());
        Ok(event)
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The events, oldest first.
    pub fn events(&self) -> &[DossierEvent] {
        &self.events
    }

    /// The `seq` of the last event: the version a client must send back for
    /// optimistic concurrency.
    pub fn version(&self) -> u64 {
        self.events.last().map_or(0, |e| e.seq)
    }
}

fn clean_note(note: Option<&str>) -> Result<Option<String>, WorkflowError> {
    match note.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(None),
        Some(n) => {
            let len = n.chars().count();
            if len > super::check::MAX_NOTE_CHARS {
                Err(WorkflowError::NoteTooLong { len })
            } else {
                Ok(Some(n.to_owned()))
            }
        }
    }
}

/// Why a stored event log does not replay.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// No events at all.
    #[error("the event log is empty")]
    Empty,
    /// A `seq` out of order (lost or duplicated event).
    #[error("event seq {found} where {expected} was expected")]
    BadSeq {
        /// The seq due.
        expected: u64,
        /// The seq found.
        found: u64,
    },
    /// An event earlier than the one before it.
    #[error("event {seq} is earlier than the event before it")]
    TimeWentBackwards {
        /// The event.
        seq: u64,
    },
    /// The first event is not a valid start for its actor's role.
    #[error("event {seq}: a dossier cannot start as {to} by {role}")]
    BadStart {
        /// The event.
        seq: u64,
        /// Its state.
        to: State,
        /// Its actor's role.
        role: Role,
    },
    /// An event whose `from` is not the state before it.
    #[error("event {seq}: from {found:?}, but the dossier was {expected}")]
    FromMismatch {
        /// The event.
        seq: u64,
        /// The state the log had reached.
        expected: State,
        /// The event's `from`.
        found: Option<State>,
    },
    /// A step the table does not allow for the actor's role.
    #[error("event {seq}: {role} cannot move a dossier from {from} to {to}")]
    NotInTable {
        /// The event.
        seq: u64,
        /// State before.
        from: State,
        /// State after.
        to: State,
        /// The actor's role.
        role: Role,
    },
    /// A step that needs a reason has none.
    #[error("event {seq}: moving to {to} needs a reason")]
    MissingReason {
        /// The event.
        seq: u64,
        /// State after.
        to: State,
    },
}

impl Localized for ReplayError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "workflow.replay.empty",
            Self::BadSeq { .. } => "workflow.replay.bad_seq",
            Self::TimeWentBackwards { .. } => "workflow.replay.time_went_backwards",
            Self::BadStart { .. } => "workflow.replay.bad_start",
            Self::FromMismatch { .. } => "workflow.replay.from_mismatch",
            Self::NotInTable { .. } => "workflow.replay.not_in_table",
            Self::MissingReason { .. } => "workflow.replay.missing_reason",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            Self::Empty => "Nhật ký hồ sơ trống".into(),
            Self::BadSeq { expected, found } => format!(
                "Nhật ký hồ sơ sai thứ tự: gặp sự kiện số {found} trong khi cần số {expected} \
                 (mất hoặc trùng sự kiện)"
            ),
            Self::TimeWentBackwards { seq } => {
                format!("Sự kiện số {seq} có thời điểm sớm hơn sự kiện trước nó")
            }
            Self::BadStart { seq, to, role } => format!(
                "Sự kiện số {seq}: {} không thể lập hồ sơ ở trạng thái \"{}\"",
                role.label_vi(),
                to.label_vi()
            ),
            Self::FromMismatch {
                seq,
                expected,
                found,
            } => format!(
                "Sự kiện số {seq} bắt đầu từ \"{}\" nhưng hồ sơ đang ở \"{}\"",
                found.map_or("(tạo mới)", |s| s.label_vi()),
                expected.label_vi()
            ),
            Self::NotInTable {
                seq,
                from,
                to,
                role,
            } => format!(
                "Sự kiện số {seq}: {} không được chuyển hồ sơ từ \"{}\" sang \"{}\"",
                role.label_vi(),
                from.label_vi(),
                to.label_vi()
            ),
            Self::MissingReason { seq, to } => format!(
                "Sự kiện số {seq}: chuyển sang \"{}\" phải có lý do",
                to.label_vi()
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            Self::Empty => "The dossier's event log is empty".into(),
            Self::BadSeq { expected, found } => format!(
                "The dossier's event log is out of order: event {found} where {expected} was \
                 expected (an event is lost or duplicated)"
            ),
            Self::TimeWentBackwards { seq } => {
                format!("Event {seq} is dated earlier than the event before it")
            }
            Self::BadStart { seq, to, role } => format!(
                "Event {seq}: the role \"{}\" cannot create a dossier as \"{}\"",
                role.label_en(),
                to.label_en()
            ),
            Self::FromMismatch {
                seq,
                expected,
                found,
            } => format!(
                "Event {seq} starts from \"{}\" but the dossier was \"{}\"",
                found.map_or("(creation)", |s| s.label_en()),
                expected.label_en()
            ),
            Self::NotInTable {
                seq,
                from,
                to,
                role,
            } => format!(
                "Event {seq}: the role \"{}\" may not move a dossier from \"{}\" to \"{}\"",
                role.label_en(),
                from.label_en(),
                to.label_en()
            ),
            Self::MissingReason { seq, to } => format!(
                "Event {seq}: moving to \"{}\" requires a reason",
                to.label_en()
            ),
        }
    }
}
