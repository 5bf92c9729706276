package site

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// benchSite is the demo site with 200 more news items, served through the
// whole middleware chain without a network in between.
func benchSite(b *testing.B) (http.Handler, *testSite) {
	d := dbtest.Open(b, db.SQLite)
	s := newTestSite(b, d)
	d.Now = fixedClock(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	if err := s.Area.Demo(ctx, s.Municipality); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		n := News{MunicipalityID: s.Municipality.ID, Title: "Новость для замера " + itoa64(int64(i)), Summary: "Анонс", BodyMD: "Текст **новости**.", State: StatePublished,
			PublishedAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour), Spheres: []SphereRef{{ID: s.Spheres["education"]}}}
		n.BodyHTML, _ = s.Area.Markdown.HTML(n.BodyMD)
		if err := d.InTx(ctx, func(tx *db.Tx) error { return s.Area.Store.InsertNews(ctx, tx, &n, 0) }); err != nil {
			b.Fatal(err)
		}
	}
	s.Server() // builds the job queue the handlers insert into
	return s.Handler(), s
}

func benchPage(b *testing.B, path string) {
	h, _ := benchSite(b)
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}

// BenchmarkHomePage renders the home page: the menu, the latest news with
// their spheres and the mechanism cards.
func BenchmarkHomePage(b *testing.B) { benchPage(b, "/") }

// BenchmarkNewsPage renders one news item.
func BenchmarkNewsPage(b *testing.B) { benchPage(b, "/news/1") }

// BenchmarkNewsList renders the first page of 20 of the 212 news items.
func BenchmarkNewsList(b *testing.B) { benchPage(b, "/news") }
