package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/db"
)

// Query is one search.
type Query struct {
	MunicipalityID int64
	Text           string
	// Types keeps only documents of these types; empty means all.
	Types []string
	// Sphere keeps only documents tagged with this sphere slug.
	Sphere  string
	Page    int // from 1
	PerPage int // 20 by default, at most MaxPerPage
}

const (
	// DefaultPerPage and MaxPerPage bound a page of results.
	DefaultPerPage = 20
	MaxPerPage     = 50
	// maxPage keeps deep paging from scanning the whole index.
	maxPage = 500
)

// Hit is one found document.
type Hit struct {
	Type     string
	ObjectID string
	Title    string
	URL      string
	// Snippet is the passage around the matched words with each of them
	// in <mark>; everything else in it is escaped.
	Snippet     template.HTML
	PublishedAt time.Time
}

// Result is one page of hits and the number of all matches.
type Result struct {
	Total int
	Hits  []Hit
}

// ErrQueryTooLong is returned for a query of more than MaxQueryLen characters.
var ErrQueryTooLong = fmt.Errorf("search: query longer than %d characters", MaxQueryLen)

// plan is a validated query ready for an engine.
type plan struct {
	munID  int64
	query  parsedQuery
	types  []string
	sphere string
	limit  int
	offset int
}

// planFor checks and normalises q. ok is false when nothing can match (no
// searchable words, or a page past the limit), so no query needs to run.
func planFor(q Query) (p plan, ok bool, err error) {
	if utf8.RuneCountInString(q.Text) > MaxQueryLen {
		return plan{}, false, ErrQueryTooLong
	}
	p = plan{munID: q.MunicipalityID, query: parseQuery(q.Text), sphere: strings.TrimSpace(q.Sphere)}
	for _, t := range q.Types {
		if t = strings.TrimSpace(t); t != "" {
			p.types = append(p.types, t)
		}
	}
	p.limit = q.PerPage
	if p.limit <= 0 {
		p.limit = DefaultPerPage
	}
	p.limit = min(p.limit, MaxPerPage)
	page := max(q.Page, 1)
	if len(p.query.Stems) == 0 || page > maxPage {
		return p, false, nil
	}
	p.offset = (page - 1) * p.limit
	return p, true, nil
}

// filters is the WHERE tail shared by both engines: municipality, types
// and sphere on the search_docs row aliased d.
func (p plan) filters() (string, []any) {
	var b strings.Builder
	args := []any{p.munID}
	b.WriteString(` AND d.municipality_id = ?`)
	if len(p.types) > 0 {
		b.WriteString(` AND d.type IN (` + db.Placeholders(len(p.types)) + `)`)
		for _, t := range p.types {
			args = append(args, t)
		}
	}
	if p.sphere != "" {
		b.WriteString(` AND EXISTS (SELECT 1 FROM search_doc_spheres s WHERE s.doc_id = d.id AND s.sphere = ?)`)
		args = append(args, p.sphere)
	}
	return b.String(), args
}

// Search finds the public documents of a municipality that contain every
// word of the query in some form, best first: matches in the title count
// more than matches in the body, and newer documents come first among equals.
func Search(ctx context.Context, d *db.DB, q Query) (Result, error) {
	p, ok, err := planFor(q)
	if err != nil || !ok {
		if err == nil && len(p.query.Stems) > 0 {
			// Past the last allowed page: still report how many there are.
			n, err := engineFor(d).count(ctx, d, p)
			return Result{Total: n}, err
		}
		return Result{}, err
	}
	hits, total, err := engineFor(d).search(ctx, d, p)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	if len(hits) == 0 && p.offset > 0 {
		// A page past the end has no rows to carry the total.
		if total, err = engineFor(d).count(ctx, d, p); err != nil {
			return Result{}, err
		}
	}
	return Result{Total: total, Hits: hits}, nil
}

// TypeCount is how many documents of a type a municipality has indexed.
type TypeCount struct {
	Type  string
	Count int
}

// Types lists the document types in a municipality's index, for the type
// filter: offering a type with nothing in it would only lead to empty pages.
func Types(ctx context.Context, d *db.DB, munID int64) ([]TypeCount, error) {
	rows, err := d.Query(ctx, `SELECT type, COUNT(*) FROM search_docs WHERE municipality_id = ? GROUP BY type ORDER BY type`, munID)
	if err != nil {
		return nil, fmt.Errorf("list indexed types: %w", err)
	}
	defer rows.Close()
	var out []TypeCount
	for rows.Next() {
		var t TypeCount
		if err := rows.Scan(&t.Type, &t.Count); err != nil {
			return nil, fmt.Errorf("scan indexed type: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
