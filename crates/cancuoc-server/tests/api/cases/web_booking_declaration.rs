//! The online declaration through the router: opened with the booking's
//! code and phone, every field checked with its message beside it, saved as
//! a draft, reloaded, and frozen once the booking is received or cancelled.

use axum::http::Method;
use cancuoc_store::Store;

use super::web_booking::book;
use crate::world::{DISTRICT, Page, World, get, page, web, world};

pub fn valid<'a>(code: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("ma", code),
        ("dien_thoai", phone),
        ("ho_ten", "Trần  Thị Hẹn"),
        ("ngay_sinh", "17/05/1990"),
        ("gioi_tinh", "female"),
        ("so_dinh_danh", "079 190 000001"),
        ("quoc_tich", "Việt Nam"),
        ("dan_toc", "Kinh"),
        ("ton_giao", "Phật giáo"),
        ("que_quan", "Xã Bình Thử, Huyện Đông Thử, Tỉnh Thử Nghiệm"),
        ("noi_dang_ky_khai_sinh", "UBND Xã Bình Thử, Tỉnh Thử Nghiệm"),
        ("thuong_tru", "Thôn 1, Xã Bình Thử"),
        ("noi_o_hien_tai", "Thôn 1, Xã Bình Thử"),
        ("so_dien_thoai", phone),
        ("email", ""),
        ("nghe_nghiep", "Giáo viên"),
        ("ho_ten_cha", "Trần Văn Cha"),
        ("ho_ten_me", ""),
        ("ho_ten_vo_chong", ""),
    ]
}

pub fn with(
    mut v: Vec<(&'static str, &'static str)>,
    k: &str,
    val: &'static str,
) -> Vec<(&'static str, &'static str)> {
    for p in &mut v {
        if p.0 == k {
            p.1 = val;
        }
    }
    v
}

pub const PHONE: &str = "0912555666";

/// A booking at DISTRICT on Tuesday 08:00; returns the world and its code.
pub async fn booked(store: Store) -> (World, &'static str) {
    let w = world(store).await;
    let code = book(&w.router, DISTRICT, "2026-11-24", "08:00", PHONE).await;
    (w, Box::leak(code.into_boxed_str()))
}

pub async fn send_form(w: &World, path: &str, pairs: &[(&str, &str)]) -> Page {
    web(&w.router, Method::POST, path, Some(pairs), &[]).await
}

/// Opens the declaration with the booking's code and `phone`.
pub async fn open(w: &World, code: &str, phone: &str) -> Page {
    send_form(w, "/to-khai/mo", &[("ma", code), ("dien_thoai", phone)]).await
}

/// Saves `pairs`; the save must succeed.
pub async fn saved(w: &World, pairs: &[(&str, &str)]) -> Page {
    let ok = send_form(w, "/to-khai", pairs).await;
    assert_eq!(ok.status.as_u16(), 303, "{}", ok.html);
    ok
}

/// The declaration saved for booking `code`.
pub async fn stored(w: &World, code: &str) -> cancuoc_store::Declaration {
    w.store
        .declaration_of(code)
        .await
        .expect("get")
        .expect("saved")
}

pub fn errs(p: &Page) -> usize {
    p.html.matches("class=\"field-error\"").count()
}

pub async fn the_declaration_entry_form_carries_the_code_of_its_link(store: Store) {
    let (w, code) = booked(store).await;
    // From the confirmation link.
    let p = page(&w.router, &format!("/to-khai?ma={code}"), &[]).await;
    p.html(
        200,
        &[
            &format!("value=\"{code}\""),
            "<label for=\"ma\">",
            "action=\"/to-khai/mo\"",
        ],
    );
}

pub async fn a_declaration_with_a_wrong_phone_is_not_found(store: Store) {
    let (w, code) = booked(store).await;
    // The same not-found as everywhere.
    open(&w, code, "0912555667").await.html(
        404,
        &["Không tìm thấy lịch hẹn với mã và số điện thoại này"],
    );
}

pub async fn the_declaration_opens_prefilled_from_the_booking(store: Store) {
    let (w, code) = booked(store).await;
    let form = open(&w, code, PHONE).await;
    form.html(
        200,
        &[
            "value=\"Trần Thị Hẹn\"",
            "value=\"Việt Nam\"",
            "value=\"0912555666\"",
            "<label for=\"ngay_sinh\">",
            "<legend>3. Giới tính</legend>",
            "<label for=\"noi_dang_ky_khai_sinh\">",
            "<label for=\"ho_ten_vo_chong\">",
            "Lưu tờ khai",
        ],
    );
    assert!(form.html.len() < 100 * 1024);
}

