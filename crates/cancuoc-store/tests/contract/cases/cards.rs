//! The card's lifecycle in the workflow: made at "printed" in the
//! transition's transaction (a replay makes none), active at "returned"
//! with the previous card replaced, reported lost at once, and the public
//! status read by number.

use cancuoc_core::card::CardModel;
use cancuoc_core::dossier::workflow::{OldDocument, State};
use cancuoc_store::*;
use jiff::civil::date;

use super::assert_not_found;
use crate::fixtures::*;

/// What the service would pass for the printed step of `number`'s card.
fn new_card(number: &str) -> NewCard {
    NewCard {
        number: number.to_owned(),
        issued_on: date(2026, 11, 21),
        expires_on: Some(date(2030, 5, 17)),
        model: CardModel::CanCuoc2024,
        mrz: "IDVNM0900000041079090000041<<8\n9005171M3005176VNM<<<<<<<<<<<4\nTHE<<MOI<IN<<<<<<<<<<<<<<<<<<<".into(),
        qr_payload: "079090000041||Thẻ Mới In|17051990|Nam|Hà Nội|21112026".into(),
        sod_digest: Some([0xab; 32]),
    }
}

/// Walks `d` (received, version 1) to approved: version 6.
async fn to_approved(w: &World, d: &Dossier) {
    let s = &w.store;
    capture(s, d, &w.receptionist).await;
    s.apply_transition(&step(d, 3, State::SlipIssued, &w.receptionist))
        .await
        .expect("slip");
    let mut send = step(d, 4, State::SentToCentre, &w.receptionist);
    send.population_data_changed = Some(false);
    s.apply_transition(&send).await.expect("sent");
    s.apply_transition(&step(d, 5, State::Approved, &w.approver))
        .await
        .expect("approved");
}

/// Printed at version 6 → 7 with `card`, under an idempotency key.
fn printed(w: &World, d: &Dossier, card: NewCard) -> TransitionRequest {
    let mut r = step(d, 6, State::Printed, &w.printer);
    r.card = Some(card);
    r.idempotency_key = Some("in-the-1".into());
    r
}

pub async fn cards_printed_once_returned_active_previous_replaced(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Thẻ Mới In", "079090000041").await;
    let old = s
        .issue_card(c.id, date(2021, 6, 1), Some(date(2030, 5, 17)), None, T0)
        .await
        .expect("old card");
    let d = received(&w, 4_101, c.id).await;
    to_approved(&w, &d).await;

    // A card whose number is not the citizen's is refused with the step.
    let mut wrong = printed(&w, &d, new_card("079090000042"));
    wrong.idempotency_key = None;
    assert!(
        matches!(
            s.apply_transition(&wrong).await,
            Err(StoreError::Invalid(Invalid::Field {
                field: "card.number",
                ..
            }))
        ),
        "a card for another number is refused"
    );
    assert_eq!(s.dossier(d.code).await.expect("d").state, State::Approved);

    let req = printed(&w, &d, new_card("079090000041"));
    let out = s.apply_transition(&req).await.expect("printed");
    assert!(!out.replayed);
    let card = s
        .card_of_dossier(d.code)
        .await
        .expect("read")
        .expect("a card");
    assert_eq!(card.state, CardState::Printed);
    assert_eq!(card.number, "079090000041");
    assert_eq!(card.model, Some(CardModel::CanCuoc2024));
    assert_eq!(card.mrz.as_deref(), Some(new_card("x").mrz.as_str()));
    assert_eq!(card.qr_payload, Some(new_card("x").qr_payload));
    assert_eq!(card.sod_digest.as_deref(), Some("ab".repeat(32).as_str()));
    assert_eq!(card.printed_at, Some(req.at));
    assert_eq!(card.issued_on, date(2026, 11, 21));
    // The retry under the same key replays and makes no second card.
    let again = s.apply_transition(&req).await.expect("replay");
    assert!(again.replayed);
    assert_eq!(s.cards_of(c.id).await.expect("cards").len(), 2);
    let audit = s.recent_audit(50).await.expect("audit");
    assert_eq!(
        audit.iter().filter(|a| a.action == "card.print").count(),
        1,
        "one card.print row"
    );
    // While printed, the old card is still the active one.
    let st = s
        .card_status_by_number("079090000041", None)
        .await
        .expect("status")
        .expect("found");
    assert_eq!(st.state, CardState::Active);
    assert_eq!(st.issued_on, date(2021, 6, 1));
    let st = s
        .card_status_by_number("079090000041", Some(date(2026, 11, 21)))
        .await
        .expect("status")
        .expect("found");
    assert_eq!(st.state, CardState::Printed);
    assert_eq!(st.model, Some(CardModel::CanCuoc2024));

    s.apply_transition(&step(&d, 7, State::Dispatched, &w.dispatcher))
        .await
        .expect("dispatched");
    s.apply_transition(&step(&d, 8, State::ReadyForPickup, &w.return_officer))
        .await
        .expect("ready");
    let mut hand = step(&d, 9, State::Returned, &w.return_officer);
    hand.old_document = Some(OldDocument::Collected);
    s.apply_transition(&hand).await.expect("returned");
    let cards = s.cards_of(c.id).await.expect("cards");
    assert_eq!(
        cards
            .iter()
            .map(|k| (k.id, k.state, k.replaced_by))
            .collect::<Vec<_>>(),
        vec![
            (card.id, CardState::Active, None),
            (old.id, CardState::Replaced, Some(card.id)),
        ]
    );
    assert_eq!(cards[0].activated_at, Some(hand.at));
    assert_eq!(cards[1].state_changed_at, Some(hand.at));
    let st = s
        .card_status_by_number("079090000041", None)
        .await
        .expect("status")
        .expect("found");
    assert_eq!(
        (st.state, st.activated_at),
        (CardState::Active, Some(hand.at))
    );
    let st = s
        .card_status_by_number("079090000041", Some(date(2021, 6, 1)))
        .await
        .expect("status")
        .expect("found");
    assert_eq!(st.state, CardState::Replaced);
    assert!(
        s.recent_audit(50)
            .await
            .expect("audit")
            .iter()
            .any(|a| a.action == "card.activate" && a.target == format!("card:{}", card.id.0))
    );
}

