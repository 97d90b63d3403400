//! The pure transition check: may this actor move this dossier from its
//! current state to that one, with this input? Errors say exactly why not, in
//! Vietnamese and English, in a fixed order: terminal state, step not in the
//! workflow (listing the allowed next states), wrong role (listing the roles
//! that may), outside the office scope, then missing or oversized input.

use serde::{Deserialize, Serialize};

use super::table::{Requirement, STARTS, Start, TRANSITIONS, Transition};
use super::{ActorScope, Role, Scope, State};
use crate::dossier::capture::{CaptureError, CaptureRecord};
use crate::i18n::Localized;

/// Longest note accepted on a transition, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// What happened to the citizen's old document (CMND/CCCD) at hand-over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OldDocument {
    /// Đã thu hồi CMND/CCCD cũ.
    Collected,
    /// Không có giấy tờ cũ để thu hồi (first issue, or the old one was lost).
    NoneToCollect,
}

/// The input that comes with a transition request. Everything is optional;
/// the table says which transition needs what ([`Requirement`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct TransitionInput<'a> {
    /// Free note; the reason (lý do) where one is required.
    pub note: Option<&'a str>,
    /// The capture record, for steps into [`State::Captured`].
    pub capture: Option<&'a CaptureRecord>,
    /// Whether the dossier changes population data (thay đổi thông tin dân
    /// cư), for steps that route to commune verification or past it.
    pub population_data_changed: Option<bool>,
    /// The old document's fate, for steps into [`State::Returned`].
    pub old_document: Option<OldDocument>,
}

impl<'a> TransitionInput<'a> {
    /// An input with just a note.
    pub fn with_note(note: &'a str) -> Self {
        Self {
            note: Some(note),
            ..Self::default()
        }
    }

    /// The note, trimmed, if it has any text.
    pub fn reason(&self) -> Option<&'a str> {
        self.note.map(str::trim).filter(|n| !n.is_empty())
    }
}

/// Every state some role may move `state` to, in table order, without
/// duplicates. Empty for terminal states.
pub fn allowed_next(state: State) -> Vec<State> {
    let mut out = Vec::new();
    for t in TRANSITIONS.iter().filter(|t| t.from == state) {
        if !out.contains(&t.to) {
            out.push(t.to);
        }
    }
    out
}

/// The states `role` may move `state` to (the console's buttons), in table
/// order. Office scope and input are checked by [`check_transition`].
pub fn next_states(state: State, role: Role) -> Vec<State> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from == state && t.role == role)
        .map(|t| t.to)
        .collect()
}

/// The states `role` may create a dossier in.
pub fn start_states(role: Role) -> Vec<State> {
    STARTS
        .iter()
        .filter(|s| s.role == role)
        .map(|s| s.to)
        .collect()
}

/// Checks that `role`, standing in `scope` relative to the dossier, may
/// create it in state `to`.
pub fn check_start(
    to: State,
    role: Role,
    scope: ActorScope,
) -> Result<&'static Start, WorkflowError> {
    let rows: Vec<&'static Start> = STARTS.iter().filter(|s| s.to == to).collect();
    if rows.is_empty() {
        let mut allowed: Vec<State> = STARTS.iter().map(|s| s.to).collect();
        allowed.dedup();
        return Err(WorkflowError::NotAStart { to, allowed });
    }
    let by_role: Vec<&'static Start> = rows.iter().copied().filter(|s| s.role == role).collect();
    if by_role.is_empty() {
        return Err(WorkflowError::WrongRole {
            from: None,
            to,
            role,
            allowed_roles: rows.iter().map(|s| s.role).collect(),
        });
    }
    by_role
        .iter()
        .copied()
        .find(|s| scope.satisfies(s.scope))
        .ok_or_else(|| WorkflowError::OutOfScope {
            from: None,
            to,
            role,
            required: by_role.iter().map(|s| s.scope).collect(),
        })
}

