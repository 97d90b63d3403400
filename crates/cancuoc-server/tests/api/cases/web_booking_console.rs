//! The officers' day list of appointments in the console
//! (`/can-bo/lich-hen`): own office only, linked to the reception desk
//! (which pre-fills from the booking), marking a citizen arrived behind
//! the CSRF check.

use axum::http::Method;
use cancuoc_store::Store;

use super::web_booking::book;
use super::web_console::{console_login, csrf_of, give_login};
use crate::world::{DISTRICT, page, web, world};

pub async fn web_booking_console_day_list(store: Store) {
    let w = world(store).await;
    let r = &w.router;
    give_login(&w, &w.receptionist, "le.tiep.nhan").await;
    give_login(&w, &w.other_receptionist, "pham.tiep.nhan").await;
    let a = book(r, DISTRICT, "2026-11-23", "08:00", "0912000321").await;
    let b = book(r, DISTRICT, "2026-11-23", "07:30", "0912000654").await;

    // Anonymous: to the login page.
    let anon = page(r, "/can-bo/lich-hen?ngay=2026-11-23", &[]).await;
    assert_eq!(anon.status.as_u16(), 303);
    assert!(
        anon.header("location")
            .starts_with("/can-bo/dang-nhap?next=")
    );

    let cookie = console_login(r, "le.tiep.nhan").await;
    let me = [("cookie", cookie.as_str())];
    let p = page(r, "/can-bo/lich-hen?ngay=2026-11-23", &me).await;
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
    // Today by default; a malformed day says so and shows today.
    page(r, "/can-bo/lich-hen", &me)
        .await
        .html(200, &["21/11/2026", "id=\"none\""]);
    page(r, "/can-bo/lich-hen?ngay=23-11-2026&lang=en", &me)
        .await
        .html(200, &["is not a date YYYY-MM-DD", "Saturday 21/11/2026"]);

    // The reception desk pre-fills from the booking.
    page(r, &format!("/can-bo/tiep-nhan?booking={b}"), &me)
        .await
        .html(200, &["Trần Thị Hẹn"]);

    // Mark arrived: refused without the CSRF token, done with it.
    let no_csrf = web(
        r,
        Method::POST,
        "/can-bo/lich-hen/da-den",
        Some(&[("ma", a.as_str()), ("ngay", "2026-11-23")]),
        &me,
    )
    .await;
    assert_eq!(no_csrf.status.as_u16(), 403);
    let csrf = csrf_of(&p.html);
    let done = web(
        r,
        Method::POST,
        "/can-bo/lich-hen/da-den",
        Some(&[
            ("csrf", csrf.as_str()),
            ("ma", a.as_str()),
            ("ngay", "2026-11-23"),
        ]),
        &me,
    )
    .await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.html);
    assert_eq!(done.header("location"), "/can-bo/lich-hen?ngay=2026-11-23");
    let p = page(r, "/can-bo/lich-hen?ngay=2026-11-23", &me).await;
    p.html(200, &["Đã tiếp nhận", "đã tiếp nhận 1"]);
    assert!(
        !p.html
            .contains(&format!("href=\"/can-bo/tiep-nhan?booking={a}\""))
    );
    let again = web(
        r,
        Method::POST,
        "/can-bo/lich-hen/da-den",
        Some(&[
            ("csrf", csrf.as_str()),
            ("ma", a.as_str()),
            ("ngay", "2026-11-23"),
        ]),
        &me,
    )
    .await;
    again.html(409, &["đã được tiếp nhận"]);

    // Another office's officer sees none of them and cannot mark them.
    let other = console_login(r, "pham.tiep.nhan").await;
    let them = [("cookie", other.as_str())];
    let p = page(r, "/can-bo/lich-hen?ngay=2026-11-23", &them).await;
    p.html(200, &["Công an Huyện Tây Thử", "id=\"none\""]);
    let csrf = csrf_of(&p.html);
    web(
        r,
        Method::POST,
        "/can-bo/lich-hen/da-den",
        Some(&[
            ("csrf", csrf.as_str()),
            ("ma", b.as_str()),
            ("ngay", "2026-11-23"),
        ]),
        &them,
    )
    .await
    .html(409, &["Không có lịch hẹn này tại đơn vị của bạn"]);
}
