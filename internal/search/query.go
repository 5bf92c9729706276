package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
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
	Sphere string
	// Year keeps only documents published in that year (UTC); 0 means all.
	Year int
	// ByDate sorts newest first instead of by relevance.
	ByDate  bool
	Page    int // from 1
	PerPage int // 20 by default, at most MaxPerPage

	// estimateAbove (and the sample size with it) and rankWithin replace
	// the package's thresholds in tests.
	estimateAbove, rankWithin int
}

const (
	// DefaultPerPage and MaxPerPage bound a page of results.
	DefaultPerPage = 20
	MaxPerPage     = 50
	// maxPage keeps deep paging from scanning the whole index.
	maxPage = 500
	// MinYear and MaxYear bound the year filter.
	MinYear, MaxYear = 1990, 2100
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

// Count is one value of a facet and the number of matches that have it.
type Count struct {
	Value string
	Count int
}

// Facets count the matches of the query by type, sphere and year. Each
// facet applies the other filters but not its own, so that its counts say
// what choosing another value would find.
type Facets struct {
	Types   []Count
	Spheres []Count
	Years   []Count // newest first
	// Estimated is true when the counts are extrapolated from an even
	// sample of the matches (more than estimateAbove of them).
	Estimated bool
}

// Result is one page of hits and the number of all matches.
type Result struct {
	Total int
	Hits  []Hit
	// Partial is true when no document has every word of the query and
	// the hits are the documents with some of them, most words first.
	Partial bool
	// Suggestion is the query with misspelt words replaced by the nearest
	// word the index has («благоустроиство» → «благоустройство»), or "".
	Suggestion string
	Facets     Facets
	// Estimated is true when Total is an estimate: a filter admits more
	// than estimateAbove matches, and Total is extrapolated from the
	// sample the facets are counted on. Without a filter Total is exact.
	Estimated bool
	// RankedWithin is, when the results are sorted by relevance and there
	// are more matches than rankWithin, the number of newest matches that
	// were ranked (see rankWithin); 0 when every match was ranked.
	RankedWithin int
}

// estimateAbove is the number of matches above which the facets are
// estimated from an even sample of about sampleSize matches instead of
// counted one by one: reading a match's type, year and spheres is the one
// cost of the facets that grows with the matches.
const (
	estimateAbove = 200
	sampleSize    = 200
)

// rankWithin bounds the relevance ranking to the newest matches: scoring
// is the one cost that grows with every match (bm25 in FTS5, ts_rank on
// PostgreSQL read each match), so a query that matches a tenth of a large
// archive would otherwise slow with the archive. Above it, the page says
// that the newest rankWithin matches were ranked; sorting by date and the
// year filter reach the rest.
const rankWithin = 2000

// soleMunicipality reports whether the index holds documents of munID
// only (or none), from the ends of the index on municipality_id.
func soleMunicipality(ctx context.Context, d *db.DB, munID int64) (bool, error) {
	var lo, hi sql.NullInt64
	// Two subqueries: each reads one end of the index on
	// (municipality_id, …), where MIN and MAX in one SELECT make SQLite
	// scan the whole table.
	if err := d.QueryRow(ctx, `SELECT (SELECT MIN(municipality_id) FROM search_docs), (SELECT MAX(municipality_id) FROM search_docs)`).Scan(&lo, &hi); err != nil {
		return false, fmt.Errorf("municipalities in the index: %w", err)
	}
	return !lo.Valid || (lo.Int64 == munID && hi.Int64 == munID), nil
}

// counts fills the total and the facets of res for an engine that counts
// apart from the ranking (SQLite). The matches are counted under the
// municipality alone, which FTS5 does from its index without reading a
// row; up to estimateAbove of them the facets are tallied exactly, above
// from an even sample (see sampleEvery).
func counts(ctx context.Context, d *db.DB, e engine, p plan, res *Result) error {
	src, args := e.source(p.query.Groups, p.all)
	where, fargs := p.filters(e.cols(), false, false, false)
	var all int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) `+src+where, append(args, fargs...)...).Scan(&all); err != nil {
		return fmt.Errorf("count matches: %w", err)
	}
	share := p.sampleShare(all)
	cs, err := tally(ctx, d, e, p, share)
	if err != nil {
		return err
	}
	sampled := 0
	for _, c := range cs {
		sampled += c.n
	}
	scale := 1.0
	if share < sampleScale && sampled > 0 {
		scale = float64(all) / float64(sampled)
	}
	var admitted int
	res.Facets, admitted = facetsOf(cs, p, scale)
	res.Total = int(math.Round(float64(admitted) * scale))
	res.Estimated = false
	if share < sampleScale && p.filtered() {
		// A filter may leave few matches, and an estimate from the few
		// sampled ones would be rough, or 0 where there are some: count
		// them exactly while they are few.
		where, fargs := p.filters(e.cols(), true, true, true)
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 AS one `+src+where+` LIMIT ?) x`, append(append(args, fargs...), p.estimateAbove+1)...).Scan(&n); err != nil {
			return fmt.Errorf("count filtered matches: %w", err)
		}
		if n <= p.estimateAbove {
			res.Total = n
		} else {
			res.Estimated = true
		}
	}
	return nil
}

