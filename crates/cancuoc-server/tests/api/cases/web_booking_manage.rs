//! Managing an appointment with its code and phone: the lookup and its
//! refusals, moving it, cancelling it. At the tiny office (one seat per
//! slot) "0987 000 111" holds Monday 07:30 and "0987000222" 08:00.

use axum::Router;
use axum::http::Method;
use cancuoc_store::Store;

use super::web_booking::{TINY, book, options, small, tiny_office};
use crate::world::{Page, World, page, web, world};

const PHONE: &str = "0987 000 111";
const OTHER_PHONE: &str = "0987000222";
const NOT_FOUND: &str = "Không tìm thấy lịch hẹn với mã và số điện thoại này";

/// The tiny office with its two bookings; returns the world and their
/// codes (07:30, 08:00).
async fn two_bookings(store: Store) -> (World, String, String) {
    let w = world(store).await;
    tiny_office(&w).await;
    let code = book(&w.router, TINY, "2026-11-23", "07:30", PHONE).await;
    let other = book(&w.router, TINY, "2026-11-23", "08:00", OTHER_PHONE).await;
    (w, code, other)
}

/// Posts a form of plain pairs to `path`.
async fn send_form(r: &Router, path: &str, pairs: &[(&str, &str)]) -> Page {
    web(r, Method::POST, path, Some(pairs), &[]).await
}

async fn manage(r: &Router, ma: &str, phone: &str) -> Page {
    send_form(r, "/dat-lich/quan-ly", &[("ma", ma), ("dien_thoai", phone)]).await
}

/// Moves to `day` (as the date picker sends it, or as typed) at `time`.
async fn move_to(r: &Router, ma: &str, phone: &str, day: &str, time: &str) -> Page {
    send_form(
        r,
        "/dat-lich/doi",
        &[
            ("ma", ma),
            ("dien_thoai", phone),
            ("ngay", day),
            ("gio", time),
        ],
    )
    .await
}

/// Cancels, confirming ("Có, hủy lịch hẹn").
async fn cancel(r: &Router, ma: &str, phone: &str) -> Page {
    send_form(
        r,
        "/dat-lich/huy",
        &[("ma", ma), ("dien_thoai", phone), ("xac_nhan", "1")],
    )
    .await
}

/// The slots still offered on Monday 23 November.
async fn free_on_monday(r: &Router) -> Vec<String> {
    let p = page(r, "/dat-lich?tinh=79&don_vi=792&ngay=2026-11-23", &[]).await;
    options(&p.html, "gio")
}

pub async fn the_manage_form_carries_the_code_of_its_link(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    let p = page(&w.router, &format!("/dat-lich/quan-ly?ma={code}"), &[]).await;
    p.html(
        200,
        &[&format!("value=\"{code}\""), "<label for=\"dien_thoai\">"],
    );
}

pub async fn a_wrong_phone_and_an_unknown_code_get_the_same_answer(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    let wrong = manage(&w.router, &code, "0987000999").await;
    wrong.html(404, &[NOT_FOUND]);
    let unknown_code = cancuoc_core::dossier::code::damm_check_digit("5555555555")
        .map(|c| format!("5555555555{c}"))
        .expect("code");
    let unknown = manage(&w.router, &unknown_code, "0987000111").await;
    unknown.html(404, &[NOT_FOUND]);
    // Strip the two pages to their message: identical.
    let msg = |p: &Page| {
        let i = p.html.find("id=\"ma-err\"").expect("message");
        p.html[i..i + 200].to_owned()
    };
    assert_eq!(msg(&wrong), msg(&unknown));
}

pub async fn a_typo_in_the_booking_code_is_caught_by_its_check_digit(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    // Before any lookup.
    let mut typo = code.into_bytes();
    typo[3] = if typo[3] == b'9' { b'0' } else { typo[3] + 1 };
    let typo = String::from_utf8(typo).expect("ascii");
    manage(&w.router, &typo, PHONE)
        .await
        .html(422, &["Chữ số kiểm tra"]);
}

pub async fn the_right_code_and_phone_show_the_booking_and_where_it_may_move(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    // The booking, a move form, a cancel button.
    let found = manage(&w.router, &code, PHONE).await;
    found.html(
        200,
        &[
            "Trần Thị Hẹn",
            "•••• ••• 111",
            "type=\"date\" id=\"ngay\" name=\"ngay\" value=\"2026-11-23\" min=\"2026-11-23\" max=\"2026-11-28\"",
            "Từ 23/11/2026 đến 28/11/2026.",
            "/dat-lich/huy",
            "Đã đặt",
        ],
    );
    small(&found);
    // The first day with a free seat, its times but its own and the full.
    let moves = options(&found.html, "gio");
    assert!(!moves.contains(&"07:30".to_owned()), "its own slot");
    assert!(!moves.contains(&"08:00".to_owned()), "a full slot");
    assert!(moves.contains(&"08:30".to_owned()));
}

