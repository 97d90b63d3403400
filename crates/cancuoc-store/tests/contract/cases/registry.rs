//! Offices, officers, citizens (registration, search, ID allocation, bulk
//! insert) and cards.

use cancuoc_core::i18n::Localized;
use cancuoc_core::id::alloc::{AllocError, Allocator, IdPrefix};
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_store::*;
use jiff::civil::date;

use super::{KEY, assert_duplicate, assert_not_found};
use crate::fixtures::*;

pub async fn offices_and_tree(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let d = s.office(DISTRICT).await.expect("district");
    assert_eq!(d.level, OfficeLevel::District);
    assert_eq!(d.parent, Some(PROVINCE));
    assert_eq!(d.opening_hours.saturday.len(), 1, "Saturday morning kept");
    let all: Vec<u16> = s
        .list_offices()
        .await
        .expect("list")
        .iter()
        .map(|o| o.code)
        .collect();
    assert_eq!(
        all,
        vec![
            MINISTRY,
            CENTRE,
            PROVINCE,
            DISTRICT,
            OTHER_DISTRICT,
            COMMUNE
        ]
    );
    let kids: Vec<u16> = s
        .office_children(PROVINCE)
        .await
        .expect("kids")
        .iter()
        .map(|o| o.code)
        .collect();
    assert_eq!(kids, vec![DISTRICT, OTHER_DISTRICT]);
    let sub: Vec<u16> = s
        .office_subtree(PROVINCE)
        .await
        .expect("sub")
        .iter()
        .map(|o| o.code)
        .collect();
    assert_eq!(sub, vec![PROVINCE, DISTRICT, OTHER_DISTRICT, COMMUNE]);
    let up: Vec<u16> = s
        .office_ancestors(COMMUNE)
        .await
        .expect("up")
        .iter()
        .map(|o| o.code)
        .collect();
    assert_eq!(up, vec![COMMUNE, DISTRICT, PROVINCE, MINISTRY]);
    assert!(s.office_children(COMMUNE).await.expect("leaf").is_empty());
}

pub async fn office_errors(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    assert_not_found(s.office(4242).await, Entity::Office);
    assert_not_found(s.office_subtree(4242).await, Entity::Office);
    assert_not_found(s.office_ancestors(4242).await, Entity::Office);
    assert_duplicate(
        s.create_office(
            &office(DISTRICT, "Trùng", OfficeLevel::District, Some(PROVINCE)),
            None,
            T0,
        )
        .await,
    );
    match s
        .create_office(
            &office(800, "Mồ côi", OfficeLevel::District, Some(4242)),
            None,
            T0,
        )
        .await
    {
        Err(e @ StoreError::Invalid(Invalid::Reference { .. })) => {
            assert_eq!(e.code(), "store.bad_reference");
            assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
        }
        other => panic!("expected Invalid::Reference, got {other:?}"),
    }
    assert!(matches!(
        s.create_office(
            &office(801, "  ", OfficeLevel::District, Some(PROVINCE)),
            None,
            T0
        )
        .await,
        Err(StoreError::Invalid(Invalid::Field { field: "name", .. }))
    ));
    // Nothing half-written: the failed inserts left no rows.
    assert_eq!(s.counts().await.expect("counts").offices, 6);
}

pub async fn officers_and_tokens(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let me = s
        .officer_by_token(&Token::from_presented(&w.admin.token))
        .await
        .expect("by token");
    assert_eq!(me, w.admin.officer);
    assert_eq!(
        s.officer(w.receptionist.id).await.expect("by id"),
        w.receptionist.officer
    );
    assert_not_found(
        s.officer_by_token(&Token::from_presented("not-a-token"))
            .await,
        Entity::Officer,
    );
    assert_not_found(s.officer(OfficerId(99_999)).await, Entity::Officer);
    let at_district: Vec<OfficerId> = s
        .officers_of_office(DISTRICT)
        .await
        .expect("list")
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(at_district, vec![w.receptionist.id, w.return_officer.id]);
    s.set_officer_active(w.admin.id, false, None, T0)
        .await
        .expect("deactivate");
    assert_not_found(
        s.officer_by_token(&Token::from_presented(&w.admin.token))
            .await,
        Entity::Officer,
    );
    assert!(!s.officer(w.admin.id).await.expect("still there").active);
    assert_not_found(
        s.set_officer_active(OfficerId(99_999), true, None, T0)
            .await,
        Entity::Officer,
    );
    let bad = s
        .add_officer(
            &NewOfficer {
                name: "Không Đơn Vị".into(),
                role: cancuoc_core::dossier::workflow::Role::Receptionist,
                office: 4242,
            },
            None,
            T0,
        )
        .await;
    assert!(
        matches!(bad, Err(StoreError::Invalid(Invalid::Reference { .. }))),
        "{bad:?}"
    );
}

