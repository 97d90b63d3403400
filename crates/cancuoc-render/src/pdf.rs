//! PDFs of what the office prints (bản in PDF): the appointment slip
//! (giấy hẹn trả kết quả, A5) and the information receipt form (phiếu thu
//! nhận thông tin, A4), with the same content as the console's print views
//! (`console/print_slip.html`, `console/print_receipt.html` in
//! cancuoc-web).
//!
//! The caller fills [`SlipDoc`] / [`ReceiptDoc`] with strings already
//! formatted as the print views show them (dates, fee, the grouped code,
//! the masked or full name); this module lays them out as an SVG page with
//! bilingual labels — the Code 128 barcode of the 16-digit dossier code
//! from [`crate::barcode::code128_svg`], and on the slip the QR code of the
//! portal's lookup address — and draws it into a PDF with the bundled
//! DejaVu fonts embedded (subset, text extractable).

use std::fmt::Write as _;

use crate::RenderError;
use crate::card::parts::{self, Anchor, Canvas};
use crate::fonts::{Face, esc};

/// The appointment slip's content, as the print view shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlipDoc {
    /// The receiving office's name (or "Đơn vị 0790" when unknown).
    pub office_name: String,
    /// The 16-digit dossier code (the barcode encodes it).
    pub code: String,
    /// The code grouped for reading (`DossierCode::grouped`).
    pub grouped: String,
    /// The applicant's masked name.
    pub masked_name: String,
    /// Ngày tiếp nhận, formatted.
    pub received: String,
    /// Hẹn trả kết quả ngày, formatted.
    pub promised: String,
    /// Nơi trả: the office's name and address (empty when unknown).
    pub place: String,
    /// Lệ phí đã thu, formatted; with the slip's time in brackets when the
    /// view shows it.
    pub fee: String,
    /// The office's hotline (empty when unknown).
    pub office_hotline: String,
    /// The national card hotline.
    pub national_hotline: String,
    /// The portal's lookup address of this dossier (the QR code encodes it).
    pub lookup_url: String,
}

/// The receipt form's content, as the print view shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiptDoc {
    /// The form's number, e.g. `CC01`.
    pub form_number: String,
    /// The circular that defines it, e.g. `Thông tư 17/2024/TT-BCA`.
    pub form_circular: String,
    /// The form's Vietnamese title.
    pub form_title_vi: String,
    /// The receiving office's name.
    pub office_name: String,
    /// The 16-digit dossier code.
    pub code: String,
    /// The code grouped for reading.
    pub grouped: String,
    /// Họ, chữ đệm và tên, in full.
    pub full_name: String,
    /// Số định danh cá nhân, in full (may be empty for a first card).
    pub personal_id: String,
    /// Ngày sinh, formatted.
    pub dob: String,
    /// Loại cấp (and reason), formatted.
    pub kind: String,
    /// Ngày tiếp nhận.
    pub received: String,
    /// Ngày hẹn trả.
    pub promised: String,
    /// Lệ phí.
    pub fee: String,
    /// Vân tay, ảnh: the capture's state, formatted.
    pub capture: String,
    /// The office's hotline.
    pub office_hotline: String,
    /// The receiving officer's name.
    pub officer_name: String,
}

/// A page of `w` × `h` mm.
fn page_open(out: &mut String, w: f32, h: f32, title: &str) {
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}"><title>{}</title><rect width="{w}" height="{h}" fill="#ffffff"/>"##,
        esc(title)
    );
}

