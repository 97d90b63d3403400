//! The card in the workflow through `Service`: personalised at "printed"
//! with the exact MRZ and QR of its `cancuoc_core::card::Card` (and the
//! chip digest of a personalizer), active at "returned" with the previous
//! card replaced, reported lost and seen lost at once, valid or to renew
//! by the dates, unknown numbers, and the per-client rate.

use std::sync::Arc;

use cancuoc_core::card::{Card, CardFile, CardModel};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::{OldDocument, State};
use cancuoc_core::id::PersonalId;
use cancuoc_core::rules::Reason;
use cancuoc_service::guard::Rate;
use cancuoc_service::model::CardState;
use cancuoc_service::{
    CardPersonalizer, CardStanding, CardStatus, Client, ErrorClass, Limits, OpenDossier, Service,
    TransitionCommand,
};
use cancuoc_store::Store;
use cancuoc_testkit::world::{World, add_citizen, complete_capture};
use jiff::civil::{Date, date};

use crate::{T0, setup, setup_at};

/// A stand-in for the chip's document signer: the "digest" is the card
/// number's bytes, so a test sees it came from this card.
struct FakeChip;

impl CardPersonalizer for FakeChip {
    fn sod_digest(&self, card: &Card) -> Result<[u8; 32], String> {
        let mut d = [0u8; 32];
        d[..12].copy_from_slice(card.personal_id.as_str().as_bytes());
        Ok(d)
    }
}

fn client(n: u8) -> Client {
    Client::new(std::net::IpAddr::from([10, 1, 0, n]))
}

fn pid(s: &str) -> PersonalId {
    PersonalId::parse(s).expect("synthetic id")
}

fn step(code: DossierCode, to: State, v: i64) -> TransitionCommand {
    TransitionCommand {
        code,
        to,
        note: None,
        expected_version: v,
        idempotency_key: None,
        population_data_changed: None,
        old_document: None,
        at: None,
    }
}

/// Opens a dossier for `number` and walks it to printed (version 6).
async fn printed(w: &World, svc: &Service, name: &str, number: &str) -> DossierCode {
    let c = add_citizen(&w.store, name, number, T0).await;
    let d = svc
        .open_dossier(
            &w.receptionist,
            OpenDossier {
                capture: Some(complete_capture()),
                ..OpenDossier::walk_in(c.id, Reason::FirstIssue)
            },
        )
        .await
        .expect("open");
    svc.transition(&w.receptionist, step(d.code, State::Captured, 1))
        .await
        .expect("captured");
    svc.transition(&w.receptionist, step(d.code, State::SlipIssued, 2))
        .await
        .expect("slip");
    let mut send = step(d.code, State::SentToCentre, 3);
    send.population_data_changed = Some(false);
    svc.transition(&w.receptionist, send).await.expect("sent");
    svc.transition(&w.approver, step(d.code, State::Approved, 4))
        .await
        .expect("approved");
    let mut print = step(d.code, State::Printed, 5);
    print.idempotency_key = Some("in-1".into());
    svc.transition(&w.printer, print.clone())
        .await
        .expect("printed");
    // A retry under the same key replays: no second card.
    let again = svc.transition(&w.printer, print).await.expect("replay");
    assert!(again.replayed);
    d.code
}

/// Walks a printed dossier (version 6) to returned.
async fn hand_over(w: &World, svc: &Service, code: DossierCode) {
    svc.transition(&w.dispatcher, step(code, State::Dispatched, 6))
        .await
        .expect("dispatched");
    svc.transition(&w.return_officer, step(code, State::ReadyForPickup, 7))
        .await
        .expect("ready");
    let mut back = step(code, State::Returned, 8);
    back.old_document = Some(OldDocument::Collected);
    svc.transition(&w.return_officer, back)
        .await
        .expect("returned");
}

/// The card the testkit's citizen should get on `issued`, written
/// independently as a `CARD.json` would be.
fn expected_card(name: &str, number: &str, issued: Date, expiry: Date) -> Card {
    Card::from_file(CardFile {
        personal_id: Some(number.into()),
        full_name: Some(name.into()),
        date_of_birth: Some("1990-05-17".into()),
        sex: Some("male".into()),
        place_of_origin: Some("Xã Bình Thử, Huyện Đông Thử".into()),
        residence: Some("Thôn 1, Xã Bình Thử".into()),
        issue_date: Some(issued.to_string()),
        expiry_date: Some(Some(expiry.to_string())),
        ..CardFile::default()
    })
    .expect("card file")
}

