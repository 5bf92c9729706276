// Package search is the one search over everything public in glasnost:
// pages, news, acts, explanations and whatever later areas publish. Areas
// call Put when a public object is published or changed and Remove when it
// is withdrawn, inside the transaction that makes the change, so the index
// never disagrees with the content. Queries understand Russian morphology:
// on SQLite through FTS5 over words stemmed in Go by the Snowball stemmer,
// on PostgreSQL through its built-in "russian" text-search configuration.
package search

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
)

// Doc is one public object as the index sees it. It must never carry
// personal data or anything not yet published.
type Doc struct {
	MunicipalityID int64
	// Type names the kind of object ("act", "news", "page", …); the search
	// page shows it with a Russian label and filters by it.
	Type string
	// ObjectID identifies the object within its type; Put replaces the
	// document with the same (municipality, type, object id).
	ObjectID string
	Title    string
	// Body is the plain text searched and quoted in snippets (Markdown
	// source is fine; markup is escaped, never rendered).
	Body string
	// URL is the object's public address, a path such as "/acts/12".
	URL string
	// Spheres are sphere slugs ("education", "housing") for the filter.
	Spheres     []string
	PublishedAt time.Time
}

// ErrInvalidDoc is wrapped by Put when a document lacks what the index needs.
var ErrInvalidDoc = errors.New("search: invalid document")

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// validate reports what is wrong with d, or nil.
func (d Doc) validate() error {
	var probs []string
	if d.MunicipalityID <= 0 {
		probs = append(probs, "no municipality")
	}
	if !slugRE.MatchString(d.Type) {
		probs = append(probs, fmt.Sprintf("type %q is not a lower-case slug", d.Type))
	}
	if d.ObjectID == "" || len(d.ObjectID) > 200 {
		probs = append(probs, "object id must have 1–200 bytes")
	}
	if strings.TrimSpace(d.Title) == "" {
		probs = append(probs, "no title")
	}
	if !localURL(d.URL) {
		probs = append(probs, fmt.Sprintf("url %q is not a local path or an http(s) address", d.URL))
	}
	for _, s := range d.Spheres {
		if !slugRE.MatchString(s) {
			probs = append(probs, fmt.Sprintf("sphere %q is not a slug", s))
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w %s/%s: %s", ErrInvalidDoc, d.Type, d.ObjectID, strings.Join(probs, "; "))
	}
	return nil
}

// localURL accepts a site path ("/acts/1", not the scheme-relative
// "//host") or an absolute http(s) address, so that a result link can never
// be a javascript: URL.
func localURL(u string) bool {
	switch {
	case strings.HasPrefix(u, "//"):
		return false
	case strings.HasPrefix(u, "/"):
		return true
	case strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "http://"):
		return len(u) > len("https://")
	}
	return false
}

// prepared is a validated, cleaned document ready to store.
type prepared struct {
	Doc
	spheres []string
}

func prepare(d Doc, now time.Time) (prepared, error) {
	if err := d.validate(); err != nil {
		return prepared{}, err
	}
	d.Title = cleanText(d.Title, maxTitleBytes)
	d.Body = cleanText(d.Body, maxBodyBytes)
	if d.PublishedAt.IsZero() {
		d.PublishedAt = now
	}
	d.PublishedAt = d.PublishedAt.UTC().Truncate(time.Second)
	sp := slices.Clone(d.Spheres)
	slices.Sort(sp)
	return prepared{Doc: d, spheres: slices.Compact(sp)}, nil
}