/// The Code 128 barcode of `code`, placed at (x, y) in `w` × `h` mm.
fn barcode(
    out: &mut String,
    code: &str,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
) -> Result<(), RenderError> {
    let svg =
        crate::barcode::code128_svg(code, &format!("Mã vạch hồ sơ / Dossier barcode {code}"))?;
    out.push_str(&svg.replacen(
        "<svg ",
        &format!(r#"<svg id="barcode" x="{x}" y="{y}" width="{w}" height="{h}" "#),
        1,
    ));
    Ok(())
}

/// Label/value rows from `y`, `step` apart (bilingual labels on two
/// lines); values wrap on two lines.
fn facts(
    c: &mut Canvas,
    x: f32,
    vx: f32,
    right: f32,
    mut y: f32,
    step: f32,
    rows: &[(&str, &str, &str)],
) -> f32 {
    for (label, value, field) in rows {
        // "Vietnamese / English": the Vietnamese label, the English one
        // smaller below it.
        let (vi, en) = label.split_once(" / ").unwrap_or((label, ""));
        let max = vx - x - 2.0;
        c.text(
            x,
            y,
            3.0,
            Face::Sans,
            Anchor::Start,
            parts::LABEL,
            "label",
            vi,
            max,
        );
        if !en.is_empty() {
            c.text(
                x,
                y + 3.3,
                2.4,
                Face::Sans,
                Anchor::Start,
                parts::LABEL,
                "label-en",
                en,
                max,
            );
        }
        let n = c.wrapped(vx, y, 3.2, 4.4, 2, right, field, value);
        y += step + 4.4 * (n.max(1) - 1) as f32;
    }
    y
}

/// The appointment slip as an A5 SVG page.
pub fn slip_svg(slip: &SlipDoc) -> Result<String, RenderError> {
    let (w, h) = (148.0, 210.0);
    let mut out = String::with_capacity(32 * 1024);
    page_open(
        &mut out,
        w,
        h,
        &format!("Giấy hẹn trả kết quả / Appointment slip {}", slip.code),
    );
    let mut c = Canvas::new("slip");
    let (x, right) = (14.0, w - 14.0);
    c.text(
        w / 2.0,
        18.0,
        3.6,
        Face::Bold,
        Anchor::Middle,
        parts::LABEL,
        "org",
        &slip.office_name,
        right - x,
    );
    c.text(
        w / 2.0,
        28.0,
        5.2,
        Face::Bold,
        Anchor::Middle,
        parts::DATA,
        "title",
        "GIẤY HẸN TRẢ KẾT QUẢ",
        right - x,
    );
    c.text(
        w / 2.0,
        33.5,
        3.4,
        Face::Sans,
        Anchor::Middle,
        parts::LABEL,
        "title",
        "APPOINTMENT SLIP",
        right - x,
    );
    out.push_str(&c.out);
    c.out.clear();
    barcode(&mut out, &slip.code, 24.0, 39.0, 100.0, 18.0)?;
    c.text(
        w / 2.0,
        63.0,
        3.2,
        Face::Sans,
        Anchor::Middle,
        parts::LABEL,
        "label",
        "Mã hồ sơ / Dossier code:",
        right - x,
    );
    c.text(
        w / 2.0,
        69.0,
        4.6,
        Face::Mono,
        Anchor::Middle,
        parts::DATA,
        "value code",
        &slip.grouped,
        right - x,
    );
    let vx = 62.0;
    let y = facts(
        &mut c,
        x,
        vx,
        right,
        80.0,
        8.0,
        &[
            ("Họ và tên / Full name", &slip.masked_name, "masked_name"),
            ("Ngày tiếp nhận / Received on", &slip.received, "received"),
            (
                "Hẹn trả kết quả ngày / Come back on",
                &slip.promised,
                "promised",
            ),
            ("Nơi trả / Where", &slip.place, "place"),
            ("Lệ phí đã thu / Fee paid", &slip.fee, "fee"),
            (
                "Đường dây nóng đơn vị / Office hotline",
                &slip.office_hotline,
                "office_hotline",
            ),
            (
                "Tổng đài căn cước / Identity card hotline",
                &slip.national_hotline,
                "national_hotline",
            ),
        ],
    );
    let qy = y + 2.0;
    if !slip.lookup_url.is_empty() {
        parts::qr(&mut c, &slip.lookup_url, x, qy, 32.0)?;
    }
    let tx = x + 36.0;
    c.text(
        tx,
        qy + 8.0,
        3.0,
        Face::Sans,
        Anchor::Start,
        parts::LABEL,
        "label",
        "Tra cứu tình trạng hồ sơ: quét mã QR hoặc mở",
        right - tx,
    );
    c.text(
        tx,
        qy + 12.0,
        3.0,
        Face::Sans,
        Anchor::Start,
        parts::LABEL,
        "label",
        "Check the dossier's status: scan the QR code or open",
        right - tx,
    );
    c.text(
        tx,
        qy + 17.0,
        3.0,
        Face::Mono,
        Anchor::Start,
        parts::DATA,
        "value lookup_url",
        &slip.lookup_url,
        right - tx,
    );
    c.text(
        tx,
        qy + 24.0,
        3.0,
        Face::Bold,
        Anchor::Start,
        parts::DATA,
        "hint",
        "Khi nhận thẻ, mang theo giấy hẹn này.",
        right - tx,
    );
    c.text(
        tx,
        qy + 28.0,
        3.0,
        Face::Sans,
        Anchor::Start,
        parts::LABEL,
        "hint",
        "Bring this slip when you collect the card.",
        right - tx,
    );
    out.push_str(&c.out);
    out.push_str("</svg>");
    Ok(out)
}

/// The receipt form as an A4 SVG page.
pub fn receipt_svg(doc: &ReceiptDoc) -> Result<String, RenderError> {
    let (w, h) = (210.0, 297.0);
    let mut out = String::with_capacity(32 * 1024);
    page_open(
        &mut out,
        w,
        h,
        &format!(
            "Phiếu thu nhận thông tin / Information receipt form {}",
            doc.code
        ),
    );
    let mut c = Canvas::new("receipt");
    let (x, right) = (20.0, w - 20.0);
    let form = format!("Mẫu / Form {} ({})", doc.form_number, doc.form_circular);
    let fw = crate::fonts::width(&form, Face::Sans, 3.0).min(right - x);
    c.text(
        right - fw,
        14.0,
        3.0,
        Face::Sans,
        Anchor::Start,
        parts::LABEL,
        "form-number",
        &form,
        right - x,
    );
    c.text(
        w / 2.0,
        24.0,
        3.8,
        Face::Bold,
        Anchor::Middle,
        parts::DATA,
        "heading",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        right - x,
    );
    c.text(
        w / 2.0,
        29.5,
        3.6,
        Face::Bold,
        Anchor::Middle,
        parts::DATA,
        "heading",
        "Độc lập - Tự do - Hạnh phúc",
        right - x,
    );
    c.text(
        w / 2.0,
        38.0,
        3.6,
        Face::Bold,
        Anchor::Middle,
        parts::LABEL,
        "org",
        &doc.office_name,
        right - x,
    );
    c.text(
        w / 2.0,
        48.0,
        5.0,
        Face::Bold,
        Anchor::Middle,
        parts::DATA,
        "title",
        &doc.form_title_vi.to_uppercase(),
        right - x,
    );
    c.text(
        w / 2.0,
        54.0,
        3.4,
        Face::Sans,
        Anchor::Middle,
        parts::LABEL,
        "title",
        "Identity information receipt form",
        right - x,
    );
    out.push_str(&c.out);
    c.out.clear();
    barcode(&mut out, &doc.code, 45.0, 60.0, 120.0, 18.0)?;
    c.text(
        w / 2.0,
        84.0,
        3.2,
        Face::Sans,
        Anchor::Middle,
        parts::LABEL,
        "label",
        "Mã hồ sơ / Dossier code:",
        right - x,
    );
    c.text(
        w / 2.0,
        90.0,
        4.6,
        Face::Mono,
        Anchor::Middle,
        parts::DATA,
        "value code",
        &doc.grouped,
        right - x,
    );
    let y = facts(
        &mut c,
        x,
        82.0,
        right,
        104.0,
        9.0,
        &[
            (
                "Họ, chữ đệm và tên / Full name",
                &doc.full_name,
                "full_name",
            ),
            (
                "Số định danh cá nhân / Personal ID number",
                &doc.personal_id,
                "personal_id",
            ),
            ("Ngày sinh / Date of birth", &doc.dob, "dob"),
            ("Loại cấp / Kind", &doc.kind, "kind"),
            ("Ngày tiếp nhận / Received on", &doc.received, "received"),
            ("Ngày hẹn trả / Promised date", &doc.promised, "promised"),
            ("Lệ phí / Fee", &doc.fee, "fee"),
            (
                "Vân tay, ảnh / Fingerprints, photo",
                &doc.capture,
                "capture",
            ),
            (
                "Đường dây nóng / Hotline",
                &doc.office_hotline,
                "office_hotline",
            ),
        ],
    );
    let sy = y + 14.0;
    for (cx, vi, en, name) in [
        (w * 0.28, "Công dân", "Citizen", ""),
        (
            w * 0.72,
            "Cán bộ thu nhận",
            "Receiving officer",
            doc.officer_name.as_str(),
        ),
    ] {
        c.text(
            cx,
            sy,
            3.4,
            Face::Bold,
            Anchor::Middle,
            parts::DATA,
            "signature",
            &format!("{vi} / {en}"),
            80.0,
        );
        c.text(
            cx,
            sy + 5.0,
            2.8,
            Face::Sans,
            Anchor::Middle,
            parts::LABEL,
            "hint",
            "(ký, ghi rõ họ tên / signature, full name)",
            80.0,
        );
        if !name.is_empty() {
            c.text(
                cx,
                sy + 32.0,
                3.2,
                Face::Bold,
                Anchor::Middle,
                parts::DATA,
                "value officer_name",
                name,
                80.0,
            );
        }
    }
    out.push_str(&c.out);
    out.push_str("</svg>");
    Ok(out)
}

/// The appointment slip as a one-page A5 PDF.
pub fn slip_pdf(slip: &SlipDoc) -> Result<Vec<u8>, RenderError> {
    crate::svgs_to_pdf(&[slip_svg(slip)?])
}

/// The receipt form as a one-page A4 PDF.
pub fn receipt_pdf(doc: &ReceiptDoc) -> Result<Vec<u8>, RenderError> {
    crate::svgs_to_pdf(&[receipt_svg(doc)?])
}

// The confirmation of an old CMND number, with this module's helpers.
#[path = "pdf_confirmation.rs"]
mod confirmation;
pub use confirmation::{ConfirmationDoc, confirmation_pdf, confirmation_svg};
