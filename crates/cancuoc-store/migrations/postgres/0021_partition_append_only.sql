-- The append-only tables partitioned by month (bảng chỉ ghi thêm, phân
-- vùng theo tháng), PostgreSQL only; the SQLite text of this version does
-- nothing (one file has no partitions).
--
-- dossier_events, audit_log, account_events and cmnd_confirmation_events
-- only ever grow. Partitioned BY RANGE on `at` (epoch seconds), one
-- partition per calendar month in Vietnam (UTC+7, no daylight saving since
-- 1975), an old month can be archived or dropped as one table (DETACH
-- PARTITION) instead of a DELETE of millions of rows, and a window query
-- on `at` (the dashboard's ready count, the audit by time) reads only its
-- months. Partitions are named `<table>_YYYY_MM`; `<table>_default` takes
-- a row no month partition covers (a clock far off, a history loaded
-- later), and is emptied again by `cancuoc_partitions_maintain`.
--
-- What changes for the tables:
-- * A partitioned table's primary key must include the partition key:
--   dossier_events' key becomes (dossier_id, seq, at), audit_log's and
--   account_events' (id, at), cmnd_confirmation_events' (confirmation_id,
--   seq, at). (dossier_id, seq) stays unique because every event is
--   written in the transaction that moves the dossier's `version` from
--   seq - 1 to seq with a compare-and-set (`UPDATE … WHERE version = $n`),
--   and the same holds for confirmations; `cancuoc check` verifies that
--   each log is numbered 1, 2, 3 … without a repeat.
-- * PostgreSQL 15 has no identity columns on partitioned tables (17 has):
--   audit_log.id and account_events.id take their values from a sequence
--   of the same name as the identity's (`<table>_id_seq`, owned by the
--   column), started where the identity stopped, so ids continue.
-- * No table references these four (a foreign key to a partitioned table
--   would have to name the whole key); their own foreign keys stay, under
--   their old names.
--
-- The month partitions are made by the functions below, which the store
-- calls at every start and the server once a day
-- (`Store::maintain_partitions`): the current month and the next three,
-- and any month a row of a default partition belongs to. Creating a
-- partition first moves that month's rows out of the default partition
-- (PostgreSQL refuses to create a partition whose rows sit in the
-- default), under a lock of the default partition, so it never fails on
-- rows that landed there. Converting a large existing table copies it once
-- in this migration's transaction: plan the time and the disk space.

-- The first instant (epoch seconds) of the month in Vietnam holding `at`,
-- as a timestamp of that month's first midnight in Vietnam.
CREATE FUNCTION cancuoc_month_of(at BIGINT) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $$
    SELECT date_trunc('month', to_timestamp(at + 25200) AT TIME ZONE 'UTC')
$$;

-- Creates the partition of `parent` for the month starting at `month`
-- (a value of cancuoc_month_of), moving that month's rows out of the
-- default partition first; FALSE when it exists already.
CREATE FUNCTION cancuoc_month_partition(parent TEXT, month timestamp) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
    lo   BIGINT := EXTRACT(EPOCH FROM month)::BIGINT - 25200;
    hi   BIGINT := EXTRACT(EPOCH FROM month + INTERVAL '1 month')::BIGINT - 25200;
    part TEXT   := parent || '_' || to_char(month, 'YYYY_MM');
    dflt TEXT   := parent || '_default';
BEGIN
    IF to_regclass(quote_ident(part)) IS NOT NULL THEN
        RETURN FALSE;
    END IF;
    -- Nothing may land in the default partition between the move and the
    -- attach (ATTACH takes this lock too, later; taking it first keeps the
    -- month's rows from slipping in).
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', dflt);
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                   part, parent);
    -- `*` on both sides: the default partition and the new table both have
    -- the parent's columns in the parent's order (PARTITION OF, LIKE).
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE at >= %s AND at < %s RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', dflt, lo, hi, part);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                   parent, part, lo, hi);
    RETURN TRUE;
END
$$;

