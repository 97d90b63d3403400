//! The booking form under a hoarding script: a booking needs the form's
//! captcha solved, one client address books its burst and is then told
//! when to come back (429 with `Retry-After`, in both languages), and one
//! phone number holds at most three upcoming appointments. Each client is
//! a peer address (`ConnectInfo`), as the real server sees it.

use axum::http::Method;
use cancuoc_store::Store;

use super::web_booking::{TINY, tiny_office};
use super::web_citizen_status::{answer_of, challenge_of, from};
use crate::world::{Page, World, world};

async fn tiny(store: Store) -> World {
    let w = world(store).await;
    tiny_office(&w).await;
    w
}

/// The details form of a slot at the tiny office, shown to `ip`.
async fn details(w: &World, ip: &str, day: &str, time: &str, lang: &str) -> Page {
    from(
        &w.router,
        ip,
        Method::GET,
        &format!("/dat-lich?tinh=79&don_vi=792&ngay={day}&gio={time}&lang={lang}"),
        None,
    )
    .await
}

/// Posts the form from `ip` with `captcha` as the answer to `challenge`.
#[allow(clippy::too_many_arguments)]
async fn post(
    w: &World,
    ip: &str,
    day: &str,
    time: &str,
    phone: &str,
    challenge: &str,
    captcha: &str,
    lang: &str,
) -> Page {
    let office = TINY.to_string();
    from(
        &w.router,
        ip,
        Method::POST,
        &format!("/dat-lich?lang={lang}"),
        Some(&[
            ("tinh", "79"),
            ("don_vi", office.as_str()),
            ("ngay", day),
            ("gio", time),
            ("ho_ten", "Lê Văn Giữ"),
            ("dien_thoai", phone),
            ("so_dinh_danh", ""),
            ("challenge", challenge),
            ("captcha", captcha),
        ]),
    )
    .await
}

/// Shows the form to `ip` and posts it with the right answer.
async fn book_as(w: &World, ip: &str, day: &str, time: &str, phone: &str, lang: &str) -> Page {
    let form = details(w, ip, day, time, lang).await;
    // A slot already full shows no form: any challenge will do.
    let shown = if form.html.contains("name=\"challenge\"") {
        form
    } else {
        from(&w.router, ip, Method::GET, "/tra-cuu", None).await
    };
    let id = challenge_of(&shown);
    let answer = answer_of(&w.router, &id).await;
    post(w, ip, day, time, phone, &id, &answer, lang).await
}

trait Booked {
    fn see_other(&self);
}

impl Booked for Page {
    /// Booked: the 303 to the confirmation.
    #[track_caller]
    fn see_other(&self) {
        assert_eq!(self.status.as_u16(), 303, "{}", self.html);
        assert!(self.header("location").starts_with("/dat-lich/xac-nhan/"));
    }
}

async fn booked_on(w: &World, day: jiff::civil::Date) -> usize {
    w.store
        .bookings_on(TINY, day)
        .await
        .expect("list")
        .into_iter()
        .filter(|b| b.state == cancuoc_store::BookingState::Booked)
        .count()
}

pub async fn the_booking_form_shows_a_captcha_and_refuses_a_post_without_its_answer(store: Store) {
    let w = tiny(store).await;
    let form = details(&w, "198.51.100.1", "2026-11-23", "08:00", "vi").await;
    form.html(
        200,
        &["name=\"challenge\"", "Mã xác nhận", "name=\"captcha\""],
    );
    let id = challenge_of(&form);
    // No answer: the form again, with the fields kept and a new code.
    let p = post(
        &w,
        "198.51.100.1",
        "2026-11-23",
        "08:00",
        "0912000101",
        &id,
        "",
        "vi",
    )
    .await;
    p.html(422, &["Hãy nhập mã xác nhận", "value=\"0912000101\""]);
    assert_ne!(challenge_of(&p), id, "a new challenge is shown");
    // A wrong answer in English: refused, the challenge spent.
    let p = post(
        &w,
        "198.51.100.1",
        "2026-11-23",
        "08:00",
        "0912000101",
        &id,
        "zzzzz",
        "en",
    )
    .await;
    p.html(422, &["security code is not right"]);
    let answer = answer_of(&w.router, &id).await;
    let p = post(
        &w,
        "198.51.100.1",
        "2026-11-23",
        "08:00",
        "0912000101",
        &id,
        &answer,
        "en",
    )
    .await;
    p.html(422, &["already used"]);
    assert_eq!(booked_on(&w, jiff::civil::date(2026, 11, 23)).await, 0);
}

