//! The officers' lists of appointments: the REST list
//! (`/api/v1/offices/{code}/bookings`) and the console's day list
//! (`/can-bo/lich-hen`): own office only, linked to the reception desk
//! (which pre-fills from the booking), marking a citizen arrived behind
//! the CSRF check.

use axum::http::Method;
use cancuoc_store::{BookingState, Store};
use serde_json::Value;

use super::web_booking::book;
use super::web_console::{console_login, csrf_of, give_login};
use crate::world::{DISTRICT, Page, World, get, page, web, world};

const DAY: &str = "/can-bo/lich-hen?ngay=2026-11-23";

/// Both district receptionists with console logins, and two bookings at
/// DISTRICT on Monday: `a` at 08:00, `b` at 07:30.
async fn monday_bookings(store: Store) -> (World, String, String) {
    let w = world(store).await;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    give_login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    let a = book(&w.router, DISTRICT, "2026-11-23", "08:00", "0912000321").await;
    let b = book(&w.router, DISTRICT, "2026-11-23", "07:30", "0912000654").await;
    (w, a, b)
}

/// Posts "arrived" for booking `ma` with `csrf` (none when empty).
async fn mark_arrived(w: &World, cookie: &str, csrf: &str, ma: &str) -> Page {
    let mut form = vec![("ma", ma), ("ngay", "2026-11-23")];
    if !csrf.is_empty() {
        form.push(("csrf", csrf));
    }
    web(
        &w.router,
        Method::POST,
        "/can-bo/lich-hen/da-den",
        Some(&form),
        &[("cookie", cookie)],
    )
    .await
}

async fn booking_state(w: &World, code: &str) -> BookingState {
    w.store.booking_by_code(code).await.expect("booking").state
}

pub async fn the_officers_booking_list_shows_a_days_bookings_with_masked_phones(store: Store) {
    let w = world(store).await;
    let code = book(&w.router, DISTRICT, "2026-11-24", "09:30", "0912000777").await;
    let res = get(
        &w.router,
        "/api/v1/offices/790/bookings?date=2026-11-24",
        Some(&w.receptionist),
    )
    .await;
    let body: &Value = res.ok(200);
    assert_eq!(body["office"], 790);
    assert_eq!(body["date"], "2026-11-24");
    let list = body["bookings"].as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["code"], code.as_str());
    assert_eq!(list[0]["start"], "09:30");
    assert_eq!(list[0]["phone"], "•••• ••• 777");
    assert_eq!(list[0]["declared"], false);
}

