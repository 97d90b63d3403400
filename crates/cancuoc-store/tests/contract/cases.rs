//! The contract cases. Each takes a fresh store and checks one use case:
//! happy path, the error it must give, and what must not change.

use cancuoc_core::dossier::workflow::{OldDocument, State, replay};
use cancuoc_core::i18n::Localized;
use cancuoc_core::id::alloc::{AllocError, Allocator, IdPrefix};
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_store::*;
use jiff::civil::date;

use crate::fixtures::*;

const KEY: [u8; 16] = *b"test-key-synthe!";

fn assert_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>, what: Entity) {
    match r {
        Err(StoreError::NotFound { what: w, .. }) => assert_eq!(w, what),
        other => panic!("expected NotFound({what:?}), got {other:?}"),
    }
}

fn assert_duplicate<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::Conflict(Conflict::Duplicate { .. })) => {}
        other => panic!("expected Conflict::Duplicate, got {other:?}"),
    }
}

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
    let me = s.officer_by_token(&w.admin_token).await.expect("by token");
    assert_eq!(me, w.admin);
    assert_eq!(
        s.officer(w.receptionist.id).await.expect("by id"),
        w.receptionist
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
    assert_not_found(s.officer_by_token(&w.admin_token).await, Entity::Officer);
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

pub async fn create_and_get_dossier(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Nguyễn Văn Hồ Sơ", "079090000004").await;
    let d = received(&w, 12_345, c.id).await;
    let back = s.dossier(d.code).await.expect("get");
    assert_eq!(back, d);
    assert_eq!(back.version, 1);
    assert_eq!(back.events.len(), 1);
    assert_eq!(back.events[0].from, None);
    assert_eq!(back.events[0].to, State::Received);
    assert_eq!(back.deadlines[0].stage, "to_centre");
    assert_not_found(s.dossier(code(54_321)).await, Entity::Dossier);
    // The same code twice is a conflict.
    assert_duplicate(
        s.create_dossier(new_dossier(
            CodeSource::Given(d.code),
            c.id,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1),
        ))
        .await,
    );
    // A code of another office is refused.
    let foreign = cancuoc_core::dossier::code::DossierCode::new(791, today(), 1).expect("code");
    assert!(matches!(
        s.create_dossier(new_dossier(
            CodeSource::Given(foreign),
            c.id,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1)
        ))
        .await,
        Err(StoreError::Invalid(Invalid::Field { field: "code", .. }))
    ));
    // Unknown citizen: invalid reference, not "not found".
    assert!(matches!(
        s.create_dossier(new_dossier(
            CodeSource::Given(code(2)),
            CitizenId(99_999),
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1)
        ))
        .await,
        Err(StoreError::Invalid(Invalid::Reference { .. }))
    ));
    // Starts are checked: an approver cannot receive; a citizen can only book.
    let r = s
        .create_dossier(new_dossier(
            CodeSource::Given(code(3)),
            c.id,
            Some(w.approver.id),
            State::Received,
            date(2026, 12, 1),
        ))
        .await;
    assert!(
        matches!(r, Err(StoreError::Invalid(Invalid::Transition { .. }))),
        "{r:?}"
    );
    let r = s
        .create_dossier(new_dossier(
            CodeSource::Given(code(4)),
            c.id,
            None,
            State::Received,
            date(2026, 12, 1),
        ))
        .await;
    assert!(
        matches!(r, Err(StoreError::Invalid(Invalid::Transition { .. }))),
        "{r:?}"
    );
    let booked = s
        .create_dossier(new_dossier(
            CodeSource::Given(code(5)),
            c.id,
            None,
            State::Booked,
            date(2026, 12, 1),
        ))
        .await
        .expect("citizen booking");
    assert_eq!(booked.events[0].actor, None);
    assert_eq!(s.counts().await.expect("counts").dossiers, 2);
}

pub async fn random_codes_retry_on_collision(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Mã Ngẫu Nhiên", "079090000005").await;
    received(&w, 777, c.id).await;
    // The RNG first repeats a taken value, then gives a fresh one.
    let mut draws = vec![777u32, 777, 31_337].into_iter();
    let mut rng = move || draws.next().unwrap_or(0);
    let d = s
        .create_dossier(new_dossier(
            CodeSource::Random(&mut rng),
            c.id,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1),
        ))
        .await
        .expect("retried");
    assert_eq!(d.code.random(), 31_337);
    assert_eq!(d.code.office(), u32::from(DISTRICT));
    assert_eq!(d.code.date(), today());
    // An RNG stuck on a taken value gives up with a precise error.
    let mut stuck = || 777u32;
    match s
        .create_dossier(new_dossier(
            CodeSource::Random(&mut stuck),
            c.id,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1),
        ))
        .await
    {
        Err(e @ StoreError::Invalid(Invalid::CodeSpaceExhausted { attempts: 16 })) => {
            assert_eq!(e.code(), "store.code_space_exhausted")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.counts().await.expect("counts").dossiers, 2);
}

