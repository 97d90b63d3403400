-- The period an office is in force (thời gian hoạt động), as ISO dates,
-- both days included, NULL = open-ended. District police ended on
-- 28/02/2025 and the 63 provinces became 34 on 01/07/2025 (Resolution
-- 202/2025/QH15): ended offices stay, so their dossiers keep naming them.
ALTER TABLE offices ADD COLUMN valid_from TEXT;
ALTER TABLE offices ADD COLUMN valid_until TEXT;
