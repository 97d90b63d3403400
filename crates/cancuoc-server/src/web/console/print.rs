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
use barcoders::generators::svg::SVG;
use barcoders::sym::code128::Code128;
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State as DState;
use cancuoc_core::id::mask;
use cancuoc_store::{Dossier, Office, mask_name};

use super::dossier::code_or_400;
use super::forms::{show_date, show_dob, show_instant, show_vnd};
use super::session::Session;
use crate::app::App;
use crate::web::error::PageError;
use crate::web::ui::Ui;

/// The national hotline for card questions (seed 002).
pub(crate) const NATIONAL_HOTLINE: &str = "1900.0368";

/// The Code 128 (set C) barcode of a string of an even number of digits,
/// as an inline SVG scaled by CSS; `label` is its accessible name.
pub(crate) fn code128_svg(digits: &str, label: &str) -> Option<String> {
    if digits.is_empty()
        || !digits.len().is_multiple_of(2)
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let symbol = Code128::new(format!("Ć{digits}")).ok()?;
    let svg = SVG::new(80).xdim(2).generate(symbol.encode()).ok()?;
    let label: String = label
        .chars()
        .filter(|c| !matches!(c, '"' | '<' | '>' | '&'))
        .collect();
    Some(svg.replacen(
        "<svg ",
        &format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{label}\" class=\"barcode\" preserveAspectRatio=\"none\" "
        ),
        1,
    ))
}

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

async fn printed(app: &App, session: &Session, code: DossierCode) -> Result<Printed, PageError> {
    let ui = &session.ui;
    let svc = app.service();
    let d = svc
        .dossier(&session.officer, code)
        .await
        .map_err(|e| PageError::api(ui, e))?;
    let c = svc
        .store()
        .citizen(d.citizen)
        .await
        .map_err(|e| PageError::api(ui, e))?;
    let digits = code.to_string();
    let label = format!("{} {digits}", ui.t("Mã vạch hồ sơ", "Dossier barcode"));
    let barcode = code128_svg(&digits, &label).ok_or_else(|| {
        tracing::error!(code = %code, "barcode generation failed");
        PageError::new(
            ui,
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "Không tạo được mã vạch.",
            "The barcode could not be made.",
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
    State(app): State<App>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Receipt, PageError> {
    let code = code_or_400(&session.ui, &code)?;
    let p = printed(&app, &session, code).await?;
    let capture = app
        .service()
        .store()
        .capture(code)
        .await
        .map_err(|e| PageError::api(&session.ui, e))?
        .map(|r| (r.fingerprints().count(), r.is_complete()));
    Ok(Receipt {
        ui: session.ui.clone(),
        session,
        p,
        capture,
    })
}

async fn slip(
    State(app): State<App>,
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
pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/can-bo/ho-so/{code}/in/bien-nhan", get(receipt))
        .route("/can-bo/ho-so/{code}/in/giay-hen", get(slip))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bar/space modules of a barcoders SVG (`1` = bar), read back from
    /// the rectangles' x and width.
    fn modules(svg: &str) -> Vec<u8> {
        let attr = |rect: &str, name: &str| -> u32 {
            let at = rect.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
            rect[at..rect[at..].find('"').expect("end") + at]
                .parse()
                .expect("number")
        };
        let view = &svg[svg.find("viewBox=\"0 0 ").expect("viewBox") + 13..];
        let width: u32 = view[..view.find(' ').expect("w")].parse().expect("width");
        let mut m = vec![0u8; (width / 2) as usize];
        for rect in svg.split("<rect").skip(2) {
            let (x, w) = (attr(rect, "x"), attr(rect, "width"));
            for i in x / 2..(x + w) / 2 {
                m[i as usize] = 1;
            }
        }
        m
    }

    /// The six bar/space widths of an 11-module symbol.
    fn widths(sym: &[u8]) -> String {
        let mut out = String::new();
        let mut run = 1;
        for i in 1..sym.len() {
            if sym[i] == sym[i - 1] {
                run += 1;
            } else {
                out.push(char::from(b'0' + run));
                run = 1;
            }
        }
        out.push(char::from(b'0' + run));
        out
    }

    #[test]
    fn the_barcode_reads_back_as_the_code_with_a_valid_check_symbol() {
        let digits = "0790261121123453";
        let svg = code128_svg(digits, "Mã vạch hồ sơ 0790261121123453").expect("svg");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
        assert!(svg.contains("aria-label=\"Mã vạch hồ sơ 0790261121123453\""));
        let m = modules(&svg);
        // Start C, 8 digit pairs, check symbol, stop (13 modules).
        assert_eq!(m.len(), 11 * 10 + 13, "{} modules", m.len());
        let sym = |i: usize| &m[i * 11..i * 11 + 11];
        assert_eq!(widths(sym(0)), "211232", "start code C");
        assert_eq!(widths(&m[m.len() - 13..]), "2331112", "stop pattern");
        // Each pair is the symbol barcoders gives that value alone; the
        // value table comes from single-pair barcodes, decoding is ours.
        let table: Vec<String> = (0..100)
            .map(|v| {
                let one = code128_svg(&format!("{v:02}"), "x").expect("svg");
                widths(&modules(&one)[11..22])
            })
            .collect();
        let mut values = Vec::new();
        let mut read = String::new();
        for i in 1..=8 {
            let w = widths(sym(i));
            let v = table.iter().position(|t| *t == w).expect("a set C symbol");
            read.push_str(&format!("{v:02}"));
            values.push(v);
        }
        assert_eq!(read, digits);
        // The check symbol: (105 + Σ position × value) mod 103.
        let check = (105
            + values
                .iter()
                .enumerate()
                .map(|(i, v)| (i + 1) * v)
                .sum::<usize>())
            % 103;
        let w = widths(sym(9));
        let expected = if check < 100 {
            table[check].clone()
        } else {
            w.clone()
        };
        assert_eq!(w, expected, "check symbol for {check}");
        // Odd lengths and non-digits are refused, not mis-encoded.
        assert!(code128_svg("123", "x").is_none());
        assert!(code128_svg("12a4", "x").is_none());
    }
}