// sampleShare is the share of the matches that the facets are tallied
// on, in 1/sampleScale: all of them up to estimateAbove, above about
// sampleSize of them. Which matches are taken is decided by a hash of
// the id (see sampleHash), not by their place in the index, where the
// first would all be the oldest.
func (p plan) sampleShare(matches int) int {
	if matches <= p.estimateAbove {
		return sampleScale
	}
	return max(1, sampleScale*p.sampleSize/matches)
}

// sampleScale is the range of sampleHash.
const sampleScale = 4096

// sampleHash is Fibonacci hashing of the id into [0, sampleScale): the top
// 12 bits of id × 2^32/φ modulo 2^32. Consecutive ids land evenly spread
// over the range, so a sample below any bound takes the same share of
// every stretch of the index (every period of time) and of every pattern
// of ids, where a plain id modulo k would miss every type whose ids
// recur with a period that k divides.
func sampleHash(id string) string {
	return `(((` + id + ` * 2654435769) & 4294967295) >> 20)`
}

// filtered reports whether the query has a type, sphere or year filter.
func (p plan) filtered() bool { return len(p.types) > 0 || p.sphere != "" || p.year != 0 }

// ErrQueryTooLong is returned for a query of more than MaxQueryLen characters.
var ErrQueryTooLong = fmt.Errorf("search: query longer than %d characters", MaxQueryLen)

// plan is a validated query ready for an engine.
type plan struct {
	munID  int64
	query  parsedQuery
	types  []string
	sphere string
	year   int
	byDate bool
	// all requires every word; the partial search takes any.
	all bool
	// estimateAbove is the threshold of counts, rankWithin the bound of
	// the ranking (see the constants).
	estimateAbove, sampleSize, rankWithin int
	// soleMun is true when the index holds only this municipality's
	// documents, so that no row needs its municipality checked.
	soleMun bool
	limit   int
	offset  int
}

// planFor checks and normalises q. ok is false when nothing can match (no
// searchable words), so no query needs to run.
func planFor(q Query) (p plan, ok bool, err error) {
	if utf8.RuneCountInString(q.Text) > MaxQueryLen {
		return plan{}, false, ErrQueryTooLong
	}
	p = plan{munID: q.MunicipalityID, query: parseQuery(q.Text), sphere: strings.TrimSpace(q.Sphere), byDate: q.ByDate, all: true, estimateAbove: estimateAbove, sampleSize: sampleSize, rankWithin: rankWithin}
	if q.estimateAbove > 0 {
		p.estimateAbove, p.sampleSize = q.estimateAbove, q.estimateAbove
	}
	if q.rankWithin > 0 {
		p.rankWithin = q.rankWithin
	}
	for _, t := range q.Types {
		if t = strings.TrimSpace(t); t != "" {
			p.types = append(p.types, t)
		}
	}
	if q.Year >= MinYear && q.Year <= MaxYear {
		p.year = q.Year
	}
	p.limit = q.PerPage
	if p.limit <= 0 {
		p.limit = DefaultPerPage
	}
	p.limit = min(p.limit, MaxPerPage)
	page := max(q.Page, 1)
	p.offset = (min(page, maxPage+1) - 1) * p.limit
	return p, len(p.query.Groups) > 0, nil
}

