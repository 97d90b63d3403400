//! Shared person attributes: sex (giới tính) and possibly partial dates of
//! birth (ngày sinh không đầy đủ).
//!
//! Vietnamese records sometimes hold only a birth year, or a month and a year;
//! [`PartialDate`] keeps that precision instead of inventing a day.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Sex as recorded on the card (giới tính): `Nam` / `Nữ`. In JSON its code,
/// `male` or `female`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

    /// The stable code, as stored and sent over the API: `male` or
    /// `female` (the English word).
    pub const fn code(self) -> &'static str {
        self.label_en()
    }

    /// Reads sex as people and files write it (the one parser of the web
    /// forms, the API and the importer): `male`/`female`, `nam`/`nữ` (with
    /// or without the diacritic), `m`/`f`, in any case, trimmed.
    pub fn parse(input: &str) -> Result<Self, SexError> {
        let folded = crate::text::fold_diacritics(input.trim()).to_lowercase();
        match folded.as_str() {
            "male" | "nam" | "m" => Ok(Sex::Male),
            "female" | "nu" | "f" => Ok(Sex::Female),
            _ => Err(SexError {
                input: input.trim().chars().take(40).collect(),
            }),
        }
    }
}

impl std::str::FromStr for Sex {
    type Err = SexError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sex::parse(s)
    }
}

/// Why a sex could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a sex: expected male/nam (m) or female/nữ (f)")]
pub struct SexError {
    /// The text given (at most 40 characters).
    pub input: String,
}

impl crate::i18n::Localized for SexError {
    fn code(&self) -> &'static str {
        "sex.invalid"
    }
    fn message_vi(&self) -> String {
        if self.input.is_empty() {
            "Hãy chọn giới tính: Nam hoặc Nữ.".to_owned()
        } else {
            format!(
                "{:?} không phải giới tính: cần Nam (male, m) hoặc Nữ (female, f).",
                self.input
            )
        }
    }
    fn message_en(&self) -> String {
        if self.input.is_empty() {
            "Choose the sex: male (Nam) or female (Nữ).".to_owned()
        } else {
            format!(
                "{:?} is not a sex: expected male (Nam, m) or female (Nữ, f).",
                self.input
            )
        }
    }
}

/// A person's full name (họ, chữ đệm và tên) as typed on a form: letters,
/// spaces, apostrophes, hyphens and dots, 2 to [`FullName::MAX_CHARS`]
/// characters, runs of spaces collapsed. Diacritics are kept as typed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FullName(String);

impl FullName {
    /// Longest accepted name, in characters.
    pub const MAX_CHARS: usize = 100;

