//! Shared person attributes: sex (giới tính) and possibly partial dates of
//! birth (ngày sinh không đầy đủ).
//!
//! Vietnamese records sometimes hold only a birth year, or a month and a year;
//! [`PartialDate`] keeps that precision instead of inventing a day.

use jiff::civil::Date;
use serde::Serialize;

/// Sex as recorded on the card (giới tính): `Nam` / `Nữ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Nam.
    Male,
    /// Nữ.
    Female,
}

impl Sex {
    /// The Vietnamese word printed on cards: `Nam` or `Nữ`.
    pub const fn label_vi(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }
    /// The English word: `male` or `female`.
    pub const fn label_en(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// A date of birth that may lack its day, or its day and month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartialDate {
    /// Year, month and day known.
    Full(Date),
    /// Only year and month known (month 1–12).
    YearMonth {
        /// The year.
        year: i16,
        /// The month, 1–12.
        month: i8,
    },
    /// Only the year known.
    Year(i16),
}

impl PartialDate {
    /// The year, always known.
    pub fn year(&self) -> i16 {
        match *self {
            PartialDate::Full(d) => d.year(),
            PartialDate::YearMonth { year, .. } => year,
            PartialDate::Year(y) => y,
        }
    }
}

/// Why a partial date could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid partial date {input:?}: expected YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct PartialDateError {
    /// The text that was given.
    pub input: String,
}

impl crate::i18n::Localized for PartialDateError {
    fn code(&self) -> &'static str {
        "date.invalid"
    }
    fn message_vi(&self) -> String {
        format!(
            "Ngày không hợp lệ {:?}: cần dạng YYYY, YYYY-MM hoặc YYYY-MM-DD (ngày có thật)",
            self.input
        )
    }
    fn message_en(&self) -> String {
        format!(
            "Invalid date {:?}: expected YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)",
            self.input
        )
    }
}

impl std::str::FromStr for PartialDate {
    type Err = PartialDateError;

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar date).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PartialDateError {
            input: s.to_owned(),
        };
        let t = s.trim();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = t.split('-').collect();
        match parts.as_slice() {
            [y] if digits(y, 4) => Ok(PartialDate::Year(y.parse().map_err(|_| err())?)),
            [y, m] if digits(y, 4) && digits(m, 2) => {
                let month: i8 = m.parse().map_err(|_| err())?;
                if !(1..=12).contains(&month) {
                    return Err(err());
                }
                Ok(PartialDate::YearMonth {
                    year: y.parse().map_err(|_| err())?,
                    month,
                })
            }
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                let date = Date::new(
                    y.parse().map_err(|_| err())?,
                    m.parse().map_err(|_| err())?,
                    d.parse().map_err(|_| err())?,
                )
                .map_err(|_| err())?;
                Ok(PartialDate::Full(date))
            }
            _ => Err(err()),
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            PartialDate::Full(d) => write!(f, "{d}"),
            PartialDate::YearMonth { year, month } => write!(f, "{year:04}-{month:02}"),
            PartialDate::Year(y) => write!(f, "{y:04}"),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision_and_rejects_impossible_dates() {
        assert_eq!("1999".parse(), Ok(PartialDate::Year(1999)));
        assert_eq!(
            "1999-03".parse(),
            Ok(PartialDate::YearMonth {
                year: 1999,
                month: 3
            })
        );
        assert_eq!(
            "2000-02-29".parse(),
            Ok(PartialDate::Full(jiff::civil::date(2000, 2, 29)))
        );
        for bad in ["1999-13", "1999-02-30", "99", "1999/01/01", "", "１９９９"] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        assert_eq!(
            "1999-03".parse::<PartialDate>().unwrap().to_string(),
            "1999-03"
        );
    }
}
