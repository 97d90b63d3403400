//! Appointments and declarations: seats never oversold (also under many
//! concurrent callers), lookup by code + phone with one answer for both
//! wrong parts, cancel and move in one transaction, the declaration draft.

use cancuoc_store::*;
use jiff::civil::{Date, date};

use super::assert_not_found;
use crate::fixtures::{DISTRICT, OTHER_DISTRICT, T0, world};

fn day() -> Date {
    date(2026, 11, 23)
}

fn slot(office: u16, start_min: u16, capacity: u32) -> SlotRequest {
    SlotRequest {
        key: SlotKey {
            office,
            day: day(),
            start_min,
        },
        end_min: start_min + 30,
        capacity,
    }
}

fn new(code: &str, slot: SlotRequest, phone: &str) -> NewBooking {
    NewBooking {
        code: code.to_owned(),
        slot,
        full_name: "Nguyễn Thị Hẹn".to_owned(),
        phone: phone.to_owned(),
        personal_id: None,
        presence: None,
    }
}

fn booked_in(usage: &[SlotUsage], start_min: u16) -> u32 {
    usage
        .iter()
        .find(|u| u.day == day() && u.start_min == start_min)
        .map_or(0, |u| u.booked)
}

pub async fn bookings_take_seats_and_refuse_when_full(store: Store) {
    let w = world(store).await;
    let s = w.store;
    let a = s
        .create_booking(
            &new("10000000001", slot(DISTRICT, 450, 2), "0912345678"),
            T0,
        )
        .await
        .expect("first seat");
    assert_eq!(a.state, BookingState::Booked);
    assert!(!a.has_declaration);
    s.create_booking(
        &new("10000000002", slot(DISTRICT, 450, 2), "0912345679"),
        T0,
    )
    .await
    .expect("second seat");
    let full = s
        .create_booking(
            &new("10000000003", slot(DISTRICT, 450, 2), "0912345670"),
            T0,
        )
        .await;
    assert!(
        matches!(full, Err(StoreError::Conflict(Conflict::SlotFull { .. }))),
        "{full:?}"
    );
    // Nothing of the refused booking was kept.
    assert_not_found(s.booking_by_code("10000000003").await, Entity::Booking);
    let usage = s.slot_usage(DISTRICT, day(), day()).await.expect("usage");
    assert_eq!(booked_in(&usage, 450), 2);
    // Another office's slot at the same time is its own.
    s.create_booking(
        &new("10000000004", slot(OTHER_DISTRICT, 450, 1), "0912345678"),
        T0,
    )
    .await
    .expect("other office");
    // A duplicate code is a conflict and takes no seat.
    let dup = s
        .create_booking(
            &new("10000000001", slot(DISTRICT, 480, 5), "0912345678"),
            T0,
        )
        .await;
    assert!(dup.as_ref().is_err_and(StoreError::is_duplicate), "{dup:?}");
    let usage = s.slot_usage(DISTRICT, day(), day()).await.expect("usage");
    assert_eq!(booked_in(&usage, 480), 0);
    // An empty slot is refused.
    let mut bad = slot(DISTRICT, 600, 3);
    bad.end_min = 600;
    assert!(
        s.create_booking(&new("10000000005", bad, "0912345678"), T0)
            .await
            .is_err()
    );
    // The day's list, by start.
    let list = s.bookings_on(DISTRICT, day()).await.expect("list");
    assert_eq!(list.len(), 2);
    assert!(
        list.iter()
            .all(|b| b.office == DISTRICT && b.start_min == 450)
    );
}

