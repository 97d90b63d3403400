//! Officer logins (đăng nhập của cán bộ): login names, passwords hashed with
//! Argon2id, and checking a login. The citizens' accounts hash and check
//! their passwords with the same functions and pool.
//!
//! # Parameters
//!
//! Argon2id v1.3, m = 64 MiB (65,536 KiB), t = 1, p = 1, set in one place
//! ([`ARGON2_PARAMS`], [`argon2`]) for new hashes and the dummy hash. The
//! rule: the strongest candidate whose single hash stays within ~65 ms on
//! one core of the 2-core machine — Keycloak sizes 15 password logins per
//! second per vCPU, ≈ 66 ms each — and never below OWASP's minimum
//! (m = 19 MiB, t = 2, argon2's default and this service's setting
//! before). A stored hash is verified with the algorithm, version and
//! parameters written in its own PHC string, so hashes made with the old
//! setting still verify (a test holds that); they keep the old cost until
//! the password is set again (until then such a login's wrong password is
//! answered faster than an unknown login's, which is checked against the
//! dummy hash of the new setting).
//!
//! Measured with `cargo bench -p cancuoc-service --bench argon2` (criterion,
//! sample size 10, release build, one thread, 2-core machine; the medians
//! of two runs with the machine otherwise nearly idle, run 1 / run 2):
//!
//! | m (KiB) | t | verify (= one login) | hash + verify |
//! |---:|---:|---:|---:|
//! | 19,456 (OWASP minimum, argon2's default) | 2 | 14.0 / 13.7 ms | 27.3 / 28.7 ms |
//! | 12,288 | 3 | 11.4 / 11.4 ms | 23.2 / 22.7 ms |
//! | 47,104 | 1 | 41.3 / 50.7 ms | 87.8 / 88.9 ms |
//! | **65,536** | **1** | **61.3 / 62.0 ms** | **127.8 / 118.8 ms** |
//! | 65,536 | 3 | 126.3 / 129.5 ms | 232.7 / 261.5 ms |
//!
//! A third run, with another build on the other core, moved most rows by
//! under 15 % but 65,536 / 1 to 104 ms a verification.
//!
//! Large memory costs more than its passes suggest (64 MiB × 1 pass is
//! 4.5 times 19 MiB × 2): every hash maps fresh memory and faults it in.
//! 64 MiB × 1 is the chosen one, near the limit: on slower cores,
//! m = 46 MiB, t = 1 (OWASP's first option) is the next step down. Memory:
//! 64 MiB per hash running, [`hasher_permits`] at once.
//!
//! # The hashing pool
//!
//! Hashing is deliberately slow, so it never runs on the async workers: it
//! runs on a pool of [`hasher_permits`] dedicated OS threads (half the
//! cores, at least one), fed through a bounded queue (callers beyond it
//! wait asynchronously, in order) and answering on a oneshot channel. Each
//! pool thread lowers its own CPU priority by 10 (nice; on Linux
//! `setpriority` with pid 0 applies to the calling thread only, so the
//! async workers keep theirs; a failure is logged once and the thread goes
//! on at normal priority). Why: a login storm then only gets the CPU the
//! status lookups and other requests leave over — under contention the
//! scheduler gives a nice-10 thread about a tenth of a nice-0 one's share —
//! so lookups keep their rate while logins queue, and an idle machine still
//! gives the hashes a whole core. An unknown login is checked against a
//! dummy hash, so it costs the same time as a wrong password.

use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use cancuoc_store::{Officer, OfficerId};
use tokio::sync::{mpsc, oneshot};

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

/// How many password hashes may run at once, the threads of the hashing
/// pool: half the cores, at least one.
pub fn hasher_permits() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// The Argon2id cost, `(memory in KiB, passes)`, with one lane: the one
/// place it is set (see the module docs for the measurements).
const ARGON2_PARAMS: (u32, u32) = (65_536, 1);

