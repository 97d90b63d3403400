//! Dates in the zone (`YYMMDD`, two-digit years) and how they are resolved.
//!
//! The zone prints two-digit years; the century comes from a `today` argument
//! (this crate has no clock):
//! - **birth** (ngày sinh): the latest date not after `today` — a person born
//!   on `YYMMDD` was born in the past. `today` 2026-11-21: `740812` →
//!   1974-08-12, `200101` → 2020-01-01, `261231` → 1926-12-31.
//! - **expiry** (ngày hết hạn): the year in the 100-year window that starts 50
//!   years before `today`'s year. `today` in 2026: `76`–`99` → 1976–1999,
//!   `00`–`75` → 2000–2075. The Vietnamese `991231` ("no expiry") is handled
//!   by [`super::Mrz::expiry_on`].
//!
//! A birth date with unknown parts (ICAO Part 3: fillers for the unknown day
//! or month, `YYMM<<`, `YY<<<<`, `<<<<<<`) resolves to a
//! [`PartialDate`] of the known precision.

use crate::person::PartialDate;
use jiff::civil::Date;

/// A date as printed in the zone: six characters, `YYMMDD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MrzDate<'a>(&'a str);

/// The resolved date of expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expiry {
    /// Expires at the end of this day.
    On(Date),
    /// No expiry (không thời hạn): `991231` on a Vietnamese card, issued after
    /// the holder's 60th birthday.
    Never,
}

impl std::fmt::Display for Expiry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expiry::On(d) => write!(f, "{d}"),
            Expiry::Never => f.write_str("none"),
        }
    }
}

impl<'a> MrzDate<'a> {
    pub(super) fn new(raw: &'a str) -> Self {
        Self(raw)
    }
    /// The six characters as printed.
    pub fn raw(&self) -> &'a str {
        self.0
    }
    fn pair(&self, i: usize) -> Option<u8> {
        let b = self.0.as_bytes().get(i..i + 2)?;
        if b[0].is_ascii_digit() && b[1].is_ascii_digit() {
            Some((b[0] - b'0') * 10 + (b[1] - b'0'))
        } else {
            None
        }
    }
    /// Resolved as a date of birth: the latest matching date not after
    /// `today`; partial when the day or month is unknown (`<<`). `None` when
    /// the field is not a date, or all unknown.
    pub fn birth(&self, today: Date) -> Option<PartialDate> {
        let yy = i16::from(self.pair(0)?);
        let century = today.year() - today.year().rem_euclid(100);
        let mut year = century + yy;
        let month = self.pair(2);
        let day = self.pair(4);
        match (month, day) {
            (Some(m), Some(d)) => {
                let m = i8::try_from(m).ok()?;
                let d = i8::try_from(d).ok()?;
                let mut date = Date::new(year, m, d).ok();
                if date.is_none_or(|x| x > today) {
                    year -= 100;
                    date = Date::new(year, m, d).ok();
                }
                date.map(PartialDate::Full)
            }
            (Some(m), None) if &self.0[4..] == "<<" => {
                let month = i8::try_from(m).ok().filter(|m| (1..=12).contains(m))?;
                if (year, month) > (today.year(), today.month()) {
                    year -= 100;
                }
                Some(PartialDate::YearMonth { year, month })
            }
            (None, None) if &self.0[2..] == "<<<<" => {
                if year > today.year() {
                    year -= 100;
                }
                Some(PartialDate::Year(year))
            }
            _ => None,
        }
    }
    /// Resolved as a date of expiry, in the window `[today − 50 years,
    /// today + 50 years)` by year. `None` when not a calendar date.
    pub fn expiry(&self, today: Date) -> Option<Date> {
        let yy = i16::from(self.pair(0)?);
        let m = i8::try_from(self.pair(2)?).ok()?;
        let d = i8::try_from(self.pair(4)?).ok()?;
        let century = today.year() - today.year().rem_euclid(100);
        let mut year = century + yy;
        if year < today.year() - 50 {
            year += 100;
        } else if year >= today.year() + 50 {
            year -= 100;
        }
        Date::new(year, m, d).ok()
    }
}

