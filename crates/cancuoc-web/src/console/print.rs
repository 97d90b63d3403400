//! Print views (bản in): the receipt form (phiếu thu nhận thông tin,
//! `/can-bo/ho-so/{code}/in/bien-nhan`, A4) and the appointment slip
//! (giấy hẹn trả kết quả, `/can-bo/ho-so/{code}/in/giay-hen`, A5).
//!
//! Both show the dossier code as a Code 128 barcode (inline SVG) and as
//! digits, the promised date and the office with its hotline. The receipt
//! form is the one paper where the citizen's name and personal ID are
//! printed in full: it exists for the citizen to check, before signing,
//! the data the card will carry. It has the national header and the form's
//! official number (`rules::receipt_form`: Mẫu CC01 of Thông tư
//! 17/2024/TT-BCA, or CC02 of Thông tư 66/2015/TT-BCA before 1 Jul 2024),
//! and its data comes from `Service::receipt_form` (reception of an office
//! that may read the dossier; the read audited as `print_receipt`). The
//! slip, handed over and carried around, keeps the masked name. The 16-digit code is encoded in character set C
//! (two digits per symbol; barcoders needs the `Ć` prefix to pick it), the
//! densest encoding for digits. `@media print` rules in `console.css` set
//! the paper size (named pages `a4`, `a5`) and hide the console's frame.
//!
//! Each view has its PDF beside it (`…/in/bien-nhan.pdf`,
//! `…/in/giay-hen.pdf`, linked from the view): the same data from the same
//! service calls (so the receipt's PDF is audited as `print_receipt` like
//! its page), filled into `cancuoc_render::pdf::ReceiptDoc` / `SlipDoc` as
//! the view formats it, drawn on a blocking thread and sent as an
//! attachment named by the dossier code (never the personal ID).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State as DState;
use cancuoc_core::rules::FormRef;
use cancuoc_render::barcode::{code128_svg, qr_svg};
use cancuoc_render::pdf::{ReceiptDoc, SlipDoc};
use cancuoc_service::model::{Citizen, Dossier, Office, mask_name};

use super::dossier::code_or_400;
use super::forms::{show_date, show_dob, show_instant, show_vnd};
use super::session::Session;
use crate::Web;
use crate::error::PageError;
use crate::ui::Ui;

/// The national hotline for card questions (seed 002).
pub(crate) const NATIONAL_HOTLINE: &str = "1900.0368";

/// What both print views show.
pub(crate) struct Printed {
    /// Mã hồ sơ.
    pub code: DossierCode,
    /// The inline SVG barcode.
    pub barcode: String,
    /// The 16 digits grouped as everywhere (`DossierCode::grouped`:
    /// office, date, random part, check digit).
    pub grouped: String,
    /// Họ tên đã che.
    pub masked_name: String,
    /// dd/mm/yyyy.
    pub dob: String,
    /// Ngày tiếp nhận.
    pub received: String,
    /// Ngày hẹn trả.
    pub promised: String,
    /// The receiving office.
    pub office: Option<Office>,
    /// The dossier.
    pub d: Dossier,
    /// Lệ phí.
    pub fee: String,
    /// When the slip was issued, if it was.
    pub slip_at: Option<String>,
}

/// `GET /can-bo/ho-so/{code}/in/bien-nhan`.
#[derive(Template, WebTemplate)]
#[template(path = "console/print_receipt.html")]
pub(crate) struct Receipt {
    ui: Ui,
    session: Session,
    p: Printed,
    /// Họ và tên, in full (for the citizen to check).
    full_name: String,
    /// Số định danh cá nhân, in full.
    personal_id: String,
    /// The form's number and circular.
    form: FormRef,
    /// Fingerprint slots recorded, and whether the record is complete.
    capture: Option<(usize, bool)>,
}

/// `GET /can-bo/ho-so/{code}/in/giay-hen`.
#[derive(Template, WebTemplate)]
#[template(path = "console/print_slip.html")]
pub(crate) struct Slip {
    ui: Ui,
    session: Session,
    p: Printed,
    hotline: &'static str,
    /// The portal's lookup address of this dossier, in full.
    lookup_url: String,
    /// Its QR code, inline SVG.
    qr: String,
}

async fn printed(app: &Web, session: &Session, code: DossierCode) -> Result<Printed, PageError> {
    let (d, c) = app
        .service()
        .dossier_with_citizen(&session.officer, code)
        .await
        .map_err(|e| PageError::service(&session.ui, e))?;
    printed_of(app, session, code, d, &c).await
}

