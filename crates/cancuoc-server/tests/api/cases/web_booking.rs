//! Appointments through the router: the step-by-step booking in Vietnamese
//! and English, closed days and hours never offered, full slots refused
//! (also under concurrent posts), manage with code + phone, and the
//! officers' REST list. "Now" is Saturday 2026-11-21 10:00 in Vietnam, so
//! the window is Sunday 22 to Saturday 28 November.

use axum::Router;
use axum::http::Method;
use cancuoc_core::id::alloc::Allocator;
use cancuoc_server::{AppConfig, fixed_clock, router};
use cancuoc_store::{NewOffice, OfficeLevel, OpeningHours, Store};
use serde_json::Value;

use crate::world::{DISTRICT, PROVINCE, Page, T0, World, get, page, web, world};

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
            },
            None,
            T0,
        )
        .await
        .expect("tiny office");
    w.app.service().reload_offices().await.expect("reload");
}

/// Posts the booking form; returns the response.
pub async fn post_booking(
    r: &Router,
    office: u16,
    day: &str,
    time: &str,
    name: &str,
    phone: &str,
    lang: &str,
) -> Page {
    let office = office.to_string();
    web(
        r,
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
        ]),
        &[],
    )
    .await
}

/// Books and returns the code (from the redirect).
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

fn small(p: &Page) {
    assert!(
        p.html.len() < 100 * 1024,
        "page over 100 KB: {}",
        p.html.len()
    );
}

/// The option values of `<select name=…>` on a page.
fn options(html: &str, select: &str) -> Vec<String> {
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

pub async fn web_booking_flow_vi_en(store: Store) {
    let w = world(store).await;
    let r = &w.router;

    // Step by step, each a GET form.
    let p = page(r, "/dat-lich", &[]).await;
    p.html(
        200,
        &["<html lang=\"vi\">", "Đặt lịch hẹn", "<label for=\"tinh\">"],
    );
    small(&p);
    assert_eq!(options(&p.html, "tinh"), ["79"]);
    assert!(!p.html.contains("name=\"don_vi\""));
    let p = page(r, "/dat-lich?tinh=79", &[]).await;
    p.html(200, &["Công an Huyện Đông Thử", "<label for=\"don_vi\">"]);
    let offices = options(&p.html, "don_vi");
    assert!(offices.contains(&"790".to_owned()) && offices.contains(&"791".to_owned()));
    assert!(
        !offices.contains(&"2".to_owned()),
        "the NPD centre receives no one"
    );
    let p = page(r, "/dat-lich?tinh=79&don_vi=790", &[]).await;
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
    // Saturday: morning only.
    let p = page(r, "/dat-lich?tinh=79&don_vi=790&ngay=2026-11-28", &[]).await;
    let sat = options(&p.html, "gio");
    assert_eq!(sat.first().map(String::as_str), Some("07:30"));
    assert_eq!(sat.last().map(String::as_str), Some("11:00"));
    assert_eq!(sat.len(), 8, "{sat:?}");
    // A weekday: morning and afternoon.
    let p = page(r, "/dat-lich?tinh=79&don_vi=790&ngay=2026-11-23", &[]).await;
    let mon = options(&p.html, "gio");
    assert_eq!(mon.len(), 15);
    assert!(mon.contains(&"13:30".to_owned()) && mon.contains(&"16:30".to_owned()));
    assert!(!mon.contains(&"17:00".to_owned()) && !mon.contains(&"12:00".to_owned()));
    // The slot chosen: the details form.
    let p = page(
        r,
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
            "Thứ Hai 23/11/2026",
            "07:30–08:00",
            "method=\"post\" action=\"/dat-lich\"",
        ],
    );

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

    // The same in English.
    let p = page(
        r,
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
    let res = post_booking(
        r,
        DISTRICT,
        "2026-11-28",
        "08:00",
        "Lê Văn Anh",
        "+84 381234567",
        "en",
    )
    .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    let c = page(r, &format!("{}?lang=en", res.header("location")), &[]).await;
    c.html(
        200,
        &[
            "Appointment booked",
            "Saturday 28/11/2026",
            "08:00–08:30",
            "Hotline",
        ],
    );

    // Bad details: every message beside its field, in both languages, and
    // what was typed is kept; nothing is booked.
    let bad = web(
        r,
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
            "starting with 03, 05, 07, 08 or 09",
            "id=\"so_dinh_danh-err\"",
            "value=\"An 3\"",
            "value=\"0241234567\"",
            "aria-invalid=\"true\"",
        ],
    );
    let list = w
        .store
        .bookings_on(DISTRICT, jiff::civil::date(2026, 11, 23))
        .await
        .expect("list");
    assert_eq!(list.len(), 1);
    // An unknown confirmation code is a plain 404 page.
    page(r, "/dat-lich/xac-nhan/12345678901", &[])
        .await
        .html(404, &["Không tìm thấy trang này."]);
}

