//! Dossiers: creation, random codes, the status hot path, lists, overdue
//! and at-risk queries, counts, audit and the capture record.

use cancuoc_core::dossier::workflow::State;
use cancuoc_core::i18n::Localized;
use cancuoc_store::*;
use jiff::civil::date;

use super::{assert_duplicate, assert_not_found};
use crate::fixtures::*;

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
    assert_eq!(
        back.deadlines[0].stage,
        cancuoc_core::rules::deadline::Stage::TransferToNpd
    );
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
            officers: 10,
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

fn seed(code_random: u32, citizen: CitizenId, path: &[(State, &Officer)]) -> SeedDossier {
    let mut events = Vec::new();
    let mut from = None;
    for (i, (to, who)) in path.iter().enumerate() {
        let note = matches!(to, State::Refused | State::Rejected | State::Cancelled)
            .then(|| "Lý do thử".to_owned());
        events.push(EventRecord {
            seq: i as i64 + 1,
            at: T0 + 3600 * i as i64,
            actor: Some(who.id),
            actor_role: who.role,
            from,
            to: *to,
            note,
            kind: EventKind::Transition,
        });
        from = Some(*to);
    }
    SeedDossier {
        code: code(code_random),
        kind: cancuoc_core::rules::kinds::IssueKind::First,
        reason: None,
        office: DISTRICT,
        citizen,
        fee_vnd: 0,
        exemption: None,
        charged: None,
        received_on: today(),
        deadlines: Vec::new(),
        promised_on: date(2026, 12, 1),
        events,
    }
}

pub async fn bulk_dossiers_with_logs(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Nạp Hàng Loạt", "079090000016").await;
    let r = &w.receptionist.officer;
    let walk = [
        (State::Received, r),
        (State::Captured, r),
        (State::SlipIssued, r),
        (State::SentToCentre, r),
        (State::Approved, &w.approver.officer),
        (State::Printed, &w.printer.officer),
    ];
    let mut batch: Vec<SeedDossier> = (0..1200u32)
        .map(|i| seed(10_000 + i, c.id, &walk[..1 + (i as usize % walk.len())]))
        .collect();
    batch.push(seed(
        9_000,
        c.id,
        &[(State::Received, r), (State::Refused, r)],
    ));
    assert_eq!(
        s.bulk_insert_dossiers(&batch, None, T0)
            .await
            .expect("bulk"),
        1201
    );
    let printed = s.dossier(code(10_005)).await.expect("get");
    assert_eq!(
        (printed.state, printed.version, printed.events.len()),
        (State::Printed, 6, 6)
    );
    let core = printed.workflow_log();
    assert_eq!(
        cancuoc_core::dossier::workflow::replay(&core).expect("replay"),
        State::Printed
    );
    assert_eq!(
        s.status_by_code(code(10_000)).await.expect("status").state,
        State::Received
    );
    let refused = s.dossier(code(9_000)).await.expect("refused");
    assert_eq!(refused.state, State::Refused);
    assert!(
        s.overdue(DISTRICT, date(2027, 1, 1), 500)
            .await
            .expect("overdue")
            .iter()
            .all(|d| d.code != refused.code)
    );
    // The bulk-loaded version is the one transitions check against.
    let next = s
        .apply_transition(&step(&printed, 6, State::Dispatched, &w.dispatcher))
        .await
        .expect("go on");
    assert_eq!(next.version, 7);
    let counts = s.counts().await.expect("counts");
    // A log the workflow could not produce: refused, naming the dossier.
    let bad = vec![
        seed(30_000, c.id, &walk[..2]),
        seed(
            30_001,
            c.id,
            &[(State::Received, r), (State::Printed, &w.printer.officer)],
        ),
    ];
    match s.bulk_insert_dossiers(&bad, None, T0).await {
        Err(e @ StoreError::Invalid(Invalid::Transition { .. })) => assert!(
            e.message_en().starts_with("Dossier 1:"),
            "{}",
            e.message_en()
        ),
        other => panic!("{other:?}"),
    }
    // A taken code: conflict, and nothing of the batch is kept.
    let dup = vec![
        seed(30_002, c.id, &walk[..1]),
        seed(10_000, c.id, &walk[..1]),
    ];
    assert_duplicate(s.bulk_insert_dossiers(&dup, None, T0).await);
    assert_eq!(s.counts().await.expect("counts"), counts);
    assert_eq!(
        s.bulk_insert_dossiers(&[], None, T0).await.expect("empty"),
        0
    );
}
