CREATE TABLE media_requests (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    number TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    outlet TEXT NOT NULL,
    certificate TEXT NOT NULL DEFAULT '',
    journalist TEXT NOT NULL,
    contact TEXT NOT NULL,
    question TEXT NOT NULL,
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    accredited BOOLEAN NOT NULL DEFAULT FALSE,
    notice_by TEXT NOT NULL,
    answer_by TEXT NOT NULL,
    status TEXT NOT NULL,
    notice_kind TEXT NOT NULL DEFAULT '',
    notice_reason TEXT NOT NULL DEFAULT '',
    notice_until TEXT NOT NULL DEFAULT '',
    notice_official TEXT NOT NULL DEFAULT '',
    notice_text TEXT NOT NULL DEFAULT '',
    notice_at TIMESTAMP,
    draft TEXT NOT NULL DEFAULT '',
    drafted_by TEXT NOT NULL DEFAULT '',
    drafted_by_id INTEGER,
    drafted_at TIMESTAMP,
    remarks TEXT NOT NULL DEFAULT '',
    checked_by TEXT NOT NULL DEFAULT '',
    checked_at TIMESTAMP,
    answer TEXT NOT NULL DEFAULT '',
    answered_at TIMESTAMP,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, number),
    UNIQUE (municipality_id, year, seq)
);
CREATE INDEX media_requests_status ON media_requests (municipality_id, status, answer_by);
CREATE INDEX media_requests_account ON media_requests (account_id);

CREATE TABLE media_accreditations (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    outlet TEXT NOT NULL,
    person TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX media_accreditations_outlet ON media_accreditations (municipality_id, status, valid_to);
