//! The Ministry of Public Security's card hotline (tổng đài 1900 0368) as
//! dated data: which menu it played on a day, what each key did, its
//! opening hours and the article each fact was read from.
//!
//! The menus are `data/channels/hotline.toml` (format in the README next
//! to it), embedded with `include_str!`, parsed once and checked: periods
//! in order, contiguous, the last one open-ended; keys unique digits 1–8
//! (9 switches the language, 0, `*` and `#` are the voice menu's own), one
//! status key per menu. A broken file is not a panic: [`menus`] returns
//! the error (a test makes sure the shipped file passes) and [`menu_on`]
//! falls back to a minimal status-only menu with no operator hours.
//!
//! The menu changed: in 2023 key 1 was "card status", answered by an
//! operator; from 2024 key 4 is the status and key 5 the operator. Our
//! voice menu ([`super::ivr`]) keeps each period's keys, and its status
//! key always leads to the automatic lookup (by dossier code, or by ID
//! number and date of birth) first, with key 0 there for the operator —
//! so on the 2023 menu key 1 is "our status menu first, then the
//! operator". An operator is only dialled inside the period's opening
//! hours ([`HotlineMenu::open_at`]); the day a menu changed is not
//! published, so a period starts on the date of the first article that
//! shows it, and the earliest stands for the days before it too.

use std::sync::LazyLock;

use jiff::civil::{Date, DateTime, Weekday};
use serde::Deserialize;

use super::speech;
use crate::i18n::Lang;
use crate::office::{OpeningHours, TimeRange};

const HOTLINE: &str = include_str!("../../data/channels/hotline.toml");

/// What a key of the hotline's main menu does in our voice menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MenuAction {
    /// The application procedure, worded from the rules
    /// ([`super::answers::procedure`]).
    Procedure,
    /// The fees in force ([`super::answers::fees`]).
    Fees,
    /// How long issuance takes ([`super::answers::deadlines`]).
    Deadlines,
    /// The status menu: by dossier code, or by ID number and date of birth
    /// (key 0 there: the operator).
    Status,
    /// Put through to an operator (inside opening hours).
    Operator,
    /// A short spoken notice, then back to the main menu.
    Info(InfoText),
}

/// A notice spoken by a [`MenuAction::Info`] key, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfoText {
    /// In Vietnamese.
    pub vi: String,
    /// In English.
    pub en: String,
}

/// One key of a menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MenuItem {
    /// The key, `1`–`8`.
    pub key: char,
    /// What it does in our voice menu.
    pub action: MenuAction,
    /// What the source says the key did (quoted, Vietnamese).
    pub published: String,
    /// The prompt, Vietnamese ("…, bấm phím 4.").
    pub prompt_vi: String,
    /// The prompt, English ("…, press 4.").
    pub prompt_en: String,
}

impl MenuItem {
    /// The prompt in `lang`.
    pub fn prompt(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.prompt_vi,
            Lang::En => &self.prompt_en,
        }
    }
}

/// The hotline's menu of one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HotlineMenu {
    /// First day in force.
    pub from: Date,
    /// Last day in force (`9999-12-31`: still in force).
    pub until: Date,
    /// Where the menu and hours were read.
    pub source: String,
    /// The hotline's number as printed, `1900 0368`.
    pub number: String,
    /// The keys, in the order they are played.
    pub items: Vec<MenuItem>,
    /// When operators answer.
    pub hours: OpeningHours,
    /// The greeting, Vietnamese.
    pub greeting_vi: String,
    /// The greeting, English.
    pub greeting_en: String,
}

impl HotlineMenu {
    /// Whether operators answer at local time `at` (inside one of the day's
    /// spans, the closing minute excluded).
    pub fn open_at(&self, at: DateTime) -> bool {
        let minute = u16::try_from(i32::from(at.hour()) * 60 + i32::from(at.minute())).unwrap_or(0);
        self.hours
            .on(at.weekday())
            .iter()
            .any(|r| r.opens() <= minute && minute < r.closes())
    }

    /// The item on `key`, if the menu has one.
    pub fn item(&self, key: char) -> Option<&MenuItem> {
        self.items.iter().find(|i| i.key == key)
    }

