//! SMS one-time codes (mã OTP): six random digits, valid 2 minutes, a few
//! tries, and limits on how often one may be sent. The national
//! public-service portal's text says "ma co hieu luc trong vong 2 phut"
//! (seed 002; /work/shared/research/channels.md §4); the knobs are those
//! of MOSIP's OTP manager and ID Authentication, the reference open
//! identity platform: `mosip.kernel.otp.default-length`,
//! `mosip.kernel.otp.expiry-time`,
//! `mosip.kernel.otp.validation-attempt-threshold` and
//! `otp.request.flooding.duration` / `otp.request.flooding.max-count`.
//!
//! Pure: the random draws, the clock (Unix seconds) and the counters the
//! store keeps all come in as arguments; [`OtpRules`] only decides.

use std::fmt;

use crate::i18n::Localized;

/// The rules of SMS one-time codes, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OtpRules {
    /// How long a code is valid, in seconds: valid while
    /// `now - created_at < ttl_secs`.
    pub ttl_secs: i64,
    /// Wrong entries allowed on one code; after them the code is dead.
    pub max_wrong: u32,
    /// Least time between two sends to one account, in seconds.
    pub resend_cooldown_secs: i64,
    /// Most sends to one account in any hour.
    pub sends_per_hour: u32,
}

impl OtpRules {
    /// The portal's 2-minute code (seed 002: "ma co hieu luc trong vong 2
    /// phut"), 5 wrong entries per code, a new code at most every 60 s and
    /// 5 an hour.
    pub const SEED: Self = Self {
        ttl_secs: 120,
        max_wrong: 5,
        resend_cooldown_secs: 60,
        sends_per_hour: 5,
    };

    /// Judges one entry of a code at `now`: `matches` says whether the
    /// typed code equals the one sent (compare with [`OtpCode::matches`] or
    /// [`ct_eq`]). In order: a used code is [`OtpVerdict::Used`]; after
    /// [`Self::max_wrong`] wrong entries every entry, right or wrong, is
    /// [`OtpVerdict::Exhausted`]; from `created_at + ttl_secs` on
    /// [`OtpVerdict::Expired`]; then [`OtpVerdict::Accept`] or
    /// [`OtpVerdict::Wrong`] with the tries left after this one.
    ///
    /// The caller records the verdict ([`ChallengeState::record`]). A
    /// clock behind `created_at` does not expire the code.
    pub fn judge(&self, state: &ChallengeState, now: i64, matches: bool) -> OtpVerdict {
        if state.used {
            OtpVerdict::Used
        } else if state.wrong >= self.max_wrong {
            OtpVerdict::Exhausted
        } else if now.saturating_sub(state.created_at) >= self.ttl_secs {
            OtpVerdict::Expired
        } else if matches {
            OtpVerdict::Accept
        } else {
            OtpVerdict::Wrong {
                remaining: self.max_wrong - state.wrong - 1,
            }
        }
    }

    /// Whether a new code may be sent at `now`, given when the last one was
    /// sent and how many were sent in the hour before `now` (the store
    /// counts). The hourly quota is checked first: waiting out the
    /// cooldown would not help.
    pub fn may_send(
        &self,
        last_sent_at: Option<i64>,
        sent_last_hour: u32,
        now: i64,
    ) -> Result<(), SendRefusal> {
        if sent_last_hour >= self.sends_per_hour {
            return Err(SendRefusal::HourlyQuota);
        }
        if let Some(last) = last_sent_at {
            let since = now.saturating_sub(last);
            if since < self.resend_cooldown_secs {
                return Err(SendRefusal::Cooldown {
                    wait_secs: self.resend_cooldown_secs - since.max(0),
                });
            }
        }
        Ok(())
    }
}

impl Default for OtpRules {
    fn default() -> Self {
        Self::SEED
    }
}

/// A six-digit one-time code. Its `Debug` hides the digits, so a code
/// never reaches a log by accident; [`OtpCode::as_str`] is the one way to
/// read it (to put it in the SMS).
#[derive(Clone, Copy, Eq)]
pub struct OtpCode([u8; 6]);

impl OtpCode {
    /// Draws below this are used: it is the largest multiple of 1 000 000
    /// not above 2³², so `draw % 1_000_000` of an accepted draw is uniform.
    const ACCEPT_BELOW: u32 = 4_294_000_000;

