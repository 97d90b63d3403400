//! Card specimens: the SVG's structure per layout and side, the QR read
//! back from the PNG by a real decoder (rqrr), the machine-readable zone
//! read back by the core parser, the specimen mark in every format, the
//! portrait, and the PDF's text.

mod common;

use cancuoc_core::card::{Card, CardModel, ddmmyyyy};
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::Sex;
use cancuoc_render::RenderError;
use cancuoc_render::card::{Side, render_pdf, render_png, render_svg, render_svg_sides};
use resvg::tiny_skia::Pixmap;

const MODELS: [CardModel; 2] = [CardModel::Cccd2021, CardModel::CanCuoc2024];
const SIDES: [Side; 2] = [Side::Front, Side::Back];

/// A man's card without expiry, a long residence and an explicit place
/// of birth (synthetic data).
fn man_no_expiry() -> Card {
    let mut card = Card::sample();
    card.personal_id = PersonalId::parse("001064012347").expect("valid id");
    card.full_name = "Nguyễn Văn Bình".into();
    card.sex = Sex::Male;
    card.date_of_birth = jiff::civil::date(1964, 2, 9);
    card.issue_date = jiff::civil::date(2024, 8, 1);
    card.expiry_date = None;
    card.residence = "Số 123 ngõ 456 đường Nguyễn Trãi, tổ dân phố số 7, phường Thanh Xuân Trung, quận Thanh Xuân, thành phố Hà Nội".into();
    card.place_of_birth = Some("Xã Đông Hội, huyện Đông Anh, thành phố Hà Nội".into());
    card.identifying_features = String::new();
    card.old_id = None;
    card.father_name = None;
    card.mother_name = None;
    card
}

/// All text of the elements with `class` containing `class`, in order.
fn texts_of(doc: &roxmltree::Document<'_>, class: &str) -> Vec<String> {
    doc.descendants()
        .filter(|n| {
            n.has_tag_name("text")
                && n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|w| w == class))
        })
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

fn all_text(doc: &roxmltree::Document<'_>) -> String {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn has_id_ending(doc: &roxmltree::Document<'_>, suffix: &str) -> bool {
    doc.descendants()
        .any(|n| n.attribute("id").is_some_and(|id| id.ends_with(suffix)))
}