// filters is the WHERE tail of a source: municipality, types, sphere and
// year. A facet leaves out its own filter.
func (p plan) filters(c cols, withTypes, withSphere, withYear bool) (string, []any) {
	var b strings.Builder
	var args []any
	if !p.soleMun {
		b.WriteString(` AND ` + c.mun + ` = ?`)
		args = append(args, p.munID)
	}
	if withTypes && len(p.types) > 0 {
		b.WriteString(` AND ` + c.typ + ` IN (` + db.Placeholders(len(p.types)) + `)`)
		for _, t := range p.types {
			args = append(args, t)
		}
	}
	if withSphere && p.sphere != "" {
		b.WriteString(` AND ` + c.sphere)
		args = append(args, c.sphereArg(p.sphere))
	}
	if withYear && p.year != 0 {
		b.WriteString(` AND ` + c.year + ` = ?`)
		args = append(args, p.year)
	}
	return b.String(), args
}

// Search finds the public documents of a municipality that contain every
// word of the query in some form, best first: matches in the title count
// more than matches in the body, and newer documents come first among
// equals. When no document has every word, it returns those with most of
// them (Result.Partial), and it suggests a spelling for words the index
// does not have.
func Search(ctx context.Context, d *db.DB, q Query) (Result, error) {
	p, ok, err := planFor(q)
	if err != nil || !ok {
		return Result{}, err
	}
	e := engineFor(d)
	if p.soleMun, err = soleMunicipality(ctx, d, p.munID); err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	var res Result
	if err := run(ctx, d, e, p, &res); err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	if res.Total == 0 && len(p.query.Groups) > 1 {
		p.all = false
		if err := run(ctx, d, e, p, &res); err != nil {
			return Result{}, fmt.Errorf("search: %w", err)
		}
		res.Partial = res.Total > 0
	}
	if !p.byDate && res.Total > p.rankWithin {
		res.RankedWithin = p.rankWithin
	}
	if res.Total == 0 || res.Partial {
		if res.Suggestion, err = suggest(ctx, d, e, p); err != nil {
			return Result{}, fmt.Errorf("search: %w", err)
		}
	}
	return res, nil
}

// run fills res with the hits, the total and the facets of p. An engine
// that counts cheaply within the ranking (PostgreSQL's COUNT(*) OVER (),
// where the ranking visits every match anyway) gets the total from the
// page query; SQLite counts apart, from the index alone.
func run(ctx context.Context, d *db.DB, e engine, p plan, res *Result) error {
	// Past the ranked matches a page by relevance is empty whatever the
	// total: only the counts are needed.
	inRange := p.offset < maxPage*p.limit && (p.byDate || p.offset < p.rankWithin)
	if e.countsInPage() && inRange {
		hits, total, err := page(ctx, d, e, p, true)
		if err != nil {
			return err
		}
		if len(hits) > 0 {
			res.Hits, res.Total, res.Estimated = hits, total, false
			// The total under the filters is exact; the facets are tallied
			// from a sample when there are many matches, scaled so that the
			// cells the filters admit add up to that total.
			cs, err := tally(ctx, d, e, p, p.sampleShare(total))
			if err != nil {
				return err
			}
			scale := 1.0
			if f, admitted := facetsOf(cs, p, 1); f.Estimated && admitted > 0 {
				scale = float64(total) / float64(admitted)
			}
			res.Facets, _ = facetsOf(cs, p, scale)
			return nil
		}
		if p.offset == 0 {
			*res = Result{}
			return nil
		}
	}
	if err := counts(ctx, d, e, p, res); err != nil {
		return err
	}
	res.Hits = nil
	if res.Total == 0 || p.offset >= res.Total || !inRange {
		return nil
	}
	var err error
	res.Hits, _, err = page(ctx, d, e, p, false)
	return err
}

// page fetches the hits of one page. Only the ids are ranked and sorted;
// the texts are read for the rows shown. withTotal also counts all the
// matches in the same scan (0 when the page is empty).
func page(ctx context.Context, d *db.DB, e engine, p plan, withTotal bool) ([]Hit, int, error) {
	q, args := pageQuery(e, p, withTotal)
	rows, err := d.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("query full-text index: %w", err)
	}
	defer rows.Close()
	var hits []Hit
	n := 0
	for rows.Next() {
		var h Hit
		var body string
		if err := rows.Scan(&h.Type, &h.ObjectID, &h.Title, &body, &h.URL, &h.PublishedAt, &n); err != nil {
			return nil, 0, fmt.Errorf("scan hit: %w", err)
		}
		h.Snippet = snippet(body, p.query.Keys)
		h.PublishedAt = h.PublishedAt.UTC()
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read hits: %w", err)
	}
	return hits, n, nil
}

