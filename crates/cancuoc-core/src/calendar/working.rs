//! Working days of public offices (ngày làm việc của cơ quan nhà nước).
//!
//! Offices work Monday to Friday (the 40-hour civil-service week, Decision
//! 188/1999/QĐ-TTg); Saturdays and Sundays are weekly rest days except the
//! make-up Saturdays (làm bù) of an official decision; holidays, compensatory
//! days and official days off are not working days. Office opening hours
//! (e.g. Saturday-morning reception) are a per-office concern elsewhere:
//! this calendar is the legal one, used to count deadlines.
//!
//! Every day of [`MIN_YEAR`]–[`MAX_YEAR`] is precomputed once into a prefix
//! count of working days and the list of working days, so
//! [`WorkingCalendar::add_working_days`] and
//! [`WorkingCalendar::working_days_between`] are two array reads.

use super::CalendarError;
use super::days::{from_jdn, jdn, jdn_ymd, weekday};
use super::holidays::{
    Holiday, HolidayKind, MakeUpDay, Occasion, WEEKEND_BASIS, default_days, regime_on,
};
use super::overrides::{self, YearDecisions};
use crate::basis::LegalBasis;
use crate::i18n::Localized;
use jiff::civil::{Date, Weekday};
use serde::Serialize;
use std::sync::LazyLock;

/// First year of the working-day calendar (the 40-hour week began in
/// October 1999).
pub const MIN_YEAR: i16 = 2000;
/// Last year of the working-day calendar.
pub const MAX_YEAR: i16 = 2199;

/// The official per-year decisions embedded in the crate
/// (`data/holidays/YYYY.toml`), as (file name, text).
pub const EMBEDDED_DECISIONS: &[(&str, &str)] = &[
    ("2024.toml", include_str!("../../data/holidays/2024.toml")),
    ("2025.toml", include_str!("../../data/holidays/2025.toml")),
    ("2026.toml", include_str!("../../data/holidays/2026.toml")),
];

/// Why a day is not a working day (lý do không phải ngày làm việc).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NonWorkingReason {
    /// Saturday or Sunday, the weekly rest days (ngày nghỉ hằng tuần).
    WeeklyRest(Weekday),
    /// A holiday, a compensatory day or an official day off.
    Holiday(Holiday),
}

impl NonWorkingReason {
    /// The legal basis of the day off.
    pub fn basis(&self) -> LegalBasis {
        match self {
            Self::WeeklyRest(_) => WEEKEND_BASIS,
            Self::Holiday(h) => h.basis.clone(),
        }
    }
}

impl Localized for NonWorkingReason {
    /// `weekly-rest`, `holiday`, `compensatory` or `official`.
    fn code(&self) -> &'static str {
        match self {
            Self::WeeklyRest(_) => "weekly-rest",
            Self::Holiday(h) => h.kind.code(),
        }
    }
    fn message_vi(&self) -> String {
        match self {
            Self::WeeklyRest(Weekday::Saturday) => "Thứ Bảy, ngày nghỉ hằng tuần".into(),
            Self::WeeklyRest(_) => "Chủ nhật, ngày nghỉ hằng tuần".into(),
            Self::Holiday(h) => match h.kind {
                HolidayKind::Holiday => format!("Ngày nghỉ lễ, tết: {}", h.name_vi),
                HolidayKind::Compensatory => format!("Ngày nghỉ bù: {}", h.name_vi),
                HolidayKind::Official => format!("Ngày nghỉ theo quyết định: {}", h.name_vi),
            },
        }
    }
    fn message_en(&self) -> String {
        match self {
            Self::WeeklyRest(Weekday::Saturday) => "Saturday, a weekly rest day".into(),
            Self::WeeklyRest(_) => "Sunday, a weekly rest day".into(),
            Self::Holiday(h) => match h.kind {
                HolidayKind::Holiday => format!("Public holiday: {}", h.name_en),
                HolidayKind::Compensatory => format!("Compensatory day off: {}", h.name_en),
                HolidayKind::Official => format!("Day off by official decision: {}", h.name_en),
            },
        }
    }
}

impl Serialize for NonWorkingReason {
    /// `{code, message_vi, message_en, basis}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shape<'a> {
            code: &'static str,
            message_vi: String,
            message_en: String,
            basis: LegalBasis,
            #[serde(skip_serializing_if = "Option::is_none")]
            holiday: Option<&'a Holiday>,
        }
        Shape {
            code: self.code(),
            message_vi: self.message_vi(),
            message_en: self.message_en(),
            basis: self.basis(),
            holiday: match self {
                Self::Holiday(h) => Some(h),
                Self::WeeklyRest(_) => None,
            },
        }
        .serialize(s)
    }
}

/// Whether a day is a working day, and why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayStatus {
    /// True on a working day (ngày làm việc).
    pub working: bool,
    /// Why not, when `working` is false.
    pub reason: Option<NonWorkingReason>,
    /// Set when a weekend day is worked to make up for a day off (làm bù).
    pub make_up: Option<MakeUpDay>,
}

