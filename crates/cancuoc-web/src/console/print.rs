//! Print views (bản in): the receipt form (phiếu thu nhận thông tin,
//! `/can-bo/ho-so/{code}/in/bien-nhan`, A4) and the appointment slip
//! (giấy hẹn trả kết quả, `/can-bo/ho-so/{code}/in/giay-hen`, A5).
//!
//! Both show the dossier code as a Code 128 barcode (inline SVG) and as
//! digits, the promised date, the office with its hotline, and the
//! citizen's masked name. The 16-digit code is encoded in character set C
//! (two digits per symbol; barcoders needs the `Ć` prefix to pick it), the
//! densest encoding for digits. `@media print` rules in `console.css` set
//! the paper size (named pages `a4`, `a5`) and hide the console's frame.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State as DState;
use cancuoc_core::id::mask;
use cancuoc_render::barcode::code128_svg;
use cancuoc_service::model::{Dossier, Office, mask_name};

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
    /// The 16 digits in groups of four, for reading aloud.
    pub grouped: String,
    /// Họ tên đã che.
    pub masked_name: String,
    /// Số định danh đã che.
    pub masked_id: String,
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
}

async fn printed(app: &Web, session: &Session, code: DossierCode) -> Result<Printed, PageError> {
    let ui = &session.ui;
    let svc = app.service();
    let (d, c) = svc
        .dossier_with_citizen(&session.officer, code)
        .await
        .map_err(|e| PageError::service(ui, e))?;
    let digits = code.to_string();
    let label = format!("{} {digits}", ui.t("Mã vạch hồ sơ", "Dossier barcode"));
    let barcode = code128_svg(&digits, &label).map_err(|e| {
        PageError::server(
            ui,
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("barcode of dossier {code}: {e}"),
        )
    })?;
    let grouped = digits
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Printed {
        code,
        barcode,
        grouped,
        masked_name: mask_name(&c.full_name),
        masked_id: c
            .personal_id
            .as_ref()
            .map_or_else(String::new, |p| mask(p).as_str().to_owned()),
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
    let code = code_or_400(&session.ui, &code)?;
    let p = printed(&app, &session, code).await?;
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
        capture,
    })
}

async fn slip(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Slip, PageError> {
    let code = code_or_400(&session.ui, &code)?;
    let p = printed(&app, &session, code).await?;
    Ok(Slip {
        ui: session.ui.clone(),
        session,
        p,
        hotline: NATIONAL_HOTLINE,
    })
}

/// The print routes.
pub(crate) fn router() -> Router<Web> {
    Router::new()
        .route("/can-bo/ho-so/{code}/in/bien-nhan", get(receipt))
        .route("/can-bo/ho-so/{code}/in/giay-hen", get(slip))
}
