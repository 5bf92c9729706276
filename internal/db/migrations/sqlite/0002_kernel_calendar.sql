-- The administrator's corrections of the production calendar belong to the
-- deadline kernel, read by every area that counts terms.
CREATE TABLE calendar_days (
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    day TEXT NOT NULL,
    working BOOLEAN NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (municipality_id, day)
);
