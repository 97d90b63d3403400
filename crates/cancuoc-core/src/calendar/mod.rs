//! Vietnamese lunar calendar (âm lịch), public holidays (ngày nghỉ lễ, tết)
//! and working days (ngày làm việc) of public offices.
//!
//! - [`lunar`]: solar ↔ lunar conversion by Hồ Ngọc Đức's astronomical method
//!   at UTC+7, precomputed for 1900–2199.
//! - [`holidays`]: the holidays of the Labour Code (Bộ luật Lao động) with
//!   compensatory days (nghỉ bù), and the per-year official decisions
//!   (quyết định, thông báo nghỉ lễ) embedded from `data/holidays/YYYY.toml`.
//! - [`working`]: [`WorkingCalendar`] — is a day a working day, add N working
//!   days, count working days, with precomputed day tables (O(1)).
//!
//! Everything here is pure: dates come in as arguments, override files come
//! in as text.

mod days;
pub mod holidays;
pub mod lunar;
mod overrides;
pub mod working;

pub use holidays::{Holiday, HolidayKind, MakeUpDay, Occasion};
pub use lunar::{LunarDate, to_lunar, to_solar};
pub use working::{DayStatus, NonWorkingReason, WorkingCalendar};

use crate::i18n::Localized;
use jiff::civil::{Date, date};

/// First solar date the calendar supports.
pub const MIN_DATE: Date = date(1900, 1, 1);
/// Last solar date the calendar supports.
pub const MAX_DATE: Date = date(2199, 12, 31);

/// Reads a solar date written `YYYY-MM-DD`, with a precise error for text
/// that is not a date and for dates that do not exist (`2025-02-29`).
pub fn parse_date(input: &str) -> Result<Date, CalendarError> {
    let s = input.trim();
    let bad = || CalendarError::BadDateSyntax {
        input: input.to_owned(),
    };
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i32, CalendarError> {
        let t = &s[r];
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&month) {
        return Err(CalendarError::NoSuchDate {
            input: input.to_owned(),
            reason: NoSuchDate::Month(month as u8),
        });
    }
    let days = days_in_month(year, month);
    if day == 0 || day > days {
        return Err(CalendarError::NoSuchDate {
            input: input.to_owned(),
            reason: NoSuchDate::Day {
                day: day as u8,
                month: month as u8,
                year: year as i16,
                days: days as u8,
            },
        });
    }
    Date::new(year as i16, month as i8, day as i8).map_err(|_| bad())
}

fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Why a well-formed `YYYY-MM-DD` text is not a real date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoSuchDate {
    /// The month is not 1–12.
    Month(u8),
    /// The day is 0 or past the end of the month.
    Day {
        /// The day given.
        day: u8,
        /// The month.
        month: u8,
        /// The year.
        year: i16,
        /// How many days that month has.
        days: u8,
    },
}

/// Errors of the calendar (lỗi lịch).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The text is not a date written `YYYY-MM-DD`.
    #[error("{input:?} is not a date written YYYY-MM-DD")]
    BadDateSyntax {
        /// The text given.
        input: String,
    },
    /// A well-formed date that does not exist (`2025-02-29`, `2025-13-01`).
    #[error("{input:?} is not a real date: {}", no_such_en(reason))]
    NoSuchDate {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: NoSuchDate,
    },
    /// The text is not a lunar date written `YEAR-MONTH-DAY`.
    #[error(
        "{input:?} is not a lunar date written YEAR-MONTH-DAY (e.g. 2025-03-10, or 2025-06L-01 for a leap month)"
    )]
    BadLunarSyntax {
        /// The text given.
        input: String,
    },
    /// A solar date outside the supported range.
    #[error("date {date} is outside the supported range {min} to {max}")]
    DateOutOfRange {
        /// The date given (or reached).
        date: Date,
        /// First supported date.
        min: Date,
        /// Last supported date.
        max: Date,
    },
    /// Adding working days would go past the end of the calendar.
    #[error(
        "adding {n} working days to {from} goes past {max}, the end of the working-day calendar"
    )]
    PastEndOfRange {
        /// The starting date.
        from: Date,
        /// The working days to add.
        n: u32,
        /// Last supported date.
        max: Date,
    },
    /// A lunar year outside the precomputed table.
    #[error("lunar year {year} is outside the supported range {min} to {max}")]
    LunarYearOutOfRange {
        /// The year given.
        year: i16,
        /// First supported lunar year.
        min: i16,
        /// Last supported lunar year.
        max: i16,
    },
    /// A lunar month number other than 1–12.
    #[error("lunar month {month} does not exist: months are numbered 1 to 12")]
    InvalidLunarMonth {
        /// The month given.
        month: u8,
    },
    /// A lunar day number other than 1–30.
    #[error("lunar day {day} does not exist: days are numbered 1 to 30")]
    InvalidLunarDay {
        /// The day given.
        day: u8,
    },
    /// Day 30 of a 29-day lunar month (tháng thiếu).
    #[error("{} does not exist: that month has only {days} days", lunar.format_en())]
    ShortLunarMonth {
        /// The date given.
        lunar: LunarDate,
        /// Days in that month (29).
        days: u8,
    },
    /// A leap month asked for in a lunar year without one.
    #[error("lunar year {year} has no leap month, so leap month {month} does not exist")]
    NoLeapMonth {
        /// The lunar year.
        year: i16,
        /// The leap month asked for.
        month: u8,
    },
    /// A leap month asked for that is not the year's leap month.
    #[error("the leap month of lunar year {year} is month {leap_month}, not month {month}")]
    WrongLeapMonth {
        /// The lunar year.
        year: i16,
        /// The leap month asked for.
        month: u8,
        /// The year's actual leap month.
        leap_month: u8,
    },
    /// A year outside the range of the working-day calendar.
    #[error("year {year} is outside the working-day calendar, which covers {min} to {max}")]
    YearOutOfRange {
        /// The year given.
        year: i32,
        /// First supported year.
        min: i16,
        /// Last supported year.
        max: i16,
    },
    /// An official holiday decision file that cannot be used.
    #[error("holiday decision {origin}: {location}: {problem_en}")]
    BadOverride {
        /// Which file (or the position in the list given).
        origin: String,
        /// Where in the file (field or entry).
        location: String,
        /// What is wrong, in English.
        problem_en: String,
        /// What is wrong, in Vietnamese.
        problem_vi: String,
    },
}

