-- Work queues and the overdue dashboard (hàng đợi công việc, hồ sơ quá hạn).
-- Same version in migrations/sqlite and migrations/postgres.
-- The NPD centre's queues (approval, printing, dispatch) span every office:
-- one state, most urgent promise first, keyset paging on (promised_on, id).
CREATE INDEX dossiers_state_promised ON dossiers (state, promised_on, id);
-- Dossiers handed over in the last 30 days, per office (on time or late).
CREATE INDEX dossiers_state_updated ON dossiers (state, updated_at);
