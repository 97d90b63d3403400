-- Parents and guardians on the citizen record (quan hệ cha, mẹ, người
-- giám hộ), SQLite dialect: a guardian's identity account lists the
-- children under 14 linked here, with their personal ID numbers.
CREATE TABLE citizen_guardians (
    child_id    INTEGER NOT NULL REFERENCES citizens (id),
    guardian_id INTEGER NOT NULL REFERENCES citizens (id),
    relation    TEXT    NOT NULL CHECK (relation IN ('father', 'mother', 'guardian')),
    PRIMARY KEY (child_id, guardian_id),
    CHECK (child_id <> guardian_id)
);
CREATE INDEX citizen_guardians_guardian ON citizen_guardians (guardian_id);
