//! Output helpers shared by the commands: exit codes, JSON lines, and picking
//! a message in the reader's language.

use cancuoc_core::i18n::{Lang, Localized};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

/// Every input valid.
pub const EXIT_OK: ExitCode = ExitCode::SUCCESS;
/// Some input invalid.
pub const EXIT_INVALID: ExitCode = ExitCode::FAILURE;
/// Usage error: bad flags or arguments, unreadable input (clap uses 2 too).
pub fn exit_usage() -> ExitCode {
    ExitCode::from(2)
}

/// 0 when every input was valid, 1 otherwise.
pub fn exit_for(all_valid: bool) -> ExitCode {
    if all_valid { EXIT_OK } else { EXIT_INVALID }
}

/// Writes one value as a line of JSON to `out`.
pub fn json_line(out: &mut impl Write, value: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes one value as pretty JSON to stdout.
pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    serde_json::to_writer_pretty(&mut lock, value)?;
    lock.write_all(b"\n")?;
    Ok(())
}

/// The word that opens an error line on stderr: `lỗi` or `error`.
pub fn error_label(lang: Lang) -> &'static str {
    pick(lang, "lỗi", "error")
}

/// A localized error as a usage error (exit 2 from `main`): the message in
/// the reader's language, then its stable code, e.g. `… [calendar.bad_date]`.
pub fn usage_error(e: &(impl Localized + ?Sized), lang: Lang) -> anyhow::Error {
    anyhow::anyhow!("{} [{}]", e.message(lang), e.code())
}

/// A date argument the command reads itself (`YYYY-MM-DD`), as a usage
/// error in the reader's language when it cannot be read.
pub fn date_arg(s: &str, lang: Lang) -> anyhow::Result<jiff::civil::Date> {
    crate::usage::date(s).map_err(|e| usage_error(&e, lang))
}

/// A message in the reader's language.
pub fn msg(e: &(impl Localized + ?Sized), lang: Lang) -> String {
    e.message(lang)
}

/// Picks the Vietnamese or English variant of a label.
pub fn pick<'a>(lang: Lang, vi: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}
