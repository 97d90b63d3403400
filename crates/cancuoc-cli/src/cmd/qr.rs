//! `cancuoc qr`: decode the QR payload of a citizen identity card (mã QR trên
//! thẻ Căn cước công dân), or build one from card fields.
//!
//! `decode` takes the payload as an argument, or reads stdin: one payload per
//! line (a QR scanner in keyboard-wedge mode types the payload and Enter),
//! blank lines skipped, bytes that are not UTF-8 reported per line. Nothing
//! is masked in the output — it is the reader's own card — so do not pipe it
//! into logs.
//!
//! `keygen`, `sign` and `verify` handle the signed QR (`cancuoc-seal`: a
//! Claim 169 profile, Ed25519, base45): `verify` exits 0 only when the
//! signature holds and the seal has not expired, 1 otherwise, 2 on usage
//! errors (unreadable key files, no text).

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
    /// Make an Ed25519 key pair for signed QRs (tạo cặp khóa ký mã QR):
    /// DIR/seal.key.pem (private, mode 0600) and DIR/seal.pub.pem.
    Keygen(KeygenArgs),
    /// Sign a card as a Claim 169 QR text (ký mã QR có chữ ký số).
    Sign(SignArgs),
    /// Verify a signed QR text: signature, expiry, claims (kiểm tra mã QR có chữ ký).
    Verify(VerifyArgs),
}

#[derive(clap::Args, Debug)]
struct KeygenArgs {
    /// Directory to write seal.key.pem and seal.pub.pem into (created if
    /// absent; existing key files are never overwritten).
    #[arg(long)]
    out: std::path::PathBuf,
}

#[derive(clap::Args, Debug)]
struct SignArgs {
    /// The card data, CARD.json.
    #[arg(long)]
    data: std::path::PathBuf,
    /// The private key, PKCS#8 PEM (seal.key.pem).
    #[arg(long)]
    key: std::path::PathBuf,
    /// The issuer URI written into the seal (CWT `iss`).
    #[arg(long, default_value = cancuoc_seal::DEFAULT_ISSUER)]
    issuer: String,
}

#[derive(clap::Args, Debug)]
struct VerifyArgs {
    /// A public key, SPKI PEM (seal.pub.pem); repeat for several issuers'
    /// keys: the seal's key id picks the key.
    #[arg(long = "pub", required = true)]
    public: Vec<std::path::PathBuf>,
    /// One JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// The day to judge expiry by, YYYY-MM-DD (default: today, Vietnam time).
    #[arg(long, value_parser = crate::usage::date)]
    today: Option<Date>,
    /// The scanned text; `-` or absent: read from stdin.
    text: Option<String>,
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
        QrCommand::Keygen(a) => seal::keygen(a, ctx),
        QrCommand::Sign(a) => seal::sign(a, ctx),
        QrCommand::Verify(a) => seal::verify(a, ctx),
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

/// The signed QR commands (`cancuoc-seal`).
mod seal {
    use super::{KeygenArgs, SignArgs, VerifyArgs, show_date};
    use crate::Ctx;
    use crate::output::{exit_for, pick, print_json};
    use anyhow::{Context, anyhow};
    use cancuoc_core::i18n::{ErrorBody, Lang, Localized};
    use cancuoc_seal::profile::key;
    use cancuoc_seal::{Decoded, Document, SealError, SigningKey, VerifyingKey};
    use serde::Serialize;
    use std::io::{Read, Write};
    use std::path::Path;
    use std::process::ExitCode;

    fn key_error(path: &Path, e: &SealError) -> anyhow::Error {
        anyhow!(
            "{}: {} / {} [{}]",
            path.display(),
            e.message_vi(),
            e.message_en(),
            e.code()
        )
    }

    pub(super) fn keygen(args: KeygenArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let key = SigningKey::generate().map_err(|e| anyhow!("{}", e.message(ctx.lang)))?;
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("cannot create {}", args.out.display()))?;
        let private = args.out.join("seal.key.pem");
        let public = args.out.join("seal.pub.pem");
        for p in [&private, &public] {
            if p.exists() {
                anyhow::bail!(
                    "{}: {}",
                    p.display(),
                    pick(
                        ctx.lang,
                        "tệp đã có, không ghi đè",
                        "already exists, not overwritten"
                    )
                );
            }
        }
        let pem = key
            .to_pem()
            .map_err(|e| anyhow!("{}", e.message(ctx.lang)))?;
        crate::config::write_private(&private, &pem)?;
        let pub_pem = key
            .verifying_key()
            .to_pem()
            .map_err(|e| anyhow!("{}", e.message(ctx.lang)))?;
        std::fs::write(&public, pub_pem)
            .with_context(|| format!("cannot write {}", public.display()))?;
        println!(
            "{} {}\n{} {}\n{} {}",
            pick(ctx.lang, "Khóa bí mật:", "Private key:"),
            private.display(),
            pick(ctx.lang, "Khóa công khai:", "Public key: "),
            public.display(),
            pick(ctx.lang, "Mã khóa (kid):", "Key id (kid):"),
            key.kid()
        );
        Ok(exit_for(true))
    }

