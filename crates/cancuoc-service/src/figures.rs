//! Operational figures (số liệu vận hành) for the metrics endpoint: the
//! login counters this service keeps, and what the store reports — its
//! connection pools, its status answer cache, its read replicas, the depth
//! of its queues — gathered in one [`Figures`] at scrape time. Plain
//! numbers: the HTTP shell (`cancuoc-server`) turns them into Prometheus
//! metrics, so this crate needs no metrics library.
//!
//! Logins are counted here, not in a front end, because the portal's
//! pages, the console and the REST API all log in through the same use
//! cases ([`Service::console_login`], [`Service::account_login`],
//! [`Service::account_login_code`]): each attempt is counted once whichever
//! door it came through.
//!
//! The queue depths are counts over the database; the pools, the cache and
//! the replicas are counters in memory. So that a burst of scrapes cannot
//! load the database, the depths are kept [`DEPTHS_TTL`] and refreshed by
//! one caller at a time (the others wait for its answer).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use cancuoc_store::{CacheStats, Depths, PoolUse};

use crate::Service;

/// How long the queue depths of [`Figures::depths`] are kept before they
/// are counted again.
pub const DEPTHS_TTL: Duration = Duration::from_secs(10);

/// What became of a login attempt, as counted in [`LoginCounts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoginResult {
    /// Logged in.
    Ok,
    /// Wrong name, number, password or code.
    Failed,
    /// Refused without a check: too many recent failures (a lockout), or
    /// the account is locked.
    Locked,
}

/// Login attempts since the service started, by outcome.
///
/// Officers: one count per console login (`ok`, `failed` for a wrong name
/// or password, `locked` for a login refused by the failure limits).
/// Citizens' accounts log in in two steps, password then SMS code: a
/// password or code refused counts as `failed`, a step refused by a
/// lockout or a locked account as `locked`, and a login that opens a
/// session as `ok` (so a citizen who gets one code wrong, then right,
/// counts one `failed` and one `ok`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoginCounts {
    /// Logins that opened a session.
    pub ok: u64,
    /// Attempts refused for wrong credentials.
    pub failed: u64,
    /// Attempts refused by a lockout or a locked account.
    pub locked: u64,
}

/// One kind of login's counters.
#[derive(Debug, Default)]
pub(crate) struct LoginCounters {
    ok: AtomicU64,
    failed: AtomicU64,
    locked: AtomicU64,
}

impl LoginCounters {
    /// Counts one attempt.
    pub(crate) fn count(&self, result: LoginResult) {
        let c = match result {
            LoginResult::Ok => &self.ok,
            LoginResult::Failed => &self.failed,
            LoginResult::Locked => &self.locked,
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> LoginCounts {
        LoginCounts {
            ok: self.ok.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            locked: self.locked.load(Ordering::Relaxed),
        }
    }
}

/// The counters this service keeps for its figures.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    /// Officers' console logins.
    pub officer_logins: LoginCounters,
    /// Citizens' account logins (portal and API).
    pub account_logins: LoginCounters,
    /// The queue depths last counted, and when.
    depths: tokio::sync::Mutex<Option<(Instant, Depths)>>,
}

/// The operational figures at one moment (see the module documentation).
#[derive(Clone, Debug)]
pub struct Figures {
    /// Each connection pool of the store.
    pub pools: Vec<PoolUse>,
    /// The status answer cache's counters.
    pub cache: CacheStats,
    /// Each read replica's lag and whether it is read.
    pub replicas: Vec<cancuoc_store::ReplicaLag>,
    /// The queues' depths, at most [`DEPTHS_TTL`] old; `None` when the
    /// database did not answer.
    pub depths: Option<Depths>,
    /// Officers' console logins.
    pub officer_logins: LoginCounts,
    /// Citizens' account logins.
    pub account_logins: LoginCounts,
}

impl Service {
    /// The operational figures now (see [`Figures`]); the queue depths
    /// from a count at most [`DEPTHS_TTL`] old. Never fails: a database
    /// that does not answer leaves [`Figures::depths`] empty.
    pub async fn figures(&self) -> Figures {
        Figures {
            pools: self.store.pool_use(),
            cache: self.store.cache_stats(),
            replicas: self.store.replica_lags(),
            depths: self.depths().await,
            officer_logins: self.stats.officer_logins.snapshot(),
            account_logins: self.stats.account_logins.snapshot(),
        }
    }

    /// The queue depths, counted again when the last count is older than
    /// [`DEPTHS_TTL`]; concurrent callers wait for one count.
    async fn depths(&self) -> Option<Depths> {
        let mut kept = self.stats.depths.lock().await;
        if let Some((at, d)) = kept.as_ref()
            && at.elapsed() < DEPTHS_TTL
        {
            return Some(d.clone());
        }
        match self.store.depths().await {
            Ok(d) => {
                *kept = Some((Instant::now(), d.clone()));
                Some(d)
            }
            Err(e) => {
                // The readiness probe says why; a scrape only shows the
                // gap. Not kept: the next scrape asks again.
                tracing::debug!(error = %e, "queue depths not counted");
                *kept = None;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_outcome_counts_in_its_own_counter() {
        let c = LoginCounters::default();
        c.count(LoginResult::Ok);
        c.count(LoginResult::Failed);
        c.count(LoginResult::Failed);
        c.count(LoginResult::Locked);
        assert_eq!(
            c.snapshot(),
            LoginCounts {
                ok: 1,
                failed: 2,
                locked: 1
            }
        );
    }
}
