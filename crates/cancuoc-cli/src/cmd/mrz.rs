//! `cancuoc mrz`: decode a machine-readable zone (vùng MRZ) and encode the
//! zone of a Vietnamese card.
//!
//! `decode` reads the zone from its arguments (all arguments form one zone)
//! or from stdin: consecutive lines form one zone, blank lines separate zones,
//! so a file of many cards is decoded in one run. A trailing CR and spaces
//! around a line are ignored; bytes that are not UTF-8 make their zone
//! invalid (a character outside the MRZ set) and the run goes on. Dates are resolved against today in Vietnam
//! (UTC+7), or `--today`.

use crate::Ctx;
use crate::output::{exit_for, json_line, pick};
use cancuoc_core::i18n::{ErrorBody, Lang, Localized};
use cancuoc_core::id::PersonalId;
use cancuoc_core::mrz::vn::{CardData, EncodeError, encode};
use cancuoc_core::mrz::{self, Expiry, Mrz};
use cancuoc_core::person::{PartialDate, Sex};
use clap::{Subcommand, ValueEnum};
use jiff::civil::Date;
use serde::Serialize;
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// Arguments of `cancuoc mrz`.
#[derive(clap::Args, Debug)]
pub struct MrzArgs {
    #[command(subcommand)]
    command: MrzCommand,
}

#[derive(Subcommand, Debug)]
enum MrzCommand {
    /// Decode and check a zone (giải mã, kiểm tra MRZ): TD1, TD2, TD3, MRV-A,
    /// MRV-B. Lines from the arguments, or stdin with blank lines between zones.
    Decode(DecodeArgs),
    /// Write the zone of a Vietnamese card (tạo MRZ thẻ Căn cước, TD1).
    Encode(EncodeArgs),
}

#[derive(clap::Args, Debug)]
struct DecodeArgs {
    /// One JSON object per zone, on one line each.
    #[arg(long)]
    json: bool,
    /// Resolve two-digit years against this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = crate::usage::date)]
    today: Option<Date>,
    /// The lines of one zone; read stdin when absent.
    lines: Vec<String>,
}

#[derive(clap::Args, Debug)]
struct EncodeArgs {
    /// Personal ID number, 12 digits (số định danh cá nhân).
    #[arg(long)]
    id: String,
    /// Full name, surname first (họ và tên), with diacritics.
    #[arg(long)]
    name: String,
    /// The surname (họ) as the record has it, e.g. "Tôn Nữ"; without it a
    /// known compound surname, else the first word.
    #[arg(long)]
    surname: Option<String>,
    /// Date of birth, YYYY-MM-DD (ngày sinh).
    #[arg(long, value_parser = crate::usage::date)]
    dob: Date,
    /// Sex (giới tính): M|F (also male, female, nam, nu).
    #[arg(long, value_enum)]
    sex: SexArg,
    /// Date of expiry YYYY-MM-DD, or `none` for a card without expiry.
    #[arg(long, value_parser = crate::usage::expiry)]
    expiry: crate::usage::DateOrNone,
    /// Print a JSON object instead of the three lines.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SexArg {
    #[value(name = "M", alias = "m", alias = "male", alias = "nam")]
    M,
    #[value(name = "F", alias = "f", alias = "female", alias = "nu", alias = "nữ")]
    F,
}

/// Runs `cancuoc mrz`.
pub fn run(args: MrzArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        MrzCommand::Decode(a) => decode(a, ctx),
        MrzCommand::Encode(a) => encode_cmd(a, ctx),
    }
}