// pageQuery is the SQL of one page and its arguments. By date, the page is
// cut from the matches newest first. By relevance, the newest rankWithin
// matches are taken first (in the order of the index, with no score read)
// and only they are scored: on SQLite the score is FTS5's rank column of
// each taken row, on PostgreSQL ts_rank is read for the taken rows after
// the cut, so that neither engine scores a match it does not rank.
func pageQuery(e engine, p plan, withTotal bool) (string, []any) {
	src, srcArgs := e.source(p.query.Groups, p.all)
	c := e.cols()
	where, fargs := p.filters(c, true, true, true)
	filtered := append(srcArgs, fargs...)
	total := `0`
	count := ``
	if withTotal {
		count = `, COUNT(*) OVER () AS total`
		total = `page.total`
	}
	const show = `SELECT d.type, d.object_id, d.title, d.body, d.url, d.published_at, `
	if p.byDate {
		q := `WITH page AS (SELECT ` + c.id + ` AS id, ` + c.published + ` AS published` + count + ` ` + src + where + ` ORDER BY published DESC, id LIMIT ? OFFSET ?)
	` + show + total + ` FROM page JOIN search_docs d ON d.id = page.id ORDER BY page.published DESC, page.id`
		return q, append(filtered, p.limit, p.offset)
	}
	score, scoreArgs := e.rank(p.query.Groups)
	scored := score + ` AS score`
	// Among equals the later indexed first: ids grow with time, and a
	// tie-break on the publication time would read a column of every
	// match, not only of the page.
	order := `score DESC, id DESC`
	if !p.all {
		// The partial search puts documents with more of the words first,
		// and ranks within each number of words.
		parts := make([]string, len(p.query.Groups))
		for i, g := range p.query.Groups {
			h, hargs := e.has(g)
			parts[i] = h
			scoreArgs = append(scoreArgs, hargs...)
		}
		scored += `, ` + strings.Join(parts, ` + `) + ` AS words`
		order = `words DESC, ` + order
	}
	outer := `page.` + strings.ReplaceAll(order, `, `, `, page.`)
	var q string
	var args []any
	if e.scoresInIndex() {
		q = `WITH taken AS (SELECT ` + c.id + ` AS id, ` + scored + count + ` ` + src + where + ` ORDER BY ` + c.id + ` DESC LIMIT ?),
	page AS (SELECT * FROM taken ORDER BY ` + order + ` LIMIT ? OFFSET ?)`
		args = append(append(scoreArgs, filtered...), p.rankWithin, p.limit, p.offset)
	} else {
		takenTotal := ``
		if withTotal {
			takenTotal = `, taken.total`
		}
		q = `WITH taken AS (SELECT ` + c.id + ` AS id` + count + ` ` + src + where + ` ORDER BY ` + c.id + ` DESC LIMIT ?),
	page AS (SELECT taken.id AS id, ` + scored + takenTotal + ` FROM taken JOIN search_docs d ON d.id = taken.id ORDER BY ` + order + ` LIMIT ? OFFSET ?)`
		args = append(append(append(filtered, p.rankWithin), scoreArgs...), p.limit, p.offset)
	}
	return q + `
	` + show + total + ` FROM page JOIN search_docs d ON d.id = page.id ORDER BY ` + outer, args
}

// cell is the number of matches that share a type, a year and a set of
// spheres: what every facet and the filtered total are summed from.
type cell struct {
	typ     string
	year    int
	spheres []string
	n       int
	// sampled is true when the cell counts a sample.
	sampled bool
}

