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
//!
//! A form whose effect records its challenge (a booking, a request to
//! confirm an old CMND number) spends it with a claim, the form's kind and
//! a digest of its fields (`Service::form_challenge`): the same form
//! sent again after being cut off between the spend and its effect may
//! finish, and no other form can use the challenge.

use cancuoc_store::NewCaptcha;

pub use cancuoc_store::{CaptchaCheck, FormChallenge};

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

    /// Spends the challenge of a public form whose effect records it (a
    /// booking's or a confirmation request's `presence`, unique), for
    /// `claim` (the form's kind and a digest of its fields): the verdict,
    /// decided by one atomic spend as for every form (so concurrent
    /// guesses get one verdict between them), and whether this same form
    /// spent it before ([`FormChallenge::resumable`]). A resumable form
    /// looks for its effect by the challenge and, finding none (it was cut
    /// off by a crash or a dropped request between the spend and the
    /// effect), stores it now; no other form can use the challenge. A
    /// blank answer is [`CaptchaCheck::Unknown`] and spends nothing.
    pub(crate) async fn form_challenge(
        &self,
        id: &str,
        answer: &str,
        claim: &str,
    ) -> Result<FormChallenge, ServiceError> {
        if answer.trim().is_empty() {
            return Ok(FormChallenge {
                check: CaptchaCheck::Unknown,
                resumable: false,
            });
        }
        Ok(self
            .store
            .spend_captcha_for(id, answer, self.now_secs(), claim)
            .await?)
    }

    /// The form that claimed challenge `id` was refused with `e`: for
    /// good (a full slot, a cap, a limit) its claim is dropped, so the
    /// same form sent again finds the challenge used, and one solved
    /// challenge buys one attempt; after a fault that may pass (the
    /// database unavailable) it is kept, so sending the form again tries
    /// again. A failure to drop it is logged: the form's next sending then
    /// tries once more, which the limits still count.
    ///
    /// Dropped by a task of its own, which a request dropped by its client
    /// (or cut by the request timeout) cannot cancel half-way.
    pub(crate) async fn refused_for_good(&self, id: &str, claim: &str, e: &ServiceError) {
        use crate::ErrorClass::{Internal, Unavailable};
        if matches!(e.class(), Unavailable | Internal) {
            return;
        }
        let (store, id, claim) = (self.store.clone(), id.to_owned(), claim.to_owned());
        let release = tokio::spawn(async move {
            if let Err(e) = store.release_captcha_claim(&id, &claim).await {
                tracing::warn!(error = %e, "a refused form's challenge claim could not be dropped");
            }
        });
        let _ = release.await;
    }

    /// Whether a form resuming challenge `id` may try its effect now: its
    /// claim is still held (not dropped by a refusal of an earlier
    /// sending).
    pub(crate) async fn claim_held(&self, id: &str, claim: &str) -> Result<bool, ServiceError> {
        Ok(self.store.captcha_claim_held(id, claim).await?)
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

/// The claim a form of `kind` keeps on its challenge `id`: the kind and a
/// SHA-256 digest of the challenge id and `fields` (the id, random, makes
/// the digest useless for guessing the fields across challenges; it is
/// kept beside the challenge for its short life).
pub(crate) fn claim_of(kind: &str, id: &str, fields: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(id.as_bytes());
    h.update([0x1e]);
    for f in fields {
        h.update(f.as_bytes());
        h.update([0x1f]);
    }
    let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{digest}")
}
