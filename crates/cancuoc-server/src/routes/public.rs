//! Public routes (không cần đăng nhập): the dossier status lookup (the hot
//! path), the office list and the legal rules answers.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use cancuoc_core::calendar::parse_date;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::guidance::{KeyDate, guidance};
use cancuoc_core::person::PartialDate;
use cancuoc_core::rules::{self, Channel, Exemption, IssueKind, Reason, Receiver};
use cancuoc_service::model::{ConfirmationState, ConfirmationStatus, DossierStatus};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::wire::{
    DeadlinesAnswer, DossierCodeText, EligibilityAnswer, ExemptionCode, ExpiryAnswer, FeeAnswer,
    KindCode, OfficeView, PartialDateText, ReasonCode, ReceiverCode, StateCode,
};
use super::{PROBLEM, PUBLIC};
use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::extract::{Json, Path, Query};
use cancuoc_service::{SecondFactor, StatusRenderer};
use cancuoc_web::client::Caller;

/// The receiving office's contact, as shown with a status.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeContact {
    /// Tên đơn vị.
    pub name: String,
    /// Đường dây nóng.
    pub hotline: String,
}

/// The public status of a dossier (tình trạng hồ sơ): nothing derived from
/// the person — state, dates and the receiving office.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusView {
    /// Mã hồ sơ, 16 digits.
    pub code: String,
    /// Trạng thái.
    pub state: StateCode,
    /// Trạng thái (tiếng Việt).
    pub state_label_vi: &'static str,
    /// State (English).
    pub state_label_en: &'static str,
    /// The receiving office.
    pub office: OfficeContact,
    /// Ngày hẹn trả kết quả; `null` where there is none: only booked
    /// (nothing received yet), refused at reception, or cancelled.
    #[schema(value_type = Option<String>, format = Date)]
    pub promised_date: Option<Date>,
    /// Past the promised date while the offices' deadline still runs (quá
    /// hạn): never for a card ready for pickup or posted.
    pub overdue: bool,
}

/// Where a request to confirm an old CMND number stands (yêu cầu xác nhận
/// số CMND): its own states and dates, nothing of the person.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmationStatusView {
    /// Mã hồ sơ, 16 digits.
    pub code: String,
    /// The procedure: always `cmnd_number_confirmation`.
    pub procedure: ProcedureCode,
    /// Trạng thái của yêu cầu.
    pub confirmation_state: ConfirmationStateCode,
    /// Trạng thái (tiếng Việt).
    pub state_label_vi: &'static str,
    /// State (English).
    pub state_label_en: &'static str,
    /// The receiving office, which decides.
    pub office: OfficeContact,
    /// The day the complete request was received.
    #[schema(value_type = String, format = Date)]
    pub received_date: Date,
    /// Hạn trả lời: 7 working days after `received_date`.
    #[schema(value_type = String, format = Date)]
    pub promised_date: Date,
    /// The day it was decided, once it is.
    #[schema(value_type = Option<String>, format = Date)]
    pub decided_date: Option<Date>,
    /// Past the promised date and not decided.
    pub overdue: bool,
}

/// The procedure of a code that is not a card dossier.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureCode {
    /// Cấp Giấy xác nhận số CMND, số CCCD.
    CmndNumberConfirmation,
}

/// Where a confirmation request stands.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationStateCode {
    /// Đã tiếp nhận, đang xác minh.
    Requested,
    /// Đã cấp giấy xác nhận.
    Approved,
    /// Từ chối, với lý do bằng văn bản.
    Refused,
}

impl From<ConfirmationState> for ConfirmationStateCode {
    fn from(s: ConfirmationState) -> Self {
        match s {
            ConfirmationState::Requested => Self::Requested,
            ConfirmationState::Approved => Self::Approved,
            ConfirmationState::Refused => Self::Refused,
        }
    }
}

/// What a code answers: a card dossier's status, or a request to confirm
/// an old CMND number (one code format and one space for both).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum StatusAnswer {
    /// A card dossier.
    Dossier(StatusView),
    /// A request to confirm an old CMND number.
    Confirmation(ConfirmationStatusView),
}

