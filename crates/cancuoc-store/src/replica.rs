//! Read replicas (bản sao chỉ đọc) of a PostgreSQL store: the pools of the
//! hot standbys the public read paths read from, each with its replay lag
//! checked every second, and the fallback to the primary past the
//! configured lag ([`crate::Store::with_replicas`]).
//!
//! Routed to a replica (through the `public_read!` macro below), the reads of a
//! citizen's public door, none of which follows a write of the same use
//! case:
//! - the status lookup: [`crate::Store::status_by_code`] (behind
//!   `Store::status_answer`);
//! - the portal's and the API's public view of a dossier and its second
//!   factor: [`crate::Store::public_dossier`], [`crate::Store::public_citizen`];
//! - a confirmation request's public status:
//!   [`crate::Store::confirmation_status`];
//! - the channels' lookups by person (hotline, chat):
//!   [`crate::Store::citizens_by_cmnd`], [`crate::Store::latest_dossier_of`],
//!   [`crate::Store::public_citizen_by_personal_id`] and `public_citizen`;
//! - the portal's booking page, the free seats of an office's slots:
//!   [`crate::Store::slot_usage`] (the booking itself takes its seat on
//!   the primary, so a count a second old only shows a seat that may be
//!   refused).
//!
//! Everything else reads the primary: an officer's reads (the console,
//! the API's officer routes: [`crate::Store::status_by_code_primary`] is
//! the status read of an officer's use case, which may follow their own
//! write), the office tree (reloaded right after an office is added), and
//! every read inside a write's transaction.
//!
//! Lag is measured on the replica itself: zero when it has replayed all the
//! WAL it received and its WAL receiver is running, else the age of the
//! last transaction it replayed (`now() - pg_last_xact_replay_timestamp()`).
//! The age alone is not the lag: on an idle primary nothing new commits, so
//! the last replayed transaction grows old while the replica is fully
//! caught up; the received = replayed test covers that case. With no WAL
//! receiver (the primary is unreachable, or replication is cut) the
//! replica cannot know what it misses, and the age is taken as the lag: it
//! passes the bound a few seconds after the last commit, and reads go to
//! the primary. A replica that was promoted (`pg_is_in_recovery()` is
//! false) is a primary now, no longer following ours: it is still read (its
//! data is current for itself, lag 0) and reported as promoted. The bound
//! is checked against the last measurement, at most a second old.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;

use crate::db::{Backend, Db, PG_ACQUIRE_TIMEOUT, not_in_transaction, redact_url};
use crate::error::{Invalid, StoreError};
use crate::failover::PROBE_TIMEOUT;

/// One replica as the metrics and the readiness probe report it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaLag {
    /// The replica's URL, password redacted.
    pub url: String,
    /// Seconds of replay lag at the last check; `None` when the replica
    /// could not be asked.
    pub lag_seconds: Option<f64>,
    /// Whether public reads go to it now (reachable and within the lag
    /// bound).
    pub used: bool,
    /// Whether it answered as a primary (promoted, no longer in recovery):
    /// still read, but no longer a replica of this store's primary.
    pub promoted: bool,
}

/// The default bound on a replica's lag before public reads go to the
/// primary instead.
pub const REPLICA_MAX_LAG_DEFAULT: Duration = Duration::from_secs(5);

/// How often each replica's lag is measured.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// Connections of each replica's pool: a replica serves the lookups, which
/// hold a connection for one short statement.
const REPLICA_POOL_SIZE: u32 = 8;

/// How long a read on a replica waits for a lock (`lock_timeout`). A
/// standby replaying a primary's exclusive lock (DDL, a partition made,
/// VACUUM truncating a table) holds it until it replays the commit, and a
/// read of that table waits meanwhile; past this it gives up and the read
/// goes to the primary ([`public_read`]).
const REPLICA_LOCK_TIMEOUT: &str = "1s";

/// The query of a replica's lag, in seconds (see the module doc for why
/// the replay age alone is not the lag).
const LAG_SQL: &str = "SELECT pg_is_in_recovery(), CASE \
    WHEN NOT pg_is_in_recovery() THEN 0 \
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() \
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0 \
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) \
    END::float8";

/// The lag of a replica that could not be asked (in `Member::lag_ms`).
const UNKNOWN: u64 = u64::MAX;

/// One replica.
#[derive(Debug)]
struct Member {
    db: Db,
    /// Its URL, password redacted.
    url: String,
    /// Lag at the last check in milliseconds, [`UNKNOWN`] when it could
    /// not be asked.
    lag_ms: AtomicU64,
    /// Answered as a primary at the last check.
    promoted: AtomicBool,
}

impl Member {
    fn lag(&self) -> Option<f64> {
        match self.lag_ms.load(Ordering::Acquire) {
            UNKNOWN => None,
            ms => Some(ms as f64 / 1000.0),
        }
    }

    fn fresh(&self, max_lag_ms: u64) -> bool {
        self.lag_ms.load(Ordering::Acquire) <= max_lag_ms
    }
}

