//! The one HTTP error type (lỗi API): [`ApiError`], with an exhaustive
//! mapping from every error of the service, the core parsers and axum's
//! extractors to a status and an RFC 9457 `application/problem+json` body
//! `{type, title, status, detail, code, message_vi, message_en, request_id}`,
//! and `errors` — one member per field — when a form was refused for
//! several fields at once (`ServiceError::Fields`: the identity accounts'
//! forms name every problem together).
//!
//! Handlers return `Result<_, ApiError>`; the response carries a [`Problem`]
//! extension and the body is written by the edge layer's problem writer
//! ([`crate::middleware::EdgeLayer`]), which knows the request id.
//! Server errors (5xx) get a generic body naming only the request id
//! (except `/readyz`'s 503, which names the part of the store that is
//! down, for the operator's probe); the
//! cause travels in the [`Problem`] to the edge layer, which logs it once
//! with the request id. A service error's status comes from its class
//! ([`class_status`]), never from its code.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cancuoc_core::calendar::CalendarError;
use cancuoc_core::dossier::code::DossierCodeError;
use cancuoc_core::i18n::{ErrorBody, Localized};
use cancuoc_core::id::IdError;
use cancuoc_core::person::PartialDateError;
use cancuoc_core::rules::RulesError;
use serde::Serialize;
use utoipa::ToSchema;

use cancuoc_service::{ErrorClass, ServiceError};

/// Why a bearer token was refused (401).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFailure {
    /// No `Authorization` header.
    Missing,
    /// The header is not `Bearer <token>`.
    Malformed,
    /// Unknown token, or the officer is deactivated.
    Invalid,
    /// No `Authorization` header on a route of a citizen's identity
    /// account (the token from `POST /api/v1/auth/otp`).
    AccountMissing,
}