impl std::fmt::Display for MrzDate<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// What is wrong with a date field, for the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateFault {
    /// A character that is not a digit at this offset (0–5).
    NotNumeric(usize),
    /// Digits, but no such day: month 13, day 46, 31 April …
    NotCalendar,
}

/// Checks a `YYMMDD` field. With `partial`, the unknown-part forms `YYMM<<`,
/// `YY<<<<` and `<<<<<<` are accepted. Leap years are judged from `YY % 4`
/// (right for every year from 1901 to 2099; the century is not known here).
pub(super) fn check_date(raw: &[u8], partial: bool) -> Result<(), DateFault> {
    if partial {
        let fillers = raw.iter().rev().take_while(|&&b| b == b'<').count();
        if matches!(fillers, 2 | 4 | 6) && raw[..6 - fillers].iter().all(u8::is_ascii_digit) {
            if fillers == 2 {
                let m = (raw[2] - b'0') * 10 + (raw[3] - b'0');
                if !(1..=12).contains(&m) {
                    return Err(DateFault::NotCalendar);
                }
            }
            return Ok(());
        }
    }
    if let Some(i) = raw.iter().position(|b| !b.is_ascii_digit()) {
        return Err(DateFault::NotNumeric(i));
    }
    let n = |i: usize| (raw[i] - b'0') * 10 + (raw[i + 1] - b'0');
    let (yy, m, d) = (n(0), n(2), n(4));
    let leap = yy % 4 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(DateFault::NotCalendar),
    };
    if d == 0 || d > days {
        return Err(DateFault::NotCalendar);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 21);

    #[test]
    fn birth_dates_are_in_the_past() {
        let cases = [
            ("740812", Some(PartialDate::Full(date(1974, 8, 12)))),
            ("200101", Some(PartialDate::Full(date(2020, 1, 1)))),
            ("261121", Some(PartialDate::Full(date(2026, 11, 21)))),
            ("261122", Some(PartialDate::Full(date(1926, 11, 22)))),
            ("000229", Some(PartialDate::Full(date(2000, 2, 29)))),
            (
                "7408<<",
                Some(PartialDate::YearMonth {
                    year: 1974,
                    month: 8,
                }),
            ),
            ("74<<<<", Some(PartialDate::Year(1974))),
            ("<<<<<<", None),
            ("741346", None),
            ("7A0812", None),
        ];
        for (raw, want) in cases {
            assert_eq!(MrzDate::new(raw).birth(TODAY), want, "{raw}");
        }
    }

    #[test]
    fn expiry_window_is_fifty_years_each_side() {
        let cases = [
            ("120415", Some(date(2012, 4, 15))),
            ("751231", Some(date(2075, 12, 31))),
            ("760101", Some(date(1976, 1, 1))),
            ("991231", Some(date(1999, 12, 31))),
            ("310230", None),
        ];
        for (raw, want) in cases {
            assert_eq!(MrzDate::new(raw).expiry(TODAY), want, "{raw}");
        }
    }

    #[test]
    fn calendar_check() {
        let ok = ["740812", "000229", "960229", "991231", "010131"];
        for raw in ok {
            assert_eq!(check_date(raw.as_bytes(), false), Ok(()), "{raw}");
        }
        let bad = [
            ("880941", DateFault::NotCalendar),
            ("200746", DateFault::NotCalendar),
            ("011329", DateFault::NotCalendar),
            ("010229", DateFault::NotCalendar),
            ("010400", DateFault::NotCalendar),
            ("7A0812", DateFault::NotNumeric(1)),
            ("1<0A15", DateFault::NotNumeric(1)),
            ("7408<<", DateFault::NotNumeric(4)),
        ];
        for (raw, want) in bad {
            assert_eq!(check_date(raw.as_bytes(), false), Err(want), "{raw}");
        }
        assert_eq!(check_date(b"7408<<", true), Ok(()));
        assert_eq!(check_date(b"74<<<<", true), Ok(()));
        assert_eq!(check_date(b"<<<<<<", true), Ok(()));
        assert_eq!(check_date(b"7413<<", true), Err(DateFault::NotCalendar));
        assert_eq!(check_date(b"7<0812", true), Err(DateFault::NotNumeric(1)));
    }
}
