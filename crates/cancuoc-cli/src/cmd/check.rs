//! `cancuoc check`: the integrity check of a database (kiểm tra toàn vẹn),
//! SQLite or PostgreSQL: stored states replay from their event logs,
//! counters are ahead of the numbers they gave, no orphan rows, and on an
//! SQLite file SQLite's own checks (the items: `cancuoc_store::ops::check`,
//! through [`cancuoc_store::Store::check`]). `cancuoc restore` runs it on
//! the copy it made.
//!
//! Exit status: 0 every check passed, 1 some check failed (the report
//! names what), 2 the database could not be opened or read.
//!
//! It reads in batches and shows a progress bar on a terminal: on a
//! database of a hundred million citizens it runs for a long time, and its
//! memory stays one batch. It never creates what it checks: a missing
//! database file is an error, and a missing accounts file a failed check
//! (opening the store would create an empty one in its place). The
//! allocator's key is read if it exists (`CANCUOC_ID_KEY` or
//! `DATA_DIR/id-allocator.key`), never created.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::bail;
use cancuoc_core::i18n::{Lang, Localized};
use cancuoc_store::backup::SqliteFiles;
use cancuoc_store::{CheckKind, CheckOptions, CheckProgress, CheckReport, Store};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Ctx;
use crate::config::{DbArgs, Layer, Settings, runtime};
use crate::output::{EXIT_INVALID, exit_for, pick, print_json};

/// Check a database's integrity (kiểm tra toàn vẹn dữ liệu).
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// SQLite: `quick_check` instead of `integrity_check` (skips comparing
    /// indexes with their tables; much faster on a large file).
    #[arg(long)]
    quick: bool,
    /// Rows read per batch.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    batch: u32,
    /// Failures shown per check.
    #[arg(long, value_name = "N", default_value_t = 10)]
    examples: usize,
    #[command(flatten)]
    db: DbArgs,
}

/// Runs `cancuoc check`.
pub fn run(args: CheckArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let settings = Settings::for_db(&args.db, Layer::default())?;
    let url = settings.database_url.expose().to_owned();
    if let Some(code) = missing_files(&url, args.json, ctx.lang)? {
        return Ok(code);
    }
    let allocator = settings.existing_allocator()?;
    let opts = CheckOptions {
        batch: args.batch,
        examples: args.examples,
        allocator: allocator.as_ref(),
        quick: args.quick,
    };
    let report = runtime()?.block_on(check_url(&url, &opts, ctx.lang))?;
    print_report(&report, args.json, ctx.lang)?;
    Ok(exit_for(report.ok()))
}

/// For an SQLite URL: an error when the main file does not exist, and
/// exit 1 (after saying so) when its accounts file does not; `None` when
/// both are there or the database is not an SQLite file.
pub(crate) fn missing_files(url: &str, json: bool, lang: Lang) -> anyhow::Result<Option<ExitCode>> {
    let Some(files) = SqliteFiles::of_url(url) else {
        return Ok(None);
    };
    if !files.main.is_file() {
        bail!(
            "{} {}",
            pick(lang, "không có cơ sở dữ liệu", "no database at"),
            files.main.display()
        );
    }
    if files.accounts.is_file() {
        return Ok(None);
    }
    if json {
        print_json(&serde_json::json!({
            "ok": false,
            "missing": files.accounts,
        }))?;
    } else {
        println!(
            "{} {}: {}",
            pick(lang, "KHÔNG ĐẠT", "FAILED"),
            files.accounts.display(),
            pick(
                lang,
                "thiếu tệp tài khoản (tài khoản định danh, hội thoại) đi kèm cơ sở dữ liệu",
                "the database's accounts file (identity accounts, conversations) is missing"
            )
        );
    }
    Ok(Some(EXIT_INVALID))
}

/// Opens the database of `url` and checks it, with a progress bar on a
/// terminal; the store is closed afterwards.
pub(crate) async fn check_url(
    url: &str,
    opts: &CheckOptions<'_>,
    lang: Lang,
) -> anyhow::Result<CheckReport> {
    let store = Store::connect(url).await.map_err(|e| {
        anyhow::anyhow!(
            "{} ({})",
            e.message(lang),
            cancuoc_store::db::redact_url(url)
        )
    })?;
    let bar = Bar::new();
    let report = store
        .check(opts, &|p| bar.show(p))
        .await
        .map_err(|e| anyhow::anyhow!("{} [{}]", e.message(lang), e.code()));
    bar.done();
    store.close().await;
    report
}

/// The progress bar of a check: one bar, restarted for each item.
struct Bar {
    pb: ProgressBar,
    kind: Mutex<Option<CheckKind>>,
}

impl Bar {
    fn new() -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let pb = ProgressBar::with_draw_target(None, target);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg:>18} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({eta})",
        ) {
            pb.set_style(style);
        }
        Self {
            pb,
            kind: Mutex::new(None),
        }
    }

    fn show(&self, p: CheckProgress) {
        if let Ok(mut k) = self.kind.lock()
            && *k != Some(p.kind)
        {
            *k = Some(p.kind);
            self.pb.reset();
            self.pb.set_message(p.kind.code());
        }
        if p.total > 0 {
            self.pb.set_length(p.total);
        } else {
            self.pb.unset_length();
        }
        self.pb.set_position(p.done);
    }

    fn done(&self) {
        self.pb.finish_and_clear();
    }
}

/// Prints the report: JSON (`{"ok", "backend", "items"}`), or one line per
/// item with its examples under it.
pub(crate) fn print_report(report: &CheckReport, json: bool, lang: Lang) -> anyhow::Result<()> {
    if json {
        return print_json(&serde_json::json!({
            "ok": report.ok(),
            "backend": report.backend,
            "items": report.items,
        }));
    }
    for item in &report.items {
        let verdict = if item.ok() {
            pick(lang, "đạt", "ok")
        } else {
            pick(lang, "KHÔNG ĐẠT", "FAILED")
        };
        let counts = if item.ok() {
            format!("{} {}", item.checked, pick(lang, "mục", "checked"))
        } else {
            format!(
                "{} / {} {}",
                item.failed,
                item.checked,
                pick(lang, "mục lỗi", "failed")
            )
        };
        println!(
            "[{verdict}] {} ({}): {counts}",
            item.kind.title(lang),
            item.kind.code()
        );
        for f in &item.examples {
            println!("    {}: {}", f.subject, f.message(lang));
        }
        if let Some(note) = &item.note {
            println!("    ({})", note.message(lang));
        }
    }
    println!(
        "{}",
        if report.ok() {
            pick(lang, "Kết quả: đạt", "Result: ok")
        } else {
            pick(lang, "Kết quả: KHÔNG ĐẠT", "Result: FAILED")
        }
    );
    Ok(())
}
