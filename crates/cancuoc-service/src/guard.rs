//! Limits on what one client may ask (giới hạn truy cập): the rules that
//! keep the public doors — status lookups, bookings, declarations,
//! captchas, logins — from being walked, hoarded or guessed, whichever
//! front end (the REST API, the portal, later the hotline and chat) the
//! request came through. Front ends name the client ([`Client`], its
//! address as the server determined it behind trusted proxies); the
//! service decides.
//!
//! Three shapes, all in this process's memory (several server processes
//! each count their own; the limits are per process, documented in the
//! README):
//!
//! - [`TokenBuckets`]: a rate per client — a burst, then one request per
//!   refill period (status lookups, bookings, captchas).
//! - [`Strikes`]: failures per key within a window from the first; at the
//!   limit the key is locked until the window ends (wrong second factors
//!   per dossier code; inside [`LoginGuard`], logins and wrong phones per
//!   booking code). `reserve`
//!   counts an attempt *before* the slow check it guards, atomically, so
//!   concurrent attempts cannot all slip under the limit.
//! - [`MissLog`]: distinct well-formed codes a client asked for that do not
//!   exist; too many in a window is a walk of the code space, and the
//!   client's lookups stop until the window ends.
//!
//! [`LoginGuard`] puts three [`Strikes`] in front of a password check (per
//! login name and client, per client, and a soft lock per name that still
//! lets the right password in from a clean address): the console's logins
//! now, the citizens' accounts later (`guard/logins.rs`).
//!
//! Hand-rolled rather than `governor`: each is a few dozen lines over a
//! `HashMap` behind a `Mutex`, reads time from the service's clock so tests
//! can move it, and needs the shapes above (a window lock, distinct
//! misses, count-before-check) that a plain rate limiter does not give.
//!
//! A client is its IPv4 address, or its IPv6 /64 (the block one subscriber
//! is given, so one host cannot take a bucket per address); in
//! [`TokenBuckets`] a /64's requests also count against its /48 at
//! [`TokenBuckets::NETWORK_FACTOR`] clients' rate, so a host holding a
//! whole /48 cannot mint fresh /64s to fill the map. Memory is
//! bounded: each map sweeps stale entries when it reaches its size, and
//! [`TokenBuckets`] puts newcomers in shared overflow buckets while it
//! stays full (never unlimited). Addresses in [`Limits::exempt`] (trusted
//! integrators, load tests) skip the per-client rates and the walk
//! detector, not the per-code locks.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Mutex, MutexGuard};

use cancuoc_core::dossier::code::DossierCode;
use ipnet::IpNet;

use crate::error::{Limit, ServiceError};

mod logins;

pub use logins::{LoginAttempt, LoginGuard, LoginLimits};

/// Who is asking, as far as limits go: the client's address, as the front
/// end determined it (the peer, or the address a trusted proxy forwarded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Client {
    ip: IpAddr,
}

impl Client {
    /// The client at `ip` (an IPv4-mapped IPv6 address is its IPv4, so
    /// exemptions and limits read it as the settings name it).
    pub const fn new(ip: IpAddr) -> Self {
        Self {
            ip: ip.to_canonical(),
        }
    }

    /// A request that carries no address (a router driven in-process):
    /// all such requests share one client, so a limit is never silently
    /// off.
    pub const fn unknown() -> Self {
        Self {
            ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        }
    }

    /// The address.
    pub const fn ip(self) -> IpAddr {
        self.ip
    }

    /// The key its limits count under: IPv4 as it is (an IPv4-mapped IPv6
    /// address as its IPv4), IPv6 by its /64.
    pub fn key(self) -> IpAddr {
        match self.ip {
            IpAddr::V4(_) => self.ip,
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
            },
        }
    }
}

/// A rate: `burst` requests at once, then one per `refill_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed in a burst.
    pub burst: u32,
    /// Milliseconds to earn back one request.
    pub refill_ms: i64,
}

