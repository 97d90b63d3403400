//! `cancuoc qr`: decode the QR payload of a citizen identity card (mã QR trên
//! thẻ Căn cước công dân), or build one from card fields.
//!
//! `decode` takes the payload as an argument, or reads stdin: one payload per
//! line (a QR scanner in keyboard-wedge mode types the payload and Enter),
//! blank lines skipped, bytes that are not UTF-8 reported per line. Nothing
//! is masked in the output — it is the reader's own card — so do not pipe it
//! into logs.

use crate::Ctx;
use crate::output::{exit_for, json_line, msg, pick};
use cancuoc_core::i18n::{ErrorBody, Lang, Localized};
use cancuoc_core::id::PersonalId;
use cancuoc_core::person::Sex;
use cancuoc_core::qr::{CardFields, CardQr, Layout, OldId, QrError};
use clap::{Subcommand, ValueEnum};
use jiff::civil::Date;
use serde::Serialize;
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// Arguments of `cancuoc qr`.
#[derive(clap::Args, Debug)]
pub struct QrArgs {
    #[command(subcommand)]
    command: QrCommand,
}

#[derive(Subcommand, Debug)]
enum QrCommand {
    /// Decode a card's QR payload (giải mã nội dung mã QR): from the argument,
    /// or one payload per line on stdin.
    Decode(DecodeArgs),
    /// Build the QR payload of a card from its fields (tạo nội dung mã QR).
    Encode(EncodeArgs),
}

#[derive(clap::Args, Debug)]
struct DecodeArgs {
    /// One JSON object per payload, on one line each.
    #[arg(long)]
    json: bool,
    /// The payload `ID|CMND|name|ddmmyyyy|Nam/Nữ|residence|ddmmyyyy` (quote
    /// it); read from stdin, one per line, when absent.
    payload: Option<String>,
}

#[derive(clap::Args, Debug)]
struct EncodeArgs {
    /// Personal ID number, 12 digits (số định danh cá nhân).
    #[arg(long)]
    id: String,
    /// Old CMND/CCCD number, 9 or 12 digits (số CMND cũ); empty field if absent.
    #[arg(long)]
    cmnd: Option<String>,
    /// Full name (họ và tên), written as given.
    #[arg(long)]
    name: String,
    /// Date of birth, YYYY-MM-DD (ngày sinh).
    #[arg(long, value_parser = crate::usage::date)]
    dob: Date,
    /// Sex (giới tính): male|female (also m, nam / f, nu, nữ).
    #[arg(long, value_enum)]
    sex: SexArg,
    /// Place of residence (nơi thường trú), written as given.
    #[arg(long)]
    residence: String,
    /// Issue date, YYYY-MM-DD (ngày cấp).
    #[arg(long, value_parser = crate::usage::date)]
    issued: Date,
    /// Field layout: classic (7 fields), extended-2024 (7 + 4 empty fields),
    /// or auto: extended-2024 for cards issued from 2024-07-01.
    #[arg(long, value_enum, default_value_t = LayoutArg::Auto)]
    layout: LayoutArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SexArg {
    #[value(alias = "m", alias = "nam")]
    Male,
    #[value(alias = "f", alias = "nu", alias = "nữ")]
    Female,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LayoutArg {
    Auto,
    Classic,
    #[value(name = "extended-2024")]
    Extended2024,
}

/// Runs `cancuoc qr`.
pub fn run(args: QrArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        QrCommand::Decode(a) => decode(a, ctx),
        QrCommand::Encode(a) => encode(a, ctx),
    }
}

/// The JSON verdict of one payload; every card field `null` when invalid.
#[derive(Serialize)]
struct Verdict<'a> {
    valid: bool,
    /// 1-based stdin line, absent for a payload given as an argument.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    personal_id: Option<&'a str>,
    old_id: Option<&'a str>,
    full_name: Option<&'a str>,
    date_of_birth: Option<Date>,
    sex: Option<Sex>,
    residence: Option<&'a str>,
    issue_date: Option<Date>,
    layout: Option<&'static str>,
    extra_empty_fields: Option<u8>,
    warnings: Vec<ErrorBody>,
    error: Option<ErrorBody>,
}

impl<'a> Verdict<'a> {
    fn of(result: &'a Result<CardQr, QrError>, line: Option<usize>) -> Self {
        match result {
            Ok(c) => Verdict {
                valid: true,
                line,
                personal_id: Some(c.personal_id().as_str()),
                old_id: c.old_id().map(OldId::as_str),
                full_name: Some(c.full_name()),
                date_of_birth: Some(c.date_of_birth()),
                sex: Some(c.sex()),
                residence: Some(c.residence()),
                issue_date: Some(c.issue_date()),
                layout: Some(c.layout().name()),
                extra_empty_fields: Some(c.layout().extra_empty_fields()),
                warnings: c.warnings().iter().map(ErrorBody::of).collect(),
                error: None,
            },
            Err(e) => Verdict {
                valid: false,
                line,
                personal_id: None,
                old_id: None,
                full_name: None,
                date_of_birth: None,
                sex: None,
                residence: None,
                issue_date: None,
                layout: None,
                extra_empty_fields: None,
                warnings: Vec::new(),
                error: Some(ErrorBody::of(e)),
            },
        }
    }
}

