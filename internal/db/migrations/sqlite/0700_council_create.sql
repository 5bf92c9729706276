CREATE TABLE council_documents (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    act_id INTEGER,
    url TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL DEFAULT '',
    act_date TEXT NOT NULL DEFAULT '',
    approved_at TIMESTAMP NOT NULL
);
CREATE INDEX council_documents_mun ON council_documents (municipality_id, kind, id);

CREATE TABLE council_compositions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    term_from TEXT NOT NULL DEFAULT '',
    term_to TEXT NOT NULL DEFAULT '',
    act_id INTEGER,
    act_url TEXT NOT NULL DEFAULT '',
    act_number TEXT NOT NULL DEFAULT '',
    act_date TEXT NOT NULL DEFAULT '',
    approved_at TIMESTAMP,
    is_current BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX council_compositions_mun ON council_compositions (municipality_id, id);

CREATE TABLE council_members (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    composition_id INTEGER NOT NULL REFERENCES council_compositions(id) ON DELETE CASCADE,
    account_id INTEGER,
    full_name TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT 'member',
    term_from TEXT NOT NULL DEFAULT '',
    term_to TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    photo_file_id INTEGER,
    photo_alt TEXT NOT NULL DEFAULT '',
    represents TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX council_members_composition ON council_members (composition_id, sort, id);

CREATE TABLE council_plans (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    year INTEGER NOT NULL,
    act_id INTEGER,
    act_url TEXT NOT NULL DEFAULT '',
    act_number TEXT NOT NULL DEFAULT '',
    act_date TEXT NOT NULL DEFAULT '',
    approved_at TIMESTAMP,
    UNIQUE (municipality_id, year)
);

CREATE TABLE council_plan_items (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    plan_id INTEGER NOT NULL REFERENCES council_plans(id) ON DELETE CASCADE,
    quarter INTEGER NOT NULL,
    title TEXT NOT NULL,
    member_id INTEGER REFERENCES council_members(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'planned',
    reason TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX council_plan_items_plan ON council_plan_items (plan_id, quarter, sort, id);

CREATE TABLE council_meetings (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    documents TEXT NOT NULL DEFAULT '',
    video_url TEXT NOT NULL DEFAULT '',
    is_open BOOLEAN NOT NULL DEFAULT FALSE,
    capacity INTEGER NOT NULL DEFAULT 0,
    registered INTEGER NOT NULL DEFAULT 0,
    registration_closes_at TIMESTAMP,
    minutes TEXT NOT NULL DEFAULT '',
    minutes_published_at TIMESTAMP,
    held_recorded BOOLEAN NOT NULL DEFAULT FALSE,
    reminded BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX council_meetings_mun ON council_meetings (municipality_id, starts_at);

CREATE TABLE council_registrations (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    meeting_id INTEGER NOT NULL REFERENCES council_meetings(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'resident',
    outlet TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, account_id)
);

CREATE TABLE council_decisions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    meeting_id INTEGER NOT NULL REFERENCES council_meetings(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    department_id INTEGER,
    due_date TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    reminded_on TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX council_decisions_due ON council_decisions (municipality_id, status, due_date);

CREATE TABLE council_methodologies (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    scale_max INTEGER NOT NULL DEFAULT 5,
    scorers TEXT NOT NULL DEFAULT '',
    act_id INTEGER,
    act_url TEXT NOT NULL DEFAULT '',
    act_number TEXT NOT NULL DEFAULT '',
    act_date TEXT NOT NULL DEFAULT '',
    approved_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE council_criteria (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    methodology_id INTEGER NOT NULL REFERENCES council_methodologies(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    weight INTEGER NOT NULL,
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX council_criteria_methodology ON council_criteria (methodology_id, sort, id);

CREATE TABLE council_runs (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    methodology_id INTEGER NOT NULL REFERENCES council_methodologies(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    scorers INTEGER NOT NULL DEFAULT 0,
    total_x100 INTEGER NOT NULL DEFAULT 0,
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX council_runs_mun ON council_runs (municipality_id, id);

CREATE TABLE council_scores (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    run_id INTEGER NOT NULL REFERENCES council_runs(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES council_criteria(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL,
    score INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (run_id, criterion_id, account_id)
);

CREATE TABLE council_results (
    run_id INTEGER NOT NULL REFERENCES council_runs(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES council_criteria(id) ON DELETE CASCADE,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    average_x100 INTEGER NOT NULL,
    scorers INTEGER NOT NULL,
    PRIMARY KEY (run_id, criterion_id)
);
