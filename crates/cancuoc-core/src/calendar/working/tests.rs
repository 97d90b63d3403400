//! Tests of holidays and working days: golden holiday lists of the sourced
//! years, defaults of the Labour Code versions, working-day arithmetic
//! across Tết, weekends and make-up Saturdays, override files, properties.

use super::*;
use crate::calendar::holidays::Occasion;
use jiff::civil::date;
use proptest::prelude::*;

fn cal() -> &'static WorkingCalendar {
    WorkingCalendar::official()
}

/// (date, kind) of every day off of a year.
fn days_off(year: i16) -> Vec<(Date, &'static str)> {
    cal()
        .holidays(year)
        .unwrap()
        .iter()
        .map(|h| (h.date, h.kind.code()))
        .collect()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn list(items: &[(&str, &'static str)]) -> Vec<(Date, &'static str)> {
    items.iter().map(|&(s, k)| (d(s), k)).collect()
}

#[test]
fn embedded_decisions_parse_and_are_used() {
    for (name, text) in EMBEDDED_DECISIONS {
        let parsed = overrides::parse(name, text).unwrap();
        assert_eq!(format!("{}.toml", parsed.year), *name);
        assert!(!parsed.days_off.is_empty(), "{name}");
    }
    // official() did not fall back to the defaults.
    let built = WorkingCalendar::build(&[]).unwrap();
    assert_eq!(built.holidays(2025), cal().holidays(2025));
    assert_ne!(
        WorkingCalendar::defaults_only().holidays(2025),
        cal().holidays(2025)
    );
}

#[test]
fn golden_2024() {
    assert_eq!(
        days_off(2024),
        list(&[
            ("2024-01-01", "holiday"),
            ("2024-02-08", "holiday"),
            ("2024-02-09", "holiday"),
            ("2024-02-10", "holiday"),
            ("2024-02-11", "holiday"),
            ("2024-02-12", "holiday"),
            ("2024-02-13", "compensatory"),
            ("2024-02-14", "compensatory"),
            ("2024-04-18", "holiday"),
            ("2024-04-29", "official"),
            ("2024-04-30", "holiday"),
            ("2024-05-01", "holiday"),
            ("2024-09-02", "holiday"),
            ("2024-09-03", "holiday"),
        ])
    );
    let m = cal().make_up_days(2024).unwrap();
    assert_eq!(m.len(), 1);
    assert_eq!(
        (m[0].date, m[0].replaces),
        (d("2024-05-04"), Some(d("2024-04-29")))
    );
}

#[test]
fn golden_2025() {
    assert_eq!(
        days_off(2025),
        list(&[
            ("2025-01-01", "holiday"),
            ("2025-01-27", "holiday"),
            ("2025-01-28", "holiday"),
            ("2025-01-29", "holiday"),
            ("2025-01-30", "holiday"),
            ("2025-01-31", "holiday"),
            ("2025-04-07", "holiday"),
            ("2025-04-30", "holiday"),
            ("2025-05-01", "holiday"),
            ("2025-05-02", "official"),
            ("2025-09-01", "holiday"),
            ("2025-09-02", "holiday"),
        ])
    );
    let m = cal().make_up_days(2025).unwrap();
    assert_eq!(
        m.iter().map(|m| m.date).collect::<Vec<_>>(),
        [d("2025-04-26")]
    );
}

#[test]
fn golden_2026() {
    assert_eq!(
        days_off(2026),
        list(&[
            ("2026-01-01", "holiday"),
            ("2026-01-02", "official"),
            ("2026-02-16", "holiday"),
            ("2026-02-17", "holiday"),
            ("2026-02-18", "holiday"),
            ("2026-02-19", "holiday"),
            ("2026-02-20", "holiday"),
            ("2026-04-26", "holiday"),
            ("2026-04-27", "compensatory"),
            ("2026-04-30", "holiday"),
            ("2026-05-01", "holiday"),
            ("2026-08-31", "official"),
            ("2026-09-01", "holiday"),
            ("2026-09-02", "holiday"),
        ])
    );
    let m: Vec<_> = cal()
        .make_up_days(2026)
        .unwrap()
        .iter()
        .map(|m| m.date)
        .collect();
    assert_eq!(m, [d("2026-01-10"), d("2026-08-22")]);
    // The defaults agree with the 2026 Tết decision (16/2–20/2).
    let defaults = WorkingCalendar::defaults_only().holidays(2026).unwrap();
    let tet: Vec<_> = defaults
        .iter()
        .filter(|h| h.occasion == Occasion::Tet)
        .map(|h| h.date)
        .collect();
    assert_eq!(
        tet,
        [
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-02-20"
        ]
        .map(d)
    );
}

#[test]
fn defaults_of_each_labour_code() {
    let def = WorkingCalendar::defaults_only();
    let off = |y| -> Vec<(Date, &'static str)> {
        def.holidays(y)
            .unwrap()
            .iter()
            .map(|h| (h.date, h.kind.code()))
            .collect()
    };
    // 2022 (Labour Code 2019): 1/1 on a Saturday → Monday 3/1 compensatory;
    // Tết 31/1–4/2; National Day Friday 2/9 + Thursday 1/9 (as decided).
    let y2022 = off(2022);
    assert!(y2022.contains(&(d("2022-01-03"), "compensatory")));
    for s in [
        "2022-01-31",
        "2022-02-04",
        "2022-09-01",
        "2022-09-02",
        "2022-04-10",
    ] {
        assert!(y2022.contains(&(d(s), "holiday")), "{s}");
    }
    // 2023: 1/1 on a Sunday → Monday 2/1; 2/9 on a Saturday → Friday 1/9
    // adjacent and Monday 4/9 compensatory (as decided).
    let y2023 = off(2023);
    assert!(y2023.contains(&(d("2023-01-02"), "compensatory")));
    assert!(y2023.contains(&(d("2023-09-01"), "holiday")));
    assert!(y2023.contains(&(d("2023-09-04"), "compensatory")));
    // 2021: Thursday 2/9 + Friday 3/9.
    assert!(off(2021).contains(&(d("2021-09-03"), "holiday")));
    // 2015 (Labour Code 2012): National Day is one day; Tết 5 days.
    let y2015 = off(2015);
    assert_eq!(y2015.iter().filter(|(x, _)| x.month() == 9).count(), 1);
    assert_eq!(
        def.holidays(2015)
            .unwrap()
            .iter()
            .filter(|h| h.occasion == Occasion::Tet && h.kind == HolidayKind::Holiday)
            .count(),
        5
    );
    // 2010 (1994 code as amended in 2007): Tết 4 days, 13/2 (Saturday, the
    // last day) to 16/2; Saturday and Sunday give Wednesday and Thursday.
    let y2010 = off(2010);
    for s in ["2010-02-13", "2010-02-14", "2010-02-15", "2010-02-16"] {
        assert!(y2010.contains(&(d(s), "holiday")), "{s}");
    }
    assert!(y2010.contains(&(d("2010-02-17"), "compensatory")));
    assert!(y2010.contains(&(d("2010-02-18"), "compensatory")));
    assert!(!y2010.iter().any(|(x, _)| *x == d("2010-02-19")));
    // Hùng Kings became a holiday in 2007 (Law 84/2007/QH11).
    assert!(off(2007).contains(&(d("2007-04-26"), "holiday")));
    assert!(
        !def.holidays(2006)
            .unwrap()
            .iter()
            .any(|h| h.occasion == Occasion::HungKings)
    );
    // Every year has its bases; no day is listed twice.
    for y in MIN_YEAR..=MAX_YEAR {
        let hs = def.holidays(y).unwrap();
        let mut dates: Vec<_> = hs.iter().map(|h| h.date).collect();
        dates.dedup();
        assert_eq!(dates.len(), hs.len(), "{y}");
        assert!(hs.iter().all(|h| !h.basis.document.is_empty()));
    }
}

#[test]
fn is_working_day_explains() {
    use crate::i18n::Localized;
    let st = cal().is_working_day(d("2025-01-28")).unwrap();
    assert!(!st.working);
    let r = st.reason.unwrap();
    assert_eq!(r.code(), "holiday");
    assert!(r.message_vi().contains("Tết Âm lịch"), "{}", r.message_vi());
    assert!(r.basis().document.contains("6150"));

    let st = cal().is_working_day(d("2025-05-02")).unwrap();
    assert_eq!(st.reason.map(|r| r.code()), Some("official"));

    let st = cal().is_working_day(d("2026-04-27")).unwrap();
    let r = st.reason.unwrap();
    assert_eq!(r.code(), "compensatory");
    assert!(r.basis().article.contains("111"));

    let st = cal().is_working_day(d("2026-11-21")).unwrap();
    assert_eq!(
        st.reason,
        Some(NonWorkingReason::WeeklyRest(Weekday::Saturday))
    );
    assert_eq!(
        st.reason.unwrap().message_en(),
        "Saturday, a weekly rest day"
    );

    // A make-up Saturday is a working day.
    let st = cal().is_working_day(d("2025-04-26")).unwrap();
    assert!(st.working && st.reason.is_none());
    assert_eq!(st.make_up.map(|m| m.replaces), Some(Some(d("2025-05-02"))));

    let st = cal().is_working_day(d("2026-11-20")).unwrap();
    assert!(st.working && st.reason.is_none() && st.make_up.is_none());
}

/// (from, n, expected): deadlines spanning Tết, weekends, make-up days.
const ADD: &[(&str, u32, &str)] = &[
    ("2024-02-05", 1, "2024-02-06"), // Monday + 1 = Tuesday
    ("2024-02-09", 1, "2024-02-15"), // a Tết holiday: next working day after Tết
    ("2024-02-07", 1, "2024-02-15"), // Wednesday before Tết 2024
    ("2024-02-07", 3, "2024-02-19"),
    ("2024-02-02", 7, "2024-02-20"), // Friday: 5, 6, 7, 15, 16, 19, 20
    ("2025-04-25", 1, "2025-04-26"), // make-up Saturday counts
    ("2025-04-25", 2, "2025-04-28"),
    ("2025-04-29", 1, "2025-05-05"), // across 30/4–4/5/2025
    ("2025-01-24", 1, "2025-02-03"), // across Tết 2025 (27/1–31/1)
    ("2026-02-13", 1, "2026-02-23"), // across Tết 2026
    ("2026-02-13", 7, "2026-03-03"),
    ("2026-11-20", 1, "2026-11-23"), // Friday + 1 = Monday
    ("2026-11-21", 1, "2026-11-23"), // from a Saturday
    ("2026-11-20", 0, "2026-11-20"),
    ("2026-08-21", 1, "2026-08-22"), // make-up Saturday 22/8/2026
    ("2026-08-28", 1, "2026-09-03"), // across Quốc khánh 2026
];

#[test]
fn add_working_days_golden() {
    for &(from, n, want) in ADD {
        assert_eq!(
            cal().add_working_days(d(from), n),
            Ok(d(want)),
            "{from} + {n}"
        );
        if n > 0 {
            assert_eq!(
                cal().working_days_between(d(from), d(want)),
                Ok(n as i32),
                "{from}..{want}"
            );
        }
    }
    assert_eq!(
        cal().working_days_between(d("2024-02-15"), d("2024-02-07")),
        Ok(-1)
    );
    assert_eq!(
        cal().working_days_between(d("2024-02-08"), d("2024-02-14")),
        Ok(0)
    );
    // A whole year: 2025 has 366 - 104 weekend days … counted one by one.
    let n = cal()
        .working_days_between(d("2024-12-31"), d("2025-12-31"))
        .unwrap();
    assert_eq!(
        n,
        365 - 104 - 12 + 1,
        "2025: 12 days off on weekdays, one make-up day"
    );
}

#[test]
fn range_errors() {
    assert!(matches!(
        cal().is_working_day(d("1999-12-31")),
        Err(CalendarError::DateOutOfRange { .. })
    ));
    assert!(matches!(
        cal().holidays(1999),
        Err(CalendarError::YearOutOfRange { year: 1999, .. })
    ));
    assert!(matches!(
        cal().holidays(2200),
        Err(CalendarError::YearOutOfRange { year: 2200, .. })
    ));
    assert!(matches!(
        cal().add_working_days(d("2199-12-30"), 5),
        Err(CalendarError::PastEndOfRange { n: 5, .. })
    ));
    let e = cal()
        .add_working_days(d("2020-01-01"), u32::MAX)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "adding 4294967295 working days to 2020-01-01 goes past 2199-12-31, the end of the working-day calendar"
    );
    assert!(matches!(
        cal().working_days_between(d("2020-01-01"), d("2200-01-01")),
        Err(CalendarError::DateOutOfRange { .. })
    ));
    assert!(cal().is_working_day(d("2199-12-31")).is_ok());
    assert!(cal().is_working_day(d("2000-01-01")).is_ok());
}

const OPERATOR_2027: &str = r#"
year = 2027
[[decision]]
number = "Văn bản 1/VPCP-KGVX (synthetic test decision)"
source = "test"
occasions = ["tet"]
[[decision.day_off]]
date = 2027-02-05
occasion = "tet"
kind = "holiday"
[[decision.day_off]]
date = 2027-02-08
occasion = "tet"
kind = "official"
[[decision.make_up]]
date = 2027-02-20
occasion = "tet"
replaces = 2027-02-08
"#;

#[test]
fn operator_overrides() {
    let c = WorkingCalendar::with_overrides(&[OPERATOR_2027]).unwrap();
    let tet: Vec<_> = c
        .holidays(2027)
        .unwrap()
        .into_iter()
        .filter(|h| h.occasion == Occasion::Tet)
        .map(|h| (h.date, h.kind))
        .collect();
    assert_eq!(
        tet,
        [
            (d("2027-02-05"), HolidayKind::Holiday),
            (d("2027-02-08"), HolidayKind::Official)
        ]
    );
    assert!(c.is_working_day(d("2027-02-20")).unwrap().working);
    assert!(c.is_working_day(d("2027-02-09")).unwrap().working);
    // Other occasions keep their defaults; other years the embedded files.
    assert_eq!(c.holidays(2025), cal().holidays(2025));
    assert!(
        c.holidays(2027)
            .unwrap()
            .iter()
            .any(|h| h.date == d("2027-09-02"))
    );
    // The official calendar is untouched.
    assert!(!cal().is_working_day(d("2027-02-09")).unwrap().working);
}

fn bad(text: &str) -> (String, String, String) {
    use crate::i18n::Localized;
    match WorkingCalendar::with_overrides(&[text]) {
        Err(e @ CalendarError::BadOverride { .. }) => {
            assert_eq!(e.code(), "calendar.bad_override");
            let CalendarError::BadOverride { location, .. } = &e else {
                unreachable!()
            };
            (location.clone(), e.message_en(), e.message_vi())
        }
        other => panic!("expected BadOverride, got {other:?}"),
    }
}

#[test]
fn override_errors_are_precise() {
    let (at, en, _) = bad(
        "year = 2027\n[[decision]]\nnumber = \"x\"\nsource = \"y\"\noccasions = [\"tet\"]\nfoo = 1\n",
    );
    assert!(at.starts_with("line"), "{at}");
    assert!(en.contains("foo"), "{en}");
    let (at, en, _) = bad(&OPERATOR_2027.replace("2027-02-05", "2026-02-05"));
    assert_eq!(at, "decision #1, day_off #1.date");
    assert!(en.contains("not in the file's year 2027"), "{en}");
    let (at, en, vi) = bad(&OPERATOR_2027.replace("2027-02-20", "2027-02-19"));
    assert_eq!(at, "decision #1, make_up #1.date");
    assert!(en.contains("Saturday or Sunday"), "{en}");
    assert!(vi.contains("thứ Bảy hoặc Chủ nhật"), "{vi}");
    let (at, en, _) = bad(&OPERATOR_2027.replace("2027-02-08", "2027-02-05"));
    assert_eq!(at, "decision #1, day_off #2.date");
    assert!(en.contains("listed twice"), "{en}");
    let (at, _, _) =
        bad(&OPERATOR_2027.replace("occasions = [\"tet\"]", "occasions = [\"labour-day\"]"));
    assert_eq!(at, "decision #1, day_off #1.occasion");
    let (at, _, _) = bad(&OPERATOR_2027.replace("source = \"test\"", "source = \"\""));
    assert_eq!(at, "decision #1");
    let (at, en, _) =
        bad(&OPERATOR_2027.replace("date = 2027-02-05", "date = 2027-02-05T10:00:00"));
    assert_eq!(at, "decision #1, day_off #1.date");
    assert!(en.contains("no time"), "{en}");
    let (at, _, _) = bad(&OPERATOR_2027.replace("year = 2027", "year = 1990"));
    assert_eq!(at, "year");
    let (at, _, _) = bad("year = 2027\n");
    assert_eq!(at, "decision");
    let (at, _, _) = bad(&OPERATOR_2027.replace("kind = \"official\"", "kind = \"bonus\""));
    assert!(at.starts_with("line"), "{at}");
    let (_, en, _) = bad(&format!(
        "{OPERATOR_2027}\n[[decision.day_off]]\ndate = 2027-02-20\noccasion = \"tet\"\nkind = \"holiday\"\n"
    ));
    assert!(en.contains("both a day off and a make-up"), "{en}");
}

/// Working days after `from` counted one day at a time from the holiday
/// and make-up lists: an implementation independent of the prefix tables.
fn naive_add(from: Date, n: u32) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.tomorrow().unwrap();
        let y = d.year();
        let holiday = cal().holidays(y).unwrap().iter().any(|h| h.date == d);
        let make_up = cal().make_up_days(y).unwrap().iter().any(|m| m.date == d);
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        if make_up || (!weekend && !holiday) {
            left -= 1;
        }
    }
    d
}

