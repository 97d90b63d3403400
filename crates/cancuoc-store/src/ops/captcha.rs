//! Captcha challenges (mã xác nhận): create one per form shown, spend it
//! once (for a form whose effect records it, with the form's claim, so
//! that form alone may finish after being cut off), read the characters its spoken alternative says (the sound is
//! synthesised by the front end when it is fetched, never stored). Kept in the database so every server
//! process behind one address agrees; purged an hour after expiry. On an
//! SQLite file they live in its side database (`db::side_file`), so that
//! portal traffic does not invalidate the status answer cache.

use crate::Store;
use crate::db::with_pool;
use crate::error::StoreError;
use crate::model::captcha::{
    CAPTCHA_KEEP_AFTER_EXPIRY_SECS, CaptchaCheck, FormChallenge, NewCaptcha, answer_hash,
};

impl Store {
    /// Stores a new challenge and purges those expired for more than an
    /// hour. A taken id is a conflict; an empty or over-long id or an empty
    /// answer is invalid.
    pub async fn create_captcha(&self, new: &NewCaptcha<'_>) -> Result<(), StoreError> {
        if new.id.is_empty() || new.id.len() > 64 {
            return Err(StoreError::field("captcha.id", "must be 1–64 characters"));
        }
        if new.answer.trim().is_empty() {
            return Err(StoreError::field("captcha.answer", "must not be blank"));
        }
        if new.expires_at <= new.created_at {
            return Err(StoreError::field(
                "captcha.expires_at",
                "must be after created_at",
            ));
        }
        let hash = answer_hash(new.id, new.answer);
        let purge_before = new.created_at - CAPTCHA_KEEP_AFTER_EXPIRY_SECS;
        with_pool!(self.captcha_db(), |pool| {
            let mut tx = pool.begin_with(BEGIN_WRITE).await?;
            sqlx::query("DELETE FROM captcha_challenges WHERE expires_at <= $1")
                .bind(purge_before)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO captcha_challenges (id, answer_hash, created_at, expires_at, spoken) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new.id)
            .bind(&hash)
            .bind(new.created_at)
            .bind(new.expires_at)
            .bind(new.spoken)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Spends challenge `id` with `answer` at `now` (epoch seconds) and
    /// says how it went. The first attempt on a challenge marks it used,
    /// whatever its verdict (one `UPDATE … WHERE used_at IS NULL RETURNING`,
    /// so two concurrent attempts cannot both pass); later attempts get
    /// [`CaptchaCheck::Used`].
    pub async fn spend_captcha(
        &self,
        id: &str,
        answer: &str,
        now: i64,
    ) -> Result<CaptchaCheck, StoreError> {
        Ok(self.spend(id, answer, now, None).await?.check)
    }

    /// Spends challenge `id` as [`Store::spend_captcha`] does, for a form
    /// whose effect records the challenge (a booking's or a confirmation
    /// request's `presence`, unique): a right answer also keeps `claim`
    /// (the form's kind and a digest of its fields), in the same single
    /// `UPDATE`. When the challenge was already spent with this very claim,
    /// [`FormChallenge::resumable`] says so: the same form was sent before
    /// and may have been cut off (a crash, a dropped request) before its
    /// effect was stored; its caller looks for the effect by the challenge
    /// and, finding none, may store it now (the unique presence keeps it
    /// to one). Any other form finds the challenge used.
    pub async fn spend_captcha_for(
        &self,
        id: &str,
        answer: &str,
        now: i64,
        claim: &str,
    ) -> Result<FormChallenge, StoreError> {
        self.spend(id, answer, now, Some(claim)).await
    }

    /// Clears the claim `claim` on challenge `id` (spent): its form was
    /// refused for good (a full slot, a limit), so sending it again must
    /// not try once more with the same solved challenge.
    pub async fn release_captcha_claim(&self, id: &str, claim: &str) -> Result<(), StoreError> {
        with_pool!(self.captcha_db(), |pool| {
            sqlx::query("UPDATE captcha_challenges SET claim = NULL WHERE id = $1 AND claim = $2")
                .bind(id)
                .bind(claim)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Whether challenge `id` still holds `claim` (a form sent again may
    /// resume only while its claim was not dropped by a refusal).
    pub async fn captcha_claim_held(&self, id: &str, claim: &str) -> Result<bool, StoreError> {
        let held: bool = with_pool!(self.captcha_db(), |pool| {
            sqlx::query_scalar::<DB, bool>(
                "SELECT EXISTS (SELECT 1 FROM captcha_challenges WHERE id = $1 AND claim = $2)",
            )
            .bind(id)
            .bind(claim)
            .fetch_one(pool)
            .await?
        });
        Ok(held)
    }

    async fn spend(
        &self,
        id: &str,
        answer: &str,
        now: i64,
        claim: Option<&str>,
    ) -> Result<FormChallenge, StoreError> {
        if id.is_empty() || id.len() > 64 {
            return Ok(FormChallenge {
                check: CaptchaCheck::Unknown,
                resumable: false,
            });
        }
        // The verdict is decided inside the UPDATE (the claim is kept only
        // for a right answer in time) and again below from what it
        // returns; both compare the same stored hash.
        let hash = answer_hash(id, answer);
        let (spent, earlier): (Option<(String, i64)>, Option<Option<String>>) =
            with_pool!(self.captcha_db(), |pool| {
                let mut tx = pool.begin_with(BEGIN_WRITE).await?;
                let spent: Option<(String, i64)> = sqlx::query_as(
                    "UPDATE captcha_challenges SET used_at = $2, spoken = NULL, \
                     claim = CASE WHEN answer_hash = $3 AND expires_at > $2 THEN $4 END \
                     WHERE id = $1 AND used_at IS NULL RETURNING answer_hash, expires_at",
                )
                .bind(id)
                .bind(now)
                .bind(&hash)
                .bind(claim)
                .fetch_optional(&mut *tx)
                .await?;
                let earlier = if spent.is_some() {
                    None
                } else {
                    sqlx::query_scalar::<DB, Option<String>>(
                        "SELECT claim FROM captcha_challenges WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                };
                tx.commit().await?;
                (spent, earlier)
            });
        let check = match (&spent, &earlier) {
            (Some((_, expires_at)), _) if *expires_at <= now => CaptchaCheck::Expired,
            // The hashes are of attacker-chosen text against a stored
            // digest: a timing difference reveals nothing about the answer.
            (Some((stored, _)), _) if *stored == hash => CaptchaCheck::Solved,
            (Some(_), _) => CaptchaCheck::Wrong,
            (None, Some(_)) => CaptchaCheck::Used,
            (None, None) => CaptchaCheck::Unknown,
        };
        let resumable = matches!(
            (claim, earlier),
            (Some(mine), Some(Some(kept))) if kept == mine
        );
        Ok(FormChallenge { check, resumable })
    }

    /// The characters the spoken alternative of an open (unused,
    /// unexpired) challenge says, if it was asked for by ear.
    pub async fn captcha_spoken(&self, id: &str, now: i64) -> Result<Option<String>, StoreError> {
        if id.is_empty() || id.len() > 64 {
            return Ok(None);
        }
        let spoken: Option<Option<String>> = with_pool!(self.captcha_db(), |pool| {
            sqlx::query_scalar::<DB, Option<String>>(
                "SELECT spoken FROM captcha_challenges \
                 WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
            )
            .bind(id)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(spoken.flatten())
    }
}