-- The partitions of the four tables for the month of `now_at` and the
-- `ahead` months after it, then the months of the rows left in a default
-- partition (at most 120 months per table and call). Returns how many
-- partitions it made. One caller at a time (a transaction-level advisory
-- lock): two servers starting together do not race on the same name.
CREATE FUNCTION cancuoc_partitions_maintain(now_at BIGINT, ahead INT) RETURNS INT
LANGUAGE plpgsql AS $$
DECLARE
    t     TEXT;
    made  INT := 0;
    i     INT;
    first BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('cancuoc_partitions_maintain'));
    FOREACH t IN ARRAY ARRAY['dossier_events', 'audit_log', 'account_events',
                             'cmnd_confirmation_events'] LOOP
        FOR i IN 0..ahead LOOP
            IF cancuoc_month_partition(t, cancuoc_month_of(now_at) + make_interval(months => i)) THEN
                made := made + 1;
            END IF;
        END LOOP;
        FOR i IN 1..120 LOOP
            EXECUTE format('SELECT min(at) FROM %I', t || '_default') INTO first;
            EXIT WHEN first IS NULL;
            EXIT WHEN NOT cancuoc_month_partition(t, cancuoc_month_of(first));
            made := made + 1;
        END LOOP;
    END LOOP;
    RETURN made;
END
$$;

-- dossier_events
ALTER TABLE dossier_events RENAME TO dossier_events_unpartitioned;
ALTER INDEX dossier_events_pkey RENAME TO dossier_events_unpartitioned_pkey;
ALTER INDEX dossier_events_ready RENAME TO dossier_events_unpartitioned_ready;
CREATE TABLE dossier_events (
    dossier_id BIGINT  NOT NULL CONSTRAINT dossier_events_dossier_id_fkey REFERENCES dossiers (id),
    seq        BIGINT  NOT NULL,
    at         BIGINT  NOT NULL,
    actor_id   BIGINT  CONSTRAINT dossier_events_actor_id_fkey REFERENCES officers (id),
    actor_role TEXT    NOT NULL,
    from_state TEXT,
    to_state   TEXT    NOT NULL,
    note       TEXT,
    kind       TEXT    NOT NULL DEFAULT 'transition',
    PRIMARY KEY (dossier_id, seq, at)
) PARTITION BY RANGE (at);
CREATE INDEX dossier_events_ready ON dossier_events (from_state, to_state, at);
CREATE TABLE dossier_events_default PARTITION OF dossier_events DEFAULT;
CREATE INDEX dossier_events_default_at ON dossier_events_default (at);

