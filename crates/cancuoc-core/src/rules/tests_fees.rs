//! Golden tests of [`fee`]: every reason under each table, exemptions, the
//! 2024–2025 reductions by date range and channel, and errors.

use super::*;
use crate::i18n::Localized;
use jiff::civil::{Date, date};
use proptest::prelude::*;

use Channel::{InPerson, Online};
use IssueKind::{First, Reissue, Renewal};

fn amount(kind: IssueKind, reason: Reason, ex: &[Exemption], d: Date, ch: Channel) -> u32 {
    fee(kind, reason, ex, d, ch)
        .unwrap_or_else(|e| panic!("{kind} {reason} {d}: {e}"))
        .value
        .amount_vnd
}

fn rule(kind: IssueKind, reason: Reason, ex: &[Exemption], d: Date, ch: Channel) -> String {
    fee(kind, reason, ex, d, ch).unwrap().value.rule_id
}

#[test]
fn circular_59_2019_every_reason() {
    use Reason::*;
    let d = date(2023, 5, 10);
    #[rustfmt::skip]
    let cases = [
        (First, FirstIssue, 0, "tt59-2019:free"),
        (Renewal, Age, 0, "tt59-2019:free"),
        (Renewal, CmndConversion, 30_000, "tt59-2019:rate"),
        (Renewal, Damaged, 50_000, "tt59-2019:rate"),
        (Renewal, NameChange, 50_000, "tt59-2019:rate"),
        (Renewal, FeaturesChange, 50_000, "tt59-2019:rate"),
        (Renewal, GenderRedetermined, 50_000, "tt59-2019:rate"),
        (Renewal, OriginRedetermined, 50_000, "tt59-2019:rate"),
        (Renewal, CardError, 50_000, "tt59-2019:rate"),
        (Renewal, AgencyError, 0, "tt59-2019:free"),
        (Renewal, OnRequest, 50_000, "tt59-2019:rate"),
        (Renewal, BoundaryChange, 0, "tt59-2019:free"),
        (Reissue, Lost, 70_000, "tt59-2019:rate"),
        (Reissue, NationalityRegained, 70_000, "tt59-2019:rate"),
    ];
    assert_eq!(cases.len(), Reason::ALL.len());
    for (kind, reason, want, id) in cases {
        for ch in [InPerson, Online] {
            let f = fee(kind, reason, &[], d, ch).unwrap();
            assert_eq!(f.value.amount_vnd, want, "{reason} {ch}");
            assert_eq!(f.value.rule_id, id, "{reason}");
            assert_eq!(f.value.regime, Regime::Cccd2014);
            assert!(
                f.basis
                    .iter()
                    .any(|b| b.document.contains("59/2014") || b.document.contains("59/2019"))
            );
        }
    }
}

#[test]
fn circular_73_2024_every_reason() {
    use Reason::*;
    let d = date(2026, 3, 2);
    #[rustfmt::skip]
    let cases = [
        (First, FirstIssue, 0),
        (Renewal, Age, 0),
        (Renewal, CmndConversion, 30_000),
        (Reissue, Damaged, 70_000),          // Law 26/2023: damaged is a re-issue
        (Renewal, NameChange, 50_000),
        (Renewal, FeaturesChange, 50_000),
        (Renewal, GenderRedetermined, 50_000),
        (Renewal, OriginRedetermined, 50_000),
        (Renewal, CardError, 50_000),
        (Renewal, AgencyError, 0),
        (Renewal, OnRequest, 50_000),
        (Renewal, BoundaryChange, 0),
        (Reissue, Lost, 70_000),
        (Reissue, NationalityRegained, 70_000),
    ];
    for (kind, reason, want) in cases {
        assert_eq!(amount(kind, reason, &[], d, InPerson), want, "{reason}");
        assert_eq!(
            amount(kind, reason, &[], d, Online),
            want,
            "{reason} online"
        );
    }
}

