package db

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Which tables a statement reads and writes, for the page cache: a page
// remembers the tables it read while it was rendered, a write names the
// tables it changed, and a cached page is dropped when a table it read
// changes. docs/architecture.md ("Page cache") explains the whole design.

// Everything is the tag of a write whose tables are not known: it drops
// every cached page. When unsure, a write says Everything.
const Everything = "*"

// everywhere are the tables a process keeps in memory (municipalities,
// production calendars, surveys being answered) or that every page's frame
// shows: a page may use them without reading them through its request's
// context, so a change to them drops every page.
var everywhere = map[string]bool{
	"municipalities": true, "departments": true, "spheres": true,
	"calendar_days": true, "deadline_settings": true, "appeal_calendar_days": true,
	"poll_surveys": true, "poll_questions": true,
	"coats_of_arms": true, // the icons and header picture of every page
}

// quiet are tables no public page shows: sessions, the audit log, the job
// queue (which also carries the outgoing mail), one-time e-mail and API
// tokens. A write to them alone drops nothing and is not announced to other
// processes.
func quiet(table string) bool {
	switch table {
	case "sessions", "audit_log", "email_tokens", "api_tokens", "schema_migrations":
		return true
	}
	return strings.HasPrefix(table, "river_")
}

// WriteTags are the tags a write of these tables announces: the tables
// themselves, Everything when one of them is shown on every page (or is
// not known), nothing for quiet tables.
func WriteTags(tables []string) []string {
	if len(tables) == 0 {
		return []string{Everything}
	}
	var tags []string
	for _, t := range tables {
		switch {
		case t == Everything || everywhere[t] || strings.HasSuffix(t, "_settings"):
			return []string{Everything}
		case quiet(t):
		default:
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	return tags
}

// triggered are the tables that triggers write when a table is written:
// the monthly tallies of appeals (migration 1200) change with every write
// of appeals, and the pages that read them must be dropped with it.
var triggered = map[string][]string{"appeals": {"appeal_tallies"}}

// stmtTables is what a statement names.
type stmtTables struct {
	reads  []string // after FROM and JOIN
	writes []string // after INSERT INTO, UPDATE, DELETE FROM
	// selectOnly: the statement is a query (SELECT, VALUES); with no write
	// target it changes nothing.
	selectOnly bool
}

var (
	parsedTables sync.Map // query text -> stmtTables
	parsedCount  atomic.Int64
)

// tablesOf parses q once and remembers the answer: the queries of a
// program are an almost fixed set of strings. The memo is bounded in case
// some query is built with values in its text.
func tablesOf(q string) stmtTables {
	if v, ok := parsedTables.Load(q); ok {
		return v.(stmtTables)
	}
	st := parseTables(q)
	if len(q) < 8192 && parsedCount.Load() < 20000 {
		if _, loaded := parsedTables.LoadOrStore(q, st); !loaded {
			parsedCount.Add(1)
		}
	}
	return st
}

// sqlKeywords end a FROM list item: what follows a table is an alias only
// when it is not one of them.
var sqlKeywords = map[string]bool{
	"where": true, "join": true, "left": true, "right": true, "inner": true, "outer": true, "cross": true,
	"full": true, "natural": true, "on": true, "using": true, "group": true, "order": true, "limit": true,
	"offset": true, "union": true, "except": true, "intersect": true, "having": true, "window": true,
	"returning": true, "set": true, "values": true, "for": true, "fetch": true, "as": true, "select": true,
	"lateral": true, "default": true, "do": true, "indexed": true, "not": true,
}

// parseTables finds table names with a small tokenizer: string literals and
// comments are skipped, identifiers lowercased (quoted ones kept as they
// are), a schema prefix dropped. It finds more names than there are tables
// (a column after EXTRACT(… FROM col), a CTE's name) — extra tags only
// drop a page more often — and never fewer for the statements glasnost
// writes.
func parseTables(q string) stmtTables {
	toks := tokenize(q)
	var st stmtTables
	if len(toks) > 0 && (toks[0] == "select" || toks[0] == "values") {
		st.selectOnly = true
	}
	for i := 0; i < len(toks); i++ {
		switch toks[i] {
		case "from", "join":
			st.addFromList(toks, i)
		case "into":
			if t, _ := tableName(toks, i+1); t != "" {
				addTable(&st.writes, t)
			}
		case "update":
			if i > 0 && (toks[i-1] == "for" || toks[i-1] == "do" || toks[i-1] == "key") {
				continue // FOR UPDATE, ON CONFLICT DO UPDATE, FOR NO KEY UPDATE
			}
			j := i + 1
			if j+1 < len(toks) && toks[j] == "or" {
				j += 2 // UPDATE OR IGNORE t
			}
			if t, _ := tableName(toks, j); t != "" {
				addTable(&st.writes, t)
			}
		case "truncate":
			j := i + 1
			if j < len(toks) && toks[j] == "table" {
				j++
			}
			if t, _ := tableName(toks, j); t != "" {
				addTable(&st.writes, t)
			}
		}
	}
	for _, w := range slices.Clone(st.writes) {
		for _, t := range triggered[w] {
			addTable(&st.writes, t)
		}
	}
	return st
}

// addFromList adds the tables of the list after the FROM or JOIN at
// toks[i]: read, and written too after DELETE FROM.
func (st *stmtTables) addFromList(toks []string, i int) {
	j := i + 1
	for {
		if j < len(toks) && toks[j] == "only" {
			j++
		}
		t, k := tableName(toks, j)
		if t == "" {
			return
		}
		if toks[i] == "from" && i > 0 && toks[i-1] == "delete" {
			addTable(&st.writes, t)
		}
		addTable(&st.reads, t)
		j = k
		if j < len(toks) && toks[j] == "as" {
			j++
		}
		if j < len(toks) && isIdent(toks[j]) && !sqlKeywords[toks[j]] {
			j++ // an alias
		}
		if j < len(toks) && toks[j] == "," {
			j++
			continue
		}
		return
	}
}

// addTable adds t to list once.
func addTable(list *[]string, t string) {
	if t != "" && !slices.Contains(*list, t) {
		*list = append(*list, t)
	}
}

// tableName reads a possibly schema-qualified name at toks[i]; it returns
// the name and the index after it, or "" when no name is there.
func tableName(toks []string, i int) (string, int) {
	if i >= len(toks) || !isIdent(toks[i]) || sqlKeywords[toks[i]] {
		return "", i
	}
	n := toks[i]
	i++
	for i+1 < len(toks) && toks[i] == "." && isIdent(toks[i+1]) {
		n = toks[i+1]
		i += 2
	}
	return n, i
}

func isIdent(t string) bool {
	if t == "" {
		return false
	}
	c := t[0]
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// tokenize splits SQL into lowercased identifiers and one-character
// punctuation; literals, numbers, parameters and comments are dropped.
func tokenize(q string) []string {
	var toks []string
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'':
			i++
			for i < len(q) {
				if q[i] == '\'' {
					if i+1 < len(q) && q[i+1] == '\'' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			i++
		case c == '"':
			j := strings.IndexByte(q[i+1:], '"')
			if j < 0 {
				return toks
			}
			toks = append(toks, q[i+1:i+1+j])
			i += j + 2
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				return toks
			}
			i += j
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			j := strings.Index(q[i+2:], "*/")
			if j < 0 {
				return toks
			}
			i += j + 4
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			j := i
			for j < len(q) && (q[j] == '_' || q[j] == '$' || q[j] >= 'a' && q[j] <= 'z' || q[j] >= 'A' && q[j] <= 'Z' || q[j] >= '0' && q[j] <= '9' || q[j] >= 0x80) {
				j++
			}
			toks = append(toks, strings.ToLower(q[i:j]))
			i = j
		case c >= '0' && c <= '9' || c == '$' || c == '?':
			j := i + 1
			for j < len(q) && (q[j] >= '0' && q[j] <= '9' || q[j] == '.' || q[j] >= 'a' && q[j] <= 'z') {
				j++
			}
			i = j
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		default:
			toks = append(toks, string(c))
			i++
		}
	}
	return toks
}

// ReadSet collects the tables read through one context: the page cache
// gives every render its own and tags the page with what it holds.
type ReadSet struct {
	mu      sync.Mutex
	tables  []string
	queries int
}

type readSetKey struct{}

// TrackReads returns a context whose reads through DB.Query and
// DB.QueryRow are recorded in the returned set.
func TrackReads(ctx context.Context) (context.Context, *ReadSet) {
	s := &ReadSet{}
	return context.WithValue(ctx, readSetKey{}, s), s
}

// Tables returns the tables read so far.
func (s *ReadSet) Tables() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.tables)
}

// Queries is the number of reads so far; tests use it to show that a page
// asks a fixed number of questions however much data there is.
func (s *ReadSet) Queries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}

func noteReads(ctx context.Context, q string) {
	s, ok := ctx.Value(readSetKey{}).(*ReadSet)
	if !ok {
		return
	}
	st := tablesOf(q)
	s.mu.Lock()
	s.queries++
	for _, t := range st.reads {
		if !slices.Contains(s.tables, t) {
			s.tables = append(s.tables, t)
		}
	}
	s.mu.Unlock()
}
