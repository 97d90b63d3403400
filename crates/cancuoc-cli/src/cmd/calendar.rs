//! `cancuoc calendar`: the Vietnamese lunar calendar (âm lịch), public
//! holidays and working days of public offices (ngày làm việc).
//!
//! - `lunar DATE [--json]`: solar → lunar, with the can chi year name.
//! - `solar YEAR-MONTH-DAY [--leap] [--json]`: lunar → solar.
//! - `holidays YEAR [--json]`: the days off of a year, each with its kind
//!   (`holiday`, `compensatory`, `official`) and legal basis; make-up
//!   Saturdays (làm bù) are listed after them in human output.
//! - `add-working-days DATE N [--json]`: "within N working days of DATE".
//! - `working-days FROM TO [--json]`: working days in (FROM, TO].
//! - `is-working-day DATE [--json]`: yes or no, and why not.
//!
//! `--decision FILE` (repeatable, before or after the subcommand) adds an
//! official holiday decision file (`data/holidays/README.md`) to the
//! embedded ones. Dates are `YYYY-MM-DD`; a bad, impossible or out-of-range
//! date, or a lunar date that does not exist, is a usage error (exit 2) with
//! the message in the reader's language and its code.

use crate::Ctx;
use crate::output::{EXIT_OK, date_arg, pick, print_json, usage_error as usage};
use cancuoc_core::basis::LegalBasis;
use cancuoc_core::calendar::lunar::can_chi_year;
use cancuoc_core::calendar::{
    DayStatus, Holiday, LunarDate, MakeUpDay, WorkingCalendar, to_lunar, to_solar,
};
use cancuoc_core::i18n::{Lang, Localized};
use clap::Subcommand;
use jiff::civil::Date;
use serde::Serialize;
use std::borrow::Cow;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `cancuoc calendar`.
#[derive(clap::Args, Debug)]
pub struct CalendarArgs {
    /// An official holiday decision file (TOML, see
    /// data/holidays/README.md) to apply on top of the embedded ones
    /// (quyết định nghỉ lễ bổ sung). Repeatable; later files win.
    #[arg(long = "decision", value_name = "FILE", global = true)]
    decisions: Vec<PathBuf>,

    #[command(subcommand)]
    command: CalendarCommand,
}

