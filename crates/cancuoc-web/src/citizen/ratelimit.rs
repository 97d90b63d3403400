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
//!
//! A client is its IPv4 address, or its IPv6 /64 (the block one
//! subscriber is given, so one host cannot take a bucket per address).
//! Memory is bounded: at [`MAX_CLIENTS`] clients, idle (full) buckets are
//! swept, at most once per [`REFILL_MS`] so that a flood of new addresses
//! does not turn every request into a walk of the whole map under its lock;
//! while the map stays full, newcomers are limited in [`OVERFLOW_BUCKETS`]
//! shared buckets (by a hash of their address; never unlimited, and a flood
//! from one range does not shut out every other newcomer) until sweeps
//! make room.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
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
    inner: Mutex<Buckets>,
}

#[derive(Debug, Default)]
struct Buckets {
    by_client: HashMap<Key, Bucket>,
    /// When idle buckets were last swept, epoch milliseconds.
    swept_ms: Option<i64>,
    /// Spreads newcomers over the overflow buckets (per process, random).
    spread: std::collections::hash_map::RandomState,
}

/// Whose bucket: a client, or one of the buckets newcomers share while
/// [`MAX_CLIENTS`] clients are remembered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Client(IpAddr),
    Overflow(u16),
}

/// The key of requests that carry no peer address.
pub(crate) const NO_PEER: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
/// How many buckets newcomers share while the map is full.
pub(crate) const OVERFLOW_BUCKETS: u16 = 256;

/// The client an address counts as: IPv4 as it is, IPv6 by its /64.
fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

impl RateLimiter {
    /// Takes one token for `client` at `now_ms`; `Err(seconds)` says how
    /// long until the next one when the bucket is empty.
    pub(crate) fn take(&self, client: IpAddr, now_ms: i64) -> Result<(), u64> {
        let mut inner = match self.inner.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        let Buckets {
            by_client: map,
            swept_ms,
            spread,
        } = &mut *inner;
        let client = client_of(client);
        let mut key = Key::Client(client);
        if map.len() >= MAX_CLIENTS && !map.contains_key(&key) {
            if swept_ms.is_none_or(|at| now_ms - at >= REFILL_MS || now_ms < at) {
                map.retain(|_, b| b.refilled(now_ms).credit_ms < FULL);
                *swept_ms = Some(now_ms);
            }
            if map.len() >= MAX_CLIENTS {
                let slot = spread.hash_one(client) % u64::from(OVERFLOW_BUCKETS);
                key = Key::Overflow(u16::try_from(slot).unwrap_or(0));
            }
        }
        let b = map
            .get(&key)
            .copied()
            .unwrap_or(Bucket {
                credit_ms: FULL,
                at_ms: now_ms,
            })
            .refilled(now_ms);
        if b.credit_ms >= REFILL_MS {
            map.insert(
                key,
                Bucket {
                    credit_ms: b.credit_ms - REFILL_MS,
                    ..b
                },
            );
            Ok(())
        } else {
            map.insert(key, b);
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
        assert_eq!(rl.take(a, t + REFILL_MS), Err(2));
        // A long pause refills to the burst, never beyond.
        let later = t + 1000 * REFILL_MS;
        for _ in 0..BURST {
            assert!(rl.take(a, later).is_ok());
        }
        assert_eq!(rl.take(a, later), Err(2));
        // A clock going backwards earns nothing.
        assert!(matches!(rl.take(a, t), Err(secs) if secs >= 2));
    }

    /// The `i`-th of many distinct client addresses.
    fn nth(i: usize) -> IpAddr {
        let i = u32::try_from(i).expect("small");
        IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i))
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        let rl = RateLimiter::default();
        let t = 1_000_000;
        for i in 0..BURST {
            let ip: IpAddr = format!("2001:db8:1:2::{:x}", i + 1).parse().expect("ip");
            assert!(rl.take(ip, t).is_ok(), "request {i}");
        }
        let same_64: IpAddr = "2001:db8:1:2:ffff::1".parse().expect("ip");
        assert_eq!(rl.take(same_64, t), Err(2), "one /64, one bucket");
        let next_64: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert!(rl.take(next_64, t).is_ok());
        // An IPv4-mapped address is its IPv4 client.
        let v4: IpAddr = "192.0.2.9".parse().expect("ip");
        let mapped: IpAddr = "::ffff:192.0.2.9".parse().expect("ip");
        for _ in 0..BURST {
            assert!(rl.take(v4, t).is_ok());
        }
        assert_eq!(rl.take(mapped, t), Err(2));
    }

    #[test]
    fn a_full_map_stays_bounded_and_newcomers_share_buckets() {
        let rl = RateLimiter::default();
        let t = 5_000_000;
        // As many clients as are remembered, each busy (not full).
        for i in 0..MAX_CLIENTS {
            assert!(rl.take(nth(i), t).is_ok());
        }
        // Newcomers now share the overflow buckets: a burst each, in all
        // at most that many requests, then refused.
        let shared = usize::from(OVERFLOW_BUCKETS) * BURST as usize;
        let newcomers = shared + 1000;
        let served = (0..newcomers)
            .filter(|i| rl.take(nth(MAX_CLIENTS + i), t + 1).is_ok())
            .count();
        assert!(served <= shared, "{served} served");
        assert!(served > 0, "newcomers are limited, not shut out");
        let len = || rl.inner.lock().expect("lock").by_client.len();
        assert!(
            len() <= MAX_CLIENTS + usize::from(OVERFLOW_BUCKETS),
            "bounded: {}",
            len()
        );
        // A client already known keeps its own bucket.
        assert!(rl.take(nth(7), t + 1).is_ok());
        // Once the old buckets have refilled, a sweep makes room and a
        // newcomer gets its own bucket again.
        let idle = t + 1 + FULL;
        assert!(rl.take(nth(3 * MAX_CLIENTS), idle).is_ok());
        assert!(len() < 10, "swept: {}", len());
        for _ in 1..BURST {
            assert!(rl.take(nth(3 * MAX_CLIENTS), idle).is_ok());
        }
        assert_eq!(rl.take(nth(3 * MAX_CLIENTS), idle), Err(2));
        assert!(
            rl.take(nth(4 * MAX_CLIENTS), idle).is_ok(),
            "its own bucket"
        );
    }
}
