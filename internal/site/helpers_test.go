package site

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/webtest"
)

// indexed reports whether the search index holds the document "type/id".
func (s *testSite) indexed(t testing.TB, key string) bool {
	t.Helper()
	typ, id, _ := strings.Cut(key, "/")
	return count(t, s.DB, `SELECT COUNT(*) FROM search_docs WHERE municipality_id = ? AND type = ? AND object_id = ?`, s.Municipality.ID, typ, id) == 1
}

type testSite struct {
	*webtest.Env
	Area *Area
}

func newTestSite(t testing.TB, d *db.DB) *testSite {
	t.Helper()
	env := webtest.New(t, d)
	a, err := New(env.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	env.Portal.Add(a.Contribution())
	return &testSite{Env: env, Area: a}
}

// section creates a section owned by the department slug directly.
func (s *testSite) section(t testing.TB, path, title, dept string) Section {
	t.Helper()
	parent := ""
	slug := path
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		parent, slug = path[:i], path[i+1:]
	}
	sec := Section{MunicipalityID: s.Municipality.ID, Slug: slug, Path: path, Title: title, DepartmentID: s.Departments[dept]}
	if parent != "" {
		p, err := s.Area.Store.SectionByPath(context.Background(), s.Municipality.ID, parent)
		if err != nil {
			t.Fatal(err)
		}
		sec.ParentID = p.ID
	}
	if err := s.DB.InTx(context.Background(), func(tx *db.Tx) error { return s.Area.Store.CreateSection(context.Background(), tx, &sec) }); err != nil {
		t.Fatal(err)
	}
	return sec
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func idFromLocation(t testing.TB, loc, prefix string) string {
	t.Helper()
	id, ok := strings.CutPrefix(loc, prefix)
	if !ok || id == "" {
		t.Fatalf("redirect %q does not start with %q", loc, prefix)
	}
	return id
}

func count(t testing.TB, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func fixedClock(t time.Time) db.Clock { return func() time.Time { return t } }
