CREATE TABLE media_digests (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    week_start TEXT NOT NULL,
    total INTEGER NOT NULL,
    previous_total INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, week_start)
);