/// A failure limit: `max` failures within `window_secs` of the first lock
/// the key until the window ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Failures allowed.
    pub max: u32,
    /// The window, in seconds.
    pub window_secs: i64,
}

/// The limits of the public doors, with their defaults. A deployment sets
/// [`Limits::exempt`]; the rates are settings for tests and unusual sites.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Client networks that skip the per-client rates and the walk
    /// detector: trusted integrators (a bank's eKYC gateway), load tests.
    pub exempt: Vec<IpNet>,
    /// Status lookups per client (API, portal, channels alike): 30 at once,
    /// then 30 a minute.
    pub lookups: Rate,
    /// Distinct well-formed dossier codes not found, per client, before
    /// its lookups stop for the rest of the window: 10 an hour. A citizen
    /// who mistypes is caught by the check digit first; ten misses that
    /// pass it are a walk.
    pub misses: Window,
    /// Wrong second factors (date of birth, last digits of the ID number)
    /// per dossier code before the code's fuller answer locks: 5 a day.
    pub second_factor: Window,
    /// Booking attempts per client: 5 at once, then one each 12 minutes.
    pub bookings: Rate,
    /// Active appointments (booked, today or later) one phone number may
    /// hold: 3 (a parent booking for children on one phone).
    pub bookings_per_phone: u32,
    /// Active appointments one personal ID may hold: 1 (to change it, the
    /// citizen moves it).
    pub bookings_per_id: u32,
    /// Wrong phone numbers for a booking code (its booking, declaration,
    /// move and cancel), counted as password guesses are ([`LoginGuard`]:
    /// the code is the name, the phone the password): 5 per code and
    /// client, 60 per client across codes (above the lookups' burst, so a
    /// family's typos never reach it), 10 per code from anywhere — a
    /// soft lock, so the owner from an address with no wrong phone of its
    /// own still gets in while a guesser keeps failing. The phone is the
    /// second key of a booking; guesses of 10⁹ numbers at these rates find
    /// nothing.
    pub booking_phone: LoginLimits,
    /// Appointments looked up per client (the confirmation page by code,
    /// and by code and phone the manage page, the declaration, a move, a
    /// cancel): 30 at once, then one every 20 seconds — a family's
    /// bookings behind one address, never a walk of 9·10⁹ codes.
    pub booking_lookups: Rate,
    /// Captcha challenges per client: 30 at once, then 30 a minute.
    pub captchas: Rate,
    /// Spoken captchas per client (each is synthesised on demand): 10 at
    /// once, then one each 30 seconds.
    pub audio: Rate,
    /// Password guessing, counted before each check: 5 failures per login
    /// name and client, 20 per client, 10 per name (a soft lock) in 15
    /// minutes ([`LoginLimits`]). No address is exempt.
    pub logins: LoginLimits,
    /// Citizens' account passwords (login, unlock, change of password),
    /// counted as the console's are: 5 per personal ID number and client,
    /// 20 per client, 10 per number (a soft lock) in 15 minutes. The
    /// account's own temporary lockout comes on top
    /// (`crate::eid::AccountSettings`).
    pub account_passwords: LoginLimits,
    /// Citizens' one-time codes, counted apart from passwords so guessing
    /// one never locks the other: 10 per account and client, 30 per
    /// client, 20 per account (soft) in 15 minutes — above the 5 wrong
    /// entries one challenge allows, so the per-challenge cap answers
    /// first, and a client trying many challenges is stopped here.
    pub account_codes: LoginLimits,
    /// The accounts' public forms (register, forgotten password, lock) per
    /// client: 10 at once, then one a minute.
    pub account_forms: Rate,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            exempt: Vec::new(),
            lookups: Rate {
                burst: 30,
                refill_ms: 2_000,
            },
            misses: Window {
                max: 10,
                window_secs: 3600,
            },
            second_factor: Window {
                max: 5,
                window_secs: 86_400,
            },
            bookings: Rate {
                burst: 5,
                refill_ms: 12 * 60_000,
            },
            bookings_per_phone: 3,
            bookings_per_id: 1,
            booking_phone: LoginLimits {
                per_name_and_client: Window {
                    max: 5,
                    window_secs: 3600,
                },
                per_client: Window {
                    max: 60,
                    window_secs: 3600,
                },
                per_name: Window {
                    max: 10,
                    window_secs: 3600,
                },
            },
            booking_lookups: Rate {
                burst: 30,
                refill_ms: 20_000,
            },
            captchas: Rate {
                burst: 30,
                refill_ms: 2_000,
            },
            audio: Rate {
                burst: 10,
                refill_ms: 30_000,
            },
            logins: LoginLimits::default(),
            account_passwords: LoginLimits::default(),
            account_codes: LoginLimits {
                per_name_and_client: Window {
                    max: 10,
                    window_secs: 900,
                },
                per_client: Window {
                    max: 30,
                    window_secs: 900,
                },
                per_name: Window {
                    max: 20,
                    window_secs: 900,
                },
            },
            account_forms: Rate {
                burst: 10,
                refill_ms: 60_000,
            },
        }
    }
}