/// The hasher of new hashes and of the dummy hash: Argon2id v0x13 with
/// [`ARGON2_PARAMS`]. A stored hash is verified with the parameters of its
/// own PHC string, whatever these are.
fn argon2() -> Argon2<'static> {
    let (m, t) = ARGON2_PARAMS;
    // The parameters are constants within argon2's bounds (a test builds
    // them); the fallback is argon2's default, the OWASP minimum.
    let params = Params::new(m, t, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// What an unknown login is checked against, so it takes as long as a
/// wrong password. Its salt is fixed: it protects nothing.
pub(crate) static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    argon2()
        .hash_password_with_salt(b"cancuoc-dummy-password", b"cancuoc-dummy-salt")
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// A hash or a check, answering on its own channel.
type Job = Box<dyn FnOnce() + Send>;

/// Jobs waiting for a hashing thread, per thread, beyond the running ones;
/// more callers wait (asynchronously, in order) to enqueue theirs.
const QUEUED_PER_THREAD: usize = 4;

/// The hashing pool's queue, shared by every service in the process (the
/// CPU it protects is the process's); its threads start on first use.
static HASHERS: LazyLock<mpsc::Sender<Job>> = LazyLock::new(start_hashers);

/// Starts [`hasher_permits`] hashing threads on one bounded queue. Should
/// no thread start, the queue is closed and every hash is an internal
/// error.
fn start_hashers() -> mpsc::Sender<Job> {
    let threads = hasher_permits();
    let (tx, rx) = mpsc::channel::<Job>(threads * QUEUED_PER_THREAD);
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..threads {
        let rx = Arc::clone(&rx);
        let started = std::thread::Builder::new()
            .name(format!("cancuoc-hasher-{i}"))
            .spawn(move || hasher_thread(&rx));
        if let Err(e) = started {
            tracing::error!(error = %e, "password hashing thread not started");
        }
    }
    tx
}

/// One hashing thread: lowers its own CPU priority, then runs jobs until
/// the queue closes. A job that panics loses its answer (its caller gets
/// an internal error), not the thread.
fn hasher_thread(rx: &Mutex<mpsc::Receiver<Job>>) {
    lower_priority();
    loop {
        // One idle thread waits on the queue at a time; the others wait
        // for the lock.
        let job = rx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .blocking_recv();
        match job {
            Some(job) => {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
            None => return,
        }
    }
}

/// How far the hashing threads lower their priority (nice value).
const NICE_STEP: i32 = 10;

/// Lowers the calling thread's CPU priority by [`NICE_STEP`] (up to the
/// lowest, 19). On Linux `setpriority(PRIO_PROCESS, 0, …)` applies to the
/// calling thread only; elsewhere it would apply to the whole process, so
/// it is not done. A failure is logged once and hashing goes on at the
/// normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getpriority_process, setpriority_process};
        static WARNED: std::sync::Once = std::sync::Once::new();
        let lowered = getpriority_process(None)
            .and_then(|now| setpriority_process(None, (now + NICE_STEP).min(19)));
        if let Err(e) = lowered {
            WARNED.call_once(|| {
                tracing::warn!(error = %e, "password hashing threads keep the normal CPU priority");
            });
        }
    }
}

/// Runs `f` (a hash or a check) on the hashing pool, waiting for room in
/// its queue.
async fn on_hasher<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServiceError> {
    let (answer, answered) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = answer.send(f());
    });
    HASHERS
        .send(job)
        .await
        .map_err(|_| ServiceError::Internal("password hashing pool: no thread".into()))?;
    answered
        .await
        .map_err(|_| ServiceError::Internal("password hashing: the job failed".into()))
}

/// The Argon2id hash of `password` with a fresh random salt, as a PHC
/// string (`$argon2id$v=19$m=65536,t=1,p=1$…`: the parameters of the
/// module docs).
pub async fn hash_password(password: &Password) -> Result<String, ServiceError> {
    hash_secret(password.0.clone()).await
}

