//! Opposite concurrent moves (đổi lịch hẹn ngược chiều): citizens moving
//! from slot X to Y while others move from Y to X at the same moment. Each
//! move locks two slot rows; taken in the order of the move they deadlock
//! on PostgreSQL, which aborts one of them (SQLSTATE 40P01) and that
//! citizen would see a server error. Every move must end as moved or as a
//! full slot, and the counters must match the bookings afterwards.

use cancuoc_store::*;
use jiff::civil::{Date, date};

use crate::fixtures::{DISTRICT, OTHER_DISTRICT, T0, world};

const PHONE: &str = "0987000111";
/// Seats per slot.
const CAPACITY: u32 = 7;
/// Bookings starting in each of the two slots.
const PER_SIDE: u32 = 6;
/// Moves each booking makes, back and forth.
const ROUNDS: u32 = 6;

fn day() -> Date {
    date(2026, 11, 24)
}

fn slot(office: u16, start_min: u16) -> SlotRequest {
    SlotRequest {
        key: SlotKey {
            office,
            day: day(),
            start_min,
        },
        end_min: start_min + 30,
        capacity: CAPACITY,
    }
}

/// Seats counted in `office`'s slot `start_min`, and bookings listed in it.
async fn seats_and_bookings(s: &Store, office: u16, start_min: u16) -> (u32, usize) {
    let usage = s.slot_usage(office, day(), day()).await.expect("usage");
    let seats = usage
        .iter()
        .find(|u| u.start_min == start_min)
        .map_or(0, |u| u.booked);
    let list = s.bookings_on(office, day()).await.expect("list");
    let listed = list
        .iter()
        .filter(|b| b.start_min == start_min && b.state == BookingState::Booked)
        .count();
    (seats, listed)
}

pub async fn opposite_concurrent_moves_never_fail_or_overbook(store: Store) {
    let w = world(store).await;
    let s = w.store;
    // Two pairs of slots: in one office (one counter table, neighbouring
    // rows) and across two offices.
    let pairs = [
        (slot(DISTRICT, 480), slot(DISTRICT, 510)),
        (slot(DISTRICT, 600), slot(OTHER_DISTRICT, 600)),
    ];
    // Every seat taken first, then every mover starts at once.
    let mut movers = Vec::new();
    for (p, (x, y)) in pairs.iter().enumerate() {
        for side in 0..2u32 {
            for i in 0..PER_SIDE {
                let code = format!("5{p}{side}{i:08}");
                let (from, to) = if side == 0 { (*x, *y) } else { (*y, *x) };
                let new = NewBooking {
                    code: code.clone(),
                    slot: from,
                    full_name: "Trần Văn Đổi".to_owned(),
                    phone: PHONE.to_owned(),
                    personal_id: None,
                    presence: None,
                };
                s.create_booking(&new, T0)
                    .await
                    .expect("seat before moving");
                movers.push((code, from, to));
            }
        }
    }
    let mut tasks = Vec::new();
    for (code, from, to) in movers {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for round in 0..ROUNDS {
                let target = if round % 2 == 0 { &to } else { &from };
                let at = T0 + i64::from(round) + 1;
                outcomes.push(s.move_booking(&code, PHONE, target, at).await);
            }
            outcomes
        }));
    }
    let (mut moved, mut full) = (0, 0);
    for t in tasks {
        for r in t.await.expect("join") {
            match r {
                Ok(_) => moved += 1,
                Err(StoreError::Conflict(Conflict::SlotFull { .. })) => full += 1,
                Err(e) => panic!("a move failed instead of moving or finding the slot full: {e:?}"),
            }
        }
    }
    assert!(
        moved > 0,
        "no move went through ({full} found the slot full)"
    );
    for (x, y) in &pairs {
        let (sx, lx) = seats_and_bookings(&s, x.key.office, x.key.start_min).await;
        let (sy, ly) = seats_and_bookings(&s, y.key.office, y.key.start_min).await;
        assert!(sx <= CAPACITY && sy <= CAPACITY, "overbooked: {sx}, {sy}");
        assert_eq!(
            sx as usize, lx,
            "counter of {x:?} disagrees with its bookings"
        );
        assert_eq!(
            sy as usize, ly,
            "counter of {y:?} disagrees with its bookings"
        );
        assert_eq!(sx + sy, 2 * PER_SIDE, "a seat was lost or duplicated");
    }
}