impl Limits {
    /// Whether `client` is exempt from the per-client limits.
    pub fn is_exempt(&self, client: Client) -> bool {
        !self.exempt.is_empty() && self.exempt.iter().any(|n| n.contains(&client.ip))
    }
}

/// Locks a mutex, taking the data of a poisoned one (a panic elsewhere
/// must not turn every later request away).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Seconds, rounded up, in at least one.
fn ceil_secs(ms: i64) -> u64 {
    u64::try_from((ms + 999) / 1000).unwrap_or(1).max(1)
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// Credit in milliseconds of refill time: one request costs
    /// `refill_ms`, each elapsed millisecond earns one, so refills are
    /// exact integers.
    credit_ms: i64,
    /// When it was counted, epoch milliseconds.
    at_ms: i64,
}

impl Bucket {
    fn refilled(self, now_ms: i64, full: i64) -> Self {
        Self {
            credit_ms: (self.credit_ms + (now_ms - self.at_ms).max(0)).min(full),
            at_ms: now_ms.max(self.at_ms),
        }
    }
}

/// Whose bucket: a client, or one of the buckets newcomers share while
/// [`TokenBuckets::MAX_CLIENTS`] clients are remembered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum BucketKey {
    Client(IpAddr),
    /// The IPv6 /48 a /64 client is in ([`TokenBuckets::NETWORK_FACTOR`]).
    Network(Ipv6Addr),
    Overflow(u16),
}

/// The /48 of an IPv6 address.
fn network_48(ip: IpAddr) -> Option<Ipv6Addr> {
    match ip {
        IpAddr::V6(v6) => Some(Ipv6Addr::from(v6.to_bits() & (u128::MAX << 80))),
        IpAddr::V4(_) => None,
    }
}

/// Spends `cost` of the bucket `key` at `now_ms` (a missing bucket is
/// full); `Err(seconds)` until it holds `cost` again.
fn spend(
    map: &mut HashMap<BucketKey, Bucket>,
    key: BucketKey,
    now_ms: i64,
    full: i64,
    cost: i64,
) -> Result<(), u64> {
    let b = map
        .get(&key)
        .copied()
        .unwrap_or(Bucket {
            credit_ms: full,
            at_ms: now_ms,
        })
        .refilled(now_ms, full);
    if b.credit_ms >= cost {
        map.insert(
            key,
            Bucket {
                credit_ms: b.credit_ms - cost,
                ..b
            },
        );
        Ok(())
    } else {
        map.insert(key, b);
        Err(ceil_secs(cost - b.credit_ms))
    }
}

#[derive(Debug, Default)]
struct BucketMap {
    by_client: HashMap<BucketKey, Bucket>,
    /// When idle buckets were last swept, epoch milliseconds.
    swept_ms: Option<i64>,
    /// Spreads newcomers over the overflow buckets (per process, random).
    spread: std::collections::hash_map::RandomState,
}

