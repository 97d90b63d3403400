//! Errors of the service layer (lỗi nghiệp vụ): everything a use case can
//! fail with, wrapping the store, the workflow and the rules engine, plus
//! the service's own refusals (office scope, role, missing input).

use cancuoc_core::calendar::CalendarError;
use cancuoc_core::dossier::workflow::{Refusal, Role, WorkflowError};
use cancuoc_core::i18n::Localized;
use cancuoc_core::rules::RulesError;
use cancuoc_store::CaptchaCheck;
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
    /// Quản lý tài khoản định danh điện tử của công dân: grant level 2,
    /// lower it, lock or unlock a citizen's account.
    ManageAccount,
    /// Quản lý kênh hỏi đáp: see and retry the channels' dead letters.
    ManageChannels,
    /// Trả lời tin nhắn của công dân: answer citizens in the chat inbox.
    AnswerChats,
    /// Báo mất thẻ: report a citizen's card lost.
    ReportCardLost,
    /// Xác nhận số CMND cũ: take, check and decide requests to confirm an
    /// old ID number.
    ConfirmCmnd,
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
            Action::ManageAccount => "quản lý tài khoản định danh điện tử của công dân",
            Action::ManageChannels => "quản lý tin nhắn gửi đi của các kênh",
            Action::AnswerChats => "trả lời tin nhắn của công dân",
            Action::ReportCardLost => "báo mất thẻ của công dân",
            Action::ConfirmCmnd => "xác nhận số CMND cũ",
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
            Action::ManageAccount => "manage citizens' identity accounts",
            Action::ManageChannels => "manage the channels' outgoing messages",
            Action::AnswerChats => "answer citizens' messages",
            Action::ReportCardLost => "report a citizen's card lost",
            Action::ConfirmCmnd => "confirm old ID numbers",
        }
    }
}

/// What a client did too much of, for [`ServiceError::Limited`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// Status lookups (tra cứu).
    Lookups,
    /// Dossier codes asked for that do not exist: a walk of the codes.
    CodeWalk,
    /// Wrong dates of birth or ID digits for this dossier code.
    SecondFactor,
    /// Booking attempts (đặt lịch).
    Bookings,
    /// Wrong phone numbers for this booking code (mã lịch hẹn): its
    /// booking, declaration and changes lock.
    BookingPhone,
    /// Appointments looked up by code and phone (quản lý lịch hẹn, tờ khai).
    BookingLookups,
    /// Security-code challenges (mã xác nhận).
    Captchas,
    /// Spoken security codes.
    Audio,
    /// Wrong passwords of identity accounts.
    AccountLogins,
    /// Wrong one-time codes of identity accounts.
    AccountCodes,
    /// The accounts' public forms (register, forgotten password, lock).
    AccountForms,
}

impl Limit {
    /// Vietnamese: what was done too often.
    const fn label_vi(self) -> &'static str {
        match self {
            Limit::Lookups => "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn",
            Limit::CodeWalk => "Bạn đã tra cứu quá nhiều mã hồ sơ không tồn tại",
            Limit::SecondFactor => {
                "Ngày sinh hoặc số định danh đã bị nhập sai quá nhiều lần cho mã hồ sơ này"
            }
            Limit::Bookings => "Bạn đã đặt lịch quá nhiều lần trong thời gian ngắn",
            Limit::BookingPhone => "Số điện thoại đã bị nhập sai quá nhiều lần cho mã lịch hẹn này",
            Limit::BookingLookups => "Bạn đã tra cứu lịch hẹn quá nhiều lần trong thời gian ngắn",
            Limit::Captchas => "Bạn đã yêu cầu quá nhiều mã xác nhận trong thời gian ngắn",
            Limit::Audio => "Bạn đã nghe quá nhiều mã xác nhận trong thời gian ngắn",
            Limit::AccountLogins => "Mật khẩu đã bị nhập sai quá nhiều lần",
            Limit::AccountCodes => "Mã xác thực đã bị nhập sai quá nhiều lần",
            Limit::AccountForms => "Bạn đã gửi quá nhiều yêu cầu về tài khoản trong thời gian ngắn",
        }
    }
    /// English: what was done too often.
    const fn label_en(self) -> &'static str {
        match self {
            Limit::Lookups => "Too many lookups in a short time",
            Limit::CodeWalk => "Too many dossier codes that do not exist were looked up",
            Limit::SecondFactor => {
                "The date of birth or ID number was entered wrongly too many times for this dossier code"
            }
            Limit::Bookings => "Too many bookings in a short time",
            Limit::BookingPhone => {
                "The phone number was entered wrongly too many times for this booking code"
            }
            Limit::BookingLookups => "Too many appointment lookups in a short time",
            Limit::Captchas => "Too many security codes asked for in a short time",
            Limit::Audio => "Too many spoken security codes in a short time",
            Limit::AccountLogins => "The password was entered wrongly too many times",
            Limit::AccountCodes => "The verification code was entered wrongly too many times",
            Limit::AccountForms => "Too many account requests in a short time",
        }
    }
    /// The error code.
    const fn code(self) -> &'static str {
        match self {
            Limit::Lookups => "limit.lookups",
            Limit::CodeWalk => "limit.code_walk",
            Limit::SecondFactor => "limit.second_factor",
            Limit::Bookings => "limit.bookings",
            Limit::BookingPhone => "limit.booking_phone",
            Limit::BookingLookups => "limit.booking_lookups",
            Limit::Captchas => "limit.captchas",
            Limit::Audio => "limit.audio",
            Limit::AccountLogins => "limit.account_logins",
            Limit::AccountCodes => "limit.account_codes",
            Limit::AccountForms => "limit.account_forms",
        }
    }
}

