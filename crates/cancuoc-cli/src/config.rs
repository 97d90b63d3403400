//! Settings of the commands that touch the database (cấu hình): `serve`,
//! `officer`, `seed`, `import`.
//!
//! Layered once into a typed [`Settings`]: built-in defaults, then a TOML
//! file (`--config FILE` or `CANCUOC_CONFIG`), then `CANCUOC_*` environment
//! variables, then command-line flags — each layer overrides the one before.
//! Secrets (a database URL's password, the ID allocator key, the SMS
//! provider's keys, the channels' tokens — [`channels`]) are redacted in
//! `Debug`.
//!
//! Hand-rolled over `toml` + `serde` rather than the `config` crate: flat
//! keys, and an explicit merge is shorter than adapting `config`'s
//! `CCCD__…` naming and its stringly typed values.
//!
//! The ID allocator key (khóa cấp số định danh) is `CANCUOC_ID_KEY` (32 hex
//! digits) or the file `DATA_DIR/id-allocator.key`, created on first use
//! from the operating system's random generator with mode 0600.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

pub mod cards;
pub mod channels;
use cancuoc_core::id::alloc::Allocator;
pub use cards::CardSettings;
pub use channels::Channels;
use serde::Deserialize;

/// The default data directory, relative to the working directory.
pub const DEFAULT_DATA_DIR: &str = "./cancuoc-data";
/// The default bind address.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// The key file's name inside the data directory.
pub const KEY_FILE: &str = "id-allocator.key";
/// The file of the identity accounts' code key, in the data directory.
pub const ACCOUNT_KEY_FILE: &str = "account-otp.key";
/// The development SMS sink's file inside the data directory (used when no
/// SMS provider is set).
pub const SMS_SINK_FILE: &str = "sms-outbox.jsonl";

/// Options shared by every command that opens the database.
#[derive(clap::Args, Clone, Default)]
pub struct DbArgs {
    /// Data directory: the embedded SQLite database (cancuoc.db) and the ID
    /// allocator key live here [env: CANCUOC_DATA_DIR] [default: ./cancuoc-data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://PATH, or postgres://USER:PASS@HOST/DB, or
    /// several PostgreSQL hosts postgres://USER@H1:P1,H2:P2/DB (the first
    /// that takes writes is used, and a promoted standby is followed)
    /// [env: CANCUOC_DATABASE_URL] [default: sqlite://DATA_DIR/cancuoc.db].
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// TOML settings file (keys: bind, data_dir, database_url, log,
    /// log_format, request_timeout_secs, sqlite_synchronous,
    /// trusted_proxies, rate_limit_exempt, metrics_networks, behind_tls, public_url,
    /// header_timeout_secs, body_timeout_secs, max_connections,
    /// sms_gateway_url, sms_api_key, sms_secret_key, sms_brand,
    /// sms_blocked_numbers, account_lockout_*, twilio_auth_token,
    /// ivr_operator_number, ivr_voice, stringee_signing_secret,
    /// stringee_hotline_number, stringee_voice, zalo_app_id,
    /// zalo_webhook_secret, zalo_app_secret, zalo_access_token,
    /// zalo_refresh_token, zalo_api_base, zalo_oauth_base, zalo_zns_base,
    /// the table zalo_zns_templates, zalo_verifier_file, messenger_app_secret, messenger_verify_token,
    /// messenger_page_token, graph_api_base, seal_key_file,
    /// seal_trusted_keys, seal_issuer, card_pki_dir, replica_urls,
    /// replica_max_lag_secs) [env: CANCUOC_CONFIG].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl fmt::Debug for DbArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbArgs")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self
                    .database_url
                    .as_deref()
                    .map(cancuoc_store::db::redact_url),
            )
            .field("config", &self.config)
            .finish()
    }
}

/// How log lines are written (to stderr).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    Human,
    /// One JSON object per line.
    Json,
}