/// A token bucket per client (see the module documentation).
#[derive(Debug)]
pub struct TokenBuckets {
    rate: Rate,
    inner: Mutex<BucketMap>,
}

impl TokenBuckets {
    /// Clients remembered before idle (full) buckets are forgotten.
    pub const MAX_CLIENTS: usize = 50_000;
    /// How many buckets newcomers share while the map is full.
    pub const OVERFLOW_BUCKETS: u16 = 256;
    /// How many clients' rate one IPv6 /48 shares, on top of each /64's
    /// own: a host holding a whole /48 (65,536 /64s) cannot fill the map
    /// with fresh /64s and push every newcomer into the shared overflow
    /// buckets, since its new /64s are refused before they are
    /// remembered once the /48's bucket is empty.
    pub const NETWORK_FACTOR: i64 = 16;

    /// Buckets at `rate`.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            inner: Mutex::new(BucketMap::default()),
        }
    }

    fn full(&self) -> i64 {
        i64::from(self.rate.burst) * self.rate.refill_ms
    }

    /// Takes one request for `client` at `now_ms`; `Err(seconds)` says how
    /// long until the next one when its bucket is empty.
    pub fn take(&self, client: Client, now_ms: i64) -> Result<(), u64> {
        let full = self.full();
        let refill = self.rate.refill_ms;
        let mut inner = lock(&self.inner);
        let BucketMap {
            by_client: map,
            swept_ms,
            spread,
        } = &mut *inner;
        let ip = client.key();
        if let Some(net) = network_48(ip) {
            let cost = (refill / Self::NETWORK_FACTOR).max(1);
            spend(map, BucketKey::Network(net), now_ms, full, cost)?;
        }
        let mut key = BucketKey::Client(ip);
        if map.len() >= Self::MAX_CLIENTS && !map.contains_key(&key) {
            // At most one sweep per refill period, so a flood of new
            // addresses does not turn every request into a walk of the map.
            if swept_ms.is_none_or(|at| now_ms - at >= refill || now_ms < at) {
                map.retain(|_, b| b.refilled(now_ms, full).credit_ms < full);
                *swept_ms = Some(now_ms);
            }
            if map.len() >= Self::MAX_CLIENTS {
                let slot = spread.hash_one(ip) % u64::from(Self::OVERFLOW_BUCKETS);
                key = BucketKey::Overflow(u16::try_from(slot).unwrap_or(0));
            }
        }
        spend(map, key, now_ms, full, refill)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        lock(&self.inner).by_client.len()
    }
}

/// Failures per key within a window (see the module documentation).
#[derive(Debug)]
pub struct Strikes<K> {
    limit: Window,
    /// key → (failures, first failure at, epoch seconds).
    map: Mutex<HashMap<K, (u32, i64)>>,
}

/// Keys a [`Strikes`] remembers before stale entries are swept.
const STRIKES_SWEEP_AT: usize = 50_000;

impl<K: Hash + Eq + Clone> Strikes<K> {
    /// A counter locking at `limit`.
    pub fn new(limit: Window) -> Self {
        Self {
            limit,
            map: Mutex::new(HashMap::new()),
        }
    }

    /// The count of `key` at `now` (0 once its window has ended).
    fn current(&self, map: &HashMap<K, (u32, i64)>, key: &K, now: i64) -> (u32, i64) {
        match map.get(key) {
            Some(&(n, first)) if first + self.limit.window_secs > now => (n, first),
            _ => (0, now),
        }
    }

    /// Seconds until `key` may try again, when it is locked at `now`.
    pub fn locked_for(&self, key: &K, now: i64) -> Option<u64> {
        let map = lock(&self.map);
        let (n, first) = self.current(&map, key, now);
        (n >= self.limit.max).then(|| ceil_secs((first + self.limit.window_secs - now) * 1000))
    }