    /// The greeting in `lang`.
    pub fn greeting(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.greeting_vi,
            Lang::En => &self.greeting_en,
        }
    }

    /// The operators' hours as a voice says them: "từ bảy giờ ba mươi phút
    /// đến hai mươi giờ, từ thứ Hai đến thứ Sáu" / "from seven thirty a.m.
    /// to eight p.m., Monday to Friday". Days with the same spans are
    /// grouped (Monday–Friday, Saturday, Sunday).
    pub fn hours_spoken(&self, lang: Lang) -> String {
        // The three kinds of day, in week order, with their spans.
        let days = [
            (Weekday::Monday, &self.hours.weekdays),
            (Weekday::Saturday, &self.hours.saturday),
            (Weekday::Sunday, &self.hours.sunday),
        ];
        let mut parts = Vec::new();
        let mut i = 0;
        while let Some(&(first, spans)) = days.get(i) {
            let mut last = first;
            i += 1;
            while let Some(&(next, more)) = days.get(i)
                && more == spans
            {
                last = next;
                i += 1;
            }
            if !spans.is_empty() {
                parts.push(format!(
                    "{}, {}",
                    spans_spoken(spans, lang),
                    days_spoken(first, last, lang)
                ));
            }
        }
        if parts.is_empty() {
            return match lang {
                Lang::Vi => "không có giờ trực của tổng đài viên".to_owned(),
                Lang::En => "no operator hours".to_owned(),
            };
        }
        parts.join("; ")
    }
}

/// "từ bảy giờ ba mươi phút đến hai mươi giờ và …".
fn spans_spoken(spans: &[TimeRange], lang: Lang) -> String {
    let words: Vec<String> = spans
        .iter()
        .map(|r| match lang {
            Lang::Vi => format!(
                "từ {} đến {}",
                speech::clock(r.opens()),
                speech::clock(r.closes())
            ),
            Lang::En => format!(
                "from {} to {}",
                speech::clock_en(r.opens()),
                speech::clock_en(r.closes())
            ),
        })
        .collect();
    words.join(match lang {
        Lang::Vi => " và ",
        Lang::En => " and ",
    })
}

