//! Golden and property tests of [`card_expiry`]: every renewal age, the
//! 2-year rule boundaries, both regimes and the 1 July 2024 switch, 29
//! February, incomplete dates of birth.

use super::*;
use crate::i18n::Localized;
use crate::person::PartialDate;
use jiff::civil::{Date, date};
use proptest::prelude::*;

fn dob(s: &str) -> PartialDate {
    s.parse().unwrap()
}

fn exp(d: &str, issued: Date) -> Result<Expiry, RulesError> {
    card_expiry(dob(d), issued).map(|e| e.value)
}

fn on(y: i16, m: i8, d: i8) -> Result<Expiry, RulesError> {
    Ok(Expiry::On(date(y, m, d)))
}

const NONE: Result<Expiry, RulesError> = Ok(Expiry::None);

#[test]
fn golden_full_dates_of_birth() {
    #[rustfmt::skip]
    let cases: &[(&str, Date, Result<Expiry, RulesError>)] = &[
        // CCCD regime: renewal at 25, 40, 60.
        ("2000-03-15", date(2016, 6, 1), on(2025, 3, 15)),
        ("2000-03-15", date(2023, 3, 14), on(2025, 3, 15)),   // day before 23rd birthday
        ("2000-03-15", date(2023, 3, 15), on(2040, 3, 15)),   // 23rd birthday: 2-year rule
        ("2000-03-15", date(2024, 6, 30), on(2040, 3, 15)),
        ("1990-05-10", date(2020, 1, 1), on(2030, 5, 10)),    // between 25 and 38
        ("1990-05-10", date(2028, 5, 9), on(2030, 5, 10)),    // Căn cước, day before 38
        ("1990-05-10", date(2028, 5, 10), on(2050, 5, 10)),   // 38th birthday: skip 40
        ("1985-05-10", date(2023, 5, 9), on(2025, 5, 10)),    // day before 38th birthday
        ("1985-05-10", date(2023, 5, 10), on(2045, 5, 10)),   // 38th birthday: skip 40
        ("1965-07-01", date(2023, 6, 30), on(2025, 7, 1)),    // day before 58th birthday
        ("1965-07-01", date(2023, 7, 1), NONE),               // 58th birthday: no expiry
        ("1960-01-01", date(2020, 1, 1), NONE),               // issued at 60
        ("1940-01-01", date(2016, 1, 1), NONE),               // issued at 76
        ("2010-06-30", date(2024, 6, 30), on(2035, 6, 30)),   // 14th birthday, last CCCD day
        ("2002-03-15", date(2025, 3, 14), on(2027, 3, 15)),   // Căn cước, day before 23
        ("2002-03-15", date(2025, 3, 15), on(2042, 3, 15)),   // 23rd birthday: skip 25
        ("2000-03-15", date(2025, 3, 14), on(2040, 3, 15)),   // day before 25: within 2 years
        ("2000-03-15", date(2025, 3, 15), on(2040, 3, 15)),   // on the 25th birthday
        // Căn cước regime: renewal at 14, 25, 40, 60; cards under 14.
        ("2015-09-01", date(2024, 7, 1), on(2029, 9, 1)),     // age 8 → 14
        ("2015-09-01", date(2027, 8, 31), on(2029, 9, 1)),    // day before 12th birthday
        ("2015-09-01", date(2027, 9, 1), on(2040, 9, 1)),     // 12th birthday: skip 14
        ("2024-07-02", date(2024, 7, 2), on(2038, 7, 2)),     // issued on the day of birth
        ("2010-07-01", date(2024, 7, 1), on(2035, 7, 1)),     // 14th birthday, first day
        ("1966-12-31", date(2024, 12, 30), on(2026, 12, 31)), // day before 58th birthday
        ("1966-12-31", date(2024, 12, 31), NONE),
        // 29 February: the age is reached on 28 February in common years.
        ("2000-02-29", date(2016, 3, 1), on(2025, 2, 28)),
        ("2000-02-29", date(2023, 2, 27), on(2025, 2, 28)),
        ("2000-02-29", date(2023, 2, 28), on(2040, 2, 29)),   // 23rd "birthday" → 40 (leap)
        ("2004-02-29", date(2024, 7, 1), on(2029, 2, 28)),
        ("1968-02-29", date(2026, 2, 27), on(2028, 2, 29)),   // day before 58 → at 60, leap
        ("1968-02-29", date(2026, 2, 28), NONE),
    ];
    for (d, issued, want) in cases {
        assert_eq!(&exp(d, *issued), want, "dob {d}, issued {issued}");
    }
}