/// Every way an API request can fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// A use case failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// A dossier code in the path or body is malformed (bad check digit …).
    #[error(transparent)]
    Code(#[from] DossierCodeError),
    /// A personal ID is malformed.
    #[error(transparent)]
    Id(#[from] IdError),
    /// A rules question was malformed (unknown code, date out of range).
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// A request field could not be read.
    #[error("invalid {field}: {}", body.message_en)]
    Field {
        /// The field (query parameter or JSON member).
        field: &'static str,
        /// The parser's localized error.
        body: ErrorBody,
    },
    /// A request member was read but breaks a rule of the core (a capture
    /// record out of the legal order, a portrait that fails its checklist
    /// …): 422, with the rule's own code and messages.
    #[error("refused {field}: {}", body.message_en)]
    Refused {
        /// Where in the body, e.g. `capture.fingerprints[4]`.
        field: String,
        /// The rule's localized error.
        body: ErrorBody,
    },
    /// No usable bearer token.
    #[error("unauthorized: {0:?}")]
    Unauthorized(AuthFailure),
    /// The JSON body was refused by axum.
    #[error(transparent)]
    Json(#[from] JsonRejection),
    /// The query string was refused by axum.
    #[error(transparent)]
    Query(#[from] QueryRejection),
    /// A path parameter was refused by axum.
    #[error(transparent)]
    Path(#[from] PathRejection),
    /// No route has this path.
    #[error("no such route")]
    RouteNotFound,
    /// A response of this status came from a layer without a body of its
    /// own (405, 408, 413, a timeout …).
    #[error("{0}")]
    Status(StatusCode),
    /// A handler panicked (caught by the catch-panic layer).
    #[error("handler panicked")]
    Panic,
    /// The store cannot serve (readiness probe): which part is down and
    /// why, told in the answer (an operator's probe: it names a database
    /// host as `host:port`, never a user, password or path).
    #[error("not ready: {}", .0.reason_en)]
    NotReady(Box<cancuoc_service::NotReady>),
}

impl ApiError {
    /// A field error from any localized parser error.
    pub fn field(field: &'static str, e: &(impl Localized + ?Sized)) -> Self {
        ApiError::Field {
            field,
            body: ErrorBody::of(e),
        }
    }

    /// A request field the handler could not read (400), with both
    /// messages (code `request.invalid_field`).
    pub fn bad_field(field: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError::Field {
            field,
            body: ErrorBody {
                code: "request.invalid_field",
                message_vi: vi.into(),
                message_en: en.into(),
            },
        }
    }

    /// A request member the core refused (422), with the refusal's code
    /// and both messages.
    pub fn refused(field: impl Into<String>, e: &(impl Localized + ?Sized)) -> Self {
        ApiError::Refused {
            field: field.into(),
            body: ErrorBody::of(e),
        }
    }

    /// The HTTP status: one exhaustive decision per error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Service(e) => service_status(e),
            ApiError::Code(_) | ApiError::Id(_) | ApiError::Field { .. } => StatusCode::BAD_REQUEST,
            ApiError::Rules(e) => rules_status(e),
            ApiError::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Json(r) => match r {
                JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                JsonRejection::JsonDataError(_) => StatusCode::UNPROCESSABLE_ENTITY,
                other => other.status(),
            },
            ApiError::Query(_) | ApiError::Path(_) => StatusCode::BAD_REQUEST,
            ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::Status(s) => *s,
            ApiError::Panic => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::NotReady(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// The status of a service error: by its class only, never its code. A
/// service refusal of a request that was read is 422 (the request could
/// not be read at all is 400, decided before the service is asked).
pub fn class_status(class: ErrorClass) -> StatusCode {
    match class {
        ErrorClass::NotFound => StatusCode::NOT_FOUND,
        ErrorClass::Conflict => StatusCode::CONFLICT,
        ErrorClass::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorClass::Forbidden => StatusCode::FORBIDDEN,
        ErrorClass::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorClass::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorClass::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorClass::Limited => StatusCode::TOO_MANY_REQUESTS,
    }
}

fn service_status(e: &ServiceError) -> StatusCode {
    class_status(e.class())
}

fn rules_status(e: &RulesError) -> StatusCode {
    match e {
        RulesError::Data { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        RulesError::UnknownCode { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn rejection_vi(status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "Nội dung yêu cầu phải là JSON (Content-Type: application/json)"
        }
        StatusCode::PAYLOAD_TOO_LARGE => "Nội dung yêu cầu quá lớn",
        StatusCode::UNPROCESSABLE_ENTITY => {
            "Nội dung JSON đúng cú pháp nhưng thiếu trường hoặc có trường sai kiểu"
        }
        _ => "Yêu cầu không đọc được",
    }
}

impl Localized for ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::Service(e) => e.code(),
            ApiError::Code(e) => e.code(),
            ApiError::Id(e) => e.code(),
            ApiError::Rules(e) => e.code(),
            ApiError::Field { body, .. } | ApiError::Refused { body, .. } => body.code,
            ApiError::Unauthorized(AuthFailure::Missing | AuthFailure::AccountMissing) => {
                "auth.missing_token"
            }
            ApiError::Unauthorized(AuthFailure::Malformed) => "auth.malformed_token",
            ApiError::Unauthorized(_) => "auth.invalid_token",
            ApiError::Json(_) if self.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                "request.too_large"
            }
            ApiError::Json(_) => "request.bad_json",
            ApiError::Query(_) => "request.bad_query",
            ApiError::Path(_) => "request.bad_path",
            ApiError::RouteNotFound => "request.no_route",
            ApiError::Status(s) => status_code_name(*s),
            ApiError::Panic => "server.internal",
            ApiError::NotReady(_) => "server.not_ready",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            ApiError::Service(e) => e.message_vi(),
            ApiError::Code(e) => e.message_vi(),
            ApiError::Id(e) => e.message_vi(),
            ApiError::Rules(e) => e.message_vi(),
            ApiError::Field { field, body } => format!("Trường {field}: {}", body.message_vi),
            ApiError::Refused { field, body } => format!("Trường {field}: {}", body.message_vi),
            ApiError::Unauthorized(AuthFailure::Missing) => {
                "Cần đăng nhập: gửi mã truy cập của cán bộ trong tiêu đề Authorization: Bearer <mã>"
                    .into()
            }
            ApiError::Unauthorized(AuthFailure::AccountMissing) => {
                "Cần đăng nhập tài khoản định danh điện tử: gửi mã truy cập nhận được khi đăng nhập trong tiêu đề Authorization: Bearer <mã>"
                    .into()
            }
            ApiError::Unauthorized(AuthFailure::Malformed) => {
                "Tiêu đề Authorization phải có dạng Bearer <mã truy cập>".into()
            }
            ApiError::Unauthorized(_) => "Mã truy cập không đúng hoặc cán bộ đã bị khóa".into(),
            ApiError::Json(_) if self.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                status_vi(StatusCode::PAYLOAD_TOO_LARGE).into()
            }
            ApiError::Json(r) => format!("{}: {}", rejection_vi(self.status()), r.body_text()),
            ApiError::Query(r) => format!("Tham số truy vấn không hợp lệ: {}", r.body_text()),
            ApiError::Path(r) => format!("Đường dẫn không hợp lệ: {}", r.body_text()),
            ApiError::RouteNotFound => "Không có địa chỉ API này; xem /api/docs".into(),
            ApiError::Status(s) => status_vi(*s).into(),
            ApiError::Panic => status_vi(self.status()).into(),
            ApiError::NotReady(n) => format!("Dịch vụ chưa sẵn sàng: {}", n.reason_vi),
        }
    }

    fn message_en(&self) -> String {
        match self {
            ApiError::Service(e) => e.message_en(),
            ApiError::Code(e) => e.message_en(),
            ApiError::Id(e) => e.message_en(),
            ApiError::Rules(e) => e.message_en(),
            ApiError::Field { field, body } => format!("Field {field}: {}", body.message_en),
            ApiError::Refused { field, body } => format!("Field {field}: {}", body.message_en),
            ApiError::Unauthorized(AuthFailure::Missing) => {
                "Authentication required: send the officer's token as Authorization: Bearer <token>"
                    .into()
            }
            ApiError::Unauthorized(AuthFailure::AccountMissing) => {
                "Log in to the identity account first: send the token the login gave as Authorization: Bearer <token>"
                    .into()
            }
            ApiError::Unauthorized(AuthFailure::Malformed) => {
                "The Authorization header must read Bearer <token>".into()
            }
            ApiError::Unauthorized(_) => {
                "The token is unknown or the officer is deactivated".into()
            }
            ApiError::Json(_) if self.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                status_en(StatusCode::PAYLOAD_TOO_LARGE).into()
            }
            ApiError::Json(r) => format!("Unreadable JSON body: {}", r.body_text()),
            ApiError::Query(r) => format!("Invalid query string: {}", r.body_text()),
            ApiError::Path(r) => format!("Invalid path: {}", r.body_text()),
            ApiError::RouteNotFound => "No such API route; see /api/docs".into(),
            ApiError::Status(s) => status_en(*s).into(),
            ApiError::Panic => status_en(self.status()).into(),
            ApiError::NotReady(n) => format!("Not ready: {}", n.reason_en),
        }
    }
}

fn status_code_name(s: StatusCode) -> &'static str {
    match s {
        StatusCode::METHOD_NOT_ALLOWED => "request.method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "request.too_large",
        StatusCode::URI_TOO_LONG => "request.uri_too_long",
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => "server.timeout",
        StatusCode::SERVICE_UNAVAILABLE => "server.unavailable",
        StatusCode::NOT_FOUND => "request.no_route",
        s if s.is_server_error() => "server.internal",
        _ => "request.refused",
    }
}

fn status_vi(s: StatusCode) -> &'static str {
    match s {
        StatusCode::METHOD_NOT_ALLOWED => "Phương thức HTTP này không dùng được cho địa chỉ này",
        StatusCode::PAYLOAD_TOO_LARGE => "Nội dung yêu cầu quá lớn",
        StatusCode::URI_TOO_LONG => "Địa chỉ yêu cầu (đường dẫn và tham số) quá dài",
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => {
            "Yêu cầu xử lý quá thời gian cho phép; hãy thử lại"
        }
        StatusCode::SERVICE_UNAVAILABLE => "Dịch vụ tạm thời không sẵn sàng; hãy thử lại sau",
        StatusCode::NOT_FOUND => "Không tìm thấy",
        s if s.is_server_error() => "Lỗi máy chủ; hãy thử lại sau",
        _ => "Yêu cầu bị từ chối",
    }
}

