CREATE TABLE roadmaps (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    approving_act TEXT NOT NULL DEFAULT '',
    period_from TEXT NOT NULL DEFAULT '',
    period_to TEXT NOT NULL DEFAULT '',
    source_name TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX roadmaps_municipality ON roadmaps (municipality_id, id);

CREATE TABLE roadmap_mechanisms (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    roadmap_id INTEGER NOT NULL REFERENCES roadmaps(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (roadmap_id, number)
);

CREATE TABLE roadmap_measures (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    roadmap_id INTEGER NOT NULL REFERENCES roadmaps(id) ON DELETE CASCADE,
    mechanism_id INTEGER NOT NULL REFERENCES roadmap_mechanisms(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    expected_result TEXT NOT NULL DEFAULT '',
    has_indicator BOOLEAN NOT NULL DEFAULT FALSE,
    indicator_kind TEXT NOT NULL DEFAULT '',
    indicator_target INTEGER NOT NULL DEFAULT 0,
    indicator_limit BOOLEAN NOT NULL DEFAULT FALSE,
    schedule_kind TEXT NOT NULL,
    schedule_from TEXT NOT NULL DEFAULT '',
    schedule_to TEXT NOT NULL DEFAULT '',
    schedule_every TEXT NOT NULL DEFAULT '',
    schedule_text TEXT NOT NULL DEFAULT '',
    schedule_manual BOOLEAN NOT NULL DEFAULT FALSE,
    rule_kinds TEXT NOT NULL DEFAULT '',
    rule_spheres TEXT NOT NULL DEFAULT '',
    rule_words TEXT NOT NULL DEFAULT '',
    rule_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (roadmap_id, number)
);
CREATE INDEX roadmap_measures_roadmap ON roadmap_measures (roadmap_id, position);

CREATE TABLE roadmap_units (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    measure_id INTEGER NOT NULL REFERENCES roadmap_measures(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL
);
CREATE INDEX roadmap_units_measure ON roadmap_units (measure_id, position);
CREATE INDEX roadmap_units_department ON roadmap_units (department_id);

CREATE TABLE roadmap_links (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    measure_id INTEGER NOT NULL REFERENCES roadmap_measures(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    done_on TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX roadmap_links_measure ON roadmap_links (measure_id, done_on);

CREATE TABLE roadmap_reminders (
    measure_id INTEGER NOT NULL REFERENCES roadmap_measures(id) ON DELETE CASCADE,
    due_on TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (measure_id, due_on)
);

CREATE TABLE roadmap_criteria (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    weight INTEGER NOT NULL,
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX roadmap_criteria_municipality ON roadmap_criteria (municipality_id, position);

CREATE TABLE roadmap_assessments (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    mechanism_id INTEGER NOT NULL REFERENCES roadmap_mechanisms(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    score INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (mechanism_id, year)
);

CREATE TABLE roadmap_assessment_scores (
    assessment_id INTEGER NOT NULL REFERENCES roadmap_assessments(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES roadmap_criteria(id) ON DELETE CASCADE,
    value INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, criterion_id)
);
