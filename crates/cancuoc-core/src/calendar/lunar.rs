//! The Vietnamese lunar calendar (âm lịch): solar ↔ lunar date conversion.
//!
//! Month starts are computed with Hồ Ngọc Đức's published astronomical method
//! (new moons and the sun's longitude after Jean Meeus, *Astronomical
//! Algorithms*) at the Vietnamese time zone UTC+7 (giờ Hà Nội). A month starts
//! on the local day of the new moon (ngày sóc); the month containing the
//! winter solstice is month 11; in a year with 13 months the first month
//! without a major solar term (trung khí) is the leap month (tháng nhuận).
//!
//! Why vendored instead of the `amlich-core` crate: that crate is young and
//! single-maintainer, and we need every month start of 1900–2199 precomputed
//! once so that a conversion is a binary search in a table (well under a
//! microsecond), not a fresh astronomical computation. `amlich-core` stays a
//! dev-dependency as an independent cross-check.

use super::days::{from_jdn, jdn};
use super::{CalendarError, MAX_DATE, MIN_DATE};
use jiff::civil::Date;
use serde::Serialize;
use std::f64::consts::PI;
use std::sync::LazyLock;

/// Hanoi time, UTC+7, in hours.
const TIME_ZONE: f64 = 7.0;

/// First lunar year in the table (its months 11 and 12 hold the first days
/// of solar 1900; earlier months are outside the supported solar range).
pub const MIN_LUNAR_YEAR: i16 = 1899;
/// Last lunar year in the table (its last months run into solar 2200,
/// outside the supported solar range).
pub const MAX_LUNAR_YEAR: i16 = 2199;

/// A date of the Vietnamese lunar calendar (ngày âm lịch).
///
/// A value is a claim: [`to_solar`] checks that it exists (day 30 only in a
/// 30-day month, `leap` only for the leap month of its year).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LunarDate {
    /// Lunar year (năm âm lịch), numbered like the solar year in which its
    /// month 1 starts.
    pub year: i16,
    /// Month 1–12 (tháng); month 1 is tháng Giêng, month 12 tháng Chạp.
    pub month: u8,
    /// Day 1–30 (ngày mùng …).
    pub day: u8,
    /// Whether this is the leap month (tháng nhuận) repeating `month`.
    pub leap: bool,
}

impl LunarDate {
    /// A lunar date from its parts (not yet checked; see [`to_solar`]).
    pub const fn new(year: i16, month: u8, day: u8, leap: bool) -> Self {
        Self {
            year,
            month,
            day,
            leap,
        }
    }

    /// Vietnamese wording, e.g. `ngày 10 tháng 3 năm 2025` or
    /// `ngày 1 tháng 6 nhuận năm 2025`.
    pub fn format_vi(&self) -> String {
        let leap = if self.leap { " nhuận" } else { "" };
        format!(
            "ngày {} tháng {}{leap} năm {}",
            self.day, self.month, self.year
        )
    }

    /// English wording, e.g. `day 10 of month 3, lunar year 2025` or
    /// `day 1 of leap month 6, lunar year 2025`.
    pub fn format_en(&self) -> String {
        let leap = if self.leap { "leap " } else { "" };
        format!(
            "day {} of {leap}month {}, lunar year {}",
            self.day, self.month, self.year
        )
    }

    /// The sexagenary (can chi) name of the lunar year, e.g. `Ất Tỵ` for 2025.
    pub fn year_can_chi(&self) -> String {
        can_chi_year(self.year)
    }
}

impl std::str::FromStr for LunarDate {
    type Err = CalendarError;

    /// Reads `YEAR-MONTH-DAY` (e.g. `2025-03-10`); a trailing `L` on the
    /// month (`2025-06L-01`) marks the leap month.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CalendarError::BadLunarSyntax {
            input: s.to_owned(),
        };
        let mut parts = s.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let (m, leap) = match m.strip_suffix(['L', 'l']) {
            Some(m) => (m, true),
            None => (m, false),
        };
        let all_digits =
            |t: &str| !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(y) || !all_digits(m) || !all_digits(d) || m.len() > 2 || d.len() > 2 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = d.parse().map_err(|_| bad())?;
        Ok(Self::new(year, month, day, leap))
    }
}

/// Heavenly stems (thiên can).
const CAN: [&str; 10] = [
    "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
];
/// Earthly branches (địa chi), Vietnamese names (Mão = cat, Sửu = buffalo).
const CHI: [&str; 12] = [
    "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
];

/// The can chi name of a lunar year (1984 = Giáp Tý).
pub fn can_chi_year(year: i16) -> String {
    let y = i32::from(year);
    let can = CAN[(y + 6).rem_euclid(10) as usize];
    let chi = CHI[(y + 8).rem_euclid(12) as usize];
    format!("{can} {chi}")
}

