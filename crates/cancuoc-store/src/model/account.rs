//! Citizens' electronic identity accounts (tài khoản định danh điện tử):
//! the account of a citizen (one per citizen, keyed by the citizen's record
//! id), its level and how level 2 was granted, its lock, the failures
//! counted against it, the one-time-code challenges of its flows, its
//! sessions and its events (the accounts' audit log, which the owner reads
//! too). The rules — password policy, code lifetimes, lockout — are
//! `cancuoc_core::account`; the flows are the service's.
//!
//! On an SQLite file all of this lives in the accounts database beside the
//! main file (`db::connect_accounts`), on PostgreSQL with everything else.

use std::fmt;

use cancuoc_core::account::{AccountLevel, LevelMethod, OtpPurpose, lockout::Failures};

use super::citizen::CitizenId;
use super::officer::OfficerId;
use crate::error::StoreError;

/// Who acted on an account (a lock, an unlock, a level change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountActor {
    /// The owner, from the portal or the API.
    Owner,
    /// An officer, after checking the citizen's identity.
    Officer(OfficerId),
    /// The service itself (a level granted with the card).
    System,
}

impl AccountActor {
    /// The stored form: `owner`, `officer:<id>`, `system`.
    pub fn code(self) -> String {
        match self {
            Self::Owner => "owner".into(),
            Self::Officer(o) => format!("officer:{}", o.0),
            Self::System => "system".into(),
        }
    }

    /// Reads the stored form.
    pub(crate) fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "owner" => Ok(Self::Owner),
            "system" => Ok(Self::System),
            _ => s
                .strip_prefix("officer:")
                .and_then(|n| n.parse().ok())
                .map(|n| Self::Officer(OfficerId(n)))
                .ok_or_else(|| StoreError::corrupt("citizen_accounts.locked_by", s)),
        }
    }

    /// The officer, when one acted.
    pub fn officer(self) -> Option<OfficerId> {
        match self {
            Self::Officer(o) => Some(o),
            _ => None,
        }
    }
}

/// How and by whom level 2 was granted (xác thực mức độ 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelGrant {
    /// In person: portrait, fingerprints, or with the card.
    pub method: LevelMethod,
    /// The officer who checked (none for a grant with the card).
    pub officer: Option<OfficerId>,
    /// The office where it was done.
    pub office: Option<u16>,
    /// When, epoch seconds.
    pub at: i64,
}

/// A lock on an account (khóa tài khoản).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountLock {
    /// When, epoch seconds.
    pub at: i64,
    /// Who locked it.
    pub by: AccountActor,
    /// Why (the owner's "lost phone", an officer's reason).
    pub reason: String,
}

/// A citizen's account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The citizen it belongs to.
    pub citizen: CitizenId,
    /// Mức độ 1 or 2.
    pub level: AccountLevel,
    /// How level 2 was granted (none at level 1).
    pub grant: Option<LevelGrant>,
    /// Whether a password is set: an account made at card issuance has
    /// none until its owner registers.
    pub has_password: bool,
    /// The lock, when locked.
    pub lock: Option<AccountLock>,
    /// Wrong passwords counted against the account.
    pub password_failures: Option<Failures>,
    /// Wrong one-time codes counted against the account.
    pub otp_failures: Option<Failures>,
    /// When it was made, epoch seconds.
    pub created_at: i64,
    /// When its password was last set, epoch seconds.
    pub password_set_at: Option<i64>,
}

/// An account with its password hash, for checking a login. `Debug` does
/// not print the hash.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountRecord {
    /// The account.
    pub account: Account,
    /// The Argon2id PHC string, when a password is set.
    pub password_hash: Option<String>,
}

impl fmt::Debug for AccountRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountRecord")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

/// Which failures a count is of: passwords and codes are counted apart,
/// so guessing one cannot lock the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// Wrong passwords.
    Password,
    /// Wrong one-time codes.
    Otp,
}

