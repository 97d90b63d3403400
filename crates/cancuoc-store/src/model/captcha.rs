//! Captcha challenges (mã xác nhận) of the citizens' dossier status page:
//! what the web layer stores when it shows a challenge, and the verdict when
//! an answer comes back. The store keeps only a salted hash of the answer.

/// Input for [`crate::Store::create_captcha`].
#[derive(Clone, Copy, Debug)]
pub struct NewCaptcha<'a> {
    /// Random, unguessable challenge id (the form's hidden `challenge`
    /// field), 1–64 characters.
    pub id: &'a str,
    /// The expected answer as shown; stored only as a hash of its
    /// case-folded form.
    pub answer: &'a str,
    /// Epoch seconds.
    pub created_at: i64,
    /// Epoch seconds after which the challenge no longer counts.
    pub expires_at: i64,
    /// The characters to speak, when the citizen asked by ear (kept until
    /// the challenge is spent; the sound is made when it is fetched).
    pub spoken: Option<&'a str>,
}

/// The verdict on an answer (kết quả kiểm tra mã xác nhận). Every verdict
/// but [`CaptchaCheck::Unknown`] and [`CaptchaCheck::Used`] spends the
/// challenge: it can be tried once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaptchaCheck {
    /// Right answer, in time (đúng).
    Solved,
    /// Wrong answer (sai).
    Wrong,
    /// Answered after its expiry (hết hạn).
    Expired,
    /// Already answered once (đã dùng).
    Used,
    /// No such challenge, or purged long after its expiry (không tồn tại).
    Unknown,
}

/// What spending a challenge for a form found ([`crate::Store::spend_captcha_for`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormChallenge {
    /// The verdict, as [`crate::Store::spend_captcha`] gives it.
    pub check: CaptchaCheck,
    /// [`CaptchaCheck::Used`] by this same form (the claim it kept is
    /// this one's): the form was sent before, and its effect may be
    /// missing (cut off before it was stored).
    pub resumable: bool,
}

impl CaptchaCheck {
    /// Stable code: `solved`, `wrong`, `expired`, `used`, `unknown`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Solved => "solved",
            Self::Wrong => "wrong",
            Self::Expired => "expired",
            Self::Used => "used",
            Self::Unknown => "unknown",
        }
    }
}

/// How long an expired or spent challenge is kept before it is purged, in
/// seconds: long enough to tell "expired" or "already used" from "unknown".
pub const CAPTCHA_KEEP_AFTER_EXPIRY_SECS: i64 = 3600;

/// The stored form of an answer: hex SHA-256 of `id`, a colon and the
/// answer trimmed and lower-cased (answers compare case-insensitively).
pub(crate) fn answer_hash(id: &str, answer: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(id.as_bytes());
    h.update(b":");
    h.update(answer.trim().to_lowercase().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_hash_case_insensitively_and_per_challenge() {
        assert_eq!(answer_hash("a", " AbC "), answer_hash("a", "abc"));
        assert_ne!(answer_hash("a", "abc"), answer_hash("b", "abc"));
        assert_ne!(answer_hash("a", "abc"), answer_hash("a", "abd"));
        assert_eq!(answer_hash("a", "x").len(), 64);
    }
}
