//! Temporary lockout after wrong passwords (tạm khóa khi nhập sai mật
//! khẩu), as a pure policy: Keycloak's brute force detection in its
//! temporary mode, "By multiples" strategy (Keycloak Server Administration
//! Guide, "Brute force attacks" → "Lockout temporarily"; its
//! `DefaultBruteForceProtector`).
//!
//! Keycloak's parameters and how they map here:
//!
//! | Keycloak | here | Keycloak default | [`TemporaryLockout::DEFAULT`] |
//! |---|---|---|---|
//! | Max Login Failures | `failure_factor` | 30 | 5 |
//! | Wait Increment | `wait_increment_secs` | 1 minute | 60 s |
//! | Max Wait | `max_wait_secs` | 15 minutes | 900 s |
//! | Failure Reset Time | `failure_reset_secs` | 12 hours | 43 200 s |
//!
//! Keycloak's algorithm, on a failed login: if the time since the last
//! failure exceeds Failure Reset Time, the count restarts; the count goes
//! up by one; `wait = Wait Increment × (count / Max Login Failures)`
//! (integer division, so the wait steps up at every multiple of Max Login
//! Failures: with 5 and 60 s, failures 5–9 wait 60 s, 10–14 wait 120 s);
//! if `wait > 0` the user is disabled for `min(wait, Max Wait)` from this
//! failure. A success clears the count, and a login attempt on a disabled
//! account is refused without counting.
//!
//! Differences: the count restarts when the gap is *at least* the reset
//! time (Keycloak: strictly more); Keycloak's "Quick Login Check
//! Milliseconds" / "Minimum Quick Login Wait" (a short wait after two
//! failures less than a second apart) is left out, rapid scripted guessing
//! being the front end's rate limits' and captcha's job; and the state
//! lives in the caller's store, not here. The caller keeps Keycloak's two other rules:
//! on a successful login it forgets the [`Failures`], and while
//! [`TemporaryLockout::locked_until`] is in the future it refuses the login
//! without checking the password and without calling
//! [`TemporaryLockout::after_failure`].

/// The temporary lockout policy, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemporaryLockout {
    /// Failures before the first wait; the wait grows at each multiple
    /// (Keycloak's Max Login Failures). 0 disables the lockout.
    pub failure_factor: u32,
    /// Seconds of wait per multiple of `failure_factor` (Wait Increment).
    pub wait_increment_secs: i64,
    /// The longest wait, in seconds (Max Wait).
    pub max_wait_secs: i64,
    /// A failure this long after the previous one starts the count again
    /// (Failure Reset Time).
    pub failure_reset_secs: i64,
}

impl TemporaryLockout {
    /// 5 failures → 1 minute, 10 → 2 minutes … up to 15 minutes; the count
    /// forgets after 12 hours without a failure.
    pub const DEFAULT: Self = Self {
        failure_factor: 5,
        wait_increment_secs: 60,
        max_wait_secs: 900,
        failure_reset_secs: 12 * 60 * 60,
    };

    /// The failures after one more at `now`: the count goes up by one, or
    /// restarts at 1 when the previous failure is `failure_reset_secs` or
    /// more ago.
    pub fn after_failure(&self, prev: Option<Failures>, now: i64) -> Failures {
        let count = match prev {
            Some(p) if now.saturating_sub(p.last_at) < self.failure_reset_secs => {
                p.count.saturating_add(1)
            }
            _ => 1,
        };
        Failures {
            count,
            last_at: now,
        }
    }

    /// The wait these failures earn, in seconds: `wait_increment_secs ×
    /// (count / failure_factor)`, at most `max_wait_secs`; 0 below
    /// `failure_factor`.
    pub fn wait_secs(&self, f: &Failures) -> i64 {
        let steps = f.count.checked_div(self.failure_factor).unwrap_or(0);
        self.wait_increment_secs
            .saturating_mul(i64::from(steps))
            .min(self.max_wait_secs)
    }