fn any_date() -> impl Strategy<Value = Date> {
    let start = jdn(date(2000, 1, 1));
    let end = jdn(date(2189, 12, 31));
    (start..=end).prop_map(from_jdn)
}

proptest! {
    #[test]
    fn prop_add_then_count_round_trips(from in any_date(), n in 0u32..2_600) {
        let to = cal().add_working_days(from, n).unwrap();
        prop_assert_eq!(cal().working_days_between(from, to), Ok(n as i32));
        prop_assert_eq!(cal().working_days_between(to, from), Ok(-(n as i32)));
        if n > 0 {
            prop_assert!(to > from);
            prop_assert!(cal().is_working_day(to).unwrap().working);
            // The day before the result still lacks one working day.
            prop_assert_eq!(
                cal().working_days_between(from, to.yesterday().unwrap()),
                Ok(n as i32 - 1)
            );
        }
    }

    #[test]
    fn prop_matches_day_by_day_walk(from in any_date(), n in 0u32..40) {
        prop_assert_eq!(cal().add_working_days(from, n), Ok(naive_add(from, n)));
    }

    #[test]
    fn prop_working_status_consistent(day in any_date()) {
        let st = cal().is_working_day(day).unwrap();
        prop_assert_eq!(st.working, st.reason.is_none());
        let prev = day.yesterday().unwrap();
        if prev >= date(2000, 1, 1) {
            let counted = cal().working_days_between(prev, day).unwrap();
            prop_assert_eq!(counted == 1, st.working);
        }
    }
}