/// Where a dossier stands (tra cứu tình trạng hồ sơ), by the code on the
/// appointment slip. Spaces and hyphens in the code are ignored. The code
/// of a request to confirm an old CMND number answers with that request's
/// status ([`ConfirmationStatusView`]).
#[utoipa::path(get, path = "/api/v1/status/{code}", tag = PUBLIC,
    params(("code" = DossierCodeText, Path, description = "Mã hồ sơ: 16 digits, e.g. 0790251121482133")),
    responses(
        (status = 200, description = "The status: a dossier's, or an old-number confirmation request's", body = StatusAnswer),
        (status = 400, description = "Malformed code or wrong check digit", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No dossier or request with this code", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many lookups from this client (`limit.lookups`), or too many codes that do not exist (`limit.code_walk`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait before the next lookup")))
    ))]
pub async fn status(
    State(app): State<App>,
    Caller(client): Caller,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let code = DossierCode::parse(&code)?;
    let body = app
        .service()
        .status_answer::<StatusJson>(code, client)
        .await?;
    Ok(([(header::CONTENT_TYPE, JSON)], body).into_response())
}

/// What the citizen proves to see who a dossier's applicant is: exactly one
/// of the two.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolderProof {
    /// Ngày sinh, as recorded: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when
    /// only that is known.
    #[schema(value_type = Option<PartialDateText>, nullable = false)]
    pub date_of_birth: Option<String>,
    /// 4 số cuối số định danh.
    #[schema(value_type = Option<String>, nullable = false, pattern = "^[0-9]{4}$", example = "2345")]
    pub id_last_digits: Option<String>,
}

/// The status and the applicant's masked name.
#[derive(Debug, Serialize, ToSchema)]
pub struct HolderView {
    /// The public status, as `GET /api/v1/status/{code}` answers it.
    #[serde(flatten)]
    pub status: StatusView,
    /// Họ tên đã che: the family name, then each other word's first letter
    /// (`Nguyễn V** A*`).
    pub masked_name: String,
}

/// Who a dossier's applicant is (người nộp hồ sơ), for a citizen who proves
/// their date of birth or the last 4 digits of their ID number. A wrong
/// proof is 403 and counts against the code; after 5 in a day the code's
/// answer here locks (429) for everyone, right proof or not. Counted as a
/// status lookup of the client.
#[utoipa::path(post, path = "/api/v1/status/{code}/holder", tag = PUBLIC,
    params(("code" = DossierCodeText, Path, description = "Mã hồ sơ: 16 digits")),
    request_body = HolderProof,
    responses(
        (status = 200, description = "The status and the masked name", body = HolderView),
        (status = 400, description = "Malformed code, proof or body", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "The proof does not match", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No dossier with this code", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape or with an unknown member (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 429, description = "Too many lookups (`limit.lookups`, `limit.code_walk`), or too many wrong proofs for this code (`limit.second_factor`); `Retry-After` says when to try again", body = ProblemBody, content_type = PROBLEM,
            headers(("Retry-After" = u32, description = "Seconds to wait before the next lookup")))
    ))]
pub async fn holder(
    State(app): State<App>,
    Caller(client): Caller,
    Path(code): Path<String>,
    Json(proof): Json<HolderProof>,
) -> Result<Json<HolderView>, ApiError> {
    let code = DossierCode::parse(&code)?;
    let factor = match (&proof.date_of_birth, &proof.id_last_digits) {
        (Some(d), None) => SecondFactor::BirthDate(partial_date("date_of_birth", d)?),
        (None, Some(digits)) => SecondFactor::id_digits("id_last_digits", digits)
            .map_err(|e| ApiError::field("id_last_digits", &e))?,
        _ => {
            return Err(ApiError::bad_field(
                "date_of_birth",
                "Cần đúng một trong hai: date_of_birth hoặc id_last_digits",
                "Exactly one of date_of_birth or id_last_digits is required",
            ));
        }
    };
    let answer = app
        .service()
        .lookup_dossier(code, Some(&factor), client)
        .await?;
    // A factor was given, so the service answers about it (`None` only
    // without one): a generic internal error rather than a panic.
    let masked_name = answer.holder.into_result().unwrap_or_else(|| {
        Err(cancuoc_service::ServiceError::Internal(
            "the lookup did not answer the second factor".into(),
        ))
    })?;
    let s = &answer.public.status;
    Ok(Json(HolderView {
        status: status_view(s, s.is_overdue(app.service().today())),
        masked_name,
    }))
}

