//! The officers' console (bảng điều khiển cán bộ, `/can-bo`): login and
//! sessions, reception desk, capture checklist, print views, work queues
//! and the overdue dashboard.
//!
//! | Path | What |
//! |---|---|
//! | `/can-bo/dang-nhap`, `/can-bo/dang-xuat`, `/can-bo` | [`login`]: log in, log out, console home |
//! | `/can-bo/tiep-nhan`, `/can-bo/tiep-nhan/dang-ky`, `/can-bo/tiep-nhan/cong-dan/{id}` | [`reception`]: find or register the citizen, open the dossier |
//! | `/can-bo/ho-so?ma=`, `/can-bo/ho-so/{code}`, `…/chuyen` | [`dossier`]: details, timeline, workflow steps |
//! | `/can-bo/ho-so/{code}/thu-nhan` | [`capture`]: fingerprints, portrait, features |
//! | `/can-bo/ho-so/{code}/in/bien-nhan`, `…/in/giay-hen` | [`print`]: receipt form (A4) and appointment slip (A5) with a Code 128 barcode |
//! | `/can-bo/hang-doi`, `/can-bo/hang-doi/xu-ly` | [`queues`]: work queues per role and office, bulk steps |
//! | `/can-bo/qua-han` | [`dashboard`]: overdue dashboard with an inline SVG chart ([`chart`]) |
//!
//! Every page but the login page takes a [`session::Session`] (anonymous
//! requests are sent to the login page) and extends
//! `templates/console/layout.html`, whose template struct has the fields
//! `ui: Ui` and `session: Session`; every POST form carries the hidden
//! `csrf` field, checked with [`session::Session::check_csrf`].

pub(crate) mod capture;
pub(crate) mod chart;
pub(crate) mod dashboard;
mod desk_prefill;
pub(crate) mod dossier;
pub(crate) mod forms;
pub(crate) mod login;
pub(crate) mod print;
pub(crate) mod queues;
pub(crate) mod reception;
pub(crate) mod session;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use axum::Router;
use cancuoc_store::SessionLimits;

use crate::app::{App, AppConfig};

/// Default idle timeout of a console session: 15 minutes.
pub(crate) const IDLE_TIMEOUT_SECS: i64 = 15 * 60;
/// Default absolute lifetime of a console session: 12 hours (a shift).
pub(crate) const MAX_LIFETIME_SECS: i64 = 12 * 3600;
/// Failed logins of one login name allowed within [`LOCKOUT_WINDOW_SECS`].
pub(crate) const MAX_LOGIN_FAILURES: u32 = 5;
/// The window over which failed logins are counted, and how long a login
/// name stays locked after too many.
pub(crate) const LOCKOUT_WINDOW_SECS: i64 = 15 * 60;

/// Per-process state of the console.
#[derive(Debug)]
pub(crate) struct ConsoleState {
    /// Idle timeout and absolute lifetime of sessions.
    pub limits: SessionLimits,
    /// Failed logins per login name.
    pub throttle: LoginThrottle,
}

impl ConsoleState {
    /// Fresh state with the default limits.
    pub(crate) fn new(_config: &AppConfig) -> Self {
        Self {
            limits: SessionLimits {
                idle_secs: IDLE_TIMEOUT_SECS,
                max_secs: MAX_LIFETIME_SECS,
            },
            throttle: LoginThrottle::new(MAX_LOGIN_FAILURES, LOCKOUT_WINDOW_SECS),
        }
    }
}

/// Counts failed logins per login name (known or not) in memory: after
/// `max_failures` failures within `window_secs` of the first, the name is
/// locked until the window ends, whatever the password. Per process: with
/// several server processes each counts its own (documented limitation;
/// Argon2's cost still slows guessing).
#[derive(Debug)]
pub(crate) struct LoginThrottle {
    max_failures: u32,
    window_secs: i64,
    /// login → (failures, first failure at).
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

/// Names tracked before stale entries are swept.
const THROTTLE_SWEEP_AT: usize = 10_000;

impl LoginThrottle {
    /// A throttle allowing `max_failures` per `window_secs`.
    pub(crate) fn new(max_failures: u32, window_secs: i64) -> Self {
        Self {
            max_failures,
            window_secs,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<String, (u32, i64)>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Seconds until `login` may try again, when it is locked at `now`.
    pub(crate) fn locked_for(&self, login: &str, now: i64) -> Option<i64> {
        let map = self.map();
        let (n, first) = *map.get(login)?;
        let left = first + self.window_secs - now;
        (n >= self.max_failures && left > 0).then_some(left)
    }

    /// Records a failed login of `login` at `now`.
    pub(crate) fn failed(&self, login: &str, now: i64) {
        let mut map = self.map();
        if map.len() >= THROTTLE_SWEEP_AT {
            let window = self.window_secs;
            map.retain(|_, (_, first)| *first + window > now);
        }
        let e = map.entry(login.to_owned()).or_insert((0, now));
        if e.1 + self.window_secs <= now {
            *e = (0, now);
        }
        e.0 = e.0.saturating_add(1);
    }

    /// Forgets the failures of `login` (after a successful login).
    pub(crate) fn succeeded(&self, login: &str) {
        self.map().remove(login);
    }
}

/// The console pages.
pub(crate) fn router() -> Router<App> {
    Router::new()
        .merge(login::router())
        .merge(reception::router())
        .merge(dossier::router())
        .merge(capture::router())
        .merge(print::router())
        .merge(queues::router())
        .merge(dashboard::router())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throttle_locks_after_too_many_failures_then_forgets() {
        let t = LoginThrottle::new(3, 100);
        assert_eq!(t.locked_for("a", 0), None);
        t.failed("a", 0);
        t.failed("a", 10);
        assert_eq!(t.locked_for("a", 10), None);
        t.failed("a", 20);
        assert_eq!(t.locked_for("a", 20), Some(80));
        assert_eq!(t.locked_for("b", 20), None, "per login name");
        assert_eq!(t.locked_for("a", 100), None, "the window ends");
        t.failed("a", 100);
        assert_eq!(t.locked_for("a", 100), None, "a new window starts");
        t.succeeded("a");
        t.failed("a", 101);
        t.failed("a", 102);
        assert_eq!(t.locked_for("a", 102), None);
    }
}