    pub(super) fn sign(args: SignArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let loaded = crate::card_file::read_card(&args.data)?;
        let pem = std::fs::read_to_string(&args.key)
            .with_context(|| format!("cannot read {} (không đọc được tệp)", args.key.display()))?;
        let key = SigningKey::from_pem(&pem).map_err(|e| key_error(&args.key, &e))?;
        let text =
            cancuoc_seal::sign_card(&loaded.card, &key, &args.issuer, jiff::Timestamp::now())
                .map_err(|e| anyhow!("{} / {} [{}]", e.message_vi(), e.message_en(), e.code()))?;
        println!("{text}");
        Ok(exit_for(true))
    }

    /// The JSON verdict of `qr verify --json`.
    #[derive(Serialize)]
    struct Verdict<'a> {
        valid: bool,
        signature_ok: bool,
        expired: Option<bool>,
        kid: Option<&'a str>,
        issuer: Option<&'a str>,
        issued_at: Option<jiff::Timestamp>,
        expires: Option<jiff::Timestamp>,
        document: Option<&'static str>,
        claims: Option<std::collections::BTreeMap<&'static str, cancuoc_seal::profile::ClaimValue>>,
        unknown_keys: Vec<i64>,
        error: Option<ErrorBody>,
    }

    fn kind(d: &Document) -> &'static str {
        match d {
            Document::Card(_) => "card",
            Document::Confirmation(_) => "cmnd-confirmation",
            _ => "other",
        }
    }

    pub(super) fn verify(args: VerifyArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let lang = ctx.lang;
        let mut keys: Vec<VerifyingKey> = Vec::with_capacity(args.public.len());
        for p in &args.public {
            let pem = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {} (không đọc được tệp)", p.display()))?;
            keys.push(VerifyingKey::from_pem(&pem).map_err(|e| key_error(p, &e))?);
        }
        let text = match args.text.as_deref() {
            Some(t) if t != "-" => t.to_owned(),
            _ => {
                let mut buf = String::new();
                std::io::stdin()
                    .read_to_string(&mut buf)
                    .context("cannot read stdin (không đọc được stdin)")?;
                buf
            }
        };
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            anyhow::bail!(
                "{}",
                pick(
                    lang,
                    "không có nội dung mã QR: truyền làm tham số hoặc qua stdin",
                    "no QR text: give it as an argument or on stdin"
                )
            );
        }
        let today = args.today.unwrap_or_else(crate::config::today_vn);
        let result = cancuoc_seal::verify(text, &keys, today);
        // Claims are still shown when only the signature fails.
        let (decoded, signature_ok, error): (Option<Decoded>, bool, Option<SealError>) =
            match result {
                Ok(v) => (Some(v.seal), true, None),
                Err(
                    e @ (SealError::Signature | SealError::UnknownKid { .. } | SealError::NoKey),
                ) => (
                    cancuoc_seal::decode_unverified(text, today).ok(),
                    false,
                    Some(e),
                ),
                Err(e) => (None, false, Some(e)),
            };
        let expired = decoded.as_ref().map(|d| d.expired || d.not_yet_valid);
        let valid = signature_ok && expired == Some(false);
        if args.json {
            let verdict = Verdict {
                valid,
                signature_ok,
                expired: decoded.as_ref().map(|d| d.expired),
                kid: decoded.as_ref().and_then(|d| d.kid.as_deref()),
                issuer: decoded.as_ref().and_then(|d| d.issuer.as_deref()),
                issued_at: decoded.as_ref().and_then(|d| d.issued_at),
                expires: decoded.as_ref().and_then(|d| d.expires),
                document: decoded.as_ref().map(|d| kind(&d.document)),
                claims: decoded.as_ref().map(|d| d.claims.to_map()),
                unknown_keys: decoded
                    .as_ref()
                    .map(|d| d.unknown_keys.clone())
                    .unwrap_or_default(),
                error: error.as_ref().map(ErrorBody::of),
            };
            print_json(&verdict)?;
            return Ok(exit_for(valid));
        }
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        human(
            &mut out,
            decoded.as_ref(),
            signature_ok,
            error.as_ref(),
            lang,
        )?;
        out.flush()?;
        Ok(exit_for(valid))
    }

    fn when(t: jiff::Timestamp, lang: Lang) -> String {
        let z = t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(7)));
        format!(
            "{} {:02}:{:02} (UTC+7)",
            show_date(z.date(), lang),
            z.hour(),
            z.minute()
        )
    }

    fn human(
        out: &mut dyn Write,
        decoded: Option<&Decoded>,
        signature_ok: bool,
        error: Option<&SealError>,
        lang: Lang,
    ) -> anyhow::Result<()> {
        let expired = decoded.is_some_and(|d| d.expired);
        let early = decoded.is_some_and(|d| d.not_yet_valid);
        let verdict = match (signature_ok, expired || early) {
            (true, false) => pick(lang, "HỢP LỆ", "VALID"),
            (true, true) => pick(
                lang,
                "KHÔNG HỢP LỆ (hết hiệu lực)",
                "INVALID (not in force)",
            ),
            _ => pick(lang, "KHÔNG HỢP LỆ", "INVALID"),
        };
        writeln!(out, "{verdict}")?;
        let signature = match error {
            None => pick(lang, "đúng", "holds").to_owned(),
            Some(e) => format!(
                "{} [{}] {}",
                pick(lang, "không đạt", "does not hold"),
                e.code(),
                e.message(lang)
            ),
        };
        writeln!(
            out,
            "  {:<22}{signature}",
            pick(lang, "Chữ ký:", "Signature:")
        )?;
        let Some(d) = decoded else {
            return Ok(());
        };
        if let Some(kid) = &d.kid {
            writeln!(
                out,
                "  {:<22}{kid}",
                pick(lang, "Mã khóa (kid):", "Key id (kid):")
            )?;
        }
        if let Some(iss) = &d.issuer {
            writeln!(out, "  {:<22}{iss}", pick(lang, "Nơi cấp:", "Issuer:"))?;
        }
        if let Some(t) = d.issued_at {
            writeln!(
                out,
                "  {:<22}{}",
                pick(lang, "Ký lúc:", "Signed at:"),
                when(t, lang)
            )?;
        }
        let validity = match (d.expires, d.expired) {
            (None, _) => pick(lang, "không thời hạn", "no expiry").to_owned(),
            (Some(t), false) => format!(
                "{} {}",
                pick(lang, "còn hạn đến", "valid until"),
                when(t, lang)
            ),
            (Some(t), true) => format!(
                "{} {}",
                pick(lang, "ĐÃ HẾT HẠN lúc", "EXPIRED at"),
                when(t, lang)
            ),
        };
        writeln!(
            out,
            "  {:<22}{validity}",
            pick(lang, "Hiệu lực:", "Validity:")
        )?;
        if early {
            writeln!(
                out,
                "  {:<22}{}",
                "",
                pick(lang, "CHƯA đến ngày có hiệu lực", "NOT YET valid")
            )?;
        }
        let doc = match &d.document {
            Document::Card(_) => pick(lang, "Thẻ căn cước", "Identity card"),
            Document::Confirmation(_) => {
                pick(lang, "Giấy xác nhận số CMND", "Old-CMND confirmation")
            }
            _ => pick(lang, "Dữ liệu Claim 169 khác", "Other Claim 169 data"),
        };
        writeln!(
            out,
            "  {:<22}{doc}",
            pick(lang, "Loại giấy tờ:", "Document:")
        )?;
        for f in d.claims.fields(lang) {
            if f.key == cancuoc_seal::profile::key::KIND {
                continue;
            }
            let value = if matches!(
                f.key,
                key::DATE_OF_BIRTH | key::ISSUE_DATE | key::EXPIRY_DATE | key::DECIDED_ON
            ) {
                cancuoc_seal::profile::parse_date(&f.value)
                    .map_or(f.value.clone(), |date| show_date(date, lang))
            } else {
                f.value.clone()
            };
            writeln!(out, "  {:<22}{value}", format!("{}:", f.label))?;
        }
        if !d.unknown_keys.is_empty() {
            let keys: Vec<String> = d.unknown_keys.iter().map(i64::to_string).collect();
            writeln!(
                out,
                "  {:<22}{}",
                pick(lang, "Khóa lạ:", "Unknown keys:"),
                keys.join(", ")
            )?;
        }
        Ok(())
    }
}
