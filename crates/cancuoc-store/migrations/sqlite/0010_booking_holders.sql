-- The active appointments of one phone number and of one personal ID are
-- counted on every public booking (Store::create_booking_capped): partial
-- indexes over the booked ones keep that count an index lookup.
CREATE INDEX bookings_phone_booked ON bookings (phone, day) WHERE state = 'booked';
CREATE INDEX bookings_personal_id_booked ON bookings (personal_id, day)
    WHERE state = 'booked' AND personal_id IS NOT NULL;
