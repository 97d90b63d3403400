-- The card's lifecycle in the workflow (issue 15, item 5): the card record
-- is made when its dossier reaches "printed" (state 'printed': made, not
-- yet in the citizen's hands), becomes active when the dossier is
-- "returned" (the citizen's previous active card becomes replaced, with
-- replaced_by), and can be reported lost at once by an officer or by the
-- holder. A printed card carries what was personalised: the model (2021
-- CCCD or 2024 Căn cước), the three MRZ lines joined by '\n', the QR
-- payload as printed, and the SHA-256 of the chip's EF.SOD as lowercase
-- hex (NULL when no document signer was configured).
--
-- SQLite cannot change a CHECK in place: the table is rebuilt, every row
-- and index kept. No other table references cards, so dropping the old
-- table under foreign_keys = ON is safe; replaced_by has no REFERENCES
-- clause (a self-reference would name the temporary table).
CREATE TABLE cards_0018 (
    id               INTEGER PRIMARY KEY,
    number           TEXT    NOT NULL,
    citizen_id       INTEGER NOT NULL REFERENCES citizens (id),
    issued_on        TEXT    NOT NULL,
    expires_on       TEXT,
    state            TEXT    NOT NULL
        CHECK (state IN ('printed', 'active', 'replaced', 'lost', 'void')),
    dossier_id       INTEGER REFERENCES dossiers (id),
    model            TEXT CHECK (model IN ('2021', '2024')),
    mrz              TEXT,
    qr_payload       TEXT,
    sod_digest       TEXT,
    printed_at       INTEGER,
    activated_at     INTEGER,
    state_changed_at INTEGER,
    lost_at          INTEGER,
    lost_reason      TEXT,
    lost_by          INTEGER REFERENCES officers (id),
    replaced_by      INTEGER
);
INSERT INTO cards_0018 (id, number, citizen_id, issued_on, expires_on, state)
    SELECT id, number, citizen_id, issued_on, expires_on, state FROM cards;
DROP TABLE cards;
ALTER TABLE cards_0018 RENAME TO cards;
CREATE INDEX cards_citizen ON cards (citizen_id);
CREATE UNIQUE INDEX cards_one_active ON cards (citizen_id) WHERE state = 'active';
-- One card per dossier (NULL for cards issued outside the workflow).
CREATE UNIQUE INDEX cards_dossier ON cards (dossier_id);
-- The relying parties' status lookup by number (and issue date).
CREATE INDEX cards_number ON cards (number, issued_on);
