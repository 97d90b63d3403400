//! The bulk citizen load (`Store::begin_citizen_load`): nothing is visible
//! before the commit, a dropped load leaves the old state (rows, counters
//! and the table's indexes), the ids come back in input order, and a
//! duplicate fails the load.

use cancuoc_core::id::alloc::{Allocator, IdPrefix};
use cancuoc_core::person::Sex;
use cancuoc_store::*;

use super::{KEY, assert_duplicate};
use crate::fixtures::*;

/// The names of the indexes on `citizens`, sorted.
async fn citizen_indexes(s: &Store) -> Vec<String> {
    match s.db() {
        Db::Sqlite(pool) => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'citizens' \
             ORDER BY name",
        )
        .fetch_all(pool)
        .await
        .expect("sqlite_master"),
        Db::Postgres(pool) => sqlx::query_scalar(
            "SELECT indexname::text FROM pg_indexes WHERE tablename = 'citizens' ORDER BY 1",
        )
        .fetch_all(pool)
        .await
        .expect("pg_indexes"),
    }
}

/// `n` synthetic citizens of two prefixes (alternating sexes, born 1975),
/// numbered from `from`; every 7th declares its own phone, every 3rd has a
/// temporary residence, every 5th no phone, every 11th a name with spaces
/// around it, and the residences differ in length from row to row.
fn people(n: usize, from: usize) -> Vec<NewCitizen> {
    (from..from + n)
        .map(|i| {
            let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
            let mut c = citizen(&format!("Nạp Lô {i:05}"), "1975-03-04", sex, None);
            c.permanent_residence = format!("Số {i}, {}", "Đường Thử ".repeat(i % 4));
            if i % 3 == 0 {
                c.temporary_residence = Some(format!("Phòng {i}, Ký túc xá Thử"));
            }
            if i % 5 == 0 {
                c.phone = None;
            }
            if i % 11 == 0 {
                c.full_name = format!("  {} ", c.full_name);
            }
            if i % 7 == 0 {
                c.provenance.fields.insert(
                    "phone".into(),
                    Provenance {
                        status: Verification::SelfDeclared,
                        source: "citizen".into(),
                    },
                );
            }
            c
        })
        .collect()
}

/// Every column of a loaded row is the one given (the name trimmed).
fn same_row(got: &Citizen, given: &NewCitizen, i: usize) {
    assert_eq!(got.personal_id, given.personal_id, "row {i}");
    assert_eq!(got.full_name, given.full_name.trim(), "row {i}");
    assert_eq!(got.dob, given.dob, "row {i}");
    assert_eq!(got.sex, given.sex, "row {i}");
    assert_eq!(got.nationality, given.nationality, "row {i}");
    assert_eq!(got.ethnicity, given.ethnicity, "row {i}");
    assert_eq!(got.religion, given.religion, "row {i}");
    assert_eq!(got.place_of_origin, given.place_of_origin, "row {i}");
    assert_eq!(got.birth_registration, given.birth_registration, "row {i}");
    assert_eq!(
        got.permanent_residence, given.permanent_residence,
        "row {i}"
    );
    assert_eq!(
        got.temporary_residence, given.temporary_residence,
        "row {i}"
    );
    assert_eq!(got.phone, given.phone, "row {i}");
    assert_eq!(got.provenance, given.provenance, "row {i}");
}

/// Reserves indexes for `rows` in `load` and gives each its personal ID.
async fn number(load: &mut CitizenLoad, alloc: &Allocator, rows: &mut [NewCitizen]) {
    let male = IdPrefix::new(79, Sex::Male, 1975).expect("prefix");
    let female = IdPrefix::new(79, Sex::Female, 1975).expect("prefix");
    let count = |sex| u32::try_from(rows.iter().filter(|c| c.sex == sex).count()).expect("n");
    let first = load
        .reserve_id_indexes(&[(male, count(Sex::Male)), (female, count(Sex::Female))])
        .await
        .expect("reserve");
    let mut next = [first[0], first[1]];
    for c in rows {
        let (k, p) = if c.sex == Sex::Male {
            (0, male)
        } else {
            (1, female)
        };
        c.personal_id = Some(alloc.allocate(p, next[k]).expect("alloc"));
        next[k] += 1;
    }
}

