//! `cancuoc chip`: the chip data of a card (ICAO 9303 LDS, `cancuoc-chip`).
//!
//! `issue --data CARD.json --pki DIR --out DUMPDIR` writes one file per
//! elementary file (`EF.COM`, `EF.SOD`, `DG1`, `DG2`, `DG13`), signed by
//! the document signer of a directory made by `cancuoc pki init`.
//! `verify --csca CERT.pem DUMPDIR` does passive authentication (hash of
//! every data group as read, the signature over the signed attributes, the
//! chain to the given CSCA, validity dates) and decodes DG1 and DG13; exit
//! 0 when valid, 1 when not, 2 on usage errors (unreadable files). Decoded
//! fields are personal data: do not pipe the output into logs.

use crate::Ctx;
use crate::output::{exit_for, msg, pick, print_json};
use cancuoc_core::i18n::Lang;
use clap::Subcommand;
use jiff::civil::Date;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `cancuoc chip`.
#[derive(clap::Args, Debug)]
pub struct ChipArgs {
    #[command(subcommand)]
    command: ChipCommand,
}

#[derive(Subcommand, Debug)]
enum ChipCommand {
    /// Write the chip files of a card (ghi dữ liệu chip: EF.COM, EF.SOD, DG1,
    /// DG2, DG13).
    Issue(IssueArgs),
    /// Passive authentication of a chip dump (xác thực thụ động dữ liệu chip).
    Verify(VerifyArgs),
}

#[derive(clap::Args, Debug)]
struct IssueArgs {
    /// The card data, CARD.json.
    #[arg(long)]
    data: PathBuf,
    /// A directory made by `cancuoc pki init` (ds.pem, ds.key.pem).
    #[arg(long)]
    pki: PathBuf,
    /// The dump directory to write (created if absent).
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args, Debug)]
struct VerifyArgs {
    /// A trusted CSCA certificate (PEM or DER); repeat for several.
    #[arg(long, required = true)]
    csca: Vec<PathBuf>,
    /// One JSON object: {valid, checks, dg1, dg13}.
    #[arg(long)]
    json: bool,
    /// The day to check validity dates on, YYYY-MM-DD (default: today,
    /// Vietnam time).
    #[arg(long, value_parser = crate::usage::date)]
    today: Option<Date>,
    /// The dump directory.
    dir: PathBuf,
}

/// Runs `cancuoc chip`.
pub fn run(args: ChipArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        ChipCommand::Issue(a) => issue(a, ctx),
        ChipCommand::Verify(a) => verify(a, ctx),
    }
}

fn issue(args: IssueArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let loaded = crate::card_file::read_card(&args.data)?;
    let chip_err = |e: cancuoc_chip::ChipError| anyhow::anyhow!("{}", msg(&e, lang));
    let signer = cancuoc_chip::DocumentSigner::load(&args.pki).map_err(chip_err)?;
    let dump =
        cancuoc_chip::issue(&loaded.card, loaded.portrait.as_deref(), &signer).map_err(chip_err)?;
    dump.write_dir(&args.out).map_err(chip_err)?;
    for (name, bytes) in &dump.files {
        println!("{}  {} B", args.out.join(name).display(), bytes.len());
    }
    let digest: String = dump
        .sod_digest()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!(
        "{} {digest}",
        pick(lang, "SHA-256 của EF.SOD:", "SHA-256 of EF.SOD:")
    );
    Ok(exit_for(true))
}

fn verify(args: VerifyArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let chip_err = |e: cancuoc_chip::ChipError| anyhow::anyhow!("{}", msg(&e, lang));
    let mut trust = Vec::new();
    for p in &args.csca {
        trust.extend(cancuoc_chip::pki::load_certificates(p).map_err(chip_err)?);
    }
    let dump = cancuoc_chip::ChipDump::read_dir(&args.dir).map_err(chip_err)?;
    if dump.files.is_empty() {
        anyhow::bail!(
            "{}: {}",
            args.dir.display(),
            pick(
                lang,
                "không có tệp dữ liệu chip nào (EF.SOD, DG1, …)",
                "no chip files (EF.SOD, DG1, …)"
            )
        );
    }
    let today = args.today.unwrap_or_else(crate::config::today_vn);
    let v = cancuoc_chip::verify(&dump, &trust, today);
    if args.json {
        print_json(&v)?;
    } else {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        human(&mut out, &v, lang)?;
        out.flush()?;
    }
    Ok(exit_for(v.valid))
}