/// Checks one transition and returns the table row that allows it.
///
/// `scope` is how the actor's office relates to the dossier; `input` carries
/// the note and whatever the row requires.
pub fn check_transition(
    current: State,
    to: State,
    role: Role,
    scope: ActorScope,
    input: &TransitionInput<'_>,
) -> Result<&'static Transition, WorkflowError> {
    // Fast path without allocation: the row that allows the step.
    if let Some(row) = TRANSITIONS
        .iter()
        .find(|t| t.from == current && t.to == to && t.role == role && scope.satisfies(t.scope))
    {
        for req in row.requires {
            check_requirement(*req, to, input)?;
        }
        if let Some(note) = input.note {
            let len = note.chars().count();
            if len > MAX_NOTE_CHARS {
                return Err(WorkflowError::NoteTooLong { len });
            }
        }
        return Ok(row);
    }
    // Refused: say why, most fundamental reason first.
    if current.is_terminal() {
        return Err(WorkflowError::Terminal { state: current, to });
    }
    let rows: Vec<&'static Transition> = TRANSITIONS
        .iter()
        .filter(|t| t.from == current && t.to == to)
        .collect();
    if rows.is_empty() {
        return Err(WorkflowError::NotAllowed {
            from: current,
            to,
            allowed: allowed_next(current),
        });
    }
    let by_role: Vec<Scope> = rows
        .iter()
        .filter(|t| t.role == role)
        .map(|t| t.scope)
        .collect();
    if by_role.is_empty() {
        return Err(WorkflowError::WrongRole {
            from: Some(current),
            to,
            role,
            allowed_roles: rows.iter().map(|t| t.role).collect(),
        });
    }
    Err(WorkflowError::OutOfScope {
        from: Some(current),
        to,
        role,
        required: by_role,
    })
}

fn check_requirement(
    req: Requirement,
    to: State,
    input: &TransitionInput<'_>,
) -> Result<(), WorkflowError> {
    match req {
        Requirement::Reason => input
            .reason()
            .map(|_| ())
            .ok_or(WorkflowError::ReasonRequired { to }),
        Requirement::CompleteCapture => match input.capture {
            None => Err(WorkflowError::CaptureRequired),
            Some(rec) => rec
                .check_complete()
                .map_err(WorkflowError::CaptureIncomplete),
        },
        Requirement::PopulationChanged => match input.population_data_changed {
            None => Err(WorkflowError::PopulationChangeUnknown { to }),
            Some(false) => Err(WorkflowError::NoPopulationChange),
            Some(true) => Ok(()),
        },
        Requirement::PopulationUnchanged => match input.population_data_changed {
            None => Err(WorkflowError::PopulationChangeUnknown { to }),
            Some(true) => Err(WorkflowError::VerificationRequired { to }),
            Some(false) => Ok(()),
        },
        Requirement::OldDocument => input
            .old_document
            .map(|_| ())
            .ok_or(WorkflowError::OldDocumentRequired),
    }
}

/// What a workflow refusal is about, for front ends that answer by kind
/// (HTTP status, a page's message) rather than by code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// Who is asking: the role, or the office scope.
    Actor,
    /// Where the dossier stands: the step does not follow its state.
    State,
    /// What the step needs and did not get: a reason, the capture, a
    /// verification, a valid first state.
    Requirement,
}

/// Why a transition (or a start) was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowError {
    /// The dossier is in a terminal state.
    #[error("dossier is {state}, a final state; it cannot move to {to}")]
    Terminal {
        /// The current, terminal state.
        state: State,
        /// The state asked for.
        to: State,
    },
    /// The step is not in the workflow.
    #[error("cannot go from {from} to {to}; allowed next: {allowed:?}")]
    NotAllowed {
        /// Current state.
        from: State,
        /// State asked for.
        to: State,
        /// States some role may move it to.
        allowed: Vec<State>,
    },
    /// A dossier cannot start in that state.
    #[error("a dossier cannot start as {to}; it starts as one of {allowed:?}")]
    NotAStart {
        /// State asked for.
        to: State,
        /// Valid first states.
        allowed: Vec<State>,
    },
    /// The step exists but not for this role.
    #[error("role {role} may not move a dossier to {to}; roles that may: {allowed_roles:?}")]
    WrongRole {
        /// Current state (`None` when creating).
        from: Option<State>,
        /// State asked for.
        to: State,
        /// The actor's role.
        role: Role,
        /// Roles that may take this step.
        allowed_roles: Vec<Role>,
    },
    /// The actor's office is not where this step is taken.
    #[error("role {role} may move this dossier to {to} only from {required:?}")]
    OutOfScope {
        /// Current state (`None` when creating).
        from: Option<State>,
        /// State asked for.
        to: State,
        /// The actor's role.
        role: Role,
        /// Scopes that would allow it.
        required: Vec<Scope>,
    },
    /// A refusal, rejection, cancellation or correction without a reason.
    #[error("a reason is required to move to {to}")]
    ReasonRequired {
        /// State asked for.
        to: State,
    },
    /// Note too long.
    #[error("note has {len} characters, at most 2000")]
    NoteTooLong {
        /// Characters given.
        len: usize,
    },
    /// No capture record given.
    #[error("the capture record is required")]
    CaptureRequired,
    /// The capture record is not complete.
    #[error("capture record incomplete: {0}")]
    CaptureIncomplete(CaptureError),
    /// The input does not say whether population data changed.
    #[error("say whether the dossier changes population data before moving to {to}")]
    PopulationChangeUnknown {
        /// State asked for.
        to: State,
    },
    /// Commune verification asked for a dossier that changes nothing.
    #[error("no population data changed: commune verification is not needed")]
    NoPopulationChange,
    /// Skipping commune verification although population data changed.
    #[error("population data changed: the commune police must verify before {to}")]
    VerificationRequired {
        /// State asked for.
        to: State,
    },
    /// Hand-over without saying what happened to the old document.
    #[error("record whether the old document was collected")]
    OldDocumentRequired,
    /// A step dated before the last event of the log.
    #[error("the step at {at} is earlier than the last event at {last}")]
    EarlierThanLastEvent {
        /// Time of the last event.
        last: jiff::Timestamp,
        /// Time given for the step.
        at: jiff::Timestamp,
    },
}