#[test]
fn the_regime_switch_changes_the_outcome() {
    // Born 1 Jan 2011: 13 years old on both days. The CCCD regime has no card
    // under 14; the Căn cước regime issues one, and the 2-year rule before 14
    // carries it to 25.
    let e = exp("2011-01-01", date(2024, 6, 30)).unwrap_err();
    assert_eq!(e.code(), "rules.too_young");
    assert_eq!(exp("2011-01-01", date(2024, 7, 1)), on(2036, 1, 1));
    // A 12-year-old on the last CCCD day and the first Căn cước day.
    assert_eq!(
        exp("2013-03-01", date(2024, 6, 30)).unwrap_err().code(),
        "rules.too_young"
    );
    assert_eq!(exp("2013-03-01", date(2024, 7, 1)), on(2027, 3, 1));
    assert_eq!(Regime::on(date(2024, 6, 30)), Ok(Regime::Cccd2014));
    assert_eq!(Regime::on(date(2024, 7, 1)), Ok(Regime::CanCuoc2023));
    assert_eq!(Regime::on(date(2016, 1, 1)), Ok(Regime::Cccd2014));
    assert_eq!(
        Regime::on(date(2015, 12, 31)).unwrap_err().code(),
        "rules.before_regimes"
    );
}

#[test]
fn incomplete_dates_of_birth_take_the_latest_possible_expiry() {
    #[rustfmt::skip]
    let cases: &[(&str, Date, Result<Expiry, RulesError>)] = &[
        // Born on or before 1 June 2000 → 2-year rule → 40; latest such birthday.
        ("2000", date(2023, 6, 1), on(2040, 6, 1)),
        ("2000-06", date(2023, 6, 15), on(2040, 6, 15)),
        ("2000-07", date(2023, 6, 15), on(2025, 7, 31)),      // no birthday reaches 23
        ("1990", date(2020, 1, 1), on(2030, 12, 31)),
        ("1962", date(2020, 6, 1), NONE),                      // possibly 58 already
        ("1961-06", date(2019, 6, 1), NONE),
        ("2010", date(2024, 3, 1), on(2035, 3, 1)),            // only birthdays up to 1 Mar are 14
        ("2000-02", date(2016, 3, 1), on(2025, 2, 28)),        // 29 Feb 2000 → 28 Feb 2025
        ("2015", date(2024, 7, 1), on(2029, 12, 31)),
    ];
    for (d, issued, want) in cases {
        assert_eq!(&exp(d, *issued), want, "dob {d}, issued {issued}");
    }
    let e = card_expiry(dob("2000"), date(2023, 6, 1)).unwrap();
    assert!(e.explanation_en.contains("Incomplete date of birth"));
    assert!(e.explanation_vi.contains("01/06/2000"));
}

#[test]
fn errors_are_precise() {
    let e = exp("2011", date(2024, 3, 1)).unwrap_err();
    assert_eq!(e.code(), "rules.too_young");
    assert!(e.message_vi().contains("14"));
    let e = exp("2020-05-05", date(2020, 5, 4)).unwrap_err();
    assert_eq!(e.code(), "rules.issued_before_birth");
    assert!(e.message_en().contains("2020-05-04"));
    let e = exp("2021", date(2020, 5, 4)).unwrap_err();
    assert_eq!(e.code(), "rules.issued_before_birth");
    let e = exp("1990-01-01", date(2015, 12, 31)).unwrap_err();
    assert_eq!(e.code(), "rules.before_regimes");
    assert!(e.message_vi().contains("31/12/2015"));
    // Far dates do not panic.
    let e = card_expiry(dob("9999"), date(9999, 12, 31)).unwrap_err();
    assert_eq!(e.code(), "rules.date_out_of_range");
}

#[test]
fn explanations_name_the_law_and_the_reading() {
    let e = card_expiry(dob("2000-03-15"), date(2023, 3, 15)).unwrap();
    assert_eq!(e.basis[0].document, "Luật Căn cước công dân 59/2014/QH13");
    assert_eq!(e.basis[0].article, "Điều 21 khoản 1");
    assert_eq!(e.basis[1].article, "Điều 21 khoản 2");
    assert!(e.explanation_vi.contains("15/03/2040"));
    assert!(e.explanation_en.contains("within 2 years"));
    let e = card_expiry(dob("2000-02-29"), date(2016, 3, 1)).unwrap();
    assert!(e.explanation_en.contains("28 February"));
    let e = card_expiry(dob("2015-09-01"), date(2024, 7, 1)).unwrap();
    assert_eq!(e.basis[0].document, "Luật Căn cước 26/2023/QH15");
    assert_eq!(e.basis.len(), 2, "no 2-year rule, plus Decree 70/2024");
}