/// One lunar month of the precomputed table.
#[derive(Clone, Copy, Debug)]
struct Month {
    /// Julian day number of day 1 (mùng 1).
    start: i32,
    year: i16,
    month: u8,
    leap: bool,
}

/// Every lunar month from month 11 of lunar year 1898 to month 10 of 2200,
/// in order, plus an index of each lunar year's month 1.
struct Table {
    months: Vec<Month>,
    /// `year_first[y - MIN_LUNAR_YEAR]` = index in `months` of month 1 of `y`.
    year_first: Vec<u32>,
}

static TABLE: LazyLock<Table> = LazyLock::new(build_table);

fn build_table() -> Table {
    let mut months = Vec::with_capacity(3800);
    // Lunar year Y spans the solar "sui" from month 11 of Y-1 (starting on
    // a11(Y-1)) to the day before a11(Y). Sui Y covers months 11 and 12 of
    // lunar year Y-1 and months 1..10 of Y (plus a leap month if any).
    for y in i32::from(MIN_LUNAR_YEAR)..=i32::from(MAX_LUNAR_YEAR) + 1 {
        let a11 = lunar_month_11(y - 1, TIME_ZONE);
        let b11 = lunar_month_11(y, TIME_ZONE);
        let k = ((f64::from(a11) - 2415021.076998695) / 29.530588853 + 0.5).floor() as i32;
        let leap_off = if b11 - a11 > 365 {
            Some(leap_month_offset(a11, TIME_ZONE))
        } else {
            None
        };
        let count = if leap_off.is_some() { 13 } else { 12 };
        for i in 0..count {
            let (idx, leap) = match leap_off {
                Some(off) if i >= off => (i - 1, i == off),
                _ => (i, false),
            };
            let month = ((idx + 10) % 12 + 1) as u8;
            let year = if idx < 2 { y - 1 } else { y };
            months.push(Month {
                start: new_moon_day(k + i),
                year: year as i16,
                month,
                leap,
            });
        }
    }
    let mut year_first = vec![0u32; (MAX_LUNAR_YEAR - MIN_LUNAR_YEAR + 1) as usize];
    for (i, m) in months.iter().enumerate() {
        if m.month == 1 && !m.leap && (MIN_LUNAR_YEAR..=MAX_LUNAR_YEAR).contains(&m.year) {
            year_first[(m.year - MIN_LUNAR_YEAR) as usize] = i as u32;
        }
    }
    Table { months, year_first }
}

/// Converts a solar (Gregorian) date to the Vietnamese lunar date.
///
/// Supported: 1900-01-01 to 2199-12-31.
pub fn to_lunar(date: Date) -> Result<LunarDate, CalendarError> {
    if date < MIN_DATE || date > MAX_DATE {
        return Err(CalendarError::DateOutOfRange {
            date,
            min: MIN_DATE,
            max: MAX_DATE,
        });
    }
    let j = jdn(date);
    let months = &TABLE.months;
    // Index of the last month starting on or before `j`: guess it from the
    // mean lunation (29.530589 days), then step at most a month or two. The
    // table begins in December 1898 and ends in late 2200, so `j` is inside.
    let first = months[0].start;
    let mut i = (((j - first) as i64 * 1_000_000 / 29_530_589) as usize).min(months.len() - 1);
    while i > 0 && months[i].start > j {
        i -= 1;
    }
    while i + 1 < months.len() && months[i + 1].start <= j {
        i += 1;
    }
    let m = months[i];
    Ok(LunarDate {
        year: m.year,
        month: m.month,
        day: (j - m.start + 1) as u8,
        leap: m.leap,
    })
}

/// Converts a Vietnamese lunar date to the solar (Gregorian) date, checking
/// that it exists.
pub fn to_solar(lunar: LunarDate) -> Result<Date, CalendarError> {
    let (start, len) = month_bounds(lunar.year, lunar.month, lunar.leap)?;
    if lunar.day == 0 || lunar.day > 30 {
        return Err(CalendarError::InvalidLunarDay { day: lunar.day });
    }
    if u32::from(lunar.day) > len {
        return Err(CalendarError::ShortLunarMonth {
            lunar,
            days: len as u8,
        });
    }
    let date = from_jdn(start + i32::from(lunar.day) - 1);
    if date < MIN_DATE || date > MAX_DATE {
        return Err(CalendarError::DateOutOfRange {
            date,
            min: MIN_DATE,
            max: MAX_DATE,
        });
    }
    Ok(date)
}

/// The leap month of a lunar year (tháng nhuận), if it has one.
pub fn leap_month(year: i16) -> Result<Option<u8>, CalendarError> {
    let first = year_index(year)?;
    let months = &TABLE.months;
    Ok(months[first..]
        .iter()
        .take(13)
        .find(|m| m.leap && m.year == year)
        .map(|m| m.month))
}