// tally reads the cells of the matches of p under the municipality alone,
// in one pass: all the matches, or with share < sampleScale those whose
// sampleHash is below share.
func tally(ctx context.Context, d *db.DB, e engine, p plan, share int) ([]cell, error) {
	src, args := e.source(p.query.Groups, p.all)
	c := e.cols()
	where, fargs := p.filters(c, false, false, false)
	args = append(args, fargs...)
	if share < sampleScale {
		where += ` AND ` + c.bucket + ` < ?`
		args = append(args, share)
	}
	rows, err := d.Query(ctx, `SELECT t, y, s, COUNT(*) FROM (SELECT `+c.typ+` AS t, `+c.year+` AS y, `+c.spheres+` AS s `+src+where+`) x GROUP BY t, y, s`, args...)
	if err != nil {
		return nil, fmt.Errorf("count matches: %w", err)
	}
	defer rows.Close()
	var out []cell
	for rows.Next() {
		var c cell
		var spheres sql.NullString
		if err := rows.Scan(&c.typ, &c.year, &spheres, &c.n); err != nil {
			return nil, fmt.Errorf("scan count: %w", err)
		}
		c.spheres, c.sampled = strings.Fields(spheres.String), share < sampleScale
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	return out, nil
}

// facetsOf sums the cells, each count multiplied by scale, into the
// facets, and gives the number of (unscaled) matches that every filter
// admits. Each facet applies the other filters but not its own.
func facetsOf(cs []cell, p plan, scale float64) (Facets, int) {
	types, years, spheres := map[string]float64{}, map[int]float64{}, map[string]float64{}
	var f Facets
	admitted := 0
	for _, c := range cs {
		inType := len(p.types) == 0 || slices.Contains(p.types, c.typ)
		inYear := p.year == 0 || p.year == c.year
		inSphere := p.sphere == "" || slices.Contains(c.spheres, p.sphere)
		n := float64(c.n) * scale
		if inYear && inSphere {
			types[c.typ] += n
		}
		if inType && inSphere {
			years[c.year] += n
		}
		if inType && inYear {
			for _, s := range c.spheres {
				spheres[s] += n
			}
		}
		if inType && inYear && inSphere {
			admitted += c.n
		}
		f.Estimated = f.Estimated || c.sampled
	}
	count := func(v string, n float64) Count { return Count{Value: v, Count: int(math.Round(n))} }
	for t, n := range types {
		f.Types = append(f.Types, count(t, n))
	}
	slices.SortFunc(f.Types, func(a, b Count) int { return strings.Compare(a.Value, b.Value) })
	for s, n := range spheres {
		f.Spheres = append(f.Spheres, count(s, n))
	}
	slices.SortFunc(f.Spheres, func(a, b Count) int { return strings.Compare(a.Value, b.Value) })
	for y, n := range years {
		f.Years = append(f.Years, count(strconv.Itoa(y), n))
	}
	slices.SortFunc(f.Years, func(a, b Count) int { return strings.Compare(b.Value, a.Value) })
	return f, admitted
}

// exists reports whether any document of the municipality has a word of
// group.
func exists(ctx context.Context, d *db.DB, e engine, munID int64, group []string) (bool, error) {
	src, args := e.source([][]string{group}, true)
	var one int
	err := d.QueryRow(ctx, `SELECT 1 `+src+` AND `+e.cols().mun+` = ? LIMIT 1`, append(args, munID)...).Scan(&one)
	if isNoRows(err) {
		return false, nil
	}
	return err == nil, err
}

// suggest replaces each word of the query that no document has by the
// closest word that the dictionary knows and some document has (one letter
// missing, extra, wrong or two swapped), and returns the new query, or ""
// when there is nothing to correct.
func suggest(ctx context.Context, d *db.DB, e engine, p plan) (string, error) {
	changed := false
	out := slices.Clone(p.query.Words)
	for i, g := range p.query.Groups {
		ok, err := exists(ctx, d, e, p.munID, g)
		if err != nil {
			return "", err
		}
		if ok {
			continue
		}
		tried := 0
		for _, c := range corrections(p.query.Words[i]) {
			if tried >= maxCorrections {
				break
			}
			tried++
			keys := strings.Fields(cachedKeys(c))
			if len(keys) == 0 {
				continue // a stop word is never a correction: nothing to match
			}
			ok, err := exists(ctx, d, e, p.munID, keys)
			if err != nil {
				return "", err
			}
			if ok {
				out[i], changed = c, true
				break
			}
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(out, " "), nil
}

// Types lists the document types in a municipality's index, for the type
// filter: offering a type with nothing in it would only lead to empty pages.
// It walks the index on (municipality_id, type, …) from one type to
// the next, a lookup per type, where a GROUP BY would read every document
// of the municipality on every search page.
func Types(ctx context.Context, d *db.DB, munID int64) ([]string, error) {
	rows, err := d.Query(ctx, `WITH RECURSIVE t(type) AS (
		SELECT (SELECT MIN(type) FROM search_docs WHERE municipality_id = ?)
		UNION ALL
		SELECT (SELECT MIN(s.type) FROM search_docs s WHERE s.municipality_id = ? AND s.type > t.type) FROM t WHERE t.type IS NOT NULL
	) SELECT type FROM t WHERE type IS NOT NULL`, munID, munID)
	if err != nil {
		return nil, fmt.Errorf("list indexed types: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("scan indexed type: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