/// A run of kinds of day with the same hours: Monday (standing for
/// Monday–Friday), Saturday or Sunday, from `first` to `last`.
fn days_spoken(first: Weekday, last: Weekday, lang: Lang) -> &'static str {
    use Weekday::{Saturday as Sat, Sunday as Sun};
    let (vi, en) = match (first, last) {
        (Sat, Sat) => ("thứ Bảy", "Saturday"),
        (Sat, Sun) => ("thứ Bảy và Chủ nhật", "Saturday and Sunday"),
        (Sun, _) => ("Chủ nhật", "Sunday"),
        (_, Sat) => ("từ thứ Hai đến thứ Bảy", "Monday to Saturday"),
        (_, Sun) => ("từ thứ Hai đến Chủ nhật", "Monday to Sunday"),
        _ => ("từ thứ Hai đến thứ Sáu", "Monday to Friday"),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// Why the embedded hotline data is unusable (caught by the tests).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("data/channels/hotline.toml: {0}")]
pub struct HotlineDataError(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    period: Vec<RawPeriod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    from: Date,
    until: Date,
    source: String,
    number: String,
    greeting_vi: String,
    greeting_en: String,
    hours: OpeningHours,
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawAction {
    Procedure,
    Fees,
    Deadlines,
    Status,
    Operator,
    Info,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    key: String,
    action: RawAction,
    published: String,
    vi: String,
    en: String,
    #[serde(default)]
    info_vi: Option<String>,
    #[serde(default)]
    info_en: Option<String>,
}

fn err(msg: String) -> HotlineDataError {
    HotlineDataError(msg)
}

fn item(from: Date, raw: RawItem) -> Result<MenuItem, HotlineDataError> {
    let at = |what: &str| err(format!("period from {from}, key {:?}: {what}", raw.key));
    let mut chars = raw.key.chars();
    let key = match (chars.next(), chars.next()) {
        (Some(k @ '1'..='8'), None) => k,
        _ => return Err(at("a key is one digit 1-8 (0, 9, * and # are reserved)")),
    };
    if [&raw.published, &raw.vi, &raw.en]
        .iter()
        .any(|t| t.trim().is_empty())
    {
        return Err(at("published, vi and en are required"));
    }
    let info = raw.info_vi.as_ref().zip(raw.info_en.as_ref());
    let action = match (raw.action, info) {
        (RawAction::Info, Some((vi, en))) if !vi.trim().is_empty() && !en.trim().is_empty() => {
            MenuAction::Info(InfoText {
                vi: vi.clone(),
                en: en.clone(),
            })
        }
        (RawAction::Info, _) => return Err(at("an info key needs info_vi and info_en")),
        _ if raw.info_vi.is_some() || raw.info_en.is_some() => {
            return Err(at("info_vi/info_en belong to info keys only"));
        }
        (RawAction::Procedure, _) => MenuAction::Procedure,
        (RawAction::Fees, _) => MenuAction::Fees,
        (RawAction::Deadlines, _) => MenuAction::Deadlines,
        (RawAction::Status, _) => MenuAction::Status,
        (RawAction::Operator, _) => MenuAction::Operator,
    };
    Ok(MenuItem {
        key,
        action,
        published: raw.published,
        prompt_vi: raw.vi,
        prompt_en: raw.en,
    })
}

/// Parses and checks a hotline file (the embedded one, or a test's).
fn parse(text: &str) -> Result<Vec<HotlineMenu>, HotlineDataError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let mut menus: Vec<HotlineMenu> = Vec::new();
    for p in raw.period {
        let from = p.from;
        if p.until < from {
            return Err(err(format!("period from {from} ends before it starts")));
        }
        if let Some(prev) = menus.last()
            && prev.until.tomorrow().ok() != Some(from)
        {
            return Err(err(format!(
                "period from {from} does not start the day after the one ending {}",
                prev.until
            )));
        }
        if [&p.source, &p.greeting_vi, &p.greeting_en]
            .iter()
            .any(|t| t.trim().is_empty())
        {
            return Err(err(format!(
                "period from {from}: source and greetings are required"
            )));
        }
        if !p.number.chars().any(|c| c.is_ascii_digit())
            || !p.number.chars().all(|c| c.is_ascii_digit() || c == ' ')
        {
            return Err(err(format!(
                "period from {from}: the number is digits and spaces"
            )));
        }
        let items = p
            .item
            .into_iter()
            .map(|i| item(from, i))
            .collect::<Result<Vec<_>, _>>()?;
        for (n, i) in items.iter().enumerate() {
            if items.iter().skip(n + 1).any(|j| j.key == i.key) {
                return Err(err(format!("period from {from}: key {} twice", i.key)));
            }
        }
        if items
            .iter()
            .filter(|i| i.action == MenuAction::Status)
            .count()
            != 1
        {
            return Err(err(format!(
                "period from {from}: exactly one status key expected"
            )));
        }
        menus.push(HotlineMenu {
            from,
            until: p.until,
            source: p.source,
            number: p.number,
            items,
            hours: p.hours,
            greeting_vi: p.greeting_vi,
            greeting_en: p.greeting_en,
        });
    }
    match menus.last() {
        None => Err(err("no [[period]]".to_owned())),
        Some(last) if last.until != Date::MAX => Err(err(format!(
            "the last period must run until {} (still in force)",
            Date::MAX
        ))),
        Some(_) => Ok(menus),
    }
}

static MENUS: LazyLock<Result<Vec<HotlineMenu>, HotlineDataError>> =
    LazyLock::new(|| parse(HOTLINE));

/// The menu used when the embedded data is unusable: the status lookup
/// only, no operator hours.
static FALLBACK: LazyLock<HotlineMenu> = LazyLock::new(|| HotlineMenu {
    from: Date::MIN,
    until: Date::MAX,
    source: "built-in fallback: data/channels/hotline.toml did not load".to_owned(),
    number: "1900 0368".to_owned(),
    items: vec![MenuItem {
        key: '1',
        action: MenuAction::Status,
        published: String::new(),
        prompt_vi: "Để nghe thông tin về tình trạng cấp thẻ căn cước, bấm phím 1.".to_owned(),
        prompt_en: "For the status of your card, press 1.".to_owned(),
    }],
    hours: OpeningHours::default(),
    greeting_vi: "Xin kính chào quý khách.".to_owned(),
    greeting_en: "Welcome.".to_owned(),
});

/// Every period's menu, oldest first, or why the embedded file is unusable.
pub fn menus() -> Result<&'static [HotlineMenu], HotlineDataError> {
    MENUS.as_deref().map_err(Clone::clone)
}