/// The attack of the probe: one client books seat after seat of a day. It
/// gets its burst (5), then 429 with `Retry-After` and the reason in both
/// languages; the day keeps its other seats for other citizens.
pub async fn one_client_cannot_book_a_whole_day(store: Store) {
    let w = tiny(store).await;
    let times = [
        "07:30", "08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "13:30", "14:00",
        "14:30", "15:00", "15:30", "16:00", "16:30",
    ];
    let mut statuses = Vec::new();
    let mut last = None;
    for (i, t) in times.iter().enumerate() {
        let phone = format!("091200{:04}", 200 + i);
        let p = book_as(&w, "203.0.113.9", "2026-11-24", t, &phone, "en").await;
        statuses.push(p.status.as_u16());
        last = Some(p);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        5,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 429),
        "{statuses:?}"
    );
    let last = last.expect("a page");
    assert!(
        last.header("retry-after")
            .parse::<u64>()
            .is_ok_and(|s| s > 0)
    );
    last.html(429, &["Too many bookings"]);
    assert_eq!(booked_on(&w, jiff::civil::date(2026, 11, 24)).await, 5);
    // Another citizen still books a seat that day.
    book_as(
        &w,
        "203.0.113.77",
        "2026-11-24",
        "16:30",
        "0987000001",
        "vi",
    )
    .await
    .see_other();
}

/// One phone number, from several addresses: three upcoming appointments,
/// then the form says why, in the page's language, next to the phone.
pub async fn one_phone_holds_at_most_three_upcoming_appointments(store: Store) {
    let w = tiny(store).await;
    for (i, t) in ["07:30", "08:00", "08:30"].iter().enumerate() {
        book_as(
            &w,
            &format!("192.0.2.{}", 10 + i),
            "2026-11-25",
            t,
            "0977000555",
            "vi",
        )
        .await
        .see_other();
    }
    let p = book_as(&w, "192.0.2.20", "2026-11-25", "09:00", "0977000555", "vi").await;
    p.html(409, &["Số điện thoại này đã có 3 lịch hẹn"]);
    assert!(p.html.contains("dien_thoai"));
    let p = book_as(&w, "192.0.2.21", "2026-11-26", "09:00", "0977000555", "en").await;
    p.html(409, &["already holds 3 upcoming appointments"]);
    assert_eq!(booked_on(&w, jiff::civil::date(2026, 11, 25)).await, 3);
}

/// Opens the declaration of `code` with `phone`, from `ip`.
async fn open_declaration(w: &World, ip: &str, code: &str, phone: &str) -> Page {
    from(
        &w.router,
        ip,
        Method::POST,
        "/to-khai/mo",
        Some(&[("ma", code), ("dien_thoai", phone)]),
    )
    .await
}

/// The probe's attack on the declaration: with a booking code, guess the
/// phone (3,457 guesses a second before). Five wrong phones stop an
/// address for an hour; ten from anywhere soft-lock the code, refusing
/// every address that guessed wrong, while the owner's right phone from a
/// clean address still opens it (a guesser cannot lock them out).
pub async fn guessing_a_bookings_phone_locks_its_code(store: Store) {
    let w = tiny(store).await;
    let made = book_as(&w, "192.0.2.50", "2026-11-24", "09:00", "0977000666", "vi").await;
    made.see_other();
    let code = made
        .header("location")
        .trim_start_matches("/dat-lich/xac-nhan/")
        .to_owned();
    // The right phone opens it.
    open_declaration(&w, "192.0.2.50", &code, "0977000666")
        .await
        .html(200, &["form"]);
    // One address: five wrong phones, then it waits (told how long).
    for i in 0..5u8 {
        let guess = format!("09770001{i:02}");
        open_declaration(&w, "198.18.0.1", &code, &guess)
            .await
            .html(404, &[]);
    }
    let p = open_declaration(&w, "198.18.0.1", &code, "0977000167").await;
    p.html(429, &["nhập sai quá nhiều lần cho mã lịch hẹn này"]);
    assert!(
        p.header("retry-after")
            .parse::<u64>()
            .is_ok_and(|s| s > 3000)
    );
    // Five more addresses, one wrong each: the code is soft-locked, and
    // any address that guessed wrong is refused, on every door.
    for i in 2..7u8 {
        open_declaration(&w, &format!("198.18.0.{i}"), &code, "0977000199")
            .await
            .html(404, &[]);
    }
    let p = from(
        &w.router,
        "198.18.0.2",
        Method::POST,
        "/dat-lich/huy",
        Some(&[("ma", code.as_str()), ("dien_thoai", "0977000666")]),
    )
    .await;
    p.html(429, &[]);
    // The owner, from an address with no wrong phone, still gets in: a
    // guesser cannot lock them out.
    open_declaration(&w, "192.0.2.50", &code, "0977000666")
        .await
        .html(200, &["form"]);
    let b = w.store.booking_by_code(&code).await.expect("booking");
    assert_eq!(
        b.state,
        cancuoc_store::BookingState::Booked,
        "not cancelled"
    );
}

