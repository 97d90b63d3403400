//! The four faces: front and back of the 2021 CCCD (Circular 06/2021/TT-BCA
//! Art. 3) and of the 2024 Căn cước (Circular 16/2024/TT-BCA). Field order
//! and wording follow `research/card.md` §4.1; positions are ours (mm).

use cancuoc_core::card::{Card, ddmmyyyy};

use super::parts::{self, Anchor, Canvas, DATA, LABEL, RED, W};
use crate::RenderError;
use crate::fonts::Face;

/// The national heading, centred at `cx` from baseline `y`, in `max` mm.
fn national_heading(c: &mut Canvas, cx: f32, y: f32, max: f32) {
    let lines: [(&str, f32, Face, f32); 4] = [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1.85, Face::Bold, 0.0),
        ("Độc lập - Tự do - Hạnh phúc", 1.7, Face::Bold, 2.2),
        ("SOCIALIST REPUBLIC OF VIET NAM", 1.45, Face::Sans, 4.1),
        ("Independence - Freedom - Happiness", 1.35, Face::Sans, 5.8),
    ];
    for (text, size, face, dy) in lines {
        c.text(
            cx,
            y + dy,
            size,
            face,
            Anchor::Middle,
            LABEL,
            "heading",
            text,
            max,
        );
    }
}

fn expiry_text(card: &Card) -> String {
    card.expiry_date
        .map_or_else(|| "Không thời hạn / No expiry".to_owned(), ddmmyyyy)
}

/// 2021 front: emblem, photo and expiry on the left; headings, chip, QR
/// and the personal data on the right.
pub(crate) fn front_2021(
    c: &mut Canvas,
    card: &Card,
    qr: &str,
    portrait: Option<&[u8]>,
) -> Result<(), RenderError> {
    parts::emblem(c, 12.5, 9.6, 6.0);
    national_heading(c, 44.5, 4.9, 43.0);
    c.text(
        44.5,
        14.6,
        2.9,
        Face::Bold,
        Anchor::Middle,
        RED,
        "title",
        "CĂN CƯỚC CÔNG DÂN",
        43.0,
    );
    c.text(
        44.5,
        16.8,
        1.6,
        Face::Sans,
        Anchor::Middle,
        LABEL,
        "title",
        "Citizen Identity Card",
        43.0,
    );
    parts::qr(c, qr, 67.4, 2.2, 16.0)?;
    parts::portrait(c, 2.5, 16.5, portrait)?;
    c.text(
        12.5,
        48.9,
        1.15,
        Face::Sans,
        Anchor::Middle,
        LABEL,
        "label",
        "Có giá trị đến / Date of expiry:",
        21.0,
    );
    c.text(
        12.5,
        51.3,
        1.6,
        Face::Bold,
        Anchor::Middle,
        DATA,
        "value expiry_date",
        &expiry_text(card),
        21.0,
    );
    parts::chip(c, 25.0, 18.4);
    let right = W - 2.5;
    c.inline_field(
        36.0,
        23.4,
        "Số / No.:",
        card.personal_id.as_str(),
        "personal_id",
        1.4,
        2.7,
        right,
    );
    let x = 25.0;
    c.text(
        x,
        28.6,
        1.3,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Họ và tên / Full name:",
        right - x,
    );
    c.text(
        x,
        31.3,
        2.2,
        Face::Bold,
        Anchor::Start,
        DATA,
        "value full_name",
        &card.full_name.to_uppercase(),
        right - x,
    );
    c.inline_field(
        x,
        34.4,
        "Ngày sinh / Date of birth:",
        &ddmmyyyy(card.date_of_birth),
        "date_of_birth",
        1.3,
        1.6,
        right,
    );
    c.inline_field(
        x,
        37.0,
        "Giới tính / Sex:",
        card.sex.label_vi(),
        "sex",
        1.3,
        1.6,
        50.0,
    );
    c.inline_field(
        51.0,
        37.0,
        "Quốc tịch / Nationality:",
        &card.nationality,
        "nationality",
        1.3,
        1.6,
        right,
    );
    c.text(
        x,
        39.7,
        1.3,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Quê quán / Place of origin:",
        right - x,
    );
    c.wrapped(
        x,
        41.8,
        1.6,
        2.0,
        1,
        right,
        "place_of_origin",
        &card.place_of_origin,
    );
    c.text(
        x,
        44.4,
        1.3,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Nơi thường trú / Place of residence:",
        right - x,
    );
    c.wrapped(x, 46.6, 1.6, 2.2, 2, right, "residence", &card.residence);
    Ok(())
}

