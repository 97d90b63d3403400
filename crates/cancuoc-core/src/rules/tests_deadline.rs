//! Golden and property tests of [`deadlines`] and [`classify`] across
//! weekends, Tết and the 1 July 2024 regime switch (official calendar).

use super::*;
use crate::calendar::WorkingCalendar;
use crate::i18n::Localized;
use jiff::civil::{Date, date};
use proptest::prelude::*;

fn cal() -> &'static WorkingCalendar {
    WorkingCalendar::official()
}

/// (commune verification, then each stage) due dates and the promised date.
fn dues(received: Date, by: Receiver) -> (Vec<(Stage, Date)>, Date) {
    let d = deadlines(received, by, cal()).unwrap().value;
    (
        d.stages.iter().map(|s| (s.stage, s.due)).collect(),
        d.promised_date,
    )
}

use Stage::*;

#[test]
fn office_dossiers_over_weekends_and_tet() {
    type Case<'a> = (Date, &'a [(Stage, Date)], Date);
    #[rustfmt::skip]
    let cases: &[Case] = &[
        // Friday, no holidays: Căn cước regime, cap 7.
        (date(2025, 3, 7), &[
            (CommuneVerification, date(2025, 3, 10)), (TransferToNpd, date(2025, 3, 11)),
            (CentralProcessing, date(2025, 3, 14)), (Dispatch, date(2025, 3, 18)),
        ], date(2025, 3, 18)),
        // CCCD regime, cap 8.
        (date(2023, 3, 3), &[
            (CommuneVerification, date(2023, 3, 6)), (TransferToNpd, date(2023, 3, 7)),
            (CentralProcessing, date(2023, 3, 10)), (Dispatch, date(2023, 3, 14)),
        ], date(2023, 3, 15)),
        // The day before Tết 2024 (official days off 8–14 February).
        (date(2024, 2, 7), &[
            (CommuneVerification, date(2024, 2, 15)), (TransferToNpd, date(2024, 2, 16)),
            (CentralProcessing, date(2024, 2, 21)), (Dispatch, date(2024, 2, 23)),
        ], date(2024, 2, 26)),
        // Thursday before Tết 2026 (days off 14–22 February).
        (date(2026, 2, 12), &[
            (CommuneVerification, date(2026, 2, 13)), (TransferToNpd, date(2026, 2, 23)),
            (CentralProcessing, date(2026, 2, 26)), (Dispatch, date(2026, 3, 2)),
        ], date(2026, 3, 2)),
        // Hùng Kings (Sunday 26/4 → Monday 27/4), 30/4 and 1/5 in 2026.
        (date(2026, 4, 24), &[
            (CommuneVerification, date(2026, 4, 28)), (TransferToNpd, date(2026, 4, 29)),
            (CentralProcessing, date(2026, 5, 6)), (Dispatch, date(2026, 5, 8)),
        ], date(2026, 5, 8)),
    ];
    for (received, stages, promised) in cases {
        let (got, p) = dues(*received, Receiver::Office);
        assert_eq!(&got, stages, "received {received}");
        assert_eq!(p, *promised, "received {received}");
    }
}

#[test]
fn npd_centre_dossiers_skip_the_transfer() {
    let (got, p) = dues(date(2026, 2, 12), Receiver::NpdCentre);
    assert_eq!(
        got,
        [
            (CommuneVerification, date(2026, 2, 13)),
            (CentralProcessing, date(2026, 2, 25)),
            (Dispatch, date(2026, 2, 27)),
        ]
    );
    assert_eq!(p, date(2026, 3, 2));
}

#[test]
fn the_cap_follows_the_regime_of_the_reception_date() {
    let old = deadlines(date(2024, 6, 28), Receiver::Office, cal()).unwrap();
    let new = deadlines(date(2024, 7, 1), Receiver::Office, cal()).unwrap();
    assert_eq!(
        (old.value.regime, old.value.cap_working_days),
        (Regime::Cccd2014, 8)
    );
    assert_eq!(
        (new.value.regime, new.value.cap_working_days),
        (Regime::CanCuoc2023, 7)
    );
    assert_eq!(old.basis[0].document, "Thông tư 60/2021/TT-BCA");
    assert_eq!(new.basis[0].document, "Luật Căn cước 26/2023/QH15");
    assert_eq!(new.basis[0].article, "Điều 26");
    assert!(new.explanation_vi.contains("7 ngày làm việc"));
    let e = deadlines(date(2015, 6, 1), Receiver::Office, cal()).unwrap_err();
    assert_eq!(e.code(), "rules.before_regimes");
    let e = deadlines(date(2199, 12, 30), Receiver::Office, cal()).unwrap_err();
    assert!(e.code().starts_with("calendar."), "{}", e.code());
}