/// The `Content-Type` of the status answer, as `axum::Json` writes it.
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The REST API's status renderer: the JSON body of a status answer,
/// rendered once per dossier and day and then served from the service's
/// cache, so the cached and uncached answers are the same bytes.
struct StatusJson;

impl StatusRenderer for StatusJson {
    fn render(s: &DossierStatus, overdue: bool) -> Bytes {
        render_status(s, overdue)
    }

    fn render_confirmation(s: &ConfirmationStatus, overdue: bool) -> Bytes {
        let view = ConfirmationStatusView {
            code: s.code.to_string(),
            procedure: ProcedureCode::CmndNumberConfirmation,
            confirmation_state: s.state.into(),
            state_label_vi: s.state.label_vi(),
            state_label_en: s.state.label_en(),
            office: OfficeContact {
                name: s.office_name.clone(),
                hotline: s.office_hotline.clone(),
            },
            received_date: s.received_on,
            promised_date: s.promised_on,
            decided_date: s.decided_on,
            overdue,
        };
        // As `render_status`: plain values, serializing cannot fail.
        serde_json::to_vec(&StatusAnswer::Confirmation(view))
            .map_or_else(|_| Bytes::new(), Bytes::from)
    }
}

/// [`StatusJson`]'s body.
fn render_status(s: &DossierStatus, overdue: bool) -> Bytes {
    let view = StatusAnswer::Dossier(status_view(s, overdue));
    let mut out = Vec::with_capacity(384);
    // Strings, a date and a bool: serializing them into a `Vec` cannot
    // fail (no map keys, no I/O), so the empty fallback is unreachable.
    match serde_json::to_writer(&mut out, &view) {
        Ok(()) => Bytes::from(out),
        Err(_) => Bytes::new(),
    }
}

/// The public view of a status row.
fn status_view(s: &DossierStatus, overdue: bool) -> StatusView {
    StatusView {
        code: s.code.to_string(),
        state: s.state.into(),
        state_label_vi: s.state.label_vi(),
        state_label_en: s.state.label_en(),
        office: OfficeContact {
            name: s.office_name.clone(),
            hotline: s.office_hotline.clone(),
        },
        promised_date: match guidance(s.state).key_date {
            KeyDate::Appointment | KeyDate::None => None,
            _ => Some(s.promised_on),
        },
        overdue,
    }
}

/// Every office (đơn vị), flat, each with its parent.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficesView {
    /// Every office, by code.
    pub offices: Vec<OfficeView>,
}

/// The offices (danh sách đơn vị) with level, parent, address, hotline and
/// opening hours, from the in-memory cache.
#[utoipa::path(get, path = "/api/v1/offices", tag = PUBLIC,
    responses((status = 200, description = "Every office", body = OfficesView)))]
pub async fn offices(State(app): State<App>) -> Json<OfficesView> {
    let tree = app.service().offices();
    Json(OfficesView {
        offices: tree.all().map(OfficeView::from).collect(),
    })
}

fn date_or_today(app: &App, field: &'static str, s: Option<&str>) -> Result<Date, ApiError> {
    match s {
        None => Ok(app.service().today()),
        Some(s) => parse_date(s).map_err(|e| ApiError::field(field, &e)),
    }
}

fn partial_date(field: &'static str, s: &str) -> Result<PartialDate, ApiError> {
    s.parse::<PartialDate>()
        .map_err(|e| ApiError::field(field, &e))
}

/// Query of [`fee`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeeQuery {
    /// Loại cấp: `first`, `renewal`, `reissue`; default: the kind the reason calls for.
    #[param(value_type = Option<KindCode>)]
    pub kind: Option<String>,
    /// Lý do, e.g. `first-issue`, `age`, `damaged`, `lost`, `cmnd-conversion`.
    #[param(value_type = ReasonCode)]
    pub reason: String,
    /// Exemption codes, comma-separated, e.g. `poor-household` or
    /// `child,disabled`.
    #[param(value_type = Option<Vec<ExemptionCode>>, style = Form, explode = false)]
    pub exemption: Option<String>,
    /// Filing date `YYYY-MM-DD`; default today.
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<String>,
    /// Filed online (nộp trực tuyến); default false.
    pub online: Option<bool>,
}

