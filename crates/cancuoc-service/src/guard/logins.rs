//! The password-guessing guard (chống dò mật khẩu): how many times a login
//! name may be tried, from where, before the password is even checked. The
//! officers' console uses it ([`crate::Service::console_login`]), so do the
//! appointments (`Service::find_booking`: the booking code is the name, the
//! phone the password), and the citizens' accounts will use the same
//! [`LoginGuard`] (one instance per kind of key), so all keep the same
//! rules.
//!
//! Keycloak's brute-force detection with its temporary lockout is the
//! anchor, with two changes. Keycloak counts failures per user only, so
//! anyone who knows a login name can lock its owner out (officers' names
//! are predictable, `role.office`); and it records a failure after the
//! password check, so concurrent guesses all get checked. Here:
//!
//! - Every attempt is counted *before* the slow Argon2 check, atomically
//!   ([`Strikes::reserve`]): of 60 concurrent wrong passwords, exactly as
//!   many as the limit reach the check; the rest are refused without a
//!   hash. A success takes its count back; an attempt whose check could
//!   not run (the database down) too. An attempt abandoned mid-check (the
//!   client hung up) stays counted.
//! - Three counters, each over a window from its first failure
//!   ([`LoginLimits`]): the login name from one client address (5 per
//!   15 minutes), the client address whatever the names (20 per 15
//!   minutes: spraying many names), and the login name from anywhere (10
//!   per 15 minutes: a guess spread over many addresses).
//! - The per-name counter is a *soft* lock: once it is full, the name is
//!   refused from every address that already failed on it in the window,
//!   but an address with a clean record for that name is still checked
//!   once, so its owner's right password gets in while an attacker keeps
//!   the name locked. Each further address adds one guess per window, so
//!   a distributed guess is slowed to one try per address per name (and
//!   at most 20 per address across names).
//!
//! A refused attempt answers the same way whatever the name (known or
//! not): nothing here depends on whether the account exists. Counters are
//! per process, like the other limits of [`crate::guard`]; the addresses
//! in [`crate::Limits::exempt`] are not exempt from these.

use std::net::IpAddr;

use super::{Client, Strikes, Window};

/// The limits of password guessing (see the module documentation), part of
/// [`crate::Limits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failures of one login name from one client address: 5 per 15
    /// minutes; then that address may not try that name until the window
    /// ends (the right password included).
    pub per_name_and_client: Window,
    /// Failures from one client address, whatever the login names: 20 per
    /// 15 minutes. An office behind one NAT address shares it; 20 leaves
    /// room for the typos of a busy morning.
    pub per_client: Window,
    /// Failures of one login name from anywhere: 10 per 15 minutes; then the
    /// name is soft-locked until the window ends — checked only from an
    /// address with no failure of its own on it.
    pub per_name: Window,
}

impl Default for LoginLimits {
    fn default() -> Self {
        const FIFTEEN_MINUTES: i64 = 15 * 60;
        Self {
            per_name_and_client: Window {
                max: 5,
                window_secs: FIFTEEN_MINUTES,
            },
            per_client: Window {
                max: 20,
                window_secs: FIFTEEN_MINUTES,
            },
            per_name: Window {
                max: 10,
                window_secs: FIFTEEN_MINUTES,
            },
        }
    }
}

/// The longest login name a counter keys by, in bytes: longer names are
/// cut (no login name is that long, and two cut alike only share a
/// counter), so a flood of huge names cannot fill memory.
const MAX_KEY_BYTES: usize = 64;

/// Counts login attempts before their password is checked (see the module
/// documentation). One per kind of account: the console's officers now,
/// the citizens' accounts later.
#[derive(Debug)]
pub struct LoginGuard {
    per_name_and_client: Strikes<(String, IpAddr)>,
    per_client: Strikes<IpAddr>,
    per_name: Strikes<String>,
}

/// An attempt [`LoginGuard::admit`] let through to the password check:
/// hand it back with [`LoginGuard::succeeded`], [`LoginGuard::failed`] or
/// [`LoginGuard::abandoned`]. Dropped without that, it stays counted as a
/// failure.
#[derive(Debug)]
#[must_use = "hand the attempt back once its password is checked"]
pub struct LoginAttempt {
    name: String,
    client: IpAddr,
    /// Whether the per-name counter counted it (not when the name was
    /// soft-locked and the address clean).
    counted_by_name: bool,
}

impl LoginGuard {
    /// A guard with `limits`.
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            per_name_and_client: Strikes::new(limits.per_name_and_client),
            per_client: Strikes::new(limits.per_client),
            per_name: Strikes::new(limits.per_name),
        }
    }

    /// Counts an attempt to log in as `name` (as the caller folded it) from
    /// `client` at `now`, before any check: `Ok` when the password may be
    /// checked, `Err(seconds)` until the next try otherwise.
    pub fn admit(&self, name: &str, client: Client, now: i64) -> Result<LoginAttempt, u64> {
        let name = key_of(name);
        let ip = client.key();
        self.per_client.reserve(&ip, now)?;
        let pair = (name.clone(), ip);
        let nth = match self.per_name_and_client.reserve_nth(&pair, now) {
            Ok(nth) => nth,
            Err(secs) => {
                self.per_client.forgive(&ip);
                return Err(secs);
            }
        };
        let counted_by_name = match self.per_name.reserve(&name, now) {
            Ok(()) => true,
            // Soft-locked: only the first attempt of an address with no
            // failure of its own on this name is checked.
            Err(_) if nth == 1 => false,
            Err(secs) => {
                self.per_name_and_client.forgive(&pair);
                self.per_client.forgive(&ip);
                return Err(secs);
            }
        };
        Ok(LoginAttempt {
            name,
            client: ip,
            counted_by_name,
        })
    }

    /// The password was right: the address's record for the name is wiped
    /// and the attempt taken back from the other counters (the name's
    /// earlier failures stay: an attacker's guesses still count).
    pub fn succeeded(&self, attempt: LoginAttempt) {
        self.per_name_and_client
            .clear(&(attempt.name.clone(), attempt.client));
        self.release(&attempt, false);
    }

    /// The password was wrong (or the name unknown, or the account
    /// disabled): the attempt stays counted everywhere.
    pub fn failed(&self, attempt: LoginAttempt) {
        let _ = attempt;
    }

    /// The check could not run (the database did not answer): the attempt
    /// is taken back everywhere.
    pub fn abandoned(&self, attempt: LoginAttempt) {
        self.release(&attempt, true);
    }

    fn release(&self, a: &LoginAttempt, pair_too: bool) {
        if pair_too {
            self.per_name_and_client
                .forgive(&(a.name.clone(), a.client));
        }
        self.per_client.forgive(&a.client);
        if a.counted_by_name {
            self.per_name.forgive(&a.name);
        }
    }
}

