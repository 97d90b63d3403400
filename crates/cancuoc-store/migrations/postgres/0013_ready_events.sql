-- On time is measured when the card becomes ready for the citizen (the
-- transition out of `dispatched`, to ready for pickup or posted), not when
-- the citizen collects it: the dashboard counts those events in a window.
-- Same version in migrations/sqlite and migrations/postgres.
CREATE INDEX dossier_events_ready ON dossier_events (from_state, to_state, at);
