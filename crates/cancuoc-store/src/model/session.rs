//! Console sessions (phiên làm việc của cán bộ) and officer credentials
//! (tên đăng nhập, mật khẩu).
//!
//! A session id is a [`Token`]: 256 random bits, handed to the browser in a
//! cookie; only its SHA-256 is stored, like a bearer token. Each session
//! carries its own CSRF token (mã chống giả mạo yêu cầu), random too, which
//! the console puts in every form.

use crate::model::officer::{Officer, Token};

/// How long a console session lives, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// Idle timeout (thời gian chờ): a session unused this long is over.
    pub idle_secs: i64,
    /// Absolute lifetime: a session this old is over, used or not.
    pub max_secs: i64,
}

/// A session just opened: the id for the cookie (shown only now) and its
/// CSRF token.
#[derive(Clone, Debug)]
pub struct OpenedSession {
    /// The session id; only its hash is stored.
    pub id: Token,
    /// The session's CSRF token.
    pub csrf: String,
}

/// A live console session with its officer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleSession {
    /// The officer (active: a deactivated officer has no live session).
    pub officer: Officer,
    /// The session's CSRF token.
    pub csrf: String,
    /// When it was opened, epoch seconds.
    pub created_at: i64,
    /// When it was last used, epoch seconds (this use included).
    pub last_seen: i64,
}

/// An officer's stored credentials, for checking a login.
#[derive(Clone, PartialEq, Eq)]
pub struct OfficerCredentials {
    /// The (active) officer.
    pub officer: Officer,
    /// Tên đăng nhập.
    pub login: String,
    /// The Argon2id hash of the password as a PHC string.
    pub password_hash: String,
}

impl std::fmt::Debug for OfficerCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfficerCredentials")
            .field("officer", &self.officer)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}
