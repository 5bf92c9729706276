CREATE TABLE media_week_reports (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    week_start TEXT NOT NULL,
    planned INTEGER NOT NULL,
    done INTEGER NOT NULL,
    moved INTEGER NOT NULL,
    cancelled INTEGER NOT NULL,
    open_items INTEGER NOT NULL,
    items TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, week_start)
);
