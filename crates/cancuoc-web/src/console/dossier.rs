//! The dossier page of the console (trang hồ sơ, `/can-bo/ho-so/{code}`):
//! details, fee with its legal basis, promised date and stage deadlines,
//! the event timeline, and one form per workflow step the officer's role
//! and office scope allow (`POST /can-bo/ho-so/{code}/chuyen`). From
//! "printed" on, the card panel (thẻ): its state, dates, model, MRZ lines
//! and whether its chip was signed, with the link to its specimen and, for
//! officers who may, the "report lost" form (`POST
//! /can-bo/ho-so/{code}/bao-mat`).
//!
//! Each form carries the dossier version the officer saw: a stale page is
//! answered 409 with the current state and a clear message, never applied
//! over someone else's step. A random key per rendered form makes a
//! double submit idempotent (the service's idempotency key).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use cancuoc_core::dossier::code::{CODE_LEN, DossierCode, DossierCodeError};
use cancuoc_core::dossier::workflow::{
    OldDocument, Refusal, Requirement, State as DState, TRANSITIONS, TransitionInput,
    check_transition,
};
use cancuoc_core::i18n::Localized;
use cancuoc_core::rules::Stage;
use cancuoc_service::model::{Dossier, EventKind, Office};
use serde::Deserialize;

use super::forms::{form_key, is_stale, show_date, show_instant, show_vnd};
use super::reception::Found;
use super::session::Session;
use crate::Web;
use crate::error::{PageError, status_of};
use crate::ui::Ui;
use cancuoc_service::TransitionCommand;

/// One line of the timeline (nhật ký hồ sơ).
pub(crate) struct TimelineRow {
    /// dd/mm/yyyy HH:MM (Vietnam).
    pub at: String,
    /// A capture event (fingerprints, portrait, features recorded), not a
    /// workflow step; its note says whether the record is complete.
    pub capture: bool,
    /// Who (officer name, or the citizen through the portal).
    pub who: String,
    /// The role the step was taken in.
    pub role: cancuoc_core::dossier::workflow::Role,
    /// From state (none for the creating event).
    pub from: Option<DState>,
    /// To state.
    pub to: DState,
    /// Note or reason.
    pub note: String,
}

/// A workflow step the officer may take, as a form.
pub(crate) struct Step {
    /// Target state.
    pub to: DState,
    /// A reason (lý do) is required.
    pub needs_reason: bool,
    /// The old document's fate is required.
    pub needs_old_document: bool,
    /// Whether population data changed, implied by the target.
    pub population: Option<bool>,
    /// A complete capture record is required.
    pub needs_capture: bool,
}

/// One stage deadline.
pub(crate) struct StageRow {
    /// The stage.
    pub stage: Option<Stage>,
    /// Its code, when the build does not know it.
    pub code: String,
    /// dd/mm/yyyy.
    pub due: String,
    /// The due date has passed (and the dossier is open).
    pub passed: bool,
}

/// The card panel (thẻ) of a dossier from "printed" on.
pub(crate) struct CardPanel {
    /// The state, Vietnamese and English.
    pub state_vi: &'static str,
    /// The state in English.
    pub state_en: &'static str,
    /// Its stable code (`printed`, `active`, `lost` …), for styling.
    pub state_code: &'static str,
    /// Ngày cấp, dd/mm/yyyy.
    pub issued: String,
    /// Có giá trị đến, dd/mm/yyyy, or `None` for no expiry.
    pub expires: Option<String>,
    /// The model, Vietnamese and English.
    pub model: Option<(&'static str, &'static str)>,
    /// The MRZ lines as printed.
    pub mrz: Vec<String>,
    /// The chip's EF.SOD was signed (a digest is on record).
    pub signed: bool,
    /// When it was reported lost, dd/mm/yyyy HH:MM, and why.
    pub lost: Option<(String, String)>,
    /// The officer may report it lost (and it can still be lost).
    pub can_report_lost: bool,
}