pub async fn the_officers_booking_list_is_of_today_by_default(store: Store) {
    let w = world(store).await;
    book(&w.router, DISTRICT, "2026-11-24", "09:30", "0912000777").await;
    let today = get(
        &w.router,
        "/api/v1/offices/790/bookings",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(today.ok(200)["date"], "2026-11-21");
    assert_eq!(today.body["bookings"].as_array().map(Vec::len), Some(0));
}

pub async fn another_district_cannot_read_the_booking_list(store: Store) {
    let w = world(store).await;
    get(
        &w.router,
        "/api/v1/offices/790/bookings?date=2026-11-24",
        Some(&w.other_receptionist),
    )
    .await
    .problem(403, "service.out_of_scope");
}

pub async fn the_booking_list_needs_a_token(store: Store) {
    let w = world(store).await;
    get(
        &w.router,
        "/api/v1/offices/790/bookings?date=2026-11-24",
        None,
    )
    .await
    .problem(401, "auth.missing_token");
}

pub async fn a_malformed_date_for_the_booking_list_is_a_bad_request(store: Store) {
    let w = world(store).await;
    let bad = get(
        &w.router,
        "/api/v1/offices/790/bookings?date=24-11-2026",
        Some(&w.receptionist),
    )
    .await;
    bad.problem(400, "calendar.bad_date");
    assert!(
        bad.body["message_en"]
            .as_str()
            .unwrap_or("")
            .contains("\"24-11-2026\""),
        "{}",
        bad.body
    );
}

pub async fn the_spec_documents_the_booking_list(store: Store) {
    let w = world(store).await;
    let spec = get(&w.router, "/api/openapi.json", None).await;
    assert!(spec.ok(200)["paths"]["/api/v1/offices/{code}/bookings"].is_object());
}

pub async fn an_anonymous_visit_to_the_day_list_goes_to_the_login_page(store: Store) {
    let (w, _, _) = monday_bookings(store).await;
    let anon = page(&w.router, DAY, &[]).await;
    assert_eq!(anon.status.as_u16(), 303, "{}", anon.html);
    assert!(
        anon.header("location")
            .starts_with("/can-bo/dang-nhap?next=")
    );
}

pub async fn the_day_list_shows_the_offices_bookings_by_start_time(store: Store) {
    let (w, a, b) = monday_bookings(store).await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    let p = page(&w.router, DAY, &[("cookie", cookie.as_str())]).await;
    p.html(
        200,
        &[
            "Thứ Hai 23/11/2026",
            "Công an Huyện Đông Thử",
            "Trần Thị Hẹn",
            "•••• ••• 321",
            &format!("href=\"/can-bo/tiep-nhan?booking={a}\""),
            &format!("href=\"/can-bo/tiep-nhan?booking={b}\""),
            "href=\"/can-bo/lich-hen?ngay=2026-11-22\"",
            "href=\"/can-bo/lich-hen?ngay=2026-11-24\"",
            "<label for=\"ngay\">",
            "aria-current=\"page\"",
        ],
    );
    assert!(p.html.len() < 100 * 1024);
    assert!(!p.html.contains("0912000321"), "phone numbers are masked");
    // By start time: 07:30 before 08:00.
    let (ia, ib) = (
        p.html.find(&format!("id=\"b-{a}\"")).expect("a"),
        p.html.find(&format!("id=\"b-{b}\"")).expect("b"),
    );
    assert!(ib < ia);
}

pub async fn the_day_list_is_of_today_by_default(store: Store) {
    let (w, _, _) = monday_bookings(store).await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    page(
        &w.router,
        "/can-bo/lich-hen",
        &[("cookie", cookie.as_str())],
    )
    .await
    .html(200, &["21/11/2026", "id=\"none\""]);
}

pub async fn a_malformed_day_for_the_day_list_says_so_and_shows_today(store: Store) {
    let (w, _, _) = monday_bookings(store).await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    page(
        &w.router,
        "/can-bo/lich-hen?ngay=23-11-2026&lang=en",
        &[("cookie", cookie.as_str())],
    )
    .await
    .html(200, &["is not a date YYYY-MM-DD", "Saturday 21/11/2026"]);
}

pub async fn the_reception_desk_prefills_from_a_booking_of_the_day_list(store: Store) {
    let (w, _, b) = monday_bookings(store).await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    page(
        &w.router,
        &format!("/can-bo/tiep-nhan?booking={b}"),
        &[("cookie", cookie.as_str())],
    )
    .await
    .html(200, &["Trần Thị Hẹn"]);
}

pub async fn marking_arrived_without_the_csrf_token_is_refused(store: Store) {
    let (w, a, _) = monday_bookings(store).await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    mark_arrived(&w, &cookie, "", &a)
        .await
        .html(403, &["chống giả mạo"]);
    assert_eq!(booking_state(&w, &a).await, BookingState::Booked);
}

pub async fn marking_a_citizen_arrived_updates_the_day_list(store: Store) {
    let (w, a, _) = monday_bookings(store).await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    let me = [("cookie", cookie.as_str())];
    let csrf = csrf_of(&page(&w.router, DAY, &me).await.html);
    let done = mark_arrived(&w, &cookie, &csrf, &a).await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.html);
    assert_eq!(done.header("location"), DAY);
    let p = page(&w.router, DAY, &me).await;
    p.html(200, &["Đã tiếp nhận", "đã tiếp nhận 1"]);
    assert!(
        !p.html
            .contains(&format!("href=\"/can-bo/tiep-nhan?booking={a}\""))
    );
}

pub async fn marking_a_citizen_arrived_twice_is_a_conflict(store: Store) {
    let (w, a, _) = monday_bookings(store).await;
    let cookie = console_login(&w.router, "le.tiep.nhan").await;
    let csrf = csrf_of(
        &page(&w.router, DAY, &[("cookie", cookie.as_str())])
            .await
            .html,
    );
    let done = mark_arrived(&w, &cookie, &csrf, &a).await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.html);
    mark_arrived(&w, &cookie, &csrf, &a)
        .await
        .html(409, &["đã được tiếp nhận"]);
}

pub async fn another_office_sees_none_of_the_day_list(store: Store) {
    let (w, _, _) = monday_bookings(store).await;
    let other = console_login(&w.router, "pham.tiep.nhan").await;
    page(&w.router, DAY, &[("cookie", other.as_str())])
        .await
        .html(200, &["Công an Huyện Tây Thử", "id=\"none\""]);
}

pub async fn another_office_cannot_mark_a_booking_arrived(store: Store) {
    let (w, _, b) = monday_bookings(store).await;
    let other = console_login(&w.router, "pham.tiep.nhan").await;
    let csrf = csrf_of(
        &page(&w.router, DAY, &[("cookie", other.as_str())])
            .await
            .html,
    );
    mark_arrived(&w, &other, &csrf, &b)
        .await
        .html(409, &["Không có lịch hẹn này tại đơn vị của bạn"]);
    assert_eq!(booking_state(&w, &b).await, BookingState::Booked);
}
