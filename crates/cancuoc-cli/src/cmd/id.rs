//! `cancuoc id`: decode, bulk-check and generate personal ID numbers (số định
//! danh cá nhân).
//!
//! - `decode [--lenient] [--json] ID...`: explain each number. `--lenient`
//!   accepts typed forms (`001 099 012345`, `001-099-012345`) *and* reports an
//!   unknown region code as `unknown` instead of an error. `--json` writes one
//!   JSON object per ID, one per line (JSON Lines), with a fixed shape: every
//!   key is present, `null` where it does not apply.
//! - `check [--lenient] [--json]`: one ID per line on stdin, one verdict line
//!   per input line on stdout, a summary on stderr (submodule `check`, built
//!   for millions of lines). A blank line gets the verdict `empty` and does
//!   not count as invalid.
//! - `generate --region 001 --sex female --birth-year 1999 [--count N]
//!   [--start K] [--key-file F] [--json]`: synthetic numbers from the keyed
//!   allocator (`cancuoc_core::id::alloc`).

mod check;

use crate::Ctx;
use crate::output::{exit_for, json_line, pick};
use cancuoc_core::i18n::{ErrorBody, Lang, Localized};
use cancuoc_core::id::alloc::{Allocator, IdPrefix, SERIALS_PER_PREFIX};
use cancuoc_core::id::{DecodeMode, Decoded, IdError, PersonalId, Region};
use cancuoc_core::person::Sex;
use clap::{Subcommand, ValueEnum};
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `cancuoc id`.
#[derive(clap::Args, Debug)]
pub struct IdArgs {
    #[command(subcommand)]
    command: IdCommand,
}

#[derive(Subcommand, Debug)]
enum IdCommand {
    /// Decode ID numbers: region, century, sex, birth year, serial (giải mã).
    Decode(DecodeArgs),
    /// Check IDs in bulk, one per line on stdin (kiểm tra hàng loạt).
    Check(CheckArgs),
    /// Generate synthetic ID numbers with the serial allocator (sinh số).
    Generate(GenerateArgs),
}

#[derive(clap::Args, Debug)]
struct DecodeArgs {
    /// Accept typed forms (`001 099 012345`) and report an unknown region
    /// code as `unknown` instead of an error.
    #[arg(long)]
    lenient: bool,
    /// One JSON object per ID, one per line.
    #[arg(long)]
    json: bool,
    /// The 12-digit numbers.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Accept typed forms and unknown region codes (as in `decode`).
    #[arg(long)]
    lenient: bool,
    /// One JSON object per input line instead of tab-separated verdicts.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct GenerateArgs {
    /// Region code of birth registration: a province 001–096 or a country
    /// 101–295 (mã nơi đăng ký khai sinh).
    #[arg(long, value_parser = parse_region)]
    region: u16,
    /// Sex (giới tính): male|female (also m, nam / f, nu, nữ).
    #[arg(long, value_enum)]
    sex: SexArg,
    /// Birth year, 1900–2399 (năm sinh).
    #[arg(long, allow_negative_numbers = true)]
    birth_year: i16,
    /// How many numbers (1–1000000).
    #[arg(long, default_value_t = 1, value_parser = parse_count)]
    count: u32,
    /// First counter index to use (0-based); the service persists this counter.
    #[arg(long, default_value_t = 0)]
    start: u32,
    /// File holding the 128-bit allocator key as 32 hex digits (surrounding
    /// whitespace ignored). Without it a random key is used, so numbers are
    /// unique only within this run.
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// One JSON object per number: `{"index", "id", "prefix"}`.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SexArg {
    #[value(alias = "m", alias = "nam")]
    Male,
    #[value(alias = "f", alias = "nu", alias = "nữ")]
    Female,
}

fn parse_region(s: &str) -> Result<u16, crate::usage::ArgError> {
    let t = s.trim();
    match t.parse() {
        Ok(code) if (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) => Ok(code),
        _ => Err(crate::usage::ArgError::new(
            "arg.bad_region",
            "cần mã nơi đăng ký khai sinh gồm 3 chữ số, ví dụ 001 hoặc 101",
            "expected a 3-digit region code such as 001 or 101",
        )),
    }
}

