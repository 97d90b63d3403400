//! The dossier API as the store and server will use it, from outside the
//! crate: a walk-in dossier from reception to hand-over through the public
//! API only, and the JSON shapes the REST API will emit (snake_case codes,
//! bilingual error bodies).

use cancuoc_core::dossier::capture::{
    CaptureRecord, CaptureSlot, HeadCovering, IdentifyingFeatures, MissingReason,
    PortraitChecklist, SlotOutcome,
};
use cancuoc_core::dossier::code::{DossierCode, DossierCodeError};
use cancuoc_core::dossier::workflow::{
    Actor, ActorScope, DossierEvent, DossierLog, OldDocument, Role, Scope, State, TRANSITIONS,
    TransitionInput, WorkflowError, next_states, replay,
};
use cancuoc_core::i18n::{ErrorBody, Localized};
use jiff::Timestamp;
use jiff::civil::date;
use serde_json::json;

fn at(minutes: i64) -> Timestamp {
    Timestamp::from_second(1_763_704_800 + 60 * minutes).unwrap()
}

/// A complete synthetic capture: left ring finger bandaged, portrait with an
/// ethnic head covering that leaves face and ears visible.
fn capture() -> CaptureRecord {
    let mut r = CaptureRecord::new();
    while let Some(slot) = r.next_slot() {
        let outcome = if slot == CaptureSlot::RolledLeftRing {
            SlotOutcome::Missing(MissingReason::Injured)
        } else {
            SlotOutcome::Captured
        };
        r.record(slot, outcome).unwrap();
    }
    let mut portrait = PortraitChecklist::COMPLIANT;
    portrait.head = HeadCovering::ReligiousOrEthnic;
    r.set_portrait(portrait).unwrap();
    r.set_features(IdentifyingFeatures::parse("Sẹo chấm C:2cm dưới sau đuôi mắt phải").unwrap());
    r
}

#[test]
fn walk_in_dossier_from_reception_to_hand_over() {
    let office = ActorScope::of(Scope::ReceivingOffice);
    let centre = ActorScope::of(Scope::Centre);
    let desk = Actor::new("can-bo-tiep-nhan-01", Role::Receptionist);
    let cap = capture();
    let code = DossierCode::new(4217, date(2026, 11, 21), 30_518).unwrap();
    assert_eq!(DossierCode::parse(&code.grouped()), Ok(code));

    let mut log = DossierLog::start(
        State::Received,
        desk.clone(),
        office,
        at(0),
        Some("Không đặt lịch"),
    )
    .unwrap();
    assert_eq!(
        next_states(log.state(), Role::Receptionist),
        vec![State::Refused, State::Captured]
    );
    let none = TransitionInput::default();
    let steps = [
        (
            State::Captured,
            desk.clone(),
            office,
            TransitionInput {
                capture: Some(&cap),
                ..none
            },
        ),
        (State::SlipIssued, desk.clone(), office, none),
        (
            State::SentToCentre,
            desk.clone(),
            office,
            TransitionInput {
                population_data_changed: Some(false),
                ..none
            },
        ),
        (
            State::Approved,
            Actor::new("lanh-dao-02", Role::Approver),
            centre,
            none,
        ),
        (
            State::Printed,
            Actor::new("in-the-03", Role::Printer),
            centre,
            none,
        ),
        (
            State::Dispatched,
            Actor::new("chuyen-phat-04", Role::Dispatcher),
            centre,
            none,
        ),
        (
            State::ReadyForPickup,
            Actor::new("tra-the-05", Role::ReturnOfficer),
            office,
            none,
        ),
        (
            State::Returned,
            Actor::new("tra-the-05", Role::ReturnOfficer),
            office,
            TransitionInput {
                old_document: Some(OldDocument::Collected),
                ..none
            },
        ),
    ];
    for (i, (to, actor, scope, input)) in steps.into_iter().enumerate() {
        let event = log
            .apply(to, actor, scope, &input, at(i as i64 + 1))
            .unwrap();
        assert_eq!(event.to, to);
    }
    assert_eq!(log.state(), State::Returned);
    assert!(log.state().is_terminal());
    assert_eq!(replay(log.events()), Ok(State::Returned));

    // The event log as the store and API will carry it.
    let first = serde_json::to_value(&log.events()[0]).unwrap();
    assert_eq!(
        first,
        json!({
            "seq": 1,
            "at": "2025-11-21T06:00:00Z",
            "actor": {"id": "can-bo-tiep-nhan-01", "role": "receptionist"},
            "from": null,
            "to": "received",
            "note": "Không đặt lịch",
        })
    );
    let stored = serde_json::to_string(log.events()).unwrap();
    let back: Vec<DossierEvent> = serde_json::from_str(&stored).unwrap();
    assert_eq!(DossierLog::from_events(back).unwrap(), log);
}

#[test]
fn json_shapes_for_the_api() {
    assert_eq!(
        serde_json::to_value(State::SentToCentre).unwrap(),
        "sent_to_centre"
    );
    assert_eq!(
        serde_json::to_value(Role::ReturnOfficer).unwrap(),
        "return_officer"
    );
    assert_eq!(
        serde_json::from_value::<State>(json!("ready_for_pickup")).unwrap(),
        State::ReadyForPickup
    );
    let e = serde_json::from_value::<State>(json!("ReadyForPickup")).unwrap_err();
    assert!(e.to_string().contains("unknown variant"), "{e}");

    let row = TRANSITIONS
        .iter()
        .find(|t| t.from == State::SentToCentre && t.role == Role::Processor)
        .unwrap();
    assert_eq!(
        serde_json::to_value(row).unwrap(),
        json!({"from": "sent_to_centre", "to": "rejected", "role": "processor",
               "scope": "centre", "requires": ["reason"]})
    );

    let code = DossierCode::new(790, date(2025, 11, 21), 48_213).unwrap();
    assert_eq!(serde_json::to_value(code).unwrap(), json!(code.to_string()));
    let typo = {
        let mut s = code.to_string().into_bytes();
        s.swap(5, 6);
        String::from_utf8(s).unwrap()
    };
    let err = DossierCode::parse(&typo).unwrap_err();
    assert_eq!(err, DossierCodeError::BadCheckDigit);
    let body = serde_json::to_value(ErrorBody::of(&err)).unwrap();
    assert_eq!(body["code"], "dossier_code.bad_check_digit");
    assert!(body["message_vi"].as_str().unwrap().contains("giấy hẹn"));
    assert!(body["message_en"].as_str().unwrap().contains("slip"));

    let err = WorkflowError::ReasonRequired { to: State::Refused };
    let body = serde_json::to_value(ErrorBody::of(&err)).unwrap();
    assert_eq!(
        body,
        json!({
            "code": "workflow.reason_required",
            "message_vi": "Phải ghi rõ lý do khi chuyển hồ sơ sang \"Từ chối tiếp nhận\"",
            "message_en": "A reason is required to move the dossier to \"Refused at reception\"",
        })
    );
    assert_eq!(err.code(), "workflow.reason_required");

    let cap = serde_json::to_value(capture()).unwrap();
    assert_eq!(cap["fingerprints"].as_array().unwrap().len(), 13);
    assert_eq!(cap["fingerprints"][11], json!({"missing": "injured"}));
    assert_eq!(cap["portrait"]["head"], "religious_or_ethnic");
}