pub async fn status_hot_path(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Nguyễn Văn Trạng Thái", "079090000006").await;
    let d = received(&w, 4_242, c.id).await;
    let st = s.status_by_code(d.code).await.expect("status");
    assert_eq!(st.code, d.code);
    assert_eq!(st.state, State::Received);
    assert_eq!(st.promised_on, date(2026, 12, 1));
    assert_eq!(st.masked_name, "Nguyễn V** T**** T***");
    assert_eq!(st.office_code, DISTRICT);
    assert_eq!(st.office_name, "Công an Huyện Đông Thử");
    assert_eq!(st.office_hotline, "09000790");
    assert!(!st.is_overdue(today()));
    assert!(st.is_overdue(date(2026, 12, 2)));
    let json = serde_json::to_string(&st).expect("json");
    assert!(
        !json.contains("079090000006") && !json.contains("Trạng Thái"),
        "{json}"
    );
    assert_not_found(s.status_by_code(code(1)).await, Entity::Dossier);
}

pub async fn list_dossiers_paged(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Danh Sách", "079090000007").await;
    let mut made = Vec::new();
    for i in 0..7 {
        made.push(received(&w, 100 + i, c.id).await);
    }
    s.create_dossier(new_dossier(
        CodeSource::Given(code(999)),
        c.id,
        Some(w.receptionist.id),
        State::Booked,
        date(2026, 12, 1),
    ))
    .await
    .expect("booked");
    let p1 = s
        .list_dossiers(
            DISTRICT,
            Some(State::Received),
            Page {
                after: None,
                limit: 3,
            },
        )
        .await
        .expect("p1");
    let p2 = s
        .list_dossiers(
            DISTRICT,
            Some(State::Received),
            Page {
                after: p1.last().map(|d| d.id),
                limit: 3,
            },
        )
        .await
        .expect("p2");
    let p3 = s
        .list_dossiers(
            DISTRICT,
            Some(State::Received),
            Page {
                after: p2.last().map(|d| d.id),
                limit: 3,
            },
        )
        .await
        .expect("p3");
    let got: Vec<_> = p1.iter().chain(&p2).chain(&p3).map(|d| d.code).collect();
    assert_eq!(got, made.iter().map(|d| d.code).collect::<Vec<_>>());
    assert!(
        p1.iter().all(|d| d.events.is_empty()),
        "list views carry no events"
    );
    assert_eq!(
        s.list_dossiers(
            DISTRICT,
            None,
            Page {
                after: None,
                limit: 100
            }
        )
        .await
        .expect("all")
        .len(),
        8
    );
    assert_eq!(
        s.list_dossiers(
            DISTRICT,
            Some(State::Booked),
            Page {
                after: None,
                limit: 100
            }
        )
        .await
        .expect("booked")
        .len(),
        1
    );
    assert!(
        s.list_dossiers(
            OTHER_DISTRICT,
            None,
            Page {
                after: None,
                limit: 100
            }
        )
        .await
        .expect("other")
        .is_empty()
    );
}

