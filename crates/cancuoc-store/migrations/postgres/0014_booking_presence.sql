-- The captcha challenge a public booking was made with (the form's own
-- one-time id). A double click on "Đặt lịch" sends the same form twice:
-- the second finds the challenge spent and is answered with the booking
-- the first made, instead of "code already used". At most one booking per
-- challenge. Same version in migrations/sqlite and migrations/postgres.
ALTER TABLE bookings ADD COLUMN presence TEXT;
CREATE UNIQUE INDEX bookings_presence ON bookings (presence) WHERE presence IS NOT NULL;
