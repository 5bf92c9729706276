package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// engine is what differs between SQLite and PostgreSQL. engineFor is the
// one place that chooses; everything else in the package is shared.
type engine interface {
	// indexed updates the full-text index after the search_docs row id
	// was written for p; replace tells whether the row existed before.
	indexed(ctx context.Context, tx *db.Tx, id int64, p prepared, replace bool) error
	// unindexed drops row id from the full-text index before it is deleted.
	unindexed(ctx context.Context, tx *db.Tx, id int64) error
	// search returns one page of hits, best first, and the total number of
	// matches (0 when the page is empty).
	search(ctx context.Context, d *db.DB, p plan) ([]Hit, int, error)
	// count is the number of matches of p.
	count(ctx context.Context, d *db.DB, p plan) (int, error)
	// bare runs the engine's own full-text query for the same words with no
	// join, filter, total or snippet, for the benchmark that measures what
	// the rest costs.
	bare(ctx context.Context, d *db.DB, p plan) (int, error)
}

func engineFor(d *db.DB) engine {
	if d.Dialect == db.Postgres {
		return postgresEngine{}
	}
	return sqliteEngine{}
}

// sqliteEngine keeps stems, not words, in a contentless FTS5 table whose
// rowid is the search_docs id: modernc.org/sqlite cannot load a custom
// tokenizer, so words are stemmed in Go on the way in and on the way out,
// and the original text in search_docs serves the snippets.
type sqliteEngine struct{}

// sqliteRank is FTS5's rank column, which the migration sets to
// bm25(5.0, 1.0): a match in the title weighs five times one in the body.
const sqliteRank = `search_fts.rank`

func (sqliteEngine) indexed(ctx context.Context, tx *db.Tx, id int64, p prepared, replace bool) error {
	q := `INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)`
	if replace {
		// This is how a contentless_delete table replaces a row.
		q = `INSERT OR REPLACE INTO search_fts (rowid, title, body) VALUES (?, ?, ?)`
	}
	_, err := tx.Exec(ctx, q, id, stemText(p.Title), stemText(p.Body))
	if err != nil {
		return fmt.Errorf("write full-text row: %w", err)
	}
	return nil
}

func (sqliteEngine) unindexed(ctx context.Context, tx *db.Tx, id int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM search_fts WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("delete full-text row: %w", err)
	}
	return nil
}

func (sqliteEngine) search(ctx context.Context, d *db.DB, p plan) ([]Hit, int, error) {
	where, args := p.filters()
	// Rank and count over ids only, then fetch the texts of one page: the
	// sorter never carries bodies of documents that are not shown.
	q := `WITH page AS (
		SELECT d.id, ` + sqliteRank + ` AS rank, d.published_at, COUNT(*) OVER () AS total
		FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
		WHERE search_fts MATCH ?` + where + `
		ORDER BY rank, d.published_at DESC, d.id
		LIMIT ? OFFSET ?)
	SELECT d.type, d.object_id, d.title, d.body, d.url, d.published_at, page.total
	FROM page JOIN search_docs d ON d.id = page.id
	ORDER BY page.rank, page.published_at DESC, page.id`
	all := append([]any{ftsMatch(p.query.Stems)}, args...)
	all = append(all, p.limit, p.offset)
	rows, err := d.Query(ctx, q, all...)
	if err != nil {
		return nil, 0, fmt.Errorf("query full-text index: %w", err)
	}
	defer rows.Close()
	var hits []Hit
	total := 0
	for rows.Next() {
		var h Hit
		var body string
		if err := rows.Scan(&h.Type, &h.ObjectID, &h.Title, &body, &h.URL, &h.PublishedAt, &total); err != nil {
			return nil, 0, fmt.Errorf("scan hit: %w", err)
		}
		h.Snippet = snippet(body, p.query.Stems)
		h.PublishedAt = h.PublishedAt.UTC()
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read hits: %w", err)
	}
	return hits, total, nil
}