#[derive(Subcommand, Debug)]
enum CalendarCommand {
    /// Solar date → Vietnamese lunar date (dương lịch → âm lịch).
    Lunar {
        /// The solar date, YYYY-MM-DD.
        date: String,
        /// Print JSON: {solar, lunar: {year, month, day, leap}, can_chi}.
        #[arg(long)]
        json: bool,
    },
    /// Vietnamese lunar date → solar date (âm lịch → dương lịch).
    Solar {
        /// The lunar date, YEAR-MONTH-DAY (e.g. 2025-03-10).
        date: String,
        /// The date is in the leap month (tháng nhuận); `2025-06L-01` also works.
        #[arg(long)]
        leap: bool,
        /// Print JSON: {lunar: {…}, solar}.
        #[arg(long)]
        json: bool,
    },
    /// Days off of a year: holidays, compensatory and official days
    /// (ngày nghỉ lễ, tết, nghỉ bù, nghỉ theo quyết định).
    Holidays {
        /// The year, 2000–2199.
        year: i16,
        /// Print JSON: an array of {date, name_vi, name_en, kind, occasion, basis}.
        #[arg(long)]
        json: bool,
    },
    /// The date N working days after DATE; DATE itself does not count
    /// (N = 1 from a Monday is the Tuesday).
    AddWorkingDays {
        /// The starting date, YYYY-MM-DD.
        date: String,
        /// Number of working days.
        n: u32,
        /// Print JSON: {from, n, date}.
        #[arg(long)]
        json: bool,
    },
    /// Number of working days in (FROM, TO]: FROM excluded, TO included.
    WorkingDays {
        /// First date (excluded), YYYY-MM-DD.
        from: String,
        /// Last date (included), YYYY-MM-DD.
        to: String,
        /// Print JSON: {from, to, working_days}.
        #[arg(long)]
        json: bool,
    },
    /// Is DATE a working day of public offices, and if not, why?
    IsWorkingDay {
        /// The date, YYYY-MM-DD.
        date: String,
        /// Print JSON: {date, working, reason: {code, message_vi,
        /// message_en, basis} or null, make_up}.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `cancuoc calendar`.
pub fn run(args: CalendarArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let owned;
    let cal: &WorkingCalendar = if args.decisions.is_empty() {
        WorkingCalendar::official()
    } else {
        let mut texts = Vec::with_capacity(args.decisions.len());
        for path in &args.decisions {
            let text = std::fs::read_to_string(path).map_err(|e| {
                anyhow::anyhow!(
                    "{}: {} ({e})",
                    path.display(),
                    pick(lang, "không đọc được tệp", "cannot read the file")
                )
            })?;
            texts.push(text);
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        owned = WorkingCalendar::with_overrides(&refs).map_err(|e| usage(&e, lang))?;
        &owned
    };
    match args.command {
        CalendarCommand::Lunar { date, json } => lunar(&date, json, lang),
        CalendarCommand::Solar { date, leap, json } => solar(&date, leap, json, lang),
        CalendarCommand::Holidays { year, json } => holidays(cal, year, json, lang),
        CalendarCommand::AddWorkingDays { date, n, json } => {
            let from = date_arg(&date, lang)?;
            let to = cal.add_working_days(from, n).map_err(|e| usage(&e, lang))?;
            if json {
                print_json(&AddOut { from, n, date: to })?;
            } else {
                println!(
                    "{}",
                    match lang {
                        Lang::Vi =>
                            format!("{from} + {n} ngày làm việc = {to} ({})", weekday(to, lang)),
                        Lang::En =>
                            format!("{from} + {n} working days = {to} ({})", weekday(to, lang)),
                    }
                );
            }
            Ok(EXIT_OK)
        }
        CalendarCommand::WorkingDays { from, to, json } => {
            let (from, to) = (date_arg(&from, lang)?, date_arg(&to, lang)?);
            let n = cal
                .working_days_between(from, to)
                .map_err(|e| usage(&e, lang))?;
            if json {
                print_json(&BetweenOut {
                    from,
                    to,
                    working_days: n,
                })?;
            } else {
                println!(
                    "{}",
                    match lang {
                        Lang::Vi => format!("{n} ngày làm việc từ sau {from} đến hết {to}"),
                        Lang::En =>
                            format!("{n} working days after {from} up to and including {to}"),
                    }
                );
            }
            Ok(EXIT_OK)
        }
        CalendarCommand::IsWorkingDay { date, json } => {
            let date = date_arg(&date, lang)?;
            let status = cal.is_working_day(date).map_err(|e| usage(&e, lang))?;
            if json {
                print_json(&StatusOut {
                    date,
                    status: &status,
                })?;
            } else {
                print_status(date, &status, lang);
            }
            Ok(EXIT_OK)
        }
    }
}

#[derive(Serialize)]
struct LunarOut {
    year: i16,
    month: u8,
    day: u8,
    leap: bool,
}

impl From<LunarDate> for LunarOut {
    fn from(l: LunarDate) -> Self {
        Self {
            year: l.year,
            month: l.month,
            day: l.day,
            leap: l.leap,
        }
    }
}

#[derive(Serialize)]
struct ConversionOut {
    solar: Date,
    lunar: LunarOut,
    /// Can chi name of the lunar year.
    can_chi: String,
}

#[derive(Serialize)]
struct AddOut {
    from: Date,
    n: u32,
    date: Date,
}

#[derive(Serialize)]
struct BetweenOut {
    from: Date,
    to: Date,
    working_days: i32,
}

#[derive(Serialize)]
struct StatusOut<'a> {
    date: Date,
    #[serde(flatten)]
    status: &'a DayStatus,
}

#[derive(Serialize)]
struct HolidayOut<'a> {
    date: Date,
    name_vi: &'a str,
    name_en: &'a str,
    kind: &'static str,
    occasion: cancuoc_core::calendar::Occasion,
    basis: &'a LegalBasis,
}

fn lunar(date: &str, json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let solar = date_arg(date, lang)?;
    let l = to_lunar(solar).map_err(|e| usage(&e, lang))?;
    print_conversion(solar, l, json, lang)
}

fn solar(date: &str, leap: bool, json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut l: LunarDate = date.parse().map_err(|e| usage(&e, lang))?;
    l.leap |= leap;
    let solar = to_solar(l).map_err(|e| usage(&e, lang))?;
    print_conversion(solar, l, json, lang)
}

fn print_conversion(solar: Date, l: LunarDate, json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let can_chi = can_chi_year(l.year);
    if json {
        print_json(&ConversionOut {
            solar,
            lunar: l.into(),
            can_chi,
        })?;
    } else {
        match lang {
            Lang::Vi => println!(
                "Dương lịch {solar} ({}) = âm lịch {} ({can_chi})",
                weekday(solar, lang),
                l.format_vi()
            ),
            Lang::En => println!(
                "Solar {solar} ({}) = lunar {} ({can_chi})",
                weekday(solar, lang),
                l.format_en()
            ),
        }
    }
    Ok(EXIT_OK)
}

fn holidays(cal: &WorkingCalendar, year: i16, json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let list = cal.holidays(year).map_err(|e| usage(&e, lang))?;
    let make_up = cal.make_up_days(year).map_err(|e| usage(&e, lang))?;
    if json {
        let out: Vec<HolidayOut<'_>> = list.iter().map(holiday_out).collect();
        print_json(&out)?;
        return Ok(EXIT_OK);
    }
    for h in &list {
        println!(
            "{}  {:<3}  {:<12}  {}  [{}]",
            h.date,
            weekday_short(h.date, lang),
            kind_label(h, lang),
            pick(lang, &h.name_vi, &h.name_en),
            h.basis
        );
    }
    for m in &make_up {
        print_make_up(m, lang);
    }
    Ok(EXIT_OK)
}

fn holiday_out(h: &Holiday) -> HolidayOut<'_> {
    HolidayOut {
        date: h.date,
        name_vi: &h.name_vi,
        name_en: &h.name_en,
        kind: h.kind.code(),
        occasion: h.occasion,
        basis: &h.basis,
    }
}