/// Walks a dossier along the whole happy path, through commune
/// verification and a rejection, and checks the log replays to the state.
pub async fn full_walk_replays_to_stored_state(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Đi Hết Quy Trình", "079090000008").await;
    let d = received(&w, 8_888, c.id).await;
    s.save_capture(d.code, &complete_capture(), w.receptionist.id, T0)
        .await
        .expect("capture");
    let mut v = 1;
    let mut go = |to: State, who: &Officer, tweak: &dyn Fn(&mut TransitionRequest)| {
        let mut r = step(&d, v, to, who);
        tweak(&mut r);
        v += 1;
        r
    };
    let none = |_: &mut TransitionRequest| {};
    let changed = |r: &mut TransitionRequest| r.population_data_changed = Some(true);
    let reason = |r: &mut TransitionRequest| r.note = Some("Ảnh chân dung bị mờ".into());
    let returned = |r: &mut TransitionRequest| r.old_document = Some(OldDocument::Collected);
    let steps = vec![
        go(State::Captured, &w.receptionist, &none),
        go(State::SlipIssued, &w.receptionist, &none),
        go(State::CommuneVerification, &w.receptionist, &changed),
        go(State::SentToCentre, &w.commune_police, &none),
        go(State::Rejected, &w.processor, &reason),
        go(State::Captured, &w.receptionist, &none),
        go(State::SlipIssued, &w.receptionist, &none),
        go(State::SentToCentre, &w.receptionist, &|r| {
            r.population_data_changed = Some(false)
        }),
        go(State::Approved, &w.approver, &none),
        go(State::Printed, &w.printer, &none),
        go(State::Dispatched, &w.dispatcher, &none),
        go(State::ReadyForPickup, &w.return_officer, &none),
        go(State::Returned, &w.return_officer, &returned),
    ];
    for r in &steps {
        let out = s
            .apply_transition(r)
            .await
            .unwrap_or_else(|e| panic!("{:?} -> {:?}: {e:?}", r.to, e.message_en()));
        assert_eq!(out.version, r.expected_version + 1);
        assert_eq!(out.to, r.to);
        assert!(!out.replayed);
    }
    let back = s.dossier(d.code).await.expect("get");
    assert_eq!(back.state, State::Returned);
    assert_eq!(back.version, 14);
    assert_eq!(back.events.len(), 14);
    let core_events: Vec<_> = back.events.iter().map(EventRecord::to_core).collect();
    assert_eq!(replay(&core_events).expect("replay"), back.state);
    assert_eq!(back.events[5].note.as_deref(), Some("Ảnh chân dung bị mờ"));
    // Terminal: nothing leaves it, and it is no longer open.
    let r = s
        .apply_transition(&step(&d, 14, State::Cancelled, &w.admin))
        .await;
    assert!(
        matches!(r, Err(StoreError::Invalid(Invalid::Transition { .. }))),
        "{r:?}"
    );
    assert!(
        s.overdue(DISTRICT, date(2030, 1, 1), 10)
            .await
            .expect("overdue")
            .is_empty()
    );
}

pub async fn stale_version_conflicts(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Phiên Bản Cũ", "079090000009").await;
    let d = received(&w, 9_999, c.id).await;
    let mut r = step(&d, 1, State::Refused, &w.receptionist);
    r.note = Some("Không đủ điều kiện".into());
    let mut stale = r.clone();
    stale.expected_version = 0;
    match s.apply_transition(&stale).await {
        Err(
            e @ StoreError::Conflict(Conflict::StaleVersion {
                expected: 0,
                actual: 1,
                ..
            }),
        ) => assert_eq!(e.code(), "store.stale_version"),
        other => panic!("{other:?}"),
    }
    s.apply_transition(&r).await.expect("refuse");
    assert!(matches!(
        s.apply_transition(&r).await,
        Err(StoreError::Conflict(Conflict::StaleVersion {
            actual: 2,
            ..
        }))
    ));
    let mut missing = r.clone();
    missing.code = code(1);
    assert_not_found(s.apply_transition(&missing).await, Entity::Dossier);
    assert_eq!(s.dossier(d.code).await.expect("get").events.len(), 2);
}

pub async fn concurrent_transitions_one_wins(store: Store) {
    let w = world(store).await;
    let s = w.store.clone();
    let c = add_citizen(&s, "Đua Nhau", "079090000010").await;
    for round in 0..5u32 {
        let d = received(&w, 20_000 + round, c.id).await;
        let mut a = step(&d, 1, State::Refused, &w.receptionist);
        a.note = Some("Từ chối A".into());
        let mut b = step(&d, 1, State::Cancelled, &w.admin);
        b.note = Some("Hủy B".into());
        let (sa, sb) = (s.clone(), s.clone());
        let ta = tokio::spawn(async move { sa.apply_transition(&a).await });
        let tb = tokio::spawn(async move { sb.apply_transition(&b).await });
        let (ra, rb) = (ta.await.expect("join"), tb.await.expect("join"));
        let wins = [&ra, &rb].iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "exactly one wins: {ra:?} / {rb:?}");
        for r in [&ra, &rb] {
            if let Err(e) = r {
                assert!(
                    matches!(e, StoreError::Conflict(Conflict::StaleVersion { .. })),
                    "{e:?}"
                );
            }
        }
        let back = s.dossier(d.code).await.expect("get");
        assert_eq!(back.version, 2);
        assert_eq!(back.events.len(), 2);
        let winner = if ra.is_ok() {
            State::Refused
        } else {
            State::Cancelled
        };
        assert_eq!(back.state, winner);
    }
}