// Put adds the document to the index or replaces the one with the same
// municipality, type and object id. It runs in the caller's transaction, so
// the index changes exactly when the content does.
func Put(ctx context.Context, tx *db.Tx, d Doc) error {
	p, err := prepare(d, tx.DB().Now())
	if err != nil {
		return err
	}
	// Look the document up first rather than upsert with RETURNING: on
	// SQLite RETURNING opens a statement journal, which makes FTS5 flush
	// its pending terms at every document and triples the cost of indexing
	// many documents in one transaction; and a new document needs no
	// deletes at all.
	var id int64
	err = tx.QueryRow(ctx, `SELECT id FROM search_docs WHERE municipality_id = ? AND type = ? AND object_id = ?`, p.MunicipalityID, p.Type, p.ObjectID).Scan(&id)
	replace := err == nil
	switch {
	case replace:
		_, err = tx.Exec(ctx, `UPDATE search_docs SET title = ?, body = ?, url = ?, published_at = ?, indexed_at = ?, lex_version = ? WHERE id = ?`,
			p.Title, p.Body, p.URL, p.PublishedAt, tx.DB().Now(), lexVersion, id)
	case isNoRows(err):
		_, err = tx.Exec(ctx, `INSERT INTO search_docs (municipality_id, type, object_id, title, body, url, published_at, indexed_at, lex_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.MunicipalityID, p.Type, p.ObjectID, p.Title, p.Body, p.URL, p.PublishedAt, tx.DB().Now(), lexVersion)
		if err == nil {
			err = tx.QueryRow(ctx, `SELECT id FROM search_docs WHERE municipality_id = ? AND type = ? AND object_id = ?`, p.MunicipalityID, p.Type, p.ObjectID).Scan(&id)
		}
	}
	if err != nil {
		return fmt.Errorf("index %s/%s: %w", p.Type, p.ObjectID, err)
	}
	if err := engineFor(tx.DB()).indexed(ctx, tx, ftsRow{id: id, mun: p.MunicipalityID, typ: p.Type, title: p.Title, body: p.Body, published: p.PublishedAt, spheres: p.spheres}, replace); err != nil {
		return fmt.Errorf("index %s/%s: %w", p.Type, p.ObjectID, err)
	}
	if replace {
		if _, err := tx.Exec(ctx, `DELETE FROM search_doc_spheres WHERE doc_id = ?`, id); err != nil {
			return fmt.Errorf("index spheres of %s/%s: %w", p.Type, p.ObjectID, err)
		}
	}
	if len(p.spheres) > 0 {
		vals := make([]string, len(p.spheres))
		args := make([]any, 0, 2*len(p.spheres))
		for i, s := range p.spheres {
			vals[i] = "(?, ?)"
			args = append(args, id, s)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO search_doc_spheres (doc_id, sphere) VALUES `+strings.Join(vals, ", "), args...); err != nil {
			return fmt.Errorf("index spheres of %s/%s: %w", p.Type, p.ObjectID, err)
		}
	}
	return nil
}

// Remove takes a document out of the index, in the caller's transaction.
// Removing a document that is not indexed is not an error: an area may
// withdraw something that was never published.
func Remove(ctx context.Context, tx *db.Tx, munID int64, typ, objectID string) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM search_docs WHERE municipality_id = ? AND type = ? AND object_id = ?`, munID, typ, objectID).Scan(&id)
	if err != nil {
		if isNoRows(err) {
			return nil
		}
		return fmt.Errorf("find indexed %s/%s: %w", typ, objectID, err)
	}
	if err := engineFor(tx.DB()).unindexed(ctx, tx, id); err != nil {
		return fmt.Errorf("unindex %s/%s: %w", typ, objectID, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM search_doc_spheres WHERE doc_id = ?`, id); err != nil {
		return fmt.Errorf("unindex spheres of %s/%s: %w", typ, objectID, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM search_docs WHERE id = ?`, id); err != nil {
		return fmt.Errorf("unindex %s/%s: %w", typ, objectID, err)
	}
	return nil
}

// lexVersion is the version of the keys the index holds. Raise it when a
// change to keys (the dictionary, extra.dic, normalisation) would give a
// document other keys: Reindex then rebuilds every document at the next
// start.
const lexVersion = 1

// reindexBatch is how many documents Reindex rebuilds per transaction.
const reindexBatch = 500

// Reindex rebuilds the full-text rows of documents indexed with an older
// lexVersion (or before lemmas existed), from the text search_docs keeps,
// and returns how many it rebuilt. It does nothing when the index is
// current, so the search area runs it at every start.
func Reindex(ctx context.Context, d *db.DB) (int, error) {
	e := engineFor(d)
	done := 0
	for {
		n := 0
		err := d.InTx(ctx, func(tx *db.Tx) error {
			rows, err := tx.Query(ctx, `SELECT id, municipality_id, type, title, body, published_at FROM search_docs WHERE lex_version < ? ORDER BY id LIMIT ?`, lexVersion, reindexBatch)
			if err != nil {
				return err
			}
			var docs []ftsRow
			for rows.Next() {
				var x ftsRow
				if err := rows.Scan(&x.id, &x.mun, &x.typ, &x.title, &x.body, &x.published); err != nil {
					rows.Close()
					return err
				}
				docs = append(docs, x)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, x := range docs {
				if x.spheres, err = docSpheres(ctx, tx, x.id); err != nil {
					return err
				}
				if err := e.indexed(ctx, tx, x, true); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE search_docs SET lex_version = ? WHERE id = ?`, lexVersion, x.id); err != nil {
					return err
				}
			}
			n = len(docs)
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("reindex search documents: %w", err)
		}
		done += n
		if n < reindexBatch {
			return done, nil
		}
	}
}

// docSpheres lists the sphere slugs of indexed document id, sorted.
func docSpheres(ctx context.Context, tx *db.Tx, id int64) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT sphere FROM search_doc_spheres WHERE doc_id = ? ORDER BY sphere`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
