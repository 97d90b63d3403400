//! Confirmations of an old CMND/CCCD number (Giấy xác nhận số Chứng minh
//! nhân dân, số Căn cước công dân; Circular 59/2021/TT-BCA, Art. 12 as seed
//! 004 §5 cites it): a citizen asks, on the portal or at the desk, for a
//! paper confirming the old 9- or 12-digit number they held; the receiving
//! office checks its records and approves or refuses with a reason within
//! 7 working days.
//!
//! A request has a code of the dossier-code format ([`DossierCode`]), unique
//! across dossiers and confirmations (the `public_codes` registry of
//! migration 0019), so the ordinary status lookup answers it. The personal
//! ID, name and date of birth are kept as the request gave them; the
//! approval checks them and the old number against the population record
//! (`citizen_old_cmnd`) in its own transaction.

use std::fmt;

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::PartialDate;
use jiff::civil::Date;
use serde::Serialize;

use crate::model::citizen::CitizenId;
use crate::model::dossier::CodeSource;
use crate::model::officer::OfficerId;

/// Where a confirmation request stands (trạng thái yêu cầu xác nhận).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationState {
    /// Đã tiếp nhận yêu cầu: waiting for the office's check.
    Requested,
    /// Đã cấp giấy xác nhận.
    Approved,
    /// Từ chối (trả lời bằng văn bản, nêu rõ lý do).
    Refused,
}

impl ConfirmationState {
    /// Every state.
    pub const ALL: [ConfirmationState; 3] = [Self::Requested, Self::Approved, Self::Refused];

    /// Stable code stored in the database.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Refused => "refused",
        }
    }

    /// The state of a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Vietnamese label.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Self::Requested => "Đã tiếp nhận yêu cầu, đang xác minh",
            Self::Approved => "Đã cấp giấy xác nhận số CMND",
            Self::Refused => "Từ chối xác nhận",
        }
    }

    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Self::Requested => "Request received, being checked",
            Self::Approved => "Confirmation of the old number issued",
            Self::Refused => "Confirmation refused",
        }
    }

    /// Whether the request was decided (approved or refused).
    pub const fn is_decided(self) -> bool {
        !matches!(self, Self::Requested)
    }
}

/// How the request came in (kênh tiếp nhận).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationChannel {
    /// Cổng dịch vụ công: the citizen, on the portal.
    Portal,
    /// Tại bộ phận tiếp nhận: an officer at the desk.
    Desk,
}

impl ConfirmationChannel {
    /// Stable code stored in the database.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Portal => "portal",
            Self::Desk => "desk",
        }
    }

    /// The channel of a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        [Self::Portal, Self::Desk]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

/// An old CMND/CCCD number as claimed: 9 or 12 ASCII digits. Its `Debug`
/// is masked (`id::mask_any`), so a logged request never carries it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct OldNumber(String);

impl OldNumber {
    /// The number of `input` once spaces, dots and hyphens are removed:
    /// 9 or 12 ASCII digits, else `None`.
    pub fn parse(input: &str) -> Option<Self> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
            .collect();
        (matches!(digits.len(), 9 | 12) && digits.bytes().all(|b| b.is_ascii_digit()))
            .then_some(Self(digits))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OldNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OldNumber({})", cancuoc_core::id::mask_any(&self.0))
    }
}

impl fmt::Display for OldNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Input of [`crate::Store::request_confirmation`].
#[derive(Debug)]
pub struct NewConfirmation<'a> {
    /// The code: drawn by the store (again on a collision with a dossier's
    /// or another confirmation's code) or given.
    pub code: CodeSource<'a>,
    /// The receiving office (the office chosen on the portal, or the
    /// desk's own).
    pub office: u16,
    /// Số định danh cá nhân, as given.
    pub personal_id: PersonalId,
    /// Họ và tên, as given.
    pub full_name: String,
    /// Ngày sinh, as given.
    pub dob: PartialDate,
    /// The old number to confirm.
    pub old_number: OldNumber,
    /// Portal or desk.
    pub channel: ConfirmationChannel,
    /// The day the complete request was received (the deadline runs from it).
    pub received_on: Date,
    /// The due date (received + 7 working days, from the rules).
    pub promised_on: Date,
    /// When, epoch seconds.
    pub at: i64,
    /// The desk officer; `None` for the citizen on the portal.
    pub actor: Option<OfficerId>,
    /// The portal form's one-time captcha id: the same form sent twice is
    /// answered with the request its first sending made.
    pub presence: Option<String>,
}

