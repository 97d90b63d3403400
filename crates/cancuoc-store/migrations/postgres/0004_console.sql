-- The officers' console (bảng điều khiển cán bộ), PostgreSQL dialect: a login
-- name and an Argon2id password hash (PHC string) per officer, and the
-- console's sessions. A session is known by the SHA-256 of its random id
-- (the cookie holds the id; a leaked table yields no working session);
-- instants are epoch seconds, compared in SQL for the idle timeout and
-- the absolute lifetime.

ALTER TABLE officers ADD COLUMN login TEXT;
ALTER TABLE officers ADD COLUMN password_hash TEXT;
ALTER TABLE officers ADD COLUMN password_set_at BIGINT;
CREATE UNIQUE INDEX officers_login ON officers (login);

CREATE TABLE console_sessions (
    id_hash    TEXT    PRIMARY KEY,
    officer_id BIGINT  NOT NULL REFERENCES officers (id),
    csrf       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    last_seen  BIGINT  NOT NULL
);
CREATE INDEX console_sessions_officer ON console_sessions (officer_id);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen);
