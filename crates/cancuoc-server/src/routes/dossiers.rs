//! Officer routes for dossiers (hồ sơ): open, read, list, move through the
//! workflow, record the capture, watch deadlines.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cancuoc_core::dossier::capture::CaptureRecord;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State as DState;
use cancuoc_core::i18n::Localized;
use cancuoc_core::id::PersonalId;
use cancuoc_core::rules::{Channel, Exemption, IssueKind, Reason};
use cancuoc_service::model::{CitizenId, DossierId, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::wire::{
    CaptureRecordView, ChannelCode, DeadlineWatchView, DossierCodeText, DossierView, ExemptionCode,
    IdempotencyKeyHeader, KindCode, OldDocumentCode, PersonalIdText, ReasonCode, StateCode,
};
use super::{OFFICER, PROBLEM};
use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::extract::{Auth, Json, Path, Query};
use cancuoc_service::{CitizenKey, OpenDossier, TransitionCommand};

fn code_of(s: &str) -> Result<DossierCode, ApiError> {
    Ok(DossierCode::parse(s)?)
}

/// The `Idempotency-Key` header: up to 64 visible ASCII characters; a
/// retry under the same key returns the first answer.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match v.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 64 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(k.to_owned()))
        }
        _ => Err(ApiError::bad_field(
            "Idempotency-Key",
            "khóa chống lặp phải gồm 1–64 ký tự ASCII nhìn thấy được",
            "the idempotency key must be 1–64 visible ASCII characters",
        )),
    }
}

fn state_of(field: &'static str, s: &str) -> Result<DState, ApiError> {
    s.parse::<DState>().map_err(|e| ApiError::field(field, &e))
}

/// A capture body as a core record, through its checked constructors; a
/// refusal is 422 naming the member (`<prefix>fingerprints[4]` …).
fn capture_of(prefix: &str, body: CaptureRecordView) -> Result<CaptureRecord, ApiError> {
    CaptureRecord::try_from(body)
        .map_err(|r| ApiError::refused(format!("{prefix}{}", r.member()), &r))
}

/// A dossier to open (lập hồ sơ) at the officer's office.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenDossierBody {
    /// The citizen's record id (from search or registration) …
    #[schema(nullable = false)]
    pub citizen_id: Option<i64>,
    /// … or personal ID: exactly one of the two (else 400).
    #[schema(value_type = Option<PersonalIdText>, nullable = false)]
    pub personal_id: Option<String>,
    /// Loại cấp; default: the kind the reason calls for on the day.
    #[schema(value_type = Option<KindCode>)]
    pub kind: Option<String>,
    /// Lý do, e.g. `first-issue`, `age`, `lost`.
    #[schema(value_type = ReasonCode)]
    pub reason: String,
    /// Claimed exemptions (đối tượng miễn lệ phí), e.g. `["poor-household"]`.
    #[serde(default)]
    #[schema(value_type = Vec<ExemptionCode>)]
    pub exemptions: Vec<String>,
    /// The document seen for an exemption that needs one (giấy tờ chứng
    /// minh: title, number, date; at most 300 characters), e.g. `"Giấy
    /// chứng nhận hộ nghèo số 12/GCN-UBND"`; kept with the fee as charged.
    /// Age exemptions (`child`, `elderly`) are checked against the record
    /// instead.
    #[schema(nullable = false)]
    pub exemption_document: Option<String>,
    /// Hình thức nộp: `in-person` (default) or `online`.
    #[schema(value_type = Option<ChannelCode>)]
    pub channel: Option<String>,
    /// Open as an appointment (`booked`) instead of a walk-in (`received`).
    #[serde(default)]
    pub booked: bool,
    /// Note for the first event.
    pub note: Option<String>,
    /// Capture record to save at once (same shape as `PUT …/capture`).
    pub capture: Option<CaptureRecordView>,
}