/// One state change of a request (its audit trail).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfirmationEvent {
    /// 1, 2, …
    pub seq: i64,
    /// When, epoch seconds.
    pub at: i64,
    /// Who; `None` for the citizen on the portal.
    pub actor: Option<OfficerId>,
    /// The state reached.
    pub to: ConfirmationState,
    /// The refusal's reason.
    pub note: Option<String>,
}

/// A stored request with its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// Receiving office.
    pub office: u16,
    /// Số định danh cá nhân, as given.
    pub personal_id: PersonalId,
    /// Họ và tên, as given.
    pub full_name: String,
    /// Ngày sinh, as given.
    pub dob: PartialDate,
    /// The old number to confirm.
    pub old_number: OldNumber,
    /// Portal or desk.
    pub channel: ConfirmationChannel,
    /// Where it stands.
    pub state: ConfirmationState,
    /// The citizen on record, linked when approved.
    pub citizen: Option<CitizenId>,
    /// Why it was refused.
    pub refusal: Option<String>,
    /// The day the request was received.
    pub received_on: Date,
    /// Due date.
    pub promised_on: Date,
    /// When requested, epoch seconds.
    pub requested_at: i64,
    /// The desk officer who took it.
    pub requested_by: Option<OfficerId>,
    /// When decided, epoch seconds.
    pub decided_at: Option<i64>,
    /// The day decided (Vietnam), the date printed on the confirmation.
    pub decided_on: Option<Date>,
    /// Who decided.
    pub decided_by: Option<OfficerId>,
    /// The number of events.
    pub version: i64,
    /// The events, oldest first.
    pub events: Vec<ConfirmationEvent>,
}

impl Confirmation {
    /// Whether the due date has passed on `today` and it is not decided.
    pub fn is_overdue(&self, today: Date) -> bool {
        !self.state.is_decided() && self.promised_on < today
    }
}

/// The public status of a request: nothing derived from the person, as
/// [`crate::DossierStatus`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfirmationStatus {
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// Where it stands.
    pub state: ConfirmationState,
    /// The day the request was received.
    pub received_on: Date,
    /// Due date.
    pub promised_on: Date,
    /// The day decided.
    pub decided_on: Option<Date>,
    /// Receiving office number.
    pub office_code: u16,
    /// Receiving office name.
    pub office_name: String,
    /// Receiving office hotline.
    pub office_hotline: String,
}

impl ConfirmationStatus {
    /// Whether the due date has passed on `today` and it is not decided.
    pub fn is_overdue(&self, today: Date) -> bool {
        !self.state.is_decided() && self.promised_on < today
    }
}

/// The officer's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Cấp giấy xác nhận.
    Approve,
    /// Từ chối, with the reason written to the citizen.
    Refuse(String),
}

/// Input of [`crate::Store::decide_confirmation`].
#[derive(Clone, Debug)]
pub struct ConfirmationDecision {
    /// Which request.
    pub code: DossierCode,
    /// The deciding officer (same office as the request).
    pub officer: OfficerId,
    /// Approve or refuse.
    pub verdict: Verdict,
    /// When, epoch seconds.
    pub at: i64,
    /// The day, in Vietnam.
    pub on: Date,
}

/// Why the record does not support an approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordGap {
    /// No citizen with this personal ID on record.
    NoCitizen,
    /// The citizen's name or date of birth differ from the request.
    NameOrBirthDate,
    /// The old number is not on the citizen's record.
    OldNumber,
}

/// What [`crate::Store::decide_confirmation`] did.
#[derive(Clone, Debug)]
pub enum Decided {
    /// Decided; the request as it is now.
    Done(Box<Confirmation>),
    /// An approval the record does not support: nothing changed.
    NotOnRecord(RecordGap),
}
