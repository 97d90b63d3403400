//! Confirmations of an old CMND number in the console (xác nhận số CMND
//! cũ): the receiving office's queue, a request opened with approve and
//! refuse (with its reason), the desk's own request form, and the printed
//! confirmation with a signed QR.
//!
//! | Path | What |
//! |---|---|
//! | `GET /can-bo/xac-nhan-cmnd` | the office's requests, waiting ones first (oldest first, due date, overdue), and the desk's request form |
//! | `POST /can-bo/xac-nhan-cmnd` | a request taken at the desk (reception) |
//! | `GET /can-bo/xac-nhan-cmnd/{code}` | one request: what was asked, its events, approve / refuse |
//! | `POST /can-bo/xac-nhan-cmnd/{code}/quyet-dinh` | the decision (`hanh_dong` = `duyet` or `tu_choi`, `ly_do`) |
//! | `GET /can-bo/xac-nhan-cmnd/{code}/in`, `…/in.pdf` | the printed confirmation (A4, print CSS), with its signed QR; the same as a PDF (`cancuoc_render::pdf::confirmation_pdf`) |
//!
//! Every form carries the session's CSRF token; every page calls one use
//! case of `Service` (`confirmation_queue`, `request_confirmation_at_desk`,
//! `confirmation_for`, `decide_confirmation`, `confirmation_document`). An
//! approval the record does not support comes back on the request's page
//! with the service's message (refuse with the reason instead).
//!
//! The printed confirmation's QR is a seal of `cancuoc-seal`
//! (`sign_confirmation`: Claim 169 CWT, COSE_Sign1 with Ed25519, zlib,
//! base45) signed with the site's key ([`crate::WebConfig::seal`]), which
//! the portal's verification page `/xac-minh` accepts. Without a signing
//! key, or for a date of birth known only to the month or year (the seal's
//! claim is a full date), the paper is printed without a seal and says so.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use cancuoc_core::person::PartialDate;
use cancuoc_render::barcode::qr_svg;
use cancuoc_service::model::{Confirmation, ConfirmationState, Verdict};
use cancuoc_service::{ConfirmationDocument, ConfirmationForm, ConfirmationRequest, ErrorClass};
use serde::Deserialize;

use super::dossier::code_or_400;
use super::forms::{FieldErrors, show_date, show_dob, show_instant};
use super::session::Session;
use crate::Web;
use crate::booking::fields::Fields;
use crate::error::PageError;
use crate::ui::Ui;

const QUEUE: &str = "/can-bo/xac-nhan-cmnd";

/// One row of the queue.
pub(crate) struct Row {
    code: String,
    grouped: String,
    name: String,
    old_number: String,
    channel: (&'static str, &'static str),
    state: (&'static str, &'static str),
    waiting: bool,
    received: String,
    promised: String,
    overdue: bool,
}

fn channel_label(c: &Confirmation) -> (&'static str, &'static str) {
    match c.channel {
        cancuoc_service::model::ConfirmationChannel::Portal => ("Cổng dịch vụ công", "Portal"),
        cancuoc_service::model::ConfirmationChannel::Desk => {
            ("Tại bộ phận tiếp nhận", "At the desk")
        }
    }
}

/// `GET /can-bo/xac-nhan-cmnd`.
#[derive(Template, WebTemplate)]
#[template(path = "console/confirmations.html")]
pub(crate) struct QueuePage {
    ui: Ui,
    session: Session,
    rows: Vec<Row>,
    /// Reception may take a request at the desk.
    desk: bool,
    personal_id: String,
    full_name: String,
    dob: String,
    old_number: String,
    errors: FieldErrors,
}

/// A request's events, for its page.
pub(crate) struct EventRow {
    at: String,
    state: (&'static str, &'static str),
    note: Option<String>,
}

/// `GET /can-bo/xac-nhan-cmnd/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "console/confirmation.html")]
pub(crate) struct RequestPage {
    ui: Ui,
    session: Session,
    code: String,
    grouped: String,
    personal_id: String,
    full_name: String,
    dob: String,
    old_number: String,
    channel: (&'static str, &'static str),
    state: (&'static str, &'static str),
    waiting: bool,
    approved: bool,
    received: String,
    promised: String,
    overdue: bool,
    refusal: Option<String>,
    events: Vec<EventRow>,
    reason: String,
    errors: FieldErrors,
    done: Option<(&'static str, &'static str)>,
}