#[test]
fn reductions_by_date_and_channel() {
    let k = Renewal;
    let r = Reason::OnRequest;
    #[rustfmt::skip]
    let cases = [
        // Interim: Circular 59/2019 levels, no reduction.
        (date(2024, 7, 1), InPerson, 50_000, "tt59-2019-interim:rate"),
        (date(2024, 10, 20), Online, 50_000, "tt59-2019-interim:rate"),
        // Circular 73/2024: 50% for everyone to the end of 2024.
        (date(2024, 10, 21), InPerson, 25_000, "tt73-2024-launch-50"),
        (date(2024, 12, 31), Online, 25_000, "tt73-2024-launch-50"),
        // 2025: online 50% all year; in person full price until June.
        (date(2025, 1, 1), InPerson, 50_000, "tt73-2024:rate"),
        (date(2025, 1, 1), Online, 25_000, "tt73-2024-online-50"),
        (date(2025, 6, 30), InPerson, 50_000, "tt73-2024:rate"),
        // Circular 64/2025: 50% for everyone 1 Jul – 31 Dec 2025 (no stacking).
        (date(2025, 7, 1), InPerson, 25_000, "tt64-2025-50"),
        (date(2025, 7, 1), Online, 25_000, "tt73-2024-online-50"),
        (date(2025, 12, 31), InPerson, 25_000, "tt64-2025-50"),
        // 2026: full price on every channel.
        (date(2026, 1, 1), InPerson, 50_000, "tt73-2024:rate"),
        (date(2026, 1, 1), Online, 50_000, "tt73-2024:rate"),
    ];
    for (d, ch, want, id) in cases {
        let f = fee(k, r, &[], d, ch).unwrap();
        assert_eq!(f.value.amount_vnd, want, "{d} {ch}");
        assert_eq!(f.value.rule_id, id, "{d} {ch}");
        assert_eq!(f.value.base_amount_vnd, 50_000);
    }
    // The reductions halve every priced reason.
    assert_eq!(
        amount(Reissue, Reason::Lost, &[], date(2024, 11, 1), InPerson),
        35_000
    );
    assert_eq!(
        amount(
            Renewal,
            Reason::CmndConversion,
            &[],
            date(2025, 3, 1),
            Online
        ),
        15_000
    );
    assert_eq!(
        amount(Reissue, Reason::Damaged, &[], date(2024, 8, 1), InPerson),
        50_000
    );
    let f = fee(k, r, &[], date(2024, 8, 1), InPerson).unwrap();
    assert!(f.value.interim);
    assert!(f.explanation_en.contains("reference"));
    let f = fee(k, r, &[], date(2025, 1, 1), Online).unwrap();
    assert_eq!(f.basis[0].document, "Thông tư 73/2024/TT-BTC");
    assert_eq!(f.basis[0].article, "Điều 4 khoản 2");
    assert!(f.explanation_vi.contains("25.000 đồng"));
    assert!(f.explanation_en.contains("25,000 VND"));
}

#[test]
fn exemptions_per_table() {
    let old = date(2023, 5, 10);
    let new = date(2026, 1, 5);
    for e in Exemption::ALL {
        let in_2019_list = !matches!(
            e,
            Exemption::Child | Exemption::Elderly | Exemption::Disabled
        );
        let want_old = if in_2019_list { 0 } else { 50_000 };
        assert_eq!(
            amount(Renewal, Reason::OnRequest, &[*e], old, InPerson),
            want_old,
            "{e}"
        );
        assert_eq!(
            amount(Reissue, Reason::Lost, &[*e], new, InPerson),
            0,
            "{e}"
        );
        // Circular 59/2019 exempts renewal and re-issue, not the CMND conversion.
        assert_eq!(
            amount(Renewal, Reason::CmndConversion, &[*e], old, InPerson),
            30_000,
            "{e}"
        );
        assert_eq!(
            amount(Renewal, Reason::CmndConversion, &[*e], new, InPerson),
            0,
            "{e}"
        );
    }
    let f = fee(
        Renewal,
        Reason::Damaged,
        &[Exemption::PoorHousehold],
        old,
        InPerson,
    )
    .unwrap();
    assert_eq!(f.value.rule_id, "tt59-2019:exempt");
    assert_eq!(f.value.exemption, Some(Exemption::PoorHousehold));
    assert_eq!(f.basis[0].article, "Điều 5 khoản 1 điểm b");
    let f = fee(Reissue, Reason::Lost, &[Exemption::Orphan], old, InPerson).unwrap();
    assert_eq!(f.basis[0].article, "Điều 5 khoản 1 điểm c");
    // A non-applicable claim is named; the first applicable one wins.
    let f = fee(
        Renewal,
        Reason::OnRequest,
        &[Exemption::Elderly],
        old,
        InPerson,
    )
    .unwrap();
    assert!(
        f.explanation_en.contains("not listed"),
        "{}",
        f.explanation_en
    );
    let f = fee(
        Renewal,
        Reason::CmndConversion,
        &[Exemption::Orphan],
        old,
        InPerson,
    )
    .unwrap();
    assert!(
        f.explanation_en.contains("not this reason"),
        "{}",
        f.explanation_en
    );
    let f = fee(
        Renewal,
        Reason::OnRequest,
        &[Exemption::Elderly, Exemption::BorderCommune],
        old,
        InPerson,
    )
    .unwrap();
    assert_eq!(f.value.exemption, Some(Exemption::BorderCommune));
    // Exemption beats a reduction; free beats both.
    let f = fee(
        Renewal,
        Reason::OnRequest,
        &[Exemption::Disabled],
        date(2024, 11, 1),
        Online,
    )
    .unwrap();
    assert_eq!(
        (f.value.amount_vnd, f.value.rule_id.as_str()),
        (0, "tt73-2024:exempt")
    );
    let f = fee(Renewal, Reason::Age, &[Exemption::Disabled], new, Online).unwrap();
    assert_eq!((f.value.amount_vnd, f.value.exemption), (0, None));
}

