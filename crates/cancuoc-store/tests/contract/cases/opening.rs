//! Opening a dossier is one use case and one transaction: the dossier, its
//! first event, the capture record taken at the desk, the fee as charged
//! and the officer's idempotency key commit together or not at all; a
//! retry under the same key opens nothing new. Saving the capture later is
//! an event of its own that bumps the version.

use cancuoc_core::dossier::workflow::{Refusal, State};
use cancuoc_core::rules::kinds::Channel;
use cancuoc_store::*;
use jiff::civil::date;

use crate::fixtures::*;

/// A fee as the service would have priced it.
fn charged() -> ChargedFee {
    ChargedFee {
        channel: Channel::Online,
        rule_id: "t73-2024:rate".into(),
        table_id: "t73-2024".into(),
        base_amount_vnd: 50_000,
        reduction_percent: 50,
        basis: vec![("Thông tư 73/2024/TT-BTC".into(), "Điều 4".into())],
        explanation_vi: "Giảm 50% khi nộp trực tuyến".into(),
        explanation_en: "50% off online".into(),
        exemption_document: None,
    }
}

pub async fn the_exemption_document_seen_is_kept_with_the_fee(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Miễn Có Giấy", "079090000052").await;
    let proof = "Giấy chứng nhận hộ nghèo số 12/GCN-UBND ngày 02/01/2026";
    let exempt = ChargedFee {
        rule_id: "tt73-2024:exempt".into(),
        table_id: "tt73-2024".into(),
        exemption_document: Some(proof.into()),
        ..charged()
    };
    let mut new = new_dossier(
        CodeSource::Given(code(52_000)),
        c.id,
        Some(w.receptionist.id),
        State::Received,
        date(2026, 12, 1),
    );
    new.exemption = Some(cancuoc_core::rules::Exemption::PoorHousehold);
    new.charged = Some(exempt.clone());
    let d = s.create_dossier(new).await.expect("open");
    let back = s.dossier(d.code).await.expect("read");
    assert_eq!(
        back.charged.and_then(|f| f.exemption_document).as_deref(),
        Some(proof)
    );
    assert_eq!(
        back.exemption,
        Some(cancuoc_core::rules::Exemption::PoorHousehold)
    );
}

pub async fn opening_with_the_capture_is_one_transaction(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Mở Một Lần", "079090000051").await;
    let rec = complete_capture();
    let mut new = new_dossier(
        CodeSource::Given(code(51_000)),
        c.id,
        Some(w.receptionist.id),
        State::Received,
        date(2026, 12, 1),
    );
    new.capture = Some(&rec);
    new.charged = Some(charged());
    let d = s.create_dossier(new).await.expect("open");
    // One event, version 1, the record and the fee with it.
    let back = s.dossier(d.code).await.expect("read");
    assert_eq!((back.version, back.events.len()), (1, 1));
    assert_eq!(back.charged, Some(charged()));
    assert_eq!(s.capture(d.code).await.expect("capture"), Some(rec.clone()));

    // A refused opening (commune police cannot receive a dossier) leaves
    // neither a dossier nor a capture record behind.
    let before = s.counts().await.expect("counts");
    let mut refused = new_dossier(
        CodeSource::Given(code(51_001)),
        c.id,
        Some(w.commune_police.id),
        State::Received,
        date(2026, 12, 1),
    );
    refused.capture = Some(&rec);
    match s.create_dossier(refused).await {
        Err(StoreError::Invalid(Invalid::Transition { refusal, .. })) => {
            assert_eq!(refusal, Refusal::Actor)
        }
        other => panic!("expected a workflow refusal, got {other:?}"),
    }
    assert_eq!(s.counts().await.expect("counts"), before);
    match s.capture(code(51_001)).await {
        Err(StoreError::NotFound { .. }) => {}
        other => panic!("nothing stored, got {other:?}"),
    }
}

pub async fn a_retry_under_the_same_key_opens_nothing_new(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Bấm Hai Lần", "079090000052").await;
    let open = |random: u32, note: Option<&str>| {
        let mut n = new_dossier(
            CodeSource::Given(code(random)),
            c.id,
            Some(w.receptionist.id),
            State::Received,
            date(2026, 12, 1),
        );
        n.note = note.map(str::to_owned);
        n.idempotency_key = Some("mo-ho-so-1".into());
        n
    };
    let first = s.create_dossier(open(52_000, None)).await.expect("first");
    // The double submit draws another code; the first dossier comes back.
    let again = s.create_dossier(open(52_001, None)).await.expect("retry");
    assert_eq!(again.code, first.code);
    assert_eq!(s.counts().await.expect("counts").dossiers, 1);
    // The same key for another request: a conflict, nothing opened.
    match s.create_dossier(open(52_002, Some("khác"))).await {
        Err(StoreError::Conflict(Conflict::IdempotencyKeyReused { key })) => {
            assert_eq!(key, "mo-ho-so-1")
        }
        other => panic!("expected IdempotencyKeyReused, got {other:?}"),
    }
    assert_eq!(s.counts().await.expect("counts").dossiers, 1);
    // Another officer's same key is theirs alone.
    let mut other = open(52_003, None);
    other.actor = Some(w.other_receptionist.id);
    other.office = OTHER_DISTRICT;
    other.code = CodeSource::Given(
        cancuoc_core::dossier::code::DossierCode::new(u32::from(OTHER_DISTRICT), today(), 52_003)
            .expect("code"),
    );
    s.create_dossier(other).await.expect("another officer");
    assert_eq!(s.counts().await.expect("counts").dossiers, 2);
}

pub async fn saving_the_capture_is_an_event_that_bumps_the_version(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Sửa Vân Tay", "079090000053").await;
    let d = received(&w, 53_000, c.id).await;
    let mut rec = complete_capture();
    rec.set_features(
        cancuoc_core::dossier::capture::IdentifyingFeatures::parse("Sẹo 1cm dưới cằm")
            .expect("features"),
    );
    let v = s
        .save_capture(d.code, &rec, w.receptionist.id, T0 + 60)
        .await
        .expect("save");
    assert_eq!(v, 2);
    let back = s.dossier(d.code).await.expect("read");
    assert_eq!(back.state, State::Received, "the state does not move");
    assert_eq!(back.version, 2);
    let e = &back.events[1];
    assert_eq!(
        (e.kind, e.seq, e.from, e.to, e.actor, e.note.as_deref()),
        (
            EventKind::Capture,
            2,
            Some(State::Received),
            State::Received,
            Some(w.receptionist.id),
            Some("complete")
        )
    );
    // A step named against the version before the save is stale.
    match s
        .apply_transition(&step(&d, 1, State::Captured, &w.receptionist))
        .await
    {
        Err(StoreError::Conflict(Conflict::StaleVersion {
            expected, actual, ..
        })) => assert_eq!((expected, actual), (1, 2)),
        other => panic!("expected a stale version, got {other:?}"),
    }
    // Against the new one it goes; the log still replays.
    s.apply_transition(&step(&d, 2, State::Captured, &w.receptionist))
        .await
        .expect("captured");
    let back = s.dossier(d.code).await.expect("read");
    assert_eq!(
        cancuoc_core::dossier::workflow::replay(&back.workflow_log()).expect("replay"),
        State::Captured
    );
    // An unknown dossier: not found, and no event anywhere.
    match s
        .save_capture(code(53_999), &rec, w.receptionist.id, T0)
        .await
    {
        Err(StoreError::NotFound { what, .. }) => assert_eq!(what, Entity::Dossier),
        other => panic!("expected NotFound, got {other:?}"),
    }
}
