//! `cancuoc serve`: runs the issuance service (dịch vụ cấp thẻ) — the REST
//! API, its OpenAPI viewer and the health probes — over the embedded SQLite
//! database (default) or PostgreSQL.
//!
//! Start-up: settings layered once (`config`), data directory and database
//! opened (migrations applied by the store), the ID allocator key loaded or
//! created, `--demo` seeding an empty database, then the listener. The
//! actual address is printed on stdout (`--bind 127.0.0.1:0` picks a free
//! port). SIGINT or SIGTERM stops accepting, lets requests in flight
//! finish, closes the pool and exits 0. Logs go to stderr, human-readable
//! or JSON.

use std::process::ExitCode;

use anyhow::Context;
use cancuoc_server::{App, AppConfig, serve};
use clap::Args;
use tracing::instrument::WithSubscriber;

use crate::Ctx;
use crate::config::{DbArgs, Layer, LogFormat, Settings, today_vn};
use crate::demo;
use crate::output::{EXIT_OK, pick};

/// Run the HTTP service.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT; port 0 picks a free one
    /// [env: CANCUOC_BIND] [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    bind: Option<String>,
    /// Seed a small synthetic world (offices, officers of every role,
    /// citizens, dossiers in every state) when the database is empty, and
    /// print the tokens and codes to try.
    #[arg(long)]
    demo: bool,
    /// Log format on stderr [env: CANCUOC_LOG_FORMAT] [default: human].
    #[arg(long, value_enum)]
    log_format: Option<LogFormat>,
    /// Test hooks for the end-to-end browser tests (e.g. reading a
    /// captcha's answer at `/__test/captcha/{id}`). Hidden from `--help`:
    /// never use in production.
    #[arg(long, hide = true)]
    test_hooks: bool,
    #[command(flatten)]
    db: DbArgs,
}

fn init_logging(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    // A second initialisation (tests) is harmless: keep the first.
    let _ = match settings.log_format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Resolves when SIGINT (Ctrl-C) or SIGTERM arrives.
/// Resolves on SIGINT (Ctrl-C) or SIGTERM. On Unix the handlers are
/// installed when this is called, before the banner says "listening", not
/// when the future is first polled: a supervisor (or a test) that stops
/// the server as soon as it reads the banner used to kill it outright.
fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    let (mut int, mut term) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let int = async {
                match int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let term = async {
                match term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = int => {},
                () = term => {},
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("shutdown signal received, finishing requests in flight");
    }
}

/// Runs `cancuoc serve`.
pub fn run(args: ServeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let settings = Settings::for_db(
        &args.db,
        Layer {
            bind: args.bind.clone(),
            log_format: args.log_format,
            ..Layer::default()
        },
    )?;
    init_logging(&settings);
    tracing::debug!(?settings, "settings");
    let allocator = settings.allocator(ctx.lang)?;
    crate::config::runtime()?.block_on(async {
        let store = settings.open_store(ctx.lang).await?;
        tracing::info!(
            database = %cancuoc_store::db::redact_url(settings.database_url.expose()),
            "database open, migrations applied"
        );
        let empty = if args.demo {
            let c = store.counts().await?;
            c.offices == 0 && c.officers == 0 && c.citizens == 0 && c.dossiers == 0
        } else {
            false
        };
        if args.demo && !empty {
            println!(
                "{}",
                pick(
                    ctx.lang,
                    "--demo: cơ sở dữ liệu đã có dữ liệu, không tạo dữ liệu mẫu; tiếp tục với dữ liệu hiện có.",
                    "--demo: the database is not empty, no demo data seeded; continuing with the existing data."
                )
            );
        }
        if args.test_hooks {
            tracing::warn!(
                "!!! --test-hooks is ON: test-only routes are served \
                 (captcha answers at /__test/captcha/{{id}}). \
                 NEVER use this in production. !!!"
            );
        }
        let config = AppConfig {
            request_timeout: std::time::Duration::from_secs(settings.request_timeout_secs),
            header_timeout: std::time::Duration::from_secs(settings.header_timeout_secs),
            body_timeout: std::time::Duration::from_secs(settings.body_timeout_secs),
            max_connections: settings.max_connections,
            test_hooks: args.test_hooks,
            trusted_proxies: settings.trusted_proxies.clone(),
            behind_tls: settings.behind_tls,
            public_url: settings.public_url.clone(),
            ..AppConfig::default()
        };
        // The composition root: the store opened above, the service over
        // it, the HTTP shell over the service.
        let service = cancuoc_server::Service::new(
            store.clone(),
            allocator,
            cancuoc_server::system_clock(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{}", cancuoc_core::i18n::Localized::message_en(&e)))?
        .with_limits(cancuoc_server::Limits {
            exempt: settings.rate_limit_exempt.clone(),
            ..cancuoc_server::Limits::default()
        });
        let app = App::new(service, config);
        let seeded = if empty {
            let started = std::time::Instant::now();
            // Seeding registers 200 citizens and walks a dossier through
            // every state: the service's INFO line per step would bury the
            // summary a newcomer needs, so the seeding runs without a log
            // subscriber (a failure still stops the server, with its cause)
            // and one line says it is done.
            let d = demo::seed(&store, &app, jiff::Timestamp::now(), today_vn())
                .with_subscriber(tracing::subscriber::NoSubscriber::default())
                .await
                .context("seeding the demo world")?;
            tracing::info!(
                citizens = d.citizens,
                dossiers = d.dossiers,
                ms = started.elapsed().as_millis() as u64,
                "demo world seeded"
            );
            Some(d)
        } else {
            None
        };
        let listener = tokio::net::TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}");
        let shutdown = shutdown_signal();
        if let Some(d) = &seeded {
            print!("{}", demo::login_text(d, &base, ctx.lang));
        }
        println!(
            "{} {base}  (API: {base}/api/v1, {}: {base}/api/docs)",
            pick(ctx.lang, "cancuoc đang phục vụ tại", "cancuoc listening on"),
            pick(ctx.lang, "tài liệu", "docs"),
        );
        tracing::info!(%addr, "listening");
        serve(listener, app, shutdown)
            .await
            .context("server error")?;
        store.close().await;
        tracing::info!("stopped");
        Ok(EXIT_OK)
    })
}