#[test]
fn kind_mismatch_and_dates_without_a_table() {
    let e = fee(Reissue, Reason::Damaged, &[], date(2023, 1, 2), InPerson).unwrap_err();
    assert_eq!(e.code(), "rules.reason_not_for_kind");
    assert!(e.message_en().contains("renewal"), "{}", e.message_en());
    assert!(
        e.message_vi().contains("Điều 23 khoản 1"),
        "{}",
        e.message_vi()
    );
    let e = fee(Renewal, Reason::Damaged, &[], date(2025, 1, 2), InPerson).unwrap_err();
    assert!(
        e.message_en().contains("Điều 24 khoản 2"),
        "{}",
        e.message_en()
    );
    assert_eq!(
        fee(First, Reason::Lost, &[], date(2025, 1, 2), InPerson)
            .unwrap_err()
            .code(),
        "rules.reason_not_for_kind"
    );
    assert_eq!(
        fee(First, Reason::FirstIssue, &[], date(2019, 10, 13), InPerson)
            .unwrap_err()
            .code(),
        "rules.no_fee_table"
    );
    assert_eq!(
        fee(First, Reason::FirstIssue, &[], date(2015, 1, 1), InPerson)
            .unwrap_err()
            .code(),
        "rules.before_regimes"
    );
    assert_eq!(
        rule(First, Reason::FirstIssue, &[], date(2019, 10, 14), InPerson),
        "tt59-2019:free"
    );
}

proptest! {
    #[test]
    fn the_amount_is_free_full_or_halved(
        r in 0usize..14, e in proptest::option::of(0usize..12),
        days in 0i64..(365 * 12), online in any::<bool>(),
    ) {
        let reason = Reason::ALL[r];
        let d = date(2019, 10, 14).checked_add(jiff::Span::new().days(days)).unwrap();
        let regime = Regime::on(d).unwrap();
        let (kind, _) = kind_for(reason, regime);
        let ex: Vec<Exemption> = e.map(|i| Exemption::ALL[i]).into_iter().collect();
        let ch = if online { Online } else { InPerson };
        let f = fee(kind, reason, &ex, d, ch).unwrap().value;
        prop_assert!(
            f.amount_vnd == 0 || f.amount_vnd == f.base_amount_vnd || f.amount_vnd * 2 == f.base_amount_vnd,
            "{:?}", f
        );
        prop_assert!([0, 30_000, 50_000, 70_000].contains(&f.base_amount_vnd));
        // Every other kind is refused.
        for other in IssueKind::ALL.iter().filter(|k| **k != kind) {
            let e = fee(*other, reason, &ex, d, ch).unwrap_err();
            prop_assert!(matches!(e, RulesError::ReasonNotForKind { .. }), "{:?}", e);
        }
    }
}
