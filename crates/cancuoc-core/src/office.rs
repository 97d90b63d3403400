//! Opening hours of an office (giờ làm việc của đơn vị): when it receives
//! citizens, as spans of minutes in a day for weekdays, Saturday and
//! Sunday. Which of those days an appointment can fall on is the booking
//! rules' business ([`crate::booking`]). Which structure of offices is in
//! force on a date, and an office's own period, are [`structure`].

use std::fmt;

pub mod structure;

pub use structure::{Period, PeriodError, Province2025, Structure};

use serde::{Deserialize, Serialize};

use crate::i18n::Localized;

/// Why a time range was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HoursError {
    /// Not `HH:MM-HH:MM`.
    #[error("{input:?} is not a time range HH:MM-HH:MM")]
    Syntax {
        /// The text given.
        input: String,
    },
    /// The range closes before it opens, or past midnight.
    #[error("time range {opens}..{closes} (minutes) is empty or past midnight")]
    Empty {
        /// Opening minute.
        opens: u16,
        /// Closing minute.
        closes: u16,
    },
}

impl Localized for HoursError {
    fn code(&self) -> &'static str {
        match self {
            HoursError::Syntax { .. } => "hours.syntax",
            HoursError::Empty { .. } => "hours.empty",
        }
    }
    fn message_vi(&self) -> String {
        match self {
            HoursError::Syntax { input } => {
                format!("{input:?} không phải khung giờ dạng HH:MM-HH:MM (ví dụ 07:30-11:30)")
            }
            HoursError::Empty { opens, closes } => format!(
                "Khung giờ {:02}:{:02}-{:02}:{:02} rỗng hoặc qua nửa đêm",
                opens / 60,
                opens % 60,
                closes / 60,
                closes % 60
            ),
        }
    }
    fn message_en(&self) -> String {
        match self {
            HoursError::Syntax { input } => {
                format!("{input:?} is not a time range HH:MM-HH:MM (e.g. 07:30-11:30)")
            }
            HoursError::Empty { opens, closes } => format!(
                "The time range {:02}:{:02}-{:02}:{:02} is empty or runs past midnight",
                opens / 60,
                opens % 60,
                closes / 60,
                closes % 60
            ),
        }
    }
}

/// A time span within one day (khung giờ), minutes since midnight, written
/// `HH:MM-HH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeRange {
    opens: u16,
    closes: u16,
}

impl TimeRange {
    /// A span from `opens` to `closes` (minutes since midnight, `opens <
    /// closes ≤ 1440`).
    pub fn new(opens: u16, closes: u16) -> Result<Self, HoursError> {
        if opens < closes && closes <= 24 * 60 {
            Ok(Self { opens, closes })
        } else {
            Err(HoursError::Empty { opens, closes })
        }
    }
    /// Reads `HH:MM-HH:MM`, e.g. `07:30-11:30`.
    pub fn parse(s: &str) -> Result<Self, HoursError> {
        let bad = || HoursError::Syntax {
            input: s.to_owned(),
        };
        let hm = |t: &str| -> Option<u16> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60).then_some(h * 60 + m)
        };
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        Self::new(hm(a).ok_or_else(bad)?, hm(b).ok_or_else(bad)?)
    }
    /// Opening minute since midnight.
    pub const fn opens(self) -> u16 {
        self.opens
    }
    /// Closing minute since midnight.
    pub const fn closes(self) -> u16 {
        self.closes
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.opens / 60,
            self.opens % 60,
            self.closes / 60,
            self.closes % 60
        )
    }
}

impl Serialize for TimeRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TimeRange::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Opening hours (giờ làm việc) of an office: Monday–Friday, Saturday (many
/// offices receive on Saturday morning) and Sunday, each a list of spans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHours {
    /// Thứ Hai – Thứ Sáu.
    pub weekdays: Vec<TimeRange>,
    /// Thứ Bảy.
    #[serde(default)]
    pub saturday: Vec<TimeRange>,
    /// Chủ nhật.
    #[serde(default)]
    pub sunday: Vec<TimeRange>,
}

impl OpeningHours {
    /// The spans of one day of the week (giờ làm việc theo ngày).
    pub fn on(&self, day: jiff::civil::Weekday) -> &[TimeRange] {
        use jiff::civil::Weekday;
        match day {
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
            _ => &self.weekdays,
        }
    }

    /// The usual hours of a reception office: 07:30–11:30 and 13:30–17:00 on
    /// weekdays, 07:30–11:30 on Saturday morning, closed on Sunday.
    pub fn usual_with_saturday_morning() -> Self {
        let span = |a, b| TimeRange {
            opens: a,
            closes: b,
        };
        Self {
            weekdays: vec![span(450, 690), span(810, 1020)],
            saturday: vec![span(450, 690)],
            sunday: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ranges_round_trip_and_reject_nonsense() {
        for ok in ["07:30-11:30", "13:30-17:00", "00:00-24:00"] {
            let r = TimeRange::parse(ok).expect(ok);
            assert_eq!(r.to_string(), ok);
        }
        let syntax = |s: &str| HoursError::Syntax {
            input: s.to_owned(),
        };
        for (bad, want) in [
            ("", syntax("")),
            ("7-11", syntax("7-11")),
            ("25:00-26:00", syntax("25:00-26:00")),
            ("07:60-08:00", syntax("07:60-08:00")),
            (
                "11:30-07:30",
                HoursError::Empty {
                    opens: 690,
                    closes: 450,
                },
            ),
            (
                "07:30-07:30",
                HoursError::Empty {
                    opens: 450,
                    closes: 450,
                },
            ),
        ] {
            assert_eq!(TimeRange::parse(bad), Err(want), "{bad}");
        }
    }

    #[test]
    fn opening_hours_json_shape() {
        let h = OpeningHours::usual_with_saturday_morning();
        let j = serde_json::to_string(&h).expect("json");
        assert_eq!(
            j,
            r#"{"weekdays":["07:30-11:30","13:30-17:00"],"saturday":["07:30-11:30"],"sunday":[]}"#
        );
        let back: OpeningHours = serde_json::from_str(&j).expect("parse");
        assert_eq!(back, h);
    }
}
