-- Open data: the publisher's settings, datasets with passports, their
-- structures (versioned by date) and immutable versions.
CREATE TABLE opendata_settings (
    municipality_id INTEGER PRIMARY KEY REFERENCES municipalities(id),
    inn TEXT NOT NULL,
    publisher_name TEXT NOT NULL DEFAULT '',
    publisher_phone TEXT NOT NULL DEFAULT '',
    publisher_email TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE opendata_datasets (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    creator TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    provenance TEXT NOT NULL DEFAULT '',
    valid_date TEXT NOT NULL DEFAULT '',
    publisher_name TEXT NOT NULL DEFAULT '',
    publisher_phone TEXT NOT NULL DEFAULT '',
    publisher_email TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments(id),
    responsible_id INTEGER REFERENCES accounts(id),
    update_days INTEGER NOT NULL DEFAULT 30,
    generated BOOLEAN NOT NULL DEFAULT FALSE,
    checked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, code)
);

CREATE TABLE opendata_structures (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    dataset_id INTEGER NOT NULL REFERENCES opendata_datasets(id),
    name TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (dataset_id, name)
);

CREATE TABLE opendata_versions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    dataset_id INTEGER NOT NULL REFERENCES opendata_datasets(id),
    structure_id INTEGER NOT NULL REFERENCES opendata_structures(id),
    name TEXT NOT NULL,
    content BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (dataset_id, name)
);
CREATE INDEX opendata_versions_dataset ON opendata_versions (dataset_id, id);
CREATE INDEX opendata_versions_recent ON opendata_versions (municipality_id, created_at);

-- A published version is never rewritten or removed.
CREATE TRIGGER opendata_versions_immutable BEFORE UPDATE ON opendata_versions
BEGIN
    SELECT RAISE(ABORT, 'opendata versions are immutable');
END;
CREATE TRIGGER opendata_versions_undeletable BEFORE DELETE ON opendata_versions
BEGIN
    SELECT RAISE(ABORT, 'opendata versions are immutable');
END;

CREATE TABLE opendata_reminders (
    dataset_id INTEGER NOT NULL REFERENCES opendata_datasets(id),
    week TEXT NOT NULL,
    PRIMARY KEY (dataset_id, week)
);