    /// A uniformly random code `000000`–`999999`, from a source of uniform
    /// `u32` draws (the caller's CSPRNG). Draws at or above 4 294 000 000
    /// are rejected and drawn again (rejection sampling: a plain `% 10⁶`
    /// of every draw would favour the codes below 967 296); that happens
    /// to fewer than 1 draw in 4 000.
    pub fn from_random(mut next_u32: impl FnMut() -> u32) -> Self {
        let n = loop {
            let draw = next_u32();
            if draw < Self::ACCEPT_BELOW {
                break draw % 1_000_000;
            }
        };
        let mut digits = [b'0'; 6];
        let mut rest = n;
        for d in digits.iter_mut().rev() {
            // `rest % 10` is below 10: the cast cannot truncate.
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        Self(digits)
    }

    /// Reads a code as typed: exactly six ASCII digits, spaces and hyphens
    /// between them ignored (`173 825`, `173-825`).
    pub fn parse(typed: &str) -> Option<Self> {
        let mut digits = [0u8; 6];
        let mut n = 0;
        for c in typed.trim().chars() {
            match c {
                '0'..='9' => {
                    *digits.get_mut(n)? = c as u8;
                    n += 1;
                }
                ' ' | '-' | '\u{a0}' => {}
                _ => return None,
            }
        }
        (n == 6).then_some(Self(digits))
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Whether a typed code equals this one, in constant time ([`ct_eq`]).
    pub fn matches(&self, typed: &OtpCode) -> bool {
        ct_eq(&self.0, &typed.0)
    }
}

impl PartialEq for OtpCode {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other)
    }
}

impl fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OtpCode(******)")
    }
}

/// Constant-time equality of two byte strings: the time taken depends on
/// the lengths only, never on where the first difference is, so a guesser
/// cannot learn a code digit by digit from response times.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        // Only the length leaks; codes and hashes have public lengths.
        return false;
    }
    // OR together the XOR of every pair of bytes, without an early exit:
    // the result is 0 only if every pair was equal. `black_box` keeps the
    // optimiser from turning the fold back into a short-circuiting compare.
    let diff = a
        .iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| acc | std::hint::black_box(x ^ y));
    std::hint::black_box(diff) == 0
}

/// The state of one sent code, as the store keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChallengeState {
    /// When the code was sent (Unix seconds).
    pub created_at: i64,
    /// Wrong entries so far.
    pub wrong: u32,
    /// Whether the code was accepted once already.
    pub used: bool,
}

impl ChallengeState {
    /// A code just sent at `created_at`.
    pub const fn new(created_at: i64) -> Self {
        Self {
            created_at,
            wrong: 0,
            used: false,
        }
    }

    /// Records a verdict: [`OtpVerdict::Accept`] uses the code up,
    /// [`OtpVerdict::Wrong`] counts one wrong entry, the others change
    /// nothing.
    pub fn record(&mut self, verdict: OtpVerdict) {
        match verdict {
            OtpVerdict::Accept => self.used = true,
            OtpVerdict::Wrong { .. } => self.wrong = self.wrong.saturating_add(1),
            OtpVerdict::Expired | OtpVerdict::Exhausted | OtpVerdict::Used => {}
        }
    }
}

/// The verdict on one entry of a code ([`OtpRules::judge`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtpVerdict {
    /// The right code, in time: proceed.
    Accept,
    /// A wrong code; `remaining` more entries are allowed.
    Wrong {
        /// Tries left after this one (0: the next entry is refused).
        remaining: u32,
    },
    /// The code's time is over: ask for a new one.
    Expired,
    /// Too many wrong entries: ask for a new code.
    Exhausted,
    /// The code was already accepted once.
    Used,
}

impl OtpVerdict {
    /// Whether the entry was accepted.
    pub const fn is_accept(self) -> bool {
        matches!(self, OtpVerdict::Accept)
    }
}

impl Localized for OtpVerdict {
    fn code(&self) -> &'static str {
        match self {
            OtpVerdict::Accept => "otp.accepted",
            OtpVerdict::Wrong { .. } => "otp.wrong",
            OtpVerdict::Expired => "otp.expired",
            OtpVerdict::Exhausted => "otp.exhausted",
            OtpVerdict::Used => "otp.used",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            OtpVerdict::Accept => "Mã OTP chính xác.".to_owned(),
            OtpVerdict::Wrong { remaining: 0 } => {
                "Mã OTP không đúng và bạn đã hết lượt nhập: hãy yêu cầu gửi mã mới.".to_owned()
            }
            OtpVerdict::Wrong { remaining } => {
                format!("Mã OTP không đúng. Bạn còn {remaining} lần nhập.")
            }
            OtpVerdict::Expired => "Mã OTP đã hết hiệu lực: hãy yêu cầu gửi mã mới.".to_owned(),
            OtpVerdict::Exhausted => {
                "Bạn đã nhập sai mã OTP quá số lần cho phép: hãy yêu cầu gửi mã mới.".to_owned()
            }
            OtpVerdict::Used => "Mã OTP này đã được sử dụng: hãy yêu cầu gửi mã mới.".to_owned(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            OtpVerdict::Accept => "The code is correct.".to_owned(),
            OtpVerdict::Wrong { remaining: 0 } => {
                "The code is wrong and no tries are left: ask for a new code.".to_owned()
            }
            OtpVerdict::Wrong { remaining: 1 } => "The code is wrong. 1 try left.".to_owned(),
            OtpVerdict::Wrong { remaining } => {
                format!("The code is wrong. {remaining} tries left.")
            }
            OtpVerdict::Expired => "The code has expired: ask for a new code.".to_owned(),
            OtpVerdict::Exhausted => {
                "Too many wrong codes were entered: ask for a new code.".to_owned()
            }
            OtpVerdict::Used => "This code was already used: ask for a new code.".to_owned(),
        }
    }
}

