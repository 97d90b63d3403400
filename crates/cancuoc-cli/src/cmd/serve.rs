//! `cancuoc serve`: runs the issuance service (dịch vụ cấp thẻ) — the REST
//! API, its OpenAPI viewer and the health probes — over the embedded SQLite
//! database (default) or PostgreSQL.
//!
//! Start-up: settings layered once (`config`), data directory and database
//! opened (migrations applied by the store), the ID allocator key loaded or
//! created, the SMS gateway chosen (the eSMS provider when
//! `sms_gateway_url` is set, otherwise the development sink
//! `DATA_DIR/sms-outbox.jsonl`, named on stdout — never its keys),
//! the citizens' channels that are on (their secrets from the settings;
//! with `--demo`, all of them with demo secrets over an in-process fake
//! provider API — `demo::channels`), the listener bound (so the channels'
//! links can name the real address), `--demo` seeding an empty database,
//! then the channels' workers (inbox, outbox dispatcher, overdue sweep)
//! and the server. The actual address is printed on stdout
//! (`--bind 127.0.0.1:0` picks a free port); one log line names the
//! channels that are on (never a secret). SIGINT or SIGTERM stops accepting, lets requests in flight
//! finish, closes the pool and exits 0. Logs go to stderr, human-readable
//! or JSON.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use cancuoc_core::i18n::Lang;
use cancuoc_server::sms_http::{EsmsGateway, EsmsSettings};
use cancuoc_server::{App, AppConfig, serve};
use cancuoc_service::channels::ChannelSettings;
use cancuoc_service::sms::{DevSink, SmsGateway};
use clap::Args;
use tracing::instrument::WithSubscriber;

use crate::Ctx;
use crate::config::{DbArgs, Layer, LogFormat, SMS_SINK_FILE, Settings, today_vn};
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
    /// A read replica (hot standby) of the PostgreSQL primary, postgres://…;
    /// repeat for several. Status lookups, the portal's public pages and the
    /// channels' lookups read a replica within the lag bound, else the
    /// primary; `database_url` may list several hosts
    /// (postgres://USER@H1:P1,H2:P2/DB): the first that takes writes is the
    /// primary, and the server follows a promotion by itself
    /// [env: CANCUOC_REPLICA_URLS, comma-separated] [TOML: replica_urls].
    #[arg(long = "replica-url", value_name = "URL")]
    replica_url: Vec<ReplicaUrl>,
    /// Seconds of replay lag past which a replica is not read
    /// [env: CANCUOC_REPLICA_MAX_LAG_SECS] [TOML: replica_max_lag_secs] [default: 5].
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    replica_max_lag_secs: Option<u64>,
    #[command(flatten)]
    db: DbArgs,
}

/// A `--replica-url` as given; `Debug` redacts its password, as
/// [`DbArgs`] does the database URL's.
#[derive(Clone)]
struct ReplicaUrl(String);

impl std::str::FromStr for ReplicaUrl {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(ReplicaUrl(s.to_owned()))
    }
}

impl std::fmt::Debug for ReplicaUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&cancuoc_store::db::redact_url(&self.0))
    }
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