fn decode(args: DecodeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let today = args.today.unwrap_or_else(crate::config::today_vn);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all_valid = true;
    let mut count = 0usize;
    let mut emit = |zone: &str, first_line: usize, out: &mut dyn Write| -> anyhow::Result<()> {
        count += 1;
        let valid = report(zone, first_line, today, args.json, ctx.lang, out)?;
        all_valid &= valid;
        Ok(())
    };
    if !args.lines.is_empty() {
        emit(&args.lines.join("\n"), 1, &mut out)?;
    } else {
        let mut block = String::new();
        let mut first_line = 0usize;
        // Bytes, not `lines()`: a line that is not UTF-8 is one zone's
        // defect, not the end of the run. Its bad bytes become U+FFFD, which
        // the parser reports as a character outside the MRZ set, with its
        // place.
        for (i, line) in std::io::stdin().lock().split(b'\n').enumerate() {
            let line = line.map_err(|e| {
                anyhow::anyhow!(
                    "{} {}: {e}",
                    pick(ctx.lang, "không đọc được dòng", "cannot read line"),
                    i + 1
                )
            })?;
            let line = String::from_utf8_lossy(line.strip_suffix(b"\r").unwrap_or(&line));
            if line.trim().is_empty() {
                if !block.is_empty() {
                    emit(&block, first_line, &mut out)?;
                    block.clear();
                }
                continue;
            }
            if block.is_empty() {
                first_line = i + 1;
            } else {
                block.push('\n');
            }
            block.push_str(&line);
        }
        if !block.is_empty() {
            emit(&block, first_line, &mut out)?;
        }
    }
    out.flush()?;
    if count == 0 {
        anyhow::bail!(
            "{}",
            pick(
                ctx.lang,
                "không có MRZ nào ở đầu vào (các dòng của một MRZ liền nhau, các MRZ cách nhau bởi dòng trống)",
                "no MRZ in the input (lines of one zone together, zones separated by a blank line)"
            )
        );
    }
    Ok(exit_for(all_valid))
}

#[derive(Serialize)]
struct CheckJson {
    field: &'static str,
    ok: bool,
    line: u8,
    column: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_vi: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_en: Option<String>,
}

#[derive(Serialize)]
struct FieldErrorJson {
    code: &'static str,
    field: &'static str,
    line: u8,
    column: u8,
    message_vi: String,
    message_en: String,
}

/// The JSON verdict of one zone: the same keys for every zone, `null` where
/// they do not apply. A zone of the wrong shape (line count, length, a
/// character outside the MRZ set) has `error` and no fields; a zone that
/// parsed has `error: null`, and its `checks` and `errors` say what failed.
#[derive(Default, Serialize)]
struct DecodedJson<'a> {
    format: Option<&'static str>,
    valid: bool,
    /// 1-based input line where the zone starts (1 for arguments).
    input_line: usize,
    document_code: Option<&'a str>,
    issuing_state: Option<&'a str>,
    document_number: Option<String>,
    surname: Option<String>,
    given_names: Option<String>,
    birth_date: Option<PartialDate>,
    birth_date_raw: Option<&'a str>,
    sex: Option<&'static str>,
    expiry_date: Option<String>,
    expiry_date_raw: Option<&'a str>,
    nationality: Option<&'a str>,
    optional_data: Option<&'a str>,
    /// TD1's second optional-data field; `null` in other formats.
    optional_data_2: Option<&'a str>,
    personal_id: Option<&'a str>,
    checks: Vec<CheckJson>,
    errors: Vec<FieldErrorJson>,
    error: Option<ErrorBody>,
}