pub async fn register_and_get_citizen(store: Store) {
    let s = &store;
    let mut new = citizen("Nguyễn Văn Thử", "1990-05", Sex::Male, Some("079090000001"));
    new.old_cmnd = vec!["123456789".into(), "023456789012".into()];
    new.temporary_residence = Some("Phòng 2, Nhà Thử".into());
    new.provenance.fields.insert(
        "phone".into(),
        Provenance {
            status: Verification::SelfDeclared,
            source: "citizen".into(),
        },
    );
    let c = s
        .register_citizen(&new, IdAssignment::AsGiven, None, T0)
        .await
        .expect("register");
    let back = s.citizen(c.id).await.expect("get");
    assert_eq!(back, c);
    assert_eq!(
        back.dob,
        PartialDate::YearMonth {
            year: 1990,
            month: 5
        }
    );
    assert_eq!(
        back.old_cmnd,
        vec!["023456789012".to_owned(), "123456789".to_owned()]
    );
    assert_eq!(
        back.provenance.of("phone").status,
        Verification::SelfDeclared
    );
    let pid = c.personal_id.expect("pid");
    assert_eq!(
        s.citizen_by_personal_id(&pid).await.expect("by pid").id,
        c.id
    );
    assert_not_found(s.citizen(CitizenId(99_999)).await, Entity::Citizen);
    let unknown = cancuoc_core::id::PersonalId::parse("079090999999").expect("id");
    match s.citizen_by_personal_id(&unknown).await {
        Err(StoreError::NotFound { key, .. }) => {
            assert!(!key.contains("079090999999"), "key is masked: {key}")
        }
        other => panic!("{other:?}"),
    }
    let mut blank = citizen("   ", "1990", Sex::Female, None);
    assert!(matches!(
        s.register_citizen(&blank, IdAssignment::AsGiven, None, T0)
            .await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "full_name",
            ..
        }))
    ));
    blank.full_name = "Trần Thị Hợp Lệ".into();
    blank.old_cmnd = vec!["12345".into()];
    assert!(matches!(
        s.register_citizen(&blank, IdAssignment::AsGiven, None, T0)
            .await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "old_cmnd",
            ..
        }))
    ));
    assert_eq!(s.counts().await.expect("counts").citizens, 1);
}

pub async fn duplicate_personal_id_conflicts(store: Store) {
    let s = &store;
    add_citizen(s, "Lý Văn Một", "079090000002").await;
    let again = s
        .register_citizen(
            &citizen("Lý Văn Hai", "1991", Sex::Male, Some("079090000002")),
            IdAssignment::AsGiven,
            None,
            T0,
        )
        .await;
    assert_duplicate(again);
    assert_eq!(s.counts().await.expect("counts").citizens, 1);
}

