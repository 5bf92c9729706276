-- A consultation's revision grows with every change that alters its summary
-- (comments, answers, moderation, details, results), so that the generated
-- XLSX and PDF can be reused until something changes.
ALTER TABLE consultations ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