/// Opens a dossier at the officer's office: fee and deadlines from the
/// rules, a random code with a check digit (receptionists only). The
/// dossier, its first event and the capture record given are one
/// transaction; with an `Idempotency-Key` header a retry returns the
/// dossier the first request opened.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = OFFICER, request_body = OpenDossierBody,
    params(IdempotencyKeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new dossier with its first event, fee, deadlines and promised date", body = DossierView, links(
            ("GetDossier" = (operation_id = "get_dossier", description = "The dossier opened", parameters(("code" = "$response.body#/code")))),
            ("GetCapture" = (operation_id = "get_capture", description = "Its capture record", parameters(("code" = "$response.body#/code")))),
            ("PutCapture" = (operation_id = "put_capture", description = "Recording its capture", parameters(("code" = "$response.body#/code")))),
            ("Transition" = (operation_id = "transition", description = "Its next step, at the version opened", parameters(("code" = "$response.body#/code")), request_body = json!({"version": "$response.body#/version"})))
        )),
        (status = 400, description = "A body that is not JSON, an unknown code, neither or both of `citizen_id` and `personal_id`, a malformed personal ID or idempotency key", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Role may not open dossiers (`service.role_not_allowed`), or the citizen is outside the officer's read scope (`service.citizen_out_of_scope`)", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such citizen", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "The role may not open in this state, or the idempotency key was used for another request", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`), reason not of this kind, date outside the rules, an exemption the applicant does not meet or without its document (`rules.exemption_not_applicable`), capture record refused", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn open(
    State(app): State<App>,
    Auth(officer): Auth,
    headers: HeaderMap,
    Json(b): Json<OpenDossierBody>,
) -> Result<(StatusCode, Json<DossierView>), ApiError> {
    let capture = b.capture.map(|c| capture_of("capture.", c)).transpose()?;
    let svc = app.service();
    let idempotency_key = idempotency_key(&headers)?;
    let applicant = match (b.citizen_id, b.personal_id.as_deref()) {
        (Some(id), None) => CitizenKey::Record(CitizenId(id)),
        (None, Some(pid)) => CitizenKey::PersonalId(PersonalId::parse(pid)?),
        _ => {
            return Err(ApiError::bad_field(
                "citizen_id",
                "cần đúng một trong hai: citizen_id hoặc personal_id",
                "give exactly one of citizen_id or personal_id",
            ));
        }
    };
    let reason = Reason::parse(&b.reason)?;
    let kind = b.kind.as_deref().map(IssueKind::parse).transpose()?;
    let exemptions = b
        .exemptions
        .iter()
        .map(|e| Exemption::parse(e))
        .collect::<Result<Vec<_>, _>>()?;
    let channel = b
        .channel
        .as_deref()
        .map(Channel::parse)
        .transpose()?
        .unwrap_or(Channel::InPerson);
    // Read (scoped and audited) only once the request has been read whole.
    let citizen = svc.applicant_to_open(&officer, &applicant).await?;
    let d = svc
        .open_dossier(
            &officer,
            OpenDossier {
                kind,
                exemptions,
                exemption_document: b.exemption_document,
                channel,
                start: if b.booked {
                    DState::Booked
                } else {
                    DState::Received
                },
                note: b.note,
                capture,
                idempotency_key,
                ..OpenDossier::walk_in(citizen, reason)
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json((&d).into())))
}