    /// How many failures `key` has in its window at `now`.
    pub fn count(&self, key: &K, now: i64) -> u32 {
        let map = lock(&self.map);
        self.current(&map, key, now).0
    }

    fn bump(&self, map: &mut HashMap<K, (u32, i64)>, key: &K, now: i64) {
        if map.len() >= STRIKES_SWEEP_AT && !map.contains_key(key) {
            let w = self.limit.window_secs;
            map.retain(|_, (_, first)| *first + w > now);
            if map.len() >= STRIKES_SWEEP_AT {
                // Still full of live keys: keep the locked ones (they
                // matter most), forget the rest.
                let max = self.limit.max;
                map.retain(|_, (n, _)| *n >= max);
            }
        }
        let (n, first) = self.current(map, key, now);
        map.insert(key.clone(), (n.saturating_add(1), first));
    }

    /// Records a failure of `key` at `now`.
    pub fn strike(&self, key: &K, now: i64) {
        let mut map = lock(&self.map);
        self.bump(&mut map, key, now);
    }

    /// Counts an attempt of `key` at `now` before it is checked, unless the
    /// key is locked (`Err(seconds)`): one lock taken, so that concurrent
    /// attempts are counted one by one and at most `max` of them pass. An
    /// attempt that then succeeds is taken back with [`Strikes::forgive`].
    pub fn reserve(&self, key: &K, now: i64) -> Result<(), u64> {
        self.reserve_nth(key, now).map(|_| ())
    }

    /// [`Strikes::reserve`], answering which attempt of the window this one
    /// is (1: the key had nothing counted), so a caller can tell a clean
    /// record from one with failures or attempts in flight, atomically.
    pub fn reserve_nth(&self, key: &K, now: i64) -> Result<u32, u64> {
        let mut map = lock(&self.map);
        let (n, first) = self.current(&map, key, now);
        if n >= self.limit.max {
            return Err(ceil_secs((first + self.limit.window_secs - now) * 1000));
        }
        self.bump(&mut map, key, now);
        Ok(n + 1)
    }

    /// Takes back one attempt [`Strikes::reserve`] counted.
    pub fn forgive(&self, key: &K) {
        let mut map = lock(&self.map);
        if let Some(e) = map.get_mut(key) {
            e.0 = e.0.saturating_sub(1);
            if e.0 == 0 {
                map.remove(key);
            }
        }
    }

    /// Forgets `key`'s failures.
    pub fn clear(&self, key: &K) {
        lock(&self.map).remove(key);
    }
}

/// Distinct missed codes per client (see the module documentation).
#[derive(Debug)]
pub struct MissLog<C> {
    limit: Window,
    /// client → (first miss at, the distinct codes missed).
    map: Mutex<HashMap<IpAddr, (i64, Vec<C>)>>,
}

