//! Workflow transitions: the full walk with replay, stale versions, races,
//! idempotent retries and refusals.

use cancuoc_core::dossier::workflow::{OldDocument, State, replay};
use cancuoc_core::i18n::Localized;
use cancuoc_store::*;
use jiff::civil::date;

use super::assert_not_found;
use crate::fixtures::*;

/// Walks a dossier along the whole happy path, through commune
/// verification and a rejection, and checks the log replays to the state.
pub async fn full_walk_replays_to_stored_state(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Đi Hết Quy Trình", "079090000008").await;
    let d = received(&w, 8_888, c.id).await;
    // The capture is event 2 of the log.
    let mut v = s
        .save_capture(d.code, &complete_capture(), w.receptionist.id, T0)
        .await
        .expect("capture");
    assert_eq!(v, 2);
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
    // Thirteen steps, the creating event and the capture.
    assert_eq!(back.version, 15);
    assert_eq!(back.events.len(), 15);
    assert_eq!(back.events[1].kind, EventKind::Capture);
    assert_eq!(
        (back.events[1].from, back.events[1].to),
        (Some(State::Received), State::Received)
    );
    let core_events = back.workflow_log();
    assert_eq!(core_events.len(), 14);
    assert_eq!(replay(&core_events).expect("replay"), back.state);
    assert_eq!(back.events[6].note.as_deref(), Some("Ảnh chân dung bị mờ"));
    // Terminal: nothing leaves it, and it is no longer open.
    let r = s
        .apply_transition(&step(&d, 15, State::Cancelled, &w.admin))
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
    let v = s
        .save_capture(d.code, &complete_capture(), w.receptionist.id, T0)
        .await
        .expect("capture");
    let mut r = step(&d, v, State::Captured, &w.receptionist);
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
        3,
        "applied once (after the creating and the capture events)"
    );
    // Same key, different request: conflict.
    let mut other = r.clone();
    other.note = Some("khác".into());
    assert!(matches!(
        s.apply_transition(&other).await,
        Err(StoreError::Conflict(Conflict::IdempotencyKeyReused { .. }))
    ));
    // The key is per officer: another officer's same key is independent.
    let mut r2 = step(&d, 3, State::Cancelled, &w.admin);
    r2.note = Some("Hủy thử".into());
    r2.idempotency_key = Some("req-0001".into());
    assert_eq!(s.apply_transition(&r2).await.expect("admin").version, 4);
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
