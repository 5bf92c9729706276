-- Where an appeal came from for the report under Decree of the President
-- No. 171: directly from the citizen ('') or forwarded by another body
-- (its name), as the ССТУ and the quarterly report count them.
ALTER TABLE appeals ADD COLUMN received_from TEXT NOT NULL DEFAULT '';

-- Personal receptions of citizens by officials (приём граждан, art. 13 of
-- 59-FZ): when, who received, how many citizens and questions. The note
-- may name people and stays with staff; reports count receptions only.
CREATE TABLE appeal_receptions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    held_on TEXT NOT NULL,
    official TEXT NOT NULL,
    citizens INTEGER NOT NULL CHECK (citizens >= 0),
    questions INTEGER NOT NULL CHECK (questions >= 0),
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX appeal_receptions_held ON appeal_receptions (municipality_id, held_on);

-- The report's question and source breakdowns read these two columns over
-- the registration-date range without visiting the rows' long texts.
CREATE INDEX appeals_report_question ON appeals (municipality_id, registered_on, question_code, received_from);
