//! `cancuoc pki`: a clearly labelled TEST public key infrastructure for chip
//! data (`cancuoc-chip`): `init DIR` writes a test CSCA and a document
//! signer under it (ECDSA P-256) as `csca.pem`, `csca.key.pem`, `ds.pem`,
//! `ds.key.pem` (keys mode 0600). Existing keys are never overwritten
//! without `--force`. Nothing made here is fit for production.

use crate::Ctx;
use crate::output::{exit_for, msg, pick};
use clap::Subcommand;
use std::process::ExitCode;

/// Arguments of `cancuoc pki`.
#[derive(clap::Args, Debug)]
pub struct PkiArgs {
    #[command(subcommand)]
    command: PkiCommand,
}

#[derive(Subcommand, Debug)]
enum PkiCommand {
    /// Make a TEST CSCA and document signer in DIR (tạo CSCA và chứng thư
    /// ký tài liệu THỬ NGHIỆM).
    Init(InitArgs),
}

#[derive(clap::Args, Debug)]
struct InitArgs {
    /// Directory to write into (created if absent).
    dir: std::path::PathBuf,
    /// Overwrite existing key and certificate files.
    #[arg(long)]
    force: bool,
}

/// Runs `cancuoc pki`.
pub fn run(args: PkiArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        PkiCommand::Init(a) => init(a, ctx),
    }
}

fn init(args: InitArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let pki = cancuoc_chip::pki::init(&args.dir, jiff::Timestamp::now(), args.force)
        .map_err(|e| anyhow::anyhow!("{}", msg(&e, lang)))?;
    println!(
        "{}",
        pick(
            lang,
            "Đã tạo PKI THỬ NGHIỆM (không dùng cho thẻ thật):",
            "Made a TEST PKI (not for real cards):"
        )
    );
    for f in cancuoc_chip::pki::FILES {
        println!("  {}", args.dir.join(f).display());
    }
    println!("  CSCA: {}", pki.csca.tbs_certificate().subject());
    println!("  DS:   {}", pki.ds.cert.tbs_certificate().subject());
    Ok(exit_for(true))
}