impl CardPanel {
    fn of(c: &cancuoc_service::model::Card, may_report: bool) -> Self {
        use cancuoc_service::model::CardState as K;
        let (state_vi, state_en) = match c.state {
            K::Printed => (
                "Đã in, chưa trao cho công dân",
                "Printed, not yet handed over",
            ),
            K::Active => ("Đang sử dụng", "Active"),
            K::Replaced => ("Đã được thay thế", "Replaced"),
            K::Lost => ("Đã báo mất", "Reported lost"),
            K::Void => ("Đã hủy", "Void"),
        };
        Self {
            state_vi,
            state_en,
            state_code: c.state.code(),
            issued: show_date(c.issued_on),
            expires: c.expires_on.map(show_date),
            model: c.model.map(|m| match m {
                cancuoc_core::card::CardModel::CanCuoc2024 => {
                    ("Thẻ Căn cước (mẫu 2024)", "Căn cước card (2024 model)")
                }
                cancuoc_core::card::CardModel::Cccd2021 => (
                    "Thẻ CCCD gắn chip (mẫu 2021)",
                    "Chip CCCD card (2021 model)",
                ),
            }),
            mrz: c
                .mrz
                .as_deref()
                .map(|m| m.lines().map(str::to_owned).collect())
                .unwrap_or_default(),
            signed: c.sod_digest.is_some(),
            lost: c
                .lost_at
                .map(|at| (show_instant(at), c.lost_reason.clone().unwrap_or_default())),
            can_report_lost: may_report && matches!(c.state, K::Printed | K::Active),
        }
    }
}

/// `GET /can-bo/ho-so/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "console/dossier.html")]
pub(crate) struct DossierPage {
    ui: Ui,
    session: Session,
    d: Dossier,
    citizen: Found,
    office: Option<Office>,
    fee: String,
    fee_explanation_vi: String,
    fee_explanation_en: String,
    fee_basis: Vec<String>,
    /// How the application was filed, as the fee was priced.
    fee_channel: Option<cancuoc_core::rules::Channel>,
    /// The document seen for the exemption, when one was needed.
    fee_document: Option<String>,
    received: String,
    promised: String,
    overdue: bool,
    stages: Vec<StageRow>,
    timeline: Vec<TimelineRow>,
    steps: Vec<Step>,
    /// Capture: (slots recorded, complete) when a record exists.
    capture: Option<(usize, bool)>,
    /// The officer may fill in the capture checklist.
    can_capture: bool,
    /// The officer's role prints the desk's papers (receipt form, slip).
    desk_papers: bool,
    /// An appointment slip was issued (the slip can be printed).
    slip_issued: bool,
    /// The card, from "printed" on.
    card: Option<CardPanel>,
    /// Idempotency key of this rendering's forms.
    key: String,
    /// Success message (after a step).
    notice: Option<(String, String)>,
    /// Why the last submission was refused.
    problem: Option<(String, String)>,
}

/// Parses a dossier code from the path, or a 400 page in the console's
/// words ([`code_problem`]).
pub(crate) fn code_or_400(ui: &Ui, code: &str) -> Result<DossierCode, PageError> {
    DossierCode::parse(code).map_err(|e| {
        let (vi, en) = code_problem(&e);
        PageError::new(ui, StatusCode::BAD_REQUEST, vi, en)
    })
}

