-- Confirmations of an old CMND/CCCD number (Giấy xác nhận số Chứng minh
-- nhân dân, số Căn cước công dân: Circular 59/2021/TT-BCA, Art. 12 as
-- seed 004 §5 cites it), SQLite dialect; same version in
-- migrations/postgres.
--
-- A request carries a code of the dossier-code format (`DossierCode`: the
-- receiving office, the day, a random part, a check digit), so the
-- ordinary status lookup finds it. The public codes of both tables are
-- kept in `public_codes`, filled by a trigger on each table: a code drawn
-- for a confirmation that a dossier already holds (or the reverse) fails
-- the insert with a unique violation, and both creators draw again. The
-- registry is the one place both directions are checked, whatever path
-- inserts the row, and its primary key serializes concurrent inserts of
-- the same code on PostgreSQL as on SQLite.
--
-- Instants are epoch seconds, dates ISO text, states their codes. The
-- claimed personal ID, name and date of birth are kept as typed (the
-- request itself); the approval checks them and the old number against
-- the population record and links the citizen then.

CREATE TABLE public_codes (
    code INTEGER PRIMARY KEY
);
INSERT INTO public_codes (code) SELECT code FROM dossiers;

CREATE TRIGGER dossiers_public_code AFTER INSERT ON dossiers
BEGIN
    INSERT INTO public_codes (code) VALUES (NEW.code);
END;

CREATE TABLE cmnd_confirmations (
    id           INTEGER PRIMARY KEY,
    code         INTEGER NOT NULL UNIQUE,
    office_code  INTEGER NOT NULL REFERENCES offices (code),
    personal_id  TEXT    NOT NULL,
    full_name    TEXT    NOT NULL,
    dob          TEXT    NOT NULL,
    old_number   TEXT    NOT NULL,
    channel      TEXT    NOT NULL CHECK (channel IN ('portal', 'desk')),
    state        TEXT    NOT NULL CHECK (state IN ('requested', 'approved', 'refused')),
    citizen_id   INTEGER REFERENCES citizens (id),
    refusal      TEXT,
    received_on  TEXT    NOT NULL,
    promised_on  TEXT    NOT NULL,
    requested_at INTEGER NOT NULL,
    requested_by INTEGER REFERENCES officers (id),
    decided_at   INTEGER,
    decided_on   TEXT,
    decided_by   INTEGER REFERENCES officers (id),
    presence     TEXT    UNIQUE,
    version      INTEGER NOT NULL
);
CREATE INDEX cmnd_confirmations_queue ON cmnd_confirmations (office_code, state, requested_at);

CREATE TRIGGER cmnd_confirmations_public_code AFTER INSERT ON cmnd_confirmations
BEGIN
    INSERT INTO public_codes (code) VALUES (NEW.code);
END;

-- Each state change of a request (requested, approved, refused), with the
-- acting officer (none for a portal request) and the refusal's reason.
CREATE TABLE cmnd_confirmation_events (
    confirmation_id INTEGER NOT NULL REFERENCES cmnd_confirmations (id),
    seq             INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    actor_id        INTEGER REFERENCES officers (id),
    to_state        TEXT    NOT NULL,
    note            TEXT,
    PRIMARY KEY (confirmation_id, seq)
);
