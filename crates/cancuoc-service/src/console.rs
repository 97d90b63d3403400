//! Officers' console logins and sessions (đăng nhập, phiên làm việc): a
//! login name and password checked against the Argon2id hash
//! ([`Service::check_login`]), a failure throttle per login name, and the
//! sessions that follow — a random id the front end keeps in a cookie, an
//! idle timeout and an absolute lifetime, a CSRF token per session.
//!
//! A failed login answers one way whatever failed (unknown login, wrong
//! password, deactivated officer); a login name with too many recent
//! failures is locked for a while, and while locked its password is not
//! even checked. Logs name the officer by id on success and nothing on
//! failure: no login name, password or session id is logged.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use cancuoc_store::{ConsoleSession, OpenedSession, SessionLimits, Token};

use super::{Service, ServiceError};

/// Default idle timeout of a console session: 15 minutes.
pub const IDLE_TIMEOUT_SECS: i64 = 15 * 60;
/// Default absolute lifetime of a console session: 12 hours (a shift).
pub const MAX_LIFETIME_SECS: i64 = 12 * 3600;
/// Failed logins of one login name allowed within [`LOCKOUT_WINDOW_SECS`].
pub const MAX_LOGIN_FAILURES: u32 = 5;
/// The window over which failed logins are counted, and how long a login
/// name stays locked after too many.
pub const LOCKOUT_WINDOW_SECS: i64 = 15 * 60;

/// The answer to a login attempt.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Logged in: the new session (its id goes into the cookie).
    Opened {
        /// The session.
        session: OpenedSession,
        /// Who logged in.
        officer: cancuoc_store::Officer,
    },
    /// Wrong login name or password, or a deactivated officer (one answer
    /// for every cause).
    Failed,
    /// Too many recent failures: locked for this many more seconds.
    Locked {
        /// Seconds until the login name may try again.
        seconds: i64,
    },
}

/// Counts failed logins per login name (known or not) in memory: after
/// `max_failures` failures within `window_secs` of the first, the name is
/// locked until the window ends, whatever the password. Per process: with
/// several server processes each counts its own (documented limitation;
/// Argon2's cost still slows guessing).
#[derive(Debug)]
pub struct LoginThrottle {
    max_failures: u32,
    window_secs: i64,
    /// login → (failures, first failure at).
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

/// Names tracked before stale entries are swept.
const THROTTLE_SWEEP_AT: usize = 10_000;

impl LoginThrottle {
    /// A throttle allowing `max_failures` per `window_secs`.
    pub fn new(max_failures: u32, window_secs: i64) -> Self {
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
    pub fn locked_for(&self, login: &str, now: i64) -> Option<i64> {
        let map = self.map();
        let (n, first) = *map.get(login)?;
        let left = first + self.window_secs - now;
        (n >= self.max_failures && left > 0).then_some(left)
    }

    /// Records a failed login of `login` at `now`.
    pub fn failed(&self, login: &str, now: i64) {
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
    pub fn succeeded(&self, login: &str) {
        self.map().remove(login);
    }
}

/// The console's settings and per-process state.
#[derive(Debug)]
pub(crate) struct ConsoleState {
    /// Idle timeout and absolute lifetime of sessions.
    pub limits: SessionLimits,
    /// Failed logins per login name.
    pub throttle: LoginThrottle,
}

impl Default for ConsoleState {
    fn default() -> Self {
        Self {
            limits: SessionLimits {
                idle_secs: IDLE_TIMEOUT_SECS,
                max_secs: MAX_LIFETIME_SECS,
            },
            throttle: LoginThrottle::new(MAX_LOGIN_FAILURES, LOCKOUT_WINDOW_SECS),
        }
    }
}

impl Service {
    /// Sets the idle timeout and absolute lifetime of console sessions
    /// (the defaults are [`IDLE_TIMEOUT_SECS`] and [`MAX_LIFETIME_SECS`]).
    pub fn with_session_limits(mut self, limits: SessionLimits) -> Self {
        self.console.limits = limits;
        self
    }

    /// Logs an officer into the console (đăng nhập): the throttle first,
    /// then the password; on success a new session, replacing the one
    /// `previous` names (the browser's old cookie), if any.
    pub async fn console_login(
        &self,
        login: &str,
        password: &str,
        previous: Option<&str>,
    ) -> Result<LoginOutcome, ServiceError> {
        let login = login.trim().to_ascii_lowercase();
        let throttle = &self.console.throttle;
        let now = self.now_secs();
        if let Some(seconds) = throttle.locked_for(&login, now) {
            tracing::warn!("console login refused: too many failures");
            return Ok(LoginOutcome::Locked { seconds });
        }
        let Some(officer) = self.check_login(&login, password).await? else {
            throttle.failed(&login, now);
            tracing::warn!("console login failed");
            return Ok(LoginOutcome::Failed);
        };
        throttle.succeeded(&login);
        if let Some(old) = previous {
            // A new login replaces whatever session this browser had; an
            // old one that is already gone is no error.
            let _ = self
                .store
                .close_console_session(&Token::from_presented(old), now)
                .await;
        }
        let session = self
            .store
            .open_console_session(officer.id, self.console.limits, now)
            .await?;
        tracing::info!(officer = officer.id.0, "console login");
        Ok(LoginOutcome::Opened { session, officer })
    }

    /// The live session whose id was `presented` (its cookie), touched now;
    /// `None` when unknown, past its idle timeout or lifetime, or its
    /// officer deactivated.
    pub async fn console_session(
        &self,
        presented: &str,
    ) -> Result<Option<ConsoleSession>, ServiceError> {
        Ok(self
            .store
            .console_session(
                &Token::from_presented(presented),
                self.console.limits,
                self.now_secs(),
            )
            .await?)
    }

    /// Ends the session whose id was `presented` (đăng xuất).
    pub async fn console_logout(&self, presented: &str) -> Result<(), ServiceError> {
        self.store
            .close_console_session(&Token::from_presented(presented), self.now_secs())
            .await?;
        Ok(())
    }
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
