//! Form errors as a person on a phone meets them, through the router: a
//! summary on top of the refused form whose heading takes the focus and
//! whose lines link to their fields, the page's language only, every
//! cross-field disagreement at once, and dates typed with any usual
//! separator (`15-3-1990`, `15.03.1990`, `15 3 1990`) on the portal's
//! declaration and at the console's desk.

use cancuoc_store::Store;

use super::web_booking_declaration::{PHONE, booked, errs, saved, send_form, stored, valid, with};
use super::web_console_desk::Browser;
use crate::world::{Page, world};

/// The summary's heading, focused on load.
const SUMMARY: &str = "id=\"error-summary-title\" tabindex=\"-1\" autofocus";

fn assert_absent(p: &Page, needles: &[&str]) {
    for n in needles {
        assert!(!p.html.contains(n), "{n:?} in {}", p.html);
    }
}

fn bad_declaration(code: &'static str) -> Vec<(&'static str, &'static str)> {
    let v = with(valid(code, PHONE), "ho_ten", "");
    let v = with(v, "ngay_sinh", "31-02-1990");
    with(v, "dan_toc", "")
}

pub async fn a_refused_declaration_opens_with_a_summary_linking_each_field(store: Store) {
    let (w, code) = booked(store).await;
    let p = send_form(&w, "/to-khai", &bad_declaration(code)).await;
    p.html(
        422,
        &[
            SUMMARY,
            "<a href=\"#ho_ten\">Hãy nhập họ và tên.</a>",
            "<a href=\"#ngay_sinh\">",
            "<a href=\"#dan_toc\">",
            "id=\"ho_ten\"",
        ],
    );
    // The summary comes before the form.
    assert!(p.html.find(SUMMARY) < p.html.find("<form"), "{}", p.html);
}

pub async fn a_refused_declaration_speaks_only_the_pages_language(store: Store) {
    let (w, code) = booked(store).await;
    let vi = send_form(&w, "/to-khai", &bad_declaration(code)).await;
    vi.html(422, &["Hãy nhập họ và tên."]);
    assert_absent(&vi, &["Enter the full name", "Invalid date of birth"]);
    let en = send_form(&w, "/to-khai?lang=en", &bad_declaration(code)).await;
    en.html(422, &["Enter the full name.", "Invalid date of birth"]);
    assert_absent(&en, &["Hãy nhập họ và tên", "Ngày sinh không hợp lệ"]);
}

pub async fn a_declaration_number_that_disagrees_twice_names_both(store: Store) {
    let (w, code) = booked(store).await;
    // 079 190 …: a woman born in (19)90; declared a man born in 1991.
    let v = with(valid(code, PHONE), "gioi_tinh", "male");
    let p = send_form(&w, "/to-khai?lang=en", &with(v, "ngay_sinh", "17/05/1991")).await;
    p.html(
        422,
        &[
            "The ID encodes birth year 1990",
            "The ID encodes sex female, but the claimed sex is male",
        ],
    );
    assert_eq!(errs(&p), 1, "both beside the number: {}", p.html);
    assert_eq!(p.html.matches("<a href=\"#so_dinh_danh\">").count(), 2);
}

pub async fn a_declaration_reads_dates_typed_with_dashes_dots_or_spaces(store: Store) {
    let (w, code) = booked(store).await;
    for typed in ["17-5-1990", "17.05.1990", "17 5 1990"] {
        saved(&w, &with(valid(code, PHONE), "ngay_sinh", typed)).await;
        let d = stored(&w, code).await;
        assert_eq!(d.date_of_birth.to_string(), "1990-05-17", "{typed}");
    }
}

fn citizen_form(dob: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("ho_ten", "Phạm Thị Ngày"),
        ("ngay_sinh", dob),
        ("gioi_tinh", "female"),
        ("so_dinh_danh", "079190004321"),
        ("noi_khai_sinh", "Tỉnh Thử Nghiệm"),
        ("que_quan", "Xã Bình Thử"),
        ("thuong_tru", "Thôn 1, Xã Bình Thử"),
    ]
}

pub async fn the_desk_reads_dates_typed_with_dashes_dots_or_spaces(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let p = desk
        .post("/can-bo/tiep-nhan/dang-ky", &citizen_form("15-3-1990"))
        .await;
    assert_eq!(p.status.as_u16(), 303, "{}", p.html);
    desk.get("/can-bo/tiep-nhan?so=079190004321")
        .await
        .html(200, &["Phạm Thị Ngày", "15/03/1990"]);
    for typed in ["15.03.1990", "15+3+1990", "3-1990"] {
        let search = desk
            .get(&format!("/can-bo/tiep-nhan?ten=pham&ngay_sinh={typed}"))
            .await;
        assert!(
            !search.html.contains("ngay_sinh_tim-err"),
            "{typed}: {}",
            search.html
        );
    }
}

pub async fn a_refused_desk_registration_opens_with_a_summary_linking_each_field(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let bad = desk
        .post(
            "/can-bo/tiep-nhan/dang-ky?lang=en",
            &[("ho_ten", "Trần Thị Bình"), ("ngay_sinh", "30-02-1995")],
        )
        .await;
    bad.html(
        422,
        &[
            SUMMARY,
            "<a href=\"#ngay_sinh\">Invalid date of birth “30-02-1995”",
            "<a href=\"#gioi_tinh\">",
            "<a href=\"#que_quan\">",
            // The radio the summary's link leads to.
            "id=\"gioi_tinh\"",
        ],
    );
    assert_absent(&bad, &["Ngày sinh không hợp lệ"]);
}

pub async fn a_refused_dossier_opening_opens_with_a_summary(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    crate::world::register(&w, "Nguyễn Văn An", "079090001234").await;
    let path = super::web_console_desk::applicant_link(&desk, "079090001234").await;
    desk.post(&path, &[("ly_do", "nonsense"), ("hanh_dong", "tinh_phi")])
        .await
        .html(422, &[SUMMARY, "<a href=\"#ly_do\">"]);
}