fn decode(args: DecodeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut all_valid = true;
    let mut seen = 0usize;
    let mut emit = |out: &mut dyn Write, bytes: &[u8], line: Option<usize>| -> anyhow::Result<()> {
        let result = CardQr::parse_bytes(bytes);
        all_valid &= result.is_ok();
        if args.json {
            json_line(&mut &mut *out, &Verdict::of(&result, line))?;
        } else {
            if seen > 0 {
                writeln!(out)?;
            }
            human(out, &result, line, ctx.lang)?;
        }
        seen += 1;
        Ok(())
    };
    match &args.payload {
        Some(p) => emit(&mut out, p.as_bytes(), None)?,
        None => {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            let mut buf = Vec::with_capacity(512);
            let mut n = 0usize;
            loop {
                buf.clear();
                if input.read_until(b'\n', &mut buf)? == 0 {
                    break;
                }
                n += 1;
                if buf.iter().all(|&b| b == b'\r' || b == b'\n') {
                    continue;
                }
                emit(&mut out, &buf, Some(n))?;
            }
        }
    }
    out.flush()?;
    if seen == 0 {
        anyhow::bail!(
            "{}",
            pick(
                ctx.lang,
                "không có mã QR nào: truyền một mã làm tham số hoặc mỗi dòng một mã qua stdin",
                "no payload: give one as an argument, or one per line on stdin"
            )
        );
    }
    Ok(exit_for(all_valid))
}

/// `dd/mm/yyyy` for Vietnamese readers, ISO `yyyy-mm-dd` for English ones.
fn show_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
        Lang::En => d.to_string(),
    }
}

fn human(
    out: &mut dyn Write,
    result: &Result<CardQr, QrError>,
    line: Option<usize>,
    lang: Lang,
) -> anyhow::Result<()> {
    if let Some(n) = line {
        write!(out, "{} {n}: ", pick(lang, "Dòng", "Line"))?;
    }
    let c = match result {
        Ok(c) => c,
        Err(e) => {
            writeln!(
                out,
                "{} [{}] {}",
                pick(lang, "KHÔNG HỢP LỆ", "INVALID"),
                e.code(),
                msg(e, lang)
            )?;
            return Ok(());
        }
    };
    writeln!(out, "{}", pick(lang, "HỢP LỆ", "VALID"))?;
    let none = pick(lang, "(không có)", "(none)");
    let layout = match c.layout().name() {
        "classic" => pick(lang, "7 trường (thẻ CCCD)", "7 fields (CCCD card)").to_owned(),
        "extended-2024" => pick(
            lang,
            "7 trường + 4 trường trống (thẻ Căn cước từ 01/07/2024)",
            "7 fields + 4 empty (Căn cước card, from 2024-07-01)",
        )
        .to_owned(),
        _ => match lang {
            Lang::Vi => format!(
                "7 trường + {} trường trống",
                c.layout().extra_empty_fields()
            ),
            Lang::En => format!("7 fields + {} empty", c.layout().extra_empty_fields()),
        },
    };
    let sex = match lang {
        Lang::Vi => c.sex().label_vi(),
        Lang::En => c.sex().label_en(),
    };
    let rows: [(&str, &str, String); 8] = [
        (
            "Số định danh cá nhân",
            "Personal ID",
            c.personal_id().as_str().to_owned(),
        ),
        (
            "Số CMND/CCCD cũ",
            "Old ID (CMND)",
            c.old_id().map_or(none, OldId::as_str).to_owned(),
        ),
        ("Họ và tên", "Full name", c.full_name().to_owned()),
        (
            "Ngày sinh",
            "Date of birth",
            show_date(c.date_of_birth(), lang),
        ),
        ("Giới tính", "Sex", sex.to_owned()),
        ("Nơi thường trú", "Residence", c.residence().to_owned()),
        ("Ngày cấp", "Issue date", show_date(c.issue_date(), lang)),
        ("Bố cục", "Layout", layout),
    ];
    for (vi, en, value) in rows {
        writeln!(out, "  {:<22}{value}", format!("{}:", pick(lang, vi, en)))?;
    }
    for w in c.warnings() {
        writeln!(
            out,
            "  {} [{}] {}",
            pick(lang, "Cảnh báo", "Warning"),
            w.code(),
            msg(&w, lang)
        )?;
    }
    Ok(())
}

fn encode(args: EncodeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let invalid = |flag: &str, e: &dyn Localized| {
        eprintln!(
            "{} [{}] {flag}: {}",
            pick(lang, "KHÔNG HỢP LỆ", "INVALID"),
            e.code(),
            msg(e, lang)
        );
        exit_for(false)
    };
    let personal_id = match PersonalId::parse(&args.id) {
        Ok(id) => id,
        Err(e) => return Ok(invalid("--id", &e)),
    };
    let old_id = match args.cmnd.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match OldId::parse(s) {
            Ok(o) => Some(o),
            Err(e) => return Ok(invalid("--cmnd", &e)),
        },
    };
    let layout = match args.layout {
        LayoutArg::Classic => Layout::CLASSIC,
        LayoutArg::Extended2024 => Layout::EXTENDED_2024,
        LayoutArg::Auto if args.issued >= jiff::civil::date(2024, 7, 1) => Layout::EXTENDED_2024,
        LayoutArg::Auto => Layout::CLASSIC,
    };
    let card = CardQr::new(CardFields {
        personal_id,
        old_id,
        full_name: args.name,
        date_of_birth: args.dob,
        sex: match args.sex {
            SexArg::Male => Sex::Male,
            SexArg::Female => Sex::Female,
        },
        residence: args.residence,
        issue_date: args.issued,
        layout,
    });
    let card = match card {
        Ok(c) => c,
        Err(e) => return Ok(invalid("qr", &e)),
    };
    for w in card.warnings() {
        eprintln!(
            "{} [{}] {}",
            pick(lang, "Cảnh báo", "Warning"),
            w.code(),
            msg(&w, lang)
        );
    }
    println!("{}", card.to_payload());
    Ok(exit_for(true))
}
