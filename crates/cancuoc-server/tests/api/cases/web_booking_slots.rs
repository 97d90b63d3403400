//! Appointments and the office's calendar: closed days and hours never
//! offered and refused when posted, full slots (also under concurrent
//! posts), and public holidays. The tiny office has one seat per slot.

use axum::Router;
use cancuoc_server::{App, AppConfig, Limits, router};
use cancuoc_store::Store;

use super::web_booking::{TINY, book, options, post_booking, tiny_office};
use crate::world::{World, page, service_at, world};

/// The world with the tiny office.
async fn tiny(store: Store) -> World {
    let w = world(store).await;
    tiny_office(&w).await;
    w
}

/// Posts a booking at the tiny office that must be refused with `needle`;
/// nothing is booked in the whole window.
async fn refused(w: &World, day: &str, time: &str, needle: &str) {
    let res = post_booking(
        &w.router,
        TINY,
        day,
        time,
        "Ngô Thị Thử",
        "0912000001",
        "vi",
    )
    .await;
    res.html(422, &[needle]);
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
}

/// A router over the same store on Monday 28 December 2026, 10:00 in
/// Vietnam: the window runs to Monday 4 January, over New Year's Day.
async fn before_new_year(w: &World) -> Router {
    let config = AppConfig {
        test_hooks: true,
        ..AppConfig::default()
    };
    let service = service_at(w.store.clone(), "2026-12-28T03:00:00Z", Limits::default()).await;
    router(App::new(service, config))
}

pub async fn a_booking_on_a_sunday_is_refused_even_when_posted(store: Store) {
    let w = tiny(store).await;
    refused(&w, "2026-11-22", "08:00", "không tiếp nhận").await;
}

pub async fn a_booking_on_a_saturday_afternoon_is_refused_even_when_posted(store: Store) {
    let w = tiny(store).await;
    refused(&w, "2026-11-28", "13:30", "không có khung giờ này").await;
}

pub async fn a_booking_outside_the_seven_day_window_is_refused(store: Store) {
    let w = tiny(store).await;
    refused(&w, "2026-11-21", "11:00", "trong 7 ngày tới").await;
    refused(&w, "2026-11-30", "08:00", "trong 7 ngày tới").await;
}

pub async fn a_booking_off_the_slot_grid_is_refused(store: Store) {
    let w = tiny(store).await;
    refused(&w, "2026-11-23", "08:10", "không có khung giờ này").await;
    refused(&w, "2026-11-23", "17:00", "không có khung giờ này").await;
}

pub async fn a_day_not_offered_is_dropped_from_the_booking_steps_with_a_note(store: Store) {
    let w = tiny(store).await;
    let p = page(
        &w.router,
        "/dat-lich?tinh=79&don_vi=792&ngay=2026-11-22",
        &[],
    )
    .await;
    p.html(200, &["id=\"notice\"", "Chủ nhật"]);
    assert!(!p.html.contains("name=\"gio\""));
}

pub async fn a_full_slot_is_no_longer_offered(store: Store) {
    let w = tiny(store).await;
    let r = &w.router;
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
}

pub async fn booking_a_full_slot_is_a_conflict_that_keeps_the_input(store: Store) {
    let w = tiny(store).await;
    book(&w.router, TINY, "2026-11-23", "07:30", "0912000002").await;
    let full = post_booking(
        &w.router,
        TINY,
        "2026-11-23",
        "07:30",
        "Ngô Thị Thử",
        "0912000003",
        "en",
    )
    .await;
    full.html(409, &["is full", "value=\"Ngô Thị Thử\""]);
    let day = w
        .store
        .bookings_on(TINY, jiff::civil::date(2026, 11, 23))
        .await
        .expect("list");
    assert_eq!(day.len(), 1);
}

pub async fn concurrent_posts_for_the_last_seat_book_it_once(store: Store) {
    let w = tiny(store).await;
    let mut tasks = Vec::new();
    for i in 0..12u32 {
        let r = w.router.clone();
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
}

pub async fn a_public_holiday_is_never_offered_and_named_as_closed(store: Store) {
    let w = tiny(store).await;
    let r2 = before_new_year(&w).await;
    let p = page(&r2, "/dat-lich?tinh=79&don_vi=792&lang=en", &[]).await;
    let days = options(&p.html, "ngay");
    assert!(!days.contains(&"2027-01-01".to_owned()), "{days:?}");
    assert!(days.contains(&"2026-12-31".to_owned()) && days.contains(&"2027-01-02".to_owned()));
    assert!(!days.contains(&"2027-01-03".to_owned()), "Sunday");
    assert!(
        p.html.contains("Friday 01/01/2027"),
        "the closed list names it"
    );
}

pub async fn a_booking_on_a_public_holiday_is_refused(store: Store) {
    let w = tiny(store).await;
    let r2 = before_new_year(&w).await;
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
