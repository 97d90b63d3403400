-- The citizens' channels (kênh hỏi đáp: hotline, Zalo, Messenger, SMS),
-- SQLite dialect; same version in migrations/postgres.
--
-- Two parts, split by the marker line below. The first holds the
-- channels' conversations: on an SQLite file they live in the accounts
-- database beside the main file (`cancuoc.accounts.db`, see
-- `db::connect_accounts`, which applies this first part, the one text of
-- it, when `channel_inbox` is missing), because every chat message writes
-- and a write to the main file would empty the status answer cache. The
-- second part is the dossiers' own: the notification consent, beside the
-- dossier it belongs to. In the main file (and in memory) both parts run
-- as this ordinary migration, so there the conversation tables exist too
-- (unused on a file, except `channel_outbox`, which there holds the
-- notifications written in the transaction of the dossier's step).
--
-- Instants are epoch seconds. Nothing here holds a full ID number: the
-- inbox text is emptied once handled and lookups are audited masked.

-- Inbound messages (hộp thư đến), keyed by the provider's message id: a
-- retried delivery is recognized and not handled twice. Claimed with a
-- lease (`lease_until`); a handler that crashed leaves the lease to
-- expire and the message is claimed again.
CREATE TABLE channel_inbox (
    id          INTEGER PRIMARY KEY,
    channel     TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    lease_until INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    handled_at  INTEGER,
    UNIQUE (channel, message_id)
);
CREATE INDEX channel_inbox_unhandled ON channel_inbox (id) WHERE handled_at IS NULL;
CREATE INDEX channel_inbox_received ON channel_inbox (received_at);

-- One conversation per sender and channel: the dialogue's state (JSON),
-- the office it is about, and whether an officer has it (gặp cán bộ).
-- `human_at`: when it last went to an officer (kept after it is closed,
-- for the counts).
CREATE TABLE channel_conversations (
    id          INTEGER PRIMARY KEY,
    channel     TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    office_code INTEGER,
    human       BOOLEAN NOT NULL,
    human_at    INTEGER,
    opened_at   INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (channel, sender)
);
CREATE INDEX channel_conversations_updated ON channel_conversations (updated_at);
CREATE INDEX channel_conversations_human_at ON channel_conversations (human_at);

-- The transcript: author 'citizen', 'bot' or 'officer:<id>'.
CREATE TABLE channel_messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES channel_conversations (id),
    at              INTEGER NOT NULL,
    direction       TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    author          TEXT    NOT NULL,
    text            TEXT    NOT NULL
);
CREATE INDEX channel_messages_conversation ON channel_messages (conversation_id, id);
CREATE INDEX channel_messages_at ON channel_messages (at);

-- Every automatic lookup a channel made (the audit), its target masked: a
-- dossier code as is, never a full ID number.
CREATE TABLE channel_lookups (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    channel TEXT    NOT NULL,
    sender  TEXT    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('code', 'person', 'offices')),
    target  TEXT    NOT NULL,
    found   BOOLEAN NOT NULL
);
CREATE INDEX channel_lookups_at ON channel_lookups (at);

-- The channels' own settings kept across restarts: Zalo's rotating access
-- and refresh tokens.
CREATE TABLE channel_settings (
    name       TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The transactional outbox (hộp thư đi): chat replies and notifications,
-- written in the transaction of their cause, sent by the dispatcher with
-- retries ('pending'), then 'sent', or 'dead' (the dead-letter list).
-- `dedupe_key`: one row per event, whatever retries write it again.
CREATE TABLE channel_outbox (
    id          INTEGER PRIMARY KEY,
    channel     TEXT    NOT NULL,
    recipient   TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('reply', 'notify')),
    payload     TEXT    NOT NULL,
    dedupe_key  TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    next_at     INTEGER NOT NULL,
    lease_until INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'dead')),
    last_error  TEXT,
    sent_at     INTEGER
);
CREATE INDEX channel_outbox_due ON channel_outbox (next_at, id) WHERE state = 'pending';
CREATE INDEX channel_outbox_dead ON channel_outbox (id) WHERE state = 'dead';
CREATE INDEX channel_outbox_sent ON channel_outbox (sent_at) WHERE state = 'sent';
CREATE INDEX channel_outbox_created ON channel_outbox (created_at);

-- @@ end of the conversations' part (db::CHANNELS_SIDE_END) @@

-- A dossier's consent to notifications (đồng ý nhận thông báo): the
-- number and the channel chosen at reception or in the booking.
CREATE TABLE dossier_notify (
    dossier_id   INTEGER PRIMARY KEY REFERENCES dossiers (id),
    phone        TEXT    NOT NULL,
    channel      TEXT    NOT NULL CHECK (channel IN ('sms', 'zalo')),
    consented_at INTEGER NOT NULL
);