fn sex_word(m: &Mrz<'_>) -> Option<&'static str> {
    match (m.sex(), m.sex_char()) {
        (Some(s), _) => Some(s.label_en()),
        (None, '<') => Some("unspecified"),
        _ => None,
    }
}

fn to_json<'a>(m: &Mrz<'a>, first_line: usize, today: Date) -> DecodedJson<'a> {
    DecodedJson {
        format: Some(m.format().as_str()),
        valid: m.is_valid(),
        input_line: first_line,
        document_code: Some(m.document_code()),
        issuing_state: Some(m.issuing_state()),
        document_number: Some(m.document_number().to_string()),
        surname: Some(m.surname_string()),
        given_names: Some(m.given_names_string()),
        birth_date: m.birth_date_on(today),
        birth_date_raw: Some(m.birth_date().raw()),
        sex: sex_word(m),
        expiry_date: m.expiry_on(today).map(|e| e.to_string()),
        expiry_date_raw: Some(m.expiry_date().raw()),
        nationality: Some(m.nationality()),
        optional_data: Some(m.optional_data()),
        optional_data_2: m.optional_data_2(),
        personal_id: m.personal_id(),
        checks: m
            .checks()
            .iter()
            .map(|c| CheckJson {
                field: c.field.as_str(),
                ok: c.ok,
                line: c.line,
                column: c.column,
                message_vi: (!c.ok).then(|| c.message_vi()),
                message_en: (!c.ok).then(|| c.message_en()),
            })
            .collect(),
        errors: m
            .field_errors()
            .iter()
            .map(|e| FieldErrorJson {
                code: e.code(),
                field: e.field.as_str(),
                line: e.line,
                column: e.column,
                message_vi: e.message_vi(),
                message_en: e.message_en(),
            })
            .collect(),
        error: None,
    }
}

/// Prints one zone's verdict; returns whether it is valid.
fn report(
    zone: &str,
    first_line: usize,
    today: Date,
    json: bool,
    lang: Lang,
    mut out: &mut dyn Write,
) -> anyhow::Result<bool> {
    let parsed = mrz::parse(zone);
    let valid = parsed.as_ref().is_ok_and(Mrz::is_valid);
    match (parsed, json) {
        (Err(e), true) => json_line(
            &mut out,
            &DecodedJson {
                input_line: first_line,
                error: Some(ErrorBody::of(&e)),
                ..DecodedJson::default()
            },
        )?,
        (Err(e), false) => {
            let at = pick(lang, "MRZ ở dòng", "MRZ at line");
            writeln!(out, "{at} {first_line}: {}", e.message(lang))?;
        }
        (Ok(m), true) => json_line(&mut out, &to_json(&m, first_line, today))?,
        (Ok(m), false) => human(&m, today, lang, out)?,
    }
    Ok(valid)
}

