package site

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/webtest"
)

// fakeIndex records what the site puts into and removes from the search
// index, so that tests can check nothing unpublished gets there.
type fakeIndex struct {
	mu   sync.Mutex
	docs map[string]IndexDoc
}

func (f *fakeIndex) Put(_ context.Context, _ *db.Tx, d IndexDoc) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.docs[d.Type+"/"+d.ObjectID] = d
	return nil
}

func (f *fakeIndex) Remove(_ context.Context, _ *db.Tx, _ int64, typ, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.docs, typ+"/"+id)
	return nil
}

func (f *fakeIndex) has(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.docs[key]
	return ok
}

type testSite struct {
	*webtest.Env
	Area  *Area
	Index *fakeIndex
}

func newTestSite(t testing.TB, d *db.DB) *testSite {
	t.Helper()
	env := webtest.New(t, d)
	idx := &fakeIndex{docs: map[string]IndexDoc{}}
	a, err := New(Config{DB: d, Renderer: env.Renderer, Errors: env.Errors, Sessions: env.Sessions, Queue: env.Queue, Mailer: env.Mailer,
		Tenants: env.Tenants, API: env.API, Log: env.Log, BaseURL: "http://portal.test", Index: idx})
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	a.Sitemaps = func() []SitemapSource { return []SitemapSource{a.SitemapSource} }
	return &testSite{Env: env, Area: a, Index: idx}
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