/// `GET /can-bo/xac-nhan-cmnd/{code}/in`.
#[derive(Template, WebTemplate)]
#[template(path = "console/print_confirmation.html")]
pub(crate) struct PrintPage {
    ui: Ui,
    session: Session,
    code: String,
    grouped: String,
    full_name: String,
    dob: String,
    personal_id: String,
    old_number: String,
    office_name: String,
    office_address: String,
    decided: String,
    basis: String,
    /// The signed QR as inline SVG, when the site signs.
    qr: Option<String>,
    /// Why there is no seal.
    no_seal: Option<(&'static str, &'static str)>,
    /// The seal's text (empty without one), for the PDF.
    seal: String,
}

impl PrintPage {
    /// The PDF's content: the view's fields as the view shows them.
    fn doc(&self) -> cancuoc_render::pdf::ConfirmationDoc {
        let ui = &self.ui;
        cancuoc_render::pdf::ConfirmationDoc {
            office_name: self.office_name.clone(),
            office_address: self.office_address.clone(),
            code: self.code.clone(),
            grouped: self.grouped.clone(),
            full_name: self.full_name.clone(),
            dob: self.dob.clone(),
            personal_id: self.personal_id.clone(),
            old_number: self.old_number.clone(),
            decided: self.decided.clone(),
            basis: self.basis.clone(),
            seal: self.seal.clone(),
            no_seal: self
                .no_seal
                .map_or_else(String::new, |(vi, en)| ui.t(vi, en).to_owned()),
        }
    }
}

fn state_label(s: ConfirmationState) -> (&'static str, &'static str) {
    (s.label_vi(), s.label_en())
}

fn row(c: &Confirmation, overdue: bool) -> Row {
    Row {
        code: c.code.to_string(),
        grouped: c.code.grouped(),
        name: c.full_name.clone(),
        old_number: c.old_number.as_str().to_owned(),
        channel: channel_label(c),
        state: state_label(c.state),
        waiting: !c.state.is_decided(),
        received: show_date(c.received_on),
        promised: show_date(c.promised_on),
        overdue,
    }
}

async fn queue_page(
    app: &Web,
    session: Session,
    f: &Fields,
    errors: FieldErrors,
) -> Result<QueuePage, PageError> {
    let ui = session.ui.clone();
    let rows = app
        .service()
        .confirmation_queue(&session.officer)
        .await
        .map_err(|e| PageError::service(&ui, e))?
        .iter()
        .map(|q| row(&q.confirmation, q.overdue))
        .collect();
    Ok(QueuePage {
        desk: cancuoc_service::CONFIRMATION_DESK.contains(&session.officer.role),
        ui,
        session,
        rows,
        personal_id: f.get("so_dinh_danh").to_owned(),
        full_name: f.get("ho_ten").to_owned(),
        dob: f.get("ngay_sinh").to_owned(),
        old_number: f.get("so_cmnd").to_owned(),
        errors,
    })
}

/// `GET /can-bo/xac-nhan-cmnd`.
async fn queue(State(app): State<Web>, session: Session) -> Result<QueuePage, PageError> {
    queue_page(&app, session, &Fields::default(), FieldErrors::default()).await
}

/// The form field of a service field name.
fn form_field(service_field: &str) -> &'static str {
    match service_field {
        "personal_id" => "so_dinh_danh",
        "full_name" => "ho_ten",
        "date_of_birth" => "ngay_sinh",
        "old_number" => "so_cmnd",
        _ => "",
    }
}

/// `POST /can-bo/xac-nhan-cmnd`: a request taken at the desk; 303 to it.
async fn desk_request(State(app): State<Web>, session: Session, body: Bytes) -> Response {
    let f = Fields::parse(&body);
    if let Err(e) = session.check_csrf(f.get("csrf")) {
        return e.into_response();
    }
    let ui = session.ui.clone();
    let form = ConfirmationForm {
        office: "",
        personal_id: f.get("so_dinh_danh"),
        full_name: f.get("ho_ten"),
        date_of_birth: f.get("ngay_sinh"),
        old_number: f.get("so_cmnd"),
    };
    let mut errors = FieldErrors::default();
    let outcome = match ConfirmationRequest::checked(&form, app.service().today()) {
        Ok(req) => app
            .service()
            .request_confirmation_at_desk(&session.officer, req)
            .await
            .map_err(Some),
        Err(problems) => {
            for p in &problems {
                errors.add(form_field(p.field), &p.message_vi, &p.message_en);
            }
            Err(None)
        }
    };
    match outcome {
        Ok(c) => see_other(format!("{QUEUE}/{}?ok=moi", c.code)),
        Err(Some(e)) if e.class() != ErrorClass::Invalid => {
            PageError::service(&ui, e).into_response()
        }
        Err(e) => {
            if let Some(e) = e {
                errors.add_localized("", &e);
            }
            match queue_page(&app, session, &f, errors).await {
                Ok(p) => (StatusCode::UNPROCESSABLE_ENTITY, p).into_response(),
                Err(e) => e.into_response(),
            }
        }
    }
}

