//! `cancuoc card render`: a specimen of the card (mẫu thẻ) as SVG, PNG or
//! PDF, from `CARD.json` (`crate::card_file`), drawn by `cancuoc-render`.
//!
//! `--layout` picks the 2021 CCCD or the 2024 Căn cước (default: the model
//! of the card's issue date); `--side front|back|both`. With `both`, SVG
//! and PNG give one image with the front above the back (4 mm apart), PDF
//! one page per side. `--format` defaults to the extension of `--out`.
//! Every output carries the "MẪU / SPECIMEN" mark. Exit 0 when written,
//! 2 on usage errors (a wrong CARD.json field is named).

use crate::Ctx;
use crate::output::{pick, usage_error};
use cancuoc_core::card::CardModel;
use cancuoc_render::card::{self, Side};
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `cancuoc card`.
#[derive(clap::Args, Debug)]
pub struct CardArgs {
    #[command(subcommand)]
    command: CardCommand,
}

#[derive(Subcommand, Debug)]
enum CardCommand {
    /// Draw a specimen of the card (vẽ mẫu thẻ): SVG, PNG or PDF, with the
    /// "MẪU / SPECIMEN" mark.
    Render(RenderArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum SideArg {
    Front,
    Back,
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Svg,
    Png,
    Pdf,
}

#[derive(clap::Args, Debug)]
struct RenderArgs {
    /// The card data, CARD.json.
    #[arg(long)]
    data: PathBuf,
    /// The card model: 2021 (CCCD) or 2024 (Căn cước); default: the model
    /// of the card's issue date.
    #[arg(long)]
    layout: Option<String>,
    /// Which side; `both` stacks front above back (SVG, PNG) or gives two
    /// pages (PDF).
    #[arg(long, value_enum, default_value = "both")]
    side: SideArg,
    /// svg, png or pdf; default: the extension of --out.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// PNG pixels per millimetre (12 ≈ 300 dpi).
    #[arg(long, default_value_t = card::DEFAULT_SCALE, value_parser = clap::value_parser!(u32).range(1..=100))]
    scale: u32,
    /// The file to write.
    #[arg(long)]
    out: PathBuf,
}

/// Runs `cancuoc card`.
pub fn run(args: CardArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match args.command {
        CardCommand::Render(a) => render(a, ctx),
    }
}

fn format_of(out: &Path) -> Option<Format> {
    match out.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "svg" => Some(Format::Svg),
        "png" => Some(Format::Png),
        "pdf" => Some(Format::Pdf),
        _ => None,
    }
}

fn render(args: RenderArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let format = match args.format.or_else(|| format_of(&args.out)) {
        Some(f) => f,
        None => anyhow::bail!(
            "{}: {}",
            args.out.display(),
            pick(
                lang,
                "không đoán được định dạng từ phần mở rộng; dùng --format svg|png|pdf",
                "cannot tell the format from the extension; use --format svg|png|pdf"
            )
        ),
    };
    let loaded = crate::card_file::read_card(&args.data)?;
    let model: CardModel = match &args.layout {
        Some(l) => l.parse().map_err(|e| usage_error(&e, lang))?,
        None => loaded.card.model(),
    };
    let sides: &[Side] = match args.side {
        SideArg::Front => &[Side::Front],
        SideArg::Back => &[Side::Back],
        SideArg::Both => &[Side::Front, Side::Back],
    };
    let portrait = loaded.portrait.as_deref();
    let card = &loaded.card;
    let bytes = match format {
        Format::Svg => card::render_svg_sides(card, model, sides, portrait)?.into_bytes(),
        Format::Png => card::render_png_sides(card, model, sides, portrait, args.scale)?,
        Format::Pdf => card::render_pdf(card, model, sides, portrait)?,
    };
    std::fs::write(&args.out, &bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: {} ({e})",
            args.out.display(),
            pick(lang, "không ghi được tệp", "cannot write the file")
        )
    })?;
    println!(
        "{}  {} B  ({} {}, {})",
        args.out.display(),
        bytes.len(),
        pick(lang, "mẫu", "layout"),
        model.as_str(),
        sides
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("+")
    );
    Ok(ExitCode::SUCCESS)
}
