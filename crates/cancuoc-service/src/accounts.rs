//! Officer logins (đăng nhập của cán bộ): login names, passwords hashed with
//! Argon2id (m = 19 MiB, t = 2, p = 1, the OWASP minimum, which is also
//! argon2's default), and checking a login.
//!
//! Hashing is deliberately slow (tens of milliseconds of CPU), so it never
//! runs on the async workers: each hash or check runs on a blocking thread
//! and at most [`hasher_permits`] run at once, so a burst of logins cannot
//! starve the other requests of CPU. An unknown login is checked against a
//! dummy hash, so it costs the same time as a wrong password.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use cancuoc_store::{Officer, OfficerId};
use tokio::sync::Semaphore;

use super::{Service, ServiceError};

/// A login name (tên đăng nhập): 3–32 characters, lower-case ASCII letters,
/// digits, `.`, `_` and `-`, starting with a letter or digit. Typed in any
/// case; kept in lower case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login(String);

impl Login {
    /// Parses a login name as typed (trimmed, case-folded).
    pub fn parse(s: &str) -> Result<Self, ServiceError> {
        let s = s.trim().to_ascii_lowercase();
        let bad = |vi: &str, en: &str| Err(ServiceError::invalid("login", vi, en));
        if s.len() < 3 || s.len() > 32 {
            return bad(
                "tên đăng nhập phải dài từ 3 đến 32 ký tự",
                "the login name must be 3 to 32 characters long",
            );
        }
        if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return bad(
                "tên đăng nhập phải bắt đầu bằng chữ cái hoặc chữ số",
                "the login name must start with a letter or a digit",
            );
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(ServiceError::invalid(
                "login",
                format!(
                    "ký tự {c:?} không được dùng; chỉ chữ cái không dấu, chữ số, '.', '_', '-'"
                ),
                format!(
                    "character {c:?} is not allowed; only ASCII letters, digits, '.', '_', '-'"
                ),
            ));
        }
        Ok(Self(s))
    }

    /// The login name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password (mật khẩu): 10 to 128 characters. `Debug` does not print
/// it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Shortest accepted officer password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 128;

impl Password {
    /// Checks a chosen password's length.
    pub fn parse(s: &str) -> Result<Self, ServiceError> {
        let n = s.chars().count();
        if n < MIN_PASSWORD_CHARS {
            return Err(ServiceError::invalid(
                "password",
                format!("mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự"),
                format!("the password must have at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if n > MAX_PASSWORD_CHARS {
            return Err(ServiceError::invalid(
                "password",
                format!("mật khẩu dài quá {MAX_PASSWORD_CHARS} ký tự"),
                format!("the password is longer than {MAX_PASSWORD_CHARS} characters"),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// A random password of 16 characters from an alphabet without
    /// look-alikes (no 0/O, 1/l/I), about 90 bits, to hand to the officer.
    pub fn generate() -> Self {
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let s = (0..16)
            .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
            .collect();
        Self(s)
    }

    /// The password text, to show once to whoever chose or received it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// How many password hashes may run at once: half the cores, at least one.
pub fn hasher_permits() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// The bounded pool of hashing slots, shared by every service in the
/// process (the CPU it protects is the process's).
static HASHERS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(hasher_permits()));

/// What an unknown login is checked against, so it takes as long as a
/// wrong password. Its salt is fixed: it protects nothing.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password_with_salt(b"cancuoc-dummy-password", b"cancuoc-dummy-salt")
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Runs `f` (a hash or a check) on a blocking thread once a hashing slot
/// is free.
async fn on_hasher<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServiceError> {
    let _permit = HASHERS
        .acquire()
        .await
        .map_err(|e| ServiceError::Internal(format!("password hashing pool: {e}")))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServiceError::Internal(format!("password hashing: {e}")))
}

/// The Argon2id hash of `password` with a fresh random salt, as a PHC
/// string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash_password(password: &Password) -> Result<String, ServiceError> {
    let pw = password.0.clone();
    on_hasher(move || {
        Argon2::default()
            .hash_password(pw.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("password hashing: {e}")))
    })
    .await?
}

/// Whether `password` matches the PHC string `hash` (constant-time
/// comparison inside argon2). A malformed stored hash never matches.
async fn verify_password(password: &str, hash: String) -> Result<bool, ServiceError> {
    let pw = password.to_owned();
    on_hasher(move || {
        Argon2::default()
            .verify_password(pw.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
}

impl Service {
    /// Gives an officer a login name and password (the password is hashed
    /// here; only the hash is stored) and ends their console sessions.
    /// A login name another officer has is a duplicate conflict.
    pub async fn set_officer_login(
        &self,
        officer: OfficerId,
        login: &Login,
        password: &Password,
        actor: Option<OfficerId>,
    ) -> Result<(), ServiceError> {
        let hash = hash_password(password).await?;
        self.store
            .set_officer_login(officer, login.as_str(), &hash, actor, self.now_secs())
            .await?;
        tracing::info!(officer = officer.0, "officer login set");
        Ok(())
    }

    /// The active officer with this login and password, or `None` when the
    /// login is unknown, the officer deactivated or the password wrong (the
    /// three take the same time and look the same to the caller).
    pub async fn check_login(
        &self,
        login: &str,
        password: &str,
    ) -> Result<Option<Officer>, ServiceError> {
        let login = login.trim().to_ascii_lowercase();
        let creds = if login.is_empty() {
            None
        } else {
            self.store.officer_credentials(&login).await?
        };
        let hash = creds
            .as_ref()
            .map_or_else(|| DUMMY_HASH.clone(), |c| c.password_hash.clone());
        let ok = verify_password(password, hash).await?;
        Ok(match creds {
            Some(c) if ok => Some(c.officer),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_case_folded_and_checked() {
        assert_eq!(
            Login::parse(" Le.Tiep-Nhan_2 ").expect("ok").as_str(),
            "le.tiep-nhan_2"
        );
        for bad in ["ab", ".abc", "lê.tiếp", "a b c", &"x".repeat(33)] {
            assert!(
                matches!(
                    Login::parse(bad),
                    Err(ServiceError::Invalid { field: "login", .. })
                ),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn passwords_have_a_length_and_hide_in_debug() {
        for bad in ["short".to_owned(), "p".repeat(129)] {
            assert!(
                matches!(
                    Password::parse(&bad),
                    Err(ServiceError::Invalid {
                        field: "password",
                        ..
                    })
                ),
                "{} characters accepted",
                bad.len()
            );
        }
        let p = Password::parse("mật khẩu dài đủ").expect("ok");
        assert_eq!(format!("{p:?}"), "Password(<redacted>)");
        let g = Password::generate();
        assert_eq!(g.expose().chars().count(), 16);
        assert_ne!(g, Password::generate());
        assert!(Password::parse(g.expose()).is_ok());
    }

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_do_not() {
        let p = Password::parse("đúng-mật-khẩu-123").expect("ok");
        let h = hash_password(&p).await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            verify_password("đúng-mật-khẩu-123", h.clone())
                .await
                .expect("verify")
        );
        assert!(
            !verify_password("sai-mật-khẩu-123", h)
                .await
                .expect("verify")
        );
        assert!(
            !verify_password("x", "not a hash".into())
                .await
                .expect("verify")
        );
        assert!(DUMMY_HASH.starts_with("$argon2id$"));
    }
}