/// One layer of settings: every key optional. The TOML file has this shape.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Address to listen on.
    pub bind: Option<String>,
    /// Data directory.
    pub data_dir: Option<PathBuf>,
    /// Database URL.
    pub database_url: Option<String>,
    /// Log filter (tracing `EnvFilter` syntax), e.g. `info,sqlx=warn`.
    pub log: Option<String>,
    /// `human` or `json`.
    pub log_format: Option<LogFormat>,
    /// Request timeout in seconds.
    pub request_timeout_secs: Option<u64>,
    /// Seconds a connection may keep the server waiting for a request head
    /// (or read nothing of its answer) before it is closed.
    pub header_timeout_secs: Option<u64>,
    /// Seconds a request body may take to arrive once read (then 408).
    pub body_timeout_secs: Option<u64>,
    /// Connections held at once.
    pub max_connections: Option<usize>,
    /// How an SQLite file's commits reach the disk: `full` (default) or
    /// `normal` (see [`cancuoc_store::Durability`]).
    pub sqlite_synchronous: Option<String>,
    /// Networks of the proxies whose `X-Forwarded-For` names the client
    /// (CIDR or single addresses), e.g. `["10.0.0.0/8"]`.
    pub trusted_proxies: Option<Vec<String>>,
    /// Client networks exempt from the per-client limits of the public
    /// doors (trusted integrators, load tests).
    pub rate_limit_exempt: Option<Vec<String>>,
    /// Client networks that may read `GET /metrics` (default loopback;
    /// `[]` turns the metrics off).
    pub metrics_networks: Option<Vec<String>>,
    /// Served over HTTPS (directly or by a TLS-terminating proxy): cookies
    /// get `Secure` and answers carry HSTS.
    pub behind_tls: Option<bool>,
    /// The portal's address as citizens reach it (`https://…`, no path),
    /// printed on appointment slips and in their QR code.
    pub public_url: Option<String>,
    /// The SMS provider's send endpoint (eSMS.vn's JSON API); unset: the
    /// development sink `DATA_DIR/sms-outbox.jsonl`.
    pub sms_gateway_url: Option<String>,
    /// The SMS provider account's API key.
    pub sms_api_key: Option<String>,
    /// The SMS provider account's secret key.
    pub sms_secret_key: Option<String>,
    /// The registered brandname messages are sent as.
    pub sms_brand: Option<String>,
    /// Numbers no message is ever sent to (opt-outs, numbers reported
    /// abused), as people write them.
    pub sms_blocked_numbers: Option<Vec<String>>,
    /// Keycloak's temporary lockout of an identity account, for wrong
    /// passwords and, counted apart, wrong codes: failures before a wait
    /// (default 5) …
    pub account_lockout_failures: Option<u64>,
    /// … the wait per that many failures, in seconds (default 60) …
    pub account_lockout_wait_increment_secs: Option<u64>,
    /// … the longest wait (default 900) …
    pub account_lockout_max_wait_secs: Option<u64>,
    /// … and the quiet time after which the count starts again (default
    /// 43200, 12 hours).
    pub account_lockout_reset_secs: Option<u64>,
    /// The hotline on Twilio (or any TwiML host): the account's auth
    /// token, the key of `X-Twilio-Signature`. Set: the Twilio hotline is on.
    pub twilio_auth_token: Option<String>,
    /// The operator a caller is handed to during opening hours
    /// (`+84…` or the digits to dial).
    pub ivr_operator_number: Option<String>,
    /// The voice of Twilio's `<Say>` (default `Google.vi-VN-Standard-A`).
    pub ivr_voice: Option<String>,
    /// The hotline on Stringee: the signing secret of
    /// `X-Stringee-Signature`. Set: the Stringee hotline is on.
    pub stringee_signing_secret: Option<String>,
    /// The hotline number calls come in on (default `19000368`).
    pub stringee_hotline_number: Option<String>,
    /// The voice of Stringee's `talk` (default `hn_male_xuantin_vdts_48k-hsmm`).
    pub stringee_voice: Option<String>,
    /// The Zalo app's id. The Zalo OA is on when this, the webhook secret
    /// and both tokens are set.
    pub zalo_app_id: Option<String>,
    /// The OA secret key the webhook is signed with.
    pub zalo_webhook_secret: Option<String>,
    /// The app secret, sent when refreshing the access token (default: the
    /// webhook secret).
    pub zalo_app_secret: Option<String>,
    /// The first OA access token (after a refresh the stored one wins).
    pub zalo_access_token: Option<String>,
    /// The first refresh token.
    pub zalo_refresh_token: Option<String>,
    /// The OA API (default `https://openapi.zalo.me`).
    pub zalo_api_base: Option<String>,
    /// The OAuth host (default `https://oauth.zaloapp.com`).
    pub zalo_oauth_base: Option<String>,
    /// The ZNS host (default `https://business.openapi.zalo.me`).
    pub zalo_zns_base: Option<String>,
    /// ZNS template ids by notice (`received`, `approved`, `rejected`,
    /// `refused`, `ready_for_pickup`, `posted`, `overdue`); a notice
    /// without a template goes by SMS.
    pub zalo_zns_templates: Option<BTreeMap<String, String>>,
    /// The domain-verification file Zalo issued (`zalo_verifier….html`),
    /// served at the site's root under its name; Zalo refuses the
    /// webhook of an unverified domain.
    pub zalo_verifier_file: Option<PathBuf>,
    /// The signed QR's private key (Ed25519, PKCS#8 PEM); default
    /// `DATA_DIR/seal.key.pem`, made on first use.
    pub seal_key_file: Option<PathBuf>,
    /// Public keys (PEM files) of other issuers whose seals verify here.
    pub seal_trusted_keys: Option<Vec<String>>,
    /// The `iss` claim of the seals made here; default `PUBLIC_URL/xac-minh`.
    pub seal_issuer: Option<String>,
    /// The chip's document signer folder (`ds.pem`, `ds.key.pem`, as
    /// `cancuoc pki init` makes); default `DATA_DIR/pki` when it exists.
    pub card_pki_dir: Option<PathBuf>,
    /// The Messenger app secret, the key of `X-Hub-Signature-256`. The
    /// Page is on when this, the verify token and the Page token are set.
    pub messenger_app_secret: Option<String>,
    /// The token of the `hub.verify_token` handshake.
    pub messenger_verify_token: Option<String>,
    /// The Page access token of the Send API.
    pub messenger_page_token: Option<String>,
    /// The Graph API (default `https://graph.facebook.com`).
    pub graph_api_base: Option<String>,
    /// Read replicas of a PostgreSQL primary (hot standbys), one
    /// `postgres://` URL each: the public reads (status lookups, the
    /// portal's public pages, the channels' lookups) go to them.
    pub replica_urls: Option<Vec<String>>,
    /// Seconds of replay lag past which a replica is not read (public
    /// reads go to the primary); default 5.
    pub replica_max_lag_secs: Option<u64>,
}

impl Layer {
    /// Keys set in `over` replace those here.
    fn overlay(self, over: Layer) -> Layer {
        Layer {
            bind: over.bind.or(self.bind),
            data_dir: over.data_dir.or(self.data_dir),
            database_url: over.database_url.or(self.database_url),
            log: over.log.or(self.log),
            log_format: over.log_format.or(self.log_format),
            request_timeout_secs: over.request_timeout_secs.or(self.request_timeout_secs),
            header_timeout_secs: over.header_timeout_secs.or(self.header_timeout_secs),
            body_timeout_secs: over.body_timeout_secs.or(self.body_timeout_secs),
            max_connections: over.max_connections.or(self.max_connections),
            sqlite_synchronous: over.sqlite_synchronous.or(self.sqlite_synchronous),
            trusted_proxies: over.trusted_proxies.or(self.trusted_proxies),
            rate_limit_exempt: over.rate_limit_exempt.or(self.rate_limit_exempt),
            metrics_networks: over.metrics_networks.or(self.metrics_networks),
            behind_tls: over.behind_tls.or(self.behind_tls),
            public_url: over.public_url.or(self.public_url),
            sms_gateway_url: over.sms_gateway_url.or(self.sms_gateway_url),
            sms_api_key: over.sms_api_key.or(self.sms_api_key),
            sms_secret_key: over.sms_secret_key.or(self.sms_secret_key),
            sms_brand: over.sms_brand.or(self.sms_brand),
            sms_blocked_numbers: over.sms_blocked_numbers.or(self.sms_blocked_numbers),
            account_lockout_failures: over
                .account_lockout_failures
                .or(self.account_lockout_failures),
            account_lockout_wait_increment_secs: over
                .account_lockout_wait_increment_secs
                .or(self.account_lockout_wait_increment_secs),
            account_lockout_max_wait_secs: over
                .account_lockout_max_wait_secs
                .or(self.account_lockout_max_wait_secs),
            account_lockout_reset_secs: over
                .account_lockout_reset_secs
                .or(self.account_lockout_reset_secs),
            twilio_auth_token: over.twilio_auth_token.or(self.twilio_auth_token),
            ivr_operator_number: over.ivr_operator_number.or(self.ivr_operator_number),
            ivr_voice: over.ivr_voice.or(self.ivr_voice),
            stringee_signing_secret: over
                .stringee_signing_secret
                .or(self.stringee_signing_secret),
            stringee_hotline_number: over
                .stringee_hotline_number
                .or(self.stringee_hotline_number),
            stringee_voice: over.stringee_voice.or(self.stringee_voice),
            zalo_app_id: over.zalo_app_id.or(self.zalo_app_id),
            zalo_webhook_secret: over.zalo_webhook_secret.or(self.zalo_webhook_secret),
            zalo_app_secret: over.zalo_app_secret.or(self.zalo_app_secret),
            zalo_access_token: over.zalo_access_token.or(self.zalo_access_token),
            zalo_refresh_token: over.zalo_refresh_token.or(self.zalo_refresh_token),
            zalo_api_base: over.zalo_api_base.or(self.zalo_api_base),
            zalo_oauth_base: over.zalo_oauth_base.or(self.zalo_oauth_base),
            zalo_zns_base: over.zalo_zns_base.or(self.zalo_zns_base),
            zalo_zns_templates: over.zalo_zns_templates.or(self.zalo_zns_templates),
            zalo_verifier_file: over.zalo_verifier_file.or(self.zalo_verifier_file),
            seal_key_file: over.seal_key_file.or(self.seal_key_file),
            seal_trusted_keys: over.seal_trusted_keys.or(self.seal_trusted_keys),
            seal_issuer: over.seal_issuer.or(self.seal_issuer),
            card_pki_dir: over.card_pki_dir.or(self.card_pki_dir),
            messenger_app_secret: over.messenger_app_secret.or(self.messenger_app_secret),
            messenger_verify_token: over.messenger_verify_token.or(self.messenger_verify_token),
            messenger_page_token: over.messenger_page_token.or(self.messenger_page_token),
            graph_api_base: over.graph_api_base.or(self.graph_api_base),
            replica_urls: over.replica_urls.or(self.replica_urls),
            replica_max_lag_secs: over.replica_max_lag_secs.or(self.replica_max_lag_secs),
        }
    }