pub async fn moving_into_a_full_slot_is_refused_and_keeps_the_old_seat(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    move_to(&w.router, &code, PHONE, "2026-11-23", "08:00")
        .await
        .html(409, &["đã hết chỗ"]);
    let free = free_on_monday(&w.router).await;
    assert!(
        !free.contains(&"07:30".to_owned()),
        "old seat kept: {free:?}"
    );
}

pub async fn moving_with_a_wrong_phone_is_not_found_and_moves_nothing(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    move_to(&w.router, &code, "0987000999", "2026-11-23", "08:30")
        .await
        .html(404, &["Không tìm thấy lịch hẹn"]);
    let free = free_on_monday(&w.router).await;
    assert!(!free.contains(&"07:30".to_owned()), "{free:?}");
    assert!(free.contains(&"08:30".to_owned()), "{free:?}");
}

pub async fn moving_to_a_free_slot_frees_the_old_seat(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    let res = move_to(&w.router, &code, PHONE, "2026-11-25", "13:30").await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    page(&w.router, res.header("location"), &[])
        .await
        .html(200, &["Thứ Tư 25/11/2026", "13:30–14:00"]);
    assert!(
        free_on_monday(&w.router)
            .await
            .contains(&"07:30".to_owned()),
        "old seat freed"
    );
}

pub async fn cancelling_with_a_wrong_phone_is_not_found_and_keeps_the_seat(store: Store) {
    let (w, _, other) = two_bookings(store).await;
    // The other booking's code with the first one's phone.
    cancel(&w.router, &other, PHONE)
        .await
        .html(404, &["Không tìm thấy lịch hẹn"]);
    assert!(
        !free_on_monday(&w.router)
            .await
            .contains(&"08:00".to_owned()),
        "seat kept"
    );
}

pub async fn cancelling_a_booking_frees_its_seat(store: Store) {
    let (w, _, other) = two_bookings(store).await;
    let res = cancel(&w.router, &other, OTHER_PHONE).await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    page(
        &w.router,
        &format!("{}?lang=en", res.header("location")),
        &[],
    )
    .await
    .html(200, &["Cancelled"]);
    assert!(
        free_on_monday(&w.router)
            .await
            .contains(&"08:00".to_owned()),
        "seat freed"
    );
}

pub async fn cancelling_twice_is_a_conflict_that_says_why(store: Store) {
    let (w, _, other) = two_bookings(store).await;
    let first = cancel(&w.router, &other, OTHER_PHONE).await;
    assert_eq!(first.status.as_u16(), 303, "{}", first.html);
    cancel(&w.router, &other, OTHER_PHONE)
        .await
        .html(409, &["bị hủy"]);
}

pub async fn the_move_form_shows_the_free_times_of_the_day_picked(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    // The step button (or the script, on a change of day) asks the manage
    // page for Wednesday: its free times, not Monday's.
    let p = send_form(
        &w.router,
        "/dat-lich/quan-ly",
        &[("ma", &code), ("dien_thoai", PHONE), ("ngay", "25/11/2026")],
    )
    .await;
    p.html(200, &["Thứ Tư 25/11/2026", "value=\"2026-11-25\""]);
    assert!(options(&p.html, "gio").contains(&"07:30".to_owned()));
    // Sunday: nothing, and the days that have seats.
    let p = send_form(
        &w.router,
        "/dat-lich/quan-ly",
        &[("ma", &code), ("dien_thoai", PHONE), ("ngay", "2026-11-22")],
    )
    .await;
    p.html(200, &["id=\"gio-none\"", "Thứ Hai 23/11/2026"]);
    assert!(options(&p.html, "gio").is_empty());
}

pub async fn a_move_books_exactly_the_day_and_time_sent(store: Store) {
    let (w, code, _) = two_bookings(store).await;
    // Typed as people type it, where there is no date picker.
    let res = move_to(&w.router, &code, PHONE, "26-11-2026", "14:00").await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    page(&w.router, res.header("location"), &[])
        .await
        .html(200, &["Thứ Năm 26/11/2026", "14:00–14:30"]);
    // A time the office does not offer that day (Saturday afternoon) is
    // refused on the manage page, the booking where it was.
    let res = move_to(&w.router, &code, PHONE, "2026-11-28", "14:00").await;
    assert!(
        matches!(res.status.as_u16(), 409 | 422),
        "{} {}",
        res.status,
        res.html
    );
    assert!(res.html.contains("Thứ Năm 26/11/2026"), "{}", res.html);
}

pub async fn cancelling_asks_first_and_a_no_keeps_the_booking(store: Store) {
    let (w, _, other) = two_bookings(store).await;
    let asked = send_form(
        &w.router,
        "/dat-lich/huy",
        &[("ma", &other), ("dien_thoai", OTHER_PHONE)],
    )
    .await;
    asked.html(
        200,
        &[
            "Hủy lịch hẹn này?",
            "name=\"xac_nhan\" value=\"1\"",
            "Không, giữ lịch hẹn",
        ],
    );
    assert!(
        !free_on_monday(&w.router)
            .await
            .contains(&"08:00".to_owned()),
        "nothing cancelled before the yes"
    );
}
