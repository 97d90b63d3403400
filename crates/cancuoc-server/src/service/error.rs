//! Errors of the service layer (lỗi nghiệp vụ): everything a use case can
//! fail with, wrapping the store, the workflow and the rules engine, plus
//! the service's own refusals (office scope, role, missing input).

use cancuoc_core::calendar::CalendarError;
use cancuoc_core::dossier::workflow::{Role, WorkflowError};
use cancuoc_core::i18n::Localized;
use cancuoc_core::rules::RulesError;
use cancuoc_store::StoreError;

/// What an officer tried to do, for refusals that name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Xem hồ sơ / danh sách của một đơn vị: read an office's dossiers.
    ViewOffice,
    /// Đăng ký công dân: register a citizen.
    RegisterCitizen,
    /// Lập hồ sơ: open a dossier.
    OpenDossier,
    /// Thu nhận vân tay, ảnh chân dung: record the capture.
    Capture,
    /// Xem hàng đợi công việc: see a work queue.
    WorkQueue,
    /// Xử lý hàng loạt: move many dossiers at once.
    BulkTransition,
}

impl Action {
    /// Vietnamese wording.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Action::ViewOffice => "xem hồ sơ của đơn vị",
            Action::RegisterCitizen => "đăng ký công dân",
            Action::OpenDossier => "lập hồ sơ",
            Action::Capture => "thu nhận vân tay, ảnh chân dung",
            Action::WorkQueue => "xem hàng đợi công việc",
            Action::BulkTransition => "xử lý hàng loạt bước này",
        }
    }
    /// English wording.
    pub const fn label_en(self) -> &'static str {
        match self {
            Action::ViewOffice => "view the dossiers of office",
            Action::RegisterCitizen => "register citizens",
            Action::OpenDossier => "open dossiers",
            Action::Capture => "record fingerprints and portrait",
            Action::WorkQueue => "see a work queue",
            Action::BulkTransition => "take this step in bulk",
        }
    }
}

/// Everything a use case of [`crate::service::Service`] can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The workflow does not allow the step (checked before the store is
    /// asked, with the officer's office scope from the cached office tree).
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    /// The rules engine could not answer (unknown code, kind/reason
    /// mismatch, date outside the regimes …).
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The working calendar cannot count that far (date outside its years).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// The officer's office does not cover the office acted on (ngoài phạm
    /// vi đơn vị).
    #[error("officer of office {officer_office} may not {} {target_office}", action.label_en())]
    OutOfScope {
        /// What was attempted.
        action: Action,
        /// The officer's office.
        officer_office: u16,
        /// The office acted on.
        target_office: u16,
    },
    /// The officer's role may not do this at all (sai vai trò).
    #[error("role {} may not {}", role.code(), action.label_en())]
    RoleNotAllowed {
        /// What was attempted.
        action: Action,
        /// The officer's role.
        role: Role,
        /// Roles that may.
        allowed: &'static [Role],
    },
    /// A failure inside the service that is no one's input (a task that
    /// panicked or was cancelled).
    #[error("internal error: {0}")]
    Internal(String),
    /// A request field is missing or unusable.
    #[error("invalid field {field}: {reason_en}")]
    Invalid {
        /// The field, as named in the API.
        field: &'static str,
        /// What is wrong, in Vietnamese.
        reason_vi: String,
        /// What is wrong, in English.
        reason_en: String,
    },
}

impl ServiceError {
    /// Shorthand for [`ServiceError::Invalid`].
    pub fn invalid(field: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        ServiceError::Invalid {
            field,
            reason_vi: vi.into(),
            reason_en: en.into(),
        }
    }

    /// Whether this refusal is about who is asking (office scope or role),
    /// as opposed to what is asked (HTTP: 403 rather than 4xx/409).
    pub fn is_forbidden(&self) -> bool {
        match self {
            ServiceError::OutOfScope { .. } | ServiceError::RoleNotAllowed { .. } => true,
            ServiceError::Workflow(w) => workflow_forbids(w.code()),
            ServiceError::Store(StoreError::Invalid(cancuoc_store::Invalid::Transition {
                code,
                ..
            })) => workflow_forbids(code),
            _ => false,
        }
    }
}

/// Workflow refusals about the actor (role, office scope) rather than the
/// dossier.
pub fn workflow_forbids(code: &str) -> bool {
    matches!(code, "workflow.wrong_role" | "workflow.out_of_scope")
}

fn roles_vi(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label_vi())
        .collect::<Vec<_>>()
        .join(", ")
}

fn roles_en(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label_en())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Localized for ServiceError {
    fn code(&self) -> &'static str {
        match self {
            ServiceError::Store(e) => e.code(),
            ServiceError::Workflow(e) => e.code(),
            ServiceError::Rules(e) => e.code(),
            ServiceError::Calendar(e) => e.code(),
            ServiceError::OutOfScope { .. } => "service.out_of_scope",
            ServiceError::RoleNotAllowed { .. } => "service.role_not_allowed",
            ServiceError::Invalid { .. } => "service.invalid_field",
            ServiceError::Internal(_) => "service.internal",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            ServiceError::Store(e) => e.message_vi(),
            ServiceError::Workflow(e) => e.message_vi(),
            ServiceError::Rules(e) => e.message_vi(),
            ServiceError::Calendar(e) => e.message_vi(),
            ServiceError::OutOfScope {
                action,
                officer_office,
                target_office,
            } => format!(
                "Cán bộ thuộc đơn vị {officer_office} không được {} {target_office}: ngoài phạm vi đơn vị của bạn",
                action.label_vi()
            ),
            ServiceError::RoleNotAllowed {
                action,
                role,
                allowed,
            } => format!(
                "Vai trò \"{}\" không được {}; chỉ: {}",
                role.label_vi(),
                action.label_vi(),
                roles_vi(allowed)
            ),
            ServiceError::Invalid {
                field, reason_vi, ..
            } => format!("Trường {field} không hợp lệ: {reason_vi}"),
            ServiceError::Internal(e) => format!("Lỗi nội bộ: {e}"),
        }
    }

    fn message_en(&self) -> String {
        match self {
            ServiceError::Store(e) => e.message_en(),
            ServiceError::Workflow(e) => e.message_en(),
            ServiceError::Rules(e) => e.message_en(),
            ServiceError::Calendar(e) => e.message_en(),
            ServiceError::OutOfScope {
                action,
                officer_office,
                target_office,
            } => format!(
                "An officer of office {officer_office} may not {} {target_office}: outside your office's scope",
                action.label_en()
            ),
            ServiceError::RoleNotAllowed {
                action,
                role,
                allowed,
            } => format!(
                "Role \"{}\" may not {}; only: {}",
                role.label_en(),
                action.label_en(),
                roles_en(allowed)
            ),
            ServiceError::Invalid {
                field, reason_en, ..
            } => format!("Invalid field {field}: {reason_en}"),
            ServiceError::Internal(e) => format!("Internal error: {e}"),
        }
    }
}
