CREATE TABLE training_courses (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    code_title TEXT NOT NULL DEFAULT '',
    code_url TEXT NOT NULL DEFAULT '',
    material TEXT NOT NULL DEFAULT '',
    quiz TEXT NOT NULL DEFAULT '',
    pass_mark INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, title)
);

CREATE TABLE training_attempts (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    course_id INTEGER NOT NULL REFERENCES training_courses(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    number INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    total INTEGER NOT NULL,
    score INTEGER NOT NULL,
    passed BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (course_id, account_id, number)
);

CREATE TABLE training_completions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    course_id INTEGER NOT NULL REFERENCES training_courses(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    full_name TEXT NOT NULL,
    course_title TEXT NOT NULL,
    score INTEGER NOT NULL,
    code TEXT NOT NULL UNIQUE,
    completed_at TIMESTAMP NOT NULL,
    UNIQUE (course_id, account_id)
);
CREATE INDEX training_completions_municipality ON training_completions (municipality_id, course_id);