/// The SMS gateway of the settings, and the start-up line that names it
/// (the provider's scheme and host, or the sink's path; never a key).
fn sms_gateway(settings: &Settings, lang: Lang) -> (Arc<dyn SmsGateway>, String) {
    match &settings.sms {
        Some(p) => {
            let gateway = EsmsGateway::new(EsmsSettings::new(
                p.url.clone(),
                p.api_key.expose(),
                p.secret_key.expose(),
                p.brand.clone(),
            ));
            // scheme://host[:port] only: a path or query may carry a token.
            let origin = p.url.find("://").map_or(p.url.as_str(), |i| {
                let end = p.url[i + 3..]
                    .find(['/', '?', '#'])
                    .map_or(p.url.len(), |j| i + 3 + j);
                &p.url[..end]
            });
            let line = format!(
                "SMS: {} {origin} ({} {})",
                pick(lang, "nhà cung cấp eSMS tại", "eSMS provider at"),
                pick(lang, "tên thương hiệu", "brandname"),
                p.brand
            );
            (Arc::new(gateway), line)
        }
        None => {
            let path = settings.data_dir.join(SMS_SINK_FILE);
            let line = format!(
                "SMS: {} {}",
                pick(
                    lang,
                    "hộp thư phát triển (không gửi tin thật) tại",
                    "development sink at"
                ),
                path.display()
            );
            (Arc::new(DevSink::new(path)), line)
        }
    }
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
            replica_urls: (!args.replica_url.is_empty())
                .then(|| args.replica_url.iter().map(|u| u.0.clone()).collect()),
            replica_max_lag_secs: args.replica_max_lag_secs,
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
        let replicas: Vec<String> = settings
            .replica_urls
            .iter()
            .map(|u| u.expose().to_owned())
            .collect();
        let store = store
            .with_replicas(&replicas, settings.replica_max_lag)
            .map_err(|e| anyhow::anyhow!("{}", cancuoc_core::i18n::Localized::message(&e, ctx.lang)))?;
        if !replicas.is_empty() {
            tracing::info!(
                replicas = ?replicas.iter().map(|u| cancuoc_store::db::redact_url(u)).collect::<Vec<_>>(),
                max_lag_secs = settings.replica_max_lag.as_secs(),
                "read replicas attached (connected lazily, lag checked every second)"
            );
        }
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
        // The demo's channels: every one on, their providers faked here.
        let demo_channels = if args.demo {
            Some(demo::channels::DemoChannels::start().await?)
        } else {
            None
        };
        let channels = demo_channels
            .as_ref()
            .map_or_else(|| settings.channels.clone(), |d| d.settings.clone());
        // Bound before the application is built: the channels' links (the
        // hotline's next-step URLs, the chat replies' links) need the
        // address when no public URL is set.
        let listener = tokio::net::TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}");
        let public_url = settings.public_url.clone().or_else(|| args.demo.then(|| base.clone()));
        let on = channels.enabled();
        if settings.public_url.is_none()
            && !args.demo
            && (channels.twilio.is_some() || channels.stringee.is_some())
        {
            tracing::warn!(
                "public_url (CANCUOC_PUBLIC_URL) is not set: the hotline's signatures are \
                 checked against http://localhost and its next-step URLs point there; set it \
                 to the address the provider calls"
            );
        }
        // The card's keys: the signed QR's key (made on first use) and the
        // chip's document signer (a TEST PKI made for the demo).
        let seal = std::sync::Arc::new(
            settings
                .cards
                .seal_keys(&settings.data_dir, public_url.as_deref())?,
        );
        let signer = settings
            .cards
            .document_signer(&settings.data_dir, args.demo)?;
        match &signer {
            Some((dir, _)) => tracing::debug!(
                pki = %dir.display(),
                "printed cards get a chip signed by the document signer"
            ),
            None => tracing::warn!(
                "no card PKI (card_pki_dir, or DATA_DIR/pki): printed cards are recorded \
                 without a chip digest; make one with `cancuoc pki init DIR`"
            ),
        }
        let config = AppConfig {
            request_timeout: std::time::Duration::from_secs(settings.request_timeout_secs),
            header_timeout: std::time::Duration::from_secs(settings.header_timeout_secs),
            body_timeout: std::time::Duration::from_secs(settings.body_timeout_secs),
            max_connections: settings.max_connections,
            test_hooks: args.test_hooks,
            trusted_proxies: settings.trusted_proxies.clone(),
            metrics_networks: settings.metrics_networks.clone(),
            behind_tls: settings.behind_tls,
            public_url,
            channels: channels.to_server(),
            seal: Some(seal.clone()),
            ..AppConfig::default()
        };
        let (sms, sms_line) = sms_gateway(&settings, ctx.lang);
        if settings.sms.is_none() && !args.demo {
            tracing::warn!(
                sink = %settings.data_dir.join(SMS_SINK_FILE).display(),
                "no SMS provider set (sms_gateway_url): one-time codes are written \
                 to the development sink, not sent"
            );
        }
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
        })
        .with_sms_gateway(sms)
        .with_otp_key(settings.account_key(ctx.lang)?)
        .with_blocked_numbers(settings.sms_blocked.iter().cloned())
        .with_account_settings(cancuoc_service::AccountSettings {
            password_lockout: settings.account_lockout,
            otp_lockout: settings.account_lockout,
            ..cancuoc_service::AccountSettings::default()
        })
        .with_channel_settings(ChannelSettings {
            public_url: settings.public_url.clone().unwrap_or_else(|| base.clone()),
            ..ChannelSettings::default()
        });
        let signer_dir = signer.as_ref().map(|(dir, _)| dir.clone());
        let service = match signer {
            Some((_, ds)) => {
                service.with_personalizer(crate::config::cards::ChipPersonalizer::shared(ds))
            }
            None => service,
        };
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
        // The inbox worker, the outbox dispatcher (chat replies and the
        // stages' notices) and the overdue sweep.
        let workers = cancuoc_server::channels::spawn_workers(app.clone());
        if on.is_empty() {
            tracing::info!("citizen channels: none on (their secrets are not set)");
        } else {
            tracing::info!(channels = %on.join(", "), "citizen channels on");
        }
        let shutdown = shutdown_signal();
        let outbox = settings
            .sms
            .is_none()
            .then(|| settings.data_dir.join(SMS_SINK_FILE));
        if let Some(d) = &seeded {
            // Everything the banner prints, for scripts (mode 0600: it
            // holds the officers' tokens and the demo secrets).
            let channels_json = demo_channels
                .as_ref()
                .map(|c| c.json(&base, Some(&d.channels)));
            let json = demo::json::write(
                d,
                &base,
                outbox.as_deref(),
                channels_json.as_ref(),
                &settings.data_dir,
            )
            .inspect_err(|e| tracing::warn!(error = format!("{e:#}"), "demo.json not written"))
            .ok();
            print!("{}", demo::login_text(d, &base, json.as_deref(), ctx.lang));
            print!(
                "{}",
                demo::cards_text(d, &seal, signer_dir.as_deref(), &settings.data_dir, &base, ctx.lang)
            );
        }
        if let Some(c) = &demo_channels {
            // Served again: the old demo.json gets this run's addresses,
            // and its dossiers to try are offered again.
            let again = match &seeded {
                Some(_) => None,
                None => demo::json::update(&settings.data_dir, &base, &c.json(&base, None))
                    .inspect_err(|e| {
                        tracing::warn!(error = format!("{e:#}"), "demo.json not updated");
                    })
                    .ok()
                    .flatten()
                    .map(|v| demo::channels::ChannelTry::from_json(&v)),
            };
            let tries = seeded.as_ref().map(|d| &d.channels).or(again.as_ref());
            print!(
                "{}",
                c.text(&base, tries, &settings.data_dir, outbox.as_deref(), ctx.lang)
            );
        }
        println!("{sms_line}");
        println!(
            "{} {base}  (API: {base}/api/v1, {}: {base}/api/docs)",
            pick(ctx.lang, "cancuoc đang phục vụ tại", "cancuoc listening on"),
            pick(ctx.lang, "tài liệu", "docs"),
        );
        tracing::info!(%addr, "listening");
        serve(listener, app, shutdown)
            .await
            .context("server error")?;
        // The loops stop before the store closes under them.
        workers.stop().await;
        store.close().await;
        // The fake provider of the demo lives as long as the server.
        drop(demo_channels);
        tracing::info!("stopped");
        Ok(EXIT_OK)
    })
}