/// What both views show of dossier `d` and its applicant `c`.
async fn printed_of(
    app: &Web,
    session: &Session,
    code: DossierCode,
    d: Dossier,
    c: &Citizen,
) -> Result<Printed, PageError> {
    let ui = &session.ui;
    let svc = app.service();
    let digits = code.to_string();
    let label = format!("{} {digits}", ui.t("Mã vạch hồ sơ", "Dossier barcode"));
    let barcode = code128_svg(&digits, &label).map_err(|e| {
        PageError::server(
            ui,
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("barcode of dossier {code}: {e}"),
        )
    })?;
    // The one grouping of the code everywhere (slip, portal, console):
    // office, date, random part, check digit.
    let grouped = code.grouped();
    Ok(Printed {
        code,
        barcode,
        grouped,
        masked_name: mask_name(&c.full_name),
        dob: show_dob(&c.dob),
        received: show_date(d.received_on),
        promised: show_date(d.promised_on),
        office: svc.office(d.office).await.ok(),
        fee: show_vnd(d.fee_vnd),
        slip_at: d
            .events
            .iter()
            .rev()
            .find(|e| e.to == DState::SlipIssued)
            .map(|e| show_instant(e.at)),
        d,
    })
}

async fn receipt(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Receipt, PageError> {
    receipt_view(&app, session, &code).await
}

/// The receipt form's view of dossier `code` (the page and its PDF).
async fn receipt_view(app: &Web, session: Session, code: &str) -> Result<Receipt, PageError> {
    let code = code_or_400(&session.ui, code)?;
    let r = app
        .service()
        .receipt_form(&session.officer, code)
        .await
        .map_err(|e| PageError::service(&session.ui, e))?;
    let full_name = r.citizen.full_name.clone();
    let personal_id = r
        .citizen
        .personal_id
        .as_ref()
        .map_or_else(String::new, |p| p.as_str().to_owned());
    let p = printed_of(app, &session, code, r.dossier, &r.citizen).await?;
    let capture = app
        .service()
        .capture(&session.officer, code)
        .await
        .map_err(|e| PageError::service(&session.ui, e))?
        .map(|r| (r.fingerprints().count(), r.is_complete()));
    Ok(Receipt {
        ui: session.ui.clone(),
        session,
        p,
        full_name,
        personal_id,
        form: r.form,
        capture,
    })
}

async fn slip(
    State(app): State<Web>,
    session: Session,
    headers: axum::http::HeaderMap,
    Path(code): Path<String>,
) -> Result<Slip, PageError> {
    slip_view(&app, session, &headers, &code).await
}

/// The slip's view of dossier `code` (the page and its PDF).
async fn slip_view(
    app: &Web,
    session: Session,
    headers: &axum::http::HeaderMap,
    code: &str,
) -> Result<Slip, PageError> {
    let code = code_or_400(&session.ui, code)?;
    let p = printed(app, &session, code).await?;
    // The portal's public address (`public_url`), else the one the
    // officer's browser reached the server by (one server serves both):
    // the citizen types it or scans the QR code.
    let origin = match &app.config().public_url {
        Some(url) => url.clone(),
        None => {
            let scheme = if app.config().behind_tls {
                "https"
            } else {
                "http"
            };
            let host = headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .filter(|h| {
                    h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
                })
                .unwrap_or("localhost");
            format!("{scheme}://{host}")
        }
    };
    let lookup_url = format!("{origin}/tra-cuu?ma={code}");
    let label = format!(
        "{} {lookup_url}",
        session
            .ui
            .t("Mã QR địa chỉ tra cứu", "QR code of the lookup address")
    );
    let qr = qr_svg(&lookup_url, &label).map_err(|e| {
        PageError::server(
            &session.ui,
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("QR code of the slip of dossier {code}: {e}"),
        )
    })?;
    Ok(Slip {
        ui: session.ui.clone(),
        session,
        p,
        hotline: NATIONAL_HOTLINE,
        lookup_url,
        qr,
    })
}

/// The office's name as the views head the page with.
fn office_name(ui: &Ui, p: &Printed) -> String {
    match &p.office {
        Some(o) => o.name.clone(),
        None => format!("{} {:04}", ui.t("Đơn vị", "Office"), p.d.office),
    }
}

impl Receipt {
    /// The PDF's content: the view's fields as the view shows them.
    fn doc(&self) -> ReceiptDoc {
        let ui = &self.ui;
        let p = &self.p;
        let d = &p.d;
        let mut kind = ui.t(d.kind.label_vi(), d.kind.label_en()).to_owned();
        if let Some(r) = d.reason {
            kind = format!("{kind} — {}", ui.t(r.label_vi(), r.label_en()));
        }
        let capture = match self.capture {
            Some((n, true)) => format!("{} ({n}/13)", ui.t("đã thu nhận đủ", "complete")),
            Some((n, false)) => format!("{} ({n}/13)", ui.t("chưa đủ", "incomplete")),
            None => ui.t("chưa thu nhận", "not captured").to_owned(),
        };
        ReceiptDoc {
            form_number: self.form.number.to_owned(),
            form_circular: self.form.circular.to_owned(),
            form_title_vi: self.form.title_vi.to_owned(),
            office_name: office_name(ui, p),
            code: p.code.to_string(),
            grouped: p.grouped.clone(),
            full_name: self.full_name.clone(),
            personal_id: self.personal_id.clone(),
            dob: p.dob.clone(),
            kind,
            received: p.received.clone(),
            promised: p.promised.clone(),
            fee: p.fee.clone(),
            capture,
            office_hotline: p
                .office
                .as_ref()
                .map_or_else(String::new, |o| o.hotline.clone()),
            officer_name: self.session.officer.name.clone(),
        }
    }
}

impl Slip {
    /// The PDF's content: the view's fields as the view shows them.
    fn doc(&self) -> SlipDoc {
        let p = &self.p;
        let fee = match &p.slip_at {
            Some(at) => format!("{} ({at})", p.fee),
            None => p.fee.clone(),
        };
        SlipDoc {
            office_name: office_name(&self.ui, p),
            code: p.code.to_string(),
            grouped: p.grouped.clone(),
            masked_name: p.masked_name.clone(),
            received: p.received.clone(),
            promised: p.promised.clone(),
            place: p
                .office
                .as_ref()
                .map_or_else(String::new, |o| format!("{}, {}", o.name, o.address)),
            fee,
            office_hotline: p
                .office
                .as_ref()
                .map_or_else(String::new, |o| o.hotline.clone()),
            national_hotline: self.hotline.to_owned(),
            lookup_url: self.lookup_url.clone(),
        }
    }
}

/// A PDF drawn on a blocking thread (fonts are subset and embedded) and
/// sent as the attachment `file`.
pub(crate) async fn pdf_download(
    ui: &Ui,
    file: String,
    draw: impl FnOnce() -> Result<Vec<u8>, cancuoc_render::RenderError> + Send + 'static,
) -> Response {
    match tokio::task::spawn_blocking(draw).await {
        Ok(Ok(bytes)) => attachment("application/pdf", &file, bytes),
        Ok(Err(e)) => PageError::server(
            ui,
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("PDF {file}: {e}"),
        )
        .into_response(),
        Err(e) => PageError::server(
            ui,
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("PDF {file}: task failed: {e}"),
        )
        .into_response(),
    }
}

/// `bytes` as a download named `file` (ASCII, no personal data).
pub(crate) fn attachment(content_type: &'static str, file: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        Body::from(bytes),
    )
        .into_response()
}

