//! Usage errors in the reader's language.
//!
//! clap writes its own errors (an unknown flag, a missing argument, a value
//! its parser rejects) in English only. `main` parses with
//! `Cli::try_parse` and hands any error to [`render`], which rewrites it
//! from clap's structured context (the error kind, the argument, the value,
//! the accepted values, the usage line) in Vietnamese or English. The
//! language is known before the arguments are parsed, from `--lang` and
//! `CANCUOC_LANG` ([`lang_before_parse`]), so even a bad `--lang` gets an
//! answer. Help and version output are clap's own.
//!
//! The value parsers here ([`date`], [`expiry`]) return an [`ArgError`],
//! which carries both texts and a stable code; [`render`] picks the text. Any other parser's
//! error (a number clap could not read) is named by its kind.
//!
//! Hand-written because clap has no localization (its formatter trait
//! carries no state, so it cannot be told the language).

use cancuoc_core::calendar::parse_date;
use cancuoc_core::i18n::{Lang, Localized};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use jiff::civil::Date;
use std::ffi::OsString;
use std::fmt::Write as _;

/// The language of messages, read from the raw arguments and the
/// environment before clap parses them: the last `--lang en|vi` (or
/// `--lang=…`) before a `--`, else `CANCUOC_LANG`, else Vietnamese. An
/// unknown value counts as Vietnamese, the default; clap then reports it.
pub fn lang_before_parse(args: impl IntoIterator<Item = OsString>, env: Option<OsString>) -> Lang {
    let mut from_args: Option<OsString> = None;
    let mut args = args.into_iter().skip(1);
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            // A bare `--lang` at the end keeps what was said before it.
            if let Some(v) = args.next() {
                from_args = Some(v);
            }
        } else if let Some(v) = a.to_str().and_then(|s| s.strip_prefix("--lang=")) {
            from_args = Some(v.into());
        }
    }
    // Case-blind here, though clap is not: someone who typed `--lang EN`
    // reads clap's refusal in English.
    match from_args.or(env) {
        Some(v) if v.eq_ignore_ascii_case("en") => Lang::En,
        _ => Lang::Vi,
    }
}

/// A rejected argument value with a message in each language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError {
    code: &'static str,
    vi: String,
    en: String,
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for ArgError {}

impl Localized for ArgError {
    fn code(&self) -> &'static str {
        self.code
    }
    fn message_vi(&self) -> String {
        self.vi.clone()
    }
    fn message_en(&self) -> String {
        self.en.clone()
    }
}

impl ArgError {
    /// An error with a stable code and both texts.
    pub fn new(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code,
            vi: vi.into(),
            en: en.into(),
        }
    }
}

/// A date argument, `YYYY-MM-DD` (the flags `--dob`, `--today`, …), with
/// the calendar module's reasons (`calendar.bad_date`, a day or month that
/// does not exist).
pub fn date(s: &str) -> Result<Date, ArgError> {
    parse_date(s).map_err(|e| ArgError::new(e.code(), e.message_vi(), e.message_en()))
}

/// A date or none, as one value. An alias, because clap's derive reads a
/// field spelled `Option<…>` as an optional flag of the inner type, and this
/// flag is required: its value may say "none".
pub type DateOrNone = Option<Date>;

/// An expiry argument: a date, or `none` (also `never`, `không`, `khong`)
/// for a card without expiry.
pub fn expiry(s: &str) -> Result<DateOrNone, ArgError> {
    match s.trim() {
        "none" | "never" | "khong" | "không" => Ok(None),
        t => date(t).map(Some).map_err(|e| ArgError {
            vi: format!("{}; hoặc ghi none nếu thẻ không có thời hạn", e.vi),
            en: format!("{}; or none for a card without expiry", e.en),
            ..e
        }),
    }
}

