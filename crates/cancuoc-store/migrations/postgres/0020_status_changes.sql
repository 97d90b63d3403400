-- Status answer changes announced (thông báo thay đổi tra cứu),
-- PostgreSQL dialect; migrations/sqlite has the same version, where the
-- same changes are written to a change log instead.
--
-- A store caches each dossier's public status answer (`cache.rs`,
-- `listen.rs`) and listens on the channel `cancuoc_status` on the
-- primary. These triggers announce, when a column the public answer reads
-- changes (`read::STATUS_SQL`), the dossier's code as text (its old code,
-- and its new one when that changed; also for a dossier deleted), or `*`
-- for every answer (an office's name, hotline or code changed, or an
-- office deleted). NOTIFY is transactional: listeners hear it when the
-- transaction commits, never when it rolls back, and identical payloads
-- of one transaction arrive once.
--
-- Cost: PostgreSQL serialises the commits of notifying transactions (a
-- lock on the notification queue held to the end of the commit, its WAL
-- flush included), so transitions of concurrent officers commit one after
-- another rather than in a group flush: about one per WAL flush time
-- (hundreds to thousands a second, by the disk), above the offices' rate.

CREATE FUNCTION status_change_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'offices' THEN
        PERFORM pg_notify('cancuoc_status', '*');
    ELSE
        PERFORM pg_notify('cancuoc_status', OLD.code::text);
        IF TG_OP = 'UPDATE' AND NEW.code IS DISTINCT FROM OLD.code THEN
            PERFORM pg_notify('cancuoc_status', NEW.code::text);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER dossiers_status_changed
    AFTER UPDATE OF state, promised_on, office_code, code ON dossiers
    FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state
        OR OLD.promised_on IS DISTINCT FROM NEW.promised_on
        OR OLD.office_code IS DISTINCT FROM NEW.office_code
        OR OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION status_change_notify();

CREATE TRIGGER dossiers_status_deleted AFTER DELETE ON dossiers
    FOR EACH ROW EXECUTE FUNCTION status_change_notify();

CREATE TRIGGER offices_status_changed
    AFTER UPDATE OF name, hotline, code ON offices
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
        OR OLD.hotline IS DISTINCT FROM NEW.hotline
        OR OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION status_change_notify();

CREATE TRIGGER offices_status_deleted AFTER DELETE ON offices
    FOR EACH ROW EXECUTE FUNCTION status_change_notify();