pub async fn web_booking_closed_days_and_full_slots(store: Store) {
    let w = world(store).await;
    tiny_office(&w).await;
    let r = &w.router;

    // Sunday, Saturday afternoon and a day outside the window are refused
    // even when posted directly.
    for (day, time, needle) in [
        ("2026-11-22", "08:00", "không tiếp nhận"),
        ("2026-11-28", "13:30", "không có khung giờ này"),
        ("2026-11-21", "11:00", "trong 7 ngày tới"),
        ("2026-11-30", "08:00", "trong 7 ngày tới"),
        ("2026-11-23", "08:10", "không có khung giờ này"),
        ("2026-11-23", "17:00", "không có khung giờ này"),
    ] {
        let res = post_booking(r, TINY, day, time, "Ngô Thị Thử", "0912000001", "vi").await;
        res.html(422, &[needle]);
    }
    assert!(
        w.store
            .slot_usage(
                TINY,
                jiff::civil::date(2026, 11, 21),
                jiff::civil::date(2026, 11, 30)
            )
            .await
            .expect("usage")
            .is_empty()
    );
    // A choice that is not offered in the GET steps is dropped with a note.
    let p = page(r, "/dat-lich?tinh=79&don_vi=792&ngay=2026-11-22", &[]).await;
    p.html(200, &["id=\"notice\"", "Chủ nhật"]);
    assert!(!p.html.contains("name=\"gio\""));

    // One seat per slot: the second booking of 07:30 is refused with 409,
    // and the slot is no longer offered.
    book(r, TINY, "2026-11-23", "07:30", "0912000002").await;
    let p = page(r, "/dat-lich?tinh=79&don_vi=792&ngay=2026-11-23", &[]).await;
    let slots = options(&p.html, "gio");
    assert!(!slots.contains(&"07:30".to_owned()) && slots.contains(&"08:00".to_owned()));
    let p = page(
        r,
        "/dat-lich?tinh=79&don_vi=792&ngay=2026-11-23&gio=07:30",
        &[],
    )
    .await;
    p.html(200, &["id=\"notice\"", "hết chỗ"]);
    assert!(!p.html.contains("<label for=\"ho_ten\">"));
    let full = post_booking(
        r,
        TINY,
        "2026-11-23",
        "07:30",
        "Ngô Thị Thử",
        "0912000003",
        "en",
    )
    .await;
    full.html(409, &["is full", "value=\"Ngô Thị Thử\""]);

    // Concurrent posts for one last seat: exactly one wins.
    let mut tasks = Vec::new();
    for i in 0..12u32 {
        let r = r.clone();
        tasks.push(tokio::spawn(async move {
            let phone = format!("09120001{i:02}");
            post_booking(&r, TINY, "2026-11-24", "09:00", "Đua Nhau", &phone, "vi")
                .await
                .status
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("join"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 409),
        "{statuses:?}"
    );
    let day = w
        .store
        .bookings_on(TINY, jiff::civil::date(2026, 11, 24))
        .await
        .expect("list");
    assert_eq!(day.len(), 1);

    // A public holiday from the calendar: on Monday 28 December 2026 the
    // window runs to Monday 4 January; New Year's Day (Friday) is closed.
    let config = AppConfig {
        clock: fixed_clock("2026-12-28T03:00:00Z".parse().expect("instant")),
        ..AppConfig::default()
    };
    let app = cancuoc_server::App::new(w.store.clone(), config, Allocator::new([42; 16]))
        .await
        .expect("app");
    let r2 = router(app);
    let p = page(&r2, "/dat-lich?tinh=79&don_vi=792&lang=en", &[]).await;
    let days = options(&p.html, "ngay");
    assert!(!days.contains(&"2027-01-01".to_owned()), "{days:?}");
    assert!(days.contains(&"2026-12-31".to_owned()) && days.contains(&"2027-01-02".to_owned()));
    assert!(!days.contains(&"2027-01-03".to_owned()), "Sunday");
    assert!(
        p.html.contains("Friday 01/01/2027"),
        "the closed list names it"
    );
    let res = post_booking(
        &r2,
        TINY,
        "2027-01-01",
        "08:00",
        "Ngô Thị Thử",
        "0912000004",
        "en",
    )
    .await;
    res.html(422, &["does not receive on 01/01/2027"]);
}

pub async fn web_booking_manage_cancel_move(store: Store) {
    let w = world(store).await;
    tiny_office(&w).await;
    let r = &w.router;
    let phone = "0987 000 111";
    let code = book(r, TINY, "2026-11-23", "07:30", phone).await;
    let other = book(r, TINY, "2026-11-23", "08:00", "0987000222").await;
    let manage = |ma: String, dt: &'static str| {
        let r = r.clone();
        async move {
            web(
                &r,
                Method::POST,
                "/dat-lich/quan-ly",
                Some(&[("ma", ma.as_str()), ("dien_thoai", dt)]),
                &[],
            )
            .await
        }
    };
    let p = page(r, &format!("/dat-lich/quan-ly?ma={code}"), &[]).await;
    p.html(
        200,
        &[&format!("value=\"{code}\""), "<label for=\"dien_thoai\">"],
    );

    // Wrong phone and unknown code: the same answer.
    let wrong = manage(code.clone(), "0987000999").await;
    wrong.html(
        404,
        &["Không tìm thấy lịch hẹn với mã và số điện thoại này"],
    );
    let unknown_code = cancuoc_core::dossier::code::damm_check_digit("5555555555")
        .map(|c| format!("5555555555{c}"))
        .expect("code");
    let unknown = manage(unknown_code, "0987000111").await;
    unknown.html(
        404,
        &["Không tìm thấy lịch hẹn với mã và số điện thoại này"],
    );
    // Strip the two pages to their message: identical.
    let msg = |p: &Page| {
        let i = p.html.find("id=\"ma-err\"").expect("message");
        p.html[i..i + 200].to_owned()
    };
    assert_eq!(msg(&wrong), msg(&unknown));
    // A typo in the code is caught by its check digit, before any lookup.
    let mut typo = code.clone().into_bytes();
    typo[3] = if typo[3] == b'9' { b'0' } else { typo[3] + 1 };
    let typo = String::from_utf8(typo).expect("ascii");
    manage(typo, phone).await.html(422, &["Chữ số kiểm tra"]);

    // The right pair: the booking, a move form, a cancel button.
    let found = manage(code.clone(), phone).await;
    found.html(
        200,
        &[
            "Trần Thị Hẹn",
            "•••• ••• 111",
            "name=\"cho\"",
            "/dat-lich/huy",
            "Đã đặt",
        ],
    );
    small(&found);
    let moves = options(&found.html, "cho");
    assert!(
        !moves.contains(&"2026-11-23T07:30".to_owned()),
        "its own slot"
    );
    assert!(
        !moves.contains(&"2026-11-23T08:00".to_owned()),
        "a full slot"
    );
    assert!(moves.contains(&"2026-11-23T08:30".to_owned()));

    let post = |path: &'static str, pairs: Vec<(&'static str, String)>| {
        let r = r.clone();
        async move {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            web(&r, Method::POST, path, Some(&pairs), &[]).await
        }
    };
    // Moving into a full slot is refused; the old seat is kept.
    let res = post(
        "/dat-lich/doi",
        vec![
            ("ma", code.clone()),
            ("dien_thoai", phone.into()),
            ("cho", "2026-11-23T08:00".into()),
        ],
    )
    .await;
    res.html(409, &["đã hết chỗ"]);
    // Wrong phone on move: not found, nothing moves.
    let res = post(
        "/dat-lich/doi",
        vec![
            ("ma", code.clone()),
            ("dien_thoai", "0987000999".into()),
            ("cho", "2026-11-23T08:30".into()),
        ],
    )
    .await;
    res.html(404, &["Không tìm thấy lịch hẹn"]);
    // Move to a free slot: the old seat is freed.
    let res = post(
        "/dat-lich/doi",
        vec![
            ("ma", code.clone()),
            ("dien_thoai", phone.into()),
            ("cho", "2026-11-25T13:30".into()),
        ],
    )
    .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    page(r, res.header("location"), &[])
        .await
        .html(200, &["Thứ Tư 25/11/2026", "13:30–14:00"]);
    let p = page(r, "/dat-lich?tinh=79&don_vi=792&ngay=2026-11-23", &[]).await;
    assert!(
        options(&p.html, "gio").contains(&"07:30".to_owned()),
        "old seat freed"
    );

    // Cancel: wrong phone refused the same way; right phone frees the seat.
    let res = post(
        "/dat-lich/huy",
        vec![("ma", other.clone()), ("dien_thoai", phone.into())],
    )
    .await;
    res.html(404, &["Không tìm thấy lịch hẹn"]);
    let res = post(
        "/dat-lich/huy",
        vec![("ma", other.clone()), ("dien_thoai", "0987000222".into())],
    )
    .await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.html);
    page(r, &format!("{}?lang=en", res.header("location")), &[])
        .await
        .html(200, &["Cancelled"]);
    let p = page(r, "/dat-lich?tinh=79&don_vi=792&ngay=2026-11-23", &[]).await;
    assert!(
        options(&p.html, "gio").contains(&"08:00".to_owned()),
        "seat freed"
    );
    // Cancelling twice: 409 with the reason.
    let res = post(
        "/dat-lich/huy",
        vec![("ma", other.clone()), ("dien_thoai", "0987000222".into())],
    )
    .await;
    res.html(409, &["bị hủy"]);
}