/// The Argon2id hash of any secret (a citizen's password: its policy is
/// checked by the caller), on the hashing pool.
pub(crate) async fn hash_secret(secret: String) -> Result<String, ServiceError> {
    on_hasher(move || {
        argon2()
            .hash_password(secret.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("password hashing: {e}")))
    })
    .await?
}

/// Whether `password` matches the PHC string `hash` (constant-time
/// comparison inside argon2), with the algorithm, version and parameters
/// written in `hash` — a hash made with older parameters still verifies.
/// A malformed stored hash never matches.
pub(crate) async fn verify_password(password: &str, hash: String) -> Result<bool, ServiceError> {
    let pw = password.to_owned();
    on_hasher(move || {
        argon2()
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
        let (m, t) = ARGON2_PARAMS;
        assert!(
            h.starts_with(&format!("$argon2id$v=19$m={m},t={t},p=1$")),
            "{h}"
        );
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
        assert!(DUMMY_HASH.starts_with(&format!("$argon2id$v=19$m={m},t={t},p=1$")));
    }

    #[test]
    fn the_parameters_are_valid_and_at_least_the_owasp_minimum() {
        let (m, t) = ARGON2_PARAMS;
        let p = Params::new(m, t, 1, None).expect("within argon2's bounds");
        assert_eq!((p.m_cost(), p.t_cost(), p.p_cost()), (m, t, 1));
        // OWASP: m = 19 MiB with t = 2, or m = 12 MiB with t = 3, … — at
        // least as much memory × passes as its minimum.
        assert!(u64::from(m) * u64::from(t) >= 19_456 * 2, "{m} × {t}");
        assert!(m >= 12_288, "{m} KiB");
    }

    #[tokio::test]
    async fn hashes_made_with_older_parameters_still_verify() {
        // argon2's default (m = 19456, t = 2: what this service stored
        // before) and a lighter legacy setting.
        let old = [
            Argon2::default(),
            Argon2::new(
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(8_192, 1, 1, None).expect("params"),
            ),
        ];
        for a in old {
            let h = a
                .hash_password(b"mat-khau-cu-123")
                .expect("hash")
                .to_string();
            assert!(
                verify_password("mat-khau-cu-123", h.clone())
                    .await
                    .expect("verify"),
                "{h}"
            );
            assert!(
                !verify_password("mat-khau-moi-123", h)
                    .await
                    .expect("verify")
            );
        }
        assert!(
            Argon2::default()
                .hash_password(b"x")
                .expect("hash")
                .to_string()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn twenty_concurrent_hashes_all_complete() {
        let tasks: Vec<_> = (0..20)
            .map(|i| tokio::spawn(hash_secret(format!("mat-khau-so-{i}"))))
            .collect();
        let mut hashes = Vec::new();
        for t in tasks {
            hashes.push(t.await.expect("task").expect("hash"));
        }
        assert_eq!(hashes.len(), 20);
        for (i, h) in hashes.into_iter().enumerate() {
            assert!(
                verify_password(&format!("mat-khau-so-{i}"), h)
                    .await
                    .expect("verify")
            );
        }
    }

    #[tokio::test]
    async fn a_panicking_job_costs_its_answer_not_the_pool() {
        let e = on_hasher::<()>(|| panic!("a job that fails"))
            .await
            .expect_err("no answer");
        assert!(matches!(e, ServiceError::Internal(_)), "{e:?}");
        assert_eq!(on_hasher(|| 2 + 2).await.expect("the pool goes on"), 4);
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_hashing_threads_run_at_a_lower_priority() {
        use rustix::process::getpriority_process;
        let here = getpriority_process(None).expect("nice");
        let there = on_hasher(|| getpriority_process(None))
            .await
            .expect("job")
            .expect("nice");
        assert_eq!(there, (here + NICE_STEP).min(19), "the pool's thread");
        assert_eq!(
            getpriority_process(None).expect("nice"),
            here,
            "the caller's thread is untouched"
        );
    }
}