#[test]
fn every_side_has_its_layouts_fields_and_the_specimen_mark_last() {
    for card in [Card::sample(), man_no_expiry()] {
        for model in MODELS {
            for side in SIDES {
                let svg = render_svg(&card, model, side, None).expect("svg");
                let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
                let root = doc.root_element();
                assert_eq!(root.attribute("width"), Some("85.6mm"));
                assert_eq!(root.attribute("height"), Some("53.98mm"));
                let text = all_text(&doc);
                let has = |s: &str| text.contains(s);
                let what = format!("{} {}", model.as_str(), side.as_str());
                let expected: &[&str] = match (model, side) {
                    (CardModel::Cccd2021, Side::Front) => &[
                        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                        "Độc lập - Tự do - Hạnh phúc",
                        "SOCIALIST REPUBLIC OF VIET NAM",
                        "CĂN CƯỚC CÔNG DÂN",
                        "Citizen Identity Card",
                        "Số / No.",
                        "Họ và tên / Full name",
                        "Ngày sinh / Date of birth",
                        "Giới tính / Sex",
                        "Quốc tịch / Nationality",
                        "Quê quán / Place of origin",
                        "Nơi thường trú / Place of residence",
                        "Có giá trị đến / Date of expiry",
                    ],
                    (CardModel::Cccd2021, Side::Back) => &[
                        "Đặc điểm nhận dạng / Personal identification",
                        "Ngày, tháng, năm / Date, month, year",
                        "CỤC TRƯỞNG CỤC CẢNH SÁT",
                        "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
                        "DIRECTOR GENERAL OF THE POLICE DEPARTMENT",
                        "Ngón trỏ trái",
                        "Right index finger",
                    ],
                    (CardModel::CanCuoc2024, Side::Front) => &[
                        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                        "CĂN CƯỚC",
                        "IDENTITY CARD",
                        "Số định danh cá nhân / Personal identification number",
                        "Họ, chữ đệm và tên khai sinh / Full name",
                        "Ngày, tháng, năm sinh / Date of birth",
                        "Giới tính / Sex",
                        "Quốc tịch / Nationality",
                    ],
                    (CardModel::CanCuoc2024, Side::Back) => &[
                        "Nơi cư trú / Place of residence",
                        "Nơi đăng ký khai sinh / Place of birth",
                        "Ngày, tháng, năm cấp / Date of issue",
                        "Ngày, tháng, năm hết hạn / Date of expiry",
                        "BỘ CÔNG AN",
                        "MINISTRY OF PUBLIC SECURITY",
                    ],
                };
                for label in expected {
                    assert!(has(label), "{what}: {label:?} missing");
                }
                // The 2024 model dropped fingerprints and features.
                if model == CardModel::CanCuoc2024 {
                    for absent in [
                        "Vân tay",
                        "Ngón trỏ",
                        "index finger",
                        "Đặc điểm nhận dạng",
                        "CỤC TRƯỞNG",
                    ] {
                        assert!(!has(absent), "{what}: {absent:?} must not be printed");
                    }
                    assert!(!has_id_ending(&doc, "fingerprint-left"), "{what}");
                }
                // The QR: 2021 front, 2024 back; the MRZ: both backs.
                let qr_here = matches!(
                    (model, side),
                    (CardModel::Cccd2021, Side::Front) | (CardModel::CanCuoc2024, Side::Back)
                );
                assert_eq!(has_id_ending(&doc, "-qr"), qr_here, "{what}: QR");
                assert_eq!(
                    has_id_ending(&doc, "-mrz"),
                    side == Side::Back,
                    "{what}: MRZ"
                );
                assert_eq!(
                    has_id_ending(&doc, "fingerprint-left")
                        && has_id_ending(&doc, "fingerprint-right"),
                    (model, side) == (CardModel::Cccd2021, Side::Back),
                    "{what}: fingerprint boxes"
                );
                if side == Side::Front {
                    assert!(has(card.personal_id.as_str()), "{what}: number");
                    assert!(has(&card.full_name.to_uppercase()), "{what}: name");
                    assert!(has(&ddmmyyyy(card.date_of_birth)), "{what}: birth");
                    assert!(has(card.sex.label_vi()), "{what}: sex");
                    assert!(has_id_ending(&doc, "-photo"), "{what}: photo");
                    assert!(has_id_ending(&doc, "-emblem"), "{what}: emblem");
                }
                assert!(has_id_ending(&doc, "-chip"), "{what}: chip");
                // The specimen mark: the last element, over everything.
                let last = root.children().rfind(|n| n.is_element()).expect("children");
                assert_eq!(last.attribute("id"), Some("specimen"), "{what}");
                let mark = texts_of(&doc, "specimen-mark");
                assert_eq!(mark, vec!["MẪU / SPECIMEN".to_owned()], "{what}");
                assert_eq!(
                    texts_of(&doc, "specimen-line"),
                    vec!["MẪU – SPECIMEN – not a valid card".to_owned()],
                    "{what}"
                );
                assert!(
                    last.descendants()
                        .any(|n| n.text() == Some("MẪU / SPECIMEN"))
                );
            }
        }
    }
}

#[test]
fn both_sides_stack_with_one_mark_per_side_on_top() {
    let card = Card::sample();
    let svg = render_svg_sides(&card, CardModel::Cccd2021, &SIDES, None).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    assert_eq!(doc.root_element().attribute("height"), Some("111.96mm"));
    let last = doc
        .root_element()
        .children()
        .rfind(|n| n.is_element())
        .expect("last");
    assert_eq!(last.attribute("id"), Some("specimen"));
    assert_eq!(texts_of(&doc, "specimen-mark").len(), 2);
    assert!(has_id_ending(&doc, "f21-qr") && has_id_ending(&doc, "b21-mrz"));
}

