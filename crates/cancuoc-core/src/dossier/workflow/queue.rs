//! Work queues (hàng đợi công việc), read off the workflow table: the kinds
//! of work of each role — the states from which the role takes a step
//! (cancellations aside) — which of those steps are worth taking for many
//! dossiers at once, and the deadline a dossier waiting in a state is held
//! to. Pure: the service fills the queues from the store.

use jiff::civil::Date;

use super::{Role, State, TRANSITIONS, Transition};
use crate::rules::deadline::Stage;

/// Steps worth taking for many dossiers at once, where the real job is
/// bulk: approving a batch, printing a batch, sending the printed cards
/// back, booking a delivery in at the office. Each must also be a step of
/// the workflow table that needs no input (checked in [`bulk_steps`]).
const BULK: &[(State, State)] = &[
    (State::SentToCentre, State::Approved),
    (State::Approved, State::Printed),
    (State::Printed, State::Dispatched),
    (State::Dispatched, State::ReadyForPickup),
    (State::Dispatched, State::Posted),
];

/// One kind of work in a role's queue: dossiers waiting in `state`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueKind {
    /// The state the dossiers wait in.
    pub state: State,
    /// The role's steps from it (workflow table rows, cancellations aside).
    pub steps: Vec<Transition>,
    /// Of those, the targets offered as a bulk action.
    pub bulk: Vec<State>,
}

/// The kinds of work of `role`, in workflow order; empty for a role that
/// moves no dossier forward (administrators only cancel; citizens use the
/// portal).
pub fn queue_kinds(role: Role) -> Vec<QueueKind> {
    let mut kinds: Vec<QueueKind> = Vec::new();
    for state in State::ALL {
        let steps: Vec<Transition> = TRANSITIONS
            .iter()
            .filter(|t| t.role == role && t.from == state && t.to != State::Cancelled)
            .copied()
            .collect();
        if steps.is_empty() {
            continue;
        }
        let bulk = bulk_steps(&steps);
        kinds.push(QueueKind { state, steps, bulk });
    }
    kinds
}

/// The targets among `steps` that may be taken in bulk.
fn bulk_steps(steps: &[Transition]) -> Vec<State> {
    steps
        .iter()
        .filter(|t| t.requires.is_empty() && BULK.contains(&(t.from, t.to)))
        .map(|t| t.to)
        .collect()
}

/// Whether `role` may move dossiers from `from` to `to` in bulk.
pub fn may_bulk(role: Role, from: State, to: State) -> bool {
    queue_kinds(role)
        .iter()
        .any(|k| k.state == from && k.bulk.contains(&to))
}

/// The deadline a dossier waiting in its state is held to: the stage due
/// date stored at opening, or the promised date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueKind {
    /// The appointment day (ngày hẹn đến làm thủ tục) of a booked dossier.
    Appointment,
    /// A stage of the processing deadlines.
    Stage(Stage),
    /// The promised return date (ngày hẹn trả kết quả).
    Promised,
}

impl DueKind {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            DueKind::Appointment => "ngày hẹn làm thủ tục",
            DueKind::Stage(s) => s.label_vi(),
            DueKind::Promised => "ngày hẹn trả kết quả",
        }
    }
    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            DueKind::Appointment => "appointment day",
            DueKind::Stage(s) => s.label_en(),
            DueKind::Promised => "promised return date",
        }
    }
}

/// The stages a dossier in `state` is working through, first match wins
/// (a dossier received at the NPD centre has no transfer stage).
fn stages_of(state: State) -> &'static [Stage] {
    match state {
        State::Received | State::Captured | State::SlipIssued | State::Rejected => {
            &[Stage::TransferToNpd, Stage::CentralProcessing]
        }
        State::CommuneVerification => &[Stage::CommuneVerification],
        State::SentToCentre | State::Approved => &[Stage::CentralProcessing],
        State::Printed => &[Stage::Dispatch],
        _ => &[],
    }
}

/// The dates a dossier is held to, as stored when it was opened.
#[derive(Clone, Copy, Debug)]
pub struct DueDates<'a> {
    /// Where it waits now.
    pub state: State,
    /// The appointment or reception day.
    pub received_on: Date,
    /// The stage due dates computed at opening.
    pub stages: &'a [(Stage, Date)],
    /// The promised return date.
    pub promised_on: Date,
}

/// The due date of the stage a dossier waits in, and which deadline it is.
pub fn stage_due(d: DueDates<'_>) -> (Date, DueKind) {
    if d.state == State::Booked {
        return (d.received_on, DueKind::Appointment);
    }
    for stage in stages_of(d.state) {
        if let Some((_, due)) = d.stages.iter().find(|(s, _)| s == stage) {
            return (*due, DueKind::Stage(*stage));
        }
    }
    (d.promised_on, DueKind::Promised)
}

/// Roles that have a work queue.
pub const QUEUE_ROLES: &[Role] = &[
    Role::Receptionist,
    Role::CommunePolice,
    Role::Processor,
    Role::Approver,
    Role::Printer,
    Role::Dispatcher,
    Role::ReturnOfficer,
];

