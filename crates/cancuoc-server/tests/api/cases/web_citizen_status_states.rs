//! `/tra-cuu` says, for every kind of state, what happened, the date that
//! matters and what to do next: a dossier sent back for correction is not
//! "on track", a refused one has no return date, a booked one shows its
//! appointment; a card ready for pickup is on time however long it waits
//! for its citizen, on the portal, the API and the dashboard alike (the
//! offices' deadline ends when the card is ready, not when it is
//! collected).

use std::sync::atomic::Ordering;

use axum::Router;
use axum::http::Method;
use cancuoc_store::Store;
use serde_json::{Value, json};

use super::web_citizen_status::{captured_dossier, fresh, from, with_clock};
use crate::world::{Page, World, get, open_dossier, post, register, world};

/// One working step through the API as `token`; returns the new version.
async fn step(r: &Router, token: &str, code: &str, body: Value) -> i64 {
    post(
        r,
        &format!("/api/v1/dossiers/{code}/transitions"),
        Some(token),
        body,
    )
    .await
    .ok(200)["version"]
        .as_i64()
        .expect("version")
}

/// Looks `code` up on the portal from `ip`, with an optional second factor.
async fn look(r: &Router, ip: &str, code: &str, factor: Option<(&str, &str)>) -> Page {
    let (id, answer) = fresh(r, ip).await;
    let mut form = vec![("ma", code), ("challenge", &id), ("captcha", &answer)];
    form.extend(factor);
    from(r, ip, Method::POST, "/tra-cuu", Some(&form)).await
}

/// The captured dossier of [`captured_dossier`], on to the centre (version
/// 5); returns its code.
async fn at_the_centre(w: &World, r: &Router) -> String {
    let code = captured_dossier(w).await;
    let v = step(
        r,
        &w.receptionist,
        &code,
        json!({"to": "slip_issued", "version": 3}),
    )
    .await;
    step(
        r,
        &w.receptionist,
        &code,
        json!({"to": "sent_to_centre", "version": v, "population_data_changed": false}),
    )
    .await;
    code
}

pub async fn a_dossier_sent_back_for_correction_is_not_shown_as_on_track(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let code = at_the_centre(&w, r).await;
    step(
        r,
        &w.processor,
        &code,
        json!({"to": "rejected", "version": 5, "note": "Ảnh chân dung bị mờ, cần chụp lại"}),
    )
    .await;
    let p = look(r, "192.0.2.81", &code, None).await;
    p.html(
        200,
        &[
            "Bị từ chối, trả về nơi tiếp nhận",
            "trả về nơi tiếp nhận để bổ sung",
            "Ngày hẹn trả (có thể thay đổi)",
            "Bạn cần làm gì",
            "Để xem lý do",
        ],
    );
    assert!(!p.html.contains("trong hạn"), "not on track: {}", p.html);
    assert!(
        !p.html.contains("Ảnh chân dung bị mờ"),
        "the reason only with a second factor"
    );
    // With the date of birth: the reason the office recorded.
    look(r, "192.0.2.82", &code, Some(("ngay_sinh", "17/05/1990")))
        .await
        .html(200, &["Lý do", "Ảnh chân dung bị mờ, cần chụp lại"]);
}

pub async fn a_dossier_refused_at_reception_has_no_return_date(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let c = register(&w, "Phạm Thị Từ Chối", "079190012346").await;
    let d = open_dossier(&w, c).await;
    let code = d["code"].as_str().expect("code").to_owned();
    step(
        r,
        &w.receptionist,
        &code,
        json!({"to": "refused", "version": 1, "note": "Thiếu giấy khai sinh"}),
    )
    .await;
    let p = look(r, "192.0.2.83", &code, None).await;
    p.html(200, &["từ chối tiếp nhận", "nộp lại hồ sơ"]);
    // The API, too: no promised date.
    let s = get(r, &format!("/api/v1/status/{code}"), None).await;
    assert_eq!(s.ok(200)["promised_date"], Value::Null, "{:?}", s.body);
    assert!(!p.html.contains("Ngày hẹn trả"), "{}", p.html);
    assert!(!p.html.contains("trong hạn"), "{}", p.html);
}

