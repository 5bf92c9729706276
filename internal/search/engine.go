package search

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// engine is what differs between SQLite and PostgreSQL. engineFor is the
// one place that chooses; everything else in the package is shared. Both
// engines index the same keys, computed in Go by keyText (lemmas, or stems
// for words the dictionary does not know), so they find the same documents.
type engine interface {
	// indexed writes the full-text row of a document from the keys of its
	// title and body; replace tells whether the row existed before.
	indexed(ctx context.Context, tx *db.Tx, r ftsRow, replace bool) error
	// unindexed drops row id from the full-text index before it is deleted.
	unindexed(ctx context.Context, tx *db.Tx, id int64) error
	// source is "FROM … WHERE <the full-text condition>" for the given
	// word groups, all of them or any; cols name what it selects from.
	source(groups [][]string, all bool) (string, []any)
	cols() cols
	// rank is the relevance expression (larger is better) for the groups
	// and its arguments.
	rank(groups [][]string) (string, []any)
	// countsInPage tells whether the page query should count the matches
	// too (COUNT(*) OVER ()), rather than a separate count.
	countsInPage() bool
	// scoresInIndex tells whether the rank expression is read from the
	// full-text source itself (FTS5's rank column, valid only in the
	// MATCH query), rather than from a search_docs row d.
	scoresInIndex() bool
	// has is an expression that is 1 when the row has a word of group,
	// else 0.
	has(group []string) (string, []any)
	// bare runs the engine's own full-text query for the same words with no
	// join, filter, total or snippet, for the benchmark that measures what
	// the rest costs.
	bare(ctx context.Context, d *db.DB, p plan) (int, error)
}

// cols are the expressions of a source for the document id and the
// filters: on SQLite the full-text table's own UNINDEXED columns, on
// PostgreSQL search_docs' columns.
type cols struct {
	id, mun, typ, year, published string
	// sphere is a condition with one argument, sphereArg of the slug.
	sphere string
	// spheres is the document's sphere slugs separated by spaces.
	spheres   string
	sphereArg func(string) any
	// bucket is the document's sampleHash.
	bucket string
}

// ftsRow is what the full-text index keeps of a document.
type ftsRow struct {
	id          int64
	mun         int64
	typ         string
	title, body string
	published   time.Time
	spheres     []string
}

func engineFor(d *db.DB) engine {
	if d.Dialect == db.Postgres {
		return postgresEngine{}
	}
	return sqliteEngine{}
}

// sqliteEngine keeps keys, not words, in a contentless FTS5 table whose
// rowid is the search_docs id: modernc.org/sqlite cannot load a custom
// tokenizer, so words are turned into keys in Go on the way in and on the
// way out, and the original text in search_docs serves the snippets.
type sqliteEngine struct{}

