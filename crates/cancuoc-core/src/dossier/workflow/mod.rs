//! The dossier state machine (quy trình xử lý hồ sơ cấp thẻ): states, roles,
//! office scopes, the static transition table, the pure transition check and
//! the event log that replays to the current state.
//!
//! The store persists dossiers and appends one [`DossierEvent`] per change;
//! this module decides whether a change is allowed, with the same answer for
//! the API, the officer console and the replay of a stored log.
//!
//! ```text
//! (new dossier)        → booked (citizen online, or receptionist) | received (walk-in)
//! booked               → received | refused* | cancelled (citizen; receptionist*)
//! received             → captured [complete capture record] | refused*
//! captured             → slip_issued
//! slip_issued          → commune_verification [population data changed]
//!                      | sent_to_centre       [population data unchanged]
//! commune_verification → sent_to_centre | rejected*          (commune police)
//! sent_to_centre       → approved (approver) | rejected* (processor, approver)
//! rejected             → captured [complete capture record]
//!                      | commune_verification* [changed] | sent_to_centre* [unchanged]
//!                      | cancelled*
//! approved             → printed → dispatched → ready_for_pickup | posted
//! posted               → returned [old document] | ready_for_pickup* (undeliverable)
//! ready_for_pickup     → returned [old document]
//! every open state     → cancelled* (admin)
//! * = reason required.  Terminal: refused, returned, cancelled.
//! ```
//!
//! A rejection (by the NPD centre, or by the commune police when the
//! population data cannot be verified) sends the dossier back to the
//! receiving office in state [`State::Rejected`]. The office then either
//! re-captures fingerprints/portrait (→ `captured`, then the normal path with
//! a fresh slip: the fee already collected is not charged twice, which is the
//! store's concern), resubmits the corrected dossier (→ `sent_to_centre`, or
//! → `commune_verification` when the correction changes population data,
//! with a note saying what was corrected), or cancels it with a reason.
//!
//! Sources: Circular 60/2021/TT-BCA Art. 4–5 and 11 (seeds 003, 004),
//! DESIGN.md §2.5. The roles and scopes are the project's reading of who does
//! each step at which office level; see [`TRANSITIONS`].

mod check;
mod event;
pub mod queue;
mod table;

pub use check::{
    OldDocument, Refusal, TransitionInput, WorkflowError, allowed_next, check_start,
    check_transition, next_states, start_states,
};
pub use event::{Actor, DossierEvent, DossierLog, ReplayError, replay};
pub use table::{Requirement, STARTS, Start, TRANSITIONS, Transition};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::i18n::Localized;

/// The state of a dossier (trạng thái hồ sơ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Đã đặt lịch hẹn: an appointment was booked (online or in person).
    Booked,
    /// Đã tiếp nhận: the application was received at the office.
    Received,
    /// Từ chối tiếp nhận: refused at reception, with a reason. Terminal.
    Refused,
    /// Đã thu nhận thông tin: fingerprints, portrait and features captured.
    Captured,
    /// Đã thu lệ phí, cấp giấy hẹn: fee settled, appointment slip issued.
    SlipIssued,
    /// Đang xác minh tại Công an cấp xã: population data changed and is being
    /// verified by the commune police of the citizen's residence.
    CommuneVerification,
    /// Đã chuyển Trung tâm dữ liệu quốc gia về dân cư: at the NPD centre.
    SentToCentre,
    /// Đã phê duyệt.
    Approved,
    /// Bị từ chối, trả về nơi tiếp nhận: rejected with a reason, back at the
    /// receiving office for correction.
    Rejected,
    /// Đã in thẻ.
    Printed,
    /// Đã chuyển phát về nơi tiếp nhận: card on its way to the office.
    Dispatched,
    /// Chờ trả thẻ: the card is at the office, waiting for the citizen.
    ReadyForPickup,
    /// Đã gửi bưu điện: the card was posted to the citizen.
    Posted,
    /// Đã trả thẻ: the card was handed over. Terminal.
    Returned,
    /// Đã hủy hồ sơ: cancelled with a reason. Terminal.
    Cancelled,
}

impl State {
    /// Every state, in workflow order.
    pub const ALL: [State; 15] = [
        Self::Booked,
        Self::Received,
        Self::Refused,
        Self::Captured,
        Self::SlipIssued,
        Self::CommuneVerification,
        Self::SentToCentre,
        Self::Approved,
        Self::Rejected,
        Self::Printed,
        Self::Dispatched,
        Self::ReadyForPickup,
        Self::Posted,
        Self::Returned,
        Self::Cancelled,
    ];