pub async fn every_bad_declaration_field_gets_its_own_message_and_nothing_is_saved(store: Store) {
    let (w, code) = booked(store).await;
    // What was typed stays.
    let bad = [
        ("ma", code),
        ("dien_thoai", PHONE),
        ("ho_ten", "Trần Thị Hẹn 2"),
        ("ngay_sinh", "31/02/1990"),
        ("gioi_tinh", ""),
        ("so_dinh_danh", "0791900000"),
        ("quoc_tich", "Việt Nam"),
        ("dan_toc", ""),
        ("ton_giao", "Không"),
        ("que_quan", "Xã Bình Thử"),
        ("noi_dang_ky_khai_sinh", "Xã Bình Thử"),
        ("thuong_tru", "Thôn 1"),
        ("noi_o_hien_tai", "Thôn 1"),
        ("so_dien_thoai", "12345"),
        ("email", "ten@"),
        ("nghe_nghiep", ""),
        ("ho_ten_cha", "Cha 1"),
        ("ho_ten_me", ""),
        ("ho_ten_vo_chong", ""),
    ];
    let p = send_form(&w, "/to-khai?lang=en", &bad).await;
    p.html(
        422,
        &[
            "The declaration was not saved",
            "id=\"ho_ten-err\"",
            "id=\"ngay_sinh-err\"",
            "Invalid date of birth “31/02/1990”",
            "id=\"gioi_tinh-err\"",
            "id=\"so_dinh_danh-err\"",
            "id=\"dan_toc-err\"",
            "Choose the ethnic group from the list.",
            "id=\"so_dien_thoai-err\"",
            "id=\"email-err\"",
            "id=\"ho_ten_cha-err\"",
            "value=\"31/02/1990\"",
            "value=\"ten@\"",
        ],
    );
    assert_eq!(errs(&p), 8, "{}", p.html);
    assert_eq!(w.store.declaration_of(code).await.expect("none"), None);
}

pub async fn an_id_number_that_disagrees_with_the_sex_is_said_beside_the_id(store: Store) {
    let (w, code) = booked(store).await;
    let p = send_form(
        &w,
        "/to-khai",
        &with(valid(code, PHONE), "gioi_tinh", "male"),
    )
    .await;
    p.html(422, &["id=\"so_dinh_danh-err\""]);
    assert_eq!(errs(&p), 1, "{}", p.html);
    assert_eq!(w.store.declaration_of(code).await.expect("none"), None);
}

pub async fn a_future_date_of_birth_is_refused_on_the_declaration(store: Store) {
    let (w, code) = booked(store).await;
    send_form(
        &w,
        "/to-khai",
        &with(valid(code, PHONE), "ngay_sinh", "2027"),
    )
    .await
    .html(422, &["id=\"ngay_sinh-err\"", "từ năm 1900 đến hôm nay"]);
    assert_eq!(w.store.declaration_of(code).await.expect("none"), None);
}

pub async fn a_valid_declaration_is_saved_and_confirmed(store: Store) {
    let (w, code) = booked(store).await;
    // 303 to the confirmation which says so.
    let ok = saved(&w, &valid(code, PHONE)).await;
    let c = page(&w.router, ok.header("location"), &[]).await;
    c.html(200, &["id=\"saved\"", "Đã khai"]);
    let d = stored(&w, code).await;
    assert_eq!(d.full_name, "Trần Thị Hẹn");
    assert_eq!(d.date_of_birth.to_string(), "1990-05-17");
    assert_eq!(d.personal_id.as_deref(), Some("079190000001"));
    assert_eq!(d.email, None);
}

pub async fn a_saved_declaration_reopens_as_a_draft_as_it_was_typed(store: Store) {
    let (w, code) = booked(store).await;
    saved(&w, &valid(code, PHONE)).await;
    // Editable; the date of birth as typed (stored as ISO).
    let again = open(&w, code, PHONE).await;
    again.html(
        200,
        &[
            "value=\"Phật giáo\"",
            "value=\"17/05/1990\"",
            "value=\"Giáo viên\"",
            "Lưu tờ khai",
        ],
    );
    assert!(!again.html.contains("1990-05-17"), "{}", again.html);
}

pub async fn a_partial_date_of_birth_is_accepted_on_the_declaration(store: Store) {
    let (w, code) = booked(store).await;
    saved(&w, &with(valid(code, PHONE), "ngay_sinh", "05/1990")).await;
    let d = stored(&w, code).await;
    assert_eq!(d.date_of_birth.to_string(), "1990-05");
    open(&w, code, PHONE)
        .await
        .html(200, &["value=\"05/1990\""]);
}

