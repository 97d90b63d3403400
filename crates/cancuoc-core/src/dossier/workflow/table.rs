//! The static transition table (bảng chuyển trạng thái): every allowed
//! `from → to` step with the role that may take it, the office scope it must
//! be taken from and the input it requires. One row per role, so the table
//! answers "who may press which button" directly.

use serde::Serialize;

use super::{Role, Scope, State};

/// Input a transition cannot be taken without.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// A non-blank note giving the reason (lý do): refusals, rejections,
    /// cancellations, resubmissions after correction, failed delivery.
    Reason,
    /// A complete capture record (13 fingerprint slots, accepted portrait,
    /// identifying features).
    CompleteCapture,
    /// The dossier changes population data (so the commune police verify).
    PopulationChanged,
    /// The dossier changes no population data (so it goes straight on).
    PopulationUnchanged,
    /// What happened to the old CMND/CCCD (collected, or none to collect).
    OldDocument,
}

/// One allowed step of the workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Transition {
    /// State the dossier is in.
    pub from: State,
    /// State it moves to.
    pub to: State,
    /// Role that may take the step.
    pub role: Role,
    /// Where the actor must stand relative to the dossier.
    pub scope: Scope,
    /// Input the step needs.
    pub requires: &'static [Requirement],
}

/// One way a dossier may come into existence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Start {
    /// The first state.
    pub to: State,
    /// Role that may create it.
    pub role: Role,
    /// Where the creator must stand.
    pub scope: Scope,
}

use Requirement as Q;
use Role as R;
use Scope as S;
use State as St;

const fn t(
    from: State,
    to: State,
    role: Role,
    scope: Scope,
    requires: &'static [Requirement],
) -> Transition {
    Transition {
        from,
        to,
        role,
        scope,
        requires,
    }
}

const REASON: &[Requirement] = &[Q::Reason];
const NONE: &[Requirement] = &[];

/// How dossiers start: booked online by the citizen or in person at the
/// office, or received directly from a walk-in (no booking).
pub const STARTS: &[Start] = &[
    Start {
        to: St::Booked,
        role: R::Citizen,
        scope: S::Holder,
    },
    Start {
        to: St::Booked,
        role: R::Receptionist,
        scope: S::ReceivingOffice,
    },
    Start {
        to: St::Received,
        role: R::Receptionist,
        scope: S::ReceivingOffice,
    },
];

/// Every allowed transition. Not listed = not allowed; terminal states
/// ([`State::is_terminal`]) appear in no `from`.
#[rustfmt::skip]
pub const TRANSITIONS: &[Transition] = &[
    // Reception (Circular 60/2021 Art. 4): accept, or refuse with a reason.
    t(St::Booked, St::Received, R::Receptionist, S::ReceivingOffice, NONE),
    t(St::Booked, St::Refused, R::Receptionist, S::ReceivingOffice, REASON),
    t(St::Booked, St::Cancelled, R::Citizen, S::Holder, NONE),
    t(St::Booked, St::Cancelled, R::Receptionist, S::ReceivingOffice, REASON),
    t(St::Received, St::Refused, R::Receptionist, S::ReceivingOffice, REASON),
    // Information capture (Art. 5 §1 i–vi).
    t(St::Received, St::Captured, R::Receptionist, S::ReceivingOffice, &[Q::CompleteCapture]),
    // Fee and appointment slip (Art. 5 §1 vii–viii).
    t(St::Captured, St::SlipIssued, R::Receptionist, S::ReceivingOffice, NONE),
    // Hand-over the same working day: to the commune police when population
    // data changed (they verify within 1 working day), else to the centre.
    t(St::SlipIssued, St::CommuneVerification, R::Receptionist, S::ReceivingOffice, &[Q::PopulationChanged]),
    t(St::SlipIssued, St::SentToCentre, R::Receptionist, S::ReceivingOffice, &[Q::PopulationUnchanged]),
    t(St::CommuneVerification, St::SentToCentre, R::CommunePolice, S::ResidenceCommune, NONE),
    t(St::CommuneVerification, St::Rejected, R::CommunePolice, S::ResidenceCommune, REASON),
    // Central processing and approval: a processor may reject, only an
    // approver approves.
    t(St::SentToCentre, St::Approved, R::Approver, S::Centre, NONE),
    t(St::SentToCentre, St::Rejected, R::Approver, S::Centre, REASON),
    t(St::SentToCentre, St::Rejected, R::Processor, S::Centre, REASON),
    // Back at the receiving office after a rejection.
    t(St::Rejected, St::Captured, R::Receptionist, S::ReceivingOffice, &[Q::CompleteCapture]),
    t(St::Rejected, St::CommuneVerification, R::Receptionist, S::ReceivingOffice, &[Q::Reason, Q::PopulationChanged]),
    t(St::Rejected, St::SentToCentre, R::Receptionist, S::ReceivingOffice, &[Q::Reason, Q::PopulationUnchanged]),
    t(St::Rejected, St::Cancelled, R::Receptionist, S::ReceivingOffice, REASON),
    // Printing and dispatch back to the receiving office.
    t(St::Approved, St::Printed, R::Printer, S::Centre, NONE),
    t(St::Printed, St::Dispatched, R::Dispatcher, S::Centre, NONE),
    // Return (Art. 5, step 4): at the office, or by post at the citizen's cost.
    t(St::Dispatched, St::ReadyForPickup, R::ReturnOfficer, S::ReceivingOffice, NONE),
    t(St::Dispatched, St::Posted, R::ReturnOfficer, S::ReceivingOffice, NONE),
    t(St::Posted, St::ReadyForPickup, R::ReturnOfficer, S::ReceivingOffice, REASON),
    t(St::ReadyForPickup, St::Returned, R::ReturnOfficer, S::ReceivingOffice, &[Q::OldDocument]),
    t(St::Posted, St::Returned, R::ReturnOfficer, S::ReceivingOffice, &[Q::OldDocument]),
    // An administrator may cancel any open dossier, with a reason.
    t(St::Booked, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::Received, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::Captured, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::SlipIssued, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::CommuneVerification, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::SentToCentre, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::Approved, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::Rejected, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::Printed, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::Dispatched, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::ReadyForPickup, St::Cancelled, R::Admin, S::Any, REASON),
    t(St::Posted, St::Cancelled, R::Admin, S::Any, REASON),
];
