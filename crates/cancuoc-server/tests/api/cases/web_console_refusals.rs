//! Refusals on the console's desk POSTs through the real router: a wrong
//! role, another office, a missing CSRF token or session, a step that
//! needs input, a stale page and a double submit; each changes nothing.

use axum::http::Method;
use cancuoc_store::Store;
use serde_json::json;

use super::web_console_desk::{
    Browser, capture_form, desk_with_dossier, pairs, see_other, version_of,
};
use crate::world::{World, capture_and_advance, get, open_dossier, post, register, web, world};

/// A registration form for "Đào Văn Dũng", whom nobody registered.
const DUNG: [(&str, &str); 7] = [
    ("ho_ten", "Đào Văn Dũng"),
    ("ngay_sinh", "1980"),
    ("gioi_tinh", "male"),
    ("ma_khai_sinh", "79"),
    ("noi_khai_sinh", "Tỉnh Thử Nghiệm"),
    ("que_quan", "Xã Bình Thử"),
    ("thuong_tru", "Thôn 3"),
];

/// Đào Văn Dũng is still not on record.
async fn dung_not_registered(desk: &Browser) {
    desk.get("/can-bo/tiep-nhan?ten=dao+van+dung")
        .await
        .html(200, &["id=\"khong-thay\""]);
}

/// The receptionist's browser and the console path of a received dossier
/// for "Lý Thị Cúc".
async fn cuc(w: &World) -> (Browser, String, String) {
    desk_with_dossier(w, "Lý Thị Cúc", "079190004321").await
}

/// The dossier page, as its office sees it, shows state `state` (its
/// code) and `events` timeline entries.
async fn unchanged(desk: &Browser, dossier: &str, state: &str, events: usize) {
    let now = desk.get(dossier).await;
    now.html(200, &[&format!("<p class=\"state state-{state}\">")]);
    assert_eq!(now.html.matches("<li><time>").count(), events, "events");
}

pub async fn a_printer_cannot_register_a_citizen_at_the_desk(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let printer = Browser::login(&w, &w.printer, "bui.in.the").await;
    printer
        .post("/can-bo/tiep-nhan/dang-ky", &DUNG)
        .await
        .html(403, &["Vai trò"]);
    dung_not_registered(&desk).await;
}

pub async fn a_desk_post_without_the_csrf_token_is_refused(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let forged = web(
        &w.router,
        Method::POST,
        "/can-bo/tiep-nhan/dang-ky",
        Some(&DUNG),
        &[("cookie", desk.cookie.as_str())],
    )
    .await;
    forged.html(403, &["chống giả mạo"]);
    dung_not_registered(&desk).await;
}

pub async fn an_anonymous_desk_post_goes_to_the_login_page_and_writes_nothing(store: Store) {
    let w = world(store).await;
    let desk = Browser::login(&w, &w.receptionist, "le.tiep.nhan").await;
    let anon = web(
        &w.router,
        Method::POST,
        "/can-bo/tiep-nhan/dang-ky",
        Some(&DUNG),
        &[],
    )
    .await;
    assert_eq!(see_other(&anon), "/can-bo/dang-nhap?next=%2Fcan-bo");
    dung_not_registered(&desk).await;
}

pub async fn an_approver_cannot_open_a_dossier_at_the_desk(store: Store) {
    let w = world(store).await;
    let approver = Browser::login(&w, &w.approver, "do.phe.duyet").await;
    // Cúc's dossier is open at DISTRICT, so the centre finds her by name
    // and the desk links her applicant page for the approver.
    let id = register(&w, "Lý Thị Cúc", "079190004321").await;
    open_dossier(&w, id).await;
    let found = approver.get("/can-bo/tiep-nhan?ten=ly+thi+cuc").await;
    let html = found.html(200, &["Lý Thị Cúc"]);
    let at = html
        .find("href=\"/can-bo/tiep-nhan/cong-dan/")
        .expect("an applicant link");
    let rest = &html[at + "href=\"".len()..];
    let path = &rest[..rest.find('"').expect("end of link")];
    approver
        .post(
            path,
            &[("ly_do", "first-issue"), ("hanh_dong", "lap_ho_so")],
        )
        .await
        .html(403, &["Vai trò"]);
    let list = get(&w.router, "/api/v1/dossiers", Some(&w.receptionist)).await;
    assert_eq!(list.ok(200)["items"].as_array().map(Vec::len), Some(1));
}

pub async fn an_approver_sees_the_capture_read_only_and_cannot_save_it(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = cuc(&w).await;
    let approver = Browser::login(&w, &w.approver, "do.phe.duyet").await;
    let cap = format!("{dossier}/thu-nhan");
    approver.get(&cap).await.html(200, &["bạn chỉ xem"]);
    approver
        .post(&cap, &pairs(&capture_form(None)))
        .await
        .html(403, &["không được thu nhận vân tay, ảnh chân dung"]);
    // An incomplete form is refused for who sends it, not for the form.
    approver
        .post(&cap, &[("s_flat_right_four", "captured")])
        .await
        .html(403, &["không được thu nhận vân tay, ảnh chân dung"]);
    desk.get(&dossier)
        .await
        .html(200, &["Chưa thu nhận vân tay, ảnh chân dung."]);
}

pub async fn another_office_cannot_read_a_dossier_in_the_console(store: Store) {
    let w = world(store).await;
    let (_, dossier, _) = cuc(&w).await;
    let other_office = Browser::login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    other_office
        .get(&dossier)
        .await
        .html(403, &["ngoài phạm vi đơn vị của bạn"]);
}