#[test]
fn long_residence_wraps_to_two_lines_and_no_expiry_is_said() {
    let card = man_no_expiry();
    for (model, side) in [
        (CardModel::Cccd2021, Side::Front),
        (CardModel::CanCuoc2024, Side::Back),
    ] {
        let svg = render_svg(&card, model, side, None).expect("svg");
        let doc = roxmltree::Document::parse(&svg).expect("xml");
        let lines = texts_of(&doc, "residence");
        assert_eq!(lines.len(), 2, "{}: {lines:?}", model.as_str());
        assert_eq!(lines.join(" "), card.residence);
        let expiry = texts_of(&doc, "expiry_date");
        assert_eq!(expiry, vec!["Không thời hạn / No expiry".to_owned()]);
    }
    // 2024 back prints the place of birth, else the place of origin.
    let svg = render_svg(&card, CardModel::CanCuoc2024, Side::Back, None).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    assert_eq!(
        texts_of(&doc, "place_of_birth").join(" "),
        "Xã Đông Hội, huyện Đông Anh, thành phố Hà Nội"
    );
    let svg = render_svg(&Card::sample(), CardModel::CanCuoc2024, Side::Back, None).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    assert_eq!(
        texts_of(&doc, "place_of_birth").join(" "),
        Card::sample().place_of_origin
    );
}

