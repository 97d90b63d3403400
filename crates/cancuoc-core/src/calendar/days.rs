//! Day numbers: Gregorian dates ↔ Julian day numbers (số ngày Julius).
//!
//! Hand-rolled (the classic Fliegel–Van Flandern integer formulas) rather
//! than going through `jiff` spans: the lunar and working-day tables are
//! indexed by plain day numbers, and these few integer operations are much
//! cheaper than span arithmetic in the sub-microsecond hot paths.

use jiff::civil::Date;

/// Julian day number of a Gregorian year/month/day (no range checks).
pub(crate) const fn jdn_ymd(year: i32, month: i32, day: i32) -> i32 {
    let a = (14 - month) / 12;
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
}

/// Julian day number of a date.
pub(crate) fn jdn(date: Date) -> i32 {
    jdn_ymd(
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    )
}

/// The Gregorian date of a Julian day number (valid for the years jiff
/// supports; the calendar only calls it inside 1898–2200).
pub(crate) fn from_jdn(j: i32) -> Date {
    let a = j + 32044;
    let b = (4 * a + 3) / 146097;
    let c = a - b * 146097 / 4;
    let d = (4 * c + 3) / 1461;
    let e = c - 1461 * d / 4;
    let m = (5 * e + 2) / 153;
    let day = e - (153 * m + 2) / 5 + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = b * 100 + d - 4800 + m / 10;
    // The formulas always produce a real date; the fallback is unreachable
    // and only keeps this function panic-free.
    Date::new(year as i16, month as i8, day as i8).unwrap_or(Date::MIN)
}

/// Day of the week, 0 = Monday … 6 = Sunday.
pub(crate) const fn weekday(j: i32) -> i32 {
    j.rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn known_day_numbers() {
        assert_eq!(jdn(date(2000, 1, 1)), 2451545);
        assert_eq!(jdn(date(1900, 1, 1)), 2415021);
        assert_eq!(from_jdn(2451545), date(2000, 1, 1));
        assert_eq!(weekday(jdn(date(2026, 11, 21))), 5); // a Saturday
        assert_eq!(weekday(jdn(date(2024, 2, 12))), 0); // a Monday
    }

    #[test]
    fn round_trip_every_day_1898_to_2201() {
        let mut d = date(1898, 1, 1);
        let mut j = jdn(d);
        while d < date(2201, 1, 1) {
            assert_eq!(jdn(d), j);
            assert_eq!(from_jdn(j), d);
            d = d.tomorrow().unwrap();
            j += 1;
        }
    }
}
