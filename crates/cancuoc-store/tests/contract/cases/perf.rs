//! The fast paths: the synchronous status read on SQLite files answers
//! exactly what the async query answers, and bulk counter reservation hands
//! out disjoint ranges that the one-at-a-time allocation continues.

use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State;
use cancuoc_core::id::alloc::{Allocator, IdPrefix};
use cancuoc_core::person::Sex;
use cancuoc_store::*;

use super::KEY;
use crate::fixtures::*;

/// The async answer and the synchronous one for `code`, compared: equal
/// values, or the same error kind.
async fn same_answer(s: &Store, code: DossierCode) -> Option<DossierStatus> {
    let slow = s.status_by_code(code).await;
    let Some(fast) = s.status_now(code) else {
        assert_eq!(
            s.backend(),
            Backend::Postgres,
            "SQLite files have a fast path"
        );
        return slow.ok();
    };
    match (&slow, &fast) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{code}"),
        (
            Err(StoreError::NotFound { what: a, key: ka }),
            Err(StoreError::NotFound { what: b, key: kb }),
        ) => {
            assert_eq!((a, ka), (b, kb));
        }
        _ => panic!("{code}: async {slow:?} but sync {fast:?}"),
    }
    fast.ok()
}

pub async fn status_fast_path_matches(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let a = add_citizen(s, "Nguyễn Văn Nhanh", "079090000031").await;
    let b = add_citizen(s, "Trần Thị Ðọc Lối Tắt", "079090000032").await;
    let mut codes = Vec::new();
    for i in 0..40u32 {
        let d = received(&w, 20_000 + i, if i % 2 == 0 { a.id } else { b.id }).await;
        codes.push(d.code);
    }
    // Answers before and after transitions (the sync reader sees commits).
    for c in &codes {
        let st = same_answer(s, *c).await.expect("known");
        assert_eq!(st.state, State::Received);
    }
    let first = s.dossier(codes[0]).await.expect("get");
    capture(s, &first, &w.receptionist).await;
    let st = same_answer(s, codes[0]).await.expect("known");
    assert_eq!(st.state, State::Captured);
    // Unknown codes (valid check digit, never created): not found on both.
    for r in [1u32, 99_999, 20_040] {
        assert!(same_answer(s, code(r)).await.is_none());
    }
    let other_office = DossierCode::new(4321, today(), 20_000).expect("code");
    assert!(same_answer(s, other_office).await.is_none());
    // A closed store has no fast path any more.
    let clone = s.clone();
    clone.close().await;
    assert!(s.status_now(codes[1]).is_none());
}

pub async fn reserve_id_ranges_are_disjoint(store: Store) {
    let s = &store;
    let alloc = Allocator::new(KEY);
    let p1 = IdPrefix::new(79, Sex::Female, 2001).expect("prefix");
    let p2 = IdPrefix::new(1, Sex::Male, 1960).expect("prefix");
    let p3 = IdPrefix::new(46, Sex::Male, 1999).expect("prefix");
    // One number through the one-at-a-time path first.
    let one = s
        .register_citizen(
            &citizen("Một Mình", "2001-03-04", Sex::Female, None),
            IdAssignment::Allocate {
                allocator: &alloc,
                region_code: 79,
            },
            None,
            T0,
        )
        .await
        .expect("register");
    assert_eq!(one.personal_id, Some(alloc.allocate(p1, 0).expect("alloc")));
    let first = s
        .reserve_id_indexes(&[(p1, 5), (p2, 3), (p3, 0)], None, T0)
        .await
        .expect("reserve");
    assert_eq!(first, vec![1, 0, 0]);
    let again = s
        .reserve_id_indexes(&[(p2, 2), (p1, 1)], None, T0)
        .await
        .expect("reserve");
    assert_eq!(again, vec![3, 6]);
    assert_eq!(s.id_counter(p1).await.expect("counter"), 7);
    assert_eq!(s.id_counter(p2).await.expect("counter"), 5);
    assert_eq!(
        s.id_counter(p3).await.expect("counter"),
        0,
        "0 reserves nothing"
    );
    // A prefix twice in one call is refused and changes nothing.
    assert!(matches!(
        s.reserve_id_indexes(&[(p3, 1), (p3, 1)], None, T0).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(s.id_counter(p3).await.expect("counter"), 0);
    // The next single allocation continues after the reserved ranges.
    let next = s
        .register_citizen(
            &citizen("Sau Khoảng Đặt", "2001-05-06", Sex::Female, None),
            IdAssignment::Allocate {
                allocator: &alloc,
                region_code: 79,
            },
            None,
            T0,
        )
        .await
        .expect("register");
    assert_eq!(
        next.personal_id,
        Some(alloc.allocate(p1, 7).expect("alloc"))
    );
    // Many prefixes in one call (more than one statement's worth).
    let regions = [1u16, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20];
    let many: Vec<(IdPrefix, u32)> = (1900..2100)
        .flat_map(|y| {
            regions.into_iter().flat_map(move |r| {
                [Sex::Male, Sex::Female]
                    .into_iter()
                    .map(move |sex| (IdPrefix::new(r, sex, y).expect("prefix"), 2))
            })
        })
        .filter(|(p, _)| *p != p1 && *p != p2)
        .collect();
    assert!(many.len() > 5_000, "more than one statement");
    let got = s.reserve_id_indexes(&many, None, T0).await.expect("many");
    assert!(got.iter().all(|&f| f == 0), "fresh prefixes start at 0");
    let got = s.reserve_id_indexes(&many, None, T0).await.expect("many");
    assert!(got.iter().all(|&f| f == 2));
}
