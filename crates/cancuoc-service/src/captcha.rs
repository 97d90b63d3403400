//! Captcha challenges of the public lookups (mã xác nhận): keeping a
//! challenge a front end showed, and spending the answer it got back.
//!
//! The challenge itself (an image, a sound, a question) is made by the
//! front end (`cancuoc-render`); the service stores only a hash of its
//! answer with an expiry [`CAPTCHA_TTL_SECS`] ahead, so that every server
//! process behind one address agrees on it, and an answer spends it once.

use cancuoc_store::NewCaptcha;

pub use cancuoc_store::CaptchaCheck;

use super::{Service, ServiceError};

/// How long a challenge may be answered, in seconds (5 minutes).
pub const CAPTCHA_TTL_SECS: i64 = 300;

impl Service {
    /// Keeps a new challenge whose answer is `answer` (and, for a spoken
    /// challenge, its `audio`), answerable for [`CAPTCHA_TTL_SECS`];
    /// returns its random, unguessable id (32 hex digits).
    pub async fn issue_captcha(
        &self,
        answer: &str,
        audio: Option<&[u8]>,
    ) -> Result<String, ServiceError> {
        let id = format!("{:032x}", rand::random::<u128>());
        let now = self.now_secs();
        self.store
            .create_captcha(&NewCaptcha {
                id: &id,
                answer,
                created_at: now,
                expires_at: now + CAPTCHA_TTL_SECS,
                audio,
            })
            .await?;
        Ok(id)
    }

    /// Spends challenge `id` with `answer`: the verdict, and the challenge
    /// cannot be answered again whatever it was (but for an unknown or
    /// already used one).
    pub async fn spend_captcha(
        &self,
        id: &str,
        answer: &str,
    ) -> Result<CaptchaCheck, ServiceError> {
        Ok(self
            .store
            .spend_captcha(id, answer, self.now_secs())
            .await?)
    }

    /// The spoken form of challenge `id`, while it can still be answered.
    pub async fn captcha_audio(&self, id: &str) -> Result<Option<Vec<u8>>, ServiceError> {
        Ok(self.store.captcha_audio(id, self.now_secs()).await?)
    }
}