fn human(out: &mut impl Write, v: &cancuoc_chip::Verdict, lang: Lang) -> anyhow::Result<()> {
    writeln!(
        out,
        "{}",
        if v.valid {
            pick(
                lang,
                "HỢP LỆ: dữ liệu chip xác thực được",
                "VALID: the chip data authenticates",
            )
        } else {
            pick(lang, "KHÔNG HỢP LỆ", "INVALID")
        }
    )?;
    for c in &v.checks {
        writeln!(
            out,
            "  {} {:<14} {}",
            if c.ok { "✓" } else { "✗" },
            c.item,
            c.detail
        )?;
    }
    if let Some(d) = &v.dg1 {
        writeln!(out, "DG1 (MRZ):")?;
        for l in &d.lines {
            writeln!(out, "  {l}")?;
        }
        let fields = [
            (
                pick(lang, "Số định danh", "Personal ID"),
                d.personal_id.clone().unwrap_or_default(),
            ),
            (pick(lang, "Họ", "Surname"), d.surname.clone()),
            (pick(lang, "Tên", "Given names"), d.given_names.clone()),
            (
                pick(lang, "Ngày sinh (YYMMDD)", "Birth (YYMMDD)"),
                d.birth_date.clone(),
            ),
            (pick(lang, "Giới tính", "Sex"), d.sex.clone()),
            (
                pick(lang, "Hết hạn (YYMMDD)", "Expiry (YYMMDD)"),
                d.expiry_date.clone(),
            ),
        ];
        for (k, val) in fields {
            writeln!(out, "  {k}: {val}")?;
        }
    }
    if let Some(d) = &v.dg13 {
        writeln!(out, "DG13:")?;
        let date = |f: &Option<cancuoc_chip::dg13::DateField>| f.as_ref().map(|d| d.text.clone());
        let fields: [(&str, &str, Option<String>); 17] = [
            ("1 Số định danh", "1 Personal ID", d.personal_id.clone()),
            ("2 Họ và tên", "2 Full name", d.full_name.clone()),
            ("3 Ngày sinh", "3 Date of birth", date(&d.date_of_birth)),
            ("4 Giới tính", "4 Sex", d.sex.clone()),
            ("5 Quốc tịch", "5 Nationality", d.nationality.clone()),
            ("6 Dân tộc", "6 Ethnicity", d.ethnicity.clone()),
            ("7 Tôn giáo", "7 Religion", d.religion.clone()),
            ("8 Quê quán", "8 Place of origin", d.place_of_origin.clone()),
            ("9 Nơi thường trú", "9 Residence", d.residence.clone()),
            (
                "10 Đặc điểm nhận dạng",
                "10 Identifying features",
                d.identifying_features.clone(),
            ),
            ("11 Ngày cấp", "11 Date of issue", date(&d.issue_date)),
            (
                "12 Có giá trị đến",
                "12 Date of expiry",
                date(&d.expiry_date),
            ),
            ("13 Họ tên cha", "13 Father", d.father_name.clone()),
            ("13 Họ tên mẹ", "13 Mother", d.mother_name.clone()),
            ("14 Vợ/chồng", "14 Spouse", d.spouse_name.clone()),
            ("15 Số CMND cũ", "15 Old ID number", d.old_id.clone()),
            ("16", "16", d.field_16.clone()),
        ];
        for (vi, en, val) in fields {
            if let Some(val) = val {
                writeln!(out, "  {}: {val}", pick(lang, vi, en))?;
            }
        }
        for (n, val) in &d.unknown {
            writeln!(out, "  {n}: {val}")?;
        }
    }
    Ok(())
}
