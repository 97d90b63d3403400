//! Citizens' electronic identity accounts (tài khoản định danh điện tử):
//! registration matched against the population record and a card on
//! record, login with password then a 6-digit SMS code, the owner's
//! identification data and document wallet, forgotten password, lock and
//! unlock, sessions; and the officers' side — level 2 after an in-person
//! check, downgrade, lock and unlock — and level 2 granted with the card.
//! The rules (password policy, code lifetimes and quotas, lockout, SMS
//! texts) are `cancuoc_core::account`; rows are `cancuoc_store`'s.
//!
//! What an attacker learns from the public doors is the design's centre
//! (Keycloak's non-enumerating answers; Aadhaar's and MOSIP's OTP rules):
//!
//! - Registration, forgotten password and lock answer the same whatever
//!   the personal ID number: unknown, known without an account, with one,
//!   matched or not. Every path hashes the password it was given (the
//!   same Argon2 cost) and, when nothing is sent, waits about as long as a
//!   send takes (a running mean of recent sends). A registration that matched no one gets a
//!   decoy challenge that behaves like a real one and never accepts a code.
//! - A login that fails answers one way whatever failed (unknown number,
//!   no account, wrong password, locked account, account in a temporary
//!   lockout); a locked account is never sent a code.
//! - Wrong passwords and wrong codes are counted apart, each per account
//!   (Keycloak's temporary lockout, `core::account::lockout`, stored with
//!   the account so every process agrees) and per (account, address) and
//!   per address (`guard::LoginGuard`, before the slow check), so guessing
//!   one cannot lock the other.
//! - A code is 6 uniformly random digits, valid 120 s, single use; a
//!   challenge is dead after 5 wrong entries, whatever codes it sent; a new
//!   code after 60 s; at most 5 codes per number per hour for the login
//!   and unlock and 5 for the public forms (kept apart, so strangers typing
//!   a number into the public forms never hold up its owner's login);
//!   stored only as an HMAC-SHA256 under the service's key (a setting
//!   shared by every process, else a file in the data folder) and compared
//!   in constant time. A lock or a new password deletes the account's
//!   pending codes and sessions in its transaction.
//!
//! Known limits: a failure of the SMS provider is reported on the paths
//! that really send (the citizen must hear of it), so while the provider
//! fails, a public form's answer differs between a match and a decoy; a
//! wrong password on an existing account writes its count, which an
//! unknown number does not.
//!
//! Logs name accounts by record id only: never a number, code or password.

mod flows;
mod officer;
mod profile;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use cancuoc_core::account::lockout::TemporaryLockout;
use cancuoc_core::account::otp::{OtpCode, OtpRules, OtpVerdict, SendRefusal};
use cancuoc_core::account::password::PasswordProblem;
use cancuoc_core::i18n::Localized;
use cancuoc_store::{CitizenId, EventContext, SessionLimits};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub(crate) use flows::same_name;
pub use flows::{IdentityProof, LoginRequest, RegisterRequest};
pub use officer::OfficerAccountView;
pub use profile::{ChildView, IdentityField, IdentityView, Wallet, WalletCard, WalletStatus};

use crate::error::ErrorClass;
use crate::guard::Client;
use crate::sms::{SendFuture, SmsError, SmsGateway, SmsMessage};

/// Default idle timeout of an account session: 15 minutes.
pub const ACCOUNT_IDLE_SECS: i64 = 15 * 60;
/// Default absolute lifetime of an account session: 12 hours.
pub const ACCOUNT_MAX_SECS: i64 = 12 * 3600;
/// How long a forgotten-password challenge waits between its steps.
pub const RESET_WINDOW_SECS: i64 = 15 * 60;

/// The settings of the accounts (all have the seed's or Keycloak's
/// defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountSettings {
    /// Codes: lifetime, wrong entries, resend cooldown, hourly quota.
    pub otp: OtpRules,
    /// Wrong passwords per account: Keycloak's temporary lockout.
    pub password_lockout: TemporaryLockout,
    /// Wrong codes per account, counted apart.
    pub otp_lockout: TemporaryLockout,
    /// Idle timeout and absolute lifetime of sessions and tokens.
    pub sessions: SessionLimits,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            otp: OtpRules::SEED,
            password_lockout: TemporaryLockout::DEFAULT,
            otp_lockout: TemporaryLockout::DEFAULT,
            sessions: SessionLimits {
                idle_secs: ACCOUNT_IDLE_SECS,
                max_secs: ACCOUNT_MAX_SECS,
            },
        }
    }
}

/// A gateway that sends nothing: the service's default until a front end
/// gives it one (`Service::with_sms_gateway`); every send is unavailable,
/// so a missing configuration is an error the citizen sees, never a code
/// silently dropped.
#[derive(Debug)]
struct NoGateway;

