//! Appointments through `Service`: a seat of an offered slot only, never
//! more than the slot's seats, moves and cancellations that need the
//! phone, and reception receiving its own office's appointments once.

use cancuoc_core::booking::BookingCode;
use cancuoc_core::person::FullName;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_service::model::BookingState;
use cancuoc_service::{BookingRequest, ErrorClass, Received, ServiceError};
use cancuoc_store::Store;
use cancuoc_testkit::world::{CENTRE, DISTRICT};
use jiff::civil::{Date, date};

use crate::setup;

fn request(office: u16, day: Date, start: u16, phone: &str) -> BookingRequest {
    BookingRequest {
        office,
        day,
        start,
        full_name: FullName::parse("Ngô Thị Đặt").expect("name"),
        phone: PhoneNumber::parse(phone).expect("phone"),
        personal_id: None,
    }
}

#[track_caller]
fn refused<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> ServiceError {
    match r {
        Err(e) => e,
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

pub async fn booking_takes_a_seat_of_an_offered_slot_only(store: Store) {
    let (_w, svc) = setup(store).await;
    // Monday 2026-11-23: tomorrow 07:30 is offered.
    let b = svc
        .book(request(DISTRICT, date(2026, 11, 24), 450, "0912345678"))
        .await
        .expect("book");
    assert_eq!(
        (b.office, b.day, b.start_min, b.end_min),
        (DISTRICT, date(2026, 11, 24), 450, 480)
    );
    assert_eq!(b.state, BookingState::Booked);
    assert!(BookingCode::parse(&b.code).is_ok(), "{}", b.code);
    // Today, a Sunday, a slot between slots, past the window, an office
    // that takes no appointments: invalid, each with its reason.
    for (office, day, start) in [
        (DISTRICT, date(2026, 11, 23), 450),
        (DISTRICT, date(2026, 11, 29), 450),
        (DISTRICT, date(2026, 11, 24), 455),
        (DISTRICT, date(2026, 12, 7), 450),
        (CENTRE, date(2026, 11, 24), 450),
        (4242, date(2026, 11, 24), 450),
    ] {
        let e = refused(svc.book(request(office, day, start, "0912345678")).await);
        assert_eq!(
            e.class(),
            ErrorClass::Invalid,
            "{office} {day} {start}: {e:?}"
        );
    }
    // A slot has capacity / slots seats (200 a day over 15 slots: 14 here);
    // the one after the last is a conflict, and nothing is kept.
    let offers = svc
        .booking_offers(&svc.office(DISTRICT).await.expect("office"))
        .await
        .expect("offers");
    let day = offers
        .open
        .iter()
        .find(|d| d.day == date(2026, 11, 25))
        .expect("Wednesday open");
    let seats = day
        .slots
        .iter()
        .find(|s| s.start == 810)
        .expect("13:30")
        .free;
    for i in 0..seats {
        svc.book(request(
            DISTRICT,
            date(2026, 11, 25),
            810,
            &format!("09123450{:02}", i % 100),
        ))
        .await
        .expect("a free seat");
    }
    let full = refused(
        svc.book(request(DISTRICT, date(2026, 11, 25), 810, "0987654321"))
            .await,
    );
    assert_eq!(full.class(), ErrorClass::Conflict, "{full:?}");
}

pub async fn moving_and_cancelling_need_the_phone(store: Store) {
    let (_w, svc) = setup(store).await;
    let b = svc
        .book(request(DISTRICT, date(2026, 11, 24), 480, "0912345678"))
        .await
        .expect("book");
    let code = BookingCode::parse(&b.code).expect("code");
    let right = PhoneNumber::parse("+84 912 345 678").expect("phone");
    let wrong = PhoneNumber::parse("0912345679").expect("phone");
    // A wrong phone is the same answer as an unknown code.
    assert_eq!(
        refused(svc.find_booking(&code, &wrong).await).class(),
        ErrorClass::NotFound
    );
    assert_eq!(
        refused(
            svc.move_booking(&code, &wrong, date(2026, 11, 25), 480)
                .await
        )
        .class(),
        ErrorClass::NotFound
    );
    // Moved with the right phone, typed another way.
    let moved = svc
        .move_booking(&code, &right, date(2026, 11, 25), 510)
        .await
        .expect("move");
    assert_eq!((moved.day, moved.start_min), (date(2026, 11, 25), 510));
    // To a slot not offered: invalid, and it keeps its seat.
    let e = refused(
        svc.move_booking(&code, &right, date(2026, 11, 29), 480)
            .await,
    );
    assert_eq!(e.class(), ErrorClass::Invalid);
    assert_eq!(svc.booking(&code).await.expect("b").start_min, 510);
    // Cancelled: then closed to every change.
    let cancelled = svc.cancel_booking(&code, &right).await.expect("cancel");
    assert_eq!(cancelled.state, BookingState::Cancelled);
    let e = refused(svc.cancel_booking(&code, &right).await);
    assert_eq!(e.class(), ErrorClass::Conflict);
}

pub async fn reception_receives_its_own_appointments_once(store: Store) {
    let (w, svc) = setup(store).await;
    let b = svc
        .book(request(DISTRICT, date(2026, 11, 24), 540, "0912345678"))
        .await
        .expect("book");
    let code = BookingCode::parse(&b.code).expect("code");
    // Another district's desk does not see it: not here, nothing changed.
    assert_eq!(
        svc.mark_booking_received(&w.other_receptionist, &code)
            .await
            .expect("other desk"),
        Received::NotHere
    );
    assert!(
        svc.reception_prefill(&w.other_receptionist, &code)
            .await
            .expect("prefill")
            .is_none(),
        "another office's desk cannot read the appointment"
    );
    assert_eq!(
        svc.booking(&code).await.expect("b").state,
        BookingState::Booked
    );
    // Its own desk: received, then already received.
    let prefill = svc
        .reception_prefill(&w.receptionist, &code)
        .await
        .expect("prefill")
        .expect("own office");
    assert_eq!(prefill.booking.full_name, "Ngô Thị Đặt");
    assert!(prefill.declaration.is_none());
    for want in [Received::Marked, Received::Already] {
        assert_eq!(
            svc.mark_booking_received(&w.receptionist, &code)
                .await
                .expect("receive"),
            want
        );
    }
    // The day's list shows it received; a cancelled one stays cancelled.
    let (_, list) = svc
        .day_bookings(&w.receptionist, DISTRICT, Some(date(2026, 11, 24)))
        .await
        .expect("list");
    assert_eq!(list[0].state, BookingState::Received);
}
