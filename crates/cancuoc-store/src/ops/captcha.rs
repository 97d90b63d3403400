//! Captcha challenges (mã xác nhận): create one per form shown, spend it
//! once, read the characters its spoken alternative says (the sound is
//! synthesised by the front end when it is fetched, never stored). Kept in the database so every server
//! process behind one address agrees; purged an hour after expiry. On an
//! SQLite file they live in its side database (`db::side_file`), so that
//! portal traffic does not invalidate the status answer cache.

use crate::Store;
use crate::db::with_pool;
use crate::error::StoreError;
use crate::model::captcha::{
    CAPTCHA_KEEP_AFTER_EXPIRY_SECS, CaptchaCheck, NewCaptcha, answer_hash,
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
        if id.is_empty() || id.len() > 64 {
            return Ok(CaptchaCheck::Unknown);
        }
        let (spent, exists): (Option<(String, i64)>, bool) =
            with_pool!(self.captcha_db(), |pool| {
                let mut tx = pool.begin_with(BEGIN_WRITE).await?;
                let spent: Option<(String, i64)> = sqlx::query_as(
                    "UPDATE captcha_challenges SET used_at = $2, spoken = NULL \
                 WHERE id = $1 AND used_at IS NULL RETURNING answer_hash, expires_at",
                )
                .bind(id)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                let exists = if spent.is_some() {
                    true
                } else {
                    sqlx::query_scalar::<DB, i64>(
                        "SELECT COUNT(*) FROM captcha_challenges WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?
                        > 0
                };
                tx.commit().await?;
                (spent, exists)
            });
        Ok(match spent {
            Some((_, expires_at)) if expires_at <= now => CaptchaCheck::Expired,
            // The hashes are of attacker-chosen text against a stored
            // digest: a timing difference reveals nothing about the answer.
            Some((hash, _)) if hash == answer_hash(id, answer) => CaptchaCheck::Solved,
            Some(_) => CaptchaCheck::Wrong,
            None if exists => CaptchaCheck::Used,
            None => CaptchaCheck::Unknown,
        })
    }

    /// The verdict [`Store::spend_captcha`] would give `answer` to
    /// challenge `id` at `now`, without spending it: for a form whose
    /// effect must be stored before its challenge is spent, so that a
    /// crash between the two leaves the effect findable by the challenge
    /// (a booking's `presence`) rather than a spent challenge with nothing
    /// done. The caller spends it afterwards, whatever came of the form.
    pub async fn check_captcha(
        &self,
        id: &str,
        answer: &str,
        now: i64,
    ) -> Result<CaptchaCheck, StoreError> {
        if id.is_empty() || id.len() > 64 {
            return Ok(CaptchaCheck::Unknown);
        }
        let row: Option<(String, i64, Option<i64>)> = with_pool!(self.captcha_db(), |pool| {
            sqlx::query_as::<DB, (String, i64, Option<i64>)>(
                "SELECT answer_hash, expires_at, used_at FROM captcha_challenges WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(match row {
            None => CaptchaCheck::Unknown,
            Some((_, _, Some(_))) => CaptchaCheck::Used,
            Some((_, expires_at, None)) if expires_at <= now => CaptchaCheck::Expired,
            Some((hash, _, None)) if hash == answer_hash(id, answer) => CaptchaCheck::Solved,
            Some(_) => CaptchaCheck::Wrong,
        })
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
