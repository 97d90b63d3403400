-- (same text in migrations/sqlite and migrations/postgres)
-- A challenge asked for by ear keeps the characters to speak (`spoken`),
-- and the sound is synthesised when it is fetched, instead of a WAV of
-- about 430 KB stored with every spoken challenge (thirty from one address
-- added 12.9 MB). Cleared when the challenge is spent, like the answer it
-- reveals; the answer itself stays stored only as a hash.
ALTER TABLE captcha_challenges DROP COLUMN audio;
ALTER TABLE captcha_challenges ADD COLUMN spoken TEXT;
