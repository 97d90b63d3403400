//! Captcha challenges of the public lookups (mã xác nhận): keeping a
//! challenge a front end showed, and spending the answer it got back.
//!
//! The challenge itself (an image, a sound, a question) is made by the
//! front end (`cancuoc-render`); the service stores only a hash of its
//! answer with an expiry [`CAPTCHA_TTL_SECS`] ahead, so that every server
//! process behind one address agrees on it, and an answer spends it once.
//! A challenge asked for by ear keeps the characters to speak until it is
//! spent; the front end synthesises the sound when it is played, so no
//! sound is ever stored. Challenges and plays are counted per client
//! ([`crate::Limits::captchas`], [`crate::Limits::audio`]).

use cancuoc_store::NewCaptcha;

pub use cancuoc_store::CaptchaCheck;

use super::{Service, ServiceError};
use crate::error::Limit;
use crate::guard::Client;

/// How long a challenge may be answered, in seconds (5 minutes).
pub const CAPTCHA_TTL_SECS: i64 = 300;

impl Service {
    /// Keeps a new challenge for `client` whose answer is `answer` (and,
    /// for a spoken challenge, the characters it says), answerable for
    /// [`CAPTCHA_TTL_SECS`]; returns its random, unguessable id (32 hex
    /// digits). Counted against the client's challenges
    /// (`ServiceError::Limited`).
    pub async fn issue_captcha(
        &self,
        answer: &str,
        spoken: Option<&str>,
        client: Client,
    ) -> Result<String, ServiceError> {
        let g = &self.guards;
        g.take(
            &g.captchas,
            Limit::Captchas,
            client,
            self.now().as_millisecond(),
        )?;
        let id = format!("{:032x}", rand::random::<u128>());
        let now = self.now_secs();
        self.store
            .create_captcha(&NewCaptcha {
                id: &id,
                answer,
                created_at: now,
                expires_at: now + CAPTCHA_TTL_SECS,
                spoken,
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

    /// What challenge `id` says when played to `client`, while it can
    /// still be answered: counted against the client's plays (each is
    /// synthesised anew).
    pub async fn captcha_spoken(
        &self,
        id: &str,
        client: Client,
    ) -> Result<Option<String>, ServiceError> {
        let g = &self.guards;
        g.take(&g.audio, Limit::Audio, client, self.now().as_millisecond())?;
        Ok(self.store.captcha_spoken(id, self.now_secs()).await?)
    }
}
