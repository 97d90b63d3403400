//! Appointments through the router: the step-by-step booking in Vietnamese
//! and English, its confirmation and its field errors. Closed days and full
//! slots are in `web_booking_slots.rs`, managing a booking in
//! `web_booking_manage.rs`. "Now" is Saturday 2026-11-21 10:00 in Vietnam,
//! so the window is Sunday 22 to Saturday 28 November.

use axum::Router;
use axum::http::Method;
use cancuoc_store::{NewOffice, OfficeLevel, OpeningHours, Store};

use super::web_citizen_status::{answer_of, challenge_of, from};
use crate::world::{DISTRICT, PROVINCE, Page, T0, World, page, web, world};

/// An office under the test province with one seat per 30-minute slot
/// (15 seats over the 15 weekday slots).
pub const TINY: u16 = 792;

pub async fn tiny_office(w: &World) {
    w.store
        .create_office(
            &NewOffice {
                code: TINY,
                name: "Công an Huyện Nhỏ Thử".into(),
                level: OfficeLevel::District,
                parent: Some(PROVINCE),
                address: "Số 792 Đường Thử Nghiệm".into(),
                hotline: "0900000792".into(),
                opening_hours: OpeningHours::usual_with_saturday_morning(),
                daily_capacity: 15,
                in_force: cancuoc_store::Period::ALWAYS,
            },
            None,
            T0,
        )
        .await
        .expect("tiny office");
    w.app.service().reload_offices().await.expect("reload");
}

/// The client a test booking comes from: an address of its own per phone
/// number (10.x.y.z from the phone's last digits), so that the per-client
/// booking rate does not mix unrelated bookings of one test.
pub fn client_of(phone: &str) -> String {
    let digits: Vec<u32> = phone
        .bytes()
        .rev()
        .filter(u8::is_ascii_digit)
        .take(6)
        .map(|b| u32::from(b - b'0'))
        .collect();
    let n = digits.iter().rev().fold(0u32, |acc, d| acc * 10 + d);
    format!("10.{}.{}.{}", n / 65_536 % 256, n / 256 % 256, n % 256)
}

/// Posts the booking form from [`client_of`] the phone, as a citizen does:
/// shows the details form for the slot (which holds a captcha), reads the
/// captcha's answer through the test hook and sends it with the form;
/// returns the response.
pub async fn post_booking(
    r: &Router,
    office: u16,
    day: &str,
    time: &str,
    name: &str,
    phone: &str,
    lang: &str,
) -> Page {
    let ip = client_of(phone);
    let office = office.to_string();
    let form = from(
        r,
        &ip,
        Method::GET,
        &format!("/dat-lich?tinh=79&don_vi={office}&ngay={day}&gio={time}&lang={lang}"),
        None,
    )
    .await;
    // A slot already full or not offered shows no details form, and so no
    // captcha: the citizen had the form open from before (a challenge is
    // one whichever page showed it; the status page's stands in).
    let shown = if form.html.contains("name=\"challenge\"") {
        form
    } else {
        from(r, &ip, Method::GET, "/tra-cuu", None).await
    };
    let challenge = challenge_of(&shown);
    let answer = answer_of(r, &challenge).await;
    from(
        r,
        &ip,
        Method::POST,
        &format!("/dat-lich?lang={lang}"),
        Some(&[
            ("tinh", "79"),
            ("don_vi", office.as_str()),
            ("ngay", day),
            ("gio", time),
            ("ho_ten", name),
            ("dien_thoai", phone),
            ("so_dinh_danh", ""),
            ("challenge", challenge.as_str()),
            ("captcha", answer.as_str()),
        ]),
    )
    .await
}

pub async fn book(r: &Router, office: u16, day: &str, time: &str, phone: &str) -> String {
    let res = post_booking(r, office, day, time, "Trần Thị Hẹn", phone, "vi").await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    let loc = res.header("location").to_owned();
    let code = loc
        .strip_prefix("/dat-lich/xac-nhan/")
        .expect("confirmation path")
        .to_owned();
    assert_eq!(code.len(), 11);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    code
}

#[track_caller]
pub fn small(p: &Page) {
    assert!(
        p.html.len() < 100 * 1024,
        "page over 100 KB: {}",
        p.html.len()
    );
}

