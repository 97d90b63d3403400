-- Citizens' electronic identity accounts (tài khoản định danh điện tử),
-- SQLite dialect; same version in migrations/postgres.
--
-- On an SQLite file these tables live in the accounts database beside the
-- main file (`cancuoc.accounts.db`, see `db::connect_accounts`): every
-- login writes (a challenge, a session, a failure count), and writes to
-- the main file would empty the status answer cache. This text is applied
-- there when its tables are missing; in the main file (and in memory) it
-- runs as an ordinary migration. So: no foreign key to `citizens` — the
-- citizen is a plain id, checked by the service against the main file.
--
-- Secrets are never stored in the clear: passwords as Argon2id PHC
-- strings, one-time codes as a keyed HMAC, challenge and session ids as
-- their SHA-256.

CREATE TABLE citizen_accounts (
    citizen_id      INTEGER PRIMARY KEY,
    -- NULL until the owner sets one (an account made at card issuance).
    password_hash   TEXT,
    level           INTEGER NOT NULL CHECK (level IN (1, 2)),
    -- How level 2 was granted: portrait, fingerprints, card_issuance.
    level_method    TEXT,
    level_officer   INTEGER,
    level_office    INTEGER,
    level_at        INTEGER,
    -- A lock (khóa tài khoản): by the owner ('owner') or an officer
    -- ('officer:<id>'), with a reason.
    locked_at       INTEGER,
    locked_by       TEXT,
    lock_reason     TEXT,
    -- Failures counted per account, passwords and one-time codes apart
    -- (Keycloak's temporary lockout: count, last failure).
    pw_failures     INTEGER NOT NULL DEFAULT 0,
    pw_failed_at    INTEGER,
    otp_failures    INTEGER NOT NULL DEFAULT 0,
    otp_failed_at   INTEGER,
    created_at      INTEGER NOT NULL,
    password_set_at INTEGER
);

-- One-time-code challenges: registration, login, password reset, unlock.
-- A registration that matched no one gets a decoy (citizen_id NULL) that
-- behaves the same and never accepts a code.
CREATE TABLE account_challenges (
    id_hash     TEXT    PRIMARY KEY,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('register', 'login', 'reset', 'unlock')),
    citizen_id  INTEGER,
    phone       TEXT,
    -- HMAC-SHA256 of the code under the service's key; NULL until sent.
    code_hash   TEXT,
    -- Reset: 0 = number and phone given, 1 = identity confirmed, code sent.
    step        INTEGER NOT NULL DEFAULT 0,
    -- Registration: the chosen password's hash, kept until the code.
    pending     TEXT,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    expires_at  INTEGER NOT NULL,
    wrong       INTEGER NOT NULL DEFAULT 0,
    used_at     INTEGER
);
CREATE INDEX account_challenges_expiry ON account_challenges (expires_at);

-- Every code sent to a number, for the hourly quotas: `purpose` is the
-- quota's class (`password`: login and unlock; `public`: registration
-- and forgotten password, decoys included).
CREATE TABLE sms_sends (
    phone   TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    purpose TEXT    NOT NULL
);
CREATE INDEX sms_sends_phone_at ON sms_sends (phone, at);
-- The purge of entries older than a day, at every send.
CREATE INDEX sms_sends_at ON sms_sends (at);

-- Sessions of the portal (kind 'web', cookie) and of the API (kind 'api',
-- bearer token): the same lifetimes, revoked together.
CREATE TABLE account_sessions (
    id_hash    TEXT    PRIMARY KEY,
    citizen_id INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('web', 'api')),
    csrf       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    client     TEXT    NOT NULL,
    agent      TEXT    NOT NULL
);
CREATE INDEX account_sessions_citizen ON account_sessions (citizen_id);

-- The accounts' audit log (nhật ký tài khoản), which the owner reads too:
-- register, level change, login success and failure, code sent and
-- failed, reset, lock and unlock. `officer_id` when an officer acted.
CREATE TABLE account_events (
    id         INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    officer_id INTEGER,
    client     TEXT    NOT NULL,
    details    TEXT    NOT NULL
);
CREATE INDEX account_events_citizen ON account_events (citizen_id, at);

-- Citizens who asked on their declaration for a level-2 account with
-- their card: granted when the card is handed over.
CREATE TABLE account_requests (
    citizen_id   INTEGER PRIMARY KEY,
    requested_at INTEGER NOT NULL
);