fn list_states_vi(states: &[State]) -> String {
    if states.is_empty() {
        return "không có".into();
    }
    states
        .iter()
        .map(|s| format!("{} ({})", s.label_vi(), s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_states_en(states: &[State]) -> String {
    if states.is_empty() {
        return "none".into();
    }
    states
        .iter()
        .map(|s| format!("{} ({})", s.label_en(), s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl WorkflowError {
    /// What the refusal is about.
    pub fn refusal(&self) -> Refusal {
        match self {
            Self::WrongRole { .. } | Self::OutOfScope { .. } => Refusal::Actor,
            Self::Terminal { .. } | Self::NotAllowed { .. } | Self::EarlierThanLastEvent { .. } => {
                Refusal::State
            }
            _ => Refusal::Requirement,
        }
    }
}

impl Localized for WorkflowError {
    fn code(&self) -> &'static str {
        match self {
            Self::Terminal { .. } => "workflow.terminal_state",
            Self::NotAllowed { .. } => "workflow.not_allowed",
            Self::NotAStart { .. } => "workflow.not_a_start",
            Self::WrongRole { .. } => "workflow.wrong_role",
            Self::OutOfScope { .. } => "workflow.out_of_scope",
            Self::ReasonRequired { .. } => "workflow.reason_required",
            Self::NoteTooLong { .. } => "workflow.note_too_long",
            Self::CaptureRequired => "workflow.capture_required",
            Self::CaptureIncomplete(_) => "workflow.capture_incomplete",
            Self::PopulationChangeUnknown { .. } => "workflow.population_change_unknown",
            Self::NoPopulationChange => "workflow.no_population_change",
            Self::VerificationRequired { .. } => "workflow.verification_required",
            Self::OldDocumentRequired => "workflow.old_document_required",
            Self::EarlierThanLastEvent { .. } => "workflow.earlier_than_last_event",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            Self::Terminal { state, to } => format!(
                "Hồ sơ đã ở trạng thái kết thúc \"{}\", không thể chuyển sang \"{}\"",
                state.label_vi(),
                to.label_vi()
            ),
            Self::NotAllowed { from, to, allowed } => format!(
                "Không thể chuyển hồ sơ từ \"{}\" sang \"{}\"; các bước tiếp theo hợp lệ: {}",
                from.label_vi(),
                to.label_vi(),
                list_states_vi(allowed)
            ),
            Self::NotAStart { to, allowed } => format!(
                "Không thể lập hồ sơ mới ở trạng thái \"{}\"; hồ sơ mới bắt đầu ở: {}",
                to.label_vi(),
                list_states_vi(allowed)
            ),
            Self::WrongRole {
                to,
                role,
                allowed_roles,
                ..
            } => format!(
                "Vai trò \"{}\" không được chuyển hồ sơ sang \"{}\"; chỉ: {}",
                role.label_vi(),
                to.label_vi(),
                allowed_roles
                    .iter()
                    .map(|r| r.label_vi())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::OutOfScope {
                to, role, required, ..
            } => format!(
                "{} chỉ được chuyển hồ sơ này sang \"{}\" khi thuộc {}; hồ sơ không thuộc \
                 phạm vi đơn vị của bạn",
                capitalize(role.label_vi()),
                to.label_vi(),
                required
                    .iter()
                    .map(|s| s.label_vi())
                    .collect::<Vec<_>>()
                    .join(" hoặc ")
            ),
            Self::ReasonRequired { to } => format!(
                "Phải ghi rõ lý do khi chuyển hồ sơ sang \"{}\"",
                to.label_vi()
            ),
            Self::NoteTooLong { len } => {
                format!("Ghi chú dài {len} ký tự, tối đa {MAX_NOTE_CHARS} ký tự")
            }
            Self::CaptureRequired => "Chưa có phiếu thu nhận thông tin (vân tay, ảnh chân dung, \
                                      đặc điểm nhân dạng)"
                .into(),
            Self::CaptureIncomplete(e) => e.message_vi(),
            Self::PopulationChangeUnknown { to } => format!(
                "Cần xác định hồ sơ có thay đổi thông tin dân cư hay không trước khi chuyển \
                 sang \"{}\"",
                to.label_vi()
            ),
            Self::NoPopulationChange => "Hồ sơ không thay đổi thông tin dân cư nên không cần \
                                         Công an cấp xã xác minh; hãy chuyển Trung tâm dữ liệu \
                                         quốc gia về dân cư"
                .into(),
            Self::VerificationRequired { to } => format!(
                "Hồ sơ có thay đổi thông tin dân cư: Công an cấp xã phải xác minh trước khi \
                 chuyển sang \"{}\"",
                to.label_vi()
            ),
            Self::OldDocumentRequired => "Phải ghi nhận đã thu hồi CMND/CCCD cũ hay không có \
                                          giấy tờ cũ để thu hồi"
                .into(),
            Self::EarlierThanLastEvent { last, at } => format!(
                "Thời điểm thao tác {at} sớm hơn sự kiện gần nhất của hồ sơ ({last}); kiểm tra \
                 đồng hồ máy chủ"
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            Self::Terminal { state, to } => format!(
                "The dossier is in the final state \"{}\" and cannot move to \"{}\"",
                state.label_en(),
                to.label_en()
            ),
            Self::NotAllowed { from, to, allowed } => format!(
                "A dossier cannot go from \"{}\" to \"{}\"; allowed next states: {}",
                from.label_en(),
                to.label_en(),
                list_states_en(allowed)
            ),
            Self::NotAStart { to, allowed } => format!(
                "A new dossier cannot start as \"{}\"; it starts as: {}",
                to.label_en(),
                list_states_en(allowed)
            ),
            Self::WrongRole {
                to,
                role,
                allowed_roles,
                ..
            } => format!(
                "The role \"{}\" may not move a dossier to \"{}\"; only: {}",
                role.label_en(),
                to.label_en(),
                allowed_roles
                    .iter()
                    .map(|r| r.label_en())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::OutOfScope {
                to, role, required, ..
            } => format!(
                "Only when acting for {} may the {} move this dossier to \"{}\"; the dossier is \
                 outside your office's scope",
                required
                    .iter()
                    .map(|s| s.label_en())
                    .collect::<Vec<_>>()
                    .join(" or "),
                role.label_en(),
                to.label_en()
            ),
            Self::ReasonRequired { to } => format!(
                "A reason is required to move the dossier to \"{}\"",
                to.label_en()
            ),
            Self::NoteTooLong { len } => {
                format!("The note has {len} characters, at most {MAX_NOTE_CHARS}")
            }
            Self::CaptureRequired => "No capture record given (fingerprints, portrait, \
                                      identifying features)"
                .into(),
            Self::CaptureIncomplete(e) => e.message_en(),
            Self::PopulationChangeUnknown { to } => format!(
                "Say whether the dossier changes population data before moving it to \"{}\"",
                to.label_en()
            ),
            Self::NoPopulationChange => "The dossier changes no population data, so the commune \
                                         police need not verify it; send it to the National \
                                         Population Data Centre"
                .into(),
            Self::VerificationRequired { to } => format!(
                "The dossier changes population data: the commune police must verify it before \
                 it moves to \"{}\"",
                to.label_en()
            ),
            Self::OldDocumentRequired => "Record whether the old CMND/CCCD was collected or \
                                          there was none to collect"
                .into(),
            Self::EarlierThanLastEvent { last, at } => format!(
                "The step's time {at} is earlier than the dossier's last event ({last}); check \
                 the server clock"
            ),
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