/// A dossier with its event log (hồ sơ và nhật ký xử lý).
#[utoipa::path(get, path = "/api/v1/dossiers/{code}", tag = OFFICER,
    params(("code" = DossierCodeText, Path, description = "Mã hồ sơ")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The dossier with its events", body = DossierView),
        (status = 400, description = "Malformed code: wrong length, a letter, wrong check digit, impossible date (`dossier_code.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Outside the officer's office scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such dossier", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn get_dossier(
    State(app): State<App>,
    Auth(officer): Auth,
    Path(code): Path<String>,
) -> Result<Json<DossierView>, ApiError> {
    let d = app.service().dossier(&officer, code_of(&code)?).await?;
    Ok(Json((&d).into()))
}

/// Query of [`list`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Office number; default the officer's office.
    #[param(minimum = 0, maximum = 9999)]
    pub office: Option<u16>,
    /// Only this state, e.g. `sent_to_centre`.
    #[param(value_type = Option<StateCode>)]
    pub state: Option<String>,
    /// Keyset paging: the `next_after` of the previous page.
    pub after: Option<i64>,
    /// Page size (default 50); 0 reads as 1 and more than 500 as 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// A page of dossiers.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierPage {
    /// Dossiers without their events, by id.
    pub items: Vec<DossierView>,
    /// Pass as `after` for the next page; `null` on the last page.
    #[schema(required = true)]
    pub next_after: Option<i64>,
}

/// Dossiers of an office (danh sách hồ sơ), optionally in one state.
#[utoipa::path(get, path = "/api/v1/dossiers", tag = OFFICER, params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of dossiers", body = DossierPage),
        (status = 400, description = "Malformed query: unknown state, office or limit not a number in range (`request.bad_query`, `state.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Outside the officer's office scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such office", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn list(
    State(app): State<App>,
    Auth(officer): Auth,
    Query(q): Query<ListQuery>,
) -> Result<Json<DossierPage>, ApiError> {
    let state = q
        .state
        .as_deref()
        .map(|s| state_of("state", s))
        .transpose()?;
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let items = app
        .service()
        .list_dossiers(
            &officer,
            q.office.unwrap_or(officer.office),
            state,
            Page {
                after: q.after.map(DossierId),
                limit,
            },
        )
        .await?;
    let next_after = (items.len() == limit as usize)
        .then(|| items.last().map(|d| d.id.0))
        .flatten();
    Ok(Json(DossierPage {
        items: items.iter().map(DossierView::from).collect(),
        next_after,
    }))
}

/// A workflow step (chuyển trạng thái).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionBody {
    /// Target state, e.g. `captured`, `sent_to_centre`, `approved`.
    #[schema(value_type = StateCode)]
    pub to: String,
    /// Note; the reason when refusing, rejecting or cancelling.
    pub note: Option<String>,
    /// The dossier version the officer saw; another stored version is 409.
    pub version: i64,
    /// Whether population data changed (after the slip: commune verification or not).
    pub population_data_changed: Option<bool>,
    /// At return: what happened to the old CMND/CCCD.
    pub old_document: Option<OldDocumentCode>,
}

/// The result of a step.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionView {
    /// Mã hồ sơ.
    pub code: String,
    /// State before.
    pub from: StateCode,
    /// State after.
    pub to: StateCode,
    /// Trạng thái mới (tiếng Việt).
    pub to_label_vi: &'static str,
    /// New state (English).
    pub to_label_en: &'static str,
    /// New version.
    pub version: i64,
    /// Epoch seconds of the event.
    pub at: i64,
    /// True when this answers a retry with the same `Idempotency-Key`.
    pub replayed: bool,
}