/// 2021 back: identifying features, issue date, issuer and signature on
/// the left; the two index-finger boxes on the right; the MRZ below.
pub(crate) fn back_2021(c: &mut Canvas, card: &Card, mrz: &[String; 3]) {
    let (x, right) = (3.5, 47.0);
    c.text(
        x,
        5.2,
        1.3,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Đặc điểm nhận dạng / Personal identification:",
        right - x,
    );
    let features = if card.identifying_features.trim().is_empty() {
        "—"
    } else {
        card.identifying_features.as_str()
    };
    c.wrapped(
        x,
        7.5,
        1.55,
        2.1,
        2,
        right,
        "identifying_features",
        features,
    );
    c.inline_field(
        x,
        12.6,
        "Ngày, tháng, năm / Date, month, year:",
        &ddmmyyyy(card.issue_date),
        "issue_date",
        1.3,
        1.6,
        right,
    );
    let cx = (x + right) / 2.0;
    for (text, y) in [
        ("CỤC TRƯỞNG CỤC CẢNH SÁT", 15.8),
        ("QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 17.7),
    ] {
        c.text(
            cx,
            y,
            1.45,
            Face::Bold,
            Anchor::Middle,
            LABEL,
            "issuer",
            text,
            right - x,
        );
    }
    for (text, y) in [
        ("DIRECTOR GENERAL OF THE POLICE DEPARTMENT", 19.5),
        ("FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER", 21.0),
    ] {
        c.text(
            cx,
            y,
            1.1,
            Face::Sans,
            Anchor::Middle,
            LABEL,
            "issuer",
            text,
            right - x,
        );
    }
    parts::signature(c, cx, 27.5);
    parts::chip(c, 4.0, 24.0);
    for (id, bx, vi, en) in [
        (
            "fingerprint-left",
            52.0,
            "Ngón trỏ trái",
            "Left index finger",
        ),
        (
            "fingerprint-right",
            68.5,
            "Ngón trỏ phải",
            "Right index finger",
        ),
    ] {
        parts::fingerprint(c, id, bx, 4.0, 14.0, 18.0);
        c.text(
            bx + 7.0,
            24.2,
            1.1,
            Face::Sans,
            Anchor::Middle,
            LABEL,
            "label",
            vi,
            15.5,
        );
        c.text(
            bx + 7.0,
            25.7,
            1.1,
            Face::Sans,
            Anchor::Middle,
            LABEL,
            "label",
            en,
            15.5,
        );
    }
    parts::mrz(c, mrz, 51.6);
}

/// 2024 front: emblem, headings, "CĂN CƯỚC", chip, photo and the identity
/// fields (no fingerprints, no identifying features).
pub(crate) fn front_2024(
    c: &mut Canvas,
    card: &Card,
    portrait: Option<&[u8]>,
) -> Result<(), RenderError> {
    parts::emblem(c, 12.5, 9.6, 6.0);
    national_heading(c, 45.0, 4.9, 46.0);
    c.text(
        45.0,
        15.2,
        3.4,
        Face::Bold,
        Anchor::Middle,
        RED,
        "title",
        "CĂN CƯỚC",
        46.0,
    );
    c.text(
        45.0,
        17.6,
        1.7,
        Face::Bold,
        Anchor::Middle,
        LABEL,
        "title",
        "IDENTITY CARD",
        46.0,
    );
    parts::chip(c, 72.5, 4.5);
    parts::portrait(c, 3.0, 19.5, portrait)?;
    let (x, right) = (26.0, W - 2.5);
    c.text(
        x,
        23.0,
        1.3,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Số định danh cá nhân / Personal identification number:",
        right - x,
    );
    c.text(
        x,
        26.4,
        2.9,
        Face::Bold,
        Anchor::Start,
        RED,
        "value personal_id",
        card.personal_id.as_str(),
        right - x,
    );
    c.text(
        x,
        30.2,
        1.3,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Họ, chữ đệm và tên khai sinh / Full name:",
        right - x,
    );
    c.text(
        x,
        33.0,
        2.2,
        Face::Bold,
        Anchor::Start,
        DATA,
        "value full_name",
        &card.full_name.to_uppercase(),
        right - x,
    );
    c.inline_field(
        x,
        37.0,
        "Ngày, tháng, năm sinh / Date of birth:",
        &ddmmyyyy(card.date_of_birth),
        "date_of_birth",
        1.3,
        1.7,
        right,
    );
    c.inline_field(
        x,
        40.6,
        "Giới tính / Sex:",
        card.sex.label_vi(),
        "sex",
        1.3,
        1.7,
        52.0,
    );
    c.inline_field(
        53.0,
        40.6,
        "Quốc tịch / Nationality:",
        &card.nationality,
        "nationality",
        1.3,
        1.7,
        right,
    );
    Ok(())
}

/// 2024 back: residence and place of birth, the QR, issue and expiry
/// dates, the issuer (Bộ Công an), the chip and the MRZ.
pub(crate) fn back_2024(
    c: &mut Canvas,
    card: &Card,
    qr: &str,
    mrz: &[String; 3],
) -> Result<(), RenderError> {
    let (x, right) = (3.5, 61.5);
    c.text(
        x,
        5.0,
        1.3,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Nơi cư trú / Place of residence:",
        right - x,
    );
    c.wrapped(x, 7.3, 1.6, 2.2, 2, right, "residence", &card.residence);
    c.text(
        x,
        12.4,
        1.3,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Nơi đăng ký khai sinh / Place of birth:",
        right - x,
    );
    let birth = card
        .place_of_birth
        .as_deref()
        .unwrap_or(&card.place_of_origin);
    c.wrapped(x, 14.7, 1.6, 2.2, 2, right, "place_of_birth", birth);
    parts::qr(c, qr, 64.0, 2.5, 18.0)?;
    parts::chip(c, x, 20.5);
    let dx = 15.0;
    c.text(
        dx,
        21.9,
        1.2,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Ngày, tháng, năm cấp / Date of issue:",
        right - dx,
    );
    c.text(
        dx,
        24.0,
        1.6,
        Face::Bold,
        Anchor::Start,
        DATA,
        "value issue_date",
        &ddmmyyyy(card.issue_date),
        right - dx,
    );
    c.text(
        dx,
        26.3,
        1.2,
        Face::Sans,
        Anchor::Start,
        LABEL,
        "label",
        "Ngày, tháng, năm hết hạn / Date of expiry:",
        right - dx,
    );
    c.text(
        dx,
        28.4,
        1.6,
        Face::Bold,
        Anchor::Start,
        DATA,
        "value expiry_date",
        &expiry_text(card),
        right - dx,
    );
    let cx = 73.0;
    c.text(
        cx,
        23.6,
        1.6,
        Face::Bold,
        Anchor::Middle,
        LABEL,
        "issuer",
        "BỘ CÔNG AN",
        22.0,
    );
    c.text(
        cx,
        25.4,
        1.1,
        Face::Sans,
        Anchor::Middle,
        LABEL,
        "issuer",
        "MINISTRY OF PUBLIC SECURITY",
        22.0,
    );
    parts::signature(c, cx, 30.5);
    parts::mrz(c, mrz, 51.6);
    Ok(())
}