pub async fn another_office_cannot_save_a_capture_in_the_console(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = cuc(&w).await;
    let other_office = Browser::login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    other_office
        .post(&format!("{dossier}/thu-nhan"), &pairs(&capture_form(None)))
        .await
        .html(403, &["ngoài phạm vi đơn vị của bạn"]);
    desk.get(&dossier)
        .await
        .html(200, &["Chưa thu nhận vân tay, ảnh chân dung."]);
}

pub async fn another_office_cannot_move_a_dossier_in_the_console(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = cuc(&w).await;
    let other_office = Browser::login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    let v1 = version_of(&desk.get(&dossier).await.html);
    other_office
        .post(
            &format!("{dossier}/chuyen"),
            &[("to", "refused"), ("version", &v1), ("ghi_chu", "x")],
        )
        .await
        .html(403, &["ngoài phạm vi đơn vị của bạn"]);
    unchanged(&desk, &dossier, "received", 1).await;
}

pub async fn a_step_the_table_gives_another_role_is_refused_in_the_console(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = cuc(&w).await;
    let printer = Browser::login(&w, &w.printer, "bui.in.the").await;
    let v1 = version_of(&desk.get(&dossier).await.html);
    printer
        .post(
            &format!("{dossier}/chuyen"),
            &[("to", "captured"), ("version", &v1)],
        )
        .await
        .html(
            403,
            &["Vai trò &#34;cán bộ in thẻ&#34; không được chuyển hồ sơ sang"],
        );
    unchanged(&desk, &dossier, "received", 1).await;
}

pub async fn a_step_that_needs_a_reason_says_so_and_changes_nothing(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = cuc(&w).await;
    let v1 = version_of(&desk.get(&dossier).await.html);
    desk.post(
        &format!("{dossier}/chuyen"),
        &[("to", "refused"), ("version", &v1)],
    )
    .await
    .html(422, &["Đã tiếp nhận"]);
    unchanged(&desk, &dossier, "received", 1).await;
}

pub async fn a_step_to_captured_without_a_capture_is_refused_in_the_console(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = cuc(&w).await;
    let v1 = version_of(&desk.get(&dossier).await.html);
    desk.post(
        &format!("{dossier}/chuyen"),
        &[("to", "captured"), ("version", &v1)],
    )
    .await
    .html(422, &["Chưa thu nhận vân tay, ảnh chân dung."]);
    unchanged(&desk, &dossier, "received", 1).await;
}

pub async fn a_step_from_a_stale_page_is_refused_and_never_applied(store: Store) {
    let w = world(store).await;
    let (desk, dossier, _) = cuc(&w).await;
    // Two officers on the same page: the second one's step is refused as
    // stale (409), with the current state shown, never applied twice.
    let save = see_other(
        &desk
            .post(&format!("{dossier}/thu-nhan"), &pairs(&capture_form(None)))
            .await,
    );
    assert!(save.ends_with("?ok=thu-nhan"), "{save}");
    let v = version_of(&desk.get(&dossier).await.html);
    see_other(
        &desk
            .post(
                &format!("{dossier}/chuyen"),
                &[("to", "captured"), ("version", &v)],
            )
            .await,
    );
    let stale = desk
        .post(
            &format!("{dossier}/chuyen"),
            &[
                ("to", "refused"),
                ("version", &v),
                ("ghi_chu", "Thiếu giấy tờ"),
            ],
        )
        .await;
    stale.html(409, &["CHƯA được thực hiện", "Đã thu nhận thông tin"]);
    let now = desk.get(&dossier).await;
    now.html(200, &["Đã thu nhận thông tin"]);
    assert!(
        !now.html.contains("Thiếu giấy tờ"),
        "the stale step was applied"
    );
}

pub async fn a_double_submit_of_one_step_form_is_answered_once(store: Store) {
    let w = world(store).await;
    let (desk, dossier, code) = cuc(&w).await;
    capture_and_advance(&w, &code).await;
    let now = desk.get(&dossier).await;
    now.html(200, &["Đã thu nhận thông tin"]);
    let key_at = now.html.find("name=\"key\" value=\"").expect("key") + 18;
    let key = &now.html[key_at..key_at + now.html[key_at..].find('"').expect("end")];
    let v = version_of(&now.html);
    let form = [("to", "slip_issued"), ("version", v.as_str()), ("key", key)];
    see_other(&desk.post(&format!("{dossier}/chuyen"), &form).await);
    see_other(&desk.post(&format!("{dossier}/chuyen"), &form).await);
    // Received, captured, slip issued: one event per step.
    unchanged(&desk, &dossier, "slip_issued", 3).await;
}

pub async fn the_console_dossier_page_speaks_english_on_request(store: Store) {
    let w = world(store).await;
    let (desk, dossier, code) = cuc(&w).await;
    capture_and_advance(&w, &code).await;
    post(
        &w.router,
        &format!("/api/v1/dossiers/{code}/transitions"),
        Some(&w.receptionist),
        json!({"to": "slip_issued", "version": 3}),
    )
    .await
    .ok(200);
    desk.get(&format!("{dossier}?lang=en")).await.html(
        200,
        &[
            "Timeline",
            "Stage deadlines",
            "Fee paid, appointment slip issued",
        ],
    );
}
