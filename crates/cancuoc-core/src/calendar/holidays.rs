//! Public holidays (ngày nghỉ lễ, tết) by the Labour Code, compensatory days
//! (nghỉ bù) and the days set by official per-year decisions.
//!
//! Default rules, chosen by the date of each holiday (the law changed over
//! time):
//!
//! | from | law | Tết | Hùng Kings | National Day |
//! |---|---|---|---|---|
//! | 2000 | Labour Code 1994 (35-L/CTN) Art. 73 | 4 days | — | 1 day |
//! | 2007-04-02 | Law 84/2007/QH11 amending Art. 73 (in force on promulgation) | 4 days | 10/3 lunar | 1 day |
//! | 2013-05-01 | Labour Code 2012 (10/2012/QH13) Art. 115 | 5 days | 10/3 lunar | 1 day |
//! | 2021-01-01 | Labour Code 2019 (45/2019/QH14) Art. 112 | 5 days | 10/3 lunar | 2 days |
//!
//! Plus 1 January, 30 April and 1 May throughout. Default Tết days: the last
//! day of the lunar year (Tất niên, 29 or 30 tháng Chạp) and the first three
//! or four days of the new year. Default adjacent National Day day (the law
//! lets the Prime Minister choose 1 or 3 September): the neighbour that is a
//! weekday, preferring the one joining a weekend, and the day before when
//! both are alike — Mon→3/9 (Tue), Tue→1/9 (Mon), Wed→1/9 (Tue), Thu→3/9
//! (Fri), Fri→1/9 (Thu), Sat→1/9 (Fri), Sun→3/9 (Mon). This reproduces the
//! adjacent day chosen by the decisions of 2021–2026.
//!
//! A holiday falling on a Saturday or Sunday (the civil-service weekly rest
//! days) gives a compensatory day on the next working day. Official
//! decisions (`data/holidays/YYYY.toml`, see the `overrides` module) replace
//! the defaults of each occasion they cover.

use super::{CalendarError, LunarDate, to_lunar, to_solar};
use crate::basis::LegalBasis;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The occasion a day off belongs to (dịp nghỉ). An official decision
/// replaces the default days of each occasion it lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Occasion {
    /// Tết Dương lịch, 1 January.
    NewYear,
    /// Tết Âm lịch (Tết Nguyên đán), the lunar new year.
    Tet,
    /// Giỗ Tổ Hùng Vương, 10th day of the 3rd lunar month.
    HungKings,
    /// Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước), 30 April.
    ReunificationDay,
    /// Ngày Quốc tế Lao động, 1 May.
    LabourDay,
    /// Quốc khánh, 2 September (and an adjacent day since 2021).
    NationalDay,
    /// Any other day off granted by an official decision.
    Other,
}

impl Occasion {
    /// Vietnamese name of the occasion.
    pub const fn name_vi(self) -> &'static str {
        match self {
            Self::NewYear => "Tết Dương lịch",
            Self::Tet => "Tết Âm lịch",
            Self::HungKings => "Giỗ Tổ Hùng Vương",
            Self::ReunificationDay => "Ngày Chiến thắng",
            Self::LabourDay => "Ngày Quốc tế Lao động",
            Self::NationalDay => "Quốc khánh",
            Self::Other => "Ngày nghỉ theo quyết định",
        }
    }

    /// English name of the occasion.
    pub const fn name_en(self) -> &'static str {
        match self {
            Self::NewYear => "New Year's Day",
            Self::Tet => "Lunar New Year (Tết)",
            Self::HungKings => "Hùng Kings' Commemoration Day",
            Self::ReunificationDay => "Reunification Day",
            Self::LabourDay => "International Labour Day",
            Self::NationalDay => "National Day",
            Self::Other => "Day off by official decision",
        }
    }

    /// All occasions, in calendar order.
    pub const ALL: [Occasion; 7] = [
        Self::NewYear,
        Self::Tet,
        Self::HungKings,
        Self::ReunificationDay,
        Self::LabourDay,
        Self::NationalDay,
        Self::Other,
    ];
}

/// What kind of day off (loại ngày nghỉ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HolidayKind {
    /// A holiday of the Labour Code itself (ngày nghỉ lễ, tết).
    Holiday,
    /// A compensatory day for a holiday on a weekly rest day (ngày nghỉ bù).
    Compensatory,
    /// A day off granted by an official decision, e.g. a weekday swapped
    /// with a make-up Saturday (ngày nghỉ theo quyết định, hoán đổi).
    Official,
}

impl HolidayKind {
    /// Stable code: `holiday`, `compensatory`, `official`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Holiday => "holiday",
            Self::Compensatory => "compensatory",
            Self::Official => "official",
        }
    }
}

/// One day off of a year (ngày nghỉ), with the rule that made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The day.
    pub date: Date,
    /// Vietnamese name, e.g. `Tết Âm lịch (mùng 1)`.
    pub name_vi: Cow<'static, str>,
    /// English name.
    pub name_en: Cow<'static, str>,
    /// Holiday, compensatory or official day off.
    pub kind: HolidayKind,
    /// The occasion it belongs to.
    pub occasion: Occasion,
    /// The legal basis (the Labour Code article or the decision).
    pub basis: LegalBasis,
}

/// A Saturday or Sunday made a working day by an official decision
/// (ngày làm bù), in exchange for a weekday off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MakeUpDay {
    /// The day worked.
    pub date: Date,
    /// The occasion whose day off it pays back.
    pub occasion: Occasion,
    /// The weekday off it pays back, if the decision says.
    pub replaces: Option<Date>,
    /// The decision.
    pub basis: LegalBasis,
}