pub async fn the_officers_list_shows_a_booking_declared(store: Store) {
    let (w, code) = booked(store).await;
    saved(&w, &valid(code, PHONE)).await;
    let res = get(
        &w.router,
        "/api/v1/offices/790/bookings?date=2026-11-24",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(res.ok(200)["bookings"][0]["code"], code);
    assert_eq!(res.body["bookings"][0]["declared"], true);
}

pub async fn a_booking_received_at_the_desk_freezes_its_declaration(store: Store) {
    let (w, code) = booked(store).await;
    saved(&w, &valid(code, PHONE)).await;
    let desk = w
        .store
        .officer_by_token(&cancuoc_store::Token::from_presented(&w.receptionist))
        .await
        .expect("receptionist");
    let received = w
        .store
        .receive_booking(code, desk.office, desk.id, 0)
        .await
        .expect("receive");
    assert!(
        matches!(received, cancuoc_store::Reception::Marked(_)),
        "{received:?}"
    );
    // The form says so and saving is refused.
    let frozen = open(&w, code, PHONE).await;
    frozen.html(200, &["không còn sửa được"]);
    assert!(!frozen.html.contains("Lưu tờ khai</button>"));
    send_form(&w, "/to-khai", &valid(code, PHONE))
        .await
        .html(409, &["không còn sửa được"]);
    send_form(
        &w,
        "/to-khai",
        &with(valid(code, PHONE), "nghe_nghiep", "Kỹ sư"),
    )
    .await
    .html(409, &["không còn sửa được"]);
    let d = stored(&w, code).await;
    assert_eq!(d.occupation.as_deref(), Some("Giáo viên"));
}

pub async fn the_declaration_offers_the_official_ethnic_groups_and_religions(store: Store) {
    let (w, code) = booked(store).await;
    let form = open(&w, code, PHONE).await;
    let html = form.html(
        200,
        &[
            "<select id=\"dan_toc\" name=\"dan_toc\"",
            "<option value=\"Kinh\">Kinh</option>",
            "<option value=\"Rơ Măm\">Rơ Măm</option>",
            "<select id=\"ton_giao\" name=\"ton_giao\"",
            "<option value=\"Không\">Không</option>",
            "<option value=\"Phật hội Hiếu Nghĩa Tà Lơn\">",
            "Quyết định 121-TCTK/PPCĐ",
        ],
    );
    let select = |id: &str| {
        let at = html.find(&format!("<select id=\"{id}\"")).expect("select");
        let end = at + html[at..].find("</select>").expect("end");
        html[at..end].matches("<option value=\"").count()
    };
    // The 54 groups and none + 16 religions, each after a blank "choose".
    assert_eq!(select("dan_toc"), 55);
    assert_eq!(select("ton_giao"), 18);
}

pub async fn an_ethnicity_or_religion_outside_the_official_lists_is_refused(store: Store) {
    let (w, code) = booked(store).await;
    let v = with(valid(code, PHONE), "dan_toc", "Klingon");
    let p = send_form(&w, "/to-khai?lang=en", &with(v, "ton_giao", "Jedi")).await;
    p.html(
        422,
        &[
            "id=\"dan_toc-err\"",
            "is not on the list: choose the ethnic group from the list",
            "id=\"ton_giao-err\"",
            "from the list",
            "choose the religion (“Không”, none, if you have no religion)",
        ],
    );
    assert_eq!(w.store.declaration_of(code).await.expect("none"), None);
}

pub async fn an_older_spelling_of_an_ethnic_group_is_saved_as_the_lists_name(store: Store) {
    let (w, code) = booked(store).await;
    saved(&w, &with(valid(code, PHONE), "dan_toc", "H'Mông")).await;
    let d = stored(&w, code).await;
    assert_eq!(d.ethnicity, "Mông");
    open(&w, code, PHONE)
        .await
        .html(200, &["<option value=\"Mông\" selected>"]);
}

pub async fn delivery_by_post_needs_an_address(store: Store) {
    let (w, code) = booked(store).await;
    let mut v = valid(code, PHONE);
    v.push(("nhan_the", "buu_dien"));
    send_form(&w, "/to-khai", &v).await.html(
        422,
        &["id=\"dia_chi_nhan-err\"", "<a href=\"#dia_chi_nhan\">"],
    );
    assert_eq!(w.store.declaration_of(code).await.expect("none"), None);
}

pub async fn delivery_by_post_is_saved_with_its_address_and_shown_again(store: Store) {
    let (w, code) = booked(store).await;
    let mut v = valid(code, PHONE);
    v.push(("nhan_the", "buu_dien"));
    v.push(("dia_chi_nhan", "Số 5, Thôn 1, Xã Bình Thử"));
    saved(&w, &v).await;
    let d = stored(&w, code).await;
    assert_eq!(
        d.delivery,
        cancuoc_store::CardDelivery::ByPost {
            address: "Số 5, Thôn 1, Xã Bình Thử".into()
        }
    );
    open(&w, code, PHONE).await.html(
        200,
        &[
            "value=\"buu_dien\" checked",
            "value=\"Số 5, Thôn 1, Xã Bình Thử\"",
        ],
    );
    // Left at the office (the default), nothing about the post is kept.
    saved(&w, &valid(code, PHONE)).await;
    let d = stored(&w, code).await;
    assert_eq!(d.delivery, cancuoc_store::CardDelivery::AtOffice);
}