impl SmsGateway for NoGateway {
    fn send<'a>(&'a self, _: &'a SmsMessage) -> SendFuture<'a> {
        Box::pin(async { Err(SmsError::Unavailable("no SMS gateway is configured".into())) })
    }
}

/// How long sends take, so a path that sends nothing (a decoy) can take
/// about as long: an exponentially weighted mean of recent sends, in
/// microseconds.
#[derive(Debug, Default)]
pub(crate) struct SendTimer(AtomicU64);

impl SendTimer {
    fn record(&self, micros: u64) {
        let old = self.0.load(Ordering::Relaxed);
        let new = if old == 0 {
            micros
        } else {
            (old * 7 + micros) / 8
        };
        self.0.store(new, Ordering::Relaxed);
    }

    fn typical(&self) -> std::time::Duration {
        std::time::Duration::from_micros(self.0.load(Ordering::Relaxed).min(5_000_000))
    }
}

/// The accounts' per-service state.
pub(crate) struct AccountState {
    pub settings: AccountSettings,
    pub sms: Arc<dyn SmsGateway>,
    /// The HMAC key of stored codes.
    key: [u8; 32],
    pub send_timer: SendTimer,
    /// Numbers nothing is ever sent to (a subscriber's opt-out, a number
    /// reported abused), as `PhoneNumber::as_str` writes them.
    pub blocked: std::collections::HashSet<String>,
}

impl std::fmt::Debug for AccountState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountState")
            .field("settings", &self.settings)
            .field("sms", &self.sms)
            .finish_non_exhaustive()
    }
}

impl Default for AccountState {
    fn default() -> Self {
        Self {
            settings: AccountSettings::default(),
            sms: Arc::new(NoGateway),
            key: rand::random(),
            send_timer: SendTimer::default(),
            blocked: std::collections::HashSet::new(),
        }
    }
}

impl AccountState {
    /// The stored form of a code sent for challenge `challenge`:
    /// HMAC-SHA256 under the service's key over the challenge's id hash and
    /// the code, hex. Bound to its challenge, so a code is worth nothing on
    /// another one.
    pub fn code_hash(&self, challenge: &str, code: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(challenge.as_bytes());
        mac.update(b"|");
        mac.update(code.as_bytes());
        let out = mac.finalize().into_bytes();
        out.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn set_key(&mut self, key: [u8; 32]) {
        self.key = key;
    }
}

/// A fresh code from the thread's random generator.
pub(crate) fn fresh_code() -> OtpCode {
    OtpCode::from_random(rand::random::<u32>)
}

/// What a front end shows after a code was (or, for a decoy, seemed to
/// be) sent: the challenge to answer, and when.
#[derive(Clone, PartialEq, Eq)]
pub struct ChallengeTicket {
    /// The challenge's id (random, 64 hex digits): the front end keeps it
    /// in the form; only its hash is stored.
    pub id: String,
    /// Seconds the code stays valid.
    pub expires_in: i64,
    /// Seconds until a new code may be asked for.
    pub resend_in: i64,
    /// The number the code went to, as typed, masked (`PhoneNumber::masked`:
    /// only its last three digits).
    pub phone_hint: String,
}

impl std::fmt::Debug for ChallengeTicket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChallengeTicket")
            .field("expires_in", &self.expires_in)
            .field("resend_in", &self.resend_in)
            .finish_non_exhaustive()
    }
}

/// A session just opened by a login: the secret for the cookie or the
/// bearer token (shown once), its CSRF token, when it ends at the latest.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountLogin {
    /// The session id or bearer token.
    pub token: String,
    /// The CSRF token of the portal's forms.
    pub csrf: String,
    /// The absolute end of the session, epoch seconds (the idle timeout
    /// may end it sooner).
    pub expires_at: i64,
    /// Whose account.
    pub citizen: CitizenId,
}

impl std::fmt::Debug for AccountLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountLogin")
            .field("citizen", &self.citizen)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Why an account request was refused (xác thực tài khoản không thành
/// công). Each answer is chosen so it tells nothing about whether a
/// personal ID number exists or has an account.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountError {
    /// The number and password do not open an account (one answer for an
    /// unknown number, no account, a wrong password, a locked account and
    /// a temporary lockout).
    Credentials,
    /// The code was refused: wrong, expired, dead after too many wrong
    /// entries, already used, or the challenge is unknown.
    Code(OtpVerdict),
    /// The challenge is unknown, over or of another flow.
    Challenge,
    /// A new code may not be sent yet (cooldown, hourly quota).
    Send(SendRefusal, u64),
    /// The SMS provider did not take the message.
    Sms(SmsError),
    /// The new password breaks the policy: every rule it fails.
    Password(Vec<PasswordProblem>),
    /// No session, or it ended (timed out, logged out, locked).
    Session,
    /// The CSRF token of a form does not match its session.
    Csrf,
    /// Unlock asked of an account that is not locked.
    NotLocked,
    /// The account was locked by an officer: only an officer lifts it.
    LockedByOfficer,
    /// Too many wrong codes on this account lately: no new code until then.
    CodesLocked(u64),
}