/// A version of the holiday rules, in force from `from`.
pub(crate) struct Regime {
    pub from: Date,
    pub basis: LegalBasis,
    /// Basis of compensatory days (nghỉ bù).
    pub compensatory_basis: LegalBasis,
    pub tet_days: u8,
    pub hung_kings: bool,
    pub national_day_days: u8,
}

/// The civil-service 40-hour week: Saturday and Sunday off.
pub const WEEKEND_BASIS: LegalBasis = LegalBasis::new(
    "Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ)",
    "Điều 1",
);

pub(crate) static REGIMES: [Regime; 4] = [
    Regime {
        from: jiff::civil::date(1995, 1, 1),
        basis: LegalBasis::new("Bộ luật Lao động 1994", "Điều 73"),
        compensatory_basis: LegalBasis::new("Bộ luật Lao động 1994", "Điều 73"),
        tet_days: 4,
        hung_kings: false,
        national_day_days: 1,
    },
    Regime {
        from: jiff::civil::date(2007, 4, 2),
        basis: LegalBasis::new(
            "Bộ luật Lao động 1994, sửa đổi bởi Luật 84/2007/QH11",
            "Điều 73",
        ),
        compensatory_basis: LegalBasis::new("Bộ luật Lao động 1994", "Điều 73"),
        tet_days: 4,
        hung_kings: true,
        national_day_days: 1,
    },
    Regime {
        from: jiff::civil::date(2013, 5, 1),
        basis: LegalBasis::new("Bộ luật Lao động 10/2012/QH13", "Điều 115 khoản 1"),
        compensatory_basis: LegalBasis::new("Bộ luật Lao động 10/2012/QH13", "Điều 115 khoản 3"),
        tet_days: 5,
        hung_kings: true,
        national_day_days: 1,
    },
    Regime {
        from: jiff::civil::date(2021, 1, 1),
        basis: LegalBasis::new("Bộ luật Lao động 45/2019/QH14", "Điều 112 khoản 1"),
        compensatory_basis: LegalBasis::new("Bộ luật Lao động 45/2019/QH14", "Điều 111 khoản 3"),
        tet_days: 5,
        hung_kings: true,
        national_day_days: 2,
    },
];

/// The rules in force on `date` (the first regime for earlier dates).
pub(crate) fn regime_on(date: Date) -> &'static Regime {
    REGIMES
        .iter()
        .rev()
        .find(|r| r.from <= date)
        .unwrap_or(&REGIMES[0])
}

/// The default holidays (kind [`HolidayKind::Holiday`]) of `occasion` in solar
/// `year`, before compensatory days. Empty when the occasion did not exist
/// then (Hùng Kings before 2007) or is [`Occasion::Other`].
pub(crate) fn default_days(year: i16, occasion: Occasion) -> Result<Vec<Holiday>, CalendarError> {
    let fixed = |month: i8, day: i8| -> Result<Date, CalendarError> {
        Date::new(year, month, day).map_err(|_| CalendarError::YearOutOfRange {
            year: i32::from(year),
            min: super::working::MIN_YEAR,
            max: super::working::MAX_YEAR,
        })
    };
    let make = |date: Date, vi: Cow<'static, str>, en: Cow<'static, str>| Holiday {
        date,
        name_vi: vi,
        name_en: en,
        kind: HolidayKind::Holiday,
        occasion,
        basis: regime_on(date).basis.clone(),
    };
    let one = |date: Date| make(date, occasion.name_vi().into(), occasion.name_en().into());
    Ok(match occasion {
        Occasion::NewYear => vec![one(fixed(1, 1)?)],
        Occasion::ReunificationDay => vec![one(fixed(4, 30)?)],
        Occasion::LabourDay => vec![one(fixed(5, 1)?)],
        Occasion::HungKings => {
            let date = to_solar(LunarDate::new(year, 3, 10, false))?;
            if regime_on(date).hung_kings {
                vec![make(
                    date,
                    "Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch)".into(),
                    "Hùng Kings' Commemoration Day (10th day of the 3rd lunar month)".into(),
                )]
            } else {
                Vec::new()
            }
        }
        Occasion::Tet => {
            let new_year = to_solar(LunarDate::new(year, 1, 1, false))?;
            let days = regime_on(new_year).tet_days;
            let eve = new_year
                .yesterday()
                .map_err(|_| CalendarError::YearOutOfRange {
                    year: i32::from(year),
                    min: super::working::MIN_YEAR,
                    max: super::working::MAX_YEAR,
                })?;
            let last = to_lunar(eve)?;
            let mut out = vec![make(
                eve,
                format!("Tết Âm lịch (ngày cuối năm, {} tháng Chạp)", last.day).into(),
                format!(
                    "Lunar New Year (last day of the lunar year, day {} of month 12)",
                    last.day
                )
                .into(),
            )];
            for n in 1..days {
                let date = to_solar(LunarDate::new(year, 1, n, false))?;
                out.push(make(
                    date,
                    format!("Tết Âm lịch (mùng {n} tháng Giêng)").into(),
                    format!("Lunar New Year (day {n} of month 1)").into(),
                ));
            }
            out
        }
        Occasion::NationalDay => {
            let sep2 = fixed(9, 2)?;
            let mut out = vec![one(sep2)];
            if regime_on(sep2).national_day_days >= 2 {
                let adjacent = match sep2.weekday() {
                    Weekday::Tuesday | Weekday::Wednesday | Weekday::Friday | Weekday::Saturday => {
                        fixed(9, 1)?
                    }
                    _ => fixed(9, 3)?,
                };
                out.push(make(
                    adjacent,
                    "Quốc khánh (ngày liền kề)".into(),
                    "National Day (adjacent day)".into(),
                ));
                out.sort_by_key(|h| h.date);
            }
            out
        }
        Occasion::Other => Vec::new(),
    })
}