pub async fn a_booked_dossier_shows_its_appointment_not_a_return_date(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let c = register(&w, "Đỗ Văn Hẹn", "079090012347").await;
    let d = post(
        r,
        "/api/v1/dossiers",
        Some(&w.receptionist),
        json!({"citizen_id": c, "reason": "first-issue", "booked": true}),
    )
    .await;
    let d = d.ok(201);
    let code = d["code"].as_str().expect("code").to_owned();
    let s = get(r, &format!("/api/v1/status/{code}"), None).await;
    assert_eq!(s.ok(200)["promised_date"], Value::Null, "{:?}", s.body);
    let p = look(r, "192.0.2.84", &code, None).await;
    p.html(
        200,
        &[
            "Đã đặt lịch hẹn, hồ sơ chưa được nộp",
            "Ngày hẹn đến nộp hồ sơ",
        ],
    );
    assert!(!p.html.contains("Ngày hẹn trả"), "{}", p.html);
    assert!(!p.html.contains("trong hạn"), "{}", p.html);
}

pub async fn a_card_waiting_for_its_citizen_is_on_time_everywhere(store: Store) {
    let w = world(store).await;
    let (r, now) = with_clock(&w, true).await;
    let code = at_the_centre(&w, &r).await;
    let mut v = 5;
    for (token, to) in [
        (&w.approver, "approved"),
        (&w.printer, "printed"),
        (&w.dispatcher, "dispatched"),
        (&w.return_officer, "ready_for_pickup"),
    ] {
        v = step(&r, token, &code, json!({"to": to, "version": v})).await;
    }
    // Forty days later the card still waits: well past the promised date.
    now.fetch_add(40 * 86_400, Ordering::SeqCst);
    let p = look(&r, "192.0.2.85", &code, None).await;
    p.html(200, &["Thẻ đã có, đang chờ bạn đến nhận", "Đúng hạn"]);
    assert!(!p.html.contains("Quá hạn"), "{}", p.html);
    // The API: not overdue.
    let s = get(&r, &format!("/api/v1/status/{code}"), None).await;
    assert_eq!(s.ok(200)["overdue"], false, "{:?}", s.body);
    // The office's deadline watch: not overdue.
    let watch = get(&r, "/api/v1/offices/790/overdue", Some(&w.receptionist)).await;
    let listed = watch.ok(200)["overdue"].to_string();
    assert!(!listed.contains(&code), "{listed}");
    // Collected at last: still on time, and the citizen's delay said apart.
    step(
        &r,
        &w.return_officer,
        &code,
        json!({"to": "returned", "version": v, "old_document": "collected"}),
    )
    .await;
    let p = look(&r, "192.0.2.86", &code, None).await;
    p.html(
        200,
        &["Đúng hạn", "Bạn nhận thẻ ngày", "không tính vào thời hạn"],
    );
    assert!(!p.html.contains("Trễ hạn"), "{}", p.html);
}

pub async fn an_id_number_or_a_booking_code_in_the_dossier_box_gets_a_pointer(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let p = look(r, "192.0.2.87", "0790 9001 2345", None).await;
    p.html(
        422,
        &[
            "số định danh cá nhân (12 chữ số), không phải mã hồ sơ",
            "href=\"/so-dinh-danh\"",
            "Mã xác nhận chưa bị dùng",
            "<a href=\"#ma\">",
        ],
    );
    look(r, "192.0.2.87", "023456789", None)
        .await
        .html(422, &["chứng minh nhân dân cũ (9 chữ số)"]);
    let booking = super::web_booking::book(r, 790, "2026-11-23", "07:30", "0912 345 111").await;
    look(r, "192.0.2.88", &booking, None).await.html(
        422,
        &[
            "mã lịch hẹn (11 chữ số)",
            &format!("href=\"/dat-lich/quan-ly?ma={booking}\""),
        ],
    );
}

pub async fn the_language_switch_keeps_the_code_typed(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let code = captured_dossier(&w).await;
    // A wrong captcha answer: the form again, the code kept, and the
    // switch to English comes back to it with the code.
    let (id, _) = fresh(r, "192.0.2.89").await;
    let p = from(
        r,
        "192.0.2.89",
        Method::POST,
        "/tra-cuu",
        Some(&[("ma", &code), ("challenge", &id), ("captcha", "WRONG")]),
    )
    .await;
    p.html(
        422,
        &[
            &format!("value=\"{code}\""),
            // The summary on top names what to fix, linked to its field.
            "id=\"error-summary\"",
            "Chưa tra cứu được. Hãy sửa:",
            "<a href=\"#captcha\">",
        ],
    );
    let next = format!("%2Ftra-cuu%3Fma%3D{code}%26kieu%3Danh");
    assert!(
        p.html.contains(&format!("href=\"/lang/en?next={next}\"")),
        "{}",
        p.html
    );
}