impl AccountError {
    /// The class a front end maps to its answer.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Credentials | Self::Code(_) | Self::Challenge | Self::Session => {
                ErrorClass::Unauthenticated
            }
            Self::Csrf => ErrorClass::Forbidden,
            Self::Send(..) | Self::CodesLocked(_) => ErrorClass::Limited,
            Self::Sms(SmsError::Rejected { .. }) => ErrorClass::Invalid,
            Self::Sms(SmsError::Unavailable(_)) => ErrorClass::Unavailable,
            Self::Password(_) => ErrorClass::Invalid,
            Self::NotLocked | Self::LockedByOfficer => ErrorClass::Conflict,
        }
    }

    /// Seconds until the same request may succeed, when limited.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Send(_, s) | Self::CodesLocked(s) => Some(*s),
            _ => None,
        }
    }
}

impl Localized for AccountError {
    fn code(&self) -> &'static str {
        match self {
            Self::Credentials => "account.credentials",
            Self::Code(v) => v.code(),
            Self::Challenge => "account.challenge",
            Self::Send(r, _) => r.code(),
            Self::Sms(SmsError::Rejected { .. }) => "sms.rejected",
            Self::Sms(SmsError::Unavailable(_)) => "sms.unavailable",
            Self::Password(p) => p.first().map_or("password.invalid", |p| p.code()),
            Self::Session => "account.session",
            Self::Csrf => "account.csrf",
            Self::NotLocked => "account.not_locked",
            Self::LockedByOfficer => "account.locked_by_officer",
            Self::CodesLocked(_) => "account.codes_locked",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            Self::Credentials => "Số định danh cá nhân hoặc mật khẩu không đúng".into(),
            Self::Code(v) => v.message_vi(),
            Self::Challenge => {
                "Phiên xác thực không còn hiệu lực; hãy làm lại từ đầu".into()
            }
            Self::Send(r, _) => r.message_vi(),
            Self::Sms(SmsError::Rejected { .. }) => {
                "Nhà mạng không nhận tin nhắn tới số điện thoại này; hãy kiểm tra lại số hoặc liên hệ cơ quan Công an".into()
            }
            Self::Sms(SmsError::Unavailable(_)) => {
                "Chưa gửi được tin nhắn mã xác thực; hãy thử lại sau ít phút".into()
            }
            Self::Password(p) => p
                .iter()
                .map(Localized::message_vi)
                .collect::<Vec<_>>()
                .join("; "),
            Self::Session => "Phiên đăng nhập đã hết; hãy đăng nhập lại".into(),
            Self::Csrf => "Biểu mẫu đã cũ; hãy tải lại trang và gửi lại".into(),
            Self::NotLocked => "Tài khoản không bị khóa".into(),
            Self::LockedByOfficer => "Tài khoản do cơ quan Công an khóa; hãy đến cơ quan Công an nơi gần nhất để được mở khóa".into(),
            Self::CodesLocked(s) => format!(
                "Mã xác thực đã bị nhập sai quá nhiều lần; hãy thử lại sau {}",
                crate::error::wait_vi(*s)
            ),
        }
    }

    fn message_en(&self) -> String {
        match self {
            Self::Credentials => "The personal ID number or the password is wrong".into(),
            Self::Code(v) => v.message_en(),
            Self::Challenge => "This verification is no longer valid; start again".into(),
            Self::Send(r, _) => r.message_en(),
            Self::Sms(SmsError::Rejected { .. }) => {
                "The carrier did not accept a message to this number; check the number or contact the police".into()
            }
            Self::Sms(SmsError::Unavailable(_)) => {
                "The verification code could not be sent yet; try again in a few minutes".into()
            }
            Self::Password(p) => p
                .iter()
                .map(Localized::message_en)
                .collect::<Vec<_>>()
                .join("; "),
            Self::Session => "Your session has ended; log in again".into(),
            Self::Csrf => "The form is out of date; reload the page and send it again".into(),
            Self::NotLocked => "The account is not locked".into(),
            Self::LockedByOfficer => "The account was locked by the police; go to the nearest police office to have it unlocked".into(),
            Self::CodesLocked(s) => format!(
                "The verification code was entered wrongly too many times; try again in {}",
                crate::error::wait_en(*s)
            ),
        }
    }
}

/// The context of an account change made by `client` at `at`.
pub(crate) fn ctx(at: i64, client: &str) -> EventContext<'_> {
    EventContext {
        at,
        officer: None,
        client,
    }
}

/// How a client is written in an account's events.
pub(crate) fn client_text(client: Client) -> String {
    client.ip().to_string()
}