func (sqliteEngine) indexed(ctx context.Context, tx *db.Tx, r ftsRow, replace bool) error {
	verb := `INSERT`
	if replace {
		// This is how a contentless_delete table replaces a row.
		verb = `INSERT OR REPLACE`
	}
	sp := ""
	if len(r.spheres) > 0 {
		sp = " " + strings.Join(r.spheres, " ") + " "
	}
	pub := r.published.UTC()
	_, err := tx.Exec(ctx, verb+` INTO search_fts (rowid, title, body, mun, type, published, year, spheres) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		r.id, keyText(r.title), keyText(r.body), r.mun, r.typ, pub.Unix(), pub.Year(), sp)
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

// SQLite counts matches from the index alone, cheaper than making the
// ranking keep every row for a window function.
func (sqliteEngine) countsInPage() bool { return false }

func (sqliteEngine) scoresInIndex() bool { return true }

func (sqliteEngine) source(groups [][]string, all bool) (string, []any) {
	return `FROM search_fts WHERE search_fts MATCH ?`, []any{ftsMatch(groups, all)}
}

func (sqliteEngine) cols() cols {
	return cols{id: `search_fts.rowid`, mun: `search_fts.mun`, typ: `search_fts.type`, year: `search_fts.year`, published: `search_fts.published`,
		spheres: `search_fts.spheres`, bucket: sampleHash(`search_fts.rowid`),
		sphere: `instr(search_fts.spheres, ?) > 0`, sphereArg: func(s string) any { return " " + s + " " }}
}

// FTS5's rank column is bm25(5.0, 1.0), set in the migration: a match in
// the title weighs five times one in the body. bm25 is smaller for better
// matches, so it is negated to make larger better on both engines.
func (sqliteEngine) rank([][]string) (string, []any) { return `-search_fts.rank`, nil }

func (sqliteEngine) has(group []string) (string, []any) {
	return `(search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?))`, []any{ftsMatch([][]string{group}, true)}
}

func (sqliteEngine) bare(ctx context.Context, d *db.DB, p plan) (int, error) {
	return countRows(d.Query(ctx, `SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?`, ftsMatch(p.query.Groups, true), p.limit))
}

// postgresEngine keeps the same keys in search_docs.tsv, a tsvector built by
// the "simple" configuration (which only splits and lower-cases) with the
// title weighted A and the body B, under a GIN index.
type postgresEngine struct{}

const pgQuery = `to_tsquery('simple', ?)`

func (postgresEngine) indexed(ctx context.Context, tx *db.Tx, r ftsRow, _ bool) error {
	_, err := tx.Exec(ctx, `UPDATE search_docs SET tsv = setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B') WHERE id = ?`,
		keyText(r.title), keyText(r.body), r.id)
	if err != nil {
		return fmt.Errorf("write text vector: %w", err)
	}
	return nil
}

func (postgresEngine) unindexed(context.Context, *db.Tx, int64) error { return nil }

// PostgreSQL's ranking visits every match anyway (ts_rank reads each
// tsvector), so counting them in the same scan costs almost nothing.
func (postgresEngine) countsInPage() bool { return true }

func (postgresEngine) scoresInIndex() bool { return false }

func (postgresEngine) source(groups [][]string, all bool) (string, []any) {
	return `FROM search_docs d WHERE d.tsv @@ ` + pgQuery, []any{tsQuery(groups, all)}
}

// Normalisation 1 divides by the log of the document length so that a long
// act does not outrank a short page just for being long.
func (postgresEngine) rank(groups [][]string) (string, []any) {
	return `ts_rank(d.tsv, ` + pgQuery + `, 1)`, []any{tsQuery(groups, false)}
}

func (postgresEngine) has(group []string) (string, []any) {
	return `(d.tsv @@ ` + pgQuery + `)::int`, []any{tsQuery([][]string{group}, true)}
}

func (postgresEngine) cols() cols {
	return cols{id: `d.id`, mun: `d.municipality_id`, typ: `d.type`, published: `d.published_at`,
		year:      `CAST(EXTRACT(YEAR FROM d.published_at AT TIME ZONE 'UTC') AS INTEGER)`,
		bucket:    `d.bucket`,
		spheres:   `(SELECT string_agg(s.sphere, ' ' ORDER BY s.sphere) FROM search_doc_spheres s WHERE s.doc_id = d.id)`,
		sphere:    `EXISTS (SELECT 1 FROM search_doc_spheres s WHERE s.doc_id = d.id AND s.sphere = ?)`,
		sphereArg: func(s string) any { return s }}
}

func (postgresEngine) bare(ctx context.Context, d *db.DB, p plan) (int, error) {
	q := tsQuery(p.query.Groups, true)
	return countRows(d.Query(ctx, `SELECT d.id FROM search_docs d WHERE d.tsv @@ `+pgQuery+` ORDER BY ts_rank(d.tsv, `+pgQuery+`, 1) DESC LIMIT ?`, q, q, p.limit))
}

func countRows(rows *sql.Rows, err error) (int, error) {
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
