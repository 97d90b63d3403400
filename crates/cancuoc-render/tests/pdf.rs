//! The office PDFs: the appointment slip (A5) and the receipt form (A4)
//! carry the print views' content, the dossier code as text and as a
//! Code 128 barcode, with the font embedded and the text extractable.

mod common;

use cancuoc_render::pdf::{ReceiptDoc, SlipDoc, receipt_pdf, receipt_svg, slip_pdf, slip_svg};

/// A synthetic slip (no real person or office).
fn slip() -> SlipDoc {
    SlipDoc {
        office_name: "Công an phường Bến Thành".into(),
        code: "0790261121123453".into(),
        grouped: "0790 261121 12345 3".into(),
        masked_name: "T** N** T** Ninh".into(),
        received: "21/11/2026".into(),
        promised: "28/11/2026".into(),
        place: "Công an phường Bến Thành, 1 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh".into(),
        fee: "30.000 ₫ (21/11/2026 09:14)".into(),
        office_hotline: "028.3829.0000".into(),
        national_hotline: "1900.0368".into(),
        lookup_url: "https://cancuoc.example/tra-cuu?ma=0790261121123453".into(),
    }
}

fn receipt() -> ReceiptDoc {
    ReceiptDoc {
        form_number: "CC01".into(),
        form_circular: "Thông tư 17/2024/TT-BCA".into(),
        form_title_vi: "Phiếu thu nhận thông tin căn cước".into(),
        office_name: "Công an phường Bến Thành".into(),
        code: "0790261121123453".into(),
        grouped: "0790 261121 12345 3".into(),
        full_name: "Tôn Nữ Thị Ninh".into(),
        personal_id: "079190012345".into(),
        dob: "15/03/1990".into(),
        kind: "Cấp đổi / Renewal — Hết hạn / Expired".into(),
        received: "21/11/2026".into(),
        promised: "28/11/2026".into(),
        fee: "30.000 ₫".into(),
        capture: "đã thu nhận đủ / complete (13/13)".into(),
        office_hotline: "028.3829.0000".into(),
        officer_name: "Lê Văn Mẫu".into(),
    }
}

/// Writes `bytes` to `$CANCUOC_RENDER_DUMP/name` when set (to look at).
fn dump(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("CANCUOC_RENDER_DUMP") {
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).expect("dump");
    }
}

fn texts(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).expect("well-formed");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_slip_shows_the_print_views_fields_with_barcode_and_qr() {
    let s = slip();
    let svg = slip_svg(&s).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    assert_eq!(doc.root_element().attribute("width"), Some("148mm"));
    assert_eq!(doc.root_element().attribute("height"), Some("210mm"));
    let barcode = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("barcode"))
        .expect("a barcode");
    assert!(
        barcode
            .attribute("aria-label")
            .expect("label")
            .ends_with(&s.code)
    );
    assert!(
        doc.descendants()
            .any(|n| n.attribute("id") == Some("slip-qr"))
    );
    let t = texts(&svg);
    for want in [
        "GIẤY HẸN TRẢ KẾT QUẢ",
        "APPOINTMENT SLIP",
        "Mã hồ sơ / Dossier code",
        "Hẹn trả kết quả ngày",
        "Come back on",
        "Tổng đài căn cước",
        "Identity card hotline",
        &s.grouped,
        &s.masked_name,
        &s.promised,
        &s.fee,
        &s.office_hotline,
        &s.national_hotline,
        &s.lookup_url,
        &s.office_name,
    ] {
        assert!(t.contains(want), "{want:?} missing");
    }
    // The place wraps but is all there.
    assert!(common::contains_compact(&t, &s.place));
}

#[test]
fn the_slip_pdf_is_a_pdf_with_the_code_as_text_and_the_font_embedded() {
    let s = slip();
    let pdf = slip_pdf(&s).expect("pdf");
    dump("slip.pdf", &pdf);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("/FontFile2") && raw.contains("DejaVuSans"));
    // A5 in points: 419.53 × 595.28.
    assert!(raw.contains("/MediaBox[0 0 419.52"), "A5");
    let pages = common::pdf_text(&pdf);
    assert_eq!(pages.len(), 1);
    for want in [
        s.grouped.as_str(),
        "GIẤY HẸN TRẢ KẾT QUẢ",
        s.masked_name.as_str(),
        s.promised.as_str(),
    ] {
        assert!(
            common::contains_compact(&pages[0], want),
            "{want:?} in {}",
            pages[0]
        );
    }
    if let Some(text) = common::pdftotext(&pdf) {
        assert!(
            text.contains("GIẤY HẸN TRẢ KẾT QUẢ") && text.contains(&s.grouped),
            "{text}"
        );
    }
}

#[test]
fn the_receipt_pdf_is_a4_with_the_full_name_and_id() {
    let r = receipt();
    let t = texts(&receipt_svg(&r).expect("svg"));
    for want in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC",
        "Mẫu / Form CC01 (Thông tư 17/2024/TT-BCA)",
        &r.full_name,
        &r.personal_id,
        &r.dob,
        &r.kind,
        &r.capture,
        &r.officer_name,
        "Công dân / Citizen",
        "Số định danh cá nhân",
        "Personal ID number",
    ] {
        assert!(t.contains(want), "{want:?} missing");
    }
    let pdf = receipt_pdf(&r).expect("pdf");
    dump("receipt.pdf", &pdf);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        String::from_utf8_lossy(&pdf).contains("/MediaBox[0 0 595.27"),
        "A4"
    );
    let pages = common::pdf_text(&pdf);
    assert!(common::contains_compact(&pages[0], &r.personal_id));
    assert!(common::contains_compact(&pages[0], &r.full_name));
    assert!(common::contains_compact(&pages[0], &r.grouped));
}

#[test]
fn a_code_that_is_not_digits_is_refused() {
    let mut s = slip();
    s.code = "07902611211234AB".into();
    assert!(slip_pdf(&s).is_err());
}
