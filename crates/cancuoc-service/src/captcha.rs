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

    /// The challenge of a public form whose effect records it (a
    /// booking's or a confirmation request's `presence`, unique): the
    /// verdict, with a solved challenge left open. The caller stores the
    /// effect, then spends the challenge ([`Service::spent_after`]),
    /// whatever came of it, so that a crash between the two leaves an
    /// effect the same form finds when sent again rather than a spent
    /// challenge with nothing done. A wrong or late answer is spent at
    /// once (the spend's own verdict wins a race); a blank one is
    /// [`CaptchaCheck::Unknown`].
    pub(crate) async fn form_challenge(
        &self,
        id: &str,
        answer: &str,
    ) -> Result<CaptchaCheck, ServiceError> {
        if answer.trim().is_empty() {
            return Ok(CaptchaCheck::Unknown);
        }
        Ok(
            match self
                .store
                .check_captcha(id, answer, self.now_secs())
                .await?
            {
                CaptchaCheck::Wrong | CaptchaCheck::Expired => {
                    self.spend_captcha(id, answer).await?
                }
                other => other,
            },
        )
    }

    /// Spends the solved challenge of a form once its effect is stored or
    /// refused (see [`Service::form_challenge`]). A failure is logged, not
    /// returned: the effect, if any, records the challenge, which then
    /// opens nothing else, and the form sent again finds it.
    pub(crate) async fn spent_after(&self, id: &str, answer: &str) {
        if let Err(e) = self.spend_captcha(id, answer).await {
            tracing::warn!(error = %e, "a solved challenge could not be marked used");
        }
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
