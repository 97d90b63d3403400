//! The 2025 administration through `Service`: bookings go only to offices
//! that receive on the booked day — a commune police unit of the 2025
//! structure takes them, a district office that ended on 28/02/2025 and a
//! unit before it starts do not — and the offices in force on a date.

use cancuoc_core::person::FullName;
use cancuoc_core::phone::PhoneNumber;
use cancuoc_service::model::Structure;
use cancuoc_service::{BookingRequest, ErrorClass};
use cancuoc_store::Store;
use cancuoc_testkit::world::{DISTRICT, PROVINCE, commune_from, ended_district};
use jiff::civil::{Date, date};

use crate::setup;

/// A district police office that ended on 28/02/2025.
const ENDED_DISTRICT: u16 = 795;
/// A commune police unit of the 2025 structure.
const WARD: u16 = 7950;
/// A commune police unit that opens on Thursday 2026-11-26.
const NEW_WARD: u16 = 7951;

fn request(office: u16, day: Date) -> BookingRequest {
    BookingRequest {
        office,
        day,
        start: 450,
        full_name: FullName::parse("Ngô Thị Đặt").expect("name"),
        phone: PhoneNumber::parse("0912345678").expect("phone"),
        personal_id: None,
    }
}

async fn with_2025_units(store: Store) -> cancuoc_service::Service {
    let (w, svc) = setup(store).await;
    let ended = ended_district(ENDED_DISTRICT, "Công an Huyện Cũ Thử");
    let ward = commune_from(WARD, "Công an Phường Mới Thử", date(2025, 7, 1));
    let later = commune_from(NEW_WARD, "Công an Xã Sắp Mở", date(2026, 11, 26));
    for o in [ended, ward, later] {
        w.store.create_office(&o, None, 1).await.expect("office");
    }
    svc.reload_offices().await.expect("reload");
    svc
}

pub async fn a_commune_police_unit_takes_bookings_and_an_ended_district_does_not(store: Store) {
    let svc = with_2025_units(store).await;
    // Monday 2026-11-23: the structure of 01/07/2025 applies.
    assert_eq!(svc.structure_on(svc.today()), Structure::TwoLevel);
    let receiving: Vec<u16> = svc
        .receiving_offices(PROVINCE)
        .iter()
        .map(|o| o.code)
        .collect();
    assert!(receiving.contains(&WARD), "{receiving:?}");
    assert!(!receiving.contains(&ENDED_DISTRICT), "{receiving:?}");
    assert!(
        !receiving.contains(&NEW_WARD),
        "not yet open: {receiving:?}"
    );

    let b = svc
        .book_unchecked(request(WARD, date(2026, 11, 24)))
        .await
        .expect("a commune police unit takes the booking");
    assert_eq!((b.office, b.day), (WARD, date(2026, 11, 24)));

    let e = svc
        .book_unchecked(request(ENDED_DISTRICT, date(2026, 11, 24)))
        .await
        .expect_err("an ended district office takes no booking");
    assert_eq!(e.class(), ErrorClass::Invalid, "{e:?}");
    // The dossiers of the testkit's district are untouched by the rule.
    svc.book_unchecked(request(DISTRICT, date(2026, 11, 24)))
        .await
        .expect("a district office in force");
}

pub async fn a_unit_is_offered_only_from_the_day_it_opens(store: Store) {
    let svc = with_2025_units(store).await;
    let later = svc.office(NEW_WARD).await.expect("office");
    let offers = svc.booking_offers(&later).await.expect("offers");
    let days: Vec<Date> = offers.open.iter().map(|d| d.day).collect();
    assert!(!days.is_empty());
    assert!(days.iter().all(|d| *d >= date(2026, 11, 26)), "{days:?}");
    let e = svc
        .book_unchecked(request(NEW_WARD, date(2026, 11, 25)))
        .await
        .expect_err("before it opens");
    assert_eq!(e.class(), ErrorClass::Invalid, "{e:?}");
    svc.book_unchecked(request(NEW_WARD, date(2026, 11, 26)))
        .await
        .expect("the day it opens");
}

pub async fn the_offices_in_force_follow_the_date(store: Store) {
    let svc = with_2025_units(store).await;
    let tree = svc.offices();
    let on = |d: Date| -> Vec<u16> { tree.receiving_on(d).map(|o| o.code).collect() };
    let before = on(date(2024, 11, 4));
    assert!(
        before.contains(&ENDED_DISTRICT) && !before.contains(&WARD),
        "{before:?}"
    );
    let after = on(date(2026, 11, 23));
    assert!(
        after.contains(&WARD) && !after.contains(&ENDED_DISTRICT),
        "{after:?}"
    );
    // An ended office stays known: its dossiers keep naming it.
    assert_eq!(tree.name_of(ENDED_DISTRICT), "Công an Huyện Cũ Thử");
    assert_eq!(svc.structure_on(date(2025, 2, 28)), Structure::ThreeLevel);
}