fn no_such_en(r: &NoSuchDate) -> String {
    match *r {
        NoSuchDate::Month(m) => format!("month {m} does not exist (1 to 12)"),
        NoSuchDate::Day {
            day,
            month,
            year,
            days,
        } => format!("month {month} of {year} has {days} days, so day {day} does not exist"),
    }
}

fn no_such_vi(r: &NoSuchDate) -> String {
    match *r {
        NoSuchDate::Month(m) => format!("không có tháng {m} (tháng từ 1 đến 12)"),
        NoSuchDate::Day {
            day,
            month,
            year,
            days,
        } => format!("tháng {month}/{year} có {days} ngày, không có ngày {day}"),
    }
}

impl Localized for CalendarError {
    fn code(&self) -> &'static str {
        match self {
            Self::BadDateSyntax { .. } => "calendar.bad_date",
            Self::NoSuchDate { .. } => "calendar.no_such_date",
            Self::BadLunarSyntax { .. } => "calendar.bad_lunar_date",
            Self::DateOutOfRange { .. } => "calendar.date_out_of_range",
            Self::PastEndOfRange { .. } => "calendar.past_end_of_range",
            Self::LunarYearOutOfRange { .. } => "calendar.lunar_year_out_of_range",
            Self::InvalidLunarMonth { .. } => "calendar.invalid_lunar_month",
            Self::InvalidLunarDay { .. } => "calendar.invalid_lunar_day",
            Self::ShortLunarMonth { .. } => "calendar.short_lunar_month",
            Self::NoLeapMonth { .. } => "calendar.no_leap_month",
            Self::WrongLeapMonth { .. } => "calendar.wrong_leap_month",
            Self::YearOutOfRange { .. } => "calendar.year_out_of_range",
            Self::BadOverride { .. } => "calendar.bad_override",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            Self::BadDateSyntax { input } => {
                format!("{input:?} không phải là ngày viết theo dạng YYYY-MM-DD")
            }
            Self::NoSuchDate { input, reason } => {
                format!(
                    "{input:?} không phải là ngày có thật: {}",
                    no_such_vi(reason)
                )
            }
            Self::BadLunarSyntax { input } => format!(
                "{input:?} không phải là ngày âm lịch dạng NĂM-THÁNG-NGÀY (ví dụ 2025-03-10, hoặc 2025-06L-01 cho tháng nhuận)"
            ),
            Self::DateOutOfRange { date, min, max } => {
                format!("ngày {date} nằm ngoài phạm vi hỗ trợ từ {min} đến {max}")
            }
            Self::PastEndOfRange { from, n, max } => format!(
                "cộng {n} ngày làm việc vào ngày {from} sẽ vượt quá ngày {max}, ngày cuối của lịch ngày làm việc"
            ),
            Self::LunarYearOutOfRange { year, min, max } => {
                format!("năm âm lịch {year} nằm ngoài phạm vi hỗ trợ từ {min} đến {max}")
            }
            Self::InvalidLunarMonth { month } => {
                format!("không có tháng âm lịch {month}: tháng được đánh số từ 1 đến 12")
            }
            Self::InvalidLunarDay { day } => {
                format!("không có ngày âm lịch {day}: ngày được đánh số từ 1 đến 30")
            }
            Self::ShortLunarMonth { lunar, days } => format!(
                "không có {}: tháng đó là tháng thiếu, chỉ có {days} ngày",
                lunar.format_vi()
            ),
            Self::NoLeapMonth { year, month } => {
                format!("năm âm lịch {year} không có tháng nhuận, nên không có tháng {month} nhuận")
            }
            Self::WrongLeapMonth {
                year,
                month,
                leap_month,
            } => format!(
                "tháng nhuận của năm âm lịch {year} là tháng {leap_month}, không phải tháng {month}"
            ),
            Self::YearOutOfRange { year, min, max } => format!(
                "năm {year} nằm ngoài lịch ngày làm việc, lịch chỉ áp dụng từ năm {min} đến năm {max}"
            ),
            Self::BadOverride {
                origin,
                location,
                problem_vi,
                ..
            } => format!("quyết định nghỉ lễ {origin}: {location}: {problem_vi}"),
        }
    }

    fn message_en(&self) -> String {
        self.to_string()
    }
}