pub async fn idempotent_retry(store: Store) {
    let w = world(store).await;
    let s = w.store.clone();
    let c = add_citizen(&s, "Gửi Lại", "079090000011").await;
    let d = received(&w, 1_111, c.id).await;
    s.save_capture(d.code, &complete_capture(), w.receptionist.id, T0)
        .await
        .expect("capture");
    let mut r = step(&d, 1, State::Captured, &w.receptionist);
    r.idempotency_key = Some("req-0001".into());
    let first = s.apply_transition(&r).await.expect("first");
    assert!(!first.replayed);
    let mut later = r.clone();
    later.at += 30;
    let again = s.apply_transition(&later).await.expect("retry");
    assert!(again.replayed);
    assert_eq!(
        TransitionOutcome {
            replayed: false,
            ..again.clone()
        },
        first
    );
    assert_eq!(
        s.dossier(d.code).await.expect("get").events.len(),
        2,
        "applied once"
    );
    // Same key, different request: conflict.
    let mut other = r.clone();
    other.note = Some("khác".into());
    assert!(matches!(
        s.apply_transition(&other).await,
        Err(StoreError::Conflict(Conflict::IdempotencyKeyReused { .. }))
    ));
    // The key is per officer: another officer's same key is independent.
    let mut r2 = step(&d, 2, State::Cancelled, &w.admin);
    r2.note = Some("Hủy thử".into());
    r2.idempotency_key = Some("req-0001".into());
    assert_eq!(s.apply_transition(&r2).await.expect("admin").version, 3);
    // Concurrent retries of one request: both get the same answer, one event.
    let d2 = received(&w, 2_222, c.id).await;
    let mut q = step(&d2, 1, State::Refused, &w.receptionist);
    q.note = Some("Thiếu giấy tờ".into());
    q.idempotency_key = Some("req-0002".into());
    let (qa, qb) = (q.clone(), q.clone());
    let (sa, sb) = (s.clone(), s.clone());
    let ta = tokio::spawn(async move { sa.apply_transition(&qa).await });
    let tb = tokio::spawn(async move { sb.apply_transition(&qb).await });
    let (ra, rb) = (
        ta.await.expect("join").expect("a"),
        tb.await.expect("join").expect("b"),
    );
    assert_eq!(ra.version, 2);
    assert_eq!(rb.version, 2);
    assert!(ra.replayed ^ rb.replayed, "one applied, one replayed");
    assert_eq!(s.dossier(d2.code).await.expect("get").events.len(), 2);
    // Old keys can be purged.
    assert_eq!(
        s.purge_idempotency_keys(T0 + 1_000_000)
            .await
            .expect("purge"),
        3
    );
}

pub async fn workflow_refusals(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Sai Quy Trình", "079090000012").await;
    let d = received(&w, 3_333, c.id).await;
    let expect_workflow = |r: Result<TransitionOutcome, StoreError>, code: &str| match r {
        Err(e @ StoreError::Invalid(Invalid::Transition { .. })) => {
            assert_eq!(e.code(), code, "{}", e.message_en());
            assert!(!e.message_vi().is_empty());
        }
        other => panic!("expected {code}, got {other:?}"),
    };
    // Capture incomplete: nothing saved yet.
    expect_workflow(
        s.apply_transition(&step(&d, 1, State::Captured, &w.receptionist))
            .await,
        "workflow.capture_required",
    );
    // Not a step of the workflow.
    expect_workflow(
        s.apply_transition(&step(&d, 1, State::Printed, &w.printer))
            .await,
        "workflow.not_allowed",
    );
    // Wrong role.
    let mut refuse = step(&d, 1, State::Refused, &w.approver);
    refuse.note = Some("x".into());
    expect_workflow(s.apply_transition(&refuse).await, "workflow.wrong_role");
    // Right role, wrong office.
    refuse.actor = w.other_receptionist.id;
    expect_workflow(s.apply_transition(&refuse).await, "workflow.out_of_scope");
    // A reason is required.
    let no_reason = step(&d, 1, State::Refused, &w.receptionist);
    expect_workflow(
        s.apply_transition(&no_reason).await,
        "workflow.reason_required",
    );
    // A deactivated officer cannot act.
    s.set_officer_active(w.receptionist.id, false, None, T0)
        .await
        .expect("deactivate");
    refuse.actor = w.receptionist.id;
    assert!(matches!(
        s.apply_transition(&refuse).await,
        Err(StoreError::Invalid(Invalid::Field { field: "actor", .. }))
    ));
    let back = s.dossier(d.code).await.expect("get");
    assert_eq!(
        (back.state, back.version, back.events.len()),
        (State::Received, 1, 1),
        "nothing applied"
    );
}

