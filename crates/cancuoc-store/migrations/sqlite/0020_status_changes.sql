-- The change log of the status answer cache (nhật ký thay đổi tra cứu),
-- SQLite dialect; migrations/postgres has the same version, where the
-- same changes are announced with NOTIFY instead.
--
-- A store caches each dossier's public status answer (`cache.rs`). When
-- the database changed (its WAL-index header moved), a reader reads the
-- rows added here since it last looked and drops only the answers of the
-- dossiers they name, so officers' writes to other dossiers leave cached
-- answers valid. Triggers write the rows, so every writer is covered:
-- this program's stores, a second server on the same file, the CLI, a
-- `sqlite3` shell.
--
-- A row is written when a column the public answer reads changes
-- (`read::STATUS_SQL`): a dossier's state, promised date, office or code
-- (its old code, and its new one when that changed), a dossier deleted;
-- `code` NULL means every answer (an office's name, hotline or code
-- changed, or an office deleted). `code` is the dossier code as
-- `dossiers.code` holds it. AUTOINCREMENT keeps sequence numbers rising
-- even after pruning; the last 100,000 rows are kept, and a reader that
-- fell further behind empties its cache instead.

CREATE TABLE status_changes (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    code INTEGER
);

CREATE TRIGGER dossiers_status_changed
AFTER UPDATE OF state, promised_on, office_code, code ON dossiers
WHEN OLD.state IS NOT NEW.state
    OR OLD.promised_on IS NOT NEW.promised_on
    OR OLD.office_code IS NOT NEW.office_code
    OR OLD.code IS NOT NEW.code
BEGIN
    INSERT INTO status_changes (code) VALUES (OLD.code);
    INSERT INTO status_changes (code) SELECT NEW.code WHERE NEW.code IS NOT OLD.code;
END;

CREATE TRIGGER dossiers_status_deleted AFTER DELETE ON dossiers
BEGIN
    INSERT INTO status_changes (code) VALUES (OLD.code);
END;

CREATE TRIGGER offices_status_changed
AFTER UPDATE OF name, hotline, code ON offices
WHEN OLD.name IS NOT NEW.name
    OR OLD.hotline IS NOT NEW.hotline
    OR OLD.code IS NOT NEW.code
BEGIN
    INSERT INTO status_changes (code) VALUES (NULL);
END;

CREATE TRIGGER offices_status_deleted AFTER DELETE ON offices
BEGIN
    INSERT INTO status_changes (code) VALUES (NULL);
END;

-- Keeps the last 100,000 rows: one step down the rowid B-tree per row
-- written (deletes the one row that fell out, when there is one).
CREATE TRIGGER status_changes_pruned AFTER INSERT ON status_changes
BEGIN
    DELETE FROM status_changes WHERE seq <= NEW.seq - 100000;
END;