/// Why no code may be sent now ([`OtpRules::may_send`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendRefusal {
    /// The last code went out less than the cooldown ago.
    #[error("wait {wait_secs} s before asking for a new code")]
    Cooldown {
        /// Seconds until a new code may be sent.
        wait_secs: i64,
    },
    /// The hour's quota of codes is used up.
    #[error("too many codes were sent in the last hour")]
    HourlyQuota,
}

impl Localized for SendRefusal {
    fn code(&self) -> &'static str {
        match self {
            SendRefusal::Cooldown { .. } => "otp.cooldown",
            SendRefusal::HourlyQuota => "otp.quota",
        }
    }

    fn message_vi(&self) -> String {
        match self {
            SendRefusal::Cooldown { wait_secs } => {
                format!("Vui lòng đợi {wait_secs} giây trước khi yêu cầu gửi lại mã OTP.")
            }
            SendRefusal::HourlyQuota => {
                "Bạn đã yêu cầu gửi mã OTP quá nhiều lần trong một giờ: hãy thử lại sau.".to_owned()
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            SendRefusal::Cooldown { wait_secs } => {
                format!("Please wait {wait_secs} seconds before asking for a new code.")
            }
            SendRefusal::HourlyQuota => {
                "Too many codes were requested in the last hour: try again later.".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const RULES: OtpRules = OtpRules::SEED;

    /// Marsaglia's xorshift32: a tiny seeded generator for the tests.
    fn xorshift(seed: u32) -> impl FnMut() -> u32 {
        let mut x = seed;
        move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        }
    }

    #[test]
    fn valid_until_exactly_the_ttl() {
        let state = ChallengeState::new(1_000);
        assert_eq!(RULES.judge(&state, 1_000, true), OtpVerdict::Accept);
        assert_eq!(RULES.judge(&state, 1_119, true), OtpVerdict::Accept);
        assert_eq!(RULES.judge(&state, 1_120, true), OtpVerdict::Expired);
        assert_eq!(RULES.judge(&state, 1_120, false), OtpVerdict::Expired);
        assert_eq!(
            RULES.judge(&state, 999, true),
            OtpVerdict::Accept,
            "clock behind"
        );
    }

    #[test]
    fn five_wrong_entries_then_exhausted() {
        let mut state = ChallengeState::new(0);
        for remaining in [4, 3, 2, 1, 0] {
            let verdict = RULES.judge(&state, 10, false);
            assert_eq!(verdict, OtpVerdict::Wrong { remaining });
            state.record(verdict);
        }
        assert_eq!(state.wrong, 5);
        assert_eq!(RULES.judge(&state, 11, true), OtpVerdict::Exhausted);
        assert_eq!(RULES.judge(&state, 11, false), OtpVerdict::Exhausted);
    }

    #[test]
    fn a_code_is_accepted_once() {
        let mut state = ChallengeState::new(0);
        let first = RULES.judge(&state, 5, false);
        state.record(first);
        let verdict = RULES.judge(&state, 6, true);
        assert_eq!(verdict, OtpVerdict::Accept);
        state.record(verdict);
        assert!(state.used);
        assert_eq!(RULES.judge(&state, 7, true), OtpVerdict::Used);
        state.record(OtpVerdict::Used);
        assert_eq!(
            state,
            ChallengeState {
                created_at: 0,
                wrong: 1,
                used: true
            }
        );
    }

    #[test]
    fn cooldown_and_hourly_quota() {
        assert_eq!(RULES.may_send(None, 0, 0), Ok(()));
        assert_eq!(
            RULES.may_send(Some(1_000), 1, 1_059),
            Err(SendRefusal::Cooldown { wait_secs: 1 })
        );
        assert_eq!(
            RULES.may_send(Some(1_000), 1, 1_000),
            Err(SendRefusal::Cooldown { wait_secs: 60 })
        );
        assert_eq!(RULES.may_send(Some(1_000), 1, 1_060), Ok(()));
        // The 5th send of the hour is allowed, the 6th refused.
        assert_eq!(RULES.may_send(Some(0), 4, 3_000), Ok(()));
        assert_eq!(
            RULES.may_send(Some(0), 5, 3_000),
            Err(SendRefusal::HourlyQuota)
        );
        assert_eq!(
            RULES.may_send(Some(2_990), 5, 3_000),
            Err(SendRefusal::HourlyQuota),
            "the quota first: waiting would not help"
        );
        assert_eq!(
            RULES.may_send(Some(2_000), 1, 1_990),
            Err(SendRefusal::Cooldown { wait_secs: 60 }),
            "a last send in the future waits the whole cooldown"
        );
    }

    #[test]
    fn refusals_are_localized() {
        let cases: [(&dyn Localized, &str); 7] = [
            (&OtpVerdict::Wrong { remaining: 3 }, "otp.wrong"),
            (&OtpVerdict::Expired, "otp.expired"),
            (&OtpVerdict::Exhausted, "otp.exhausted"),
            (&OtpVerdict::Used, "otp.used"),
            (&OtpVerdict::Accept, "otp.accepted"),
            (&SendRefusal::Cooldown { wait_secs: 1 }, "otp.cooldown"),
            (&SendRefusal::HourlyQuota, "otp.quota"),
        ];
        for (msg, code) in cases {
            assert_eq!(msg.code(), code);
            assert!(!msg.message_vi().is_empty() && !msg.message_en().is_empty());
        }
        assert_eq!(
            OtpVerdict::Wrong { remaining: 3 }.message_vi(),
            "Mã OTP không đúng. Bạn còn 3 lần nhập."
        );
        assert!(
            SendRefusal::Cooldown { wait_secs: 42 }
                .message_vi()
                .contains("42 giây")
        );
    }

    #[test]
    fn rejection_sampling_skips_the_biased_top() {
        let mut draws = [u32::MAX, 5].into_iter();
        let code = OtpCode::from_random(|| draws.next().unwrap_or(0));
        assert_eq!(code.as_str(), "000005");
        let mut draws = [4_294_000_000, 4_293_999_999].into_iter();
        let code = OtpCode::from_random(|| draws.next().unwrap_or(0));
        assert_eq!(code.as_str(), "999999");
        assert_eq!(OtpCode::from_random(|| 173_825).as_str(), "173825");
    }

    #[test]
    fn every_position_has_uniform_digits() {
        let mut next = xorshift(0x9E37_79B9);
        let n = 100_000;
        let mut counts = [[0u32; 10]; 6];
        for _ in 0..n {
            let code = OtpCode::from_random(&mut next);
            for (pos, d) in code.as_str().bytes().enumerate() {
                counts[pos][usize::from(d - b'0')] += 1;
            }
        }
        for (pos, row) in counts.iter().enumerate() {
            for (digit, &c) in row.iter().enumerate() {
                let share = f64::from(c) / f64::from(n);
                assert!(
                    (0.08..=0.12).contains(&share),
                    "position {pos}, digit {digit}: {share}"
                );
            }
        }
    }

    #[test]
    fn parse_typed_codes() {
        for (typed, want) in [
            ("173825", Some("173825")),
            (" 173 825 ", Some("173825")),
            ("173-825", Some("173825")),
            ("000000", Some("000000")),
            ("17382", None),
            ("1738255", None),
            ("17382a", None),
            ("173.825", None),
            ("", None),
            ("１７３８２５", None),
        ] {
            assert_eq!(
                OtpCode::parse(typed)
                    .map(|c| c.as_str().to_owned())
                    .as_deref(),
                want,
                "{typed:?}"
            );
        }
    }

    #[test]
    fn debug_hides_the_digits() {
        let code = OtpCode::from_random(|| 173_825);
        assert_eq!(format!("{code:?}"), "OtpCode(******)");
        assert!(code.matches(&OtpCode::parse("173 825").expect("typed")));
        assert_ne!(Some(code), OtpCode::parse("173826"));
    }

    proptest! {
        #[test]
        fn ct_eq_is_equality(a in proptest::collection::vec(any::<u8>(), 0..40),
                             b in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(ct_eq(&a, &b), a == b);
            prop_assert!(ct_eq(&a, &a));
        }

        #[test]
        fn a_code_is_six_digits_and_parses_back(seed in 1u32.., skip in 0usize..8) {
            let mut next = xorshift(seed);
            for _ in 0..skip {
                next();
            }
            let code = OtpCode::from_random(next);
            prop_assert_eq!(code.as_str().len(), 6);
            prop_assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(OtpCode::parse(code.as_str()), Some(code));
        }

        #[test]
        fn remaining_counts_down_to_zero(wrong in 0u32..5, now in 0i64..120) {
            let state = ChallengeState { created_at: 0, wrong, used: false };
            prop_assert_eq!(RULES.judge(&state, now, false), OtpVerdict::Wrong { remaining: 4 - wrong });
            prop_assert_eq!(RULES.judge(&state, now, true), OtpVerdict::Accept);
        }
    }
}