/// The menu in force on `date` (the earliest known one before it).
pub fn menu_on(date: Date) -> &'static HotlineMenu {
    let Ok(all) = MENUS.as_deref() else {
        return &FALLBACK;
    };
    all.iter()
        .find(|m| m.from <= date && date <= m.until)
        .or_else(|| all.first())
        .unwrap_or(&FALLBACK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn keys(m: &HotlineMenu) -> Vec<(char, MenuAction)> {
        m.items.iter().map(|i| (i.key, i.action.clone())).collect()
    }

    #[test]
    fn the_shipped_file_loads_and_is_consistent() {
        let all = menus().expect("hotline.toml loads");
        assert_eq!(all.len(), 2);
        for w in all.windows(2) {
            assert_eq!(w[0].until.tomorrow().ok(), Some(w[1].from));
        }
        for m in all {
            assert_eq!(m.number, "1900 0368");
            assert!(!m.source.is_empty());
            let mut ks: Vec<char> = m.items.iter().map(|i| i.key).collect();
            ks.sort_unstable();
            ks.dedup();
            assert_eq!(ks.len(), m.items.len());
            for i in &m.items {
                assert!(
                    i.prompt_vi.contains(&format!("bấm phím {}", i.key)),
                    "{}",
                    i.prompt_vi
                );
                assert!(
                    i.prompt_en.contains(&format!("press {}", i.key)),
                    "{}",
                    i.prompt_en
                );
            }
        }
    }

    #[test]
    fn the_2023_menu_puts_status_on_key_1_every_day() {
        let m = menu_on(date(2023, 6, 1));
        assert_eq!(m.from, date(2023, 3, 25));
        assert!(m.source.contains("danviet.vn"));
        let ks = keys(m);
        assert_eq!(ks.len(), 5);
        assert_eq!(ks[0], ('1', MenuAction::Status));
        assert_eq!(ks[1], ('2', MenuAction::Procedure));
        assert!(
            ks[2..]
                .iter()
                .all(|(_, a)| matches!(a, MenuAction::Info(_)))
        );
        assert_eq!(
            m.hours_spoken(Lang::Vi),
            "từ bảy giờ ba mươi phút đến hai mươi giờ, từ thứ Hai đến Chủ nhật"
        );
        assert_eq!(
            m.hours_spoken(Lang::En),
            "from seven thirty a.m. to eight p.m., Monday to Sunday"
        );
        // Sunday 2023-06-04, 19:59 and 20:00.
        assert!(m.open_at(date(2023, 6, 4).at(19, 59, 0, 0)));
        assert!(!m.open_at(date(2023, 6, 4).at(20, 0, 0, 0)));
        assert!(!m.open_at(date(2023, 6, 4).at(7, 29, 0, 0)));
        assert!(m.open_at(date(2023, 6, 4).at(7, 30, 0, 0)));
        // Days before the first article fall back to the earliest menu.
        assert_eq!(menu_on(date(2022, 1, 1)).from, date(2023, 3, 25));
        assert_eq!(menu_on(date(2023, 12, 31)).from, date(2023, 3, 25));
    }

    #[test]
    fn the_2024_menu_has_status_on_key_4_and_weekday_hours() {
        let m = menu_on(date(2024, 12, 1));
        assert_eq!(m.from, date(2024, 1, 1));
        assert_eq!(menu_on(date(2024, 1, 1)).from, date(2024, 1, 1));
        assert_eq!(
            keys(m),
            vec![
                ('1', MenuAction::Procedure),
                ('2', MenuAction::Fees),
                ('3', MenuAction::Deadlines),
                ('4', MenuAction::Status),
                ('5', MenuAction::Operator),
            ]
        );
        assert_eq!(m.item('4').map(|i| &i.action), Some(&MenuAction::Status));
        assert_eq!(m.item('6'), None);
        assert_eq!(m.item('9'), None);
        assert_eq!(
            m.hours_spoken(Lang::Vi),
            "từ bảy giờ ba mươi phút đến hai mươi giờ, từ thứ Hai đến thứ Sáu"
        );
        // 2024-12-01 is a Sunday: closed; Monday 2024-12-02 at 10:00 open.
        assert!(!m.open_at(date(2024, 12, 1).at(10, 0, 0, 0)));
        assert!(m.open_at(date(2024, 12, 2).at(10, 0, 0, 0)));
        assert!(!m.open_at(date(2024, 12, 7).at(10, 0, 0, 0)));
    }

    #[test]
    fn today_the_2024_menu_is_in_force() {
        let offset = jiff::tz::offset(7);
        let today = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::fixed(offset))
            .date();
        let m = menu_on(today);
        assert_eq!(m.from, date(2024, 1, 1));
        assert_eq!(m.until, Date::MAX);
        assert_eq!(
            m.greeting(Lang::Vi),
            "Tổng đài hướng dẫn về thẻ căn cước xin kính chào quý khách."
        );
    }

    #[test]
    fn hours_spoken_groups_days_with_the_same_spans() {
        let span = |s: &str| TimeRange::parse(s).expect(s);
        let mut m = menu_on(date(2024, 12, 1)).clone();
        m.hours = OpeningHours::usual_with_saturday_morning();
        assert_eq!(
            m.hours_spoken(Lang::Vi),
            "từ bảy giờ ba mươi phút đến mười một giờ ba mươi phút và từ mười ba giờ ba mươi phút đến mười bảy giờ, từ thứ Hai đến thứ Sáu; từ bảy giờ ba mươi phút đến mười một giờ ba mươi phút, thứ Bảy"
        );
        m.hours.saturday = vec![span("08:00-12:00")];
        m.hours.sunday = vec![span("08:00-12:00")];
        m.hours.weekdays = vec![span("07:00-19:00")];
        assert_eq!(
            m.hours_spoken(Lang::En),
            "from seven a.m. to seven p.m., Monday to Friday; from eight a.m. to twelve p.m., Saturday and Sunday"
        );
        m.hours = OpeningHours::default();
        assert_eq!(
            m.hours_spoken(Lang::Vi),
            "không có giờ trực của tổng đài viên"
        );
    }

    #[test]
    fn inconsistent_files_are_refused_with_the_reason() {
        let period = |from: &str, until: &str, items: &str| {
            format!(
                "[[period]]\nfrom = \"{from}\"\nuntil = \"{until}\"\nsource = \"s\"\nnumber = \"1900 0368\"\n\
                 greeting_vi = \"g\"\ngreeting_en = \"g\"\nhours = {{ weekdays = [\"07:30-20:00\"] }}\n{items}"
            )
        };
        let item = |key: &str, action: &str| {
            format!(
                "[[period.item]]\nkey = \"{key}\"\naction = \"{action}\"\npublished = \"p\"\nvi = \"v\"\nen = \"e\"\n"
            )
        };
        let ok = period("2024-01-01", "9999-12-31", &item("4", "status"));
        assert!(parse(&ok).is_ok());
        let cases = [
            (
                format!(
                    "{}{}",
                    period("2023-01-01", "2023-06-30", &item("1", "status")),
                    period("2024-01-01", "9999-12-31", &item("1", "status"))
                ),
                "does not start the day after",
            ),
            (
                period("2024-01-01", "2025-01-01", &item("1", "status")),
                "the last period must run until",
            ),
            (
                period(
                    "2024-01-01",
                    "9999-12-31",
                    &format!("{}{}", item("1", "status"), item("1", "fees")),
                ),
                "key 1 twice",
            ),
            (
                period("2024-01-01", "9999-12-31", &item("9", "status")),
                "reserved",
            ),
            (
                period("2024-01-01", "9999-12-31", &item("1", "fees")),
                "exactly one status key",
            ),
            (
                period(
                    "2024-01-01",
                    "9999-12-31",
                    &format!("{}{}", item("1", "status"), item("2", "info")),
                ),
                "needs info_vi and info_en",
            ),
            (String::new(), "missing field `period`"),
        ];
        for (text, want) in cases {
            let e = parse(&text).expect_err(want);
            assert!(e.to_string().contains(want), "{e} / want {want}");
        }
    }
}