/// The text of a clap error in `lang`, ready for stderr: the message, any
/// suggestion, the usage line and where to find help. Plain text (no
/// colours).
pub fn render(err: &clap::Error, lang: Lang) -> String {
    let t = |vi: &'static str, en: &'static str| match lang {
        Lang::Vi => vi,
        Lang::En => en,
    };
    let string = |k: ContextKind| match err.get(k) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let strings = |k: ContextKind| match err.get(k) {
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    };
    let arg = string(ContextKind::InvalidArg).unwrap_or("?");
    let value = string(ContextKind::InvalidValue).unwrap_or("");

    let mut out = format!("{}: ", crate::output::error_label(lang));
    match err.kind() {
        ErrorKind::InvalidValue if value.is_empty() => {
            let _ = write!(
                out,
                "{} '{arg}'",
                t("thiếu giá trị cho", "a value is required for")
            );
        }
        ErrorKind::InvalidValue => {
            let _ = write!(
                out,
                "{} '{value}' {} '{arg}'",
                t("giá trị không hợp lệ", "invalid value"),
                t("cho", "for")
            );
            let valid = strings(ContextKind::ValidValue);
            if !valid.is_empty() {
                let _ = write!(
                    out,
                    "\n  [{}: {valid}]",
                    t("các giá trị được chấp nhận", "possible values")
                );
            }
        }
        ErrorKind::ValueValidation => {
            let _ = write!(
                out,
                "{} '{value}' {} '{arg}'",
                t("giá trị không hợp lệ", "invalid value"),
                t("cho", "for")
            );
            if let Some(why) = value_reason(err, lang) {
                let _ = write!(out, ": {why}");
            }
        }
        ErrorKind::UnknownArgument => {
            let _ = write!(
                out,
                "{} '{arg}'",
                t("không nhận ra đối số", "unexpected argument")
            );
        }
        ErrorKind::InvalidSubcommand => {
            let sub = string(ContextKind::InvalidSubcommand).unwrap_or("?");
            let _ = write!(
                out,
                "{} '{sub}'",
                t("không có lệnh con", "unrecognized subcommand")
            );
        }
        ErrorKind::MissingRequiredArgument => {
            let _ = write!(
                out,
                "{}:",
                t(
                    "thiếu các đối số bắt buộc",
                    "the following required arguments were not provided"
                )
            );
            if let Some(ContextValue::Strings(list)) = err.get(ContextKind::InvalidArg) {
                for a in list {
                    let _ = write!(out, "\n  {a}");
                }
            }
        }
        ErrorKind::MissingSubcommand => {
            let sub = string(ContextKind::InvalidSubcommand).unwrap_or("cancuoc");
            let _ = write!(
                out,
                "'{sub}' {}",
                t("cần một lệnh con", "requires a subcommand")
            );
            let valid = strings(ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                let _ = write!(out, "\n  [{}: {valid}]", t("lệnh con", "subcommands"));
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = strings(ContextKind::PriorArg);
            if prior.is_empty() || prior == arg {
                let _ = write!(
                    out,
                    "'{arg}' {}",
                    t("chỉ được dùng một lần", "cannot be used multiple times")
                );
            } else {
                let _ = write!(
                    out,
                    "'{arg}' {} '{prior}'",
                    t("không dùng được cùng với", "cannot be used with")
                );
            }
        }
        ErrorKind::TooManyValues => {
            let _ = write!(
                out,
                "{} '{value}' {} '{arg}'",
                t("thừa giá trị", "unexpected value"),
                t("cho", "for")
            );
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let _ = write!(
                out,
                "{} '{arg}'",
                t("sai số lượng giá trị cho", "wrong number of values for")
            );
        }
        ErrorKind::NoEquals => {
            let _ = write!(
                out,
                "'{arg}' {}",
                t("cần dấu '=' trước giá trị", "needs '=' before its value")
            );
        }
        ErrorKind::InvalidUtf8 => {
            out.push_str(t(
                "một đối số không phải văn bản UTF-8 hợp lệ",
                "an argument is not valid UTF-8 text",
            ));
        }
        _ => {
            // Io, Format and kinds added to clap later: its own text, which
            // says what happened, rather than nothing.
            return err.render().to_string();
        }
    }
    for (kind, vi, en) in [
        (
            ContextKind::SuggestedArg,
            "có đối số tương tự",
            "a similar argument exists",
        ),
        (
            ContextKind::SuggestedSubcommand,
            "có lệnh tương tự",
            "a similar subcommand exists",
        ),
        (
            ContextKind::SuggestedValue,
            "có giá trị tương tự",
            "a similar value exists",
        ),
    ] {
        let similar = strings(kind);
        if !similar.is_empty() {
            let _ = write!(
                out,
                "\n\n  {}: {}: '{similar}'",
                t("gợi ý", "tip"),
                t(vi, en)
            );
        }
    }
    if let Some(ContextValue::StyledStrs(tips)) = err.get(ContextKind::Suggested) {
        for tip in tips {
            let _ = write!(
                out,
                "\n\n  {}: {}",
                t("gợi ý", "tip"),
                tip_in(&tip.to_string(), lang)
            );
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = err.get(ContextKind::Usage) {
        out.push_str("\n\n");
        out.push_str(&usage_in(&usage.to_string(), lang));
    }
    out.push_str(t(
        "\n\nDùng '--help' để xem thêm.\n",
        "\n\nFor more information, try '--help'.\n",
    ));
    out
}

/// The usage line(s) clap wrote (`Usage: cancuoc id [OPTIONS] <COMMAND>`,
/// continuation lines indented under the first), headed in `lang`.
fn usage_in(usage: &str, lang: Lang) -> String {
    const EN: &str = "Usage: ";
    const VI: &str = "Cách dùng: ";
    match (lang, usage.strip_prefix(EN)) {
        (Lang::Vi, Some(rest)) => {
            let indent = " ".repeat(VI.chars().count());
            let rest = rest.replace(
                &format!("\n{}", " ".repeat(EN.len())),
                &format!("\n{indent}"),
            );
            format!("{VI}{rest}")
        }
        _ => usage.to_owned(),
    }
}

/// One of clap's tips in `lang`. clap words three (`to pass '-3' as a
/// value, use '-- -3'`; `'decode --json' exists`; `subcommand 'id' exists;
/// to use it, remove the '--' before it`); they are matched by that wording,
/// and any other tip, or a rewording in a later clap, is shown as clap
/// wrote it.
fn tip_in(tip: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return tip.to_owned();
    }
    if let Some(rest) = tip.strip_prefix("to pass '")
        && let Some((arg, rest)) = rest.split_once("' as a value, use '")
        && let Some(with) = rest.strip_suffix('\'')
    {
        return format!("để dùng '{arg}' như một giá trị, viết '{with}'");
    }
    if let Some(rest) = tip.strip_prefix("subcommand '")
        && let Some((sub, _)) = rest.split_once("' exists; to use it, remove the '--'")
    {
        return format!("có lệnh con '{sub}'; để dùng nó, bỏ '--' đứng trước");
    }
    if let Some(what) = tip
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix("' exists"))
    {
        return format!("có '{what}'");
    }
    tip.to_owned()
}

/// Why a value parser refused a value, in `lang`: an [`ArgError`]'s own
/// text, or the kind of a number that could not be read.
fn value_reason(err: &clap::Error, lang: Lang) -> Option<String> {
    use std::num::IntErrorKind;
    let source = std::error::Error::source(err)?;
    if let Some(e) = source.downcast_ref::<ArgError>() {
        return Some(format!("{} [{}]", e.message(lang), e.code()));
    }
    let (vi, en) = if let Some(e) = source.downcast_ref::<std::num::ParseIntError>() {
        match e.kind() {
            IntErrorKind::Empty => ("giá trị rỗng", "the value is empty"),
            IntErrorKind::PosOverflow => ("số quá lớn", "the number is too large"),
            IntErrorKind::NegOverflow => ("số quá nhỏ", "the number is too small"),
            _ => ("cần một số nguyên", "expected a whole number"),
        }
    } else if source.is::<std::num::ParseFloatError>() {
        ("cần một số", "expected a number")
    } else {
        // clap's range checks ("70000 is not in 0..=65535") carry only a
        // text; read by that wording, shown as written if it ever changes.
        let text = source.to_string();
        let range = text
            .split_once(" is not in ")
            .and_then(|(_, r)| r.split_once("..="));
        return Some(match (lang, range) {
            (Lang::Vi, Some((low, high))) => format!("phải từ {low} đến {high}"),
            (Lang::En, Some((low, high))) => format!("must be from {low} to {high}"),
            _ => text,
        });
    };
    Some(match lang {
        Lang::Vi => vi.to_owned(),
        Lang::En => en.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn language_from_flags_then_environment() {
        let cases: [(&[&str], Option<&str>, Lang); 10] = [
            (&["cancuoc", "id", "decode"], None, Lang::Vi),
            (&["cancuoc", "--lang", "en", "id"], None, Lang::En),
            (&["cancuoc", "id", "--lang=en"], None, Lang::En),
            (&["cancuoc", "id"], Some("en"), Lang::En),
            (&["cancuoc", "--lang", "vi"], Some("en"), Lang::Vi),
            (&["cancuoc", "--lang", "en", "--lang", "vi"], None, Lang::Vi),
            (&["cancuoc", "--lang", "fr"], None, Lang::Vi),
            (&["cancuoc", "id", "--", "--lang", "en"], None, Lang::Vi),
            (&["cancuoc", "--lang", "en", "id", "--lang"], None, Lang::En),
            (&["cancuoc", "--lang", "EN", "id"], None, Lang::En),
        ];
        for (args, env, want) in cases {
            assert_eq!(
                lang_before_parse(os(args), env.map(OsString::from)),
                want,
                "{args:?} {env:?}"
            );
        }
    }

    fn parse(args: &[&str], lang: Lang) -> String {
        let cmd = clap::Command::new("demo")
            .arg(
                clap::Arg::new("n")
                    .long("n")
                    .value_parser(clap::value_parser!(u16)),
            )
            .arg(clap::Arg::new("day").long("day").value_parser(date))
            .arg(
                clap::Arg::new("sex")
                    .long("sex")
                    .value_parser(["male", "female"]),
            )
            .arg(clap::Arg::new("id").required(true))
            .subcommand(
                clap::Command::new("decode").arg(
                    clap::Arg::new("json")
                        .long("json")
                        .action(clap::ArgAction::SetTrue),
                ),
            )
            .args_conflicts_with_subcommands(true);
        let err = cmd
            .try_get_matches_from(args)
            .expect_err("the arguments are wrong");
        render(&err, lang)
    }

    #[test]
    fn clap_errors_in_each_language() {
        let cases: [(&[&str], &str, &str); 6] = [
            (
                &["demo"],
                "thiếu các đối số bắt buộc:\n  <id>",
                "required arguments were not provided:\n  <id>",
            ),
            (
                &["demo", "x", "--bogus"],
                "không nhận ra đối số '--bogus'",
                "unexpected argument '--bogus'",
            ),
            (
                &["demo", "x", "--n", "70000"],
                "'70000' cho '--n <n>': phải từ 0 đến 65535",
                "'70000' for '--n <n>': must be from 0 to 65535",
            ),
            (
                &["demo", "x", "--n", "ba"],
                "cho '--n <n>': cần một số nguyên",
                "for '--n <n>': expected a whole number",
            ),
            (
                &["demo", "x", "--day", "2023-02-30"],
                "'2023-02-30' cho '--day <day>': ",
                "'2023-02-30' for '--day <day>': ",
            ),
            (
                &["demo", "x", "--sex", "nu"],
                "giá trị không hợp lệ 'nu' cho '--sex <sex>'\n  [các giá trị được chấp nhận: male, female]",
                "invalid value 'nu' for '--sex <sex>'\n  [possible values: male, female]",
            ),
        ];
        for (args, vi, en) in cases {
            let (text, english) = (parse(args, Lang::Vi), parse(args, Lang::En));
            assert!(
                text.starts_with("lỗi: ") && text.contains(vi),
                "{args:?}: {text}"
            );
            assert!(
                !text.contains("Usage") && !text.contains(en),
                "{args:?}: {text}"
            );
            // The usage line where clap gives one (not for a value its
            // parser refused), in the reader's language.
            assert_eq!(
                text.contains("\n\nCách dùng: demo"),
                english.contains("\n\nUsage: demo"),
                "{args:?}: {text}"
            );
            let text = english;
            assert!(
                text.starts_with("error: ") && text.contains(en),
                "{args:?}: {text}"
            );
            assert!(text.ends_with("try '--help'.\n"), "{text}");
            assert!(!text.contains(vi), "{args:?}: {text}");
        }
        // A missing or unknown argument comes with the usage line.
        for args in [&["demo"][..], &["demo", "x", "--bogus"]] {
            let text = parse(args, Lang::Vi);
            assert!(text.contains("\n\nCách dùng: demo"), "{text}");
            assert!(text.ends_with("Dùng '--help' để xem thêm.\n"), "{text}");
        }
    }

    #[test]
    fn clap_tips_in_each_language() {
        let cases: [(&[&str], &str, &str); 2] = [
            (
                &["demo", "--json", "decode"],
                "gợi ý: có 'decode --json'",
                "tip: 'decode --json' exists",
            ),
            (
                &["demo", "x", "-3"],
                "gợi ý: để dùng '-3' như một giá trị, viết '-- -3'",
                "tip: to pass '-3' as a value, use '-- -3'",
            ),
        ];
        for (args, vi, en) in cases {
            let text = parse(args, Lang::Vi);
            assert!(text.contains(vi), "{args:?}: {text}");
            let text = parse(args, Lang::En);
            assert!(text.contains(en), "{args:?}: {text}");
        }
        let tip = "subcommand 'id' exists; to use it, remove the '--' before it";
        assert_eq!(
            tip_in(tip, Lang::Vi),
            "có lệnh con 'id'; để dùng nó, bỏ '--' đứng trước"
        );
        // A tip of another wording is shown as clap wrote it.
        assert_eq!(tip_in("something new", Lang::Vi), "something new");
    }

    #[test]
    fn dates_and_expiries() {
        assert_eq!(date(" 1999-01-31 "), Ok(jiff::civil::date(1999, 1, 31)));
        assert_eq!(
            date("2023-02-30").unwrap_err().code(),
            "calendar.no_such_date"
        );
        assert_eq!(date("31/01/1999").unwrap_err().code(), "calendar.bad_date");
        assert_eq!(date("").unwrap_err().code(), "calendar.bad_date");
        assert_eq!(expiry("none"), Ok(None));
        assert_eq!(expiry("không"), Ok(None));
        assert_eq!(
            expiry("2040-05-06"),
            Ok(Some(jiff::civil::date(2040, 5, 6)))
        );
        let e = expiry("soon").unwrap_err();
        assert_eq!(e.to_string(), e.message_en());
        assert_eq!(e.code(), "calendar.bad_date");
        assert!(e.message_vi().contains("none") && e.message_en().contains("none"));
    }
}