/// The closed classes every service error falls in (loại lỗi). Front ends
/// map a class to their own answer — REST to a status, a web page to a
/// page, an IVR or chat dialogue to a sentence — and never look at error
/// codes to decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// What was asked for does not exist (không tìm thấy).
    NotFound,
    /// The request contradicts what is stored now: a stale version, a
    /// taken key, a full slot, a step the current state does not allow
    /// (xung đột).
    Conflict,
    /// The input was read but is not acceptable (dữ liệu không hợp lệ).
    Invalid,
    /// The caller may not do this: role or office scope (không có quyền).
    Forbidden,
    /// The caller is not who they must be: wrong credentials or code, no
    /// session (chưa xác thực).
    Unauthenticated,
    /// The service cannot answer now and the same request may succeed
    /// later: the database is down or busy (tạm thời không phục vụ).
    Unavailable,
    /// A fault of the service itself: corrupt data, a failed task, a bug
    /// (lỗi nội bộ). Its cause is logged, never shown.
    Internal,
    /// The client asked too often, or failed too often; the same request
    /// may succeed after [`ServiceError::retry_after`] (quá số lần cho
    /// phép).
    Limited,
}

/// Everything a use case of [`crate::Service`] can fail with.
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
    /// The appointment slot asked for is not offered (outside the window,
    /// a closed day, no such slot).
    #[error(transparent)]
    Slot(#[from] cancuoc_core::booking::SlotRefusal),
    /// A failure inside the service that is no one's input (a task that
    /// panicked or was cancelled).
    #[error("internal error: {0}")]
    Internal(String),
    /// The date of birth or ID digits given to see who a dossier's
    /// applicant is are not theirs (không khớp).
    #[error("the second factor does not match the dossier's applicant")]
    FactorMismatch,
    /// The captcha a public request must carry was not solved (wrong,
    /// expired, already used or unknown); it is spent either way.
    #[error("captcha not solved: {}", .0.code())]
    Captcha(cancuoc_store::CaptchaCheck),
    /// The client asked or failed too often (see `crate::guard`).
    #[error("limited: {}", limit.label_en())]
    Limited {
        /// What was done too often.
        limit: Limit,
        /// Seconds until the client may try again.
        retry_after_secs: u64,
    },
    /// A field of a request breaks a rule of the service (a citizen's name,
    /// phone, personal ID against the date of birth …), with the rule's
    /// own code.
    #[error("invalid field {}: {}", .0.field, .0.message_en)]
    Field(crate::FieldProblem),
    /// The citizen's record lies outside the officer's scope (ngoài phạm vi
    /// đọc hồ sơ công dân; see `OfficeTree::citizen_scope`).
    #[error("officer of office {officer_office} may not read this citizen's record")]
    CitizenOutOfScope {
        /// The officer's office.
        officer_office: u16,
    },
    /// Several fields of a form break its rules: all of them, so the form
    /// shows every problem at once.
    #[error("invalid fields: {}", .0.iter().map(|p| p.field).collect::<Vec<_>>().join(", "))]
    Fields(Vec<crate::FieldProblem>),
    /// An identity account's request was refused (see
    /// [`crate::eid::AccountError`] for what each answer may reveal).
    #[error("account: {}", .0.message_en())]
    Account(crate::eid::AccountError),
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

impl From<crate::eid::AccountError> for ServiceError {
    fn from(e: crate::eid::AccountError) -> Self {
        ServiceError::Account(e)
    }
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

    /// The class of this error, the one thing front ends decide on.
    pub fn class(&self) -> ErrorClass {
        match self {
            ServiceError::Store(e) => store_class(e),
            ServiceError::Workflow(w) => workflow_class(w.refusal()),
            ServiceError::Rules(RulesError::Data { .. }) => ErrorClass::Internal,
            ServiceError::Rules(_)
            | ServiceError::Calendar(_)
            | ServiceError::Invalid { .. }
            | ServiceError::Field(_)
            | ServiceError::Fields(_)
            | ServiceError::Captcha(_)
            | ServiceError::Slot(_) => ErrorClass::Invalid,
            ServiceError::OutOfScope { .. }
            | ServiceError::RoleNotAllowed { .. }
            | ServiceError::CitizenOutOfScope { .. }
            | ServiceError::FactorMismatch => ErrorClass::Forbidden,
            ServiceError::Internal(_) => ErrorClass::Internal,
            ServiceError::Limited { .. } => ErrorClass::Limited,
            ServiceError::Account(e) => e.class(),
        }
    }

    /// Seconds until the same request may succeed, for a
    /// [`ErrorClass::Limited`] error (a front end's `Retry-After`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ServiceError::Limited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            ServiceError::Account(e) => e.retry_after(),
            _ => None,
        }
    }

    /// Shorthand for [`ServiceError::Limited`].
    pub(crate) fn limited(limit: Limit, retry_after_secs: u64) -> Self {
        ServiceError::Limited {
            limit,
            retry_after_secs,
        }
    }

    /// This error and its sources, `outer: inner: …`, for a log line
    /// (never for a citizen's screen: it may name tables and drivers).
    pub fn chain(&self) -> String {
        cause_chain(self)
    }

    /// Whether the dossier changed since the caller read it (a stale
    /// version: another officer acted first). A conflict a page explains
    /// on its own.
    pub fn is_stale_version(&self) -> bool {
        matches!(
            self,
            ServiceError::Store(StoreError::Conflict(
                cancuoc_store::Conflict::StaleVersion { .. }
            ))
        )
    }

    /// Whether a unique key is already taken (a personal ID already
    /// registered …).
    pub fn is_duplicate(&self) -> bool {
        matches!(self, ServiceError::Store(e) if e.is_duplicate())
    }

    /// Whether this refusal is about who is asking (office scope or role),
    /// as opposed to what is asked.
    pub fn is_forbidden(&self) -> bool {
        self.class() == ErrorClass::Forbidden
    }
}

