//! Tests of the capture record: legal order, missing fingers, portrait
//! rules, completeness and storage round trips.

use super::*;

/// A complete record: every finger captured except the given missing ones.
pub(crate) fn complete_with(missing: &[(CaptureSlot, MissingReason)]) -> CaptureRecord {
    let mut r = CaptureRecord::new();
    for slot in CaptureSlot::ALL {
        let outcome = missing
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or(SlotOutcome::Captured, |(_, m)| {
                SlotOutcome::Missing(m.clone())
            });
        r.record(slot, outcome).unwrap();
    }
    r.set_portrait(PortraitChecklist::COMPLIANT).unwrap();
    r.set_features(IdentifyingFeatures::parse("Nốt ruồi C:1cm trên trước mày trái").unwrap());
    r
}

#[test]
fn legal_order_is_flat_right_left_thumbs_then_rolled_right_then_left() {
    let codes: Vec<&str> = CaptureSlot::ALL.iter().map(|s| s.code()).collect();
    assert_eq!(
        codes,
        [
            "flat_right_four",
            "flat_left_four",
            "flat_thumbs",
            "rolled_right_thumb",
            "rolled_right_index",
            "rolled_right_middle",
            "rolled_right_ring",
            "rolled_right_little",
            "rolled_left_thumb",
            "rolled_left_index",
            "rolled_left_middle",
            "rolled_left_ring",
            "rolled_left_little",
        ]
    );
    for (i, s) in CaptureSlot::ALL.iter().enumerate() {
        assert_eq!(s.index(), i);
        assert_eq!(serde_json::to_value(s).unwrap(), s.code());
    }
}

#[test]
fn records_in_order_only() {
    let mut r = CaptureRecord::new();
    assert_eq!(r.next_slot(), Some(CaptureSlot::FlatRightFour));
    let err = r
        .record(CaptureSlot::FlatThumbs, SlotOutcome::Captured)
        .unwrap_err();
    assert_eq!(
        err,
        CaptureError::OutOfOrder {
            expected: Some(CaptureSlot::FlatRightFour),
            got: CaptureSlot::FlatThumbs
        }
    );
    assert!(err.message_vi().contains("bước 1/13"));
    let full = complete_with(&[]);
    assert!(full.is_complete());
    let mut full2 = full.clone();
    assert!(matches!(
        full2.record(CaptureSlot::RolledLeftLittle, SlotOutcome::Captured),
        Err(CaptureError::OutOfOrder { expected: None, .. })
    ));
    assert_eq!(full.fingerprints().count(), 13);
}

#[test]
fn missing_fingers_need_a_real_reason() {
    let mut r = CaptureRecord::new();
    for bad in ["", "   "] {
        assert_eq!(
            r.record(
                CaptureSlot::FlatRightFour,
                SlotOutcome::Missing(MissingReason::Other(bad.into()))
            ),
            Err(CaptureError::BlankOtherReason {
                slot: CaptureSlot::FlatRightFour
            })
        );
    }
    assert!(matches!(
        r.record(
            CaptureSlot::FlatRightFour,
            SlotOutcome::Missing(MissingReason::Other("x".repeat(201)))
        ),
        Err(CaptureError::ReasonTooLong { .. })
    ));
    r.record(
        CaptureSlot::FlatRightFour,
        SlotOutcome::Missing(MissingReason::Other("  bỏng nặng  ".into())),
    )
    .unwrap();
    assert_eq!(
        r.outcome(CaptureSlot::FlatRightFour),
        Some(&SlotOutcome::Missing(MissingReason::Other(
            "bỏng nặng".into()
        )))
    );
    // A record with missing fingers is complete when every slot has an outcome.
    let r = complete_with(&[
        (CaptureSlot::RolledLeftIndex, MissingReason::Injured),
        (CaptureSlot::RolledRightLittle, MissingReason::Unreadable),
    ]);
    assert!(r.is_complete());
}