    /// Stable snake_case code (the serialized form).
    pub const fn code(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Received => "received",
            Self::Refused => "refused",
            Self::Captured => "captured",
            Self::SlipIssued => "slip_issued",
            Self::CommuneVerification => "commune_verification",
            Self::SentToCentre => "sent_to_centre",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Printed => "printed",
            Self::Dispatched => "dispatched",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::Posted => "posted",
            Self::Returned => "returned",
            Self::Cancelled => "cancelled",
        }
    }

    /// Vietnamese label, as shown to citizens.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Booked => "Đã đặt lịch hẹn",
            Self::Received => "Đã tiếp nhận",
            Self::Refused => "Từ chối tiếp nhận",
            Self::Captured => "Đã thu nhận thông tin",
            Self::SlipIssued => "Đã thu lệ phí, cấp giấy hẹn",
            Self::CommuneVerification => "Đang xác minh tại Công an cấp xã",
            Self::SentToCentre => "Đã chuyển Trung tâm dữ liệu quốc gia về dân cư",
            Self::Approved => "Đã phê duyệt",
            Self::Rejected => "Bị từ chối, trả về nơi tiếp nhận",
            Self::Printed => "Đã in thẻ",
            Self::Dispatched => "Đã chuyển phát về nơi tiếp nhận",
            Self::ReadyForPickup => "Chờ trả thẻ",
            Self::Posted => "Đã gửi bưu điện",
            Self::Returned => "Đã trả thẻ",
            Self::Cancelled => "Đã hủy hồ sơ",
        }
    }

    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Booked => "Appointment booked",
            Self::Received => "Received",
            Self::Refused => "Refused at reception",
            Self::Captured => "Information captured",
            Self::SlipIssued => "Fee paid, appointment slip issued",
            Self::CommuneVerification => "Under verification by the commune police",
            Self::SentToCentre => "Sent to the National Population Data Centre",
            Self::Approved => "Approved",
            Self::Rejected => "Rejected, returned to the receiving office",
            Self::Printed => "Card printed",
            Self::Dispatched => "Dispatched to the receiving office",
            Self::ReadyForPickup => "Ready for pickup",
            Self::Posted => "Sent by post",
            Self::Returned => "Card handed over",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Label in the given language.
    pub const fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::Vi => self.label_vi(),
            crate::i18n::Lang::En => self.label_en(),
        }
    }

    /// Which office the dossier is waiting on in this state (the one that
    /// must act next, for overdue lists per office); `None` for terminal
    /// states. Cards in transit (`dispatched`) count against the centre until
    /// the receiving office books them in; posted cards against the office.
    pub const fn waiting_on(self) -> Option<Scope> {
        match self {
            Self::Booked
            | Self::Received
            | Self::Captured
            | Self::SlipIssued
            | Self::Rejected
            | Self::ReadyForPickup
            | Self::Posted => Some(Scope::ReceivingOffice),
            Self::CommuneVerification => Some(Scope::ResidenceCommune),
            Self::SentToCentre | Self::Approved | Self::Printed | Self::Dispatched => {
                Some(Scope::Centre)
            }
            Self::Refused | Self::Returned | Self::Cancelled => None,
        }
    }

    /// True for the states nothing leaves: refused, returned, cancelled.
    pub const fn is_terminal(self) -> bool {
        matches!(self, Self::Refused | Self::Returned | Self::Cancelled)
    }

    /// True for the targets that stop a dossier or send it back instead of
    /// moving it on: refused at reception, rejected by the centre,
    /// cancelled. A front end offers them after, and less prominently
    /// than, the step forward.
    pub const fn is_setback(self) -> bool {
        matches!(self, Self::Refused | Self::Rejected | Self::Cancelled)
    }

    /// Whether the offices' legal deadline (thời hạn giải quyết, Law on
    /// Identification 2023 Art. 26) is running in this state: from
    /// reception until the card is ready for the citizen at the receiving
    /// office, or posted. It is not running while the dossier is only
    /// booked (nothing received yet), once the card is ready or posted
    /// (the days until the citizen collects it are the citizen's, shown
    /// apart as the pickup delay), nor in a terminal state. The one
    /// definition of "on time" used by the overdue lists, the dashboard,
    /// the queues, the portal and the API.
    pub const fn deadline_running(self) -> bool {
        matches!(
            self,
            Self::Received
                | Self::Captured
                | Self::SlipIssued
                | Self::CommuneVerification
                | Self::SentToCentre
                | Self::Approved
                | Self::Rejected
                | Self::Printed
                | Self::Dispatched
        )
    }

    /// Whether the card is done as far as the offices go: ready for
    /// pickup, posted, or handed over. The day it first got there
    /// (the transition out of `dispatched`) is the day the deadline is
    /// measured at.
    pub const fn card_ready(self) -> bool {
        matches!(self, Self::ReadyForPickup | Self::Posted | Self::Returned)
    }
}

