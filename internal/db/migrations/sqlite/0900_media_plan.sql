CREATE TABLE media_plans (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    act_number TEXT NOT NULL DEFAULT '',
    act_date TEXT NOT NULL DEFAULT '',
    act_url TEXT NOT NULL DEFAULT '',
    approved_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, year)
);

CREATE TABLE media_plan_items (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    plan_id INTEGER NOT NULL REFERENCES media_plans(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    channel TEXT NOT NULL,
    week_start TEXT NOT NULL,
    planned_date TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments(id),
    material TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned',
    status_reason TEXT NOT NULL DEFAULT '',
    moved_to TEXT NOT NULL DEFAULT '',
    publication_url TEXT NOT NULL DEFAULT '',
    publication_title TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX media_plan_items_plan ON media_plan_items (plan_id, week_start, id);
CREATE INDEX media_plan_items_week ON media_plan_items (municipality_id, week_start);