fn print_make_up(m: &MakeUpDay, lang: Lang) {
    let replaces: Cow<'_, str> = match (m.replaces, lang) {
        (Some(r), Lang::Vi) => format!(" thay cho {r}").into(),
        (Some(r), Lang::En) => format!(" instead of {r}").into(),
        (None, _) => "".into(),
    };
    println!(
        "{}  {:<3}  {:<12}  {}{replaces}  [{}]",
        m.date,
        weekday_short(m.date, lang),
        pick(lang, "làm bù", "make-up day"),
        pick(lang, "Ngày làm việc bù", "Working day (make-up)"),
        m.basis
    );
}

fn kind_label(h: &Holiday, lang: Lang) -> &'static str {
    use cancuoc_core::calendar::HolidayKind;
    match (h.kind, lang) {
        (HolidayKind::Holiday, Lang::Vi) => "nghỉ lễ",
        (HolidayKind::Holiday, Lang::En) => "holiday",
        (HolidayKind::Compensatory, Lang::Vi) => "nghỉ bù",
        (HolidayKind::Compensatory, Lang::En) => "compensatory",
        (HolidayKind::Official, Lang::Vi) => "theo q.định",
        (HolidayKind::Official, Lang::En) => "official",
    }
}

fn print_status(date: Date, status: &DayStatus, lang: Lang) {
    let day = weekday(date, lang);
    match (&status.reason, lang) {
        (None, Lang::Vi) => println!("{date} ({day}): ngày làm việc"),
        (None, Lang::En) => println!("{date} ({day}): working day"),
        (Some(r), Lang::Vi) => println!(
            "{date} ({day}): không phải ngày làm việc — {} [{}] [{}]",
            r.message_vi(),
            r.code(),
            r.basis()
        ),
        (Some(r), Lang::En) => println!(
            "{date} ({day}): not a working day — {} [{}] [{}]",
            r.message_en(),
            r.code(),
            r.basis()
        ),
    }
    if let Some(m) = &status.make_up {
        let replaces = m.replaces.map(|r| r.to_string()).unwrap_or_default();
        match lang {
            Lang::Vi => println!("  làm bù cho ngày nghỉ {replaces} [{}]", m.basis),
            Lang::En => println!("  make-up working day for {replaces} [{}]", m.basis),
        }
    }
}

fn weekday(d: Date, lang: Lang) -> &'static str {
    use jiff::civil::Weekday::*;
    match (d.weekday(), lang) {
        (Monday, Lang::Vi) => "thứ Hai",
        (Tuesday, Lang::Vi) => "thứ Ba",
        (Wednesday, Lang::Vi) => "thứ Tư",
        (Thursday, Lang::Vi) => "thứ Năm",
        (Friday, Lang::Vi) => "thứ Sáu",
        (Saturday, Lang::Vi) => "thứ Bảy",
        (Sunday, Lang::Vi) => "Chủ nhật",
        (Monday, Lang::En) => "Monday",
        (Tuesday, Lang::En) => "Tuesday",
        (Wednesday, Lang::En) => "Wednesday",
        (Thursday, Lang::En) => "Thursday",
        (Friday, Lang::En) => "Friday",
        (Saturday, Lang::En) => "Saturday",
        (Sunday, Lang::En) => "Sunday",
    }
}

fn weekday_short(d: Date, lang: Lang) -> &'static str {
    use jiff::civil::Weekday::*;
    match (d.weekday(), lang) {
        (Monday, Lang::Vi) => "T2",
        (Tuesday, Lang::Vi) => "T3",
        (Wednesday, Lang::Vi) => "T4",
        (Thursday, Lang::Vi) => "T5",
        (Friday, Lang::Vi) => "T6",
        (Saturday, Lang::Vi) => "T7",
        (Sunday, Lang::Vi) => "CN",
        (Monday, Lang::En) => "Mon",
        (Tuesday, Lang::En) => "Tue",
        (Wednesday, Lang::En) => "Wed",
        (Thursday, Lang::En) => "Thu",
        (Friday, Lang::En) => "Fri",
        (Saturday, Lang::En) => "Sat",
        (Sunday, Lang::En) => "Sun",
    }
}