/// The option values of `<select name=…>` on a page.
pub fn options(html: &str, select: &str) -> Vec<String> {
    let Some(start) = html.find(&format!("name=\"{select}\"")) else {
        return Vec::new();
    };
    let end = html[start..]
        .find("</select>")
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("<option value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

pub async fn the_booking_steps_offer_provinces_then_their_receiving_offices(store: Store) {
    let w = world(store).await;
    let p = page(&w.router, "/dat-lich", &[]).await;
    p.html(
        200,
        &["<html lang=\"vi\">", "Đặt lịch hẹn", "<label for=\"tinh\">"],
    );
    small(&p);
    assert_eq!(options(&p.html, "tinh"), ["79"]);
    assert!(!p.html.contains("name=\"don_vi\""));
    let p = page(&w.router, "/dat-lich?tinh=79", &[]).await;
    p.html(200, &["Công an Huyện Đông Thử", "<label for=\"don_vi\">"]);
    let offices = options(&p.html, "don_vi");
    assert!(offices.contains(&"790".to_owned()) && offices.contains(&"791".to_owned()));
    assert!(
        !offices.contains(&"2".to_owned()),
        "the NPD centre receives no one"
    );
}

pub async fn the_booking_offers_the_open_days_from_tomorrow(store: Store) {
    let w = world(store).await;
    let p = page(&w.router, "/dat-lich?tinh=79&don_vi=790", &[]).await;
    p.html(200, &["Số 790 Đường Thử Nghiệm", "09000790", "Chủ nhật"]);
    small(&p);
    assert_eq!(
        options(&p.html, "ngay"),
        [
            "2026-11-23",
            "2026-11-24",
            "2026-11-25",
            "2026-11-26",
            "2026-11-27",
            "2026-11-28"
        ],
        "tomorrow is a Sunday: closed; today is not offered"
    );
}

pub async fn a_saturday_offers_morning_slots_only(store: Store) {
    let w = world(store).await;
    let p = page(
        &w.router,
        "/dat-lich?tinh=79&don_vi=790&ngay=2026-11-28",
        &[],
    )
    .await;
    let sat = options(&p.html, "gio");
    assert_eq!(sat.first().map(String::as_str), Some("07:30"));
    assert_eq!(sat.last().map(String::as_str), Some("11:00"));
    assert_eq!(sat.len(), 8, "{sat:?}");
}

pub async fn a_weekday_offers_morning_and_afternoon_slots(store: Store) {
    let w = world(store).await;
    let p = page(
        &w.router,
        "/dat-lich?tinh=79&don_vi=790&ngay=2026-11-23",
        &[],
    )
    .await;
    let mon = options(&p.html, "gio");
    assert_eq!(mon.len(), 15, "{mon:?}");
    assert!(mon.contains(&"13:30".to_owned()) && mon.contains(&"16:30".to_owned()));
    assert!(!mon.contains(&"17:00".to_owned()) && !mon.contains(&"12:00".to_owned()));
}

pub async fn a_chosen_slot_shows_the_details_form(store: Store) {
    let w = world(store).await;
    let p = page(
        &w.router,
        "/dat-lich?tinh=79&don_vi=790&ngay=2026-11-23&gio=07:30",
        &[],
    )
    .await;
    p.html(
        200,
        &[
            "<label for=\"ho_ten\">",
            "<label for=\"dien_thoai\">",
            "<label for=\"so_dinh_danh\">",
            "value=\"2026-11-23\" selected>Thứ Hai 23/11 (",
            "value=\"07:30\" selected>07:30–08:00",
            "method=\"post\" action=\"/dat-lich\"",
        ],
    );
}

pub async fn a_booking_is_confirmed_by_its_code_and_takes_a_seat(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    // Book, then the confirmation (POST-redirect-GET).
    let code = book(r, DISTRICT, "2026-11-23", "07:30", "0912 345 678").await;
    let grouped = format!("{} {} {}", &code[..4], &code[4..8], &code[8..]);
    let c = page(r, &format!("/dat-lich/xac-nhan/{code}"), &[]).await;
    c.html(
        200,
        &[
            "Đã đặt lịch hẹn",
            grouped.as_str(),
            "Thứ Hai 23/11/2026",
            "07:30–08:00",
            "Công an Huyện Đông Thử",
            "Số 790 Đường Thử Nghiệm",
            "09000790",
            &format!("href=\"/to-khai?ma={code}\""),
        ],
    );
    small(&c);
    assert!(
        !c.html.contains("Trần Thị Hẹn"),
        "the code alone shows no name"
    );
    // The seat is counted: one fewer left in that slot.
    let p = page(r, "/dat-lich?tinh=79&don_vi=790&ngay=2026-11-23", &[]).await;
    assert!(p.html.contains("07:30–08:00 (13 chỗ trống)"), "{}", p.html);
}

pub async fn the_booking_steps_speak_english_on_request(store: Store) {
    let w = world(store).await;
    let p = page(
        &w.router,
        "/dat-lich?tinh=79&don_vi=790&ngay=2026-11-28&lang=en",
        &[],
    )
    .await;
    p.html(
        200,
        &[
            "<html lang=\"en\">",
            "Book an appointment",
            // The day's option, short enough for a phone's select.
            "Saturday 28/11 (",
            "Time slot",
        ],
    );
    assert!(!p.html.contains("Khung giờ"));
}

pub async fn a_booking_made_in_english_is_confirmed_in_english(store: Store) {
    let w = world(store).await;
    let res = post_booking(
        &w.router,
        DISTRICT,
        "2026-11-28",
        "08:00",
        "Lê Văn Anh",
        "+84 381234567",
        "en",
    )
    .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    let c = page(
        &w.router,
        &format!("{}?lang=en", res.header("location")),
        &[],
    )
    .await;
    c.html(
        200,
        &[
            "Appointment booked",
            "Saturday 28/11/2026",
            "08:00–08:30",
            "Hotline",
        ],
    );
}

pub async fn bad_booking_details_are_named_beside_their_fields_and_nothing_is_booked(store: Store) {
    let w = world(store).await;
    // Every message in both languages, and what was typed is kept.
    let bad = web(
        &w.router,
        Method::POST,
        "/dat-lich",
        Some(&[
            ("tinh", "79"),
            ("don_vi", "790"),
            ("ngay", "2026-11-23"),
            ("gio", "08:00"),
            ("ho_ten", "An 3"),
            ("dien_thoai", "0241234567"),
            ("so_dinh_danh", "12345"),
        ]),
        &[],
    )
    .await;
    bad.html(
        422,
        &[
            "id=\"ho_ten-err\"",
            "“3”",
            "id=\"dien_thoai-err\"",
            "bắt đầu bằng 03, 05, 07, 08 hoặc 09",
            "id=\"so_dinh_danh-err\"",
            "value=\"An 3\"",
            "value=\"0241234567\"",
            "aria-invalid=\"true\"",
        ],
    );
    // One language per page.
    assert!(!bad.html.contains("starting with 03, 05, 07, 08 or 09"));
    let list = w
        .store
        .bookings_on(DISTRICT, jiff::civil::date(2026, 11, 23))
        .await
        .expect("list");
    assert!(list.is_empty(), "{list:?}");
}

pub async fn an_unknown_confirmation_code_is_a_plain_404_page(store: Store) {
    let w = world(store).await;
    page(&w.router, "/dat-lich/xac-nhan/12345678901", &[])
        .await
        .html(404, &["Không tìm thấy trang này."]);
}

/// The label of `time`'s option on `day` at the district office
/// ("09:00–09:30 (14 chỗ trống)").
async fn seats(r: &Router, day: &str, time: &str) -> String {
    let p = page(r, &format!("/dat-lich?tinh=79&don_vi=790&ngay={day}"), &[]).await;
    let at = p
        .html
        .find(&format!("<option value=\"{time}\">"))
        .unwrap_or_else(|| panic!("{time} offered on {day}"));
    let label = &p.html[at..];
    label[label.find('>').unwrap_or(0) + 1..label.find("</option>").unwrap_or(0)].to_owned()
}

/// The details form of Monday 23 November at `time` from `ip`: its
/// captcha's id and answer.
async fn details_form(r: &Router, ip: &str, time: &str) -> (Page, String, String) {
    let form = from(
        r,
        ip,
        Method::GET,
        &format!("/dat-lich?tinh=79&don_vi=790&ngay=2026-11-23&gio={time}"),
        None,
    )
    .await;
    let challenge = challenge_of(&form);
    let answer = answer_of(r, &challenge).await;
    (form, challenge, answer)
}

/// Opens the details form at Monday 09:00 from `ip`, then sends it as the
/// form then shows it: the steps `[tinh, don_vi, ngay, gio]` as changed
/// (or not) since, the details for `phone`, the captcha answered, and
/// `extra` (a step button pressed).
async fn send_shown(
    r: &Router,
    ip: &str,
    [tinh, don_vi, ngay, gio]: [&str; 4],
    phone: &str,
    extra: &[(&str, &str)],
) -> Page {
    let (_, challenge, answer) = details_form(r, ip, "09:00").await;
    let mut form = vec![
        ("tinh", tinh),
        ("don_vi", don_vi),
        ("ngay", ngay),
        ("gio", gio),
        ("ho_ten", "Trần Thị Đổi"),
        ("dien_thoai", phone),
        ("so_dinh_danh", ""),
        ("challenge", challenge.as_str()),
        ("captcha", answer.as_str()),
    ];
    form.extend_from_slice(extra);
    from(r, ip, Method::POST, "/dat-lich", Some(&form)).await
}

pub async fn the_steps_and_the_details_are_one_form(store: Store) {
    let w = world(store).await;
    let (form, _, _) = details_form(&w.router, "10.9.0.1", "09:00").await;
    // One form from the first select to "Đặt lịch": no hidden copy of the
    // slot that a changed select would not update.
    let start = form
        .html
        .find("<form method=\"post\" action=\"/dat-lich\"")
        .expect("the booking form");
    let end = start + form.html[start..].find("</form>").expect("its end");
    let one = &form.html[start..end];
    for field in ["tinh", "don_vi", "ngay", "gio"] {
        assert!(
            one.contains(&format!("<select id=\"{field}\" name=\"{field}\"")),
            "{field} in the booking form"
        );
        assert!(
            !one.contains(&format!("type=\"hidden\" name=\"{field}\"")),
            "no hidden {field}"
        );
    }
    // "Đặt lịch" is the first submit button: the one Enter presses.
    let book = one.find(">Đặt lịch</button>").expect("book button");
    let first_submit = one.find("type=\"submit\"").expect("a submit");
    assert!(first_submit < book && !one[first_submit..book].contains("</button>"));
    assert!(
        one[book..].contains("name=\"buoc\""),
        "the step button after"
    );
}

pub async fn a_time_changed_without_continue_books_the_time_shown(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let ip = "10.9.0.2";
    let before = seats(r, "2026-11-23", "09:00").await;
    // Steps to 09:00, then the time select changed to 14:00 and "Đặt
    // lịch" pressed at once: the form sends 14:00.
    let res = send_shown(
        r,
        ip,
        ["79", "790", "2026-11-23", "14:00"],
        "0912 300 400",
        &[],
    )
    .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    page(r, res.header("location"), &[])
        .await
        .html(200, &["Thứ Hai 23/11/2026", "14:00–14:30"]);
    assert_eq!(
        seats(r, "2026-11-23", "09:00").await,
        before,
        "09:00 untouched"
    );
}

pub async fn a_province_changed_without_continue_books_nothing_and_says_so(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    w.store
        .create_office(
            &cancuoc_testkit::world::office(
                48,
                "Công an Tỉnh Thử Hai",
                OfficeLevel::Province,
                Some(1),
            ),
            None,
            T0,
        )
        .await
        .expect("second province");
    w.app.service().reload_offices().await.expect("reload");
    let ip = "10.9.0.3";
    let before = seats(r, "2026-11-23", "09:00").await;
    // The province select changed to 48; the office select still shows 790.
    let res = send_shown(
        r,
        ip,
        ["48", "790", "2026-11-23", "09:00"],
        "0912 300 401",
        &[],
    )
    .await;
    res.html(
        422,
        &[
            "Cơ quan đã chọn không thuộc tỉnh, thành phố đã chọn",
            "Trần Thị Đổi",
        ],
    );
    assert_eq!(
        seats(r, "2026-11-23", "09:00").await,
        before,
        "nothing booked"
    );
}

pub async fn the_step_button_shows_the_new_choice_and_books_nothing(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let ip = "10.9.0.4";
    let before = seats(r, "2026-11-24", "14:00").await;
    let res = send_shown(
        r,
        ip,
        ["79", "790", "2026-11-24", "14:00"],
        "0912 300 402",
        &[("buoc", "chon")],
    )
    .await;
    res.html(
        200,
        &[
            "value=\"2026-11-24\" selected",
            "value=\"14:00\" selected",
            "Trần Thị Đổi",
        ],
    );
    assert_eq!(
        seats(r, "2026-11-24", "14:00").await,
        before,
        "nothing booked"
    );
}

pub async fn a_double_click_on_book_shows_the_booking_both_times(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let ip = "10.9.0.5";
    let before = seats(r, "2026-11-23", "09:00").await;
    let (_, challenge, answer) = details_form(r, ip, "09:00").await;
    let form = [
        ("tinh", "79"),
        ("don_vi", "790"),
        ("ngay", "2026-11-23"),
        ("gio", "09:00"),
        ("ho_ten", "Trần Thị Hai Lần"),
        ("dien_thoai", "0912 300 405"),
        ("so_dinh_danh", ""),
        ("challenge", challenge.as_str()),
        ("captcha", answer.as_str()),
    ];
    let send = || from(r, ip, Method::POST, "/dat-lich", Some(&form));
    let (first, second) = tokio::join!(send(), send());
    assert_eq!(first.status.as_u16(), 303, "{}", first.html);
    assert_eq!(second.status.as_u16(), 303, "{}", second.html);
    assert_eq!(first.header("location"), second.header("location"));
    let after = seats(r, "2026-11-23", "09:00").await;
    assert_ne!(after, before, "one seat taken");
    let count = |label: &str| -> u32 {
        label
            .split('(')
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("seats left")
    };
    assert_eq!(count(&after) + 1, count(&before), "{before} → {after}");
}