/// The replicas of a store.
#[derive(Debug)]
pub(crate) struct Replicas {
    members: Vec<Member>,
    /// The round-robin counter of `Replicas::pick_index`.
    next: AtomicUsize,
    /// The lag bound in milliseconds.
    max_lag_ms: u64,
}

impl Replicas {
    /// Pools (opened lazily: a replica that is down blocks nothing) for
    /// `urls`, each a single-host `postgres://` URL, with their lag
    /// checkers. Needs a Tokio runtime.
    pub(crate) fn start(urls: &[String], max_lag: Duration) -> Result<Arc<Replicas>, StoreError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            StoreError::field(
                "replica_urls",
                "read replicas are attached inside the server's runtime",
            )
        })?;
        let mut members = Vec::with_capacity(urls.len());
        for url in urls {
            let bad = || {
                StoreError::Invalid(Invalid::Url {
                    url: redact_url(url),
                })
            };
            if Backend::of_url(url)? != Backend::Postgres {
                return Err(bad());
            }
            let mut targets = crate::failover::targets(url)?;
            if targets.len() != 1 {
                return Err(StoreError::field(
                    "replica_urls",
                    format!(
                        "{} lists several hosts: give each replica its own URL",
                        redact_url(url)
                    ),
                ));
            }
            let target = targets.pop().ok_or_else(bad)?;
            let pool = PgPoolOptions::new()
                .max_connections(REPLICA_POOL_SIZE)
                .acquire_timeout(PG_ACQUIRE_TIMEOUT)
                .before_acquire(|conn, _| Box::pin(not_in_transaction(conn)))
                .connect_lazy_with(
                    target
                        .opts
                        .options([("lock_timeout", REPLICA_LOCK_TIMEOUT)]),
                );
            members.push(Member {
                db: Db::Postgres(pool),
                url: redact_url(url),
                lag_ms: AtomicU64::new(UNKNOWN),
                promoted: AtomicBool::new(false),
            });
        }
        let replicas = Arc::new(Replicas {
            members,
            next: AtomicUsize::new(0),
            max_lag_ms: u64::try_from(max_lag.as_millis()).unwrap_or(u64::MAX - 1),
        });
        for i in 0..replicas.members.len() {
            runtime.spawn(check(Arc::downgrade(&replicas), i));
        }
        Ok(replicas)
    }

    /// The replica a public read goes to now, by its index, `None` for the
    /// primary: the next one, round robin, among those within the lag
    /// bound.
    fn pick_index(&self) -> Option<usize> {
        let n = self.members.len();
        if n == 0 {
            return None;
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| self.members[i].fresh(self.max_lag_ms))
    }

    /// Takes replica `i` out of use until its next check finds it
    /// answering: a read on it just failed "unavailable".
    fn mark_down(&self, i: usize) {
        if let Some(m) = self.members.get(i) {
            m.lag_ms.store(UNKNOWN, Ordering::Release);
        }
    }

    /// Every replica's lag as last checked.
    pub(crate) fn lags(&self) -> Vec<ReplicaLag> {
        self.members
            .iter()
            .map(|m| ReplicaLag {
                url: m.url.clone(),
                lag_seconds: m.lag(),
                used: m.fresh(self.max_lag_ms),
                promoted: m.promoted.load(Ordering::Acquire),
            })
            .collect()
    }

    /// Closes every replica's pool (their checkers stop with them).
    pub(crate) async fn close(&self) {
        for m in &self.members {
            if let Db::Postgres(pool) = &m.db {
                pool.close().await;
            }
        }
    }
}

/// Runs the public read `$body` (an expression that may `.await`, giving
/// a `Result<_, StoreError>`) with `$db` bound to a replica within the lag
/// bound, else to the primary. A replica whose read fails in the database
/// (it went down since its last check, at most a second ago; a lock held
/// by replay past [`REPLICA_LOCK_TIMEOUT`]; a query cancelled by a
/// recovery conflict) is taken out of use until its next check, and
/// `$body` runs again on the primary: a replica going away costs the reads
/// in flight on it one acquire timeout, never an error. "Not found" on a
/// replica is asked again of the primary: the row may be younger than the
/// replica's lag (a citizen looking up the code of the dossier opened a
/// moment ago), and a lookup of a code that exists must not say it does
/// not. Any other answer of the data (found, corrupt) is the answer. A macro rather than a method taking an
/// async closure: the future of a closure over `&Db` cannot be shown
/// `Send` for every lifetime, which axum's handlers need. Write a body
/// that uses `?` as an `async { … }.await` block, so `?` leaves the block,
/// not the method, and the fallback still runs.
macro_rules! public_read {
    ($store:expr, |$db:ident| $body:expr) => {{
        let store: &$crate::Store = $store;
        match store.pick_replica() {
            Some((i, $db)) => match $body {
                Err(e @ $crate::StoreError::Database(_)) => {
                    store.replica_failed(i, &e);
                    let $db = store.db();
                    $body
                }
                Err($crate::StoreError::NotFound { .. }) => {
                    let $db = store.db();
                    $body
                }
                answered => answered,
            },
            None => {
                let $db = store.db();
                $body
            }
        }
    }};
}
pub(crate) use public_read;

