-- The card's lifecycle in the workflow (issue 15, item 5): the card record
-- is made when its dossier reaches "printed" (state 'printed': made, not
-- yet in the citizen's hands), becomes active when the dossier is
-- "returned" (the citizen's previous active card becomes replaced, with
-- replaced_by), and can be reported lost at once by an officer or by the
-- holder. A printed card carries what was personalised: the model (2021
-- CCCD or 2024 Căn cước), the three MRZ lines joined by '\n', the QR
-- payload as printed, and the SHA-256 of the chip's EF.SOD as lowercase
-- hex (NULL when no document signer was configured).
ALTER TABLE cards DROP CONSTRAINT cards_state_check;
ALTER TABLE cards ADD CONSTRAINT cards_state_check
    CHECK (state IN ('printed', 'active', 'replaced', 'lost', 'void'));
ALTER TABLE cards ADD COLUMN dossier_id BIGINT REFERENCES dossiers (id);
ALTER TABLE cards ADD COLUMN model TEXT CHECK (model IN ('2021', '2024'));
ALTER TABLE cards ADD COLUMN mrz TEXT;
ALTER TABLE cards ADD COLUMN qr_payload TEXT;
ALTER TABLE cards ADD COLUMN sod_digest TEXT;
ALTER TABLE cards ADD COLUMN printed_at BIGINT;
ALTER TABLE cards ADD COLUMN activated_at BIGINT;
ALTER TABLE cards ADD COLUMN state_changed_at BIGINT;
ALTER TABLE cards ADD COLUMN lost_at BIGINT;
ALTER TABLE cards ADD COLUMN lost_reason TEXT;
ALTER TABLE cards ADD COLUMN lost_by BIGINT REFERENCES officers (id);
ALTER TABLE cards ADD COLUMN replaced_by BIGINT REFERENCES cards (id);
-- One card per dossier (NULL for cards issued outside the workflow).
CREATE UNIQUE INDEX cards_dossier ON cards (dossier_id);
-- The relying parties' status lookup by number (and issue date).
CREATE INDEX cards_number ON cards (number, issued_on);