/// The fee (lệ phí) for a kind and reason, with exemptions and reductions,
/// on a date.
#[utoipa::path(get, path = "/api/v1/rules/fee", tag = PUBLIC, params(FeeQuery),
    responses(
        (status = 200, description = "The fee with its legal basis", body = FeeAnswer),
        (status = 400, description = "Malformed query: missing reason, unknown code, not a real date (`request.bad_query`, `rules.*`, `date.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "Reason not of this kind, date before the regimes", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn fee(
    State(app): State<App>,
    Query(q): Query<FeeQuery>,
) -> Result<Json<FeeAnswer>, ApiError> {
    let date = date_or_today(&app, "date", q.date.as_deref())?;
    let reason = Reason::parse(&q.reason)?;
    let kind = q.kind.as_deref().map(IssueKind::parse).transpose()?;
    let exemptions = q
        .exemption
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(Exemption::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let channel = if q.online.unwrap_or(false) {
        Channel::Online
    } else {
        Channel::InPerson
    };
    let quote = app
        .service()
        .quote_fee(kind, reason, &exemptions, date, channel)?;
    Ok(Json((&quote.fee).into()))
}

/// Query of [`deadline`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// Reception date `YYYY-MM-DD`; default today.
    #[param(value_type = Option<String>, format = Date)]
    pub received: Option<String>,
    /// Who received it: `office` (default) or `npd-centre`.
    #[param(value_type = Option<ReceiverCode>)]
    pub by: Option<String>,
}

/// Stage deadlines and the promised return date (ngày hẹn trả) of a dossier
/// received on a date, in working days.
#[utoipa::path(get, path = "/api/v1/rules/deadline", tag = PUBLIC, params(DeadlineQuery),
    responses(
        (status = 200, description = "Deadlines with their legal basis", body = DeadlinesAnswer),
        (status = 400, description = "Malformed query: not a real date, unknown receiver", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "Received before the regimes, or too late for the working calendar", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn deadline(
    State(app): State<App>,
    Query(q): Query<DeadlineQuery>,
) -> Result<Json<DeadlinesAnswer>, ApiError> {
    let received = date_or_today(&app, "received", q.received.as_deref())?;
    let by = Receiver::parse(q.by.as_deref().unwrap_or("office"))?;
    let answer = rules::deadlines(received, by, app.service().calendar())?;
    Ok(Json((&answer).into()))
}

/// Query of [`expiry`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpiryQuery {
    /// Date of birth `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[param(value_type = PartialDateText)]
    pub dob: String,
    /// Issue date `YYYY-MM-DD`; default today.
    #[param(value_type = Option<String>, format = Date)]
    pub issued: Option<String>,
}

/// The expiry (thời hạn sử dụng) of a card issued on a date.
#[utoipa::path(get, path = "/api/v1/rules/expiry", tag = PUBLIC, params(ExpiryQuery),
    responses(
        (status = 200, description = "The expiry with its legal basis", body = ExpiryAnswer),
        (status = 400, description = "Malformed query: missing date of birth, not a real date", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "Issued before birth or before the regimes, too young", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn expiry(
    State(app): State<App>,
    Query(q): Query<ExpiryQuery>,
) -> Result<Json<ExpiryAnswer>, ApiError> {
    let dob = partial_date("dob", &q.dob)?;
    let issued = date_or_today(&app, "issued", q.issued.as_deref())?;
    Ok(Json((&rules::card_expiry(dob, issued)?).into()))
}

/// Query of [`eligibility`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EligibilityQuery {
    /// Date of birth `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[param(value_type = PartialDateText)]
    pub dob: String,
    /// The date asked about `YYYY-MM-DD`; default today.
    #[param(value_type = Option<String>, format = Date)]
    pub on: Option<String>,
}

/// Whether a person may or must get a card on a date (đối tượng được cấp).
#[utoipa::path(get, path = "/api/v1/rules/eligibility", tag = PUBLIC, params(EligibilityQuery),
    responses(
        (status = 200, description = "Eligibility with its legal basis", body = EligibilityAnswer),
        (status = 400, description = "Malformed query: missing date of birth, not a real date", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "Asked about a day before birth or before the regimes", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn eligibility(
    State(app): State<App>,
    Query(q): Query<EligibilityQuery>,
) -> Result<Json<EligibilityAnswer>, ApiError> {
    let dob = partial_date("dob", &q.dob)?;
    let on = date_or_today(&app, "on", q.on.as_deref())?;
    Ok(Json((&rules::eligibility(dob, on)?).into()))
}
