//! `cancuoc mrz`.

use crate::Ctx;
use std::process::ExitCode;

/// Arguments of `cancuoc mrz`.
#[derive(clap::Args, Debug)]
pub struct MrzArgs {}

/// Runs `cancuoc mrz`.
pub fn run(_args: MrzArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