/// Number of days (29 or 30) of a lunar month.
pub fn month_length(year: i16, month: u8, leap: bool) -> Result<u8, CalendarError> {
    month_bounds(year, month, leap).map(|(_, len)| len as u8)
}

/// Julian day number of day 1 and the length of a lunar month.
fn month_bounds(year: i16, month: u8, leap: bool) -> Result<(i32, u32), CalendarError> {
    if month == 0 || month > 12 {
        return Err(CalendarError::InvalidLunarMonth { month });
    }
    let first = year_index(year)?;
    let months = &TABLE.months;
    let mut leap_month = None;
    for (i, m) in months[first..].iter().enumerate().take(13) {
        if m.year != year {
            break;
        }
        if m.leap {
            leap_month = Some(m.month);
        }
        if m.month == month && m.leap == leap {
            let next = months.get(first + i + 1).map_or(m.start + 30, |n| n.start);
            return Ok((m.start, (next - m.start) as u32));
        }
    }
    // Only a leap month can be missing: months 1–12 always exist.
    Err(match leap_month {
        None => CalendarError::NoLeapMonth { year, month },
        Some(leap_month) => CalendarError::WrongLeapMonth {
            year,
            month,
            leap_month,
        },
    })
}

fn year_index(year: i16) -> Result<usize, CalendarError> {
    if !(MIN_LUNAR_YEAR..=MAX_LUNAR_YEAR).contains(&year) {
        return Err(CalendarError::LunarYearOutOfRange {
            year,
            min: MIN_LUNAR_YEAR,
            max: MAX_LUNAR_YEAR,
        });
    }
    Ok(TABLE.year_first[(year - MIN_LUNAR_YEAR) as usize] as usize)
}

// --- Hồ Ngọc Đức's algorithm, transcribed from his published amlich.js ---

/// Time (Julian day, fractional) of the k-th new moon after 1900-01-01 13:52 UTC.
fn new_moon(k: i32) -> f64 {
    let k = f64::from(k);
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    let mut c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let deltat = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd1 + c1 - deltat
}

/// The sun's true longitude (radians, 0..2π) at Julian day `jd`.
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2451545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl = dl + (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - PI * 2.0 * (l / (PI * 2.0)).floor()
}

/// Julian day number of the local (UTC+7) day of the k-th new moon.
fn new_moon_day(k: i32) -> i32 {
    new_moon_day_tz(k, TIME_ZONE)
}

/// Julian day number of the day of the k-th new moon at UTC+`tz`.
fn new_moon_day_tz(k: i32, tz: f64) -> i32 {
    (new_moon(k) + 0.5 + tz / 24.0).floor() as i32
}

/// Major solar term index 0–11 at local midnight starting day `day`.
fn sun_term(day: i32, tz: f64) -> i32 {
    (sun_longitude(f64::from(day) - 0.5 - tz / 24.0) / PI * 6.0).floor() as i32
}

/// Julian day number of the start of lunar month 11 (containing the winter
/// solstice) of solar year `yy`, at UTC+`tz`.
fn lunar_month_11(yy: i32, tz: f64) -> i32 {
    let off = super::days::jdn_ymd(yy, 12, 31) - 2415021;
    let k = (f64::from(off) / 29.530588853).floor() as i32;
    let nm = new_moon_day_tz(k, tz);
    if sun_term(nm, tz) >= 9 {
        new_moon_day_tz(k - 1, tz)
    } else {
        nm
    }
}

/// Offset (from month 11 starting on `a11`) of the leap month of a 13-month
/// sui: the first month without a major term.
fn leap_month_offset(a11: i32, tz: f64) -> i32 {
    let k = ((f64::from(a11) - 2415021.076998695) / 29.530588853 + 0.5).floor() as i32;
    let mut i = 1;
    let mut arc = sun_term(new_moon_day_tz(k + i, tz), tz);
    loop {
        let last = arc;
        i += 1;
        arc = sun_term(new_moon_day_tz(k + i, tz), tz);
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// Day 1 of month 1 of lunar `year` computed directly (no table) at
/// UTC+`tz`: used by tests to show where a UTC+8 (Chinese) calendar
/// differs.
#[cfg(test)]
fn new_year_at(year: i32, tz: f64) -> i32 {
    let a11 = lunar_month_11(year - 1, tz);
    let b11 = lunar_month_11(year, tz);
    let k = ((f64::from(a11) - 2415021.076998695) / 29.530588853 + 0.5).floor() as i32;
    // Month 1 is two months after month 11, three if the leap month comes
    // right after month 11 or 12.
    let extra = if b11 - a11 > 365 && leap_month_offset(a11, tz) <= 2 {
        1
    } else {
        0
    };
    new_moon_day_tz(k + 2 + extra, tz)
}

#[cfg(test)]
mod tests;