/// Holidays and make-up days of one year.
#[derive(Clone, Debug, Default)]
struct YearDays {
    holidays: Vec<Holiday>,
    make_up: Vec<MakeUpDay>,
}

/// The legal working-day calendar of public offices, with every day of
/// 2000–2199 precomputed.
#[derive(Clone, Debug)]
pub struct WorkingCalendar {
    /// Julian day number of 1 January of [`MIN_YEAR`].
    base: i32,
    /// `cum[i]` = working days among the first `i` days from `base`.
    cum: Vec<u32>,
    /// `nth[k]` = offset from `base` of the working day number `k + 1`.
    nth: Vec<u32>,
    /// Per year from [`MIN_YEAR`].
    years: Vec<YearDays>,
}

static OFFICIAL: LazyLock<WorkingCalendar> = LazyLock::new(|| {
    // The embedded files are checked by the test suite; should one ever
    // fail, fall back to the Labour Code defaults rather than panic.
    WorkingCalendar::build(&[]).unwrap_or_else(|_| WorkingCalendar::defaults_only())
});

impl WorkingCalendar {
    /// Labour Code holidays + every official per-year decision embedded in
    /// the crate (`data/holidays/YYYY.toml`).
    pub fn official() -> &'static WorkingCalendar {
        &OFFICIAL
    }

    /// The official calendar plus operator-supplied decision files (the TOML
    /// texts, read by the caller; see `data/holidays/README.md`). A later
    /// file replaces, for each occasion it lists, the days of earlier ones
    /// and of the embedded files for that year.
    pub fn with_overrides(texts: &[&str]) -> Result<WorkingCalendar, CalendarError> {
        Self::build(texts)
    }

    /// The Labour Code defaults only, ignoring every official decision.
    pub fn defaults_only() -> WorkingCalendar {
        Self::assemble(Vec::new())
    }

    fn build(extra: &[&str]) -> Result<WorkingCalendar, CalendarError> {
        let mut decisions = Vec::new();
        for (name, text) in EMBEDDED_DECISIONS {
            decisions.push(overrides::parse(name, text)?);
        }
        for (i, text) in extra.iter().enumerate() {
            decisions.push(overrides::parse(&format!("#{}", i + 1), text)?);
        }
        Ok(Self::assemble(decisions))
    }

    fn assemble(decisions: Vec<YearDecisions>) -> WorkingCalendar {
        let base = jdn_ymd(i32::from(MIN_YEAR), 1, 1);
        let end = jdn_ymd(i32::from(MAX_YEAR) + 1, 1, 1);
        let len = (end - base) as usize;
        let mut off = vec![false; len];
        for (i, o) in off.iter_mut().enumerate() {
            *o = weekday(base + i as i32) >= 5;
        }
        let mut years = Vec::with_capacity((MAX_YEAR - MIN_YEAR + 1) as usize);
        for year in MIN_YEAR..=MAX_YEAR {
            let mine: Vec<&YearDecisions> = decisions.iter().filter(|d| d.year == year).collect();
            let days = year_days(year, &mine);
            for h in &days.holidays {
                if let Some(o) = off.get_mut((jdn(h.date) - base) as usize) {
                    *o = true;
                }
            }
            for m in &days.make_up {
                if let Some(o) = off.get_mut((jdn(m.date) - base) as usize) {
                    *o = false;
                }
            }
            years.push(days);
        }
        let mut cum = Vec::with_capacity(len + 1);
        let mut nth = Vec::with_capacity(len * 5 / 7 + 1);
        let mut count = 0u32;
        cum.push(0);
        for (i, o) in off.iter().enumerate() {
            if !o {
                nth.push(i as u32);
                count += 1;
            }
            cum.push(count);
        }
        WorkingCalendar {
            base,
            cum,
            nth,
            years,
        }
    }

    /// Offset of `date` from `base`, or an out-of-range error.
    fn index(&self, date: Date) -> Result<usize, CalendarError> {
        let i = jdn(date) - self.base;
        if i < 0 || i as usize >= self.cum.len() - 1 {
            return Err(self.out_of_range(date));
        }
        Ok(i as usize)
    }

    fn out_of_range(&self, date: Date) -> CalendarError {
        CalendarError::DateOutOfRange {
            date,
            min: from_jdn(self.base),
            max: from_jdn(self.base + self.cum.len() as i32 - 2),
        }
    }

    fn year(&self, year: i16) -> Result<&YearDays, CalendarError> {
        self.years
            .get(usize::try_from(i32::from(year) - i32::from(MIN_YEAR)).unwrap_or(usize::MAX))
            .ok_or(CalendarError::YearOutOfRange {
                year: i32::from(year),
                min: MIN_YEAR,
                max: MAX_YEAR,
            })
    }

    /// Whether `date` is a working day, and if not, why.
    pub fn is_working_day(&self, date: Date) -> Result<DayStatus, CalendarError> {
        let i = self.index(date)?;
        let working = self.cum[i + 1] > self.cum[i];
        let year = self.year(date.year())?;
        let make_up = year.make_up.iter().find(|m| m.date == date).cloned();
        let reason = if working {
            None
        } else if let Some(h) = year.holidays.iter().find(|h| h.date == date) {
            Some(NonWorkingReason::Holiday(h.clone()))
        } else {
            Some(NonWorkingReason::WeeklyRest(date.weekday()))
        };
        Ok(DayStatus {
            working,
            reason,
            make_up,
        })
    }

    /// "Within `n` working days of `date`" (trong thời hạn n ngày làm việc):
    /// `date` itself does not count, so `n = 1` from a Monday is the Tuesday
    /// (from a Friday, the next Monday). `n = 0` returns `date`.
    pub fn add_working_days(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        let i = self.index(date)?;
        if n == 0 {
            return Ok(date);
        }
        let k = self.cum[i + 1] as usize + n as usize;
        match self.nth.get(k - 1) {
            Some(&j) => Ok(from_jdn(self.base + j as i32)),
            None => Err(CalendarError::PastEndOfRange {
                from: date,
                n,
                max: from_jdn(self.base + self.cum.len() as i32 - 2),
            }),
        }
    }

    /// Working days in `(from, to]`: `from` excluded, `to` included; negative
    /// when `to` is before `from`. `working_days_between(d,
    /// add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i32, CalendarError> {
        let a = self.cum[self.index(from)? + 1];
        let b = self.cum[self.index(to)? + 1];
        Ok(b as i32 - a as i32)
    }

    /// The days off of a year (holidays, compensatory and official days),
    /// by date.
    pub fn holidays(&self, year: i16) -> Result<Vec<Holiday>, CalendarError> {
        Ok(self.year(year)?.holidays.clone())
    }

    /// The weekend days worked to make up for a day off (ngày làm bù) in a
    /// year.
    pub fn make_up_days(&self, year: i16) -> Result<Vec<MakeUpDay>, CalendarError> {
        Ok(self.year(year)?.make_up.clone())
    }
}

