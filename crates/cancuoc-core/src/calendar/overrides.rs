//! Official per-year holiday decisions (quyết định / thông báo nghỉ lễ, tết)
//! read from TOML: the days off and make-up working days (làm bù) a decision
//! sets, replacing the default days of the occasions it covers.
//!
//! The format is documented in `data/holidays/README.md`. Files are parsed
//! with the `toml` crate and checked strictly: unknown fields, dates outside
//! the file's year, a make-up day that is not a weekend day, a day listed
//! twice or a decision without its number or source are errors.

use super::CalendarError;
use super::holidays::{Holiday, HolidayKind, MakeUpDay, Occasion};
use super::working::{MAX_YEAR, MIN_YEAR};
use crate::basis::LegalBasis;
use jiff::civil::{Date, Weekday};
use serde::Deserialize;
use std::borrow::Cow;

/// The decisions of one year, checked.
#[derive(Clone, Debug, Default)]
pub(crate) struct YearDecisions {
    pub year: i16,
    /// Occasions whose default days are replaced.
    pub replaces: Vec<Occasion>,
    /// Days off set by the decisions.
    pub days_off: Vec<Holiday>,
    /// Weekend days made working days.
    pub make_up: Vec<MakeUpDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    year: i64,
    #[serde(default)]
    decision: Vec<RawDecision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    number: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    issued: Option<toml::value::Datetime>,
    #[serde(default)]
    title: String,
    source: String,
    occasions: Vec<Occasion>,
    #[serde(default)]
    day_off: Vec<RawDayOff>,
    #[serde(default)]
    make_up: Vec<RawMakeUp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDayOff {
    date: toml::value::Datetime,
    occasion: Occasion,
    kind: HolidayKind,
    #[serde(default)]
    name_vi: Option<String>,
    #[serde(default)]
    name_en: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMakeUp {
    date: toml::value::Datetime,
    occasion: Occasion,
    #[serde(default)]
    replaces: Option<toml::value::Datetime>,
}

/// Parses and checks one year's decision file; `origin` names it in errors.
pub(crate) fn parse(origin: &str, text: &str) -> Result<YearDecisions, CalendarError> {
    let err = |location: String, en: String, vi: String| CalendarError::BadOverride {
        origin: origin.to_owned(),
        location,
        problem_en: en,
        problem_vi: vi,
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let msg = e.message().to_owned();
        let location = match e.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("line {line}")
            }
            None => "file".to_owned(),
        };
        err(
            location,
            format!("not a valid decision file: {msg}"),
            format!("tệp quyết định không hợp lệ: {msg}"),
        )
    })?;
    let year = i16::try_from(raw.year)
        .ok()
        .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
        .ok_or_else(|| {
            err(
                "year".into(),
                format!("year {} is outside {MIN_YEAR}–{MAX_YEAR}", raw.year),
                format!("năm {} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}", raw.year),
            )
        })?;
    let mut out = YearDecisions {
        year,
        ..YearDecisions::default()
    };
    if raw.decision.is_empty() {
        return Err(err(
            "decision".into(),
            "the file lists no [[decision]]".into(),
            "tệp không có mục [[decision]] nào".into(),
        ));
    }
    for (i, d) in raw.decision.iter().enumerate() {
        let at = format!("decision #{}", i + 1);
        if d.number.trim().is_empty() || d.source.trim().is_empty() {
            return Err(err(
                at,
                "a decision needs its number and the source it was read from".into(),
                "mỗi quyết định phải ghi số hiệu và nguồn tham khảo".into(),
            ));
        }
        if let Some(issued) = &d.issued {
            date_of(issued).map_err(|(en, vi)| err(format!("{at}.issued"), en, vi))?;
        }
        let _ = (&d.issuer, &d.title);
        let basis = LegalBasis {
            document: Cow::Owned(d.number.trim().to_owned()),
            article: Cow::Borrowed(""),
        };
        for o in &d.occasions {
            if !out.replaces.contains(o) {
                out.replaces.push(*o);
            }
        }
        for (j, day) in d.day_off.iter().enumerate() {
            let at = format!("{at}, day_off #{}", j + 1);
            let date = date_of(&day.date).map_err(|(en, vi)| err(format!("{at}.date"), en, vi))?;
            check_year(date, year).map_err(|(en, vi)| err(format!("{at}.date"), en, vi))?;
            if day.occasion != Occasion::Other && !d.occasions.contains(&day.occasion) {
                return Err(err(
                    format!("{at}.occasion"),
                    format!(
                        "occasion {:?} is not listed in the decision's occasions",
                        day.occasion
                    ),
                    format!(
                        "dịp {:?} không có trong danh sách occasions của quyết định",
                        day.occasion
                    ),
                ));
            }
            if out.days_off.iter().any(|h| h.date == date) {
                return Err(err(
                    format!("{at}.date"),
                    format!("{date} is listed twice as a day off"),
                    format!("ngày {date} được liệt kê hai lần là ngày nghỉ"),
                ));
            }
            let (vi, en) = default_names(day.occasion, day.kind);
            out.days_off.push(Holiday {
                date,
                name_vi: day.name_vi.clone().map_or(Cow::Borrowed(vi), Cow::Owned),
                name_en: day.name_en.clone().map_or(Cow::Borrowed(en), Cow::Owned),
                kind: day.kind,
                occasion: day.occasion,
                basis: basis.clone(),
            });
        }
        for (j, m) in d.make_up.iter().enumerate() {
            let at = format!("{at}, make_up #{}", j + 1);
            let date = date_of(&m.date).map_err(|(en, vi)| err(format!("{at}.date"), en, vi))?;
            check_year(date, year).map_err(|(en, vi)| err(format!("{at}.date"), en, vi))?;
            if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
                return Err(err(
                    format!("{at}.date"),
                    format!(
                        "{date} is a {:?}, already a working day: a make-up day must be a Saturday or Sunday",
                        date.weekday()
                    ),
                    format!(
                        "ngày {date} đã là ngày làm việc: ngày làm bù phải là thứ Bảy hoặc Chủ nhật"
                    ),
                ));
            }
            let replaces = match &m.replaces {
                Some(r) => {
                    Some(date_of(r).map_err(|(en, vi)| err(format!("{at}.replaces"), en, vi))?)
                }
                None => None,
            };
            if m.occasion != Occasion::Other && !d.occasions.contains(&m.occasion) {
                return Err(err(
                    format!("{at}.occasion"),
                    format!(
                        "occasion {:?} is not listed in the decision's occasions",
                        m.occasion
                    ),
                    format!(
                        "dịp {:?} không có trong danh sách occasions của quyết định",
                        m.occasion
                    ),
                ));
            }
            out.make_up.push(MakeUpDay {
                date,
                occasion: m.occasion,
                replaces,
                basis: basis.clone(),
            });
        }
    }
    for (j, m) in out.make_up.iter().enumerate() {
        if out.days_off.iter().any(|h| h.date == m.date) {
            return Err(err(
                format!("make_up #{}", j + 1),
                format!("{} is both a day off and a make-up working day", m.date),
                format!("ngày {} vừa là ngày nghỉ vừa là ngày làm bù", m.date),
            ));
        }
    }
    out.days_off.sort_by_key(|h| h.date);
    out.make_up.sort_by_key(|m| m.date);
    Ok(out)
}

