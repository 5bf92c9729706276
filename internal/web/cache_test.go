package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestPageCache(t *testing.T) {
	version := "v1"
	calls := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/private" {
			http.SetCookie(w, &http.Cookie{Name: "x", Value: "y"})
		}
		_, _ = w.Write([]byte(version))
	})
	c := NewPageCache(1<<20, time.Minute, "glasnost_session")
	srv := c.Middleware(h)
	get := func(path string, cookies ...*http.Cookie) string {
		req := httptest.NewRequest("GET", path, nil)
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	get("/acts")
	get("/acts")
	if calls != 1 {
		t.Fatalf("second anonymous view rendered again: %d calls", calls)
	}
	// A write invalidates: the next view is fresh.
	version = "v2"
	c.InvalidateAll()
	if got := get("/acts"); got != "v2" {
		t.Fatalf("after a write the cache served %q", got)
	}
	// A visitor with a session is never served from the cache.
	version = "v3"
	if got := get("/acts", &http.Cookie{Name: "glasnost_session", Value: "s"}); got != "v3" {
		t.Fatalf("signed-in visitor got a cached page %q", got)
	}
	// The accessibility settings are part of the key.
	before := calls
	get("/acts", &http.Cookie{Name: a11yCookie, Value: "on=1"})
	if calls != before+1 {
		t.Fatal("a page for the visually impaired version came from the ordinary version's cache")
	}
	// Responses that set cookies are not stored.
	get("/private")
	get("/private")
	if calls != before+3 {
		t.Fatal("a response that sets a cookie was cached")
	}
}

// A page is dropped when a table it read changes, and only then; a write
// committed while the page was being rendered makes it stale at once.
func TestPageCacheByTables(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, q := range []string{
			`CREATE TABLE probe_news (id INTEGER PRIMARY KEY, title TEXT NOT NULL)`,
			`CREATE TABLE probe_acts (id INTEGER PRIMARY KEY, title TEXT NOT NULL)`,
			`INSERT INTO probe_news (id, title) VALUES (1, 'n1')`,
			`INSERT INTO probe_acts (id, title) VALUES (1, 'a1')`,
		} {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		c := NewPageCache(1<<20, time.Minute, "glasnost_session")
		d.OnWrite = c.Invalidate
		var during func() // runs inside the render of /news, once
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			table := "probe_acts"
			if r.URL.Path == "/news" {
				table = "probe_news"
			}
			var title string
			if err := d.QueryRow(r.Context(), `SELECT title FROM `+table+` WHERE id = 1`).Scan(&title); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			if r.URL.Path == "/news" && during != nil {
				f := during
				during = nil
				f()
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(title))
		})
		srv := c.Middleware(h)
		get := func(path string) (string, bool) {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			return rec.Body.String(), rec.Header().Get("X-Cache") == "hit"
		}
		get("/news")
		get("/acts")
		if _, hit := get("/acts"); !hit {
			t.Fatal("/acts was not cached")
		}
		if _, err := d.Exec(ctx, `UPDATE probe_news SET title = 'n2' WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		if body, hit := get("/news"); hit || body != "n2" {
			t.Errorf("/news after its table changed: %q (hit %v), want n2 rendered", body, hit)
		}
		if _, hit := get("/acts"); !hit {
			t.Error("/acts was dropped by a write to a table it does not read")
		}
		// A write in a transaction drops the page after the commit.
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE probe_acts SET title = 'a2' WHERE id = 1`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if body, _ := get("/acts"); body != "a2" {
			t.Errorf("/acts after a committed change: %q, want a2", body)
		}
		// The render read n2, then a write changed it before the page was
		// stored: the stored page must not be served.
		during = func() {
			if _, err := d.Exec(ctx, `UPDATE probe_news SET title = 'n3' WHERE id = 1`); err != nil {
				t.Error(err)
			}
		}
		get("/news?x=1")
		if body, _ := get("/news?x=1"); body != "n3" {
			t.Errorf("a page rendered across a write was served stale: %q, want n3", body)
		}
		// Everything drops every page.
		c.InvalidateAll()
		if _, hit := get("/acts"); hit {
			t.Error("/acts survived db.Everything")
		}
	})
}

// N concurrent misses of one page render it once; the others get the
// same bytes.
func TestPageCacheCollapsesMisses(t *testing.T) {
	var renders atomic.Int32
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		<-release
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("page"))
	})
	c := NewPageCache(1<<20, time.Minute, "glasnost_session")
	srv := c.Middleware(h)
	const n = 50
	var wg sync.WaitGroup
	bodies := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", "/acts", nil))
			bodies[i] = fmt.Sprint(rec.Code, rec.Body.String())
		}()
	}
	// Let every request arrive before the first render finishes.
	for deadline := time.Now().Add(5 * time.Second); renders.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	close(release)
	wg.Wait()
	if got := renders.Load(); got != 1 {
		t.Errorf("%d concurrent misses rendered %d times, want 1", n, got)
	}
	for i, b := range bodies {
		if b != "200page" {
			t.Fatalf("request %d got %q", i, b)
		}
	}
}

// When the one render's answer cannot be shared (it sets a cookie), each
// waiting request renders its own.
func TestPageCacheUnshareableRender(t *testing.T) {
	var renders atomic.Int32
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if renders.Add(1) == 1 {
			<-release
		}
		http.SetCookie(w, &http.Cookie{Name: "flash", Value: "x"})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("page"))
	})
	c := NewPageCache(1<<20, time.Minute, "glasnost_session")
	srv := c.Middleware(h)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
			if rec.Header().Get("Set-Cookie") == "" {
				t.Error("a waiting request got the first visitor's answer without its own cookie")
			}
		}()
	}
	for renders.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if got := renders.Load(); got != 3 {
		t.Errorf("renders: %d, want 3", got)
	}
}
