//! `cancuoc backup --out FILE` and `cancuoc restore FILE` (sao lưu, khôi
//! phục) for an SQLite file store; for PostgreSQL both say which
//! `pg_dump` / `pg_restore` commands to run instead (exit 2).
//!
//! A backup is two files, FILE and `<FILE stem>.accounts.db` beside it,
//! named as the store names a database's accounts file, so
//! `--database-url sqlite://FILE` opens a backup as it is (which turns it
//! into a live database: keep the backup, restore a copy of it). It is
//! consistent while a server writes: see `cancuoc_store::backup` for how
//! (one `VACUUM INTO` per file, accounts first) and why. The captcha side
//! file is not copied (challenges live minutes).
//!
//! A restore copies a backup to its target the same way, refusing a target
//! that exists unless `--force` (stop the server using it first), then
//! runs `cancuoc check` on the copy: exit 0 when it passes, 1 when not.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use cancuoc_core::i18n::Lang;
use cancuoc_store::CheckOptions;
use cancuoc_store::backup::{Copied, CopyProgress, Part, SqliteFiles, copy_sqlite};
use cancuoc_store::db::{Backend, redact_url};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Ctx;
use crate::cmd::check::{check_url, print_report};
use crate::config::{DbArgs, Layer, Settings, runtime};
use crate::output::{EXIT_OK, exit_for, exit_usage, pick, print_json, usage_error};

/// Back up an SQLite database with its accounts file (sao lưu).
#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The backup's main file; its accounts file is written beside it
    /// (monday.db → monday.accounts.db).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace an existing backup.
    #[arg(long)]
    force: bool,
    /// Print what was written as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// Restore an SQLite backup, then check it (khôi phục).
#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// The backup's main file (made by `cancuoc backup`); its accounts file
    /// is read from beside it.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The database file to restore to [default: the --database-url's
    /// file].
    #[arg(long, value_name = "PATH")]
    to: Option<PathBuf>,
    /// Replace an existing database (stop the server using it first).
    #[arg(long)]
    force: bool,
    /// Print what was restored and the check's report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArgs,
}

/// Runs `cancuoc backup`.
pub fn run_backup(args: BackupArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let settings = Settings::for_db(&args.db, Layer::default())?;
    let url = settings.database_url.expose();
    let Some(src) = SqliteFiles::of_url(url) else {
        return Ok(not_sqlite(url, ctx.lang));
    };
    if !src.main.is_file() {
        anyhow::bail!(
            "{} {}",
            pick(ctx.lang, "không có cơ sở dữ liệu", "no database at"),
            src.main.display()
        );
    }
    let started = Instant::now();
    let copied = copy_with_bar(&src.main, &args.out, args.force, ctx.lang)?;
    print_copied(
        &copied,
        started,
        args.json,
        ctx.lang,
        pick(ctx.lang, "Đã sao lưu", "Backed up"),
    )?;
    Ok(EXIT_OK)
}

/// Runs `cancuoc restore`.
pub fn run_restore(args: RestoreArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let settings = Settings::for_db(&args.db, Layer::default())?;
    let target = match args.to {
        Some(to) => to,
        None => {
            let url = settings.database_url.expose();
            match SqliteFiles::of_url(url) {
                Some(f) => f.main,
                None => return Ok(not_sqlite(url, ctx.lang)),
            }
        }
    };
    let started = Instant::now();
    let copied = copy_with_bar(&args.file, &target, args.force, ctx.lang)?;
    let url = format!("sqlite://{}", target.display());
    let allocator = settings.existing_allocator()?;
    let opts = CheckOptions {
        allocator: allocator.as_ref(),
        ..CheckOptions::default()
    };
    let report = runtime()?.block_on(check_url(&url, &opts, ctx.lang))?;
    if args.json {
        print_json(&serde_json::json!({
            "restored": copied_json(&copied, started),
            "check": {
                "ok": report.ok(),
                "backend": report.backend,
                "items": report.items,
            },
        }))?;
    } else {
        print_copied(
            &copied,
            started,
            false,
            ctx.lang,
            pick(ctx.lang, "Đã khôi phục", "Restored"),
        )?;
        print_report(&report, false, ctx.lang)?;
    }
    Ok(exit_for(report.ok()))
}

/// `cancuoc backup` and `restore` on a database that is not an SQLite
/// file: for PostgreSQL, the commands to use instead; exit 2.
fn not_sqlite(url: &str, lang: Lang) -> ExitCode {
    let shown = redact_url(url);
    if Backend::of_url(url).ok() == Some(Backend::Postgres) {
        eprintln!(
            "{}\n\n  pg_dump --format=custom --file=FILE '{shown}'\n  createdb NEW_DB\n  \
             pg_restore --no-owner --exit-on-error --dbname='postgres://…/NEW_DB' FILE\n  \
             cancuoc check --database-url 'postgres://…/NEW_DB'\n\n{}",
            pick(
                lang,
                "PostgreSQL được sao lưu và khôi phục bằng công cụ của nó (pg_dump, pg_restore), \
                 không bằng lệnh này:",
                "PostgreSQL is backed up and restored with its own tools (pg_dump, pg_restore), \
                 not with this command:"
            ),
            pick(lang, "(README, mục \"Backups\")", "(README, \"Backups\")")
        );
    } else {
        eprintln!(
            "{}: {} ({shown})",
            crate::output::error_label(lang),
            pick(
                lang,
                "chỉ sao lưu được cơ sở dữ liệu SQLite nằm trong tệp",
                "only an SQLite database in a file can be backed up"
            )
        );
    }
    exit_usage()
}

/// [`copy_sqlite`] with a progress bar per file on a terminal.
fn copy_with_bar(
    from: &std::path::Path,
    to: &std::path::Path,
    force: bool,
    lang: Lang,
) -> anyhow::Result<Copied> {
    let target = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let pb = ProgressBar::with_draw_target(None, target);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>10} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        pb.set_style(style);
    }
    let mut part: Option<Part> = None;
    let copied = copy_sqlite(from, to, force, &mut |p: CopyProgress| {
        if part != Some(p.part) {
            part = Some(p.part);
            pb.reset();
            pb.set_message(p.part.as_str());
        }
        pb.set_length(p.total);
        pb.set_position(p.done);
    });
    pb.finish_and_clear();
    copied.map_err(|e| usage_error(&e, lang))
}

fn copied_json(c: &Copied, started: Instant) -> serde_json::Value {
    serde_json::json!({
        "main": c.files.main,
        "accounts": c.files.accounts,
        "main_bytes": c.main_bytes,
        "accounts_bytes": c.accounts_bytes,
        "seconds": started.elapsed().as_secs_f64(),
    })
}

fn print_copied(
    c: &Copied,
    started: Instant,
    json: bool,
    lang: Lang,
    done: &str,
) -> anyhow::Result<()> {
    if json {
        return print_json(&copied_json(c, started));
    }
    println!(
        "{done}: {} ({} {}), {} ({} {}) — {:.1} s",
        c.files.main.display(),
        c.main_bytes,
        pick(lang, "byte", "bytes"),
        c.files.accounts.display(),
        c.accounts_bytes,
        pick(lang, "byte", "bytes"),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::i18n::Localized;

    #[test]
    fn a_backup_error_reads_in_both_languages() {
        let e = cancuoc_store::backup::BackupError::Exists {
            path: PathBuf::from("/tmp/x.db"),
        };
        assert_eq!(e.code(), "backup.exists");
        assert!(e.message(Lang::Vi).contains("--force"));
        assert!(e.message(Lang::En).contains("/tmp/x.db"));
    }
}
