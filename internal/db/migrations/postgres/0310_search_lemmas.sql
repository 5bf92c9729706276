-- Search matches lemmas (dictionary forms) computed in Go, the same keys as
-- on SQLite (internal/search/lemma.go): the tsvector is no longer generated
-- by the "russian" configuration but written by search.Put from the keys,
-- through the "simple" configuration, which only splits and lower-cases.
-- search.Reindex, run by the search area at start, fills it for every
-- document whose lex_version is older than the code's.
ALTER TABLE search_docs DROP COLUMN tsv;
ALTER TABLE search_docs ADD COLUMN tsv tsvector NOT NULL DEFAULT ''::tsvector;
ALTER TABLE search_docs ADD COLUMN lex_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
CREATE INDEX search_docs_lex_version ON search_docs (lex_version);
