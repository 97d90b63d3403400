-- The fee as charged when a dossier opened, and capture edits in the
-- event log. Same version in migrations/sqlite and migrations/postgres.
--
-- dossiers.fee_detail: JSON of the priced fee (channel, rule and table ids,
-- base amount, reduction, legal basis, explanations), so the console shows
-- the fee actually charged, not one recomputed later; NULL for dossiers
-- opened before this version or bulk-loaded by the seeder.
ALTER TABLE dossiers ADD COLUMN fee_detail TEXT;
-- dossier_events.kind: 'transition' (a workflow step) or 'capture' (the
-- fingerprints, portrait or features were recorded or changed, the state
-- unchanged). Every event bumps the dossier's version.
ALTER TABLE dossier_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'transition';
