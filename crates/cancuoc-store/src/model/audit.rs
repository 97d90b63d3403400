//! Audit-log entries (nhật ký kiểm tra): who did what to which record, and
//! when. Details are masked: no full personal ID number is ever written.

use serde::Serialize;

use super::officer::OfficerId;

/// One audit-log row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Epoch seconds.
    pub at: i64,
    /// The acting officer; `None` for the system or the citizen portal.
    pub officer: Option<OfficerId>,
    /// What was done, e.g. `dossier.transition`.
    pub action: String,
    /// The record, e.g. `dossier:0790…`, `citizen:12`.
    pub target: String,
    /// Masked details.
    pub details: String,
}
