// Package fuzzcheck holds the properties that the fuzz tests of several
// packages assert about what a parser of outside input gives back: a message
// a person reads is Russian and carries no internals of a library, and HTML
// built from someone's text can run no script. It is imported by tests only.
package fuzzcheck

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/tenant"
)

// internals are fragments of the English errors of the standard library and
// of the libraries the parsers use (encoding/csv, archive/zip, encoding/xml,
// excelize, database drivers); one of them in a message for a person means
// an error was passed through instead of being said in words.
var internals = []string{
	"parse error", "bare \"", "extraneous", "wrong number of fields", "zip:", "xml:", "eof",
	"unexpected", "invalid", "not a valid", "runtime error", "sqlstate", "sql:", "pq:", "sqlite",
	"no such", "syntax error", "open docx", "read tsv", "not utf-8", "the text is not", "%!",
	"roadmap:", "appeals:", "opendata:", "media:",
}

// Russian checks a message shown to a person: every line of it (joined
// errors are one per line) has Russian words, and none of the fragments of
// library errors appears in it unless the person's own input holds it (a
// message may quote the input).
func Russian(msg, input string) error {
	if strings.TrimSpace(msg) == "" {
		return fmt.Errorf("empty message")
	}
	for _, line := range strings.Split(msg, "\n") {
		if !strings.ContainsFunc(line, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
			return fmt.Errorf("message line %q has no Russian words", line)
		}
	}
	lm, li := strings.ToLower(msg), strings.ToLower(input)
	for _, frag := range internals {
		if strings.Contains(lm, frag) && !strings.Contains(li, frag) {
			return fmt.Errorf("message %q carries %q from a library error", msg, frag)
		}
	}
	return nil
}

var (
	// quoted are attribute values as sanitised HTML writes them.
	quoted  = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	tagName = regexp.MustCompile(`^</?([a-zA-Z][a-zA-Z0-9]*)`)
	// eventAttr is an on…= attribute (onclick, onerror) anywhere in a tag.
	eventAttr = regexp.MustCompile(`(?i)[\s/"']on[a-z]*\s*=`)
	urlAttr   = regexp.MustCompile(`(?i)[\s/"'](href|src|action|formaction|xlink:href|poster|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
)

// forbidden are elements that run or load active content.
var forbidden = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true, "applet": true,
	"style": true, "link": true, "meta": true, "base": true, "form": true, "input": true, "button": true,
	"textarea": true, "select": true, "svg": true, "math": true, "template": true, "noscript": true,
}

// SafeHTML checks HTML that is shown to everyone: no element that runs or
// loads active content, no event-handler attribute, no style attribute and
// no link or source with a scheme other than http, https and mailto. Every
// "<" is read as the start of a tag, which is stricter than a browser, since
// sanitised text has its "<" escaped.
func SafeHTML(h string) error {
	if strings.Contains(strings.ToLower(h), "<script") {
		return fmt.Errorf("<script in %q", h)
	}
	for rest := h; ; {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			return nil
		}
		rest = rest[i:]
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			return fmt.Errorf("unclosed tag in %q", h)
		}
		tag := rest[:j+1]
		rest = rest[j+1:]
		if strings.HasPrefix(tag, "<!--") {
			return fmt.Errorf("comment %q in %q", tag, h)
		}
		m := tagName.FindStringSubmatch(tag)
		if m == nil {
			return fmt.Errorf("unescaped < in %q", h)
		}
		if forbidden[strings.ToLower(m[1])] {
			return fmt.Errorf("element %q in %q", tag, h)
		}
		bare := quoted.ReplaceAllString(tag, `""`)
		if eventAttr.MatchString(bare) {
			return fmt.Errorf("event handler in %q", tag)
		}
		if strings.Contains(strings.ToLower(bare), "style") {
			return fmt.Errorf("style in %q", tag)
		}
		for _, a := range urlAttr.FindAllStringSubmatch(tag, -1) {
			if err := safeURL(a[2]); err != nil {
				return fmt.Errorf("%w in %q", err, tag)
			}
		}
	}
}

// safeURL checks a link target as a browser reads it: unescaped, without
// the whitespace and control characters that it drops.
func safeURL(v string) error {
	v = strings.Trim(v, `"'`)
	u := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, html.UnescapeString(v))
	scheme, _, ok := strings.Cut(u, ":")
	if !ok || strings.ContainsAny(scheme, "/?#") {
		return nil // relative
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto":
		return nil
	}
	return fmt.Errorf("link %q with scheme %q", v, scheme)
}

// Database is a migrated database of one engine with one municipality, for
// a fuzz target that runs the same input on every engine.
type Database struct {
	DB             *db.DB
	MunicipalityID int64
}

// Databases opens SQLite and, when it is configured (always under CI),
// PostgreSQL, each with a municipality. Call it before f.Fuzz: every fuzz
// worker process opens its own.
func Databases(tb testing.TB) []Database {
	tb.Helper()
	ctx := context.Background()
	var out []Database
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		if dialect == db.Postgres && dbtest.PostgresURL(tb) == "" {
			continue
		}
		d := dbtest.Open(tb, dialect)
		m := tenant.Municipality{Slug: "fuzz", Name: "Округ", TimeZone: "Asia/Yekaterinburg"}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return tenant.NewStore(d).Create(ctx, tx, &m) }); err != nil {
			tb.Fatal(err)
		}
		out = append(out, Database{DB: d, MunicipalityID: m.ID})
	}
	return out
}
