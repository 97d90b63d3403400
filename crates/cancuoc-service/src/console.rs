//! Officers' console logins and sessions (đăng nhập, phiên làm việc): a
//! login name and password checked against the Argon2id hash
//! ([`Service::check_login`]) behind the password-guessing guard
//! ([`crate::guard::LoginGuard`]: every attempt counted before the check,
//! per login name and client address, per address, and a soft lock per
//! name that still lets the right password in from a clean address), and
//! the sessions that follow — a random id the front end keeps in a cookie,
//! an idle timeout and an absolute lifetime, a CSRF token per session.
//!
//! A failed login answers one way whatever failed (unknown login, wrong
//! password, deactivated officer); a refused one ("too many failures")
//! answers alike whether the login exists or not, and its password is not
//! even checked. Logs name the officer by id on
//! success and nothing on failure: no login name, password, address or
//! session id is logged.

use cancuoc_store::{ConsoleSession, OpenedSession, SessionLimits, Token};

use super::{Service, ServiceError};
use crate::figures::LoginResult;
use crate::guard::Client;

/// Default idle timeout of a console session: 15 minutes.
pub const IDLE_TIMEOUT_SECS: i64 = 15 * 60;
/// Default absolute lifetime of a console session: 12 hours (a shift).
pub const MAX_LIFETIME_SECS: i64 = 12 * 3600;

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
    /// for every cause): the password was checked.
    Failed,
    /// Too many recent failures (of this login name from this address, of
    /// this address, or of this login name from anywhere, see
    /// [`crate::guard::LoginLimits`]): refused without a check for this
    /// many more seconds.
    Locked {
        /// Seconds until the attempt may be made again.
        seconds: i64,
    },
}

/// The console's settings and per-process state.
#[derive(Debug)]
pub(crate) struct ConsoleState {
    /// Idle timeout and absolute lifetime of sessions.
    pub limits: SessionLimits,
}

impl Default for ConsoleState {
    fn default() -> Self {
        Self {
            limits: SessionLimits {
                idle_secs: IDLE_TIMEOUT_SECS,
                max_secs: MAX_LIFETIME_SECS,
            },
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

    /// Logs an officer into the console (đăng nhập) from `client`: the
    /// attempt is counted first ([`crate::guard::LoginGuard::admit`]; a
    /// refused one is [`LoginOutcome::Locked`] and its password is never
    /// checked), then the password; on success a new session, replacing
    /// the one `previous` names (the browser's old cookie), if any.
    pub async fn console_login(
        &self,
        login: &str,
        password: &str,
        previous: Option<&str>,
        client: Client,
    ) -> Result<LoginOutcome, ServiceError> {
        let login = login.trim().to_ascii_lowercase();
        let guard = &self.guards.console_logins;
        let now = self.now_secs();
        let attempt = match guard.admit(&login, client, now) {
            Ok(attempt) => attempt,
            Err(secs) => {
                tracing::warn!("console login refused: too many failures");
                self.stats.officer_logins.count(LoginResult::Locked);
                return Ok(LoginOutcome::Locked {
                    seconds: i64::try_from(secs).unwrap_or(i64::MAX),
                });
            }
        };
        let officer = match self.check_login(&login, password).await {
            Ok(Some(officer)) => officer,
            Ok(None) => {
                guard.failed(attempt);
                tracing::warn!("console login failed");
                self.stats.officer_logins.count(LoginResult::Failed);
                return Ok(LoginOutcome::Failed);
            }
            Err(e) => {
                guard.abandoned(attempt);
                return Err(e);
            }
        };
        guard.succeeded(attempt);
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
        self.stats.officer_logins.count(LoginResult::Ok);
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