impl<C: PartialEq + Copy> MissLog<C> {
    /// A log stopping a client at `limit`.
    pub fn new(limit: Window) -> Self {
        Self {
            limit,
            map: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds until `client` may look up again, when it missed too many
    /// distinct codes.
    pub fn stopped_for(&self, client: Client, now: i64) -> Option<u64> {
        let map = lock(&self.map);
        let (first, codes) = map.get(&client.key())?;
        let left = first + self.limit.window_secs - now;
        (left > 0 && codes.len() >= self.limit.max as usize).then(|| ceil_secs(left * 1000))
    }

    /// Records that `client` asked for `code`, which does not exist.
    pub fn missed(&self, client: Client, code: C, now: i64) {
        let mut map = lock(&self.map);
        if map.len() >= STRIKES_SWEEP_AT && !map.contains_key(&client.key()) {
            let w = self.limit.window_secs;
            map.retain(|_, (first, _)| *first + w > now);
            if map.len() >= STRIKES_SWEEP_AT {
                let max = self.limit.max as usize;
                map.retain(|_, (_, codes)| codes.len() >= max);
            }
        }
        let e = map.entry(client.key()).or_insert((now, Vec::new()));
        if e.0 + self.limit.window_secs <= now {
            *e = (now, Vec::new());
        }
        if e.1.len() < self.limit.max as usize && !e.1.contains(&code) {
            e.1.push(code);
        }
    }
}

/// The limits of one service and their counters.
#[derive(Debug)]
pub(crate) struct Guards {
    pub limits: Limits,
    pub lookups: TokenBuckets,
    pub misses: MissLog<DossierCode>,
    pub second_factor: Strikes<DossierCode>,
    pub bookings: TokenBuckets,
    pub booking_phone: LoginGuard,
    pub booking_lookups: TokenBuckets,
    pub captchas: TokenBuckets,
    pub audio: TokenBuckets,
    /// Officers' console logins.
    pub console_logins: LoginGuard,
    /// Citizens' account passwords.
    pub account_passwords: LoginGuard,
    /// Citizens' one-time codes.
    pub account_codes: LoginGuard,
    /// The accounts' public forms.
    pub account_forms: TokenBuckets,
}

impl Guards {
    pub fn new(limits: Limits) -> Self {
        Self {
            lookups: TokenBuckets::new(limits.lookups),
            misses: MissLog::new(limits.misses),
            second_factor: Strikes::new(limits.second_factor),
            bookings: TokenBuckets::new(limits.bookings),
            booking_phone: LoginGuard::new(limits.booking_phone),
            booking_lookups: TokenBuckets::new(limits.booking_lookups),
            captchas: TokenBuckets::new(limits.captchas),
            audio: TokenBuckets::new(limits.audio),
            console_logins: LoginGuard::new(limits.logins),
            account_passwords: LoginGuard::new(limits.account_passwords),
            account_codes: LoginGuard::new(limits.account_codes),
            account_forms: TokenBuckets::new(limits.account_forms),
            limits,
        }
    }

    /// Takes one request of `client` from `buckets` at `now_ms`, unless the
    /// client is exempt; [`ServiceError::Limited`] with `limit` when empty.
    pub fn take(
        &self,
        buckets: &TokenBuckets,
        limit: Limit,
        client: Client,
        now_ms: i64,
    ) -> Result<(), ServiceError> {
        if self.limits.is_exempt(client) {
            return Ok(());
        }
        buckets
            .take(client, now_ms)
            .map_err(|secs| ServiceError::limited(limit, secs))
    }

    /// The checks before a status lookup by `client`: not stopped for
    /// walking the codes, and a token of its lookup rate.
    pub fn lookup(&self, client: Client, now_ms: i64) -> Result<(), ServiceError> {
        if self.limits.is_exempt(client) {
            return Ok(());
        }
        if let Some(secs) = self.misses.stopped_for(client, now_ms.div_euclid(1000)) {
            return Err(ServiceError::limited(Limit::CodeWalk, secs));
        }
        self.take(&self.lookups, Limit::Lookups, client, now_ms)
    }

    /// Records that `client` asked for `code`, which does not exist
    /// (nothing for an exempt client).
    pub fn missed(&self, client: Client, code: DossierCode, now_ms: i64) {
        if !self.limits.is_exempt(client) {
            self.misses.missed(client, code, now_ms.div_euclid(1000));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Client {
        Client::new(s.parse().expect("ip"))
    }

    const RATE: Rate = Rate {
        burst: 30,
        refill_ms: 2_000,
    };

    #[test]
    fn a_burst_then_one_token_per_refill_period_per_client() {
        let rl = TokenBuckets::new(RATE);
        let (a, b) = (ip("192.0.2.1"), ip("192.0.2.2"));
        let t = 1_000_000;
        for i in 0..RATE.burst {
            assert!(rl.take(a, t).is_ok(), "request {i}");
        }
        assert_eq!(rl.take(a, t), Err(2));
        assert!(rl.take(b, t).is_ok(), "another client has its own bucket");
        assert_eq!(rl.take(a, t + RATE.refill_ms - 1), Err(1));
        assert!(rl.take(a, t + RATE.refill_ms).is_ok());
        assert_eq!(rl.take(a, t + RATE.refill_ms), Err(2));
        // A long pause refills to the burst, never beyond.
        let later = t + 1000 * RATE.refill_ms;
        for _ in 0..RATE.burst {
            assert!(rl.take(a, later).is_ok());
        }
        assert_eq!(rl.take(a, later), Err(2));
        // A clock going backwards earns nothing.
        assert!(matches!(rl.take(a, t), Err(secs) if secs >= 2));
    }

    /// The `i`-th of many distinct client addresses.
    fn nth(i: usize) -> Client {
        let i = u32::try_from(i).expect("small");
        Client::new(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i)))
    }

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        let rl = TokenBuckets::new(RATE);
        let t = 1_000_000;
        for i in 0..RATE.burst {
            let c = ip(&format!("2001:db8:1:2::{:x}", i + 1));
            assert!(rl.take(c, t).is_ok(), "request {i}");
        }
        assert_eq!(
            rl.take(ip("2001:db8:1:2:ffff::1"), t),
            Err(2),
            "one /64, one bucket"
        );
        assert!(rl.take(ip("2001:db8:1:3::1"), t).is_ok());
        // An IPv4-mapped address is its IPv4 client.
        for _ in 0..RATE.burst {
            assert!(rl.take(ip("192.0.2.9"), t).is_ok());
        }
        assert_eq!(rl.take(ip("::ffff:192.0.2.9"), t), Err(2));
    }

    #[test]
    fn a_host_holding_a_slash_48_cannot_walk_its_slash_64s() {
        let rl = TokenBuckets::new(RATE);
        let t = 1_000_000;
        // A fresh /64 per request, all in 2001:db8:7::/48: the /48 shares
        // NETWORK_FACTOR clients' bursts, then its new /64s are refused
        // before they are remembered.
        let allowed = TokenBuckets::NETWORK_FACTOR as usize * RATE.burst as usize;
        let served = (0..10_000u32)
            .filter(|i| {
                let c = ip(&format!("2001:db8:7:{:x}::1", i + 1));
                rl.take(c, t).is_ok()
            })
            .count();
        assert_eq!(served, allowed);
        assert!(rl.len() <= allowed + 1, "not remembered: {}", rl.len());
        // Another /48 is served.
        assert!(rl.take(ip("2001:db8:8:1::1"), t).is_ok());
    }

    #[test]
    fn a_full_map_stays_bounded_and_newcomers_share_buckets() {
        let rl = TokenBuckets::new(RATE);
        let t = 5_000_000;
        let max = TokenBuckets::MAX_CLIENTS;
        let overflow = usize::from(TokenBuckets::OVERFLOW_BUCKETS);
        // As many clients as are remembered, each busy (not full).
        for i in 0..max {
            assert!(rl.take(nth(i), t).is_ok());
        }
        // Newcomers now share the overflow buckets: a burst each, in all
        // at most that many requests, then refused.
        let shared = overflow * RATE.burst as usize;
        let served = (0..shared + 1000)
            .filter(|i| rl.take(nth(max + i), t + 1).is_ok())
            .count();
        assert!(served <= shared, "{served} served");
        assert!(served > 0, "newcomers are limited, not shut out");
        assert!(rl.len() <= max + overflow, "bounded: {}", rl.len());
        // A client already known keeps its own bucket.
        assert!(rl.take(nth(7), t + 1).is_ok());
        // Once the old buckets have refilled, a sweep makes room and a
        // newcomer gets its own bucket again.
        let idle = t + 1 + i64::from(RATE.burst) * RATE.refill_ms;
        assert!(rl.take(nth(3 * max), idle).is_ok());
        assert!(rl.len() < 10, "swept: {}", rl.len());
        for _ in 1..RATE.burst {
            assert!(rl.take(nth(3 * max), idle).is_ok());
        }
        assert_eq!(rl.take(nth(3 * max), idle), Err(2));
        assert!(rl.take(nth(4 * max), idle).is_ok(), "its own bucket");
    }

    const FIVE_IN_100: Window = Window {
        max: 5,
        window_secs: 100,
    };

    #[test]
    fn strikes_lock_at_the_limit_until_the_window_ends() {
        let s = Strikes::new(FIVE_IN_100);
        for t in 0..4 {
            s.strike(&"a", t);
            assert_eq!(s.locked_for(&"a", t), None);
        }
        s.strike(&"a", 10);
        assert_eq!(s.locked_for(&"a", 10), Some(90), "from the first failure");
        assert_eq!(s.locked_for(&"b", 10), None, "per key");
        assert_eq!(s.locked_for(&"a", 100), None, "the window ends");
        assert_eq!(s.count(&"a", 100), 0);
        s.strike(&"a", 100);
        assert_eq!(s.count(&"a", 100), 1, "a new window starts");
        s.clear(&"a");
        assert_eq!(s.count(&"a", 100), 0);
    }

    #[test]
    fn reserve_counts_before_the_check_and_forgive_takes_it_back() {
        let s = Strikes::new(FIVE_IN_100);
        // Concurrent attempts: exactly `max` pass, however many try.
        let passed = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..60)
                .map(|_| scope.spawn(|| s.reserve(&"a", 0).is_ok()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .filter(|ok| *ok)
                .count()
        });
        assert_eq!(passed, 5);
        assert_eq!(s.reserve(&"a", 1), Err(99));
        // A success takes its attempt back.
        let t = Strikes::new(FIVE_IN_100);
        for _ in 0..10 {
            t.reserve(&"b", 0).expect("not locked");
            t.forgive(&"b");
        }
        assert_eq!(t.count(&"b", 0), 0);
    }

