//! The console's desk checked against the person and the role: a fee
//! exemption against the applicant's record (age on the day, the document
//! seen), the receipt form the citizen signs printed in full under the
//! national header, the console's own 400 and 403 pages and the "open a
//! dossier" box's field error, all thirteen fingerprint slots in one
//! action, the forward step first, and links only to what the role may
//! open.

use cancuoc_store::Store;

use super::web_console_desk::{
    Browser, applicant_link, capture_form, desk_with_dossier, pairs, see_other,
};
use crate::world::{World, register, world};

/// The receptionist's browser with An (born 17/05/1990: 36 on the test
/// day, 21/11/2026) on record, and An's applicant page.
async fn desk_with_an(w: &World) -> (Browser, String) {
    let desk = Browser::login(w, &w.receptionist, "le.tiep.nhan").await;
    register(w, "Nguyễn Văn An", "079090001234").await;
    let path = applicant_link(&desk, "079090001234").await;
    (desk, path)
}

pub async fn a_child_exemption_for_an_adult_is_refused_beside_the_exemptions(store: Store) {
    let w = world(store).await;
    let (desk, path) = desk_with_an(&w).await;
    for action in ["tinh_phi", "lap_ho_so"] {
        let p = desk
            .post(
                &path,
                &[("ly_do", "lost"), ("mien", "child"), ("hanh_dong", action)],
            )
            .await;
        p.html(
            422,
            &[
                "id=\"mien-err\"",
                "sinh ngày 17/05/1990, 36 tuổi vào ngày nộp hồ sơ 21/11/2026",
                "phải dưới 16 tuổi",
            ],
        );
        assert!(!p.html.contains("0 đ"), "{action}: no free fee shown");
    }
    desk.post(
        &format!("{path}?lang=en"),
        &[
            ("ly_do", "lost"),
            ("mien", "child"),
            ("hanh_dong", "tinh_phi"),
        ],
    )
    .await
    .html(
        422,
        &["born 1990-05-17, 36 years old on the application date 2026-11-21; it needs under 16"],
    );
}

pub async fn a_documentary_exemption_opens_only_with_the_document_seen(store: Store) {
    let w = world(store).await;
    let (desk, path) = desk_with_an(&w).await;
    let claim = [
        ("ly_do", "lost"),
        ("mien", "poor-household"),
        ("hanh_dong", "lap_ho_so"),
    ];
    desk.post(&path, &claim).await.html(
        422,
        &["id=\"giay_to_mien-err\"", "giấy tờ chứng minh đã xem"],
    );
    let proof = "Giấy chứng nhận hộ nghèo số 12/GCN-UBND";
    let mut with_proof = claim.to_vec();
    with_proof.push(("giay_to_mien", proof));
    let at = see_other(&desk.post(&path, &with_proof).await);
    desk.get(&at)
        .await
        .html(200, &["0 đ", "Giấy tờ miễn đã xem", proof]);
}

pub async fn the_receipt_form_prints_the_citizen_in_full_under_the_national_header(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    desk.get(&format!("{dossier}/in/bien-nhan")).await.html(
        200,
        &[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Mẫu CC01 (Thông tư 17/2024/TT-BCA)",
            "PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC",
            "Trần Thị Bình",
            "079195000123",
        ],
    );
    // Read through the service, audited as a receipt print.
    let printed = w
        .store
        .recent_audit(50)
        .await
        .expect("audit")
        .into_iter()
        .any(|a| a.action == "citizen.read" && a.details.contains("print_receipt"));
    assert!(printed, "the unmasked read is audited as print_receipt");
    // The slip, carried around, stays masked.
    let slip = desk.get(&format!("{dossier}/in/giay-hen")).await;
    slip.html(200, &["Trần T** B***"]);
    assert!(!slip.html.contains("Trần Thị Bình"));
}

pub async fn a_printer_is_refused_the_receipt_form_on_a_console_page(store: Store) {
    let w = world(store).await;
    let (_, dossier, _) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    let printer = Browser::login(&w, &w.printer, "bui.in.the").await;
    let p = printer.get(&format!("{dossier}/in/bien-nhan")).await;
    p.html(
        403,
        &[
            "Căn cước · Cán bộ",
            "/static/console.css",
            "Không được phép thực hiện",
            "Về bảng điều khiển cán bộ",
        ],
    );
    assert!(!p.html.contains("Trần Thị Bình"));
    assert!(!p.html.contains("Về trang chủ"), "not the portal's page");
}