/// Resolves one year: for each occasion, the days of the last decision that
/// covers it, else the defaults with their compensatory days.
fn year_days(year: i16, decisions: &[&YearDecisions]) -> YearDays {
    let mut holidays: Vec<Holiday> = Vec::new();
    let mut make_up: Vec<MakeUpDay> = Vec::new();
    let mut defaults: Vec<Holiday> = Vec::new();
    for occasion in Occasion::ALL {
        match decisions
            .iter()
            .rev()
            .find(|d| d.replaces.contains(&occasion))
        {
            Some(d) => {
                holidays.extend(
                    d.days_off
                        .iter()
                        .filter(|h| h.occasion == occasion)
                        .cloned(),
                );
                make_up.extend(d.make_up.iter().filter(|m| m.occasion == occasion).cloned());
            }
            // Inside MIN_YEAR..=MAX_YEAR the defaults always compute; an
            // error would mean an empty occasion, never a panic.
            None => defaults.extend(default_days(year, occasion).unwrap_or_default()),
        }
    }
    defaults.sort_by_key(|h| h.date);
    holidays.extend(defaults.iter().cloned());
    // Compensatory days (nghỉ bù): a default holiday on a Saturday or Sunday,
    // or on a day already off for another holiday, moves to the next
    // working day.
    let mut taken: Vec<Date> = Vec::new();
    for h in &defaults {
        let j = jdn(h.date);
        let clash = holidays
            .iter()
            .any(|o| o.date == h.date && o.occasion != h.occasion);
        if weekday(j) < 5 && !clash {
            continue;
        }
        let mut d = j + 1;
        while weekday(d) >= 5
            || holidays.iter().any(|o| jdn(o.date) == d)
            || taken.contains(&from_jdn(d))
        {
            d += 1;
        }
        let date = from_jdn(d);
        taken.push(date);
        holidays.push(Holiday {
            date,
            // The date as people read it: these names are shown as they are.
            name_vi: format!("Nghỉ bù {} ({})", h.occasion.name_vi(), dmy(h.date)).into(),
            name_en: format!(
                "Compensatory day off for {} ({})",
                h.occasion.name_en(),
                dmy(h.date)
            )
            .into(),
            kind: HolidayKind::Compensatory,
            occasion: h.occasion,
            basis: regime_on(h.date).compensatory_basis.clone(),
        });
    }
    holidays.sort_by_key(|h| (h.date, h.kind != HolidayKind::Holiday));
    make_up.sort_by_key(|m| m.date);
    YearDays { holidays, make_up }
}

#[cfg(test)]
mod tests;

/// `dd/mm/yyyy`, the way a date is read in Vietnam.
fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}