/// An officer's role (vai trò), or the citizen acting for themself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Công dân: books and cancels their own appointment on the portal.
    Citizen,
    /// Cán bộ tiếp nhận, thu nhận thông tin (district/provincial office):
    /// reception, capture, fee and slip, sending on, handling rejections.
    Receptionist,
    /// Cán bộ Công an cấp xã: verifies changed population data.
    CommunePolice,
    /// Cán bộ xử lý tại Trung tâm dữ liệu quốc gia về dân cư: checks
    /// dossiers and may reject them; cannot approve.
    Processor,
    /// Lãnh đạo phê duyệt (NPD centre): approves or rejects.
    Approver,
    /// Cán bộ in thẻ.
    Printer,
    /// Cán bộ chuyển phát: sends printed cards back to the receiving office.
    Dispatcher,
    /// Cán bộ trả thẻ (receiving office): receives cards, posts them or hands
    /// them over.
    ReturnOfficer,
    /// Quản trị hệ thống: may only cancel a dossier, with a reason.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 9] = [
        Self::Citizen,
        Self::Receptionist,
        Self::CommunePolice,
        Self::Processor,
        Self::Approver,
        Self::Printer,
        Self::Dispatcher,
        Self::ReturnOfficer,
        Self::Admin,
    ];

    /// Stable snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Receptionist => "receptionist",
            Self::CommunePolice => "commune_police",
            Self::Processor => "processor",
            Self::Approver => "approver",
            Self::Printer => "printer",
            Self::Dispatcher => "dispatcher",
            Self::ReturnOfficer => "return_officer",
            Self::Admin => "admin",
        }
    }

    /// Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Citizen => "công dân",
            Self::Receptionist => "cán bộ tiếp nhận, thu nhận thông tin",
            Self::CommunePolice => "cán bộ Công an cấp xã",
            Self::Processor => "cán bộ xử lý tại Trung tâm dữ liệu quốc gia về dân cư",
            Self::Approver => "lãnh đạo phê duyệt",
            Self::Printer => "cán bộ in thẻ",
            Self::Dispatcher => "cán bộ chuyển phát",
            Self::ReturnOfficer => "cán bộ trả thẻ",
            Self::Admin => "quản trị hệ thống",
        }
    }

    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Receptionist => "receptionist",
            Self::CommunePolice => "commune police officer",
            Self::Processor => "NPD centre processor",
            Self::Approver => "approver",
            Self::Printer => "card printer",
            Self::Dispatcher => "dispatcher",
            Self::ReturnOfficer => "return officer",
            Self::Admin => "system administrator",
        }
    }
}

/// Where an actor must stand, relative to the dossier, to perform a
/// transition (phạm vi đơn vị).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Đơn vị tiếp nhận hồ sơ: the office that received the dossier
    /// (district or provincial police, or the NPD centre itself).
    ReceivingOffice,
    /// Công an cấp xã nơi công dân thường trú (or the district police where
    /// there is no commune level).
    ResidenceCommune,
    /// Trung tâm dữ liệu quốc gia về dân cư.
    Centre,
    /// Chính công dân có hồ sơ: the citizen the dossier is for.
    Holder,
    /// Toàn hệ thống: no office constraint (system administrators).
    Any,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 5] = [
        Self::ReceivingOffice,
        Self::ResidenceCommune,
        Self::Centre,
        Self::Holder,
        Self::Any,
    ];

    /// Stable snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::ReceivingOffice => "receiving_office",
            Self::ResidenceCommune => "residence_commune",
            Self::Centre => "centre",
            Self::Holder => "holder",
            Self::Any => "any",
        }
    }

    /// Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::ReceivingOffice => "đơn vị tiếp nhận hồ sơ",
            Self::ResidenceCommune => "Công an cấp xã nơi công dân thường trú",
            Self::Centre => "Trung tâm dữ liệu quốc gia về dân cư",
            Self::Holder => "chính công dân có hồ sơ",
            Self::Any => "toàn hệ thống",
        }
    }

    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::ReceivingOffice => "the receiving office",
            Self::ResidenceCommune => "the commune police of the citizen's residence",
            Self::Centre => "the National Population Data Centre",
            Self::Holder => "the citizen the dossier is for",
            Self::Any => "any office",
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Self::ReceivingOffice => 1,
            Self::ResidenceCommune => 2,
            Self::Centre => 4,
            Self::Holder => 8,
            Self::Any => 0,
        }
    }
}