fn human(m: &Mrz<'_>, today: Date, lang: Lang, out: &mut dyn Write) -> anyhow::Result<()> {
    let l = |vi, en| pick(lang, vi, en);
    let verdict = if m.is_valid() {
        l("hợp lệ", "valid")
    } else {
        l("KHÔNG hợp lệ", "INVALID")
    };
    writeln!(out, "{} — {verdict}", m.format())?;
    let unknown = l("(không rõ)", "(unknown)");
    let birth = m
        .birth_date_on(today)
        .map_or(unknown.to_owned(), |d| d.to_string());
    let expiry = match m.expiry_on(today) {
        Some(Expiry::Never) => l("không thời hạn", "no expiry").to_owned(),
        Some(Expiry::On(d)) => d.to_string(),
        None => unknown.to_owned(),
    };
    let sex = match (m.sex(), m.sex_char()) {
        (Some(s), _) => l(s.label_vi(), s.label_en()).to_owned(),
        (None, '<') => l("không ghi", "unspecified").to_owned(),
        (None, c) => format!("{c:?}"),
    };
    let rows = [
        (
            l("Loại giấy tờ", "Document code"),
            m.document_code().to_owned(),
        ),
        (
            l("Quốc gia cấp", "Issuing state"),
            m.issuing_state().to_owned(),
        ),
        (
            l("Số giấy tờ", "Document number"),
            m.document_number().to_string(),
        ),
        (l("Họ", "Surname"), m.surname_string()),
        (l("Tên đệm và tên", "Given names"), m.given_names_string()),
        (
            l("Ngày sinh", "Date of birth"),
            format!("{birth} ({})", m.birth_date().raw()),
        ),
        (l("Giới tính", "Sex"), sex),
        (
            l("Có giá trị đến", "Date of expiry"),
            format!("{expiry} ({})", m.expiry_date().raw()),
        ),
        (l("Quốc tịch", "Nationality"), m.nationality().to_owned()),
        (
            l("Dữ liệu tùy chọn", "Optional data"),
            m.optional_data().to_owned(),
        ),
    ];
    for (label, value) in rows {
        writeln!(out, "  {label}: {value}")?;
    }
    if let Some(id) = m.personal_id() {
        writeln!(out, "  {}: {id}", l("Số định danh cá nhân", "Personal ID"))?;
    }
    let checks: Vec<String> = m
        .checks()
        .iter()
        .map(|c| {
            let name = l(c.field.label_vi(), c.field.label_en());
            format!("{name} {}", if c.ok { "✓" } else { "✗" })
        })
        .collect();
    writeln!(
        out,
        "  {}: {}",
        l("Chữ số kiểm tra", "Check digits"),
        checks.join(", ")
    )?;
    for c in m.checks().iter().filter(|c| !c.ok) {
        writeln!(out, "  ✗ {}", c.message(lang))?;
    }
    for e in m.field_errors() {
        writeln!(out, "  ✗ {}", e.message(lang))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct EncodedJson<'a> {
    valid: bool,
    lines: Option<&'a [String; 3]>,
    name_truncated: Option<bool>,
    /// The flag whose value could not be encoded; `null` when valid.
    flag: Option<&'static str>,
    error: Option<ErrorBody>,
}

/// Writes the zone of one card. Card data that cannot be encoded (a bad
/// `--id`, a name with no letter, an expiry before birth) is invalid input,
/// exit 1, as in `qr encode`, with the flag at fault; flags clap cannot read
/// are usage errors, exit 2. With `--json` the verdict is one JSON line on
/// stdout either way.
fn encode_cmd(args: EncodeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let json = args.json;
    let invalid = |flag: &'static str, e: &dyn Localized| -> anyhow::Result<ExitCode> {
        if json {
            let body = EncodedJson {
                valid: false,
                lines: None,
                name_truncated: None,
                flag: Some(flag),
                error: Some(ErrorBody::of(e)),
            };
            json_line(&mut std::io::stdout().lock(), &body)?;
        } else {
            eprintln!(
                "{} [{}] {flag}: {}",
                pick(lang, "KHÔNG HỢP LỆ", "INVALID"),
                e.code(),
                e.message(lang)
            );
        }
        Ok(exit_for(false))
    };
    let personal_id = match PersonalId::parse(&args.id) {
        Ok(id) => id,
        Err(e) => return invalid("--id", &e),
    };
    let card = CardData {
        personal_id,
        full_name: &args.name,
        surname: args.surname.as_deref(),
        birth_date: args.dob,
        sex: match args.sex {
            SexArg::M => Sex::Male,
            SexArg::F => Sex::Female,
        },
        expiry: args.expiry,
    };
    let zone = match encode(&card) {
        Ok(z) => z,
        Err(e @ EncodeError::Name(cancuoc_core::mrz::name::NameError::SurnameNotInName { .. })) => {
            return invalid("--surname", &e);
        }
        Err(e @ EncodeError::Name(_)) => return invalid("--name", &e),
        Err(e) => return invalid("--expiry", &e),
    };
    if zone.name_truncated {
        eprintln!(
            "{}",
            pick(
                lang,
                "lưu ý: họ tên dài hơn 30 ký tự nên đã được rút gọn theo ICAO 9303",
                "note: the name is longer than 30 characters and was truncated per ICAO 9303"
            )
        );
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        json_line(
            &mut out,
            &EncodedJson {
                valid: true,
                lines: Some(&zone.lines),
                name_truncated: Some(zone.name_truncated),
                flag: None,
                error: None,
            },
        )?;
    } else {
        writeln!(out, "{zone}")?;
    }
    Ok(ExitCode::SUCCESS)
}