func (sqliteEngine) count(ctx context.Context, d *db.DB, p plan) (int, error) {
	where, args := p.filters()
	var n int
	err := d.QueryRow(ctx, `SELECT COUNT(*) FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ?`+where,
		append([]any{ftsMatch(p.query.Stems)}, args...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count matches: %w", err)
	}
	return n, nil
}

func (sqliteEngine) bare(ctx context.Context, d *db.DB, p plan) (int, error) {
	rows, err := d.Query(ctx, `SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY `+sqliteRank+` LIMIT ?`, ftsMatch(p.query.Stems), p.limit)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}

// postgresEngine uses the built-in "russian" configuration: search_docs.tsv
// is a generated column (title weighted A, body B) under a GIN index.
type postgresEngine struct{}

// The query is built by plainto_tsquery from the words parseQuery kept, so
// that both engines read the same words and no user syntax reaches the
// tsquery parser.
const (
	pgQuery = `plainto_tsquery('russian', ?)`
	// Normalisation 1 divides by the log of the document length so that a
	// long act does not outrank a short page just for being long.
	pgRank = `ts_rank(d.tsv, ` + pgQuery + `, 1)`
)

// pgHeadline marks matches with sentinels, never with HTML: the output is
// escaped in Go and only then do the sentinels become <mark>.
var pgHeadline = fmt.Sprintf("StartSel=%c, StopSel=%c, MaxWords=%d, MinWords=%d, ShortWord=2, MaxFragments=2, FragmentDelimiter=\" … \"",
	markOpen, markClose, snippetWords, snippetWords/2)

func (postgresEngine) indexed(context.Context, *db.Tx, int64, prepared, bool) error { return nil }

func (postgresEngine) unindexed(context.Context, *db.Tx, int64) error { return nil }

func (postgresEngine) search(ctx context.Context, d *db.DB, p plan) ([]Hit, int, error) {
	where, args := p.filters()
	words := strings.Join(p.query.Words, " ")
	q := `SELECT d.type, d.object_id, d.title, ts_headline('russian', d.body, ` + pgQuery + `, ?), d.url, d.published_at, page.total
	FROM (
		SELECT d.id, ` + pgRank + ` AS rank, d.published_at, COUNT(*) OVER () AS total
		FROM search_docs d
		WHERE d.tsv @@ ` + pgQuery + where + `
		ORDER BY rank DESC, d.published_at DESC, d.id
		LIMIT ? OFFSET ?) page
	JOIN search_docs d ON d.id = page.id
	ORDER BY page.rank DESC, page.published_at DESC, page.id`
	all := []any{words, pgHeadline, words, words}
	all = append(all, args...)
	all = append(all, p.limit, p.offset)
	rows, err := d.Query(ctx, q, all...)
	if err != nil {
		return nil, 0, fmt.Errorf("query text index: %w", err)
	}
	defer rows.Close()
	var hits []Hit
	total := 0
	for rows.Next() {
		var h Hit
		var head string
		var published time.Time
		if err := rows.Scan(&h.Type, &h.ObjectID, &h.Title, &head, &h.URL, &published, &total); err != nil {
			return nil, 0, fmt.Errorf("scan hit: %w", err)
		}
		h.Snippet = markup(head)
		h.PublishedAt = published.UTC()
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read hits: %w", err)
	}
	return hits, total, nil
}

func (postgresEngine) count(ctx context.Context, d *db.DB, p plan) (int, error) {
	where, args := p.filters()
	var n int
	err := d.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs d WHERE d.tsv @@ `+pgQuery+where,
		append([]any{strings.Join(p.query.Words, " ")}, args...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count matches: %w", err)
	}
	return n, nil
}

func (postgresEngine) bare(ctx context.Context, d *db.DB, p plan) (int, error) {
	words := strings.Join(p.query.Words, " ")
	rows, err := d.Query(ctx, `SELECT d.id FROM search_docs d WHERE d.tsv @@ `+pgQuery+` ORDER BY `+pgRank+` DESC LIMIT ?`, words, words, p.limit)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}