/// An error and its sources, `outer: inner: …`; a source whose text the
/// outer error already ends with (a transparent wrapper) is not repeated.
pub fn cause_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        let text = s.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = s.source();
    }
    out
}

/// The class of a store error.
fn store_class(e: &StoreError) -> ErrorClass {
    use cancuoc_store::Invalid;
    if e.is_unavailable() {
        return ErrorClass::Unavailable;
    }
    match e {
        StoreError::NotFound { .. } => ErrorClass::NotFound,
        StoreError::Conflict(_) => ErrorClass::Conflict,
        StoreError::Invalid(Invalid::Transition { refusal, .. }) => workflow_class(*refusal),
        // A bad database URL is the operator's, not the caller's.
        StoreError::Invalid(Invalid::Url { .. }) => ErrorClass::Internal,
        StoreError::Invalid(_) => ErrorClass::Invalid,
        _ => ErrorClass::Internal,
    }
}

/// Workflow refusals: about the actor (role, office scope) → forbidden;
/// the dossier's state does not allow the step → conflict; a missing
/// requirement (a reason, the capture …) → invalid.
fn workflow_class(refusal: Refusal) -> ErrorClass {
    match refusal {
        Refusal::Actor => ErrorClass::Forbidden,
        Refusal::State => ErrorClass::Conflict,
        Refusal::Requirement => ErrorClass::Invalid,
    }
}

/// A wait in words: seconds under two minutes, then minutes, then hours.
pub(crate) fn wait_vi(secs: u64) -> String {
    match secs {
        0..120 => format!("{secs} giây"),
        120..7200 => format!("{} phút", secs.div_ceil(60)),
        _ => format!("{} giờ", secs.div_ceil(3600)),
    }
}