pub async fn concurrent_last_seats_never_overbook(store: Store) {
    let w = world(store).await;
    let s = w.store;
    const SEATS: u32 = 3;
    const CALLERS: u32 = 24;
    let mut tasks = Vec::new();
    for i in 0..CALLERS {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.create_booking(
                &new(
                    &format!("2{i:010}"),
                    slot(DISTRICT, 540, SEATS),
                    "0987654321",
                ),
                T0,
            )
            .await
        }));
    }
    let mut won = 0;
    for t in tasks {
        match t.await.expect("join") {
            Ok(_) => won += 1,
            Err(StoreError::Conflict(Conflict::SlotFull { .. })) => {}
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    assert_eq!(won, SEATS, "exactly the free seats are sold");
    let usage = s.slot_usage(DISTRICT, day(), day()).await.expect("usage");
    assert_eq!(booked_in(&usage, 540), SEATS);
    let list = s.bookings_on(DISTRICT, day()).await.expect("list");
    assert_eq!(list.len(), SEATS as usize);

    // Concurrent moves into one last seat: one gets it, the others keep
    // their old seats.
    let mut movers = Vec::new();
    for i in 0..6u32 {
        let code = format!("3{i:010}");
        s.create_booking(&new(&code, slot(DISTRICT, 600, 10), "0987654321"), T0)
            .await
            .expect("mover");
        movers.push(code);
    }
    let mut tasks = Vec::new();
    for code in movers.clone() {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.move_booking(&code, "0987654321", &slot(DISTRICT, 660, 1), T0 + 60)
                .await
        }));
    }
    let mut moved = 0;
    for t in tasks {
        match t.await.expect("join") {
            Ok(_) => moved += 1,
            Err(StoreError::Conflict(Conflict::SlotFull { .. })) => {}
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    assert_eq!(moved, 1);
    let usage = s.slot_usage(DISTRICT, day(), day()).await.expect("usage");
    assert_eq!(booked_in(&usage, 660), 1);
    assert_eq!(booked_in(&usage, 600), 5);
}

pub async fn booking_lookup_cancel_and_move(store: Store) {
    let w = world(store).await;
    let s = w.store;
    let code = "40000000001";
    let phone = "0912000111";
    let mut with_id = new(code, slot(DISTRICT, 450, 1), phone);
    with_id.personal_id = Some("079090000001".to_owned());
    s.create_booking(&with_id, T0).await.expect("book");
    let got = s.booking_for(code, phone).await.expect("lookup");
    assert_eq!(got.personal_id.as_deref(), Some("079090000001"));
    assert_eq!((got.start_min, got.end_min), (450, 480));

    // Wrong phone and unknown code look the same.
    let wrong_phone = s.booking_for(code, "0912000112").await;
    let unknown = s.booking_for("40000000009", phone).await;
    assert_not_found(wrong_phone, Entity::Booking);
    assert_not_found(unknown, Entity::Booking);
    assert_not_found(
        s.cancel_booking(code, "0912000112", T0).await,
        Entity::Booking,
    );
    assert_not_found(
        s.move_booking(code, "0912000112", &slot(DISTRICT, 480, 5), T0)
            .await,
        Entity::Booking,
    );

    // Move to a full slot: refused, the old seat is kept.
    s.create_booking(&new("40000000002", slot(DISTRICT, 510, 1), phone), T0)
        .await
        .expect("fill 510");
    let full = s
        .move_booking(code, phone, &slot(DISTRICT, 510, 1), T0)
        .await;
    assert!(
        matches!(full, Err(StoreError::Conflict(Conflict::SlotFull { .. }))),
        "{full:?}"
    );
    let usage = s.slot_usage(DISTRICT, day(), day()).await.expect("usage");
    assert_eq!(booked_in(&usage, 450), 1);
    assert_eq!(booked_in(&usage, 510), 1);

    // Move to a free slot: the old seat is freed, the new one taken.
    let moved = s
        .move_booking(code, phone, &slot(DISTRICT, 480, 1), T0 + 10)
        .await
        .expect("move");
    assert_eq!(
        (moved.start_min, moved.end_min, moved.updated_at),
        (480, 510, T0 + 10)
    );
    let usage = s.slot_usage(DISTRICT, day(), day()).await.expect("usage");
    assert_eq!(booked_in(&usage, 450), 0);
    assert_eq!(booked_in(&usage, 480), 1);
    // The freed seat can be booked by someone else.
    s.create_booking(
        &new("40000000003", slot(DISTRICT, 450, 1), "0912000999"),
        T0,
    )
    .await
    .expect("freed seat");

    // Cancel frees the seat; a second cancel or a move is refused.
    let c = s
        .cancel_booking(code, phone, T0 + 20)
        .await
        .expect("cancel");
    assert_eq!(c.state, BookingState::Cancelled);
    let usage = s.slot_usage(DISTRICT, day(), day()).await.expect("usage");
    assert_eq!(booked_in(&usage, 480), 0);
    for r in [
        s.cancel_booking(code, phone, T0 + 30).await,
        s.move_booking(code, phone, &slot(DISTRICT, 600, 5), T0 + 30)
            .await,
    ] {
        assert!(
            matches!(
                r,
                Err(StoreError::Conflict(Conflict::BookingClosed {
                    state: "cancelled"
                }))
            ),
            "{r:?}"
        );
    }
    let usage = s.slot_usage(DISTRICT, day(), day()).await.expect("usage");
    assert_eq!(booked_in(&usage, 600), 0);
    // Cancelled bookings stay in the day's list, marked.
    let list = s.bookings_on(DISTRICT, day()).await.expect("list");
    assert!(
        list.iter()
            .any(|b| b.code == code && b.state == BookingState::Cancelled)
    );
}

pub async fn declaration_draft_round_trip(store: Store) {
    let w = world(store).await;
    let s = w.store.clone();
    let code = "50000000001";
    let phone = "0977000111";
    s.create_booking(&new(code, slot(DISTRICT, 450, 4), phone), T0)
        .await
        .expect("book");
    assert_eq!(s.declaration_of(code).await.expect("none yet"), None);
    assert_not_found(s.declaration_of("50000000009").await, Entity::Booking);

    let mut d = Declaration {
        full_name: "Nguyễn Thị Hẹn".into(),
        date_of_birth: "1990-05".parse().expect("dob"),
        sex: cancuoc_core::person::Sex::Female,
        personal_id: None,
        nationality: "Việt Nam".into(),
        ethnicity: "Kinh".into(),
        religion: "Không".into(),
        place_of_origin: "Xã Bình Thử, Huyện Đông Thử".into(),
        birth_registration: "Tỉnh Thử Nghiệm".into(),
        permanent_residence: "Thôn 1, Xã Bình Thử".into(),
        current_residence: "Thôn 1, Xã Bình Thử".into(),
        phone: phone.parse().expect("phone"),
        email: None,
        occupation: Some("Giáo viên".into()),
        father_name: Some("Nguyễn Văn Cha".into()),
        mother_name: None,
        spouse_name: None,
        delivery: cancuoc_store::CardDelivery::AtOffice,
        wants_account: true,
    };
    assert_not_found(
        s.save_declaration(code, "0977000112", &d, T0).await,
        Entity::Booking,
    );
    let b = s.save_declaration(code, phone, &d, T0).await.expect("save");
    assert!(b.has_declaration);
    assert_eq!(s.declaration_of(code).await.expect("get"), Some(d.clone()));
    // Editing replaces the draft.
    d.religion = "Phật giáo".into();
    s.save_declaration(code, phone, &d, T0 + 5)
        .await
        .expect("edit");
    assert_eq!(s.declaration_of(code).await.expect("get"), Some(d.clone()));
    assert!(s.booking_for(code, phone).await.expect("b").has_declaration);

    // Another office's desk cannot receive it; its own can, once.
    let other = w.other_receptionist.clone();
    let desk = w.receptionist.clone();
    assert_eq!(
        s.receive_booking(code, other.office, other.id, T0 + 50)
            .await
            .expect("other desk"),
        Reception::NotHere
    );
    assert_eq!(
        s.receive_booking("50000000009", desk.office, desk.id, T0 + 60)
            .await
            .expect("unknown code"),
        Reception::NotHere
    );
    let r = match s
        .receive_booking(code, desk.office, desk.id, T0 + 100)
        .await
        .expect("receive")
    {
        Reception::Marked(b) => b,
        other => panic!("not marked: {other:?}"),
    };
    assert_eq!(r.state, BookingState::Received);
    let frozen = s.save_declaration(code, phone, &d, T0 + 200).await;
    assert!(
        matches!(
            frozen,
            Err(StoreError::Conflict(Conflict::BookingClosed {
                state: "received"
            }))
        ),
        "{frozen:?}"
    );
    // A second receive changes nothing and says so.
    assert!(matches!(
        s.receive_booking(code, desk.office, desk.id, T0 + 300)
            .await
            .expect("again"),
        Reception::Already(b) if b.updated_at == T0 + 100
    ));
    // Every change of the booking left an audit row, the officer's with
    // their id; none names the citizen or the phone.
    let audit = s.recent_audit(100).await.expect("audit");
    let actions: Vec<&str> = audit
        .iter()
        .filter(|a| a.action.starts_with("booking."))
        .map(|a| a.action.as_str())
        .collect();
    for want in ["booking.create", "booking.declaration", "booking.receive"] {
        assert!(actions.contains(&want), "{want} missing from {actions:?}");
    }
    let received = audit
        .iter()
        .find(|a| a.action == "booking.receive")
        .expect("receive row");
    assert_eq!(received.officer, Some(desk.id));
    assert!(
        audit
            .iter()
            .all(|a| !a.details.contains(phone) && !a.details.contains("Nguyễn")),
        "{audit:?}"
    );
    assert_eq!(s.declaration_of(code).await.expect("still there"), Some(d));
}

pub async fn a_booking_is_found_by_the_form_that_made_it_and_only_one_per_form(store: Store) {
    let w = world(store).await;
    let s = w.store;
    let mut first = new("10000000011", slot(DISTRICT, 450, 5), "0912345611");
    first.presence = Some("form-1".into());
    let made = s.create_booking(&first, T0).await.expect("booked");
    let found = s.booking_by_presence("form-1").await.expect("read");
    assert_eq!(found.map(|b| b.code), Some(made.code));
    assert_eq!(s.booking_by_presence("form-2").await.expect("read"), None);
    // A second booking with the same form's challenge is refused whole.
    let mut again = new("10000000012", slot(DISTRICT, 480, 5), "0912345611");
    again.presence = Some("form-1".into());
    let dup = s.create_booking(&again, T0).await;
    assert!(dup.as_ref().is_err_and(StoreError::is_duplicate), "{dup:?}");
    assert_not_found(s.booking_by_code("10000000012").await, Entity::Booking);
}
