//! Offices in force for a period (thời gian hoạt động): a district office
//! that ended on 28/02/2025 and a commune police unit of the 2025 structure
//! keep their periods through the store, and ended offices stay readable.

use crate::fixtures::{PROVINCE, office, world};
use cancuoc_store::{OfficeLevel, Period, Store};
use jiff::civil::date;

pub async fn an_office_keeps_the_period_it_is_in_force(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let mut district = office(
        795,
        "Công an Huyện Cũ Thử",
        OfficeLevel::District,
        Some(PROVINCE),
    );
    district.in_force = Period::until(date(2025, 2, 28));
    let mut commune = office(
        7950,
        "Công an Phường Mới Thử",
        OfficeLevel::Commune,
        Some(PROVINCE),
    );
    commune.in_force = Period::new(Some(date(2025, 7, 1)), None).expect("period");
    for o in [&district, &commune] {
        let made = s.create_office(o, None, 1).await.expect("create");
        assert_eq!(made.in_force, o.in_force);
    }
    let old = s.office(795).await.expect("ended office still read");
    assert_eq!(old.in_force, Period::until(date(2025, 2, 28)));
    assert!(old.receives_public_on(date(2024, 11, 4)));
    assert!(!old.in_force_on(date(2025, 3, 1)));
    assert!(!old.receives_public_on(date(2026, 11, 23)));
    let new = s.office(7950).await.expect("new unit");
    assert_eq!(new.in_force.first_day(), Some(date(2025, 7, 1)));
    assert_eq!(new.in_force.last_day(), None);
    // Commune police receive applications from 01/07/2025 (it exists
    // from then), never before.
    assert!(new.receives_public_on(date(2025, 7, 1)));
    assert!(!new.receives_public_on(date(2025, 6, 30)));
    // The same through the list and the subtree (both read the columns).
    let listed = s.list_offices().await.expect("list");
    let l = listed.iter().find(|o| o.code == 795).expect("listed");
    assert_eq!(l.in_force, old.in_force);
    let sub = s.office_subtree(PROVINCE).await.expect("subtree");
    let n = sub.iter().find(|o| o.code == 7950).expect("in subtree");
    assert_eq!(n.in_force, new.in_force);
    // The world's offices have no end.
    assert_eq!(
        s.office(PROVINCE).await.expect("p").in_force,
        Period::ALWAYS
    );
}
