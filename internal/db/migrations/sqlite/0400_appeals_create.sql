-- Citizens' appeals under Federal Law No. 59-FZ (mechanism 9 of the roadmap).

-- Registration numbers are sequential per municipality per year; the row is
-- bumped inside the registering transaction, which serialises concurrent
-- registrations on both engines.
CREATE TABLE appeal_counters (
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (municipality_id, year)
);

-- The standard thematic classifier of appeals (ТОТКО), imported from CSV.
CREATE TABLE appeal_topics (
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    code TEXT NOT NULL,
    level INTEGER NOT NULL,
    title TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_id, code)
);

CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    number TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    register_by TEXT NOT NULL,
    forward_by TEXT NOT NULL,
    answer_by TEXT NOT NULL,
    answer_by_original TEXT NOT NULL,
    extended_days INTEGER NOT NULL DEFAULT 0,
    closed_on TEXT,
    late BOOLEAN NOT NULL DEFAULT FALSE,
    addressee TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments(id),
    assignee_id INTEGER REFERENCES accounts(id),
    account_id INTEGER REFERENCES accounts(id),
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT NOT NULL DEFAULT '',
    search_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    email_norm TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    phone_norm TEXT NOT NULL DEFAULT '',
    postal_address TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    collective BOOLEAN NOT NULL DEFAULT FALSE,
    cosigners TEXT NOT NULL DEFAULT '',
    repeated BOOLEAN NOT NULL DEFAULT FALSE,
    section_code TEXT NOT NULL DEFAULT '',
    topic_code TEXT NOT NULL DEFAULT '',
    question_code TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    forwarded_to TEXT NOT NULL DEFAULT '',
    close_ground TEXT NOT NULL DEFAULT '',
    consent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, number)
);
-- The report and the counter aggregate over a registration-date range;
-- the index covers every column they group or count by, so that they read
-- the index alone and never the rows with their long texts.
CREATE INDEX appeals_registered ON appeals (municipality_id, registered_on, channel, kind, section_code, topic_code, department_id, result, status, late, collective, repeated, answer_by);
CREATE INDEX appeals_open ON appeals (municipality_id, status, answer_by);
CREATE INDEX appeals_search_name ON appeals (municipality_id, search_name, registered_on);
CREATE INDEX appeals_email ON appeals (municipality_id, email_norm);
CREATE INDEX appeals_phone ON appeals (municipality_id, phone_norm);
CREATE INDEX appeals_account ON appeals (account_id, registered_on);
CREATE INDEX appeals_department ON appeals (municipality_id, department_id, status);

-- The history of an appeal. Public rows are shown to the appellant; the
-- others (call log, internal notes) only to staff.
CREATE TABLE appeal_events (
    id INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL REFERENCES appeals(id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, at);

CREATE TABLE appeal_files (
    appeal_id INTEGER NOT NULL REFERENCES appeals(id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL REFERENCES files(id),
    role TEXT NOT NULL,
    PRIMARY KEY (appeal_id, file_id)
);
CREATE INDEX appeal_files_file ON appeal_files (file_id);

-- Calls to the reference line, with or without an appeal found.
CREATE TABLE appeal_calls (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    appeal_id INTEGER REFERENCES appeals(id) ON DELETE SET NULL,
    account_id INTEGER REFERENCES accounts(id),
    note TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX appeal_calls_browse ON appeal_calls (municipality_id, at);

-- Reminders already sent, so that the periodic job sends each once.
CREATE TABLE appeal_reminders (
    appeal_id INTEGER NOT NULL REFERENCES appeals(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    due TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (appeal_id, kind, due)
);

-- The administrator's corrections of the production calendar for the
-- municipality (a region's own holidays), on top of the shipped calendar.
CREATE TABLE appeal_calendar_days (
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    day TEXT NOT NULL,
    working BOOLEAN NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (municipality_id, day)
);

-- Analytical reports (measure 9.2): aggregates only, never personal data.
CREATE TABLE appeal_reports (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    UNIQUE (municipality_id, period_from, period_to)
);
CREATE INDEX appeal_reports_published ON appeal_reports (municipality_id, status, period_from);
