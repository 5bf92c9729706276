-- A visitor may leave only a suggestion («что добавить на сайт?») without
-- scoring the page; a missing score is NULL, which AVG leaves out.
ALTER TABLE site_feedback ALTER COLUMN relevance DROP NOT NULL;
ALTER TABLE site_feedback ALTER COLUMN completeness DROP NOT NULL;
ALTER TABLE site_feedback ALTER COLUMN usefulness DROP NOT NULL;
