//! The primary (máy chủ chính) of a PostgreSQL store, and failover to
//! another host: a `database_url` may list several hosts, libpq style
//! (`postgres://user@h1:5432,h2:5432/db`), and the store writes to the
//! first of them that takes writes (`pg_is_in_recovery()` is false: libpq's
//! `target_session_attrs=read-write`).
//!
//! sqlx parses one host per URL, so the host list is split here and each
//! host gets its own [`PgConnectOptions`] parsed by sqlx from the same URL
//! with only the host changed (user, password, database and query
//! parameters stay sqlx's to read). libpq's other spellings of a host list
//! (`?host=a,b&port=1,2`) are not read.
//!
//! With more than one host a watcher task asks the pool's server every
//! [`WATCH_EVERY`] whether it still takes writes. When it cannot be reached
//! or has become a standby, the watcher probes every host in order and
//! points the pool at the first writable one ([`sqlx::Pool::set_connect_options`]);
//! connections opened before the switch are closed when next handed out
//! (their age says they predate it), so no request reaches the old server
//! after the switch. A new connection that lands on a standby is refused at
//! once (`after_connect`), so writes never go to a read-only server and a
//! read never sees a stale standby as the primary. While no host is
//! writable, requests wait the pool's one-second acquire timeout and
//! answer "unavailable" (503); the service resumes by itself when a host
//! takes writes again (a standby promoted, the primary restarted), with no
//! restart of the server.
//!
//! Replication is asynchronous: an acknowledged write survives a promotion
//! when the old primary was stopped cleanly (its WAL senders hand every
//! record to the standby before it exits, as `scripts/pg-cluster.sh
//! promote` does); after a crash of the primary a promotion may lose the
//! last commits unless the deployment sets `synchronous_standby_names`.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};

use crate::db::{PG_ACQUIRE_TIMEOUT, PG_STARTUP_WAIT, not_in_transaction, redact_url};
use crate::error::{Invalid, StoreError};

/// How often the watcher asks the primary whether it still takes writes.
pub(crate) const WATCH_EVERY: Duration = Duration::from_millis(500);

/// How long a probe of one host may take (connect and one query): a host
/// that does not answer in this time counts as unreachable.
pub(crate) const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// Connections of the primary's pool.
const PRIMARY_POOL_SIZE: u32 = 16;

/// One host of the primary setting.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    /// sqlx's options for this host.
    pub(crate) opts: PgConnectOptions,
    /// `host:port`, for logs and the readiness probe (no user, password or
    /// database).
    pub(crate) label: String,
}

/// What a probe found a host to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HostState {
    /// It answers and takes writes.
    Writable,
    /// It answers but is a standby in recovery (read-only).
    Standby,
    /// It did not answer within [`PROBE_TIMEOUT`].
    Unreachable,
}

impl HostState {
    /// Vietnamese wording.
    pub(crate) const fn label_vi(self) -> &'static str {
        match self {
            HostState::Writable => "ghi được",
            HostState::Standby => "máy chủ dự phòng, chỉ đọc",
            HostState::Unreachable => "không kết nối được",
        }
    }

    /// English wording.
    pub(crate) const fn label_en(self) -> &'static str {
        match self {
            HostState::Writable => "writable",
            HostState::Standby => "a standby, read-only",
            HostState::Unreachable => "unreachable",
        }
    }
}

/// The hosts of a PostgreSQL URL, each with its own options: one for a
/// plain URL, several for a libpq-style host list.
pub(crate) fn targets(url: &str) -> Result<Vec<Target>, StoreError> {
    let bad = || {
        StoreError::Invalid(Invalid::Url {
            url: redact_url(url),
        })
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    // The authority ends at the path, the query or the fragment; a
    // password holding one of these must be percent-encoded, as in any
    // URL.
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hosts) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let list: Vec<&str> = hosts.split(',').collect();
    let urls: Vec<String> = if list.len() == 1 {
        vec![url.to_owned()]
    } else {
        list.iter()
            .map(|h| {
                if h.trim().is_empty() {
                    return Err(bad());
                }
                Ok(match userinfo {
                    Some(u) => format!("{scheme}://{u}@{h}{tail}"),
                    None => format!("{scheme}://{h}{tail}"),
                })
            })
            .collect::<Result<_, _>>()?
    };
    urls.iter()
        .map(|u| {
            let opts = PgConnectOptions::from_str(u).map_err(|_| bad())?;
            let label = format!("{}:{}", opts.get_host(), opts.get_port());
            Ok(Target { opts, label })
        })
        .collect()
}

