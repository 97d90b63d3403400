//! The confirmation of an old CMND number (Giấy xác nhận số Chứng minh
//! nhân dân) as an A4 page and PDF, with the same content as the console's
//! print view (`console/print_confirmation.html` in cancuoc-web): the
//! national header, the office, the citizen's name, date of birth and
//! personal ID, the confirmed old number, the code, the decision day, the
//! legal basis, and the seal's QR code (the signed text of
//! `cancuoc-seal`) when the office signs. Laid out with the slip's and the
//! receipt's helpers (`pdf.rs`), drawn with the same embedded fonts.

use crate::RenderError;
use crate::card::parts::{self, Anchor, Canvas};
use crate::fonts::Face;

use super::{facts, page_open};

/// The confirmation's content, as the print view shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfirmationDoc {
    /// The confirming office's name.
    pub office_name: String,
    /// Its address.
    pub office_address: String,
    /// The request's 16-digit code.
    pub code: String,
    /// The code grouped for reading.
    pub grouped: String,
    /// Họ, chữ đệm và tên, in full.
    pub full_name: String,
    /// Ngày sinh, formatted.
    pub dob: String,
    /// Số định danh cá nhân.
    pub personal_id: String,
    /// The confirmed old CMND number.
    pub old_number: String,
    /// Ngày xác nhận, formatted.
    pub decided: String,
    /// The legal basis, e.g. `Điều 12 Thông tư 59/2021/TT-BCA`.
    pub basis: String,
    /// The seal's text (the QR code encodes it); empty: no seal, and
    /// `no_seal` says why.
    pub seal: String,
    /// Why there is no seal (shown instead of the QR code).
    pub no_seal: String,
}

/// The confirmation as an A4 SVG page.
pub fn confirmation_svg(doc: &ConfirmationDoc) -> Result<String, RenderError> {
    let (w, h) = (210.0, 297.0);
    let mut out = String::with_capacity(64 * 1024);
    page_open(
        &mut out,
        w,
        h,
        &format!(
            "Giấy xác nhận số CMND / Confirmation of an old ID number {}",
            doc.code
        ),
    );
    let mut c = Canvas::new("confirmation");
    let (x, right) = (20.0, w - 20.0);
    let centred = |c: &mut Canvas, y: f32, size: f32, face: Face, class: &str, text: &str| {
        c.text(
            w / 2.0,
            y,
            size,
            face,
            Anchor::Middle,
            parts::DATA,
            class,
            text,
            right - x,
        );
    };
    centred(
        &mut c,
        20.0,
        3.8,
        Face::Bold,
        "heading",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    );
    centred(
        &mut c,
        25.5,
        3.6,
        Face::Bold,
        "heading",
        "Độc lập - Tự do - Hạnh phúc",
    );
    centred(&mut c, 34.0, 3.6, Face::Bold, "org", &doc.office_name);
    centred(
        &mut c,
        46.0,
        5.0,
        Face::Bold,
        "title",
        "GIẤY XÁC NHẬN SỐ CHỨNG MINH NHÂN DÂN",
    );
    centred(
        &mut c,
        52.0,
        3.4,
        Face::Sans,
        "title",
        "Confirmation of an old identity card (CMND) number",
    );
    c.wrapped(
        x,
        62.0,
        3.2,
        4.4,
        2,
        right,
        "basis",
        &format!(
            "Căn cứ / Under {}, {} xác nhận / confirms:",
            doc.basis, doc.office_name
        ),
    );
    let y = facts(
        &mut c,
        x,
        82.0,
        right,
        76.0,
        9.0,
        &[
            (
                "Họ, chữ đệm và tên / Full name",
                &doc.full_name,
                "full_name",
            ),
            ("Ngày sinh / Date of birth", &doc.dob, "dob"),
            (
                "Số định danh cá nhân / Personal ID number",
                &doc.personal_id,
                "personal_id",
            ),
            (
                "Số CMND đã được cấp / Old ID (CMND) number",
                &doc.old_number,
                "old_number",
            ),
            ("Mã hồ sơ / Dossier code", &doc.grouped, "code"),
            ("Ngày xác nhận / Confirmed on", &doc.decided, "decided"),
            (
                "Địa chỉ cơ quan / Office address",
                &doc.office_address,
                "office_address",
            ),
        ],
    );
    let qy = y + 6.0;
    if doc.seal.is_empty() {
        c.wrapped(x, qy + 4.0, 3.0, 4.2, 3, right, "no_seal", &doc.no_seal);
    } else {
        parts::qr(&mut c, &doc.seal, x, qy, 40.0)?;
        c.wrapped(
            x + 46.0,
            qy + 8.0,
            3.0,
            4.2,
            4,
            right,
            "seal_hint",
            "Mã QR ký số: quét và kiểm tra tại trang xác minh (/xac-minh). / Signed QR code: scan it and check it on the verification page (/xac-minh).",
        );
    }
    let sy = qy + 56.0;
    c.text(
        w * 0.72,
        sy,
        3.4,
        Face::Bold,
        Anchor::Middle,
        parts::DATA,
        "signature",
        "THỦ TRƯỞNG CƠ QUAN / HEAD OF THE OFFICE",
        90.0,
    );
    c.text(
        w * 0.72,
        sy + 5.0,
        2.8,
        Face::Sans,
        Anchor::Middle,
        parts::LABEL,
        "hint",
        "(ký, ghi rõ họ tên và đóng dấu / signature, full name, stamp)",
        90.0,
    );
    out.push_str(&c.out);
    out.push_str("</svg>");
    Ok(out)
}

/// The confirmation as a one-page A4 PDF.
pub fn confirmation_pdf(doc: &ConfirmationDoc) -> Result<Vec<u8>, RenderError> {
    crate::svgs_to_pdf(&[confirmation_svg(doc)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(seal: &str) -> ConfirmationDoc {
        ConfirmationDoc {
            office_name: "Công an phường Thử Nghiệm".into(),
            office_address: "1 Đường Mẫu".into(),
            code: "0079261123123453".into(),
            grouped: "0079 261123 12345 3".into(),
            full_name: "Tôn Nữ Thị Mẫu".into(),
            dob: "15/03/1990".into(),
            personal_id: "079190000033".into(),
            old_number: "111222333".into(),
            decided: "23/11/2026".into(),
            basis: "Điều 12 Thông tư 59/2021/TT-BCA".into(),
            seal: seal.into(),
            no_seal: "Không có khóa ký / no signing key".into(),
        }
    }

    #[test]
    fn the_page_carries_the_fields_and_the_qr_only_with_a_seal() {
        let with = confirmation_svg(&doc("6BFWTLRDE0")).expect("svg");
        for want in [
            "GIẤY XÁC NHẬN SỐ CHỨNG MINH NHÂN DÂN",
            "Tôn Nữ Thị Mẫu",
            "111222333",
            "079190000033",
            "0079 261123 12345 3",
        ] {
            assert!(with.contains(want), "{want:?} missing");
        }
        assert!(!with.contains("no signing key"));
        let without = confirmation_svg(&doc("")).expect("svg");
        assert!(without.contains("no signing key"));
        assert!(with.len() > without.len(), "the QR code's modules");
        let pdf = confirmation_pdf(&doc("6BFWTLRDE0")).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(String::from_utf8_lossy(&pdf).contains("/MediaBox[0 0 595.27"));
    }
}