/// The greyscale of a PNG's region (mm), for rqrr.
fn decode_qr(png: &[u8], scale: f32, (x, y, size): (f32, f32, f32)) -> String {
    let pixmap = Pixmap::decode_png(png).expect("png");
    let margin = 1.5;
    let x0 = ((x - margin) * scale).max(0.0) as u32;
    let y0 = ((y - margin).max(0.0) * scale) as u32;
    let side = ((size + 2.0 * margin) * scale) as u32;
    let w = side.min(pixmap.width() - x0);
    let h = side.min(pixmap.height() - y0);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |px, py| {
        let p = pixmap
            .pixel(x0 + px as u32, y0 + py as u32)
            .expect("in bounds")
            .demultiply();
        ((u32::from(p.red()) * 299 + u32::from(p.green()) * 587 + u32::from(p.blue()) * 114) / 1000)
            as u8
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the region");
    let (_, text) = grids[0].decode().expect("decodes");
    text
}

#[test]
fn the_png_qr_decodes_to_exactly_the_cards_payload() {
    for card in [Card::sample(), man_no_expiry()] {
        for (model, side, region) in [
            (CardModel::Cccd2021, Side::Front, (67.4, 2.2, 16.0)),
            (CardModel::CanCuoc2024, Side::Back, (64.0, 2.5, 18.0)),
        ] {
            let png = render_png(&card, model, side, None, 12).expect("png");
            let expected = card.qr_payload(model).expect("payload");
            assert!(!expected.is_ascii(), "diacritics in the payload");
            assert_eq!(
                decode_qr(&png, 12.0, region),
                expected,
                "{}",
                model.as_str()
            );
        }
    }
}

#[test]
fn the_mrz_is_the_cards_and_reads_back() {
    let today = jiff::civil::date(2026, 1, 1);
    for card in [Card::sample(), man_no_expiry()] {
        let encoded = card.mrz().expect("mrz");
        for model in MODELS {
            let svg = render_svg(&card, model, Side::Back, None).expect("svg");
            let doc = roxmltree::Document::parse(&svg).expect("xml");
            let lines = texts_of(&doc, "mrz-line");
            assert_eq!(lines, encoded.lines.to_vec());
            let joined = lines.join("\n");
            let mrz = cancuoc_core::mrz::parse(&joined).expect("parses");
            assert!(mrz.is_valid(), "check digits");
            assert_eq!(mrz.personal_id(), Some(card.personal_id.as_str()));
            assert_eq!(mrz.sex(), Some(card.sex));
            let d = card.date_of_birth;
            assert_eq!(
                mrz.birth_date().raw(),
                format!("{:02}{:02}{:02}", d.year() % 100, d.month(), d.day())
            );
            match card.expiry_date {
                Some(e) => {
                    assert_eq!(
                        mrz.expiry_date().raw(),
                        format!("{:02}{:02}{:02}", e.year() % 100, e.month(), e.day())
                    );
                    assert_eq!(mrz.expiry_date().expiry(today), Some(e));
                }
                None => assert_eq!(mrz.expiry_date().raw(), "991231"),
            }
        }
    }
}

/// The SVG without its specimen mark (cut out as text: the test's own
/// render, to compare pixels with).
fn unmarked(svg: &str) -> String {
    let at = svg.rfind(r#"<g id="specimen">"#).expect("mark");
    format!("{}</svg>", &svg[..at])
}

#[test]
fn the_specimen_mark_is_in_the_pixels() {
    let card = Card::sample();
    for model in MODELS {
        for side in SIDES {
            let svg = render_svg(&card, model, side, None).expect("svg");
            let marked = Pixmap::decode_png(&render_png(&card, model, side, None, 8).expect("png"))
                .expect("png");
            let clean =
                Pixmap::decode_png(&cancuoc_render::svg_to_png(&unmarked(&svg), 8).expect("png"))
                    .expect("png");
            assert_eq!(
                (marked.width(), marked.height()),
                (clean.width(), clean.height())
            );
            // Along the diagonal, top left to bottom right, in the middle
            // of the card: many pixels differ, and those are redder.
            let (w, h) = (marked.width() as f32, marked.height() as f32);
            let (mut differ, mut redder, mut samples) = (0, 0, 0);
            for i in 0..400 {
                let t = 0.2 + 0.6 * i as f32 / 400.0;
                for dy in [-6.0f32, -3.0, 0.0, 3.0, 6.0] {
                    let (x, y) = ((t * w) as u32, (t * h + dy) as u32);
                    let a = marked.pixel(x, y).expect("px").demultiply();
                    let b = clean.pixel(x, y).expect("px").demultiply();
                    samples += 1;
                    if a != b {
                        differ += 1;
                        let shift = |p: resvg::tiny_skia::ColorU8| {
                            i32::from(p.red()) - (i32::from(p.green()) + i32::from(p.blue())) / 2
                        };
                        if shift(a) > shift(b) + 20 {
                            redder += 1;
                        }
                    }
                }
            }
            assert!(differ * 4 > samples, "{}/{samples} pixels differ", differ);
            assert!(redder * 10 > differ * 8, "{redder}/{differ} are redder");
            // Far from the diagonal (bottom-left corner), nothing changes.
            let (x, y) = ((0.06 * w) as u32, (0.93 * h) as u32);
            assert_eq!(marked.pixel(x, y), clean.pixel(x, y));
        }
    }
}

#[test]
fn the_pdf_has_one_page_per_side_with_embedded_fonts_and_the_mark_in_its_text() {
    for card in [Card::sample(), man_no_expiry()] {
        for model in MODELS {
            let pdf = render_pdf(&card, model, &SIDES, None).expect("pdf");
            assert!(pdf.starts_with(b"%PDF-"));
            let raw = String::from_utf8_lossy(&pdf);
            assert!(
                raw.contains("/FontFile2") && raw.contains("DejaVuSans"),
                "fonts embedded"
            );
            assert!(raw.contains("/ToUnicode"), "text extractable");
            assert!(!raw.contains("/Annots"), "no annotation");
            let pages = common::pdf_text(&pdf);
            assert_eq!(pages.len(), 2);
            for page in &pages {
                // The mark comes last in the page's content, over the data.
                let squashed: String = page.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(
                    squashed.ends_with("MẪU/SPECIMENMẪU–SPECIMEN–notavalidcard"),
                    "{page}"
                );
            }
            assert!(common::contains_compact(
                &pages[0],
                card.personal_id.as_str()
            ));
            assert!(common::contains_compact(
                &pages[0],
                &card.full_name.to_uppercase()
            ));
            assert!(common::contains_compact(
                &pages[1],
                &card.mrz().expect("mrz").lines[2]
            ));
            if let Some(text) = common::pdftotext(&pdf) {
                assert!(text.contains("SPECIMEN"));
                assert!(text.contains(&card.full_name.to_uppercase()), "{text}");
            }
        }
    }
}

/// A small PNG of one colour.
fn png_portrait(r: u8, g: u8, b: u8) -> Vec<u8> {
    let mut pixmap = Pixmap::new(40, 60).expect("pixmap");
    pixmap.fill(resvg::tiny_skia::Color::from_rgba8(r, g, b, 255));
    pixmap.encode_png().expect("png")
}

#[test]
fn a_png_portrait_is_embedded_and_a_missing_one_is_a_silhouette() {
    let card = Card::sample();
    let portrait = png_portrait(20, 140, 60);
    for model in MODELS {
        let svg = render_svg(&card, model, Side::Front, Some(&portrait)).expect("svg");
        let doc = roxmltree::Document::parse(&svg).expect("xml");
        let image = doc
            .descendants()
            .find(|n| n.has_tag_name("image"))
            .expect("an image");
        let href = image
            .attribute(("http://www.w3.org/1999/xlink", "href"))
            .expect("href");
        assert!(href.starts_with("data:image/png;base64,"));
        assert!(!svg.contains("silhouette"));
        // The photo frame is green in the pixels (20 × 30 mm at the left).
        let png = Pixmap::decode_png(
            &render_png(&card, model, Side::Front, Some(&portrait), 8).expect("png"),
        )
        .expect("png");
        let p = png
            .pixel((12.5 * 8.0) as u32, (40.0 * 8.0) as u32)
            .expect("px")
            .demultiply();
        assert!(p.green() > 100 && p.red() < 80, "{p:?}");
        // And without a portrait: a silhouette, no image.
        let svg = render_svg(&card, model, Side::Front, None).expect("svg");
        assert!(svg.contains("silhouette") && !svg.contains("<image"));
        // A PDF with the portrait has an image.
        let pdf = render_pdf(&card, model, &[Side::Front], Some(&portrait)).expect("pdf");
        assert!(String::from_utf8_lossy(&pdf).contains("/Subtype/Image"));
    }
}

#[test]
fn a_portrait_that_is_neither_jpeg_nor_png_is_refused_by_name() {
    let gif = b"GIF89a\x01\x00\x01\x00".to_vec();
    let err = render_svg(
        &Card::sample(),
        CardModel::Cccd2021,
        Side::Front,
        Some(&gif),
    )
    .expect_err("refused");
    assert!(
        matches!(
            err,
            RenderError::UnknownImage {
                what: "portrait",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("portrait") && err.to_string().contains("47 49 46 38"),
        "{err}"
    );
    // The back of a 2021 card shows no portrait: nothing to refuse.
    assert!(render_svg(&Card::sample(), CardModel::Cccd2021, Side::Back, Some(&gif)).is_ok());
}

#[test]
fn png_size_follows_the_scale_and_bad_scales_are_refused() {
    let png = render_png(
        &Card::sample(),
        CardModel::CanCuoc2024,
        Side::Front,
        None,
        12,
    )
    .expect("png");
    let p = Pixmap::decode_png(&png).expect("png");
    assert_eq!((p.width(), p.height()), (1027, 648));
    assert_eq!(
        render_png(
            &Card::sample(),
            CardModel::CanCuoc2024,
            Side::Front,
            None,
            0
        ),
        Err(RenderError::Scale(0))
    );
}