pub async fn citizen_load_all_or_nothing(store: Store) {
    let s = &store;
    let alloc = Allocator::new(KEY);
    let male = IdPrefix::new(79, Sex::Male, 1975).expect("prefix");
    let indexes = citizen_indexes(s).await;
    assert!(
        indexes.iter().any(|n| n == "citizens_name_key"),
        "{indexes:?}"
    );

    // A load on the empty table, dropped before its commit: nothing stays.
    let mut load = s.begin_citizen_load(None, T0).await.expect("begin");
    let mut rows = people(600, 0);
    number(&mut load, &alloc, &mut rows).await;
    assert_eq!(
        load.insert(CitizenBatch::prepare(rows).expect("prepare"))
            .await
            .expect("insert")
            .len(),
        600
    );
    assert_eq!(
        s.counts().await.expect("counts").citizens,
        0,
        "not yet visible"
    );
    drop(load);
    assert_eq!(s.counts().await.expect("counts").citizens, 0);
    assert_eq!(
        s.id_counter(male).await.expect("counter"),
        0,
        "counters too"
    );
    assert_eq!(citizen_indexes(s).await, indexes, "indexes as they were");

    // The same, committed, in three chunks.
    let mut load = s.begin_citizen_load(None, T0).await.expect("begin");
    let mut all = Vec::new();
    let mut ids = Vec::new();
    for (n, from) in [(500, 0), (500, 500), (234, 1000)] {
        let mut rows = people(n, from);
        number(&mut load, &alloc, &mut rows).await;
        all.extend(rows.iter().cloned());
        ids.extend(
            load.insert(CitizenBatch::prepare(rows).expect("prepare"))
                .await
                .expect("insert"),
        );
    }
    assert_eq!(load.inserted(), 1234);
    assert_eq!(load.commit().await.expect("commit"), 1234);
    assert_eq!(s.counts().await.expect("counts").citizens, 1234);
    assert_eq!(citizen_indexes(s).await, indexes, "indexes rebuilt");
    assert_eq!(s.id_counter(male).await.expect("counter"), 617);
    // Ids in input order, each row as given (the name trimmed).
    for i in [0usize, 1, 3, 5, 7, 11, 15, 499, 500, 777, 1233] {
        same_row(&s.citizen(ids[i]).await.expect("get"), &all[i], i);
    }
    let found = s
        .search_citizens(&CitizenQuery {
            name: "nap lo 00777".into(),
            matching: NameMatch::Prefix,
            dob: None,
            limit: 5,
        })
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, ids[777]);
    let audit = s.recent_audit(5).await.expect("audit");
    assert!(
        audit
            .iter()
            .any(|a| a.action == "citizen.bulk_load" && a.details.starts_with("1234 rows")),
        "{audit:?}"
    );

    // On a table with rows: a duplicate personal ID fails the load, and the
    // dropped load changes nothing.
    let mut load = s.begin_citizen_load(None, T0).await.expect("begin");
    let mut rows = people(300, 2000);
    number(&mut load, &alloc, &mut rows).await;
    rows[299].personal_id = all[3].personal_id;
    assert_duplicate(
        load.insert(CitizenBatch::prepare(rows).expect("prepare"))
            .await,
    );
    drop(load);
    assert_eq!(s.counts().await.expect("counts").citizens, 1234);
    assert_eq!(s.id_counter(male).await.expect("counter"), 617);

    // A row without a personal ID is named by position.
    let mut load = s.begin_citizen_load(None, T0).await.expect("begin");
    let mut rows = people(3, 3000);
    number(&mut load, &alloc, &mut rows).await;
    rows[2].personal_id = None;
    match load
        .insert(CitizenBatch::prepare(rows).expect("prepare"))
        .await
    {
        Err(StoreError::Invalid(Invalid::Field {
            field: "personal_id",
            reason,
        })) => assert!(reason.contains("row 2"), "{reason}"),
        other => panic!("{other:?}"),
    }
    drop(load);
    let mut rows = people(3, 3000);
    rows[1].full_name = "  ".into();
    match CitizenBatch::prepare(rows) {
        Err(StoreError::Invalid(Invalid::Field {
            field: "full_name",
            reason,
        })) => assert!(reason.contains("row 1"), "{reason}"),
        other => panic!("{other:?}"),
    }

    // A counter moved outside any load (an officer registering a citizen)
    // is where the next load starts: 617 + 3 reserved here.
    let outside = s
        .reserve_id_indexes(&[(male, 3)], None, T0)
        .await
        .expect("reserve");
    assert_eq!(outside, [617]);

    // A second committed load adds to the rows already there, its counters
    // continuing from the stored ones; a batch sorted by personal ID comes
    // back in that order.
    let mut load = s.begin_citizen_load(None, T0).await.expect("begin");
    let mut rows = people(10, 4000);
    number(&mut load, &alloc, &mut rows).await;
    let sorted_from = rows.clone();
    let mut batch = CitizenBatch::prepare(rows).expect("prepare");
    batch.sort_by_personal_id();
    let more = load.insert(batch).await.expect("insert");
    assert_eq!(load.commit().await.expect("commit"), 10);
    assert_eq!(s.counts().await.expect("counts").citizens, 1244);
    assert!(more.iter().all(|id| !ids.contains(id)), "new ids");
    assert_eq!(citizen_indexes(s).await, indexes);
    assert_eq!(s.id_counter(male).await.expect("counter"), 625);
    let mut pids = Vec::new();
    for (i, id) in more.iter().enumerate() {
        let got = s.citizen(*id).await.expect("get");
        // Sorting moved each row whole, its text with it.
        let Some(given) = sorted_from
            .iter()
            .find(|c| c.personal_id == got.personal_id)
        else {
            panic!("{:?} was not in the batch", got.personal_id);
        };
        same_row(&got, given, i);
        pids.push(got.personal_id);
    }
    assert!(
        pids.is_sorted() && pids.iter().all(Option::is_some),
        "{pids:?}"
    );
    let first_new = alloc.allocate(male, 620).expect("alloc");
    assert!(
        pids.contains(&Some(first_new)),
        "starts after the outside reservation"
    );
}
