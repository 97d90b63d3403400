//! `cancuoc rules`.

use crate::Ctx;
use std::process::ExitCode;

/// Arguments of `cancuoc rules`.
#[derive(clap::Args, Debug)]
pub struct RulesArgs {}

/// Runs `cancuoc rules`.
pub fn run(_args: RulesArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