#[test]
fn old_number_confirmation_takes_seven_working_days() {
    let c = cmnd_number_confirmation(date(2026, 2, 12), cal()).unwrap();
    assert_eq!(c.value, date(2026, 3, 2));
    assert_eq!(c.basis[0].article, "Điều 12");
}

#[test]
fn classification_golden() {
    let p = date(2025, 3, 18); // Tuesday
    #[rustfmt::skip]
    let cases = [
        (Some(date(2025, 3, 17)), date(2025, 3, 20), Timeliness::OnTime { finished: date(2025, 3, 17), working_days_early: 1 }),
        (Some(p), p, Timeliness::OnTime { finished: p, working_days_early: 0 }),
        (Some(date(2025, 3, 19)), date(2025, 3, 25), Timeliness::Late { finished: Some(date(2025, 3, 19)), working_days_late: 1, calendar_days_late: 1 }),
        (Some(date(2025, 3, 23)), date(2025, 3, 25), Timeliness::Late { finished: Some(date(2025, 3, 23)), working_days_late: 3, calendar_days_late: 5 }),
        (None, date(2025, 3, 20), Timeliness::Late { finished: None, working_days_late: 2, calendar_days_late: 2 }),
        (None, date(2025, 3, 17), Timeliness::AtRisk { working_days_left: 1 }),
        (None, p, Timeliness::AtRisk { working_days_left: 0 }),
        (None, date(2025, 3, 14), Timeliness::Running { working_days_left: 2 }),
        (None, date(2025, 3, 10), Timeliness::Running { working_days_left: 6 }),
    ];
    for (finished, today, want) in cases {
        assert_eq!(
            classify(p, finished, today, cal()).unwrap(),
            want,
            "{finished:?} {today}"
        );
    }
    assert_eq!(
        classify_with(p, None, date(2025, 3, 14), 3, cal()).unwrap(),
        Timeliness::AtRisk {
            working_days_left: 2
        }
    );
    // Late across Tết 2026: promised Friday 13/2, finished Monday 23/2.
    assert_eq!(
        classify(
            date(2026, 2, 13),
            Some(date(2026, 2, 23)),
            date(2026, 2, 23),
            cal()
        )
        .unwrap(),
        Timeliness::Late {
            finished: Some(date(2026, 2, 23)),
            working_days_late: 1,
            calendar_days_late: 10
        }
    );
}

proptest! {
    #[test]
    fn deadlines_are_monotone_and_exact(a in 0i64..5000, gap in 0i64..40, npd in any::<bool>()) {
        let by = if npd { Receiver::NpdCentre } else { Receiver::Office };
        let r1 = date(2016, 1, 1).checked_add(jiff::Span::new().days(a)).unwrap();
        let r2 = r1.checked_add(jiff::Span::new().days(gap)).unwrap();
        let d1 = deadlines(r1, by, cal()).unwrap().value;
        let d2 = deadlines(r2, by, cal()).unwrap().value;
        prop_assert!(d1.promised_date <= d2.promised_date);
        prop_assert_eq!(promised_date(r1, cal()).unwrap(), d1.promised_date);
        let n = cal().working_days_between(r1, d1.promised_date).unwrap();
        prop_assert_eq!(n, i32::from(d1.cap_working_days));
        prop_assert!(cal().is_working_day(d1.promised_date).unwrap().working);
        let mut prev = r1;
        for s in d1.stages.iter().filter(|s| s.stage != Stage::CommuneVerification) {
            prop_assert!(s.due > prev);
            prop_assert_eq!(s.starts, prev);
            prev = s.due;
        }
        prop_assert!(prev <= d1.promised_date);
        // Finishing on the promised day is on time; any later day is late.
        let on_time = classify(d1.promised_date, Some(d1.promised_date), d1.promised_date, cal()).unwrap();
        prop_assert_eq!(on_time.code(), "on-time");
        let late = classify(d1.promised_date, None, d1.promised_date.tomorrow().unwrap(), cal()).unwrap();
        prop_assert_eq!(late.code(), "late");
    }
}