/// One address trying codes and phones quickly is slowed whatever the
/// codes: a burst, then one every 20 seconds, the confirmation page
/// included.
pub async fn one_client_looking_up_many_bookings_is_slowed(store: Store) {
    let w = tiny(store).await;
    let burst = cancuoc_service::Limits::default().booking_lookups.burst;
    let mut statuses = Vec::new();
    for i in 0..burst + 4 {
        // Well-formed codes, none booked.
        let code = cancuoc_core::booking::BookingCode::from_random(1000 + u64::from(i)).to_string();
        let p = open_declaration(&w, "203.0.113.40", &code, "0912345678").await;
        statuses.push(p.status.as_u16());
    }
    let missed = statuses.iter().filter(|s| **s == 404).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((missed, limited), (burst as usize, 4), "{statuses:?}");
    // The confirmation page by code alone counts against the same rate.
    let code = cancuoc_core::booking::BookingCode::from_random(5000).to_string();
    let p = from(
        &w.router,
        "203.0.113.40",
        Method::GET,
        &format!("/dat-lich/xac-nhan/{code}"),
        None,
    )
    .await;
    assert_eq!(p.status.as_u16(), 429, "{}", p.html);
}

/// A citizen who cannot read the image asks for the question in words
/// after typing their details: the switch resubmits the form (a POST, so
/// no phone or ID lands in a URL) and the page comes back with the
/// question, the slot and what was typed, nothing booked; Enter still
/// books ("Book" is the form's first submit button).
pub async fn switching_the_captcha_kind_keeps_the_details_typed(store: Store) {
    let w = tiny(store).await;
    let form = details(&w, "192.0.2.60", "2026-11-23", "08:00", "en").await;
    form.html(200, &["name=\"kieu_moi\" value=\"chu\""]);
    assert!(!form.html.contains("formmethod=\"get\""));
    let book = form.html.find(">Book</button>").expect("the Book button");
    let switch = form.html.find("name=\"kieu_moi\"").expect("a switch");
    assert!(book < switch, "the switches come after Book");
    let office = TINY.to_string();
    // What the browser sends for the switch: the form's fields, the
    // shown kind and the switch's own.
    let p = from(
        &w.router,
        "192.0.2.60",
        Method::POST,
        "/dat-lich?lang=en",
        Some(&[
            ("tinh", "79"),
            ("don_vi", office.as_str()),
            ("ngay", "2026-11-23"),
            ("gio", "08:00"),
            ("ho_ten", "Lê Văn Giữ"),
            ("dien_thoai", "0912000160"),
            ("so_dinh_danh", ""),
            ("challenge", challenge_of(&form).as_str()),
            ("captcha", ""),
            ("kieu", "anh"),
            ("kieu_moi", "chu"),
        ]),
    )
    .await;
    p.html(
        200,
        &[
            "id=\"captcha-question\"",
            "value=\"Lê Văn Giữ\"",
            "value=\"0912000160\"",
        ],
    );
    assert!(!p.html.contains("field-error"), "nothing refused");
    assert_eq!(booked_on(&w, jiff::civil::date(2026, 11, 23)).await, 0);
    let id = challenge_of(&p);
    let answer = answer_of(&w.router, &id).await;
    assert!(answer.bytes().all(|b| b.is_ascii_digit()), "{answer}");
    post(
        &w,
        "192.0.2.60",
        "2026-11-23",
        "08:00",
        "0912000160",
        &id,
        &answer,
        "en",
    )
    .await
    .see_other();
}
