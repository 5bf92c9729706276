-- The facets of a search with many matches are counted on an even sample of
-- them: the documents whose id, hashed by Fibonacci hashing into 0…4095,
-- falls below a bound (search.sampleHash, docs/search.md). On PostgreSQL the
-- hash is kept in a column with an index of its own, so that the planner can
-- AND the full-text index's bitmap with the bucket range's and visit only the
-- sampled rows, where the hash as an expression must be computed on every
-- matching row read from the heap.
ALTER TABLE search_docs ADD COLUMN bucket INTEGER GENERATED ALWAYS AS ((((id * 2654435769) & 4294967295) >> 20)::integer) STORED;
CREATE INDEX search_docs_bucket ON search_docs (bucket);