pub async fn cards_a_printing_without_a_card_makes_none_and_cancel_voids(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Không Thẻ", "079090000043").await;
    let d = received(&w, 4_103, c.id).await;
    to_approved(&w, &d).await;
    // Seed data: a printed step without a card makes no row.
    s.apply_transition(&step(&d, 6, State::Printed, &w.printer))
        .await
        .expect("printed");
    assert!(s.card_of_dossier(d.code).await.expect("read").is_none());

    let c2 = add_citizen(s, "Hủy Sau In", "079090000044").await;
    let d2 = received(&w, 4_104, c2.id).await;
    to_approved(&w, &d2).await;
    s.apply_transition(&printed(&w, &d2, new_card("079090000044")))
        .await
        .expect("printed");
    let mut cancel = step(&d2, 7, State::Cancelled, &w.admin);
    cancel.note = Some("Công dân không đến nhận (thử nghiệm)".into());
    s.apply_transition(&cancel).await.expect("cancelled");
    let card = s
        .card_of_dossier(d2.code)
        .await
        .expect("read")
        .expect("card");
    assert_eq!(card.state, CardState::Void);
}

pub async fn cards_reported_lost_at_once(store: Store) {
    let w = world(store).await;
    let s = &w.store;
    let c = add_citizen(s, "Mất Thẻ", "079090000045").await;
    let card = s
        .issue_card(c.id, date(2022, 3, 15), Some(date(2030, 5, 17)), None, T0)
        .await
        .expect("card");
    // Unknown number, unknown date, empty reason.
    assert_not_found(
        s.report_card_lost("079090000046", None, Some(w.receptionist.id), "mất", T0)
            .await,
        Entity::Card,
    );
    assert_not_found(
        s.report_card_lost(
            "079090000045",
            Some(date(2022, 3, 16)),
            Some(w.receptionist.id),
            "mất",
            T0,
        )
        .await,
        Entity::Card,
    );
    assert!(matches!(
        s.report_card_lost("079090000045", None, None, "  ", T0)
            .await,
        Err(StoreError::Invalid(Invalid::Field {
            field: "reason",
            ..
        }))
    ));
    let st = s
        .report_card_lost(
            "079090000045",
            Some(date(2022, 3, 15)),
            Some(w.receptionist.id),
            "Mất ví ở chợ",
            T0 + 100,
        )
        .await
        .expect("lost");
    assert_eq!((st.state, st.lost_at), (CardState::Lost, Some(T0 + 100)));
    let stored = &s.cards_of(c.id).await.expect("cards")[0];
    assert_eq!(stored.id, card.id);
    assert_eq!(stored.lost_reason.as_deref(), Some("Mất ví ở chợ"));
    assert_eq!(stored.lost_by, Some(w.receptionist.id));
    // Read back at once by number.
    let st = s
        .card_status_by_number("079090000045", None)
        .await
        .expect("status")
        .expect("found");
    assert_eq!(st.state, CardState::Lost);
    // Reported again: answered as it is, no second audit row.
    let again = s
        .report_card_lost("079090000045", None, None, "lại mất", T0 + 200)
        .await
        .expect("again");
    assert_eq!(again.lost_at, Some(T0 + 100));
    let audit = s.recent_audit(50).await.expect("audit");
    let lost: Vec<_> = audit.iter().filter(|a| a.action == "card.lost").collect();
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].officer, Some(w.receptionist.id));
    assert!(!lost[0].details.contains("079090000045"), "no full number");
    // A replaced card cannot be lost.
    let c2 = add_citizen(s, "Thẻ Cũ", "079090000047").await;
    s.issue_card(c2.id, date(2021, 6, 1), None, None, T0)
        .await
        .expect("first");
    s.issue_card(c2.id, date(2026, 11, 21), None, None, T0)
        .await
        .expect("second");
    assert!(matches!(
        s.report_card_lost("079090000047", Some(date(2021, 6, 1)), None, "mất", T0)
            .await,
        Err(StoreError::Invalid(Invalid::Field { field: "state", .. }))
    ));
    // Unknown number: no status.
    assert!(
        s.card_status_by_number("079090000099", None)
            .await
            .expect("status")
            .is_none()
    );
}
