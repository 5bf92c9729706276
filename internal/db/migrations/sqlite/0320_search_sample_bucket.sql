-- The facets' sample (search.sampleHash) needs nothing on SQLite: the hash
-- is computed from the FTS5 rowid before any row is read. PostgreSQL keeps
-- it in an indexed column (the migration of the same number there); this
-- one keeps the two engines' migration lists the same.
SELECT 1;
