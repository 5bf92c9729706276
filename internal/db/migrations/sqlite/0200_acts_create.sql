-- Register of municipal legal acts (mechanism 3), their plain-language
-- explanations (measure 3.1) and law-enforcement practice reviews (measure 8.3).

CREATE TABLE acts (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    act_date TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    published BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TIMESTAMP,
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, kind, number, act_date)
);
CREATE INDEX acts_public ON acts (municipality_id, published, act_date DESC, id DESC);

CREATE TABLE act_spheres (
    act_id INTEGER NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    sphere_id INTEGER NOT NULL REFERENCES spheres(id) ON DELETE CASCADE,
    PRIMARY KEY (act_id, sphere_id)
);
CREATE INDEX act_spheres_sphere ON act_spheres (sphere_id, act_id);

CREATE TABLE act_links (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    from_act_id INTEGER NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    to_act_id INTEGER NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (from_act_id, to_act_id, kind)
);
CREATE INDEX act_links_to ON act_links (to_act_id);

CREATE TABLE act_files (
    act_id INTEGER NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL REFERENCES files(id),
    title TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (act_id, file_id)
);

CREATE TABLE act_explanations (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    act_id INTEGER NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    file_id INTEGER REFERENCES files(id),
    video_url TEXT NOT NULL DEFAULT '',
    audio_file_id INTEGER REFERENCES files(id),
    audio_status TEXT NOT NULL DEFAULT '',
    audio_hash TEXT NOT NULL DEFAULT '',
    published BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX act_explanations_act ON act_explanations (act_id, id);

CREATE TABLE practice_reviews (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    body_md TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    published BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX practice_reviews_public ON practice_reviews (municipality_id, published, period_to DESC, id DESC);

CREATE TABLE practice_review_acts (
    review_id INTEGER NOT NULL REFERENCES practice_reviews(id) ON DELETE CASCADE,
    act_id INTEGER NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
    PRIMARY KEY (review_id, act_id)
);
CREATE INDEX practice_review_acts_act ON practice_review_acts (act_id);