pub async fn search_by_name_key_and_dob(store: Store) {
    let s = &store;
    let people = [
        ("Nguyễn Văn An", "1990-05-17"),
        ("Nguyễn Văn Anh", "1990"),
        ("Nguyễn Thị Ánh", "1985-02"),
        ("Đặng Văn An", "1990-05-17"),
        ("Nguyen 50%_Special", "2000"),
    ];
    for (i, (name, dob)) in people.iter().enumerate() {
        let sex = if name.contains("Thị") {
            Sex::Female
        } else {
            Sex::Male
        };
        s.register_citizen(
            &citizen(name, dob, sex, Some(&format!("0790900001{i:02}"))),
            IdAssignment::AsGiven,
            None,
            T0,
        )
        .await
        .expect("register");
    }
    let q = |name: &str, matching, dob: Option<&str>| CitizenQuery {
        name: name.into(),
        matching,
        dob: dob.map(|d| d.parse().expect("dob")),
        limit: 50,
    };
    let names = |v: Vec<Citizen>| v.into_iter().map(|c| c.full_name).collect::<Vec<_>>();
    // Diacritic- and case-insensitive prefix, ordered by key.
    assert_eq!(
        names(
            s.search_citizens(&q("NGUYEN VAN AN", NameMatch::Prefix, None))
                .await
                .expect("q")
        ),
        vec!["Nguyễn Văn An", "Nguyễn Văn Anh"]
    );
    assert_eq!(
        names(
            s.search_citizens(&q("dang", NameMatch::Prefix, None))
                .await
                .expect("q")
        ),
        vec!["Đặng Văn An"]
    );
    // Contains, with wildcard characters taken literally.
    assert_eq!(
        names(
            s.search_citizens(&q("van an", NameMatch::Contains, None))
                .await
                .expect("q")
        ),
        vec!["Đặng Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh"]
    );
    assert_eq!(
        names(
            s.search_citizens(&q("50%_", NameMatch::Contains, None))
                .await
                .expect("q")
        ),
        vec!["Nguyen 50%_Special"]
    );
    assert!(
        s.search_citizens(&q("0%", NameMatch::Contains, None))
            .await
            .expect("q")
            .len()
            == 1
    );
    // DOB: a full date matches the same day and the year-only record.
    assert_eq!(
        names(
            s.search_citizens(&q("nguyen van", NameMatch::Prefix, Some("1990-05-17")))
                .await
                .expect("q")
        ),
        vec!["Nguyễn Văn An", "Nguyễn Văn Anh"]
    );
    assert_eq!(
        names(
            s.search_citizens(&q("nguyen van", NameMatch::Prefix, Some("1990-06-01")))
                .await
                .expect("q")
        ),
        vec!["Nguyễn Văn Anh"]
    );
    assert!(
        s.search_citizens(&q("nguyen", NameMatch::Prefix, Some("1970")))
            .await
            .expect("q")
            .is_empty()
    );
    assert_eq!(
        names(
            s.search_citizens(&q("nguyen thi", NameMatch::Prefix, Some("1985")))
                .await
                .expect("q")
        ),
        vec!["Nguyễn Thị Ánh"]
    );
    // Limit and blank query.
    let mut one = q("nguyen", NameMatch::Prefix, None);
    one.limit = 1;
    assert_eq!(s.search_citizens(&one).await.expect("q").len(), 1);
    assert!(matches!(
        s.search_citizens(&q("  ", NameMatch::Prefix, None)).await,
        Err(StoreError::Invalid(_))
    ));
}

pub async fn allocation_counter_in_same_transaction(store: Store) {
    let s = &store;
    let alloc = Allocator::new(KEY);
    const N: usize = 25;
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..N {
        let c = s
            .register_citizen(
                &citizen(&format!("Trẻ Sơ Sinh {i}"), "2026-11-01", Sex::Female, None),
                IdAssignment::Allocate {
                    allocator: &alloc,
                    region_code: 79,
                },
                None,
                T0,
            )
            .await
            .expect("register with new id");
        let pid = c.personal_id.expect("assigned");
        assert!(pid.as_str().starts_with("079326"), "{}", pid.as_str());
        assert_eq!(s.citizen(c.id).await.expect("get").personal_id, Some(pid));
        ids.insert(pid.as_str().to_owned());
    }
    assert_eq!(ids.len(), N, "all distinct");
    let prefix = IdPrefix::new(79, Sex::Female, 2026).expect("prefix");
    assert_eq!(s.id_counter(prefix).await.expect("counter"), N as u32);
    // The numbers are exactly the allocator's first N for the prefix.
    for i in 0..N as u32 {
        assert!(ids.contains(alloc.allocate(prefix, i).expect("alloc").as_str()));
    }
    // A citizen that already has a number cannot be given another.
    let has = citizen("Đã Có Số", "2026-11-02", Sex::Female, Some("079326000001"));
    assert!(matches!(
        s.register_citizen(
            &has,
            IdAssignment::Allocate {
                allocator: &alloc,
                region_code: 79
            },
            None,
            T0
        )
        .await,
        Err(StoreError::Conflict(Conflict::AlreadyHasId))
    ));
    // An unknown region is refused before anything is written.
    let r = s
        .register_citizen(
            &citizen("Nơi Lạ", "2026-11-03", Sex::Male, None),
            IdAssignment::Allocate {
                allocator: &alloc,
                region_code: 99,
            },
            None,
            T0,
        )
        .await;
    assert!(
        matches!(
            r,
            Err(StoreError::Invalid(Invalid::Allocation(
                AllocError::UnknownRegion { code: 99 }
            )))
        ),
        "{r:?}"
    );
    assert_eq!(s.id_counter(prefix).await.expect("counter"), N as u32);
    // A number already held (e.g. imported) is skipped, not handed out twice.
    let next = alloc
        .allocate(prefix, N as u32)
        .expect("next")
        .as_str()
        .to_owned();
    add_citizen(s, "Nhập Từ Nơi Khác", &next).await;
    let c = s
        .register_citizen(
            &citizen("Sau Nhập", "2026-11-04", Sex::Female, None),
            IdAssignment::Allocate {
                allocator: &alloc,
                region_code: 79,
            },
            None,
            T0,
        )
        .await
        .expect("skips taken");
    assert_ne!(c.personal_id.expect("pid").as_str(), next);
    assert_eq!(s.id_counter(prefix).await.expect("counter"), N as u32 + 2);
}

