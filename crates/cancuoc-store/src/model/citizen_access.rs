//! Scoped, audited reads of citizen records (truy cập hồ sơ công dân): which
//! citizens a reader may see ([`CitizenScope`], decided by the service from
//! the office tree), who reads and why ([`CitizenAccess`], written to the
//! audit log in the read's own transaction), and what a read found
//! ([`CitizenRead`]). The store applies a scope as given; it does not decide
//! who gets which.

use cancuoc_core::id::PersonalId;

use super::citizen::{Citizen, CitizenId};
use super::officer::OfficerId;

/// Which citizens a reader may see (phạm vi đọc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CitizenScope {
    /// Every citizen.
    All,
    /// Citizens with an open dossier (hồ sơ đang xử lý) received at any
    /// office.
    OpenDossierAnywhere,
    /// Citizens with an open dossier received at one of these offices (none
    /// when the list is empty).
    OpenDossierAt(Vec<u16>),
}

/// How a single read names its citizen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CitizenKey {
    /// The record id.
    Id(CitizenId),
    /// Số định danh cá nhân.
    PersonalId(PersonalId),
}

impl CitizenKey {
    /// How the record was named, for the audit row (never the number).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            CitizenKey::Id(_) => "record",
            CitizenKey::PersonalId(_) => "personal_id",
        }
    }
}

/// Why an officer reads citizen records (mục đích truy cập): the audit
/// row's stated purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReadPurpose {
    /// Tiếp nhận: the desk identifies an applicant by the number they give.
    Reception,
    /// Lập hồ sơ: the form that opens the applicant's dossier.
    OpenDossier,
    /// Xem hồ sơ: the applicant of a dossier the officer reads.
    Dossier,
    /// Tra cứu: a name search at the desk.
    Search,
    /// In phiếu thu nhận: the receipt form printed for the applicant to
    /// check and sign, with their full name and number.
    PrintReceipt,
    /// A read through the REST API.
    ApiRead,
    /// A name search through the REST API.
    ApiSearch,
}

impl ReadPurpose {
    /// Stable code, as written to the audit log.
    pub const fn code(self) -> &'static str {
        match self {
            ReadPurpose::Reception => "reception",
            ReadPurpose::OpenDossier => "open_dossier",
            ReadPurpose::Dossier => "dossier",
            ReadPurpose::Search => "search",
            ReadPurpose::PrintReceipt => "print_receipt",
            ReadPurpose::ApiRead => "api_read",
            ReadPurpose::ApiSearch => "api_search",
        }
    }
}

/// Who reads, why, and within which scope.
#[derive(Clone, Copy, Debug)]
pub struct CitizenAccess<'a> {
    /// The reading officer.
    pub officer: OfficerId,
    /// Why (the audit row's purpose).
    pub purpose: ReadPurpose,
    /// What the officer may see.
    pub scope: &'a CitizenScope,
    /// When, epoch seconds.
    pub at: i64,
}

/// What a scoped read found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "a read is made, matched and dropped at once, and nearly every one is granted: boxing the record would add an allocation to the common case to shrink the rare refusal"
)]
pub enum CitizenRead {
    /// The record, read within scope (audited as `citizen.read`).
    Granted(Citizen),
    /// The record exists outside the reader's scope (audited as
    /// `citizen.read_refused`); nothing of it is returned.
    OutOfScope,
}
