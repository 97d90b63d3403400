//! Per-client rate limit of the status lookup (giới hạn tần suất tra cứu):
//! a token bucket per peer IP address, in this process's memory.
//!
//! Hand-rolled rather than `tower_governor`: the limit covers only the
//! status page's requests (each makes a captcha challenge or spends one),
//! it reads time from the application's [`crate::Clock`] so tests can move
//! it, and it answers with the portal's own bilingual 429 page — about forty
//! lines, against a layer and its key extractor configured to do the same.
//!
//! The peer address comes from `ConnectInfo` when the server was started
//! with `into_make_service_with_connect_info::<SocketAddr>()` (as `cancuoc
//! serve` is); requests without it (a router driven in-process) share one
//! bucket, so a limit is never silently off.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;

/// Requests a client may make in a burst.
pub(crate) const BURST: u32 = 30;
/// Milliseconds to earn back one request (30 a minute once the burst is
/// spent).
pub(crate) const REFILL_MS: i64 = 2_000;
/// Clients remembered before idle (full) buckets are forgotten.
const MAX_CLIENTS: usize = 50_000;

#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// Credit in milliseconds of refill time: one request costs
    /// [`REFILL_MS`], each elapsed millisecond earns one, so refills are
    /// exact integers.
    credit_ms: i64,
    /// When it was counted, epoch milliseconds.
    at_ms: i64,
}

const FULL: i64 = BURST as i64 * REFILL_MS;

impl Bucket {
    fn refilled(self, now_ms: i64) -> Self {
        Self {
            credit_ms: (self.credit_ms + (now_ms - self.at_ms).max(0)).min(FULL),
            at_ms: now_ms.max(self.at_ms),
        }
    }
}

/// The buckets of every client seen.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

/// The key of requests that carry no peer address.
pub(crate) const NO_PEER: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

impl RateLimiter {
    /// Takes one token for `client` at `now_ms`; `Err(seconds)` says how
    /// long until the next one when the bucket is empty.
    pub(crate) fn take(&self, client: IpAddr, now_ms: i64) -> Result<(), u64> {
        let mut map = match self.buckets.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        if map.len() >= MAX_CLIENTS && !map.contains_key(&client) {
            map.retain(|_, b| b.refilled(now_ms).credit_ms < FULL);
        }
        let b = map
            .get(&client)
            .copied()
            .unwrap_or(Bucket {
                credit_ms: FULL,
                at_ms: now_ms,
            })
            .refilled(now_ms);
        if b.credit_ms >= REFILL_MS {
            map.insert(
                client,
                Bucket {
                    credit_ms: b.credit_ms - REFILL_MS,
                    ..b
                },
            );
            Ok(())
        } else {
            map.insert(client, b);
            let wait_ms = REFILL_MS - b.credit_ms;
            Err(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_token_per_refill_period_per_client() {
        let rl = RateLimiter::default();
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        let t = 1_000_000;
        for i in 0..BURST {
            assert!(rl.take(a, t).is_ok(), "request {i}");
        }
        assert_eq!(rl.take(a, t), Err(2));
        assert!(rl.take(b, t).is_ok(), "another client has its own bucket");
        assert_eq!(rl.take(a, t + REFILL_MS - 1), Err(1));
        assert!(rl.take(a, t + REFILL_MS).is_ok());
        assert!(rl.take(a, t + REFILL_MS).is_err());
        // A long pause refills to the burst, never beyond.
        let later = t + 1000 * REFILL_MS;
        for _ in 0..BURST {
            assert!(rl.take(a, later).is_ok());
        }
        assert!(rl.take(a, later).is_err());
        // A clock going backwards earns nothing.
        assert!(rl.take(a, t).is_err());
    }
}