/// A new one-time-code challenge.
#[derive(Clone, PartialEq, Eq)]
pub struct NewChallenge {
    /// The flow.
    pub purpose: OtpPurpose,
    /// The account's citizen; `None` for a decoy (a registration or reset
    /// that matched no one behaves the same and never accepts a code).
    pub citizen: Option<CitizenId>,
    /// The number the code goes to.
    pub phone: Option<String>,
    /// The keyed hash of the code, when one is sent now.
    pub code_hash: Option<String>,
    /// The flow's step.
    pub step: u8,
    /// Registration: the chosen password's hash, kept until the code.
    pub pending: Option<String>,
    /// Epoch seconds.
    pub created_at: i64,
    /// When the code was sent, if now.
    pub sent_at: Option<i64>,
    /// When the challenge ends, epoch seconds.
    pub expires_at: i64,
}

impl fmt::Debug for NewChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewChallenge")
            .field("purpose", &self.purpose)
            .field("citizen", &self.citizen)
            .field("step", &self.step)
            .finish_non_exhaustive()
    }
}

/// A stored challenge.
#[derive(Clone, PartialEq, Eq)]
pub struct Challenge {
    /// The flow.
    pub purpose: OtpPurpose,
    /// The citizen, `None` for a decoy.
    pub citizen: Option<CitizenId>,
    /// The number the code went to.
    pub phone: Option<String>,
    /// The keyed hash of the code last sent.
    pub code_hash: Option<String>,
    /// The flow's step.
    pub step: u8,
    /// Registration: the chosen password's hash.
    pub pending: Option<String>,
    /// Epoch seconds.
    pub created_at: i64,
    /// When the last code was sent.
    pub sent_at: Option<i64>,
    /// When the challenge ends.
    pub expires_at: i64,
    /// Wrong codes entered so far.
    pub wrong: u32,
    /// Whether it was spent.
    pub used: bool,
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("purpose", &self.purpose)
            .field("citizen", &self.citizen)
            .field("step", &self.step)
            .field("wrong", &self.wrong)
            .field("used", &self.used)
            .finish_non_exhaustive()
    }
}

/// Where a session was opened: the portal (a cookie) or the API (a bearer
/// token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    /// The portal's cookie.
    Web,
    /// The API's bearer token.
    Api,
}

impl SessionKind {
    /// Stored code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Api => "api",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "web" => Ok(Self::Web),
            "api" => Ok(Self::Api),
            _ => Err(StoreError::corrupt("account_sessions.kind", s)),
        }
    }
}

/// A live session of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveAccountSession {
    /// The owner.
    pub citizen: CitizenId,
    /// Portal or API.
    pub kind: SessionKind,
    /// The session's CSRF token (portal forms).
    pub csrf: String,
    /// The handle the owner's session list names it by.
    pub handle: String,
    /// When it was opened, epoch seconds.
    pub created_at: i64,
    /// When it was last used (this use included).
    pub last_seen: i64,
}

/// One of an owner's sessions, as their session list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSessionInfo {
    /// A short public handle (not the secret id), to revoke it by.
    pub handle: String,
    /// Portal or API.
    pub kind: SessionKind,
    /// When it was opened.
    pub created_at: i64,
    /// When it was last used.
    pub last_seen: i64,
    /// The client address it was opened from.
    pub client: String,
    /// The browser or app that opened it (cut to 200 characters).
    pub agent: String,
}

/// An event of an account, as its audit log holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountEvent {
    /// Epoch seconds.
    pub at: i64,
    /// What: `register`, `level_change`, `login`, `login_failed`,
    /// `otp_sent`, `otp_failed`, `password_reset`, `password_changed`,
    /// `lock`, `unlock`, `session_revoked`, `logout`, `card_lost`.
    pub kind: String,
    /// The officer, when one acted.
    pub officer: Option<OfficerId>,
    /// The client address (as the front end determined it), or empty.
    pub client: String,
    /// Masked details (never a code, password or full number).
    pub details: String,
}

/// The context of a change, for its event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventContext<'a> {
    /// When, epoch seconds.
    pub at: i64,
    /// The officer acting, if one.
    pub officer: Option<OfficerId>,
    /// The client address, or empty.
    pub client: &'a str,
}