    /// The `CANCUOC_*` variables, read through `env` (injected for tests).
    fn from_env(env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Layer> {
        let log_format = match env("CANCUOC_LOG_FORMAT") {
            None => None,
            Some(s) => Some(match s.trim() {
                "human" => LogFormat::Human,
                "json" => LogFormat::Json,
                other => bail!("CANCUOC_LOG_FORMAT={other:?}: expected human or json"),
            }),
        };
        // A positive whole number from variable `k`.
        let number = |k: &str| -> anyhow::Result<Option<u64>> {
            env(k)
                .map(|s| match s.trim().parse::<u64>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => bail!("{k}={s:?}: expected a whole number above 0"),
                })
                .transpose()
        };
        let request_timeout_secs = number("CANCUOC_REQUEST_TIMEOUT_SECS")?;
        let header_timeout_secs = number("CANCUOC_HEADER_TIMEOUT_SECS")?;
        let body_timeout_secs = number("CANCUOC_BODY_TIMEOUT_SECS")?;
        let max_connections =
            number("CANCUOC_MAX_CONNECTIONS")?.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        let behind_tls = match env("CANCUOC_BEHIND_TLS") {
            None => None,
            Some(s) => Some(match s.trim() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" | "" => false,
                other => bail!("CANCUOC_BEHIND_TLS={other:?}: expected true or false"),
            }),
        };
        // A comma- or space-separated list of networks.
        let list = |k: &str| {
            env(k).map(|s| {
                s.split([',', ' '])
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
        };
        Ok(Layer {
            bind: env("CANCUOC_BIND"),
            data_dir: env("CANCUOC_DATA_DIR").map(PathBuf::from),
            database_url: env("CANCUOC_DATABASE_URL"),
            log: env("CANCUOC_LOG"),
            log_format,
            request_timeout_secs,
            header_timeout_secs,
            body_timeout_secs,
            max_connections,
            sqlite_synchronous: env("CANCUOC_SQLITE_SYNCHRONOUS"),
            trusted_proxies: list("CANCUOC_TRUSTED_PROXIES"),
            rate_limit_exempt: list("CANCUOC_RATE_LIMIT_EXEMPT"),
            metrics_networks: list("CANCUOC_METRICS_NETWORKS"),
            behind_tls,
            public_url: env("CANCUOC_PUBLIC_URL"),
            sms_gateway_url: env("CANCUOC_SMS_GATEWAY_URL"),
            sms_api_key: env("CANCUOC_SMS_API_KEY"),
            sms_secret_key: env("CANCUOC_SMS_SECRET_KEY"),
            sms_brand: env("CANCUOC_SMS_BRAND"),
            sms_blocked_numbers: list("CANCUOC_SMS_BLOCKED_NUMBERS"),
            account_lockout_failures: number("CANCUOC_ACCOUNT_LOCKOUT_FAILURES")?,
            account_lockout_wait_increment_secs: number(
                "CANCUOC_ACCOUNT_LOCKOUT_WAIT_INCREMENT_SECS",
            )?,
            account_lockout_max_wait_secs: number("CANCUOC_ACCOUNT_LOCKOUT_MAX_WAIT_SECS")?,
            account_lockout_reset_secs: number("CANCUOC_ACCOUNT_LOCKOUT_RESET_SECS")?,
            twilio_auth_token: env("CANCUOC_TWILIO_AUTH_TOKEN"),
            ivr_operator_number: env("CANCUOC_IVR_OPERATOR_NUMBER"),
            stringee_signing_secret: env("CANCUOC_STRINGEE_SIGNING_SECRET"),
            zalo_app_id: env("CANCUOC_ZALO_APP_ID"),
            zalo_webhook_secret: env("CANCUOC_ZALO_WEBHOOK_SECRET"),
            zalo_access_token: env("CANCUOC_ZALO_ACCESS_TOKEN"),
            zalo_refresh_token: env("CANCUOC_ZALO_REFRESH_TOKEN"),
            zalo_api_base: env("CANCUOC_ZALO_API_BASE"),
            zalo_verifier_file: env("CANCUOC_ZALO_VERIFIER_FILE").map(PathBuf::from),
            seal_key_file: env("CANCUOC_SEAL_KEY_FILE").map(PathBuf::from),
            seal_trusted_keys: list("CANCUOC_SEAL_TRUSTED_KEYS"),
            seal_issuer: env("CANCUOC_SEAL_ISSUER"),
            card_pki_dir: env("CANCUOC_CARD_PKI_DIR").map(PathBuf::from),
            messenger_app_secret: env("CANCUOC_MESSENGER_APP_SECRET"),
            messenger_verify_token: env("CANCUOC_MESSENGER_VERIFY_TOKEN"),
            messenger_page_token: env("CANCUOC_MESSENGER_PAGE_TOKEN"),
            graph_api_base: env("CANCUOC_GRAPH_API_BASE"),
            replica_urls: list("CANCUOC_REPLICA_URLS"),
            replica_max_lag_secs: number("CANCUOC_REPLICA_MAX_LAG_SECS")?,
            ..Layer::default()
        })
    }
}

/// A secret string: `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A secret of `text`.
    pub fn new(text: impl Into<String>) -> Secret {
        Secret(text.into())
    }

