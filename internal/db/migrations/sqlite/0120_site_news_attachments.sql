-- Photos (with their alternative text) and documents attached to news items.
CREATE TABLE site_news_attachments (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    news_id INTEGER NOT NULL REFERENCES site_news(id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL REFERENCES files(id),
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    alt TEXT NOT NULL DEFAULT '',
    caption TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES accounts(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (news_id, file_id)
);
CREATE INDEX site_news_attachments_news ON site_news_attachments (news_id, kind, position, id);