/// How one actor relates to one dossier: the set of [`Scope`]s the actor
/// stands in. The store computes it from the office tree (an office may be
/// both the receiving office and the NPD centre, or both the receiving office
/// and the residence commune where there is no commune level).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ActorScope(u8);

impl ActorScope {
    /// Related to the dossier in no way (still satisfies [`Scope::Any`];
    /// `of(Scope::Any)` is this empty set too).
    pub const NONE: Self = Self(0);

    /// Standing in exactly `scope`.
    pub const fn of(scope: Scope) -> Self {
        Self(scope.bit())
    }

    /// This set plus `scope`.
    pub const fn with(self, scope: Scope) -> Self {
        Self(self.0 | scope.bit())
    }

    /// Whether an actor with this relation satisfies a rule's `required` scope.
    pub const fn satisfies(self, required: Scope) -> bool {
        match required {
            Scope::Any => true,
            s => self.0 & s.bit() != 0,
        }
    }
}

/// What kind of code could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// A [`State`] code.
    State,
    /// A [`Role`] code.
    Role,
    /// A [`Scope`] code.
    Scope,
}

/// An unknown state, role or scope code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind:?} code {input:?}; valid codes: {}", self.valid().join(", "))]
#[non_exhaustive]
pub struct UnknownCodeError {
    /// Which kind of code.
    pub kind: CodeKind,
    /// The text given.
    pub input: String,
}

impl UnknownCodeError {
    /// The valid codes of this kind.
    pub fn valid(&self) -> Vec<&'static str> {
        match self.kind {
            CodeKind::State => State::ALL.iter().map(|s| s.code()).collect(),
            CodeKind::Role => Role::ALL.iter().map(|s| s.code()).collect(),
            CodeKind::Scope => Scope::ALL.iter().map(|s| s.code()).collect(),
        }
    }
}

impl Localized for UnknownCodeError {
    fn code(&self) -> &'static str {
        match self.kind {
            CodeKind::State => "workflow.unknown_state",
            CodeKind::Role => "workflow.unknown_role",
            CodeKind::Scope => "workflow.unknown_scope",
        }
    }
    fn message_vi(&self) -> String {
        let what = match self.kind {
            CodeKind::State => "trạng thái",
            CodeKind::Role => "vai trò",
            CodeKind::Scope => "phạm vi",
        };
        format!(
            "Mã {what} không hợp lệ {:?}; các mã hợp lệ: {}",
            self.input,
            self.valid().join(", ")
        )
    }
    fn message_en(&self) -> String {
        let what = match self.kind {
            CodeKind::State => "state",
            CodeKind::Role => "role",
            CodeKind::Scope => "scope",
        };
        format!(
            "Unknown {what} code {:?}; valid codes: {}",
            self.input,
            self.valid().join(", ")
        )
    }
}

macro_rules! code_enum_traits {
    ($t:ty, $kind:expr) => {
        impl FromStr for $t {
            type Err = UnknownCodeError;
            /// Reads the stable snake_case code (surrounding spaces ignored).
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                <$t>::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == t)
                    .ok_or_else(|| UnknownCodeError {
                        kind: $kind,
                        input: s.to_owned(),
                    })
            }
        }
        impl fmt::Display for $t {
            /// The stable code.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_enum_traits!(State, CodeKind::State);
code_enum_traits!(Role, CodeKind::Role);
code_enum_traits!(Scope, CodeKind::Scope);

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_log;