pub async fn overdue_and_at_risk(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Quá Hạn", "079090000013").await;
    let mk = |random: u32, promised| {
        let s = s.clone();
        let actor = w.receptionist.id;
        async move {
            s.create_dossier(new_dossier(
                CodeSource::Given(code(random)),
                c.id,
                Some(actor),
                State::Received,
                promised,
            ))
            .await
            .expect("dossier")
        }
    };
    let late2 = mk(1, date(2026, 11, 10)).await;
    let late1 = mk(2, date(2026, 11, 20)).await;
    let due_today = mk(3, date(2026, 11, 21)).await;
    let soon = mk(4, date(2026, 11, 24)).await;
    let _later = mk(5, date(2026, 12, 15)).await;
    let done = mk(6, date(2026, 11, 1)).await;
    let mut r = step(&done, 1, State::Refused, &w.receptionist);
    r.note = Some("Đã xử lý".into());
    s.apply_transition(&r).await.expect("refuse");
    let codes = |v: Vec<Dossier>| v.into_iter().map(|d| d.code).collect::<Vec<_>>();
    assert_eq!(
        codes(s.overdue(DISTRICT, today(), 50).await.expect("overdue")),
        vec![late2.code, late1.code]
    );
    assert_eq!(
        codes(
            s.at_risk(DISTRICT, today(), date(2026, 11, 24), 50)
                .await
                .expect("at risk")
        ),
        vec![due_today.code, soon.code]
    );
    assert!(
        s.overdue(OTHER_DISTRICT, today(), 50)
            .await
            .expect("other")
            .is_empty()
    );
    assert_eq!(
        s.overdue(DISTRICT, today(), 1).await.expect("limit").len(),
        1
    );
    let stats = s.office_stats(DISTRICT, today()).await.expect("stats");
    assert_eq!(stats.overdue, 2);
    assert_eq!(
        stats.by_state,
        vec![(State::Received, 5), (State::Refused, 1)]
    );
}

pub async fn stats_counts_and_audit(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Thống Kê", "079090000014").await;
    let d = received(&w, 5_555, c.id).await;
    let counts = s.counts().await.expect("counts");
    assert_eq!(
        counts,
        Counts {
            offices: 6,
            officers: 9,
            citizens: 1,
            dossiers: 1,
            events: 1
        }
    );
    let audit = s.recent_audit(3).await.expect("audit");
    assert_eq!(audit.len(), 3);
    assert_eq!(audit[0].action, "dossier.create");
    assert_eq!(audit[0].target, format!("dossier:{}", d.code));
    assert_eq!(audit[0].officer, Some(w.receptionist.id));
    assert_eq!(audit[1].action, "citizen.register");
    assert!(
        !audit[1].details.contains("079090000014"),
        "masked: {}",
        audit[1].details
    );
}

pub async fn capture_round_trip(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Vân Tay", "079090000015").await;
    let d = received(&w, 6_666, c.id).await;
    assert_eq!(s.capture(d.code).await.expect("none yet"), None);
    let mut partial = cancuoc_core::dossier::capture::CaptureRecord::new();
    partial
        .record(
            cancuoc_core::dossier::capture::CaptureSlot::FlatRightFour,
            cancuoc_core::dossier::capture::SlotOutcome::Missing(
                cancuoc_core::dossier::capture::MissingReason::Injured,
            ),
        )
        .expect("slot");
    s.save_capture(d.code, &partial, w.receptionist.id, T0)
        .await
        .expect("save");
    assert_eq!(s.capture(d.code).await.expect("get"), Some(partial));
    let full = complete_capture();
    s.save_capture(d.code, &full, w.receptionist.id, T0 + 60)
        .await
        .expect("replace");
    assert_eq!(s.capture(d.code).await.expect("get"), Some(full.clone()));
    assert_not_found(s.capture(code(1)).await, Entity::Dossier);
    assert_not_found(
        s.save_capture(code(1), &full, w.receptionist.id, T0).await,
        Entity::Dossier,
    );
}

pub async fn corrupt_urls_and_ping(store: Store) {
    store.ping().await.expect("ping");
    for bad in ["mysql://x/y", "", "file:///tmp/x"] {
        match Store::connect(bad).await {
            Err(e @ StoreError::Invalid(Invalid::Url { .. })) => {
                assert_eq!(e.code(), "store.bad_url")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let e = Store::connect("postgres://u:secret@127.0.0.1:1/none")
        .await
        .expect_err("no server");
    assert!(
        matches!(e, StoreError::Database(_)),
        "a connection failure is a database error: {e:?}"
    );
    assert!(!format!("{e}").contains("secret") || cfg!(any()), "{e}");
    let mem = Store::connect("sqlite::memory:").await.expect("memory");
    assert_eq!(mem.counts().await.expect("counts"), Counts::default());
    assert_eq!(mem.backend(), Backend::Sqlite);
}