#[test]
fn flat_impression_cannot_be_captured_when_all_its_fingers_are_amputated() {
    let mut r = CaptureRecord::new();
    r.record(CaptureSlot::FlatRightFour, SlotOutcome::Captured)
        .unwrap();
    r.record(CaptureSlot::FlatLeftFour, SlotOutcome::Captured)
        .unwrap();
    r.record(CaptureSlot::FlatThumbs, SlotOutcome::Captured)
        .unwrap();
    let amputated = SlotOutcome::Missing(MissingReason::Amputated);
    r.record(CaptureSlot::RolledRightThumb, amputated.clone())
        .unwrap();
    for s in &CaptureSlot::ALL[4..7] {
        r.record(*s, amputated.clone()).unwrap();
    }
    let err = r
        .record(CaptureSlot::RolledRightLittle, amputated.clone())
        .unwrap_err();
    assert_eq!(
        err,
        CaptureError::FlatCapturedButAmputated {
            flat: CaptureSlot::FlatRightFour,
            rolled: CaptureSlot::RolledRightLittle
        }
    );
    // The little finger captured is fine.
    r.record(CaptureSlot::RolledRightLittle, SlotOutcome::Captured)
        .unwrap();
    // Both thumbs amputated while the flat thumbs were "captured".
    assert!(matches!(
        r.record(CaptureSlot::RolledLeftThumb, amputated),
        Err(CaptureError::FlatCapturedButAmputated {
            flat: CaptureSlot::FlatThumbs,
            ..
        })
    ));
}

#[test]
fn portrait_table() {
    let ok = PortraitChecklist::COMPLIANT;
    let mut religious = ok;
    religious.head = HeadCovering::ReligiousOrEthnic;
    let mut religious_hiding_ears = religious;
    religious_hiding_ears.both_ears_visible = false;
    let mut hat = ok;
    hat.head = HeadCovering::Other;
    let mut many = ok;
    many.colour = false;
    many.white_background = false;
    many.no_glasses = false;
    let mut side = ok;
    side.frontal = false;
    side.face_visible = false;
    let table = [
        (ok, vec![]),
        (religious, vec![]),
        (religious_hiding_ears, vec![PortraitProblem::EarsHidden]),
        (hat, vec![PortraitProblem::HeadCovered]),
        (
            many,
            vec![
                PortraitProblem::NotColour,
                PortraitProblem::BackgroundNotWhite,
                PortraitProblem::Glasses,
            ],
        ),
        (
            side,
            vec![PortraitProblem::NotFrontal, PortraitProblem::FaceHidden],
        ),
    ];
    for (checklist, want) in table {
        assert_eq!(checklist.problems(), want, "{checklist:?}");
        let mut r = CaptureRecord::new();
        assert_eq!(r.set_portrait(checklist).is_ok(), want.is_empty());
        assert_eq!(r.portrait().is_some(), want.is_empty());
    }
    let e = hat.check().unwrap_err();
    assert!(e.message_vi().contains("khăn đội đầu"));
    assert!(e.message_en().contains("religious or ethnic"));
}

#[test]
fn features_and_incompleteness_are_reported_precisely() {
    assert_eq!(
        IdentifyingFeatures::parse(" \n"),
        Err(CaptureError::FeaturesBlank)
    );
    assert_eq!(
        IdentifyingFeatures::parse(&"a".repeat(201)),
        Err(CaptureError::FeaturesTooLong { len: 201 })
    );
    assert_eq!(
        IdentifyingFeatures::parse("  Sẹo chấm  ").unwrap().as_str(),
        "Sẹo chấm"
    );
    let mut r = CaptureRecord::new();
    r.record(CaptureSlot::FlatRightFour, SlotOutcome::Captured)
        .unwrap();
    let e = r.check_complete().unwrap_err();
    match &e {
        CaptureError::Incomplete {
            missing_slots,
            portrait_missing,
            features_missing,
        } => {
            assert_eq!(missing_slots.len(), 12);
            assert_eq!(missing_slots[0], CaptureSlot::FlatLeftFour);
            assert!(*portrait_missing && *features_missing);
        }
        other => panic!("{other:?}"),
    }
    assert!(e.message_vi().contains("còn 12 lượt vân tay"));
    assert!(e.message_en().contains("12 fingerprint slots"));
    assert!(!r.is_complete());
}

#[test]
fn serde_round_trip_rechecks_the_record() {
    let r = complete_with(&[(
        CaptureSlot::RolledLeftRing,
        MissingReason::Other("băng bột".into()),
    )]);
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("\"other\":\"băng bột\""), "{json}");
    let back: CaptureRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    // A stored record with a bad portrait or too many slots is refused.
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["portrait"]["no_glasses"] = false.into();
    let e = serde_json::from_value::<CaptureRecord>(v).unwrap_err();
    assert!(e.to_string().contains("glasses"), "{e}");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["fingerprints"]
        .as_array_mut()
        .unwrap()
        .push("captured".into());
    let e = serde_json::from_value::<CaptureRecord>(v).unwrap_err();
    assert!(e.to_string().contains("14"), "{e}");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["features"] = "  ".into();
    let e = serde_json::from_value::<CaptureRecord>(v).unwrap_err();
    assert!(e.to_string().contains("not described"), "{e}");
}
