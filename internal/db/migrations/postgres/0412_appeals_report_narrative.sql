-- The quarterly report's narrative written by staff: conclusions and the
-- measures taken (8-FZ art. 13 p. 1 item 9), published with the figures.
ALTER TABLE appeal_reports ADD COLUMN narrative TEXT NOT NULL DEFAULT '';
