-- The search index (internal/search). search_docs keeps each public
-- document's original text for snippets; search_fts holds its words as
-- Snowball stems, because modernc.org/sqlite cannot load a Russian
-- tokenizer; queries are stemmed the same way in Go.
CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    indexed_at TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, type, object_id)
);

-- Contentless (the stems are never read back; rowid is search_docs.id),
-- with contentless_delete so that a document can be replaced or removed.
-- The columns hold stems that Go has already lower-cased and split at every
-- non-letter, so the plain ascii tokenizer (which keeps non-ASCII bytes
-- inside tokens) splits them exactly as Go did, at a fraction of the cost
-- of unicode61.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'ascii'
);
-- The rank column weighs a match in the title five times one in the body;
-- as a column it can be used where bm25() itself cannot (windows, CTEs).
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');

CREATE TABLE search_doc_spheres (
    doc_id INTEGER NOT NULL REFERENCES search_docs(id) ON DELETE CASCADE,
    sphere TEXT NOT NULL,
    PRIMARY KEY (doc_id, sphere)
);
CREATE INDEX search_doc_spheres_sphere ON search_doc_spheres (sphere, doc_id);