pub async fn web_booking_officer_list(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    let code = book(r, DISTRICT, "2026-11-24", "09:30", "0912000777").await;
    let uri = "/api/v1/offices/790/bookings?date=2026-11-24";
    let res = get(r, uri, Some(&w.receptionist)).await;
    let body: &Value = res.ok(200);
    assert_eq!(body["office"], 790);
    assert_eq!(body["date"], "2026-11-24");
    let list = body["bookings"].as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["code"], code.as_str());
    assert_eq!(list[0]["start"], "09:30");
    assert_eq!(list[0]["phone"], "•••• ••• 777");
    assert_eq!(list[0]["declared"], false);
    // Today by default (no bookings), scope, auth and a bad date.
    let today = get(r, "/api/v1/offices/790/bookings", Some(&w.receptionist)).await;
    assert_eq!(today.ok(200)["date"], "2026-11-21");
    get(r, uri, Some(&w.other_receptionist))
        .await
        .problem(403, "service.out_of_scope");
    get(r, uri, None).await.problem(401, "auth.missing_token");
    let bad = get(
        r,
        "/api/v1/offices/790/bookings?date=24-11-2026",
        Some(&w.receptionist),
    )
    .await;
    assert_eq!(bad.status.as_u16(), 400, "{}", bad.body);
    // The OpenAPI document lists it.
    let spec = get(r, "/api/openapi.json", None).await;
    assert!(spec.ok(200)["paths"]["/api/v1/offices/{code}/bookings"].is_object());
}