/// What is wrong with a typed dossier code, in words for an officer: the
/// parser's own messages send a citizen to their appointment slip; an
/// officer is pointed to the dossier's papers or the lists instead.
pub(crate) fn code_problem(e: &DossierCodeError) -> (String, String) {
    const WHERE_VI: &str =
        "kiểm tra lại mã trên phiếu thu nhận, giấy hẹn hoặc tìm hồ sơ trong hàng đợi";
    const WHERE_EN: &str = "check the code on the receipt form or the appointment slip, or find the dossier in the work queues";
    match e {
        DossierCodeError::Empty => (
            format!("Chưa nhập mã hồ sơ (16 chữ số): {WHERE_VI}."),
            format!("No dossier code given (16 digits): {WHERE_EN}."),
        ),
        DossierCodeError::WrongLength { found } => (
            format!("Mã hồ sơ phải có {CODE_LEN} chữ số, nhưng nhập {found} chữ số: {WHERE_VI}."),
            format!("A dossier code has {CODE_LEN} digits, but {found} were given: {WHERE_EN}."),
        ),
        DossierCodeError::BadCheckDigit => (
            format!("Chữ số kiểm tra không đúng: có chữ số bị nhập sai hoặc đảo chỗ; {WHERE_VI}."),
            format!(
                "The check digit is wrong: a digit was mistyped or two were swapped; {WHERE_EN}."
            ),
        ),
        other => (other.message_vi(), other.message_en()),
    }
}

/// The steps `session`'s officer may take from the dossier's state, with
/// what each needs.
async fn steps_for(app: &Web, session: &Session, d: &Dossier) -> Vec<Step> {
    let tree = app.service().offices();
    let scope = tree.scope_for(&session.officer, d.office);
    let mut steps: Vec<Step> = Vec::new();
    for t in TRANSITIONS
        .iter()
        .filter(|t| t.from == d.state && t.role == session.officer.role)
    {
        if steps.iter().any(|s| s.to == t.to) {
            continue;
        }
        let refused = check_transition(d.state, t.to, t.role, scope, &TransitionInput::default())
            .err()
            .is_some_and(|e| e.refusal() == Refusal::Actor);
        if refused {
            continue;
        }
        let has = |q: Requirement| t.requires.contains(&q);
        steps.push(Step {
            to: t.to,
            needs_reason: has(Requirement::Reason),
            needs_old_document: has(Requirement::OldDocument),
            population: if has(Requirement::PopulationChanged) {
                Some(true)
            } else if has(Requirement::PopulationUnchanged) {
                Some(false)
            } else {
                None
            },
            needs_capture: has(Requirement::CompleteCapture),
        });
    }
    // The step forward first (the primary button), refusals after.
    steps.sort_by_key(|s| s.to.is_setback());
    steps
}

/// Builds the page for a dossier the officer may read.
pub(crate) async fn dossier_page(
    app: &Web,
    session: Session,
    code: DossierCode,
    notice: Option<(String, String)>,
    problem: Option<(String, String)>,
) -> Result<DossierPage, PageError> {
    let ui = session.ui.clone();
    let svc = app.service();
    let file = svc
        .dossier_file(&session.officer, code)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let (d, citizen, office) = (file.dossier, file.citizen, file.office);
    let may_report = svc.may_report_card_lost(&session.officer);
    let card = file.card.as_ref().map(|c| CardPanel::of(c, may_report));
    let today = svc.today();
    let fee_document = file.fee.as_ref().and_then(|f| f.exemption_document.clone());
    let ((fee_explanation_vi, fee_explanation_en), fee_basis, fee_channel) = match file.fee {
        Some(f) => (
            (f.explanation_vi, f.explanation_en),
            f.basis
                .iter()
                .map(|(document, article)| format!("{document}, {article}"))
                .collect(),
            Some(f.channel),
        ),
        None => ((String::new(), String::new()), Vec::new(), None),
    };
    let mut timeline = Vec::with_capacity(d.events.len());
    for e in &d.events {
        let who = match e.actor {
            None => ui
                .t("Công dân (cổng trực tuyến)", "Citizen (portal)")
                .to_owned(),
            Some(id) => file
                .actors
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("#{}", id.0)),
        };
        timeline.push(TimelineRow {
            at: show_instant(e.at),
            capture: e.kind == EventKind::Capture,
            who,
            role: e.actor_role,
            from: e.from,
            to: e.to,
            note: e.note.clone().unwrap_or_default(),
        });
    }
    let open = !d.state.is_terminal();
    let stages = d
        .deadlines
        .iter()
        .map(|s| StageRow {
            stage: Some(s.stage),
            code: s.stage.code().to_owned(),
            due: show_date(s.due),
            passed: open && s.due < today,
        })
        .collect();
    let capture = file
        .capture
        .map(|r| (r.fingerprints().count(), r.is_complete()));
    let can_capture = session.officer.role == cancuoc_core::dossier::workflow::Role::Receptionist
        && session.officer.office == d.office
        && matches!(d.state, DState::Received | DState::Rejected);
    let steps = steps_for(app, &session, &d).await;
    let desk_papers = session.areas().desk_papers;
    Ok(DossierPage {
        ui,
        citizen: Found::of(&citizen),
        office,
        fee: show_vnd(d.fee_vnd),
        fee_explanation_vi,
        fee_explanation_en,
        fee_basis,
        fee_channel,
        fee_document,
        received: show_date(d.received_on),
        promised: show_date(d.promised_on),
        overdue: open && d.promised_on < today,
        stages,
        slip_issued: d.events.iter().any(|e| e.to == DState::SlipIssued),
        card,
        timeline,
        steps,
        capture,
        can_capture,
        desk_papers,
        key: form_key(),
        notice,
        problem,
        session,
        d,
    })
}