/// A count of numbers to generate: 1 to 1,000,000 (one prefix's serials).
fn parse_count(s: &str) -> Result<u32, crate::usage::ArgError> {
    match s.trim().parse::<u32>() {
        Ok(n) if (1..=1_000_000).contains(&n) => Ok(n),
        _ => Err(crate::usage::ArgError::new(
            "arg.bad_count",
            "cần một số nguyên từ 1 đến 1000000",
            "expected a whole number from 1 to 1000000",
        )),
    }
}

/// Runs `cancuoc id`.
pub fn run(args: IdArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        IdCommand::Decode(a) => decode(a, ctx),
        IdCommand::Check(a) => check::check(&a, ctx),
        IdCommand::Generate(a) => generate(a, ctx),
    }
}

fn mode(lenient: bool) -> DecodeMode {
    if lenient {
        DecodeMode::Lenient
    } else {
        DecodeMode::Strict
    }
}

/// Parse and decode one number the way `decode` and `check` do.
#[inline]
fn read_one(s: &str, lenient: bool) -> Result<Decoded, IdError> {
    let id = if lenient {
        PersonalId::parse_lenient_input(s)?
    } else {
        PersonalId::parse(s)?
    };
    id.decode(mode(lenient))
}

/// The JSON of one decoded (or failed) number: fixed keys, `null` where they
/// do not apply.
#[derive(Serialize)]
struct DecodeJson<'a> {
    valid: bool,
    input: &'a str,
    id: Option<PersonalId>,
    region: Option<Region>,
    /// 20 = born 1900–1999 (thế kỷ 20 as the law counts it) … 24 = 2300–2399.
    century: Option<u8>,
    sex: Option<Sex>,
    birth_year: Option<i16>,
    serial: Option<&'a str>,
    error: Option<ErrorBody>,
}

fn decode(a: DecodeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut all_valid = true;
    for (i, input) in a.ids.iter().enumerate() {
        let result = read_one(input, a.lenient);
        all_valid &= result.is_ok();
        if a.json {
            let v = match &result {
                Ok(d) => DecodeJson {
                    valid: true,
                    input,
                    id: Some(d.id),
                    region: Some(d.region),
                    century: Some(d.century),
                    sex: Some(d.sex),
                    birth_year: Some(d.birth_year),
                    serial: Some(d.id.serial_str()),
                    error: None,
                },
                Err(e) => DecodeJson {
                    valid: false,
                    input,
                    id: None,
                    region: None,
                    century: None,
                    sex: None,
                    birth_year: None,
                    serial: None,
                    error: Some(ErrorBody::of(e)),
                },
            };
            json_line(&mut out, &v)?;
        } else {
            if i > 0 {
                writeln!(out)?;
            }
            write_human(&mut out, input, &result, ctx.lang)?;
        }
    }
    out.flush()?;
    Ok(exit_for(all_valid))
}

fn region_human(r: &Region, lang: Lang) -> String {
    match *r {
        Region::Province { code, name } => {
            format!(
                "{name} ({} {code:03})",
                pick(lang, "mã tỉnh", "province code")
            )
        }
        Region::Country { code, name } => format!(
            "{name} ({} {code:03}, {})",
            pick(lang, "mã quốc gia", "country code"),
            pick(lang, "khai sinh ở nước ngoài", "birth registered abroad")
        ),
        Region::Unknown { code } => format!(
            "{} ({} {code:03})",
            pick(lang, "không xác định", "unknown"),
            pick(lang, "mã", "code")
        ),
    }
}