/// When the pool last switched hosts, for closing the connections opened
/// before: instants as nanoseconds since `epoch` (0: never switched).
#[derive(Debug)]
struct Switches {
    epoch: Instant,
    last: AtomicU64,
}

impl Switches {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Notes a switch now.
    fn switched(&self) {
        self.last.store(self.now().max(1), Ordering::Release);
    }

    /// Whether a connection of `age` was opened before the last switch.
    fn predates_last(&self, age: Duration) -> bool {
        let last = self.last.load(Ordering::Acquire);
        if last == 0 {
            return false;
        }
        let age = u64::try_from(age.as_nanos()).unwrap_or(u64::MAX);
        self.now().saturating_sub(age) < last
    }
}

/// The primary of a PostgreSQL store: its pool, its hosts and which of
/// them the pool connects to now.
#[derive(Debug)]
pub(crate) struct Primary {
    pool: PgPool,
    targets: Vec<Target>,
    current: AtomicUsize,
    switches: Arc<Switches>,
}

impl Primary {
    /// The `host:port` the pool connects to now.
    pub(crate) fn current_label(&self) -> &str {
        let i = self.current.load(Ordering::Acquire);
        self.targets.get(i).map_or("", |t| t.label.as_str())
    }

    /// Whether the setting lists more than one host.
    pub(crate) fn is_multi_host(&self) -> bool {
        self.targets.len() > 1
    }

    /// Every host with what a probe finds it to be now, in the setting's
    /// order.
    pub(crate) async fn survey(&self) -> Vec<(String, HostState)> {
        let mut out = Vec::with_capacity(self.targets.len());
        for t in &self.targets {
            out.push((t.label.clone(), probe(&t.opts).await));
        }
        out
    }

    /// Points the pool at host `i`.
    fn switch_to(&self, i: usize) {
        let Some(t) = self.targets.get(i) else {
            return;
        };
        let from = self.current_label().to_owned();
        self.pool.set_connect_options(t.opts.clone());
        self.current.store(i, Ordering::Release);
        self.switches.switched();
        tracing::warn!(
            from = %from,
            to = %t.label,
            "primary database switched to another host"
        );
    }

    /// The first host that takes writes, `None` when none does.
    async fn first_writable(&self) -> Option<usize> {
        for (i, t) in self.targets.iter().enumerate() {
            if probe(&t.opts).await == HostState::Writable {
                return Some(i);
            }
        }
        None
    }

    /// One round of the watcher: when the pool's server does not take
    /// writes (unreachable, or a standby now), switch to the first host
    /// that does, if any.
    async fn watch_once(&self) {
        let writable = async {
            let mut conn = self.pool.acquire().await?;
            sqlx::query_scalar::<_, bool>("SELECT pg_is_in_recovery()")
                .fetch_one(&mut *conn)
                .await
                .map(|standby| !standby)
        };
        if matches!(writable.await, Ok(true)) {
            return;
        }
        if let Some(i) = self.first_writable().await
            && i != self.current.load(Ordering::Acquire)
        {
            self.switch_to(i);
        }
    }
}

/// Connects `opts` alone and asks whether it is in recovery, within
/// [`PROBE_TIMEOUT`].
pub(crate) async fn probe(opts: &PgConnectOptions) -> HostState {
    let asked = async {
        let mut conn = PgConnection::connect_with(opts).await?;
        let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
            .fetch_one(&mut conn)
            .await?;
        let _ = conn.close().await;
        Ok::<_, sqlx::Error>(standby)
    };
    match tokio::time::timeout(PROBE_TIMEOUT, asked).await {
        Ok(Ok(false)) => HostState::Writable,
        Ok(Ok(true)) => HostState::Standby,
        _ => HostState::Unreachable,
    }
}

/// The check of every new connection of a multi-host primary: it must
/// take writes. A connection that landed on a standby is refused, and the
/// pool tries again until the watcher has found the new primary (or the
/// acquire timeout passes: "unavailable").
async fn require_writable(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
        .fetch_one(&mut *conn)
        .await?;
    if standby {
        return Err(sqlx::Error::Configuration(
            "connected to a standby in recovery, not the primary".into(),
        ));
    }
    Ok(())
}

