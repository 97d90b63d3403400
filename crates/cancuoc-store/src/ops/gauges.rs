//! Figures for the operators' metrics (số liệu vận hành): how busy each
//! connection pool is, and how deep the queues are — the channels' outbox
//! and inbox, and the open dossiers by state (the officers' work). The
//! store gives plain numbers; the HTTP shell turns them into gauges.
//!
//! The depths are read at scrape time, so each is an indexed count: the
//! pending and dead outbox rows through their partial indexes
//! (`channel_outbox_due`, `channel_outbox_dead`), the unhandled inbox
//! messages through `channel_inbox_unhandled`, the open dossiers through
//! `dossiers_state_promised` (state first). The open dossiers are the
//! one count that grows with the deployment (every dossier between
//! reception and hand-over), so the service keeps the answer a few
//! seconds (`Service::figures`) rather than count at every scrape.

use cancuoc_core::dossier::workflow::State;

use crate::Store;
use crate::db::{Db, with_pool};
use crate::error::StoreError;
use crate::rows::state_of;

/// How busy one connection pool is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    /// Which pool: `main` (the database), `accounts` (an SQLite file's
    /// accounts and channels database) or `captcha` (an SQLite file's
    /// throwaway captcha database).
    pub pool: &'static str,
    /// Connections open (idle and in use).
    pub size: u32,
    /// Connections open and idle.
    pub idle: u32,
}

impl PoolUse {
    /// Connections open and lent out now.
    pub fn in_use(&self) -> u32 {
        self.size.saturating_sub(self.idle)
    }
}

/// The queues' depths, counted now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Depths {
    /// Outbox messages waiting to be delivered (first try or retry), both
    /// databases of an SQLite file store added up.
    pub outbox_pending: u64,
    /// Outbox messages given up on (dead letters), likewise.
    pub outbox_dead: u64,
    /// Inbound channel messages not handled yet.
    pub inbox_unhandled: u64,
    /// Open dossiers (not refused, returned or cancelled) by state, in
    /// workflow order; states with none are listed with 0.
    pub open_dossiers: Vec<(State, u64)>,
}

/// The states counted in [`Depths::open_dossiers`], as an SQL list (a
/// literal for `concat!`; the test below keeps it equal to the core's
/// `!State::is_terminal`).
macro_rules! open_states {
    () => {
        "('booked', 'received', 'captured', 'slip_issued', 'commune_verification', \
         'sent_to_centre', 'approved', 'rejected', 'printed', 'dispatched', \
         'ready_for_pickup', 'posted')"
    };
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn pool_use(pool: &'static str, db: &Db) -> PoolUse {
    let (size, idle) = match db {
        Db::Sqlite(p) => (p.size(), p.num_idle()),
        Db::Postgres(p) => (p.size(), p.num_idle()),
    };
    PoolUse {
        pool,
        size,
        idle: u32::try_from(idle).unwrap_or(u32::MAX).min(size),
    }
}

impl Store {
    /// Every connection pool of this store and how busy it is now (no
    /// query: the pools' own counters): `main`, then an SQLite file's
    /// `accounts` and `captcha` databases.
    pub fn pool_use(&self) -> Vec<PoolUse> {
        let mut pools = vec![pool_use("main", &self.db)];
        if let Some(db) = &self.accounts {
            pools.push(pool_use("accounts", db));
        }
        if let Some(db) = &self.side {
            pools.push(pool_use("captcha", db));
        }
        pools
    }

    /// The queues' depths (see [`Depths`]), each an indexed count.
    pub async fn depths(&self) -> Result<Depths, StoreError> {
        let mut d = Depths::default();
        // The outbox lives in both databases of an SQLite file store (chat
        // replies in the accounts one, notifications in the main one).
        for db in self.accounts.iter().chain(std::iter::once(&self.db)) {
            let (pending, dead): (i64, i64) = with_pool!(db, |pool| {
                sqlx::query_as::<DB, (i64, i64)>(
                    "SELECT (SELECT COUNT(*) FROM channel_outbox WHERE state = 'pending'), \
                     (SELECT COUNT(*) FROM channel_outbox WHERE state = 'dead')",
                )
                .fetch_one(pool)
                .await?
            });
            d.outbox_pending += count(pending);
            d.outbox_dead += count(dead);
        }
        let inbox: i64 = with_pool!(self.accounts_db(), |pool| {
            sqlx::query_scalar::<DB, i64>(
                "SELECT COUNT(*) FROM channel_inbox WHERE handled_at IS NULL",
            )
            .fetch_one(pool)
            .await?
        });
        d.inbox_unhandled = count(inbox);
        let rows: Vec<(String, i64)> = with_pool!(&self.db, |pool| {
            sqlx::query_as::<DB, (String, i64)>(concat!(
                "SELECT state, COUNT(*) FROM dossiers WHERE state IN ",
                open_states!(),
                " GROUP BY state"
            ))
            .fetch_all(pool)
            .await?
        });
        let mut by_state = State::ALL
            .iter()
            .filter(|s| !s.is_terminal())
            .map(|&s| (s, 0u64))
            .collect::<Vec<_>>();
        for (state, n) in rows {
            let state = state_of("dossiers.state", &state)?;
            if let Some(slot) = by_state.iter_mut().find(|(s, _)| *s == state) {
                slot.1 = count(n);
            }
        }
        d.open_dossiers = by_state;
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_states_list_is_the_cores_non_terminal_states() {
        let want = State::ALL
            .iter()
            .filter(|s| !s.is_terminal())
            .map(|s| format!("'{}'", s.code()))
            .collect::<Vec<_>>()
            .join(", ");
        let got = open_states!().replace(['(', ')'], "");
        let got = got.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(got, want);
    }

    #[test]
    fn a_pool_never_has_more_idle_than_open_connections() {
        let p = PoolUse {
            pool: "main",
            size: 3,
            idle: 1,
        };
        assert_eq!(p.in_use(), 2);
        let odd = PoolUse {
            pool: "main",
            size: 1,
            idle: 2,
        };
        assert_eq!(odd.in_use(), 0);
    }
}