    #[test]
    fn a_strikes_map_full_of_live_keys_keeps_the_locked_ones() {
        let s = Strikes::new(Window {
            max: 2,
            window_secs: 1000,
        });
        s.strike(&0usize, 0);
        s.strike(&0usize, 0);
        for k in 1..STRIKES_SWEEP_AT + 10 {
            s.strike(&k, 1);
        }
        assert!(lock(&s.map).len() <= STRIKES_SWEEP_AT, "bounded");
        assert!(s.locked_for(&0usize, 2).is_some(), "the locked key stays");
    }

    #[test]
    fn distinct_misses_stop_a_client_for_the_rest_of_the_window() {
        let log = MissLog::new(Window {
            max: 3,
            window_secs: 100,
        });
        let a = ip("192.0.2.1");
        log.missed(a, 1u32, 0);
        log.missed(a, 1u32, 1);
        log.missed(a, 1u32, 2);
        assert_eq!(log.stopped_for(a, 2), None, "one code asked thrice");
        log.missed(a, 2u32, 3);
        log.missed(a, 3u32, 4);
        assert_eq!(log.stopped_for(a, 4), Some(96));
        assert_eq!(log.stopped_for(ip("192.0.2.2"), 4), None, "per client");
        assert_eq!(
            log.stopped_for(ip("::ffff:192.0.2.1"), 4),
            Some(96),
            "the same client"
        );
        assert_eq!(log.stopped_for(a, 100), None, "the window ends");
        log.missed(a, 4u32, 100);
        assert_eq!(log.stopped_for(a, 100), None, "a new window");
    }

    #[test]
    fn exemptions_are_networks() {
        let limits = Limits {
            exempt: vec![
                "10.1.0.0/16".parse().expect("net"),
                "::1/128".parse().expect("net"),
            ],
            ..Limits::default()
        };
        assert!(limits.is_exempt(ip("10.1.2.3")));
        assert!(limits.is_exempt(ip("::1")));
        assert!(!limits.is_exempt(ip("10.2.0.1")));
        assert!(
            !Limits::default().is_exempt(ip("127.0.0.1")),
            "none by default"
        );
    }
}