impl crate::Store {
    /// The replica a public read goes to now (its index and pool), `None`
    /// for the primary (see [`public_read`]).
    pub(crate) fn pick_replica(&self) -> Option<(usize, &Db)> {
        let r = self.replicas.as_deref()?;
        let i = r.pick_index()?;
        Some((i, &r.members.get(i)?.db))
    }

    /// Notes that a read on replica `i` failed in the database: out of use
    /// until its next check.
    pub(crate) fn replica_failed(&self, i: usize, e: &StoreError) {
        if let Some(r) = self.replicas.as_deref() {
            if let Some(m) = r.members.get(i) {
                tracing::warn!(
                    replica = %m.url,
                    error = %e,
                    "read replica failed: reading the primary"
                );
            }
            r.mark_down(i);
        }
    }
}

/// The lag checker of replica `i`: a measurement every [`CHECK_EVERY`]
/// until the store is dropped or closed. Logs a replica that stops or
/// starts being used, and one that answers as a primary.
async fn check(replicas: Weak<Replicas>, i: usize) {
    let mut was_used = false;
    let mut was_promoted = false;
    loop {
        let Some(r) = replicas.upgrade() else {
            return;
        };
        let Some(m) = r.members.get(i) else {
            return;
        };
        let Db::Postgres(pool) = &m.db else {
            return;
        };
        if pool.is_closed() {
            return;
        }
        let asked = tokio::time::timeout(
            PROBE_TIMEOUT,
            sqlx::query_as::<_, (bool, Option<f64>)>(LAG_SQL).fetch_one(pool),
        )
        .await;
        let (lag_ms, promoted) = match asked {
            Ok(Ok((standby, lag))) => (
                // A negative age (clocks apart) is no lag.
                lag.map_or(UNKNOWN, |s| (s.max(0.0) * 1000.0).round() as u64),
                !standby,
            ),
            _ => (UNKNOWN, false),
        };
        m.lag_ms.store(lag_ms, Ordering::Release);
        m.promoted.store(promoted, Ordering::Release);
        let used = m.fresh(r.max_lag_ms);
        if used != was_used {
            if used {
                tracing::info!(replica = %m.url, "read replica in use");
            } else {
                tracing::warn!(
                    replica = %m.url,
                    lag_seconds = ?m.lag(),
                    "read replica unreachable or past the lag bound: public reads go to the primary"
                );
            }
            was_used = used;
        }
        if promoted && !was_promoted {
            tracing::warn!(
                replica = %m.url,
                "read replica answers as a primary (promoted): still read, no longer following this store's primary"
            );
        }
        was_promoted = promoted;
        drop(r);
        tokio::time::sleep(CHECK_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(lag_ms: u64) -> Member {
        Member {
            db: Db::Postgres(
                PgPoolOptions::new().connect_lazy_with(sqlx::postgres::PgConnectOptions::new()),
            ),
            url: "postgres://r".into(),
            lag_ms: AtomicU64::new(lag_ms),
            promoted: AtomicBool::new(false),
        }
    }

    #[tokio::test]
    async fn pick_takes_turns_among_the_fresh_and_none_past_the_bound() {
        let r = Replicas {
            members: vec![member(100), member(UNKNOWN), member(4_000), member(6_000)],
            next: AtomicUsize::new(0),
            max_lag_ms: 5_000,
        };
        let picks: Vec<_> = (0..4).map(|_| r.pick_index()).collect();
        let (first, third) = (Some(0), Some(2));
        assert!(
            picks.iter().all(|p| *p == first || *p == third),
            "only fresh"
        );
        assert!(
            picks.contains(&first) && picks.contains(&third),
            "both used"
        );
        let lags = r.lags();
        assert_eq!(
            lags.iter().map(|l| l.used).collect::<Vec<_>>(),
            [true, false, true, false]
        );
        assert_eq!(lags[1].lag_seconds, None);
        assert_eq!(lags[3].lag_seconds, Some(6.0));

        let stale = Replicas {
            members: vec![member(UNKNOWN), member(5_001)],
            next: AtomicUsize::new(0),
            max_lag_ms: 5_000,
        };
        assert!(
            stale.pick_index().is_none(),
            "every replica stale: the primary"
        );
    }

    #[tokio::test]
    async fn a_replica_url_must_be_one_postgres_host() {
        let max = Duration::from_secs(5);
        for url in ["sqlite://x.db", "postgres://u:secret@h1:1,h2:2/db"] {
            let e = Replicas::start(&[url.to_owned()], max).expect_err(url);
            assert!(!format!("{e:?}").contains("secret"), "{e:?}");
        }
        let r = Replicas::start(&["postgres://u@127.0.0.1:1/db".to_owned()], max)
            .expect("one host, connected lazily");
        assert_eq!(r.lags()[0].lag_seconds, None, "not measured yet");
        assert!(r.pick_index().is_none());
        r.close().await;
    }
}