pub async fn a_malformed_code_in_a_console_path_is_a_console_page_in_officers_words(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let p = desk.get("/can-bo/ho-so/1234?lang=en").await;
    p.html(
        400,
        &[
            "Identity card · Officers",
            "The request is not valid",
            "A dossier code has 16 digits, but 4 were given",
            "Back to the officers&#39; console",
        ],
    );
    assert!(!p.html.contains("your appointment slip"), "{}", p.html);
}

pub async fn a_typo_in_the_open_dossier_box_is_a_field_error_on_the_home_page(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let p = desk.get("/can-bo/ho-so?ma=123").await;
    p.html(
        200,
        &[
            "id=\"ma-err\"",
            "aria-invalid=\"true\"",
            "value=\"123\"",
            "Mã hồ sơ phải có 16 chữ số, nhưng nhập 3 chữ số",
            "Xin chào",
        ],
    );
    assert!(
        !p.html.contains("giấy hẹn trả kết quả\n"),
        "officer's words"
    );
}

pub async fn all_captured_marks_every_slot_then_the_exceptions_are_saved(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    let cap = format!("{dossier}/thu-nhan");
    let form = desk.get(&cap).await;
    form.html(200, &["name=\"hanh_dong\" value=\"tat_ca\""]);
    assert_eq!(form.html.matches("value=\"captured\" checked").count(), 0);
    let filled = desk.post(&cap, &[("hanh_dong", "tat_ca")]).await;
    filled.html(200, &["CHƯA lưu"]);
    assert_eq!(
        filled.html.matches("value=\"captured\" checked").count(),
        13,
        "every slot marked captured"
    );
    // Nothing saved yet.
    desk.get(&dossier)
        .await
        .html(200, &["Chưa thu nhận vân tay, ảnh chân dung."]);
    // The exception marked, then saved.
    let with_exception = capture_form(Some(("rolled_left_ring", "amputated", "")));
    assert_eq!(
        see_other(&desk.post(&cap, &pairs(&with_exception)).await),
        format!("{dossier}?ok=thu-nhan")
    );
    desk.get(&cap)
        .await
        .html(200, &["value=\"amputated\" checked"]);
}

pub async fn the_forward_step_is_the_primary_button_and_the_refusal_secondary(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    let p = desk.get(&dossier).await;
    let html = p.html(200, &["class=\"step setback\""]);
    let forward = html
        .find("name=\"to\" value=\"captured\"")
        .expect("the capture step");
    let refuse = html
        .find("name=\"to\" value=\"refused\"")
        .expect("the refusal");
    assert!(forward < refuse, "the step forward comes first");
    let refuse_button = &html[refuse..];
    let button = &refuse_button[refuse_button.find("<button").expect("button")..];
    assert!(
        button.starts_with("<button type=\"submit\" class=\"secondary\">"),
        "{}",
        &button[..80]
    );
    let forward_button = &html[forward..];
    let button = &forward_button[forward_button.find("<button").expect("button")..];
    assert!(
        button.starts_with("<button type=\"submit\">"),
        "{}",
        &button[..80]
    );
}

pub async fn a_printer_sees_no_links_to_the_reception_desk(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = desk_with_dossier(&w, "Trần Thị Bình", "079195000123").await;
    let printer = Browser::login(&w, &w.printer, "bui.in.the").await;
    for page in ["/can-bo", dossier.as_str()] {
        let p = printer.get(page).await;
        let html = p.html(200, &["/can-bo/hang-doi"]);
        for link in [
            "/can-bo/tiep-nhan",
            "/can-bo/lich-hen",
            "/in/bien-nhan",
            "/thu-nhan",
        ] {
            assert!(!html.contains(link), "{page}: a printer sees {link}");
        }
    }
    // Reception sees its desk.
    for page in ["/can-bo", dossier.as_str()] {
        desk.get(page).await.html(200, &["/can-bo/tiep-nhan"]);
    }
    desk.get(&dossier).await.html(200, &["/in/bien-nhan"]);
}
