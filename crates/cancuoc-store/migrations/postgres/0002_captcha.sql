-- Captcha challenges of the citizens' dossier status page (mã xác nhận),
-- PostgreSQL dialect; same version in migrations/sqlite.
-- Kept in the database, not in one process's memory, so several server
-- processes behind one address agree on every challenge. The answer is
-- stored hashed (SHA-256 of the case-folded text); a challenge is spent by
-- an UPDATE … WHERE used_at IS NULL RETURNING (single use even under
-- concurrent attempts) and purged after it expires. `audio` holds the WAV
-- of the spoken alternative, only for challenges asked for by ear.
CREATE TABLE captcha_challenges (
    id          TEXT    PRIMARY KEY,
    answer_hash TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT,
    audio       BYTEA
);
CREATE INDEX captcha_challenges_expiry ON captcha_challenges (expires_at);