/// Moves a dossier to another state, checked against the workflow table
/// (role, state, office scope); optimistic concurrency on `version`;
/// idempotent under retries with an `Idempotency-Key` header.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/transitions", tag = OFFICER,
    request_body = TransitionBody,
    params(
        ("code" = DossierCodeText, Path, description = "Mã hồ sơ"),
        IdempotencyKeyHeader
    ),
    security(("bearer" = [])),
    responses(
        // No links from a step's answer (to the next step): the fuzz run's
        // stateful phase would start its chains at a step with a random
        // code instead of at registration (`scripts/api-fuzz.toml`).
        (status = 200, description = "The step was applied (or replayed)", body = TransitionView),
        (status = 400, description = "A body that is not JSON, a malformed code, state or idempotency key", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Wrong role or outside the office scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such dossier", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "Stale version, step not allowed from this state, key reused", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); reason, capture record or other requirement missing", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn transition(
    State(app): State<App>,
    Auth(officer): Auth,
    Path(code): Path<String>,
    headers: HeaderMap,
    Json(b): Json<TransitionBody>,
) -> Result<Response, ApiError> {
    let code = code_of(&code)?;
    let to = state_of("to", &b.to)?;
    let key = idempotency_key(&headers)?;
    let out = app
        .service()
        .transition(
            &officer,
            TransitionCommand {
                code,
                to,
                note: b.note,
                expected_version: b.version,
                idempotency_key: key,
                population_data_changed: b.population_data_changed,
                old_document: b.old_document.map(Into::into),
                at: None,
            },
        )
        .await?;
    let replayed = out.replayed;
    let mut res = Json(TransitionView {
        code: out.code,
        from: out.from.into(),
        to: out.to.into(),
        to_label_vi: out.to.label_vi(),
        to_label_en: out.to.label_en(),
        version: out.version,
        at: out.at,
        replayed,
    })
    .into_response();
    if replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// A capture record's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaptureView {
    /// Mã hồ sơ.
    pub code: String,
    /// The dossier's version after the save (the answer of `PUT` only:
    /// saving the capture is an event of the dossier's log, so a step must
    /// name this version); `null` in the answer of `GET`.
    pub version: Option<i64>,
    /// Whether the record allows `received → captured`.
    pub complete: bool,
    /// What is still missing, when incomplete.
    pub missing_vi: Option<String>,
    /// What is still missing (English).
    pub missing_en: Option<String>,
    /// The record; `null` when nothing was captured yet.
    #[schema(required = true)]
    pub record: Option<CaptureRecordView>,
}

fn capture_view(
    code: DossierCode,
    version: Option<i64>,
    record: Option<CaptureRecord>,
) -> CaptureView {
    let missing = record
        .as_ref()
        .map_or(Ok(()), CaptureRecord::check_complete)
        .err();
    CaptureView {
        code: code.to_string(),
        version,
        complete: record.as_ref().is_some_and(CaptureRecord::is_complete),
        missing_vi: missing.as_ref().map(|e| e.message_vi()),
        missing_en: missing.as_ref().map(|e| e.message_en()),
        record: record.as_ref().map(CaptureRecordView::from),
    }
}

/// Saves the capture record (phiếu thu nhận: vân tay 4+4+2 và 10 lăn, ảnh
/// chân dung, đặc điểm nhận dạng); reception of the dossier's office.
#[utoipa::path(put, path = "/api/v1/dossiers/{code}/capture", tag = OFFICER,
    params(("code" = DossierCodeText, Path, description = "Mã hồ sơ")),
    request_body(content = CaptureRecordView, description = "The capture record"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = CaptureView, links(
            ("Transition" = (operation_id = "transition", description = "The next step, at the version saved", parameters(("code" = "$response.body#/code")), request_body = json!({"version": "$response.body#/version"})))
        )),
        (status = 400, description = "A body that is not JSON, a malformed code (`request.bad_json`, `dossier_code.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Not reception of the dossier's office", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such dossier", body = ProblemBody, content_type = PROBLEM),
        (status = 409, description = "Another save changed the dossier at the same moment; read it and save again", body = ProblemBody, content_type = PROBLEM),
        (status = 413, description = "Body over the size limit (`request.too_large`)", body = ProblemBody, content_type = PROBLEM),
        (status = 415, description = "Not sent as `Content-Type: application/json` (`request.bad_json`)", body = ProblemBody, content_type = PROBLEM),
        (status = 422, description = "JSON of the wrong shape (`request.bad_json`); slots out of order, a missing finger without its reason, a portrait that fails its checklist, blank features", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn put_capture(
    State(app): State<App>,
    Auth(officer): Auth,
    Path(code): Path<String>,
    Json(body): Json<CaptureRecordView>,
) -> Result<Json<CaptureView>, ApiError> {
    let record = capture_of("", body)?;
    let code = code_of(&code)?;
    let version = app.service().save_capture(&officer, code, &record).await?;
    Ok(Json(capture_view(code, Some(version), Some(record))))
}

/// The capture record of a dossier.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/capture", tag = OFFICER,
    params(("code" = DossierCodeText, Path, description = "Mã hồ sơ")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The record (null when nothing was captured)", body = CaptureView),
        (status = 400, description = "Malformed code: wrong length, a letter, wrong check digit, impossible date (`dossier_code.*`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Outside the officer's office scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such dossier", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn get_capture(
    State(app): State<App>,
    Auth(officer): Auth,
    Path(code): Path<String>,
) -> Result<Json<CaptureView>, ApiError> {
    let code = code_of(&code)?;
    let record = app.service().capture(&officer, code).await?;
    Ok(Json(capture_view(code, None, record)))
}

/// Overdue (quá hạn) and at-risk (sắp đến hạn) open dossiers of an office,
/// each classified against its promised date in working days.
#[utoipa::path(get, path = "/api/v1/offices/{code}/overdue", tag = OFFICER,
    params(("code" = u16, Path, minimum = 0, maximum = 9999, description = "Office number, 0–9999")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The office's overdue and at-risk dossiers", body = DeadlineWatchView),
        (status = 400, description = "The office is not a number from 0 to 65535 (`request.bad_path`)", body = ProblemBody, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = ProblemBody, content_type = PROBLEM),
        (status = 403, description = "Outside the officer's office scope", body = ProblemBody, content_type = PROBLEM),
        (status = 404, description = "No such office", body = ProblemBody, content_type = PROBLEM)
    ))]
pub async fn overdue(
    State(app): State<App>,
    Auth(officer): Auth,
    Path(office): Path<u16>,
) -> Result<Json<DeadlineWatchView>, ApiError> {
    let watch = app.service().deadline_watch(&officer, office).await?;
    Ok(Json((&watch).into()))
}