fn status_en(s: StatusCode) -> &'static str {
    match s {
        StatusCode::METHOD_NOT_ALLOWED => "This HTTP method is not allowed on this path",
        StatusCode::PAYLOAD_TOO_LARGE => "The request body is too large",
        StatusCode::URI_TOO_LONG => "The request URI (path and query) is too long",
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => {
            "The request took too long; try again"
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            "The service is temporarily unavailable; try again later"
        }
        StatusCode::NOT_FOUND => "Not found",
        s if s.is_server_error() => "Server error; try again later",
        _ => "The request was refused",
    }
}

/// The problem of a response, kept as a response extension until the
/// problem middleware writes the body with the request id.
#[derive(Clone, Debug)]
pub struct Problem {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code.
    pub code: &'static str,
    /// Vietnamese message.
    pub message_vi: String,
    /// English message.
    pub message_en: String,
    /// Every field of a form refused at once, each with its own code
    /// and messages (empty for any other problem).
    pub errors: Vec<FieldError>,
    /// Why a server error happened (the error and its sources), for the
    /// edge layer's log line only; never sent.
    pub cause: Option<String>,
}

impl Problem {
    /// The problem of an error; a 5xx keeps only generic messages (the
    /// cause goes to the log, never to the client), except an identity
    /// account's request the SMS provider could not carry out
    /// (`sms.unavailable`): its own words, which name no cause, tell the
    /// citizen their code was not sent.
    pub fn of(e: &ApiError) -> Self {
        let status = e.status();
        if let ApiError::Service(se @ ServiceError::Account(_)) = e {
            return Self {
                status,
                code: e.code(),
                message_vi: e.message_vi(),
                message_en: e.message_en(),
                errors: Vec::new(),
                cause: status.is_server_error().then(|| se.chain()),
            };
        }
        if let ApiError::NotReady(n) = e {
            // The probe's reason is the answer: which part is down.
            return Self {
                status,
                code: "server.not_ready",
                message_vi: e.message_vi(),
                message_en: e.message_en(),
                errors: Vec::new(),
                cause: Some(match &n.cause {
                    Some(c) => format!("{}: {}", n.reason_en, cancuoc_service::cause_chain(c)),
                    None => n.reason_en.clone(),
                }),
            };
        }
        if status.is_server_error() {
            Self {
                status,
                code: status_code_name(status),
                message_vi: status_vi(status).to_owned(),
                message_en: status_en(status).to_owned(),
                errors: Vec::new(),
                cause: Some(match e {
                    ApiError::Service(se) => se.chain(),
                    other => cancuoc_service::cause_chain(other),
                }),
            }
        } else {
            Self {
                status,
                code: e.code(),
                message_vi: e.message_vi(),
                message_en: e.message_en(),
                errors: field_errors(e),
                cause: None,
            }
        }
    }

