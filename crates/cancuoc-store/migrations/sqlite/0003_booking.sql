-- Appointments (lịch hẹn) and online declarations (tờ khai trực tuyến),
-- SQLite dialect. Keep in step with migrations/postgres/0003_booking.sql.
--
-- booking_slots is the per-slot seat counter: a booking takes a seat with
-- `UPDATE … SET booked = booked + 1 WHERE … AND booked < capacity` inside
-- the transaction that inserts the booking, so two concurrent bookings for
-- the last seat can never both succeed (SQLite: the write lock of BEGIN
-- IMMEDIATE; PostgreSQL: the row lock, and the WHERE re-checked after it).

CREATE TABLE booking_slots (
    office_code INTEGER NOT NULL REFERENCES offices (code),
    day         TEXT    NOT NULL,
    start_min   INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    capacity    INTEGER NOT NULL CHECK (capacity >= 0),
    booked      INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0),
    PRIMARY KEY (office_code, day, start_min)
);

CREATE TABLE bookings (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    office_code INTEGER NOT NULL REFERENCES offices (code),
    day         TEXT    NOT NULL,
    start_min   INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min     INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
    full_name   TEXT    NOT NULL,
    phone       TEXT    NOT NULL,
    personal_id TEXT,
    state       TEXT    NOT NULL CHECK (state IN ('booked', 'cancelled', 'received')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX bookings_office_day ON bookings (office_code, day, start_min);

CREATE TABLE booking_declarations (
    booking_id INTEGER PRIMARY KEY REFERENCES bookings (id),
    data       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