/// The roles that may take `from → to` in bulk (for the refusal's message).
pub fn bulk_roles(from: State, to: State) -> &'static [Role] {
    match (from, to) {
        (State::SentToCentre, State::Approved) => &[Role::Approver],
        (State::Approved, State::Printed) => &[Role::Printer],
        (State::Printed, State::Dispatched) => &[Role::Dispatcher],
        (State::Dispatched, State::ReadyForPickup | State::Posted) => &[Role::ReturnOfficer],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_follow_the_workflow_table() {
        let states = |r: Role| queue_kinds(r).iter().map(|k| k.state).collect::<Vec<_>>();
        assert_eq!(
            states(Role::Receptionist),
            [
                State::Booked,
                State::Received,
                State::Captured,
                State::SlipIssued,
                State::Rejected
            ]
        );
        assert_eq!(states(Role::CommunePolice), [State::CommuneVerification]);
        assert_eq!(states(Role::Processor), [State::SentToCentre]);
        assert_eq!(states(Role::Approver), [State::SentToCentre]);
        assert_eq!(states(Role::Printer), [State::Approved]);
        assert_eq!(states(Role::Dispatcher), [State::Printed]);
        assert_eq!(
            states(Role::ReturnOfficer),
            [State::Dispatched, State::ReadyForPickup, State::Posted]
        );
        assert!(queue_kinds(Role::Admin).is_empty());
        assert!(queue_kinds(Role::Citizen).is_empty());
        // Every role with a queue is listed in QUEUE_ROLES and back.
        for r in Role::ALL {
            assert_eq!(!queue_kinds(r).is_empty(), QUEUE_ROLES.contains(&r), "{r}");
        }
    }

    #[test]
    fn bulk_only_where_the_job_is_bulk() {
        assert!(may_bulk(Role::Printer, State::Approved, State::Printed));
        assert!(may_bulk(
            Role::Dispatcher,
            State::Printed,
            State::Dispatched
        ));
        assert!(may_bulk(
            Role::Approver,
            State::SentToCentre,
            State::Approved
        ));
        assert!(may_bulk(
            Role::ReturnOfficer,
            State::Dispatched,
            State::ReadyForPickup
        ));
        // A rejection needs a reason per dossier; a processor cannot approve.
        assert!(!may_bulk(
            Role::Approver,
            State::SentToCentre,
            State::Rejected
        ));
        assert!(!may_bulk(
            Role::Processor,
            State::SentToCentre,
            State::Approved
        ));
        assert!(!may_bulk(Role::Dispatcher, State::Approved, State::Printed));
        assert!(!may_bulk(Role::Admin, State::Approved, State::Cancelled));
        // Hand-over needs the old document, one citizen at a time.
        assert!(!may_bulk(
            Role::ReturnOfficer,
            State::ReadyForPickup,
            State::Returned
        ));
        // Every bulk pair is a table step and names its roles.
        for &(from, to) in BULK {
            let roles = bulk_roles(from, to);
            assert!(!roles.is_empty());
            for r in roles {
                assert!(may_bulk(*r, from, to), "{r} {from}->{to}");
            }
        }
    }

    #[test]
    fn the_stage_a_dossier_waits_in() {
        let d = |state: State, stages: &'static [(Stage, Date)]| DueDates {
            state,
            received_on: jiff::civil::date(2026, 11, 2),
            stages,
            promised_on: jiff::civil::date(2026, 11, 11),
        };
        const fn day(n: i8) -> Date {
            jiff::civil::date(2026, 11, n)
        }
        static OFFICE: [(Stage, Date); 4] = [
            (Stage::CommuneVerification, day(3)),
            (Stage::TransferToNpd, day(4)),
            (Stage::CentralProcessing, day(9)),
            (Stage::Dispatch, day(11)),
        ];
        let office = &OFFICE;
        assert_eq!(
            stage_due(d(State::SlipIssued, office)),
            (day(4), DueKind::Stage(Stage::TransferToNpd))
        );
        assert_eq!(
            stage_due(d(State::CommuneVerification, office)),
            (day(3), DueKind::Stage(Stage::CommuneVerification))
        );
        assert_eq!(
            stage_due(d(State::Approved, office)),
            (day(9), DueKind::Stage(Stage::CentralProcessing))
        );
        assert_eq!(
            stage_due(d(State::Printed, office)),
            (day(11), DueKind::Stage(Stage::Dispatch))
        );
        assert_eq!(
            stage_due(d(State::Dispatched, office)),
            (day(11), DueKind::Promised)
        );
        assert_eq!(
            stage_due(d(State::Booked, office)),
            (day(2), DueKind::Appointment)
        );
        // Received at the centre: no transfer stage, the central one holds.
        static CENTRE: [(Stage, Date); 1] = [(Stage::CentralProcessing, day(6))];
        let centre = &CENTRE;
        assert_eq!(
            stage_due(d(State::Received, centre)),
            (day(6), DueKind::Stage(Stage::CentralProcessing))
        );
        // Nothing stored: the promised date.
        assert_eq!(
            stage_due(d(State::Approved, &[])),
            (day(11), DueKind::Promised)
        );
    }
}
