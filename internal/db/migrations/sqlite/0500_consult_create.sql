CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments(id),
    impact TEXT NOT NULL DEFAULT '',
    participation TEXT NOT NULL,
    moderation TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMP,
    opened_at TIMESTAMP,
    results_published_at TIMESTAMP,
    act_number TEXT NOT NULL DEFAULT '',
    act_date TEXT NOT NULL DEFAULT '',
    act_url TEXT NOT NULL DEFAULT '',
    comment_seq INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX consultations_list ON consultations (municipality_id, published_at);

CREATE TABLE consultation_spheres (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    sphere_id INTEGER NOT NULL REFERENCES spheres(id),
    PRIMARY KEY (consultation_id, sphere_id)
);

CREATE TABLE consultation_stages (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    position INTEGER NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (consultation_id, stage)
);

CREATE TABLE consultation_versions (
    id INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    final BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (consultation_id, number)
);

CREATE TABLE consultation_comments (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES consultation_versions(id),
    receipt TEXT NOT NULL UNIQUE,
    account_id INTEGER REFERENCES accounts(id),
    author_kind TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    point TEXT NOT NULL DEFAULT '',
    point_label TEXT NOT NULL DEFAULT '',
    quote TEXT NOT NULL DEFAULT '',
    quote_start INTEGER NOT NULL DEFAULT -1,
    quote_end INTEGER NOT NULL DEFAULT -1,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    held_reason TEXT NOT NULL DEFAULT '',
    reject_reason TEXT NOT NULL DEFAULT '',
    moderated_by INTEGER REFERENCES accounts(id),
    moderated_at TIMESTAMP,
    decision TEXT NOT NULL DEFAULT '',
    decision_reason TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES accounts(id),
    answered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consultation_comments_page ON consultation_comments (consultation_id, status, id);
CREATE INDEX consultation_comments_point ON consultation_comments (consultation_id, point);
CREATE INDEX consultation_comments_queue ON consultation_comments (municipality_id, status, id);

CREATE TABLE consult_blocks (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    account_id INTEGER REFERENCES accounts(id),
    email TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    lifted_by INTEGER REFERENCES accounts(id),
    lifted_at TIMESTAMP
);
CREATE INDEX consult_blocks_active ON consult_blocks (municipality_id, lifted_at);

CREATE TABLE consult_settings (
    municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
    word_list TEXT NOT NULL DEFAULT '',
    wording_rules TEXT NOT NULL DEFAULT '',
    moderation_rules TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE consult_experts (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    accreditation_number TEXT NOT NULL,
    accreditation_date TEXT NOT NULL,
    members TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    reject_reason TEXT NOT NULL DEFAULT '',
    verified_by INTEGER REFERENCES accounts(id),
    verified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, account_id)
);

CREATE TABLE consult_conclusions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES consult_experts(id),
    show_name BOOLEAN NOT NULL DEFAULT FALSE,
    factors TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES accounts(id),
    answered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consult_conclusions_due ON consult_conclusions (municipality_id, answered_at, due_on);

CREATE TABLE consult_goals (
    id INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    indicator TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE consult_goal_progress (
    id INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES consult_goals(id) ON DELETE CASCADE,
    on_date TEXT NOT NULL,
    planned TEXT NOT NULL DEFAULT '',
    actual TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    entered_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consult_goal_progress_goal ON consult_goal_progress (goal_id, on_date);