    /// Until when (Unix seconds, exclusive) the account is locked after
    /// these failures: `last_at + wait` once `count` reaches
    /// `failure_factor`, otherwise `None`.
    pub fn locked_until(&self, f: &Failures) -> Option<i64> {
        let wait = self.wait_secs(f);
        (wait > 0).then(|| f.last_at.saturating_add(wait))
    }

    /// Whether the account is locked at `now`.
    pub fn is_locked(&self, f: &Failures, now: i64) -> bool {
        self.locked_until(f).is_some_and(|until| now < until)
    }
}

impl Default for TemporaryLockout {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Consecutive failed logins of one account, as the store keeps them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    /// Failures counted (since the last success or reset).
    pub count: u32,
    /// When the last one happened (Unix seconds).
    pub last_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const POLICY: TemporaryLockout = TemporaryLockout::DEFAULT;

    #[test]
    fn the_wait_steps_up_at_each_multiple_and_stops_at_the_cap() {
        // (count, wait) — Keycloak's "By multiples" table with 5 and 60 s.
        let table = [
            (1, 0),
            (4, 0),
            (5, 60),
            (9, 60),
            (10, 120),
            (14, 120),
            (15, 180),
            (70, 840),
            (75, 900),
            (80, 900),
            (u32::MAX, 900),
        ];
        for (count, wait) in table {
            let f = Failures {
                count,
                last_at: 1_000,
            };
            assert_eq!(POLICY.wait_secs(&f), wait, "count {count}");
            let until = (wait > 0).then_some(1_000 + wait);
            assert_eq!(POLICY.locked_until(&f), until, "count {count}");
        }
    }

    #[test]
    fn five_quick_failures_lock_for_a_minute() {
        let mut f = None;
        for t in 0..5 {
            let next = POLICY.after_failure(f, t * 10);
            if t < 4 {
                assert_eq!(POLICY.locked_until(&next), None, "failure {}", t + 1);
            }
            f = Some(next);
        }
        let f = f.expect("five failures");
        assert_eq!(
            f,
            Failures {
                count: 5,
                last_at: 40
            }
        );
        assert_eq!(POLICY.locked_until(&f), Some(100));
        assert!(POLICY.is_locked(&f, 99));
        assert!(!POLICY.is_locked(&f, 100));
    }

    #[test]
    fn the_count_restarts_after_the_reset_time() {
        let f = Failures {
            count: 9,
            last_at: 0,
        };
        assert_eq!(
            POLICY.after_failure(Some(f), 43_199),
            Failures {
                count: 10,
                last_at: 43_199
            }
        );
        assert_eq!(
            POLICY.after_failure(Some(f), 43_200),
            Failures {
                count: 1,
                last_at: 43_200
            }
        );
        assert_eq!(
            POLICY.after_failure(None, 7),
            Failures {
                count: 1,
                last_at: 7
            }
        );
    }

    #[test]
    fn a_zero_factor_never_locks() {
        let off = TemporaryLockout {
            failure_factor: 0,
            ..POLICY
        };
        let f = Failures {
            count: 1_000,
            last_at: 0,
        };
        assert_eq!(off.locked_until(&f), None);
        assert!(!off.is_locked(&f, 0));
    }

    proptest! {
        #[test]
        fn the_wait_never_shrinks_and_never_passes_the_cap(count in 0u32..10_000, last_at in -1_000_000i64..1_000_000) {
            let f = Failures { count, last_at };
            let g = Failures { count: count + 1, last_at };
            prop_assert!(POLICY.wait_secs(&f) <= POLICY.wait_secs(&g));
            prop_assert!((0..=POLICY.max_wait_secs).contains(&POLICY.wait_secs(&f)));
            prop_assert_eq!(POLICY.locked_until(&f).is_some(), count >= POLICY.failure_factor);
        }

        #[test]
        fn failures_count_up_within_the_reset_time(gaps in proptest::collection::vec(0i64..43_200, 1..40)) {
            let mut f = POLICY.after_failure(None, 0);
            let mut now = 0;
            for (i, gap) in gaps.iter().enumerate() {
                now += gap;
                f = POLICY.after_failure(Some(f), now);
                prop_assert_eq!(f.count as usize, i + 2);
                prop_assert_eq!(f.last_at, now);
            }
        }
    }
}