pub(crate) fn wait_en(secs: u64) -> String {
    match secs {
        0..120 => format!("{secs} seconds"),
        120..7200 => format!("{} minutes", secs.div_ceil(60)),
        _ => format!("{} hours", secs.div_ceil(3600)),
    }
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
            ServiceError::Slot(e) => e.code(),
            ServiceError::OutOfScope { .. } => "service.out_of_scope",
            ServiceError::RoleNotAllowed { .. } => "service.role_not_allowed",
            ServiceError::Invalid { .. } => "service.invalid_field",
            ServiceError::Field(p) => p.code,
            ServiceError::Fields(ps) => ps.first().map_or("service.invalid_field", |p| p.code),
            ServiceError::Account(e) => e.code(),
            ServiceError::CitizenOutOfScope { .. } => "service.citizen_out_of_scope",
            ServiceError::Internal(_) => "service.internal",
            ServiceError::Limited { limit, .. } => limit.code(),
            ServiceError::FactorMismatch => "status.factor_mismatch",
            ServiceError::Captcha(c) => match c {
                CaptchaCheck::Wrong | CaptchaCheck::Solved => "captcha.wrong",
                CaptchaCheck::Expired => "captcha.expired",
                CaptchaCheck::Used => "captcha.used",
                CaptchaCheck::Unknown => "captcha.unknown",
            },
        }
    }

    fn message_vi(&self) -> String {
        match self {
            ServiceError::Store(e) => e.message_vi(),
            ServiceError::Workflow(e) => e.message_vi(),
            ServiceError::Rules(e) => e.message_vi(),
            ServiceError::Calendar(e) => e.message_vi(),
            ServiceError::Slot(e) => e.message_vi(),
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
                allowed: [],
            } => format!(
                "Vai trò \"{}\" không được {}: không vai trò nào làm việc này",
                role.label_vi(),
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
            ServiceError::Field(p) => format!("Trường {} không hợp lệ: {}", p.field, p.message_vi),
            ServiceError::Fields(ps) => ps
                .iter()
                .map(|p| format!("Trường {} không hợp lệ: {}", p.field, p.message_vi))
                .collect::<Vec<_>>()
                .join("; "),
            ServiceError::Account(e) => e.message_vi(),
            ServiceError::CitizenOutOfScope { officer_office } => format!(
                "Cán bộ thuộc đơn vị {officer_office:04} không được xem hồ sơ công dân này: chỉ xem được công dân có hồ sơ đang xử lý tại đơn vị trong phạm vi của mình (bộ phận tiếp nhận xem được công dân xuất trình số định danh của mình)"
            ),
            ServiceError::Internal(e) => format!("Lỗi nội bộ: {e}"),
            ServiceError::FactorMismatch => {
                "Ngày sinh hoặc 4 số cuối số định danh không khớp với người nộp hồ sơ này".into()
            }
            ServiceError::Captcha(c) => match c {
                CaptchaCheck::Wrong | CaptchaCheck::Solved => {
                    "Mã xác nhận chưa đúng; hãy nhập mã mới".into()
                }
                CaptchaCheck::Expired => format!(
                    "Mã xác nhận đã hết hạn (mỗi mã chỉ dùng được trong {} phút); hãy nhập mã mới",
                    crate::CAPTCHA_TTL_SECS / 60
                ),
                CaptchaCheck::Used => {
                    "Mã xác nhận này đã được dùng (mỗi mã chỉ dùng một lần); hãy nhập mã mới".into()
                }
                CaptchaCheck::Unknown => {
                    "Thiếu mã xác nhận hoặc không tìm thấy mã; hãy nhập mã mới".into()
                }
            },
            ServiceError::Limited {
                limit,
                retry_after_secs,
            } => format!(
                "{}. Vui lòng thử lại sau {}.",
                limit.label_vi(),
                wait_vi(*retry_after_secs)
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            ServiceError::Store(e) => e.message_en(),
            ServiceError::Workflow(e) => e.message_en(),
            ServiceError::Rules(e) => e.message_en(),
            ServiceError::Calendar(e) => e.message_en(),
            ServiceError::Slot(e) => e.message_en(),
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
                allowed: [],
            } => format!(
                "Role \"{}\" may not {}: no role does this",
                role.label_en(),
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
            ServiceError::Field(p) => format!("Field {} is invalid: {}", p.field, p.message_en),
            ServiceError::Fields(ps) => ps
                .iter()
                .map(|p| format!("Field {} is invalid: {}", p.field, p.message_en))
                .collect::<Vec<_>>()
                .join("; "),
            ServiceError::Account(e) => e.message_en(),
            ServiceError::CitizenOutOfScope { officer_office } => format!(
                "An officer of office {officer_office:04} may not read this citizen's record: only citizens with an open dossier at an office within your scope (a reception desk may read the citizen who gives their own personal ID number)"
            ),
            ServiceError::Internal(e) => format!("Internal error: {e}"),
            ServiceError::FactorMismatch => {
                "The date of birth or the last 4 digits of the ID number do not match this dossier's applicant"
                    .into()
            }
            ServiceError::Captcha(c) => match c {
                CaptchaCheck::Wrong | CaptchaCheck::Solved => {
                    "The security code is not right; please type the new one".into()
                }
                CaptchaCheck::Expired => format!(
                    "The security code has expired (each code lasts {} minutes); please type the new one",
                    crate::CAPTCHA_TTL_SECS / 60
                ),
                CaptchaCheck::Used => {
                    "This security code was already used (each code works once); please type the new one".into()
                }
                CaptchaCheck::Unknown => {
                    "The security code is missing or was not found; please type the new one".into()
                }
            },
            ServiceError::Limited {
                limit,
                retry_after_secs,
            } => format!(
                "{}. Please try again in {}.",
                limit.label_en(),
                wait_en(*retry_after_secs)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_store::{Conflict, Entity, Invalid};

    fn store(e: StoreError) -> ServiceError {
        ServiceError::Store(e)
    }

    #[test]
    fn every_error_falls_in_its_class() {
        let cases: Vec<(ServiceError, ErrorClass)> = vec![
            (
                store(StoreError::NotFound {
                    what: Entity::Dossier,
                    key: "x".into(),
                }),
                ErrorClass::NotFound,
            ),
            (
                store(StoreError::Conflict(Conflict::StaleVersion {
                    code: "c".into(),
                    expected: 1,
                    actual: 2,
                })),
                ErrorClass::Conflict,
            ),
            (
                store(StoreError::Invalid(Invalid::Field {
                    field: "name",
                    reason: "blank".into(),
                })),
                ErrorClass::Invalid,
            ),
            (
                store(StoreError::Invalid(Invalid::Transition {
                    refusal: Refusal::Actor,
                    code: "workflow.wrong_role",
                    message_vi: String::new(),
                    message_en: String::new(),
                })),
                ErrorClass::Forbidden,
            ),
            (
                store(StoreError::Invalid(Invalid::Transition {
                    refusal: Refusal::State,
                    code: "workflow.not_allowed",
                    message_vi: String::new(),
                    message_en: String::new(),
                })),
                ErrorClass::Conflict,
            ),
            (
                store(StoreError::Invalid(Invalid::Url { url: "x".into() })),
                ErrorClass::Internal,
            ),
            (
                store(StoreError::Invalid(Invalid::CodeSpaceExhausted {
                    attempts: 16,
                })),
                ErrorClass::Unavailable,
            ),
            (
                store(StoreError::Database(sqlx_pool_timed_out())),
                ErrorClass::Unavailable,
            ),
            (
                store(StoreError::Corrupt {
                    column: "dossiers.state",
                    value: "??".into(),
                }),
                ErrorClass::Internal,
            ),
            (ServiceError::invalid("f", "vi", "en"), ErrorClass::Invalid),
            (ServiceError::Internal("task".into()), ErrorClass::Internal),
        ];
        for (e, want) in cases {
            assert_eq!(e.class(), want, "{e:?}");
        }
    }

    /// A pool that gave no connection in time, as the driver reports it.
    fn sqlx_pool_timed_out() -> sqlx::Error {
        sqlx::Error::PoolTimedOut
    }

    #[test]
    fn a_refusal_no_role_could_pass_says_so() {
        let e = ServiceError::RoleNotAllowed {
            action: Action::BulkTransition,
            role: Role::Admin,
            allowed: &[],
        };
        assert!(
            e.message_en().ends_with("no role does this"),
            "{}",
            e.message_en()
        );
        assert!(!e.message_vi().contains("chỉ:"), "{}", e.message_vi());
        let e = ServiceError::RoleNotAllowed {
            action: Action::BulkTransition,
            role: Role::Admin,
            allowed: &[Role::Printer],
        };
        assert!(e.message_en().contains("only: "), "{}", e.message_en());
    }

    #[test]
    fn the_cause_chain_names_each_source_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("outer")]
        struct Outer(#[source] std::io::Error);
        let e = Outer(std::io::Error::other("disk full"));
        assert_eq!(cause_chain(&e), "outer: disk full");
        // A transparent wrapper does not repeat its inner text.
        let s = store(StoreError::Conflict(Conflict::AlreadyHasId));
        assert_eq!(s.chain(), s.to_string());
    }
}