/// Opens the primary's pool for `url` (one host, or a libpq-style host
/// list) and waits up to [`PG_STARTUP_WAIT`] for a server that takes
/// writes; starts the watcher when there are several hosts.
pub(crate) async fn connect(url: &str) -> Result<(PgPool, Arc<Primary>), StoreError> {
    let targets = targets(url)?;
    let first = targets
        .first()
        .ok_or_else(|| {
            StoreError::Invalid(Invalid::Url {
                url: redact_url(url),
            })
        })?
        .opts
        .clone();
    let switches = Arc::new(Switches {
        epoch: Instant::now(),
        last: AtomicU64::new(0),
    });
    let stale = Arc::clone(&switches);
    let mut options = PgPoolOptions::new()
        .max_connections(PRIMARY_POOL_SIZE)
        .acquire_timeout(PG_ACQUIRE_TIMEOUT)
        .before_acquire(move |conn, meta| {
            // Opened before the last switch: on the old host, close it.
            let old = stale.predates_last(meta.age);
            Box::pin(async move {
                if old {
                    return Ok(false);
                }
                not_in_transaction(conn).await
            })
        });
    if targets.len() > 1 {
        options = options.after_connect(|conn, _| Box::pin(require_writable(conn)));
    }
    let pool = options.connect_lazy_with(first);
    let primary = Arc::new(Primary {
        pool: pool.clone(),
        targets,
        current: AtomicUsize::new(0),
        switches,
    });
    let deadline = Instant::now() + PG_STARTUP_WAIT;
    if primary.is_multi_host() {
        loop {
            if let Some(i) = primary.first_writable().await {
                if let Some(t) = primary.targets.get(i).filter(|_| i != 0) {
                    // No connection is open yet: no switch to note.
                    pool.set_connect_options(t.opts.clone());
                    primary.current.store(i, Ordering::Release);
                }
                break;
            }
            if Instant::now() >= deadline {
                let hosts = primary
                    .targets
                    .iter()
                    .map(|t| t.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(StoreError::Database(sqlx::Error::Configuration(
                    format!("no host takes writes among {hosts}").into(),
                )));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    } else {
        loop {
            match pool.acquire().await {
                Ok(_) => break,
                // Each try waits PG_ACQUIRE_TIMEOUT for the server.
                Err(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_))
                    if Instant::now() < deadline => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    if primary.is_multi_host() {
        tokio::spawn(watch(Arc::downgrade(&primary)));
    }
    Ok((pool, primary))
}

/// The watcher of a multi-host primary: a round every [`WATCH_EVERY`]
/// until the store is dropped or closed.
async fn watch(primary: Weak<Primary>) {
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        let Some(p) = primary.upgrade() else {
            return;
        };
        if p.pool.is_closed() {
            return;
        }
        p.watch_once().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_list_gives_one_target_per_host_with_the_rest_of_the_url() {
        let t = targets("postgres://u:pw@h1:5433,h2:5434,[::1]:5435/db?sslmode=disable")
            .expect("parsed");
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["h1:5433", "h2:5434", "[::1]:5435"]);
        for target in &t {
            assert_eq!(target.opts.get_username(), "u");
            assert_eq!(target.opts.get_database(), Some("db"));
        }
        let one = targets("postgres://u@h:6000/db").expect("one host");
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].label, "h:6000");
    }

    #[test]
    fn an_empty_host_in_a_list_is_refused_without_the_password() {
        let e = targets("postgres://u:secret@h1:1,,h2:2/db").expect_err("empty host");
        assert!(
            matches!(&e, StoreError::Invalid(Invalid::Url { url }) if url.contains("***") && !url.contains("secret")),
            "{e:?}"
        );
    }

    #[test]
    fn a_connection_older_than_the_last_switch_is_stale() {
        let s = Switches {
            epoch: Instant::now(),
            last: AtomicU64::new(0),
        };
        assert!(
            !s.predates_last(Duration::from_secs(3600)),
            "never switched"
        );
        std::thread::sleep(Duration::from_millis(5));
        s.switched();
        assert!(s.predates_last(Duration::from_secs(1)), "opened before");
        std::thread::sleep(Duration::from_millis(5));
        assert!(!s.predates_last(Duration::from_millis(1)), "opened after");
    }
}
