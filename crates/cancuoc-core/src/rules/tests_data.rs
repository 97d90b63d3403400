//! The embedded rule data loads, is consistent, and covers every day it
//! should; codes round-trip.

use super::data::data;
use super::status::DocumentType;
use super::*;
use crate::i18n::Localized;
use jiff::civil::date;

#[test]
fn embedded_data_loads_and_is_consistent() {
    let d = data().unwrap_or_else(|e| panic!("{}", e.message_en()));
    assert_eq!(d.regimes.len(), 2);
    assert_eq!(d.fees.table.len(), 3);
    assert_eq!(d.fines.len(), 2);
}

#[test]
fn every_day_has_a_regime_a_fee_table_and_fines() {
    let mut day = date(2022, 1, 1);
    while day <= date(2030, 12, 31) {
        assert!(Regime::on(day).is_ok(), "{day}");
        assert!(
            fee(
                IssueKind::First,
                Reason::FirstIssue,
                &[],
                day,
                Channel::InPerson
            )
            .is_ok(),
            "{day}"
        );
        assert!(fines_on(day).is_ok(), "{day}");
        day = day.tomorrow().unwrap();
    }
}

#[test]
fn fines_switch_decree_on_15_december_2025() {
    let old = fines_on(date(2025, 12, 14)).unwrap();
    let new = fines_on(date(2025, 12, 15)).unwrap();
    assert_eq!(old.value.decree_id, "nd144-2021");
    assert_eq!(new.value.decree_id, "nd282-2025");
    assert_eq!(old.basis[0].article, "Điều 10");
    assert_eq!(new.basis[0].article, "Điều 11");
    let not_showing = &old.value.fines[0];
    assert_eq!(
        (
            not_showing.min_vnd,
            not_showing.max_vnd,
            not_showing.warning
        ),
        (300_000, 500_000, true)
    );
    assert_eq!(
        not_showing.sanction_vi(),
        "Cảnh cáo hoặc phạt tiền 300.000–500.000 đồng"
    );
    assert_eq!(
        new.value.fines[0].sanction_en(),
        "Warning or a fine of 500,000–1,000,000 VND"
    );
    assert_eq!(old.value.fines.len(), 13);
    assert!(old.value.fines.iter().all(|f| f.max_vnd <= 6_000_000));
    assert!(new.value.fines.iter().any(|f| f.max_vnd == 10_000_000));
    assert_eq!(
        fines_on(date(2021, 12, 31)).unwrap_err().code(),
        "rules.no_fines"
    );
    assert_eq!(all_fines().unwrap().len(), 2);
}

#[test]
fn codes_round_trip_and_unknown_codes_list_the_valid_ones() {
    fn check<T: Copy + std::fmt::Debug + PartialEq>(
        all: &[T],
        codes: &[&str],
        code: fn(T) -> &'static str,
        parse: fn(&str) -> Result<T, RulesError>,
    ) {
        assert_eq!(all.len(), codes.len());
        for (v, c) in all.iter().zip(codes) {
            assert_eq!(code(*v), *c);
            assert_eq!(parse(c).unwrap(), *v);
        }
        let mut sorted = codes.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len(), "duplicate code");
        let e = parse("nope").unwrap_err();
        assert_eq!(e.code(), "rules.unknown_code");
        for c in codes {
            assert!(e.message_vi().contains(c) && e.message_en().contains(c));
        }
    }
    check(
        IssueKind::ALL,
        IssueKind::CODES,
        IssueKind::code,
        IssueKind::parse,
    );
    check(Reason::ALL, Reason::CODES, Reason::code, Reason::parse);
    check(
        Exemption::ALL,
        Exemption::CODES,
        Exemption::code,
        Exemption::parse,
    );
    check(Channel::ALL, Channel::CODES, Channel::code, Channel::parse);
    check(
        Receiver::ALL,
        Receiver::CODES,
        Receiver::code,
        Receiver::parse,
    );
    check(Stage::ALL, Stage::CODES, Stage::code, Stage::parse);
    check(
        DocumentType::ALL,
        DocumentType::CODES,
        DocumentType::code,
        DocumentType::parse,
    );
    assert_eq!(
        Reason::CODES,
        [
            "first-issue",
            "age",
            "damaged",
            "name-change",
            "features-change",
            "gender-redetermined",
            "origin-redetermined",
            "card-error",
            "agency-error",
            "on-request",
            "cmnd-conversion",
            "boundary-change",
            "lost",
            "nationality-regained",
        ]
    );
}

#[test]
fn reasons_per_kind_and_regime() {
    use IssueKind::*;
    use Reason::*;
    for regime in Regime::ALL {
        assert_eq!(reasons_for(First, *regime), [FirstIssue]);
    }
    assert_eq!(
        reasons_for(Reissue, Regime::Cccd2014),
        [Lost, NationalityRegained]
    );
    assert_eq!(
        reasons_for(Reissue, Regime::CanCuoc2023),
        [Damaged, Lost, NationalityRegained]
    );
    assert_eq!(reasons_for(Renewal, Regime::Cccd2014).len(), 11);
    let (_, b) = kind_for(Damaged, Regime::CanCuoc2023);
    assert_eq!(b.article, "Điều 24 khoản 2 điểm a");
    let e = check_kind(Renewal, Lost, Regime::Cccd2014).unwrap_err();
    assert_eq!(e.code(), "rules.reason_not_for_kind");
    assert!(e.message_vi().contains("cấp lại thẻ"));
}

#[test]
fn every_error_has_two_messages() {
    let errs = [
        RulesError::NoFeeTable {
            date: date(2019, 1, 1),
        },
        RulesError::DateOverflow { what: "age" },
        RulesError::Data {
            file: "fees.toml",
            message: "x".into(),
        },
        RulesError::BeforeIssue {
            issued: date(2020, 1, 2),
            on: date(2020, 1, 1),
        },
    ];
    for e in errs {
        assert!(e.code().starts_with("rules."));
        assert!(!e.message_vi().is_empty());
        assert!(!e.message_en().chars().next().unwrap().is_lowercase());
        assert_ne!(e.message_vi(), e.message_en());
    }
}