/// Query of a request's page.
#[derive(Debug, Default, Deserialize)]
struct DoneQuery {
    ok: Option<String>,
}

async fn request_page(
    app: &Web,
    session: Session,
    code: &str,
    errors: FieldErrors,
    reason: String,
    done: Option<(&'static str, &'static str)>,
) -> Result<RequestPage, PageError> {
    let ui = session.ui.clone();
    let code = code_or_400(&ui, code)?;
    let c = app
        .service()
        .confirmation_for(&session.officer, code)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let overdue = c.is_overdue(app.service().today());
    Ok(RequestPage {
        code: c.code.to_string(),
        grouped: c.code.grouped(),
        personal_id: c.personal_id.as_str().to_owned(),
        full_name: c.full_name.clone(),
        dob: show_dob(&c.dob),
        old_number: c.old_number.as_str().to_owned(),
        channel: channel_label(&c),
        state: state_label(c.state),
        waiting: !c.state.is_decided(),
        approved: c.state == ConfirmationState::Approved,
        received: show_date(c.received_on),
        promised: show_date(c.promised_on),
        overdue,
        refusal: c.refusal.clone(),
        events: c
            .events
            .iter()
            .map(|e| EventRow {
                at: show_instant(e.at),
                state: state_label(e.to),
                note: e.note.clone(),
            })
            .collect(),
        ui,
        session,
        reason,
        errors,
        done,
    })
}