fn write_human(
    out: &mut impl Write,
    input: &str,
    result: &Result<Decoded, IdError>,
    lang: Lang,
) -> anyhow::Result<()> {
    match result {
        Ok(d) => {
            let start = 1900 + (i16::from(d.century) - 20) * 100;
            let sex = match lang {
                Lang::Vi => d.sex.label_vi(),
                Lang::En => d.sex.label_en(),
            };
            writeln!(out, "{}: {}", d.id, pick(lang, "hợp lệ", "valid"))?;
            writeln!(
                out,
                "  {}: {}",
                pick(lang, "Nơi đăng ký khai sinh", "Birth registered in"),
                region_human(&d.region, lang)
            )?;
            writeln!(
                out,
                "  {}: {} ({start}–{})",
                pick(lang, "Thế kỷ", "Century"),
                d.century,
                start + 99
            )?;
            writeln!(out, "  {}: {sex}", pick(lang, "Giới tính", "Sex"))?;
            writeln!(
                out,
                "  {}: {}",
                pick(lang, "Năm sinh", "Birth year"),
                d.birth_year
            )?;
            writeln!(
                out,
                "  {}: {}",
                pick(lang, "Dãy số ngẫu nhiên", "Serial"),
                d.id.serial_str()
            )?;
        }
        Err(e) => {
            writeln!(
                out,
                "{input:?}: {} — {} [{}]",
                pick(lang, "không hợp lệ", "invalid"),
                e.message(lang),
                e.code()
            )?;
        }
    }
    Ok(())
}

/// Reads a 128-bit key written as 32 hex digits.
fn read_key(path: &std::path::Path, lang: Lang) -> anyhow::Result<[u8; 16]> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::anyhow!(
            "{} {}: {e}",
            pick(lang, "không đọc được tệp khóa", "cannot read key file"),
            path.display()
        )
    })?;
    let hex = text.trim();
    let bad = || {
        anyhow::anyhow!(
            "{} {}: {}",
            pick(lang, "tệp khóa", "key file"),
            path.display(),
            pick(
                lang,
                "cần đúng 32 chữ số thập lục phân (khóa 128 bit)",
                "expected exactly 32 hex digits (a 128-bit key)"
            )
        )
    };
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let mut key = [0u8; 16];
    for (i, k) in key.iter_mut().enumerate() {
        *k = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(key)
}

#[derive(Serialize)]
struct GeneratedJson<'a> {
    index: u32,
    id: &'a PersonalId,
    prefix: &'a IdPrefix,
}

fn generate(a: GenerateArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let sex = match a.sex {
        SexArg::Male => Sex::Male,
        SexArg::Female => Sex::Female,
    };
    let prefix = IdPrefix::new(a.region, sex, a.birth_year)
        .map_err(|e| anyhow::anyhow!("{} [{}]", e.message(lang), e.code()))?;
    let available = SERIALS_PER_PREFIX.saturating_sub(a.start);
    if a.count > available {
        anyhow::bail!(
            "{}",
            match lang {
                Lang::Vi => format!(
                    "Tiền tố {prefix} chỉ còn {available} số kể từ chỉ số {} (mỗi tiền tố có {SERIALS_PER_PREFIX} số), không đủ cho --count {}",
                    a.start, a.count
                ),
                Lang::En => format!(
                    "Prefix {prefix} has only {available} serials left from index {} (a prefix has {SERIALS_PER_PREFIX}), not enough for --count {}",
                    a.start, a.count
                ),
            }
        );
    }
    let key = match &a.key_file {
        Some(p) => read_key(p, lang)?,
        None => {
            eprintln!(
                "{}",
                pick(
                    lang,
                    "lưu ý: không có --key-file, dùng khóa ngẫu nhiên: các số chỉ không trùng nhau trong lần chạy này",
                    "note: no --key-file, using a random key: numbers are unique only within this run"
                )
            );
            rand::random::<[u8; 16]>()
        }
    };
    let alloc = Allocator::new(key);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    for index in a.start..a.start + a.count {
        let id = alloc
            .allocate(prefix, index)
            .map_err(|e| anyhow::anyhow!("{} [{}]", e.message(lang), e.code()))?;
        if a.json {
            json_line(
                &mut out,
                &GeneratedJson {
                    index,
                    id: &id,
                    prefix: &prefix,
                },
            )?;
        } else {
            writeln!(out, "{id}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