#[derive(Deserialize)]
struct PageQuery {
    ok: Option<String>,
}

/// The success message after a redirect (`?ok=mo`, `?ok=thu-nhan` or a
/// state code).
fn notice_of(ok: Option<&str>) -> Option<(String, String)> {
    let ok = ok?;
    Some(match ok {
        "mo" => ("Đã lập hồ sơ.".into(), "The dossier is open.".into()),
        "thu-nhan" => (
            "Đã lưu phiếu thu nhận thông tin.".into(),
            "The capture record is saved.".into(),
        ),
        "bao-mat" => (
            "Đã báo mất thẻ: thẻ bị chặn ngay (tra cứu tình trạng thẻ trả lời \"đã báo mất\")."
                .into(),
            "The card is reported lost: it is blocked at once (the card status answers \"lost\")."
                .into(),
        ),
        code => {
            let st = code.parse::<DState>().ok()?;
            (
                format!("Đã chuyển hồ sơ sang: {}.", st.label_vi()),
                format!("The dossier moved to: {}.", st.label_en()),
            )
        }
    })
}

async fn show(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<DossierPage, PageError> {
    let code = code_or_400(&session.ui, &code)?;
    dossier_page(&app, session, code, notice_of(q.ok.as_deref()), None).await
}

#[derive(Deserialize)]
struct FindQuery {
    #[serde(default)]
    ma: String,
}

/// `GET /can-bo/ho-so?ma=…`: the console home's "open by code" box; a
/// typo is answered on the home page, beside the box, with what is wrong.
async fn find(
    State(app): State<Web>,
    session: Session,
    Query(q): Query<FindQuery>,
) -> Result<Response, PageError> {
    let code = match DossierCode::parse(&q.ma) {
        Ok(c) => c,
        Err(e) => {
            let typed = Some((q.ma.trim().to_owned(), code_problem(&e)));
            return Ok(super::login::home_page(&app, session, typed)
                .await
                .into_response());
        }
    };
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/can-bo/ho-so/{code}"))],
    )
        .into_response())
}

/// The step form's fields.
#[derive(Deserialize)]
struct StepForm {
    #[serde(default)]
    csrf: String,
    /// Target state code.
    #[serde(default)]
    to: String,
    /// The version the page showed.
    #[serde(default)]
    version: String,
    /// Note or reason.
    #[serde(default)]
    ghi_chu: String,
    /// `collected` / `none_to_collect`.
    #[serde(default)]
    giay_to_cu: String,
    /// Idempotency key of the rendered form.
    #[serde(default)]
    key: String,
}