    /// The secret text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The resolved settings.
#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    /// Address `serve` listens on.
    pub bind: SocketAddr,
    /// Data directory (created if missing).
    pub data_dir: PathBuf,
    /// Database URL (may hold a password).
    pub database_url: Secret,
    /// Log filter.
    pub log: String,
    /// Log line format.
    pub log_format: LogFormat,
    /// Request timeout in seconds.
    pub request_timeout_secs: u64,
    /// Header (and idle connection) timeout in seconds.
    pub header_timeout_secs: u64,
    /// Body timeout in seconds.
    pub body_timeout_secs: u64,
    /// Connections held at once.
    pub max_connections: usize,
    /// How an SQLite file's commits reach the disk.
    pub durability: cancuoc_store::Durability,
    /// `CANCUOC_ID_KEY`, if set.
    pub id_key: Option<Secret>,
    /// Proxies trusted to name the client in `X-Forwarded-For`.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Client networks exempt from the per-client limits.
    pub rate_limit_exempt: Vec<ipnet::IpNet>,
    /// Client networks that may read `GET /metrics` (empty: metrics off).
    pub metrics_networks: Vec<ipnet::IpNet>,
    /// Served over HTTPS: `Secure` cookies and HSTS.
    pub behind_tls: bool,
    /// The portal's public address (`scheme://host[:port]`, no trailing
    /// slash), when set.
    pub public_url: Option<String>,
    /// The SMS provider, when one is set; `None`: the development sink.
    pub sms: Option<SmsProvider>,
    /// Numbers no message is ever sent to.
    pub sms_blocked: Vec<cancuoc_core::phone::PhoneNumber>,
    /// The identity accounts' temporary lockout (passwords and codes,
    /// each counted apart).
    pub account_lockout: cancuoc_core::account::TemporaryLockout,
    /// The citizens' channels that are on, with their secrets.
    pub channels: Channels,
    /// The signed QR's keys and the chip's document signer.
    pub cards: CardSettings,
    /// Read replicas' URLs (may hold passwords).
    pub replica_urls: Vec<Secret>,
    /// The replay lag past which a replica is not read.
    pub replica_max_lag: std::time::Duration,
}

/// The SMS provider's address and account (eSMS.vn's JSON API). `Debug`
/// hides the keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsProvider {
    /// The send endpoint (`http://` or `https://`).
    pub url: String,
    /// The account's API key.
    pub api_key: Secret,
    /// The account's secret key.
    pub secret_key: Secret,
    /// The registered brandname (≤ 11 characters).
    pub brand: String,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &cancuoc_store::db::redact_url(self.database_url.expose()),
            )
            .field("log", &self.log)
            .field("log_format", &self.log_format)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("body_timeout_secs", &self.body_timeout_secs)
            .field("max_connections", &self.max_connections)
            .field("durability", &self.durability)
            .field("id_key", &self.id_key)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("rate_limit_exempt", &self.rate_limit_exempt)
            .field("metrics_networks", &self.metrics_networks)
            .field("behind_tls", &self.behind_tls)
            .field("public_url", &self.public_url)
            .field("sms", &self.sms)
            .field("channels", &self.channels)
            .field("cards", &self.cards)
            .field(
                "replica_urls",
                &self
                    .replica_urls
                    .iter()
                    .map(|u| cancuoc_store::db::redact_url(u.expose()))
                    .collect::<Vec<_>>(),
            )
            .field("replica_max_lag", &self.replica_max_lag)
            .finish()
    }
}

/// A public URL checked: `http://` or `https://`, a host, no path, query
/// or fragment (a trailing `/` is dropped).
fn public_url(text: &str) -> anyhow::Result<String> {
    let t = text.trim().trim_end_matches('/');
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .ok_or_else(|| {
            anyhow::anyhow!("public_url {text:?} must start with https:// or http://")
        })?;
    anyhow::ensure!(
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)),
        "public_url {text:?} must be scheme://host[:port] with no path, e.g. https://cancuoc.example.vn"
    );
    Ok(t.to_owned())
}

/// The read replicas' URLs: each a single-host `postgres://` URL, and
/// only beside a PostgreSQL primary. Messages name a URL with its password
/// redacted.
fn replica_urls(primary: &str, urls: Vec<String>) -> anyhow::Result<Vec<Secret>> {
    let urls: Vec<String> = urls
        .into_iter()
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .collect();
    if urls.is_empty() {
        return Ok(Vec::new());
    }
    anyhow::ensure!(
        !primary.starts_with("sqlite:"),
        "replica_urls: read replicas need a PostgreSQL primary (database_url postgres://…)"
    );
    for u in &urls {
        let shown = cancuoc_store::db::redact_url(u);
        anyhow::ensure!(
            matches!(
                cancuoc_store::Backend::of_url(u),
                Ok(cancuoc_store::Backend::Postgres)
            ),
            "replica_urls: {shown:?} is not a postgres:// URL"
        );
        let authority = u
            .split_once("://")
            .map_or("", |(_, r)| r.split(['/', '?']).next().unwrap_or(r));
        anyhow::ensure!(
            !authority.contains(','),
            "replica_urls: {shown:?} lists several hosts: give each replica its own URL"
        );
    }
    Ok(urls.into_iter().map(Secret).collect())
}

/// The SMS provider of the merged settings: none without a URL; with one,
/// the keys and the brandname are required.
fn sms_provider(merged: &Layer) -> anyhow::Result<Option<SmsProvider>> {
    let Some(url) = merged
        .sms_gateway_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    else {
        return Ok(None);
    };
    anyhow::ensure!(
        url.starts_with("https://") || url.starts_with("http://"),
        "sms_gateway_url {url:?} must start with https:// or http://"
    );
    let required = |key: &str, value: &Option<String>| -> anyhow::Result<String> {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "sms_gateway_url is set: {key} (CANCUOC_{}) is required too",
                    key.to_ascii_uppercase()
                )
            })
    };
    let brand = required("sms_brand", &merged.sms_brand)?;
    anyhow::ensure!(
        brand.chars().count() <= 11
            && brand
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " .-_".contains(c)),
        "sms_brand {brand:?}: a registered brandname has at most 11 letters, digits, spaces, '.', '-' or '_'"
    );
    Ok(Some(SmsProvider {
        url: url.to_owned(),
        api_key: Secret(required("sms_api_key", &merged.sms_api_key)?),
        secret_key: Secret(required("sms_secret_key", &merged.sms_secret_key)?),
        brand,
    }))
}

