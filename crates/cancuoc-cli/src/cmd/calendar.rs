//! `cancuoc calendar`.

use crate::Ctx;
use std::process::ExitCode;

/// Arguments of `cancuoc calendar`.
#[derive(clap::Args, Debug)]
pub struct CalendarArgs {}

/// Runs `cancuoc calendar`.
pub fn run(_args: CalendarArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