    /// Reads a typed name.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = name.chars().count();
        if len == 0 {
            return Err(NameError::Empty);
        }
        if let Some(found) = name
            .chars()
            .find(|c| !(c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.')))
        {
            return Err(NameError::Character { found });
        }
        if !(2..=Self::MAX_CHARS).contains(&len) {
            return Err(NameError::Length { chars: len });
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Why a typed name was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// Nothing typed.
    #[error("the name is empty")]
    Empty,
    /// A digit or symbol.
    #[error("a name has only letters and spaces (found {found:?})")]
    Character {
        /// The first offending character.
        found: char,
    },
    /// Too short or too long.
    #[error("a name is 2 to 100 characters long (this one has {chars})")]
    Length {
        /// Its length in characters.
        chars: usize,
    },
}

impl crate::i18n::Localized for NameError {
    fn code(&self) -> &'static str {
        match self {
            NameError::Empty => "name.empty",
            NameError::Character { .. } => "name.character",
            NameError::Length { .. } => "name.length",
        }
    }
    fn message_vi(&self) -> String {
        match self {
            NameError::Empty => "Hãy nhập họ và tên.".to_owned(),
            NameError::Character { found } => {
                format!("Họ và tên chỉ gồm chữ cái và dấu cách (có ký tự “{found}”).")
            }
            NameError::Length { chars } => format!(
                "Họ và tên dài từ 2 đến {} ký tự (hiện có {chars}).",
                FullName::MAX_CHARS
            ),
        }
    }
    fn message_en(&self) -> String {
        match self {
            NameError::Empty => "Enter the full name.".to_owned(),
            NameError::Character { found } => {
                format!("A name has only letters and spaces (found “{found}”).")
            }
            NameError::Length { chars } => format!(
                "A name is 2 to {} characters long (this one has {chars}).",
                FullName::MAX_CHARS
            ),
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

impl PartialDate {
    /// Reads a date as people type it, on a form or at a desk: day, month
    /// and year separated by `/`, `-`, `.` or spaces (`15/3/1990`,
    /// `15-03-1990`, `15.03.1990`, `15 3 1990`); only the month and year
    /// (`3/1990`) or the year (`1990`) when the day is not known; or ISO
    /// `yyyy-mm-dd` / `yyyy-mm` (what `<input type=date>` and the API send).
    /// One separator throughout, spaces around it allowed; the year has
    /// four digits (a two-digit year would leave the century to a guess);
    /// the date must exist. The one lenient date reader of every front end.
    pub fn parse_typed(input: &str) -> Result<Self, TypedDateError> {
        let err = || TypedDateError {
            input: input.trim().to_owned(),
        };
        let (parts, sep) = typed_parts(input.trim()).ok_or_else(err)?;
        let num = |p: &str| p.parse::<i16>().map_err(|_| err());
        let short = |p: &str| (1..=2).contains(&p.len());
        let year_month = |y: &str, m: &str| -> Result<Self, TypedDateError> {
            let month = i8::try_from(num(m)?).map_err(|_| err())?;
            if !(1..=12).contains(&month) {
                return Err(err());
            }
            Ok(PartialDate::YearMonth {
                year: num(y)?,
                month,
            })
        };
        let full = |y: &str, m: &str, d: &str| -> Result<Self, TypedDateError> {
            let m = i8::try_from(num(m)?).map_err(|_| err())?;
            let d = i8::try_from(num(d)?).map_err(|_| err())?;
            Date::new(num(y)?, m, d)
                .map(PartialDate::Full)
                .map_err(|_| err())
        };
        match parts.as_slice() {
            [y] if y.len() == 4 => Ok(PartialDate::Year(num(y)?)),
            // ISO, year first: only with hyphens (`1990/05/17` is a typo of
            // unknown order).
            [y, m] if y.len() == 4 && sep == Some('-') && short(m) => year_month(y, m),
            [m, y] if y.len() == 4 && short(m) => year_month(y, m),
            [y, m, d] if y.len() == 4 && sep == Some('-') && short(m) && short(d) => full(y, m, d),
            [d, m, y] if y.len() == 4 && short(m) && short(d) => full(y, m, d),
            _ => Err(err()),
        }
    }
}

/// Splits typed date text into its runs of ASCII digits and the one
/// punctuation separator used between them (`None` for spaces only);
/// `None` for any other character, two different separators, or a
/// separator with no digits on one side.
fn typed_parts(t: &str) -> Option<(Vec<&str>, Option<char>)> {
    let mut parts = Vec::new();
    let mut sep: Option<char> = None;
    let mut rest = t;
    loop {
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        parts.push(&rest[..end]);
        rest = &rest[end..];
        if rest.is_empty() {
            return Some((parts, sep));
        }
        // One gap: spaces, at most one punctuation mark, spaces.
        let gap_end = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let mut marks = rest[..gap_end].chars().filter(|c| !c.is_whitespace());
        match (marks.next(), marks.next()) {
            (None, _) => {}
            (Some(c @ ('/' | '-' | '.')), None) if sep.is_none_or(|s| s == c) => sep = Some(c),
            _ => return None,
        }
        rest = &rest[gap_end..];
    }
}

/// A date [`PartialDate::parse_typed`] cannot read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {input:?}: expected day/month/year, month/year or year")]
pub struct TypedDateError {
    /// The text that was given, trimmed.
    pub input: String,
}

impl crate::i18n::Localized for TypedDateError {
    fn code(&self) -> &'static str {
        "date.invalid"
    }
    fn message_vi(&self) -> String {
        format!(
            "Không đọc được ngày “{}”: hãy nhập một ngày có thật theo ngày/tháng/năm (ví dụ 15/03/1990 hoặc 15-3-1990); nếu chỉ biết tháng hoặc năm: 03/1990 hoặc 1990.",
            self.input
        )
    }
    fn message_en(&self) -> String {
        format!(
            "Cannot read the date “{}”: type a real date as day/month/year (for example 15/03/1990 or 15-3-1990); if only the month or year is known: 03/1990 or 1990.",
            self.input
        )
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

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_letters_collapsed_and_bounded() {
        assert_eq!(
            FullName::parse("  Nguyễn   Thị  Ánh ").map(FullName::into_string),
            Ok("Nguyễn Thị Ánh".to_owned())
        );
        assert_eq!(
            FullName::parse("H'Hen Niê-Trần").map(FullName::into_string),
            Ok("H'Hen Niê-Trần".to_owned())
        );
        assert_eq!(FullName::parse(" "), Err(NameError::Empty));
        assert_eq!(
            FullName::parse("Trần 2"),
            Err(NameError::Character { found: '2' })
        );
        assert_eq!(FullName::parse("A"), Err(NameError::Length { chars: 1 }));
        assert_eq!(
            FullName::parse(&"a".repeat(101)),
            Err(NameError::Length { chars: 101 })
        );
    }

    #[test]
    fn sex_is_read_in_both_languages_and_any_case() {
        for (input, want) in [
            ("male", Sex::Male),
            (" Nam ", Sex::Male),
            ("M", Sex::Male),
            ("female", Sex::Female),
            ("Nữ", Sex::Female),
            ("NU", Sex::Female),
            // Nữ typed decomposed (u, horn, tilde).
            ("Nu\u{31b}\u{303}", Sex::Female),
            ("f", Sex::Female),
        ] {
            assert_eq!(Sex::parse(input), Ok(want), "{input:?}");
        }
        for bad in ["", "x", "nam nữ", "males"] {
            let e = Sex::parse(bad).expect_err(bad);
            assert_eq!(e.input, bad.trim());
        }
        assert_eq!(Sex::Female.code(), "female");
    }

    #[test]
    fn typed_dates_are_read_with_any_usual_separator() {
        let full = PartialDate::Full(jiff::civil::date(1990, 3, 15));
        for typed in [
            "15/3/1990",
            "15/03/1990",
            "15-3-1990",
            "15.03.1990",
            "15 3 1990",
            " 15 / 3 / 1990 ",
            "15 . 03 . 1990",
            "1990-03-15",
        ] {
            assert_eq!(PartialDate::parse_typed(typed), Ok(full), "{typed:?}");
        }
        let march = PartialDate::YearMonth {
            year: 1990,
            month: 3,
        };
        for typed in ["3/1990", "03-1990", "3.1990", "3 1990", "1990-03"] {
            assert_eq!(PartialDate::parse_typed(typed), Ok(march), "{typed:?}");
        }
        assert_eq!(
            PartialDate::parse_typed("1990"),
            Ok(PartialDate::Year(1990))
        );
        for bad in [
            "",
            "31/02/1990",
            "15/13/1990",
            "0/3/1990",
            "1990/03/15",
            "15/3/90",
            "15/3-1990",
            "15//3/1990",
            "15/3/1990/1",
            "15/3",
            "ngày 15",
            "15,3,1990",
            "１５/3/1990",
            "115/3/1990",
        ] {
            let e = PartialDate::parse_typed(bad).expect_err(bad);
            assert_eq!(e.input, bad.trim());
            use crate::i18n::Localized;
            assert!(e.message_vi().contains("ngày/tháng/năm"), "{bad}");
            assert!(e.message_en().contains("day/month/year"), "{bad}");
        }
    }

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