/// `GET /can-bo/ho-so/{code}/in/bien-nhan.pdf`: the receipt form as PDF.
async fn receipt_pdf(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
) -> Response {
    let ui = session.ui.clone();
    let view = match receipt_view(&app, session, &code).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let doc = view.doc();
    let file = format!("phieu-thu-nhan-{}.pdf", view.p.code);
    pdf_download(&ui, file, move || cancuoc_render::pdf::receipt_pdf(&doc)).await
}

/// `GET /can-bo/ho-so/{code}/in/giay-hen.pdf`: the slip as PDF.
async fn slip_pdf(
    State(app): State<Web>,
    session: Session,
    headers: axum::http::HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let ui = session.ui.clone();
    let view = match slip_view(&app, session, &headers, &code).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let doc = view.doc();
    let file = format!("giay-hen-{}.pdf", view.p.code);
    pdf_download(&ui, file, move || cancuoc_render::pdf::slip_pdf(&doc)).await
}

/// The print routes.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route("/can-bo/ho-so/{code}/in/bien-nhan", get(receipt))
        .route("/can-bo/ho-so/{code}/in/bien-nhan.pdf", get(receipt_pdf))
        .route("/can-bo/ho-so/{code}/in/giay-hen", get(slip))
        .route("/can-bo/ho-so/{code}/in/giay-hen.pdf", get(slip_pdf))
}
