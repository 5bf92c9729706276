-- A visitor may leave only a suggestion («что добавить на сайт?») without
-- scoring the page; a missing score is NULL, which AVG leaves out.
--
-- SQLite cannot drop NOT NULL, and rebuilding the table is not safe here:
-- poll_wishes (1100) refers to site_feedback with ON DELETE CASCADE, and with
-- foreign keys on (they cannot be turned off inside the migration's
-- transaction) dropping the old table would delete every handled wish. So
-- each score moves to a new nullable column, rows stay where they are.
ALTER TABLE site_feedback ADD COLUMN relevance_opt INTEGER;
ALTER TABLE site_feedback ADD COLUMN completeness_opt INTEGER;
ALTER TABLE site_feedback ADD COLUMN usefulness_opt INTEGER;
UPDATE site_feedback SET relevance_opt = relevance, completeness_opt = completeness, usefulness_opt = usefulness;
ALTER TABLE site_feedback DROP COLUMN relevance;
ALTER TABLE site_feedback DROP COLUMN completeness;
ALTER TABLE site_feedback DROP COLUMN usefulness;
ALTER TABLE site_feedback RENAME COLUMN relevance_opt TO relevance;
ALTER TABLE site_feedback RENAME COLUMN completeness_opt TO completeness;
ALTER TABLE site_feedback RENAME COLUMN usefulness_opt TO usefulness;