/// The counter key of a login name: at most [`MAX_KEY_BYTES`].
fn key_of(name: &str) -> String {
    let mut end = name.len().min(MAX_KEY_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Client {
        Client::new(s.parse().expect("ip"))
    }

    const T: i64 = 1_000_000;

    #[test]
    fn attempts_are_counted_before_the_check_per_name_and_client() {
        let g = LoginGuard::new(LoginLimits::default());
        let a = ip("192.0.2.1");
        for _ in 0..5 {
            let attempt = g.admit("x", a, T).expect("admitted");
            g.failed(attempt);
        }
        assert_eq!(
            g.admit("x", a, T + 1).err(),
            Some(899),
            "locked for the rest of the window"
        );
        assert!(
            g.admit("x", ip("192.0.2.2"), T + 1).is_ok(),
            "another address"
        );
        assert!(g.admit("y", a, T + 1).is_ok(), "another name");
        assert!(g.admit("x", a, T + 900).is_ok(), "the window ends");
    }

    /// How many of `n` attempts of `name` from `client`, made at once on
    /// as many threads, are admitted.
    fn admitted_at_once(g: &LoginGuard, name: &str, client: Client, n: usize) -> usize {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..n)
                .map(|_| s.spawn(|| g.admit(name, client, T).is_ok()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .filter(|ok| *ok)
                .count()
        })
    }

    #[test]
    fn concurrent_attempts_pass_only_up_to_the_limit() {
        let g = LoginGuard::new(LoginLimits::default());
        let a = ip("192.0.2.1");
        assert_eq!(admitted_at_once(&g, "x", a, 60), 5);
    }

    #[test]
    fn a_success_wipes_the_addresss_record_and_takes_its_attempt_back() {
        let g = LoginGuard::new(LoginLimits::default());
        let a = ip("192.0.2.1");
        for _ in 0..4 {
            g.failed(g.admit("x", a, T).expect("admitted"));
        }
        g.succeeded(g.admit("x", a, T).expect("admitted"));
        assert_eq!(g.per_name_and_client.count(&("x".into(), a.key()), T), 0);
        assert_eq!(g.per_client.count(&a.key(), T), 4, "the failures stay");
        assert_eq!(g.per_name.count(&"x".into(), T), 4, "the failures stay");
        // An attempt whose check could not run counts nowhere.
        g.abandoned(g.admit("y", a, T).expect("admitted"));
        assert_eq!(g.per_client.count(&a.key(), T), 4);
        assert_eq!(g.per_name.count(&"y".into(), T), 0);
    }

    #[test]
    fn a_soft_locked_name_is_checked_once_from_a_clean_address_only() {
        let g = LoginGuard::new(LoginLimits::default());
        // Ten failures from two addresses soft-lock the name.
        for n in 1..=2 {
            for _ in 0..5 {
                g.failed(
                    g.admit("x", ip(&format!("198.51.100.{n}")), T)
                        .expect("admitted"),
                );
            }
        }
        // The attackers' addresses are refused without a check, and so are
        // their other attempts: nothing is counted for them.
        assert_eq!(g.admit("x", ip("198.51.100.1"), T).err(), Some(900));
        let unclean = ip("198.51.100.3");
        g.failed(
            g.admit("x", unclean, T)
                .expect("a clean address is checked once"),
        );
        assert_eq!(g.admit("x", unclean, T + 1).err(), Some(899));
        assert_eq!(g.per_client.count(&unclean.key(), T + 1), 1);
        // A clean address is checked, and a success there works.
        let owner = ip("203.0.113.7");
        g.succeeded(g.admit("x", owner, T + 2).expect("checked"));
        g.succeeded(g.admit("x", owner, T + 3).expect("and again"));
        // Concurrent attempts from one clean address: one is checked.
        assert_eq!(admitted_at_once(&g, "x", ip("203.0.113.8"), 20), 1);
    }

    #[test]
    fn one_address_has_a_budget_across_names() {
        let g = LoginGuard::new(LoginLimits::default());
        let a = ip("2001:db8:7:7::1");
        for i in 0..20 {
            g.failed(g.admit(&format!("name{i}"), a, T).expect("admitted"));
        }
        assert!(
            g.admit("another", ip("2001:db8:7:7::2"), T).is_err(),
            "one /64"
        );
        assert!(g.admit("another", ip("2001:db8:7:8::1"), T).is_ok());
    }

    #[test]
    fn huge_names_are_cut_at_a_character() {
        assert_eq!(key_of("abc"), "abc");
        let long = "đ".repeat(40);
        assert_eq!(key_of(&long).len(), 64);
        assert_eq!(key_of(&"x".repeat(1000)).len(), 64);
    }
}
