//! `cancuoc id`.

use crate::Ctx;
use std::process::ExitCode;

/// Arguments of `cancuoc id`.
#[derive(clap::Args, Debug)]
pub struct IdArgs {}

/// Runs `cancuoc id`.
pub fn run(_args: IdArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
