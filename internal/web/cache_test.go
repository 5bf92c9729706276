package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
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
	c.Invalidate()
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