pub async fn allocation_exhaustion_rolls_back(store: Store) {
    let s = &store;
    let alloc = Allocator::new(KEY);
    let prefix = IdPrefix::new(1, Sex::Male, 1990).expect("prefix");
    s.advance_id_counter(prefix, 999_999, None, T0)
        .await
        .expect("advance");
    let last = s
        .register_citizen(
            &citizen("Người Cuối", "1990", Sex::Male, None),
            IdAssignment::Allocate {
                allocator: &alloc,
                region_code: 1,
            },
            None,
            T0,
        )
        .await
        .expect("last serial");
    assert_eq!(
        last.personal_id,
        Some(alloc.allocate(prefix, 999_999).expect("last"))
    );
    let r = s
        .register_citizen(
            &citizen("Hết Số", "1990", Sex::Male, None),
            IdAssignment::Allocate {
                allocator: &alloc,
                region_code: 1,
            },
            None,
            T0,
        )
        .await;
    match &r {
        Err(e @ StoreError::Invalid(Invalid::Allocation(AllocError::Exhausted { .. }))) => {
            assert_eq!(e.code(), "id.alloc.exhausted");
        }
        other => panic!("expected exhaustion, got {other:?}"),
    }
    // The failed transaction rolled its counter increment back.
    assert_eq!(s.id_counter(prefix).await.expect("counter"), 1_000_000);
    assert_eq!(s.counts().await.expect("counts").citizens, 1);
    // The counter never moves back.
    assert!(matches!(
        s.advance_id_counter(prefix, 5, None, T0).await,
        Err(StoreError::Invalid(Invalid::Field { .. }))
    ));
}

pub async fn assign_personal_id_later(store: Store) {
    let s = &store;
    let alloc = Allocator::new(KEY);
    let c = s
        .register_citizen(
            &citizen("Chưa Có Số", "2012-03-04", Sex::Male, None),
            IdAssignment::AsGiven,
            None,
            T0,
        )
        .await
        .expect("register");
    assert_eq!(c.personal_id, None);
    let pid = s
        .assign_personal_id(c.id, &alloc, 79, None, T0)
        .await
        .expect("assign");
    assert!(pid.as_str().starts_with("079212"));
    assert_eq!(s.citizen(c.id).await.expect("get").personal_id, Some(pid));
    assert!(matches!(
        s.assign_personal_id(c.id, &alloc, 79, None, T0).await,
        Err(StoreError::Conflict(Conflict::AlreadyHasId))
    ));
    assert_not_found(
        s.assign_personal_id(CitizenId(99_999), &alloc, 79, None, T0)
            .await,
        Entity::Citizen,
    );
    // The audit log never holds the full number.
    let audit = s.recent_audit(10).await.expect("audit");
    assert!(audit.iter().any(|a| a.action == "citizen.assign_id"));
    assert!(audit.iter().all(|a| !a.details.contains(pid.as_str())));
}