/// `GET /can-bo/xac-nhan-cmnd/{code}`.
async fn open(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<RequestPage, PageError> {
    let done = match q.ok.as_deref() {
        Some("moi") => Some(("Đã tiếp nhận yêu cầu.", "Request taken.")),
        Some("duyet") => Some((
            "Đã cấp giấy xác nhận: in giấy xác nhận bên dưới.",
            "Confirmed: print the confirmation below.",
        )),
        Some("tu_choi") => Some((
            "Đã từ chối; lý do được ghi vào hồ sơ.",
            "Refused; the reason is on record.",
        )),
        _ => None,
    };
    request_page(
        &app,
        session,
        &code,
        FieldErrors::default(),
        String::new(),
        done,
    )
    .await
}

/// `POST /can-bo/xac-nhan-cmnd/{code}/quyet-dinh`: approve or refuse; 303
/// to the request, or its page again with the message (422).
async fn decide(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    if let Err(e) = session.check_csrf(f.get("csrf")) {
        return e.into_response();
    }
    let ui = session.ui.clone();
    let parsed = match code_or_400(&ui, &code) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let (verdict, ok) = match f.get("hanh_dong") {
        "duyet" => (Verdict::Approve, "duyet"),
        "tu_choi" => (Verdict::Refuse(f.get("ly_do").to_owned()), "tu_choi"),
        _ => {
            return PageError::new(
                &ui,
                StatusCode::BAD_REQUEST,
                "Hãy chọn Cấp giấy xác nhận hoặc Từ chối.",
                "Choose Confirm or Refuse.",
            )
            .into_response();
        }
    };
    match app
        .service()
        .decide_confirmation(&session.officer, parsed, verdict)
        .await
    {
        Ok(_) => see_other(format!("{QUEUE}/{parsed}?ok={ok}")),
        Err(e) if matches!(e.class(), ErrorClass::Invalid | ErrorClass::Conflict) => {
            let mut errors = FieldErrors::default();
            let field = if ok == "tu_choi" { "ly_do" } else { "" };
            errors.add_localized(field, &e);
            match request_page(
                &app,
                session,
                &code,
                errors,
                f.get("ly_do").to_owned(),
                None,
            )
            .await
            {
                Ok(p) => (StatusCode::UNPROCESSABLE_ENTITY, p).into_response(),
                Err(e) => e.into_response(),
            }
        }
        Err(e) => PageError::service(&ui, e).into_response(),
    }
}

/// The seal of the confirmation `doc` with the site's key, as its QR
/// code's text; `Err` says why there is none.
fn seal_text(
    app: &Web,
    doc: &ConfirmationDocument,
) -> Result<String, (&'static str, &'static str)> {
    let Some(keys) = &app.config().seal else {
        return Err((
            "Máy chủ chưa có khóa ký: giấy in không có mã QR ký số.",
            "The server has no signing key: the paper carries no signed QR code.",
        ));
    };
    let Some(key) = &keys.signing else {
        return Err((
            "Máy chủ chỉ có khóa kiểm tra, không có khóa ký: giấy in không có mã QR ký số.",
            "The server only verifies and has no signing key: the paper carries no signed QR code.",
        ));
    };
    let PartialDate::Full(dob) = doc.dob else {
        return Err((
            "Ngày sinh trong hồ sơ không đầy đủ (chỉ có tháng hoặc năm): không ký được mã QR.",
            "The date of birth on record is incomplete (month or year only): no signed QR code.",
        ));
    };
    let claims = cancuoc_seal::Confirmation {
        code: doc.code.to_string(),
        personal_id: doc.personal_id.as_str().to_owned(),
        full_name: doc.full_name.clone(),
        date_of_birth: dob,
        old_id: doc.old_number.as_str().to_owned(),
        decided_on: doc.decided_on,
        office: doc.office_name.clone(),
    };
    cancuoc_seal::sign_confirmation(&claims, key, &keys.issuer, app.service().now()).map_err(|e| {
        tracing::error!(error = %e, "sealing a confirmation failed");
        (
            "Không ký được mã QR (lỗi máy chủ); giấy in không có mã QR ký số.",
            "The QR code could not be signed (server error); the paper carries no signed QR code.",
        )
    })
}

/// `GET /can-bo/xac-nhan-cmnd/{code}/in`: the printed confirmation.
async fn print(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
) -> Result<PrintPage, PageError> {
    print_view(&app, session, &code).await
}

/// `GET /can-bo/xac-nhan-cmnd/{code}/in.pdf`: the same as a PDF (the same
/// service call, so its read is audited as the page's is).
async fn print_pdf(State(app): State<Web>, session: Session, Path(code): Path<String>) -> Response {
    let ui = session.ui.clone();
    let view = match print_view(&app, session, &code).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let doc = view.doc();
    let file = format!("giay-xac-nhan-cmnd-{}.pdf", view.code);
    super::print::pdf_download(&ui, file, move || {
        cancuoc_render::pdf::confirmation_pdf(&doc)
    })
    .await
}

/// The printed confirmation's view of request `code` (the page and its
/// PDF).
async fn print_view(app: &Web, session: Session, code: &str) -> Result<PrintPage, PageError> {
    let ui = session.ui.clone();
    let code = code_or_400(&ui, code)?;
    let doc = app
        .service()
        .confirmation_document(code, &session.officer)
        .await
        .map_err(|e| PageError::service(&ui, e))?;
    let (qr, no_seal, seal) = match seal_text(app, &doc) {
        Ok(text) => {
            let label = ui.t(
                "Mã QR ký số của giấy xác nhận: quét để kiểm tra tại trang xác minh",
                "Signed QR code of the confirmation: scan it to check on the verification page",
            );
            let svg = qr_svg(&text, label).map_err(|e| {
                PageError::server(
                    &ui,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("QR code of confirmation {code}: {e}"),
                )
            })?;
            (Some(svg), None, text)
        }
        Err(why) => (None, Some(why), String::new()),
    };
    let basis = doc
        .deadline
        .basis
        .first()
        .map(|b| format!("{} {}", b.article, b.document))
        .unwrap_or_default();
    Ok(PrintPage {
        code: doc.code.to_string(),
        grouped: doc.code.grouped(),
        full_name: doc.full_name,
        dob: show_dob(&doc.dob),
        personal_id: doc.personal_id.as_str().to_owned(),
        old_number: doc.old_number.as_str().to_owned(),
        office_name: doc.office_name,
        office_address: doc.office_address,
        decided: show_date(doc.decided_on),
        basis,
        qr,
        no_seal,
        seal,
        ui,
        session,
    })
}

fn see_other(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// The confirmations' routes.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route(QUEUE, get(queue).post(desk_request))
        .route("/can-bo/xac-nhan-cmnd/{code}", get(open))
        .route("/can-bo/xac-nhan-cmnd/{code}/quyet-dinh", post(decide))
        .route("/can-bo/xac-nhan-cmnd/{code}/in", get(print))
        .route("/can-bo/xac-nhan-cmnd/{code}/in.pdf", get(print_pdf))
}
