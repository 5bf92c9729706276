-- Search matches lemmas (dictionary forms) instead of Snowball stems
-- (internal/search/lemma.go). The full-text rows are rebuilt from
-- search_docs by search.Reindex, which the search area runs at start for
-- every document whose lex_version is older than the code's.
--
-- The filter columns travel in the full-text table as UNINDEXED columns
-- (stored by contentless_unindexed = 1), so that ranking, filtering and
-- counting the matches read the small FTS5 content rows and never join
-- search_docs, whose rows carry whole texts: only the page shown is joined.
-- published is Unix seconds (UTC), year its UTC year, spheres the sphere
-- slugs with a space before and after each (" housing urban ").
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body,
    mun UNINDEXED, type UNINDEXED, published UNINDEXED, year UNINDEXED, spheres UNINDEXED,
    content = '', contentless_delete = 1, contentless_unindexed = 1,
    tokenize = 'ascii'
);
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
ALTER TABLE search_docs ADD COLUMN lex_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX search_docs_lex_version ON search_docs (lex_version);