pub async fn bulk_insert_all_or_nothing(store: Store) {
    let s = &store;
    let rows: Vec<NewCitizen> = (0..1234)
        .map(|i| {
            let mut c = citizen(
                &format!("Hàng Loạt {i:04}"),
                "1975-01-01",
                if i % 2 == 0 { Sex::Male } else { Sex::Female },
                Some(&format!("0010750{i:05}")),
            );
            if i % 100 == 0 {
                c.old_cmnd = vec![format!("{:09}", 100_000_000 + i)];
            }
            c
        })
        .collect();
    assert_eq!(
        s.bulk_insert_citizens(&rows, None, T0).await.expect("bulk"),
        1234
    );
    assert_eq!(s.counts().await.expect("counts").citizens, 1234);
    let found = s
        .search_citizens(&CitizenQuery {
            name: "hang loat 1200".into(),
            matching: NameMatch::Prefix,
            dob: None,
            limit: 5,
        })
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].old_cmnd, vec!["100001200".to_owned()]);
    // A duplicate anywhere rolls the whole call back.
    let mut again: Vec<NewCitizen> = (0..600)
        .map(|i| {
            citizen(
                &format!("Lô Hai {i}"),
                "1980",
                Sex::Male,
                Some(&format!("0020800{i:05}")),
            )
        })
        .collect();
    again[599].personal_id = rows[7].personal_id;
    assert_duplicate(s.bulk_insert_citizens(&again, None, T0).await);
    assert_eq!(s.counts().await.expect("counts").citizens, 1234);
    // A bad row is named by position, before anything is written.
    again[599] = citizen(" ", "1980", Sex::Male, None);
    match s.bulk_insert_citizens(&again, None, T0).await {
        Err(StoreError::Invalid(Invalid::Field {
            field: "full_name",
            reason,
        })) => assert!(reason.contains("row 599"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.bulk_insert_citizens(&[], None, T0).await.expect("empty"),
        0
    );
}

pub async fn cards_issue_replace_lose(store: Store) {
    let s = &store;
    let c = add_citizen(s, "Chủ Thẻ", "079090000003").await;
    let first = s
        .issue_card(c.id, date(2021, 6, 1), Some(date(2030, 5, 17)), None, T0)
        .await
        .expect("card");
    assert_eq!(first.number, "079090000003");
    let second = s
        .issue_card(c.id, date(2026, 11, 21), Some(date(2030, 5, 17)), None, T0)
        .await
        .expect("renewal");
    let cards = s.cards_of(c.id).await.expect("cards");
    assert_eq!(
        cards.iter().map(|k| (k.id, k.state)).collect::<Vec<_>>(),
        vec![
            (second.id, CardState::Active),
            (first.id, CardState::Replaced)
        ]
    );
    s.set_card_state(second.id, CardState::Lost, None, T0)
        .await
        .expect("lost");
    assert!(matches!(
        s.set_card_state(second.id, CardState::Void, None, T0).await,
        Err(StoreError::Invalid(Invalid::Field { .. }))
    ));
    assert!(matches!(
        s.set_card_state(first.id, CardState::Active, None, T0)
            .await,
        Err(StoreError::Invalid(Invalid::Field { .. }))
    ));
    assert_not_found(
        s.set_card_state(CardId(99_999), CardState::Lost, None, T0)
            .await,
        Entity::Card,
    );
    let no_id = s
        .register_citizen(
            &citizen("Chưa Số", "2010", Sex::Male, None),
            IdAssignment::AsGiven,
            None,
            T0,
        )
        .await
        .expect("c");
    assert!(matches!(
        s.issue_card(no_id.id, date(2026, 1, 1), None, None, T0)
            .await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "citizen",
            ..
        }))
    ));
    assert_not_found(
        s.issue_card(CitizenId(99_999), date(2026, 1, 1), None, None, T0)
            .await,
        Entity::Citizen,
    );
    assert!(
        s.issue_card(c.id, date(2026, 1, 1), Some(date(2025, 1, 1)), None, T0)
            .await
            .is_err()
    );
}
