-- cancuoc schema, SQLite dialect. Keep the version list in step with
-- migrations/postgres (a test compares the file names).
-- Conventions: instants are INTEGER epoch seconds (compared in SQL); civil
-- dates are ISO-8601 TEXT (sorts correctly); enums are their stable codes;
-- small structured values are JSON TEXT, (de)serialized in Rust.

CREATE TABLE offices (
    code           INTEGER PRIMARY KEY CHECK (code BETWEEN 0 AND 9999),
    name           TEXT    NOT NULL,
    level          TEXT    NOT NULL CHECK (level IN ('ministry', 'npd_centre', 'province', 'district', 'commune')),
    parent_code    INTEGER REFERENCES offices (code),
    address        TEXT    NOT NULL,
    hotline        TEXT    NOT NULL,
    opening_hours  TEXT    NOT NULL,
    daily_capacity INTEGER NOT NULL CHECK (daily_capacity >= 0)
);
CREATE INDEX offices_parent ON offices (parent_code);

CREATE TABLE officers (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    office_code INTEGER NOT NULL REFERENCES offices (code),
    token_hash  TEXT    NOT NULL UNIQUE,
    active      BOOLEAN NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL
);
CREATE INDEX officers_office ON officers (office_code);

CREATE TABLE citizens (
    id                  INTEGER PRIMARY KEY,
    personal_id         TEXT    UNIQUE,
    full_name           TEXT    NOT NULL,
    name_key            TEXT    NOT NULL,
    dob                 TEXT    NOT NULL,
    dob_year            INTEGER NOT NULL,
    dob_month           INTEGER,
    dob_day             INTEGER,
    sex                 TEXT    NOT NULL CHECK (sex IN ('male', 'female')),
    nationality         TEXT    NOT NULL,
    ethnicity           TEXT    NOT NULL,
    religion            TEXT    NOT NULL,
    place_of_origin     TEXT    NOT NULL,
    birth_registration  TEXT    NOT NULL,
    permanent_residence TEXT    NOT NULL,
    temporary_residence TEXT,
    phone               TEXT,
    provenance          TEXT    NOT NULL,
    created_at          INTEGER NOT NULL
);
CREATE INDEX citizens_name_key ON citizens (name_key);

CREATE TABLE citizen_old_cmnd (
    citizen_id INTEGER NOT NULL REFERENCES citizens (id),
    number     TEXT    NOT NULL,
    PRIMARY KEY (citizen_id, number)
);
CREATE INDEX citizen_old_cmnd_number ON citizen_old_cmnd (number);

CREATE TABLE cards (
    id         INTEGER PRIMARY KEY,
    number     TEXT    NOT NULL,
    citizen_id INTEGER NOT NULL REFERENCES citizens (id),
    issued_on  TEXT    NOT NULL,
    expires_on TEXT,
    state      TEXT    NOT NULL CHECK (state IN ('active', 'replaced', 'lost', 'void'))
);
CREATE INDEX cards_citizen ON cards (citizen_id);
CREATE UNIQUE INDEX cards_one_active ON cards (citizen_id) WHERE state = 'active';

CREATE TABLE dossiers (
    id          INTEGER PRIMARY KEY,
    code        INTEGER NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    reason      TEXT,
    office_code INTEGER NOT NULL REFERENCES offices (code),
    citizen_id  INTEGER NOT NULL REFERENCES citizens (id),
    fee_vnd     INTEGER NOT NULL CHECK (fee_vnd >= 0),
    exemption   TEXT,
    received_on TEXT    NOT NULL,
    deadlines   TEXT    NOT NULL,
    promised_on TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    is_open     BOOLEAN NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX dossiers_office_state ON dossiers (office_code, state, id);
CREATE INDEX dossiers_office_open_promised ON dossiers (office_code, is_open, promised_on);
CREATE INDEX dossiers_citizen ON dossiers (citizen_id);

CREATE TABLE dossier_events (
    dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
    seq        INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES officers (id),
    actor_role TEXT    NOT NULL,
    from_state TEXT,
    to_state   TEXT    NOT NULL,
    note       TEXT,
    PRIMARY KEY (dossier_id, seq)
);

CREATE TABLE dossier_capture (
    dossier_id  INTEGER PRIMARY KEY REFERENCES dossiers (id),
    record      TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE id_counters (
    prefix     TEXT    PRIMARY KEY,
    next_index INTEGER NOT NULL
);

CREATE TABLE idempotency_keys (
    officer_id   INTEGER NOT NULL REFERENCES officers (id),
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    response     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (officer_id, key)
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    officer_id INTEGER REFERENCES officers (id),
    action     TEXT    NOT NULL,
    target     TEXT    NOT NULL,
    details    TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