    /// The problem for a bare error status from a layer.
    pub fn of_status(status: StatusCode) -> Self {
        Self::of(&ApiError::Status(status))
    }

    /// The JSON body, with the request id.
    pub fn body(&self, request_id: &str) -> ProblemBody {
        let mut message_vi = self.message_vi.clone();
        let mut message_en = self.message_en.clone();
        if self.status.is_server_error() && !request_id.is_empty() {
            message_vi.push_str(&format!(" (mã yêu cầu {request_id})"));
            message_en.push_str(&format!(" (request id {request_id})"));
        }
        ProblemBody {
            r#type: format!("urn:cancuoc:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: message_vi.clone(),
            code: self.code.to_owned(),
            message_vi,
            message_en,
            request_id: request_id.to_owned(),
            errors: self.errors.clone(),
        }
    }
}

/// The fields of a form refused together, one entry each.
fn field_errors(e: &ApiError) -> Vec<FieldError> {
    match e {
        ApiError::Service(ServiceError::Fields(problems)) => problems
            .iter()
            .map(|p| FieldError {
                field: p.field.to_owned(),
                code: p.code.to_owned(),
                message_vi: p.message_vi.clone(),
                message_en: p.message_en.clone(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// One field of a form refused with others (lỗi từng trường), in a
/// problem's `errors`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct FieldError {
    /// The body member, e.g. `password`.
    pub field: String,
    /// The rule's stable code, e.g. `password.no_upper`.
    pub code: String,
    /// What is wrong, in Vietnamese.
    pub message_vi: String,
    /// What is wrong, in English.
    pub message_en: String,
}

/// The RFC 9457 problem document every error answers with (tài liệu lỗi).
#[derive(Clone, Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct ProblemBody {
    /// `urn:cancuoc:problem:<code>`.
    #[serde(rename = "type")]
    pub r#type: String,
    /// The HTTP reason phrase, e.g. `Bad Request`.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// The message in Vietnamese (the default language).
    pub detail: String,
    /// Stable machine code, e.g. `dossier_code.bad_check_digit`.
    pub code: String,
    /// Message in Vietnamese.
    pub message_vi: String,
    /// Message in English.
    pub message_en: String,
    /// The `x-request-id` of the request, to quote to support.
    pub request_id: String,
    /// Present only when a form was refused for several fields at once
    /// (422): every field's problem, each with its own code (the `code`
    /// above is the first's, the messages above join them all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub errors: Vec<FieldError>,
}

/// The media type of problem documents.
pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // A server error is logged once, by the edge layer, with the
        // request id and the cause this problem carries.
        let problem = Problem::of(&self);
        let mut res = problem.status.into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if problem.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"cancuoc\""),
            );
        }
        if let ApiError::Service(e) = &self
            && let Some(secs) = e.retry_after()
        {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res.extensions_mut().insert(problem);
        res
    }
}