pub async fn a_printed_dossier_has_its_card_with_the_exact_mrz_and_qr(store: Store) {
    let (w, svc) = setup(store).await;
    let svc = svc.with_personalizer(Arc::new(FakeChip));
    assert!(svc.personalizes_chips());
    let code = printed(&w, &svc, "Phạm Thẻ Mới", "079090000201").await;
    let card = svc
        .dossier_card(&w.printer, code)
        .await
        .expect("read")
        .expect("a card");
    // Printed on 2026-11-23 in Vietnam; born 17/05/1990, the holder turns
    // 40 on 17/05/2030 (Law 26/2023 Art. 21).
    let want = expected_card(
        "Phạm Thẻ Mới",
        "079090000201",
        date(2026, 11, 23),
        date(2030, 5, 17),
    );
    assert_eq!(card.state, CardState::Printed);
    assert_eq!(card.issued_on, date(2026, 11, 23));
    assert_eq!(card.expires_on, Some(date(2030, 5, 17)));
    assert_eq!(card.model, Some(CardModel::CanCuoc2024));
    assert_eq!(
        card.mrz.as_deref(),
        Some(want.mrz().expect("mrz").lines.join("\n").as_str())
    );
    assert_eq!(
        card.qr_payload,
        Some(want.qr_payload(CardModel::CanCuoc2024).expect("qr payload"))
    );
    let mut digest = "079090000201"
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    digest.push_str(&"00".repeat(20));
    assert_eq!(card.sod_digest.as_deref(), Some(digest.as_str()));
    assert_eq!(
        svc.card_status(&pid("079090000201"), None, client(1))
            .await
            .expect("status"),
        CardStatus {
            status: CardStanding::NotYetIssued,
            since: Some(date(2026, 11, 23))
        }
    );
    // The console's dossier file carries it too.
    let file = svc.dossier_file(&w.receptionist, code).await.expect("file");
    assert_eq!(file.card.map(|c| c.id), Some(card.id));
}

pub async fn without_a_personalizer_the_card_has_no_chip_digest(store: Store) {
    let (w, svc) = setup(store).await;
    assert!(!svc.personalizes_chips());
    let code = printed(&w, &svc, "Lê Không Chip", "079090000202").await;
    let card = svc
        .dossier_card(&w.receptionist, code)
        .await
        .expect("read")
        .expect("a card");
    assert_eq!(card.sod_digest, None);
    assert!(card.mrz.is_some() && card.qr_payload.is_some());
}

pub async fn a_returned_card_is_active_and_the_previous_one_replaced(store: Store) {
    let (w, svc) = setup(store).await;
    let number = "079090000203";
    let code = printed(&w, &svc, "Trần Đổi Thẻ", number).await;
    let citizen = svc
        .dossier_file(&w.receptionist, code)
        .await
        .expect("file")
        .citizen
        .id;
    // The card the citizen held before (issued outside the workflow).
    let old = w
        .store
        .issue_card(citizen, date(2021, 6, 1), Some(date(2030, 5, 17)), None, T0)
        .await
        .expect("old card");
    assert_eq!(
        svc.card_status(&pid(number), None, client(2))
            .await
            .expect("status")
            .status,
        CardStanding::Valid,
        "the old card is still the one in use while the new one is printed"
    );
    hand_over(&w, &svc, code).await;
    let now = svc
        .card_status(&pid(number), None, client(2))
        .await
        .expect("status");
    assert_eq!(
        now,
        CardStatus {
            status: CardStanding::Valid,
            since: Some(date(2026, 11, 23))
        }
    );
    let before = svc
        .card_status(&pid(number), Some(date(2021, 6, 1)), client(2))
        .await
        .expect("status");
    assert_eq!(before.status, CardStanding::Replaced);
    let new = svc
        .dossier_card(&w.receptionist, code)
        .await
        .expect("read")
        .expect("card");
    assert_eq!(new.state, CardState::Active);
    let cards = w.store.cards_of(citizen).await.expect("cards");
    let old_now = cards.iter().find(|c| c.id == old.id).expect("old");
    assert_eq!(
        (old_now.state, old_now.replaced_by),
        (CardState::Replaced, Some(new.id))
    );
}