impl Settings {
    /// Layers defaults, the TOML file, the environment (through `env`) and
    /// the flags (`flags`, with `config` naming the file).
    pub fn resolve(
        flags: Layer,
        config: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Settings> {
        let file_path = config
            .map(Path::to_path_buf)
            .or_else(|| env("CANCUOC_CONFIG").map(PathBuf::from));
        let file = match &file_path {
            None => Layer::default(),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read settings file {}", p.display()))?;
                toml::from_str::<Layer>(&text)
                    .with_context(|| format!("settings file {}", p.display()))?
            }
        };
        let merged = Layer::default()
            .overlay(file)
            .overlay(Layer::from_env(env)?)
            .overlay(flags);
        let sms = sms_provider(&merged)?;
        let channels = channels::resolve(&merged)?;
        let account_lockout = account_lockout(&merged)?;
        let data_dir = merged
            .data_dir
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = merged
            .database_url
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("cancuoc.db").display()));
        let bind_text = merged.bind.unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind = bind_text
            .parse::<SocketAddr>()
            .with_context(|| format!("bind address {bind_text:?} is not HOST:PORT"))?;
        let durability = match &merged.sqlite_synchronous {
            None => cancuoc_store::Durability::default(),
            Some(s) => s.parse().map_err(|_| {
                anyhow::anyhow!("sqlite_synchronous = {s:?}: expected full or normal")
            })?,
        };
        let replica_urls = replica_urls(&database_url, merged.replica_urls.unwrap_or_default())?;
        let trusted_proxies = networks("trusted_proxies", merged.trusted_proxies)?;
        let rate_limit_exempt = networks("rate_limit_exempt", merged.rate_limit_exempt)?;
        // Unset: loopback (a scraper on the same host); `[]`: off.
        let metrics_networks = match merged.metrics_networks {
            None => cancuoc_server::AppConfig::default().metrics_networks,
            list => networks("metrics_networks", list)?,
        };
        let sms_blocked = merged
            .sms_blocked_numbers
            .unwrap_or_default()
            .iter()
            .map(|n| {
                cancuoc_core::phone::PhoneNumber::parse(n).map_err(|e| {
                    anyhow::anyhow!(
                        "sms_blocked_numbers: {n:?}: {}",
                        cancuoc_core::i18n::Localized::message_en(&e)
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let cards = CardSettings {
            seal_key_file: merged.seal_key_file.clone(),
            seal_trusted_keys: merged
                .seal_trusted_keys
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(PathBuf::from)
                .collect(),
            seal_issuer: merged.seal_issuer.clone(),
            card_pki_dir: merged.card_pki_dir.clone(),
        };
        Ok(Settings {
            sms,
            channels,
            cards,
            sms_blocked,
            account_lockout,
            bind,
            data_dir,
            durability,
            trusted_proxies,
            rate_limit_exempt,
            metrics_networks,
            behind_tls: merged.behind_tls.unwrap_or(false),
            public_url: merged.public_url.as_deref().map(public_url).transpose()?,
            database_url: Secret(database_url),
            log: merged.log.unwrap_or_else(|| "info,sqlx=warn".to_owned()),
            log_format: merged.log_format.unwrap_or(LogFormat::Human),
            request_timeout_secs: merged.request_timeout_secs.unwrap_or(30),
            header_timeout_secs: merged.header_timeout_secs.unwrap_or(10),
            body_timeout_secs: merged.body_timeout_secs.unwrap_or(20),
            max_connections: merged.max_connections.unwrap_or(1024),
            replica_urls,
            replica_max_lag: merged.replica_max_lag_secs.map_or(
                cancuoc_store::REPLICA_MAX_LAG_DEFAULT,
                std::time::Duration::from_secs,
            ),
            id_key: env("CANCUOC_ID_KEY").map(Secret),
        })
    }

    /// Settings for a database command from its [`DbArgs`] and the process
    /// environment.
    pub fn for_db(args: &DbArgs, extra: Layer) -> anyhow::Result<Settings> {
        let flags = Layer {
            data_dir: args.data_dir.clone(),
            database_url: args.database_url.clone(),
            ..extra
        };
        Self::resolve(flags, args.config.as_deref(), &|k| std::env::var(k).ok())
    }

    /// Whether the database is the embedded SQLite file.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose().starts_with("sqlite:")
    }

    /// Creates the data directory (if missing), naming it in `lang` on
    /// failure.
    fn create_data_dir(&self, lang: cancuoc_core::i18n::Lang) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!(
                "{} {}",
                crate::output::pick(
                    lang,
                    "không tạo được thư mục dữ liệu",
                    "cannot create data directory"
                ),
                self.data_dir.display()
            )
        })
    }

    /// Creates the data directory and opens the store (migrations applied);
    /// a failure is told in `lang`.
    pub async fn open_store(
        &self,
        lang: cancuoc_core::i18n::Lang,
    ) -> anyhow::Result<cancuoc_store::Store> {
        self.create_data_dir(lang)?;
        cancuoc_store::Store::connect_with(self.database_url.expose(), self.durability)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "{} ({})",
                    cancuoc_core::i18n::Localized::message(&e, lang),
                    cancuoc_store::db::redact_url(self.database_url.expose())
                )
            })
    }

    /// The personal ID allocator if its key exists (`CANCUOC_ID_KEY`, else
    /// `DATA_DIR/id-allocator.key`), never creating one: for commands that
    /// only read, as `check`.
    pub fn existing_allocator(&self) -> anyhow::Result<Option<Allocator>> {
        if let Some(k) = &self.id_key {
            return Ok(Some(Allocator::new(
                parse_key(k.expose()).context("CANCUOC_ID_KEY")?,
            )));
        }
        let path = self.data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(Allocator::new(
                parse_key(&text).with_context(|| path.display().to_string())?,
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// The personal ID allocator: its key from `CANCUOC_ID_KEY`, else from
    /// `DATA_DIR/id-allocator.key`, created (mode 0600) on first use.
    pub fn allocator(&self, lang: cancuoc_core::i18n::Lang) -> anyhow::Result<Allocator> {
        if let Some(k) = &self.id_key {
            return Ok(Allocator::new(
                parse_key(k.expose()).context("CANCUOC_ID_KEY")?,
            ));
        }
        let path = self.data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Allocator::new(
                parse_key(&text).with_context(|| path.display().to_string())?,
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.create_data_dir(lang)?;
                let key: [u8; 16] = rand::random();
                write_private(&path, &format!("{}\n", hex(&key)))
                    .with_context(|| path.display().to_string())?;
                tracing::info!(path = %path.display(), "created a new ID allocator key");
                Ok(Allocator::new(key))
            }
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }
}

impl Settings {
    /// The key of the identity accounts' stored one-time codes (an
    /// HMAC-SHA256 key): `CANCUOC_ACCOUNT_KEY` (64 hex digits), else the
    /// file `DATA_DIR/account-otp.key`, created on first use (mode 0600).
    /// Every process serving one database must have the same key, or a
    /// code sent by one is refused by another; a new key ends the codes in
    /// flight (two minutes' worth), nothing else.
    pub fn account_key(&self, lang: cancuoc_core::i18n::Lang) -> anyhow::Result<[u8; 32]> {
        if let Ok(k) = std::env::var("CANCUOC_ACCOUNT_KEY") {
            return parse_key32(&k).context("CANCUOC_ACCOUNT_KEY");
        }
        let path = self.data_dir.join(ACCOUNT_KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_key32(&text).with_context(|| path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.create_data_dir(lang)?;
                let key: [u8; 32] = rand::random();
                write_private(&path, &format!("{}\n", hex(&key)))
                    .with_context(|| path.display().to_string())?;
                tracing::info!(path = %path.display(), "created a new account code key");
                Ok(key)
            }
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }
}

/// The accounts' lockout from its four settings over Keycloak's defaults
/// (`TemporaryLockout::DEFAULT`); the longest wait must not be shorter
/// than one step.
fn account_lockout(l: &Layer) -> anyhow::Result<cancuoc_core::account::TemporaryLockout> {
    let d = cancuoc_core::account::TemporaryLockout::DEFAULT;
    let secs =
        |v: Option<u64>, default: i64| v.map_or(default, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let lockout = cancuoc_core::account::TemporaryLockout {
        failure_factor: l
            .account_lockout_failures
            .map_or(d.failure_factor, |n| u32::try_from(n).unwrap_or(u32::MAX)),
        wait_increment_secs: secs(l.account_lockout_wait_increment_secs, d.wait_increment_secs),
        max_wait_secs: secs(l.account_lockout_max_wait_secs, d.max_wait_secs),
        failure_reset_secs: secs(l.account_lockout_reset_secs, d.failure_reset_secs),
    };
    if lockout.max_wait_secs < lockout.wait_increment_secs {
        bail!(
            "account_lockout_max_wait_secs ({}) is shorter than account_lockout_wait_increment_secs ({})",
            lockout.max_wait_secs,
            lockout.wait_increment_secs
        );
    }
    Ok(lockout)
}

/// A 256-bit key written as 64 hex digits.
fn parse_key32(text: &str) -> anyhow::Result<[u8; 32]> {
    let t = text.trim();
    if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("the account code key must be 64 hex digits (256 bits)");
    }
    let mut key = [0u8; 32];
    for (i, k) in key.iter_mut().enumerate() {
        *k = u8::from_str_radix(&t[2 * i..2 * i + 2], 16)?;
    }
    Ok(key)
}

/// The networks of a list setting: each a CIDR (`10.0.0.0/8`,
/// `2001:db8::/32`) or a single address (its /32 or /128).
fn networks(key: &str, list: Option<Vec<String>>) -> anyhow::Result<Vec<ipnet::IpNet>> {
    list.unwrap_or_default()
        .iter()
        .map(|s| {
            let t = s.trim();
            t.parse::<ipnet::IpNet>()
                .or_else(|_| t.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "{key}: {t:?} is neither a network (10.0.0.0/8) nor an address (10.0.0.1)"
                    )
                })
        })
        .collect()
}

/// A multi-threaded tokio runtime for one command.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Now, in epoch seconds (the CLI is where the clock is read).
pub fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Today in Vietnam (UTC+7).
pub fn today_vn() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(7)))
        .date()
}