impl From<PartialDateError> for ApiError {
    fn from(e: PartialDateError) -> Self {
        ApiError::field("dob", &e)
    }
}

impl From<CalendarError> for ApiError {
    fn from(e: CalendarError) -> Self {
        ApiError::field("date", &e)
    }
}

#[cfg(test)]
mod tests {
    use cancuoc_core::account::otp::{OtpVerdict, SendRefusal};
    use cancuoc_service::{AccountError, FieldProblem, SmsError};

    use super::*;

    fn account(e: AccountError) -> ApiError {
        ApiError::Service(ServiceError::Account(e))
    }

    #[test]
    fn every_field_of_a_refused_form_is_listed_with_its_own_code() {
        let e = ApiError::Service(ServiceError::Fields(vec![
            FieldProblem::of("password", &cancuoc_core::account::PasswordProblem::NoUpper),
            FieldProblem::of("password", &cancuoc_core::account::PasswordProblem::NoDigit),
        ]));
        let p = Problem::of(&e);
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(p.code, "password.no_upper");
        let body = serde_json::to_value(p.body("r1")).expect("json");
        assert_eq!(body["errors"][0]["field"], "password");
        assert_eq!(body["errors"][0]["code"], "password.no_upper");
        assert_eq!(body["errors"][1]["code"], "password.no_digit");
        assert_eq!(
            body["errors"][1]["message_en"],
            "The password must contain at least one digit (0–9)"
        );
        assert!(
            body["message_vi"]
                .as_str()
                .is_some_and(|m| m.contains("chữ in hoa") && m.contains("chữ số")),
            "{body}"
        );
        // Any other problem has no `errors` member at all.
        let other =
            serde_json::to_value(Problem::of(&ApiError::RouteNotFound).body("r2")).expect("json");
        assert!(other.get("errors").is_none(), "{other}");
    }

    #[test]
    fn an_account_error_answers_by_its_class_with_its_own_code() {
        let cases = [
            (
                account(AccountError::Credentials),
                401,
                "account.credentials",
            ),
            (
                account(AccountError::Code(OtpVerdict::Exhausted)),
                401,
                "otp.exhausted",
            ),
            (
                account(AccountError::Send(
                    SendRefusal::Cooldown { wait_secs: 35 },
                    35,
                )),
                429,
                "otp.cooldown",
            ),
            (account(AccountError::NotLocked), 409, "account.not_locked"),
            (
                account(AccountError::Sms(SmsError::Rejected {
                    code: "x".into(),
                    message: "y".into(),
                })),
                422,
                "sms.rejected",
            ),
            (
                account(AccountError::Sms(SmsError::Unavailable("down".into()))),
                503,
                "sms.unavailable",
            ),
        ];
        for (e, status, code) in cases {
            let p = Problem::of(&e);
            assert_eq!((p.status.as_u16(), p.code), (status, code));
            assert_eq!(p.message_en, e.message_en());
            let res = e.into_response();
            assert_eq!(
                res.headers().contains_key(header::WWW_AUTHENTICATE),
                status == 401,
                "{code}"
            );
            assert_eq!(
                res.headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()),
                (status == 429).then_some("35"),
                "{code}"
            );
        }
        // The provider's words never reach the answer; a 503 still goes to
        // the edge's log with a cause.
        let p = Problem::of(&account(AccountError::Sms(SmsError::Unavailable(
            "provider said: key 1234 refused".into(),
        ))));
        assert!(!p.message_en.contains("1234") && !p.message_vi.contains("1234"));
        assert!(p.cause.is_some());
    }
}