pub async fn a_card_reported_lost_is_lost_at_once(store: Store) {
    let (w, svc) = setup(store).await;
    let number = "079090000204";
    let c = add_citizen(&w.store, "Đỗ Mất Ví", number, T0).await;
    w.store
        .issue_card(c.id, date(2022, 3, 15), Some(date(2030, 5, 17)), None, T0)
        .await
        .expect("card");
    // Read once (a cache, if any, would now hold "valid").
    assert_eq!(
        svc.card_status(&pid(number), None, client(3))
            .await
            .expect("status")
            .status,
        CardStanding::Valid
    );
    // Who may: not the printer; a reason is required.
    let printer = svc
        .report_card_lost(&w.printer, &pid(number), None, "mất")
        .await;
    assert_eq!(
        printer.map_err(|e| e.class()).err(),
        Some(ErrorClass::Forbidden)
    );
    let blank = svc
        .report_card_lost(&w.receptionist, &pid(number), None, "   ")
        .await;
    assert_eq!(
        blank.map_err(|e| e.class()).err(),
        Some(ErrorClass::Invalid)
    );
    let unknown = svc
        .report_card_lost(&w.receptionist, &pid("079090000299"), None, "mất")
        .await;
    assert_eq!(
        unknown.map_err(|e| e.class()).err(),
        Some(ErrorClass::NotFound)
    );
    let out = svc
        .report_card_lost(&w.receptionist, &pid(number), None, "Mất ví ở bến xe")
        .await
        .expect("lost");
    let lost = CardStatus {
        status: CardStanding::Lost,
        since: Some(date(2026, 11, 23)),
    };
    assert_eq!(out, lost);
    assert_eq!(
        svc.card_status(&pid(number), None, client(3))
            .await
            .expect("status"),
        lost
    );
    // An administrator may too (the card is already lost: the same answer).
    assert_eq!(
        svc.report_card_lost(&w.admin, &pid(number), None, "báo lại")
            .await
            .expect("again"),
        lost
    );
}

pub async fn a_card_is_valid_through_its_expiry_then_must_be_renewed(store: Store) {
    let number = "079090000205";
    let (w, before) = setup_at(store.clone(), "2030-05-17T16:00:00Z").await;
    let c = add_citizen(&w.store, "Vũ Đến Hạn", number, T0).await;
    w.store
        .issue_card(c.id, date(2022, 3, 15), Some(date(2030, 5, 17)), None, T0)
        .await
        .expect("card");
    // 2030-05-17 23:00 in Vietnam: the last valid day.
    assert_eq!(
        before
            .card_status(&pid(number), None, client(4))
            .await
            .expect("status")
            .status,
        CardStanding::Valid
    );
    // One hour later it is 18 May in Vietnam.
    let after = Service::new(
        store,
        cancuoc_core::id::alloc::Allocator::new([9; 16]),
        cancuoc_service::fixed_clock("2030-05-17T17:00:00Z".parse().expect("instant")),
    )
    .await
    .expect("service");
    assert_eq!(
        after
            .card_status(&pid(number), None, client(4))
            .await
            .expect("status"),
        CardStatus {
            status: CardStanding::MustRenew,
            since: Some(date(2030, 5, 18))
        }
    );
}

pub async fn an_unknown_card_is_unknown_and_lookups_are_rated(store: Store) {
    let (_w, svc) = setup(store).await;
    let svc = svc.with_limits(Limits {
        lookups: Rate {
            burst: 2,
            refill_ms: 60_000,
        },
        ..Limits::default()
    });
    let unknown = pid("079090000206");
    for _ in 0..2 {
        assert_eq!(
            svc.card_status(&unknown, None, client(5))
                .await
                .expect("status"),
            CardStatus {
                status: CardStanding::Unknown,
                since: None
            }
        );
    }
    let third = svc.card_status(&unknown, None, client(5)).await;
    let e = third.expect_err("limited");
    assert_eq!(e.class(), ErrorClass::Limited);
    assert!(e.retry_after().is_some());
    // Another client has its own bucket.
    assert!(svc.card_status(&unknown, None, client(6)).await.is_ok());
}
