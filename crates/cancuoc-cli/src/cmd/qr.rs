//! `cancuoc qr`.

use crate::Ctx;
use std::process::ExitCode;

/// Arguments of `cancuoc qr`.
#[derive(clap::Args, Debug)]
pub struct QrArgs {}

/// Runs `cancuoc qr`.
pub fn run(_args: QrArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
