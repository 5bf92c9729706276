-- Long work started in the browser (a dataset generation, a report) runs as
-- a River job; its task row is what the person watches at /admin/jobs/{id}:
-- progress while it runs, the result or the failure when it ends.
CREATE TABLE job_tasks (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    account_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    result_url TEXT NOT NULL DEFAULT '',
    result_label TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
CREATE INDEX job_tasks_account ON job_tasks (municipality_id, account_id, id);