/// Writes a new file readable by its owner only (keys), synced; refuses to
/// overwrite one.
pub(crate) fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// Lower-case hex (hand-rolled: a few lines, no crate needed).
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A 128-bit key written as 32 hex digits.
fn parse_key(text: &str) -> anyhow::Result<[u8; 16]> {
    let t = text.trim();
    if t.len() != 32 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("the ID allocator key must be 32 hex digits (128 bits)");
    }
    let mut key = [0u8; 16];
    for (i, k) in key.iter_mut().enumerate() {
        *k = u8::from_str_radix(&t[2 * i..2 * i + 2], 16)?;
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cancuoc_core::i18n::Lang;
    use std::collections::HashMap;

    pub(super) fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| m.get(k).cloned()
    }

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cancuoc-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("mkdir");
        d
    }

    #[test]
    fn defaults_file_env_flags_in_that_order() {
        let d = temp_dir("layers");
        let file = d.join("c.toml");
        std::fs::write(
            &file,
            "bind = \"127.0.0.1:9001\"\ndata_dir = \"/from/file\"\nlog = \"debug\"\n",
        )
        .expect("write");
        let none = env_of(&[]);
        let s = Settings::resolve(Layer::default(), None, &none).expect("defaults");
        assert_eq!(s.bind.to_string(), DEFAULT_BIND);
        assert_eq!(s.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
        assert_eq!(
            s.database_url.expose(),
            "sqlite://./cancuoc-data/cancuoc.db"
        );
        assert_eq!(s.log_format, LogFormat::Human);

        let s = Settings::resolve(Layer::default(), Some(&file), &none).expect("file");
        assert_eq!(s.bind.port(), 9001);
        assert_eq!(s.log, "debug");
        assert_eq!(s.database_url.expose(), "sqlite:///from/file/cancuoc.db");

        let env = env_of(&[
            ("CANCUOC_BIND", "127.0.0.1:9002"),
            ("CANCUOC_LOG_FORMAT", "json"),
        ]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("env");
        assert_eq!(s.bind.port(), 9002, "env beats file");
        assert_eq!(s.data_dir, PathBuf::from("/from/file"), "file kept");
        assert_eq!(s.log_format, LogFormat::Json);

        let flags = Layer {
            bind: Some("127.0.0.1:9003".into()),
            ..Layer::default()
        };
        let s = Settings::resolve(flags, Some(&file), &env).expect("flags");
        assert_eq!(s.bind.port(), 9003, "flag beats env");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn config_file_from_env_and_bad_input_is_refused() {
        let d = temp_dir("bad");
        let file = d.join("c.toml");
        std::fs::write(&file, "nope = 1\n").expect("write");
        let env = env_of(&[("CANCUOC_CONFIG", file.to_str().expect("utf-8"))]);
        let e = Settings::resolve(Layer::default(), None, &env).expect_err("unknown key");
        assert!(format!("{e:#}").contains("nope"), "{e:#}");
        let bad_bind = Layer {
            bind: Some("localhost".into()),
            ..Layer::default()
        };
        let e = Settings::resolve(bad_bind, None, &env_of(&[])).expect_err("bad bind");
        assert!(format!("{e:#}").contains("localhost"), "{e:#}");
        let bad_fmt = env_of(&[("CANCUOC_LOG_FORMAT", "xml")]);
        let e = Settings::resolve(Layer::default(), None, &bad_fmt).expect_err("bad format");
        assert!(format!("{e:#}").contains("xml"), "{e:#}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn sqlite_durability_is_full_unless_set_to_normal() {
        let s = Settings::resolve(Layer::default(), None, &env_of(&[])).expect("defaults");
        assert_eq!(s.durability, cancuoc_store::Durability::Full);
        let d = temp_dir("durability");
        let file = d.join("c.toml");
        std::fs::write(&file, "sqlite_synchronous = \"normal\"\n").expect("write");
        let s = Settings::resolve(Layer::default(), Some(&file), &env_of(&[])).expect("file");
        assert_eq!(s.durability, cancuoc_store::Durability::Normal);
        let env = env_of(&[("CANCUOC_SQLITE_SYNCHRONOUS", "FULL")]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("env");
        assert_eq!(
            s.durability,
            cancuoc_store::Durability::Full,
            "env beats file"
        );
        let bad = env_of(&[("CANCUOC_SQLITE_SYNCHRONOUS", "off")]);
        let e = Settings::resolve(Layer::default(), None, &bad).expect_err("off is refused");
        assert!(format!("{e:#}").contains("\"off\""), "{e:#}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn account_lockout_and_blocked_numbers_from_file_and_env() {
        let s = Settings::resolve(Layer::default(), None, &env_of(&[])).expect("defaults");
        assert_eq!(
            s.account_lockout,
            cancuoc_core::account::TemporaryLockout::DEFAULT
        );
        assert!(s.sms_blocked.is_empty());
        let d = temp_dir("lockout");
        let file = d.join("c.toml");
        std::fs::write(
            &file,
            "account_lockout_failures = 3\naccount_lockout_max_wait_secs = 1800\n\
             sms_blocked_numbers = [\"0912 345 678\"]\n",
        )
        .expect("write");
        let env = env_of(&[("CANCUOC_ACCOUNT_LOCKOUT_WAIT_INCREMENT_SECS", "120")]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("file and env");
        assert_eq!(
            (
                s.account_lockout.failure_factor,
                s.account_lockout.wait_increment_secs,
                s.account_lockout.max_wait_secs,
                s.account_lockout.failure_reset_secs
            ),
            (3, 120, 1800, 43_200)
        );
        assert_eq!(s.sms_blocked.len(), 1);
        assert_eq!(s.sms_blocked[0].as_str(), "0912345678");
        let bad = env_of(&[("CANCUOC_SMS_BLOCKED_NUMBERS", "0912345678,12ab")]);
        let e = Settings::resolve(Layer::default(), None, &bad).expect_err("bad number");
        assert!(format!("{e:#}").contains("\"12ab\""), "{e:#}");
        let short = env_of(&[
            ("CANCUOC_ACCOUNT_LOCKOUT_WAIT_INCREMENT_SECS", "600"),
            ("CANCUOC_ACCOUNT_LOCKOUT_MAX_WAIT_SECS", "60"),
        ]);
        let e = Settings::resolve(Layer::default(), None, &short).expect_err("max < step");
        assert!(
            format!("{e:#}").contains("account_lockout_max_wait_secs"),
            "{e:#}"
        );
    }

    #[test]
    fn proxies_exemptions_and_tls_from_file_and_env() {
        let s = Settings::resolve(Layer::default(), None, &env_of(&[])).expect("defaults");
        assert!(s.trusted_proxies.is_empty() && s.rate_limit_exempt.is_empty());
        assert!(!s.behind_tls);
        let d = temp_dir("proxies");
        let file = d.join("c.toml");
        std::fs::write(
            &file,
            "trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\"]\nbehind_tls = true\n",
        )
        .expect("write");
        let s = Settings::resolve(Layer::default(), Some(&file), &env_of(&[])).expect("file");
        let shown: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32"]);
        assert!(s.behind_tls);
        let env = env_of(&[
            (
                "CANCUOC_RATE_LIMIT_EXEMPT",
                "198.51.100.0/24, 2001:db8::/48",
            ),
            ("CANCUOC_BEHIND_TLS", "false"),
        ]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("env");
        assert_eq!(s.rate_limit_exempt.len(), 2);
        assert!(!s.behind_tls, "env beats file");
        assert_eq!(s.public_url, None);
        let url = env_of(&[("CANCUOC_PUBLIC_URL", "https://cancuoc.example.vn/")]);
        let s = Settings::resolve(Layer::default(), None, &url).expect("public url");
        assert_eq!(s.public_url.as_deref(), Some("https://cancuoc.example.vn"));
        let bad = env_of(&[("CANCUOC_PUBLIC_URL", "cancuoc.example.vn/tra-cuu")]);
        let e = Settings::resolve(Layer::default(), None, &bad).expect_err("no scheme");
        assert!(format!("{e:#}").contains("https://"), "{e:#}");
        let bad = env_of(&[("CANCUOC_TRUSTED_PROXIES", "10.0.0.0/33")]);
        let e = Settings::resolve(Layer::default(), None, &bad).expect_err("bad network");
        assert!(format!("{e:#}").contains("10.0.0.0/33"), "{e:#}");
        let bad = env_of(&[("CANCUOC_BEHIND_TLS", "maybe")]);
        assert!(Settings::resolve(Layer::default(), None, &bad).is_err());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn metrics_networks_default_to_loopback_and_an_empty_list_turns_them_off() {
        let shown = |s: &Settings| {
            s.metrics_networks
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        let s = Settings::resolve(Layer::default(), None, &env_of(&[])).expect("defaults");
        assert_eq!(shown(&s), ["127.0.0.0/8", "::1/128"]);
        let d = temp_dir("metrics");
        let file = d.join("c.toml");
        std::fs::write(&file, "metrics_networks = []\n").expect("write");
        let s = Settings::resolve(Layer::default(), Some(&file), &env_of(&[])).expect("file");
        assert!(s.metrics_networks.is_empty(), "off");
        let env = env_of(&[("CANCUOC_METRICS_NETWORKS", "10.9.0.0/16, 192.0.2.9")]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("env");
        assert_eq!(shown(&s), ["10.9.0.0/16", "192.0.2.9/32"], "env beats file");
        let bad = env_of(&[("CANCUOC_METRICS_NETWORKS", "10.0.0.0/33")]);
        let e = Settings::resolve(Layer::default(), None, &bad).expect_err("bad network");
        assert!(format!("{e:#}").contains("metrics_networks"), "{e:#}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn connection_limits_from_file_and_env() {
        let s = Settings::resolve(Layer::default(), None, &env_of(&[])).expect("defaults");
        assert_eq!(
            (
                s.header_timeout_secs,
                s.body_timeout_secs,
                s.max_connections
            ),
            (10, 20, 1024)
        );
        let d = temp_dir("conns");
        let file = d.join("c.toml");
        std::fs::write(&file, "max_connections = 64\nheader_timeout_secs = 5\n").expect("write");
        let env = env_of(&[
            ("CANCUOC_BODY_TIMEOUT_SECS", "7"),
            ("CANCUOC_MAX_CONNECTIONS", "128"),
        ]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("file and env");
        assert_eq!(
            (
                s.header_timeout_secs,
                s.body_timeout_secs,
                s.max_connections
            ),
            (5, 7, 128)
        );
        let bad = env_of(&[("CANCUOC_HEADER_TIMEOUT_SECS", "0")]);
        let e = Settings::resolve(Layer::default(), None, &bad).expect_err("zero");
        assert!(
            format!("{e:#}").contains("CANCUOC_HEADER_TIMEOUT_SECS"),
            "{e:#}"
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn sms_provider_from_file_and_env_with_its_keys_required() {
        let s = Settings::resolve(Layer::default(), None, &env_of(&[])).expect("defaults");
        assert_eq!(s.sms, None, "no URL: the development sink");
        let d = temp_dir("sms");
        let file = d.join("c.toml");
        std::fs::write(
            &file,
            "sms_gateway_url = \"https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/\"\n\
             sms_api_key = \"KEY-FROM-FILE\"\nsms_brand = \"CANCUOC\"\n",
        )
        .expect("write");
        let e = Settings::resolve(Layer::default(), Some(&file), &env_of(&[]))
            .expect_err("no secret key");
        assert!(format!("{e:#}").contains("CANCUOC_SMS_SECRET_KEY"), "{e:#}");
        let env = env_of(&[
            ("CANCUOC_SMS_SECRET_KEY", "hunter2-secret"),
            ("CANCUOC_SMS_API_KEY", "KEY-FROM-ENV"),
        ]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("file and env");
        let sms = s.sms.clone().expect("a provider");
        assert!(sms.url.starts_with("https://rest.esms.vn/"));
        assert_eq!(sms.api_key.expose(), "KEY-FROM-ENV", "env beats file");
        assert_eq!(sms.secret_key.expose(), "hunter2-secret");
        assert_eq!(sms.brand, "CANCUOC");
        let dbg = format!("{s:?}");
        assert!(
            !dbg.contains("hunter2") && !dbg.contains("KEY-FROM"),
            "{dbg}"
        );
        let bad = env_of(&[
            ("CANCUOC_SMS_GATEWAY_URL", "rest.esms.vn/send"),
            ("CANCUOC_SMS_API_KEY", "k"),
            ("CANCUOC_SMS_SECRET_KEY", "s"),
            ("CANCUOC_SMS_BRAND", "B"),
        ]);
        let e = Settings::resolve(Layer::default(), None, &bad).expect_err("no scheme");
        assert!(format!("{e:#}").contains("https://"), "{e:#}");
        let long = env_of(&[
            ("CANCUOC_SMS_GATEWAY_URL", "http://127.0.0.1:9/send"),
            ("CANCUOC_SMS_API_KEY", "k"),
            ("CANCUOC_SMS_SECRET_KEY", "s"),
            ("CANCUOC_SMS_BRAND", "CANCUOC-VIET-NAM"),
        ]);
        let e = Settings::resolve(Layer::default(), None, &long).expect_err("brand too long");
        assert!(format!("{e:#}").contains("11"), "{e:#}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn replicas_from_file_env_and_flags_beside_a_postgres_primary_only() {
        let s = Settings::resolve(Layer::default(), None, &env_of(&[])).expect("defaults");
        assert!(s.replica_urls.is_empty());
        assert_eq!(s.replica_max_lag, std::time::Duration::from_secs(5));
        let d = temp_dir("replicas");
        let file = d.join("c.toml");
        std::fs::write(
            &file,
            "database_url = \"postgres://u@p:5432,q:5432/db\"\n\
             replica_urls = [\"postgres://u:hunter2@r1/db\", \"postgres://u@r2/db\"]\n\
             replica_max_lag_secs = 3\n",
        )
        .expect("write");
        let s = Settings::resolve(Layer::default(), Some(&file), &env_of(&[])).expect("file");
        assert_eq!(s.replica_urls.len(), 2);
        assert_eq!(s.replica_max_lag, std::time::Duration::from_secs(3));
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("hunter2") && dbg.contains("r1/db"), "{dbg}");
        let env = env_of(&[
            (
                "CANCUOC_REPLICA_URLS",
                "postgres://u@r3/db,postgres://u@r4/db",
            ),
            ("CANCUOC_REPLICA_MAX_LAG_SECS", "10"),
        ]);
        let s = Settings::resolve(Layer::default(), Some(&file), &env).expect("env");
        assert_eq!(
            s.replica_urls[1].expose(),
            "postgres://u@r4/db",
            "env beats file"
        );
        assert_eq!(s.replica_max_lag.as_secs(), 10);
        let flags = Layer {
            replica_urls: Some(vec!["postgres://u@r5/db".into()]),
            ..Layer::default()
        };
        let s = Settings::resolve(flags, Some(&file), &env).expect("flags");
        assert_eq!(s.replica_urls.len(), 1, "flags beat env");

        let sqlite = env_of(&[("CANCUOC_REPLICA_URLS", "postgres://u@r/db")]);
        let e = Settings::resolve(Layer::default(), None, &sqlite).expect_err("sqlite primary");
        assert!(format!("{e:#}").contains("PostgreSQL primary"), "{e:#}");
        for (bad, says) in [
            ("sqlite://r.db", "not a postgres://"),
            ("postgres://u:hunter2@r1:1,r2:2/db", "several hosts"),
        ] {
            let flags = Layer {
                database_url: Some("postgres://u@p/db".into()),
                replica_urls: Some(vec![bad.into()]),
                ..Layer::default()
            };
            let e = Settings::resolve(flags, None, &env_of(&[])).expect_err(bad);
            let text = format!("{e:#}");
            assert!(text.contains(says) && !text.contains("hunter2"), "{text}");
        }
        let zero = env_of(&[("CANCUOC_REPLICA_MAX_LAG_SECS", "0")]);
        assert!(Settings::resolve(Layer::default(), None, &zero).is_err());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let env = env_of(&[
            ("CANCUOC_DATABASE_URL", "postgres://u:hunter2@db/cancuoc"),
            ("CANCUOC_ID_KEY", "00112233445566778899aabbccddeeff"),
        ]);
        let s = Settings::resolve(Layer::default(), None, &env).expect("resolve");
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("hunter2"), "{dbg}");
        assert!(!dbg.contains("8899aabb"), "{dbg}");
        assert!(dbg.contains("postgres://u:***@db/cancuoc"), "{dbg}");
        assert!(!s.is_sqlite());
        let args = DbArgs {
            database_url: Some("postgres://u:hunter2@db/x".into()),
            ..DbArgs::default()
        };
        assert!(!format!("{args:?}").contains("hunter2"));
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let d = temp_dir("key");
        let flags = Layer {
            data_dir: Some(d.clone()),
            ..Layer::default()
        };
        let s = Settings::resolve(flags, None, &env_of(&[])).expect("resolve");
        let a = s.allocator(Lang::Vi).expect("create");
        let text = std::fs::read_to_string(d.join(KEY_FILE)).expect("key file");
        assert_eq!(text.trim().len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(d.join(KEY_FILE))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let b = s.allocator(Lang::Vi).expect("reuse");
        let prefix =
            cancuoc_core::id::alloc::IdPrefix::new(1, cancuoc_core::person::Sex::Male, 1990)
                .expect("prefix");
        assert_eq!(
            a.allocate(prefix, 0).expect("a").as_str(),
            b.allocate(prefix, 0).expect("b").as_str(),
            "same key read back"
        );
        let e = parse_key("xyz").expect_err("not hex");
        assert!(format!("{e}").contains("32 hex digits"), "{e}");
        assert_eq!(
            parse_key(" 000102030405060708090a0b0c0d0e0f\n").expect("ok")[15],
            15
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}