fn full_date() -> impl Strategy<Value = Date> {
    (1900i16..2030, 1i8..=12, 1i8..=31)
        .prop_filter_map("real date", |(y, m, d)| Date::new(y, m, d).ok())
}

fn issue_date() -> impl Strategy<Value = Date> {
    (2016i16..2060, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
}

proptest! {
    #[test]
    fn expiry_is_after_issue_and_on_a_renewal_birthday(b in full_date(), issued in issue_date()) {
        prop_assume!(b <= issued);
        match card_expiry(PartialDate::Full(b), issued) {
            Ok(e) => {
                if let Expiry::On(x) = e.value {
                    prop_assert!(x > issued);
                    let regime = Regime::on(issued).unwrap();
                    let ages = regime.renewal_ages().unwrap();
                    prop_assert!(ages.iter().any(|a| reach_age(b, *a).unwrap() == x));
                    // Never more than one renewal age plus the 2-year rule away.
                    prop_assert!(x <= reach_age(issued, 40).unwrap());
                }
            }
            Err(e) => {
                prop_assert_eq!(e.code(), "rules.too_young");
                prop_assert!(issued < date(2024, 7, 1));
                prop_assert!(reach_age(b, 14).unwrap() > issued);
            }
        }
    }

    #[test]
    fn later_issue_never_expires_earlier(b in full_date(), i1 in issue_date(), i2 in issue_date()) {
        let (i1, i2) = if i1 <= i2 { (i1, i2) } else { (i2, i1) };
        prop_assume!(b <= i1);
        if let (Ok(e1), Ok(e2)) = (card_expiry(PartialDate::Full(b), i1), card_expiry(PartialDate::Full(b), i2)) {
            prop_assert!(e1.value <= e2.value, "{:?} {:?}", e1.value, e2.value);
        }
    }

    #[test]
    fn a_partial_date_never_expires_before_any_birthday_it_covers(b in full_date(), issued in issue_date()) {
        prop_assume!(b <= issued);
        let month = PartialDate::YearMonth { year: b.year(), month: b.month() };
        let year = PartialDate::Year(b.year());
        if let Ok(full) = card_expiry(PartialDate::Full(b), issued) {
            let m = card_expiry(month, issued).unwrap();
            let y = card_expiry(year, issued).unwrap();
            prop_assert!(m.value >= full.value);
            prop_assert!(y.value >= m.value);
        }
    }

    #[test]
    fn the_direct_search_matches_every_birthday(
        y in 1900i16..2030, m in 0i8..=12, issued in issue_date(),
    ) {
        let dob = if m == 0 { PartialDate::Year(y) } else { PartialDate::YearMonth { year: y, month: m } };
        let fast = card_expiry(dob, issued).map(|e| e.value);
        let slow = super::expiry::expiry_brute_force(dob, issued);
        prop_assert_eq!(fast, slow.clone());
        prop_assert_eq!(super::expiry::expiry_date(dob, issued), slow);
    }

    #[test]
    fn no_input_panics(
        y in -9999i16..=9999, m in 1i8..=12, d in 1i8..=31,
        iy in -9999i16..=9999, im in 1i8..=12, id in 1i8..=28, k in 0usize..3,
    ) {
        let Ok(b) = Date::new(y, m, d) else { return Ok(()) };
        let issued = date(iy, im, id);
        let dob = [PartialDate::Full(b), PartialDate::YearMonth { year: y, month: m }, PartialDate::Year(y)][k];
        let _ = card_expiry(dob, issued);
        let _ = eligibility(dob, issued);
        let _ = fee(IssueKind::Renewal, Reason::Age, &[], issued, Channel::Online);
        let _ = fines_on(issued);
        let _ = deadlines(issued, Receiver::Office, crate::calendar::WorkingCalendar::official());
        let _ = classify(issued, Some(b), issued, crate::calendar::WorkingCalendar::official());
        let _ = document_status(Document::Cmnd { issued: b }, issued);
        let _ = document_status(Document::CanCuoc { issued: b, expiry: CardExpiry::FromBirth(dob) }, issued);
    }
}