async fn step(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let ui = session.ui.clone();
    let code = code_or_400(&ui, &code)?;
    let bad = |vi: &str, en: &str| PageError::new(&ui, StatusCode::BAD_REQUEST, vi, en);
    let to =
        f.to.parse::<DState>()
            .map_err(|_| bad("Bước chuyển không hợp lệ.", "Unknown workflow step."))?;
    let version = f.version.trim().parse::<i64>().map_err(|_| {
        bad(
            "Thiếu phiên bản hồ sơ: hãy tải lại trang.",
            "The dossier version is missing: reload the page.",
        )
    })?;
    let old_document = match f.giay_to_cu.as_str() {
        "collected" => Some(OldDocument::Collected),
        "none_to_collect" => Some(OldDocument::NoneToCollect),
        _ => None,
    };
    // The population flag is what the target means (see the table).
    let requires = TRANSITIONS
        .iter()
        .find(|t| t.to == to && t.role == session.officer.role)
        .map_or(&[][..], |t| t.requires);
    let population = if requires.contains(&Requirement::PopulationChanged) {
        Some(true)
    } else if requires.contains(&Requirement::PopulationUnchanged) {
        Some(false)
    } else {
        None
    };
    let note = f.ghi_chu.trim();
    let cmd = TransitionCommand {
        code,
        to,
        note: (!note.is_empty()).then(|| note.to_owned()),
        expected_version: version,
        idempotency_key: (!f.key.is_empty()).then(|| format!("console:{}", f.key)),
        population_data_changed: population,
        old_document,
        at: None,
    };
    match app.service().transition(&session.officer, cmd).await {
        Ok(out) => Ok((
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/can-bo/ho-so/{code}?ok={}", out.to.code()),
            )],
        )
            .into_response()),
        Err(e) => {
            let stale = is_stale(&e);
            let status = status_of(e.class());
            if status.is_server_error() || status == StatusCode::NOT_FOUND {
                return Err(PageError::service(&ui, e));
            }
            let problem = if stale {
                (
                    "Hồ sơ vừa được cán bộ khác cập nhật sau khi bạn mở trang: bước của bạn CHƯA được thực hiện. Dưới đây là trạng thái mới nhất; hãy kiểm tra rồi làm lại nếu vẫn cần.".to_owned(),
                    "Another officer updated this dossier after you opened the page: your step was NOT applied. The current state is shown below; check it and try again if still needed.".to_owned(),
                )
            } else {
                (e.message_vi(), e.message_en())
            };
            let page = dossier_page(&app, session, code, None, Some(problem)).await?;
            Ok((status, page).into_response())
        }
    }
}

/// The "report lost" form of the card panel.
#[derive(Deserialize)]
struct LostForm {
    #[serde(default)]
    csrf: String,
    /// Lý do báo mất.
    #[serde(default)]
    ly_do: String,
}

/// `POST /can-bo/ho-so/{code}/bao-mat`: reports the dossier's card lost
/// (hotlisted at once); a refusal is shown on the dossier page.
async fn report_lost(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
    Form(f): Form<LostForm>,
) -> Result<Response, PageError> {
    session.check_csrf(&f.csrf)?;
    let ui = session.ui.clone();
    let code = code_or_400(&ui, &code)?;
    match app
        .service()
        .report_dossier_card_lost(&session.officer, code, &f.ly_do)
        .await
    {
        Ok(_) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/can-bo/ho-so/{code}?ok=bao-mat"))],
        )
            .into_response()),
        Err(e) => {
            let status = status_of(e.class());
            if status.is_server_error() || status == StatusCode::NOT_FOUND {
                return Err(PageError::service(&ui, e));
            }
            let problem = (e.message_vi(), e.message_en());
            let page = dossier_page(&app, session, code, None, Some(problem)).await?;
            Ok((status, page).into_response())
        }
    }
}

/// The dossier page routes.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route("/can-bo/ho-so", get(find))
        .route("/can-bo/ho-so/{code}", get(show))
        .route("/can-bo/ho-so/{code}/chuyen", post(step))
        .route("/can-bo/ho-so/{code}/bao-mat", post(report_lost))
}