-- audit_log
ALTER TABLE audit_log RENAME TO audit_log_unpartitioned;
ALTER INDEX audit_log_pkey RENAME TO audit_log_unpartitioned_pkey;
ALTER INDEX audit_log_at RENAME TO audit_log_unpartitioned_at;
ALTER SEQUENCE audit_log_id_seq RENAME TO audit_log_unpartitioned_id_seq;
CREATE SEQUENCE audit_log_id_seq AS BIGINT;
CREATE TABLE audit_log (
    id         BIGINT  NOT NULL DEFAULT nextval('audit_log_id_seq'),
    at         BIGINT  NOT NULL,
    officer_id BIGINT  CONSTRAINT audit_log_officer_id_fkey REFERENCES officers (id),
    action     TEXT    NOT NULL,
    target     TEXT    NOT NULL,
    details    TEXT    NOT NULL,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;

-- account_events
ALTER TABLE account_events RENAME TO account_events_unpartitioned;
ALTER INDEX account_events_pkey RENAME TO account_events_unpartitioned_pkey;
ALTER INDEX account_events_citizen RENAME TO account_events_unpartitioned_citizen;
ALTER SEQUENCE account_events_id_seq RENAME TO account_events_unpartitioned_id_seq;
CREATE SEQUENCE account_events_id_seq AS BIGINT;
CREATE TABLE account_events (
    id         BIGINT  NOT NULL DEFAULT nextval('account_events_id_seq'),
    citizen_id BIGINT  NOT NULL,
    at         BIGINT  NOT NULL,
    kind       TEXT    NOT NULL,
    officer_id BIGINT,
    client     TEXT    NOT NULL,
    details    TEXT    NOT NULL,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE account_events_id_seq OWNED BY account_events.id;
CREATE INDEX account_events_citizen ON account_events (citizen_id, at);
CREATE TABLE account_events_default PARTITION OF account_events DEFAULT;
CREATE INDEX account_events_default_at ON account_events_default (at);

-- cmnd_confirmation_events
ALTER TABLE cmnd_confirmation_events RENAME TO cmnd_confirmation_events_unpartitioned;
ALTER INDEX cmnd_confirmation_events_pkey RENAME TO cmnd_confirmation_events_unpartitioned_pkey;
CREATE TABLE cmnd_confirmation_events (
    confirmation_id BIGINT  NOT NULL
        CONSTRAINT cmnd_confirmation_events_confirmation_id_fkey REFERENCES cmnd_confirmations (id),
    seq             BIGINT  NOT NULL,
    at              BIGINT  NOT NULL,
    actor_id        BIGINT  CONSTRAINT cmnd_confirmation_events_actor_id_fkey REFERENCES officers (id),
    to_state        TEXT    NOT NULL,
    note            TEXT,
    PRIMARY KEY (confirmation_id, seq, at)
) PARTITION BY RANGE (at);
CREATE TABLE cmnd_confirmation_events_default PARTITION OF cmnd_confirmation_events DEFAULT;
CREATE INDEX cmnd_confirmation_events_default_at ON cmnd_confirmation_events_default (at);

-- The sequences continue where the identities stopped (their last value,
-- or the largest id when a row was written with an explicit one).
DO $$
DECLARE
    t    TEXT;
    last BIGINT;
BEGIN
    FOREACH t IN ARRAY ARRAY['audit_log', 'account_events'] LOOP
        EXECUTE format('SELECT GREATEST((SELECT COALESCE(max(id), 0) FROM %I), '
                       '(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM %I))',
                       t || '_unpartitioned', t || '_unpartitioned_id_seq') INTO last;
        IF last > 0 THEN
            PERFORM setval(t || '_id_seq', last, TRUE);
        END IF;
    END LOOP;
END
$$;

-- The months the rows belong to, then the next ones, before the copy: a
-- row lands in its month, not in the default partition.
DO $$
DECLARE
    t TEXT;
    m timestamp;
BEGIN
    FOREACH t IN ARRAY ARRAY['dossier_events', 'audit_log', 'account_events',
                             'cmnd_confirmation_events'] LOOP
        FOR m IN EXECUTE format('SELECT DISTINCT cancuoc_month_of(at) FROM %I',
                                t || '_unpartitioned') LOOP
            PERFORM cancuoc_month_partition(t, m);
        END LOOP;
    END LOOP;
    PERFORM cancuoc_partitions_maintain(EXTRACT(EPOCH FROM now())::BIGINT, 3);
END
$$;

INSERT INTO dossier_events (dossier_id, seq, at, actor_id, actor_role, from_state, to_state,
                            note, kind)
    SELECT dossier_id, seq, at, actor_id, actor_role, from_state, to_state, note, kind
    FROM dossier_events_unpartitioned;
INSERT INTO audit_log (id, at, officer_id, action, target, details)
    SELECT id, at, officer_id, action, target, details FROM audit_log_unpartitioned;
INSERT INTO account_events (id, citizen_id, at, kind, officer_id, client, details)
    SELECT id, citizen_id, at, kind, officer_id, client, details FROM account_events_unpartitioned;
INSERT INTO cmnd_confirmation_events (confirmation_id, seq, at, actor_id, to_state, note)
    SELECT confirmation_id, seq, at, actor_id, to_state, note
    FROM cmnd_confirmation_events_unpartitioned;

DROP TABLE dossier_events_unpartitioned;
DROP TABLE audit_log_unpartitioned;
DROP TABLE account_events_unpartitioned;
DROP TABLE cmnd_confirmation_events_unpartitioned;