fn default_names(occasion: Occasion, kind: HolidayKind) -> (&'static str, &'static str) {
    match kind {
        HolidayKind::Holiday => (occasion.name_vi(), occasion.name_en()),
        HolidayKind::Compensatory => ("Nghỉ bù", "Compensatory day off"),
        HolidayKind::Official => (
            "Nghỉ theo quyết định (hoán đổi)",
            "Day off by official decision (swapped)",
        ),
    }
}

/// A TOML value that must be a plain local date.
fn date_of(dt: &toml::value::Datetime) -> Result<Date, (String, String)> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => {
            Date::new(d.year as i16, d.month as i8, d.day as i8).map_err(|_| {
                (
                    format!("{dt} is not a real date"),
                    format!("{dt} không phải là ngày có thật"),
                )
            })
        }
        _ => Err((
            format!("{dt} must be a plain date YYYY-MM-DD (no time)"),
            format!("{dt} phải là ngày dạng YYYY-MM-DD (không kèm giờ)"),
        )),
    }
}

fn check_year(date: Date, year: i16) -> Result<(), (String, String)> {
    if date.year() == year {
        Ok(())
    } else {
        Err((
            format!("{date} is not in the file's year {year}"),
            format!("ngày {date} không thuộc năm {year} của tệp"),
        ))
    }
}
