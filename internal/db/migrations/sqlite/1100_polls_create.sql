-- Surveys (roadmap measure 2.2): questions, one response per account or
-- browser, the answers, and the editors' queue of the site's «what to add»
-- suggestions.
CREATE TABLE poll_surveys (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT 'anyone',
    audience_group TEXT NOT NULL DEFAULT '',
    live_results BOOLEAN NOT NULL DEFAULT FALSE,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    results_published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX poll_surveys_municipality ON poll_surveys (municipality_id, opens_at);

CREATE TABLE poll_questions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    survey_id INTEGER NOT NULL REFERENCES poll_surveys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    required BOOLEAN NOT NULL DEFAULT FALSE,
    options TEXT NOT NULL DEFAULT '',
    matrix_rows TEXT NOT NULL DEFAULT ''
);
CREATE INDEX poll_questions_survey ON poll_questions (survey_id, position);

CREATE TABLE poll_responses (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    survey_id INTEGER NOT NULL REFERENCES poll_surveys(id) ON DELETE CASCADE,
    respondent TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (survey_id, respondent)
);

CREATE TABLE poll_answers (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    survey_id INTEGER NOT NULL REFERENCES poll_surveys(id) ON DELETE CASCADE,
    response_id INTEGER NOT NULL REFERENCES poll_responses(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES poll_questions(id) ON DELETE CASCADE,
    row_index INTEGER NOT NULL DEFAULT 0,
    choice INTEGER NOT NULL DEFAULT -1,
    text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT ''
);
CREATE INDEX poll_answers_tally ON poll_answers (survey_id, question_id, row_index, choice);
CREATE INDEX poll_answers_response ON poll_answers (response_id);
CREATE INDEX poll_answers_status ON poll_answers (municipality_id, status);

CREATE TABLE poll_wishes (
    feedback_id INTEGER PRIMARY KEY REFERENCES site_feedback(id) ON DELETE CASCADE,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    handled_by INTEGER,
    handled_at TIMESTAMP NOT NULL
);
CREATE INDEX poll_wishes_status ON poll_wishes (municipality_id, status);
