//! `cancuoc`: the command-line tool of cancuoc.
//!
//! Decodes and checks personal ID numbers, card QR payloads and MRZ lines,
//! answers calendar and legal-rule questions. Human output (Vietnamese by
//! default, `--lang en` for English) or `--json` for machines.
//!
//! Exit status: 0 = every input valid, 1 = some input invalid, 2 = usage
//! error (bad flags or arguments, unreadable input).

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

mod card_file;
mod cmd;
mod config;
mod demo;
mod output;
mod synth;
mod usage;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the server's hot paths
/// (hyper's per-request buffers and header maps, the router's boxed
/// futures) and the seeder's millions of short strings allocate and free on
/// every step, and glibc's malloc showed up in their profiles at several per
/// cent (`malloc`, `_int_free`, `malloc_consolidate`), seen with `perf
/// record` on `cancuoc serve` under `bench/lookup.sh`'s wrk load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Công cụ căn cước công dân — Vietnamese citizen identity card toolkit.
#[derive(Parser, Debug)]
#[command(name = "cancuoc", version, about, long_about = None)]
struct Cli {
    /// Language of messages a person reads: vi (default) or en.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Vi, env = "CANCUOC_LANG")]
    lang: LangArg,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    Vi,
    En,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Personal ID numbers: decode, check in bulk, generate (số định danh cá nhân).
    Id(cmd::id::IdArgs),
    /// The QR payload printed on the card (mã QR).
    Qr(cmd::qr::QrArgs),
    /// Machine-readable zone: decode and encode (vùng MRZ).
    Mrz(cmd::mrz::MrzArgs),
    /// Lunar calendar, holidays and working days (âm lịch, ngày làm việc).
    Calendar(cmd::calendar::CalendarArgs),
    /// Legal rules: expiry, fees, deadlines, eligibility, fines (quy định pháp luật).
    Rules(cmd::rules::RulesArgs),
    /// Run the issuance service: REST API, OpenAPI viewer, health probes (dịch vụ).
    Serve(cmd::serve::ServeArgs),
    /// Officers and their access tokens (cán bộ).
    Officer(cmd::officer::OfficerArgs),
    /// Fill the database with synthetic citizens and dossiers (dữ liệu mẫu).
    Seed(cmd::seed::SeedArgs),
    /// Import data from files, e.g. citizens from CSV (nhập dữ liệu).
    Import(cmd::import::ImportArgs),
    /// Try the citizens' channels: call the hotline, chat with the Zalo and
    /// Messenger bots (thử kênh hỏi đáp).
    Channels(cmd::channels::ChannelsArgs),
    /// A TEST PKI for chip data: CSCA and document signer (PKI thử nghiệm).
    Pki(cmd::pki::PkiArgs),
    /// Chip data: issue and verify (passive authentication) an LDS dump
    /// (dữ liệu chip: ghi và xác thực).
    Chip(cmd::chip::ChipArgs),
    /// Card specimens: front and back as SVG, PNG or PDF (mẫu thẻ).
    Card(cmd::card::CardArgs),
    /// Back up an SQLite database with its accounts file; for PostgreSQL,
    /// the pg_dump commands (sao lưu).
    Backup(cmd::backup::BackupArgs),
    /// Restore an SQLite backup, then check it (khôi phục).
    Restore(cmd::backup::RestoreArgs),
    /// Check a database's integrity: states replay from their events,
    /// counters, orphan rows (kiểm tra toàn vẹn).
    Check(cmd::check::CheckArgs),
}

/// What every command gets besides its own arguments.
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    /// Language for human-readable messages.
    pub lang: cancuoc_core::i18n::Lang,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return parse_failure(&e),
    };
    let ctx = Ctx {
        lang: match cli.lang {
            LangArg::Vi => cancuoc_core::i18n::Lang::Vi,
            LangArg::En => cancuoc_core::i18n::Lang::En,
        },
    };
    let result = match cli.command {
        Command::Id(a) => cmd::id::run(a, &ctx),
        Command::Qr(a) => cmd::qr::run(a, &ctx),
        Command::Mrz(a) => cmd::mrz::run(a, &ctx),
        Command::Calendar(a) => cmd::calendar::run(a, &ctx),
        Command::Rules(a) => cmd::rules::run(a, &ctx),
        Command::Serve(a) => cmd::serve::run(a, &ctx),
        Command::Officer(a) => cmd::officer::run(a, &ctx),
        Command::Seed(a) => cmd::seed::run(a, &ctx),
        Command::Import(a) => cmd::import::run(a, &ctx),
        Command::Channels(a) => cmd::channels::run(a, &ctx),
        Command::Pki(a) => cmd::pki::run(a, &ctx),
        Command::Chip(a) => cmd::chip::run(a, &ctx),
        Command::Card(a) => cmd::card::run(a, &ctx),
        Command::Backup(a) => cmd::backup::run_backup(a, &ctx),
        Command::Restore(a) => cmd::backup::run_restore(a, &ctx),
        Command::Check(a) => cmd::check::run(a, &ctx),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}: {e:#}", output::error_label(ctx.lang));
            output::exit_usage()
        }
    }
}

/// Help, version, or a usage error in the reader's language (exit 2).
fn parse_failure(e: &clap::Error) -> ExitCode {
    let lang = usage::lang_before_parse(std::env::args_os(), std::env::var_os("CANCUOC_LANG"));
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // clap's own text on stdout, exit 0. A closed pipe while
            // writing it is not worth a message.
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `cancuoc mrz` with nothing after it: say what is missing in
            // the reader's language, then clap's help with the list.
            eprintln!(
                "{}: {}\n",
                output::error_label(lang),
                output::pick(
                    lang,
                    "thiếu lệnh con hoặc đối số; xem danh sách dưới đây.",
                    "a subcommand or argument is missing; see the list below."
                )
            );
            let _ = e.print();
            output::exit_usage()
        }
        _ => {
            eprint!("{}", usage::render(e, lang));
            output::exit_usage()
        }
    }
}
