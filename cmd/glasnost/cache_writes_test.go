package main

// The page cache under writes: a page that shows what changed is never
// served stale, and writes a page does not show leave it cached.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// cachedGet fetches path anonymously (no cookie jar: nothing the server
// sets may take the visitor out of the cache) and tells whether it came
// from the page cache.
func cachedGet(t *testing.T, base, path string) (string, bool) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return b.String(), resp.Header.Get("X-Cache") == "hit"
}

// warm fetches each path until it is served from the cache twice in a row
// (the start-up jobs write for a few seconds).
func warm(t *testing.T, base string, paths ...string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for _, p := range paths {
		for streak := 0; streak < 2; {
			if _, hit := cachedGet(t, base, p); hit {
				streak++
			} else {
				streak = 0
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s never stays in the page cache", p)
			}
		}
	}
}

var receivedThisYear = regexp.MustCompile(`Поступило</th><td>(\d+)</td>`)

func appealsReceived(t *testing.T, page string) int {
	t.Helper()
	m := receivedThisYear.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("/appeals shows no count of appeals received")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestPageCacheFollowsWrites(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		base := app.server.URL
		ctx := context.Background()
		warm(t, base, "/acts", "/appeals", "/news", "/")
		acts, _ := cachedGet(t, base, "/acts")
		before, _ := cachedGet(t, base, "/appeals")
		received := appealsReceived(t, before)

		// A resident rates a news page: the rating is stored, /acts stays
		// in the cache.
		rater := app.anonymous()
		if r := rater.post("/feedback", url.Values{"return": {"/news"}, "relevance": {"5"}, "completeness": {"4"}, "usefulness": {"5"}}); r.status != http.StatusSeeOther {
			t.Fatalf("rating: %d", r.status)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM site_feedback`); n == 0 {
			t.Fatal("the rating was not stored")
		}
		if body, hit := cachedGet(t, base, "/acts"); !hit || body != acts {
			t.Error("a rating of /news emptied /acts")
		}

		// An operator registers an appeal: /acts stays cached, the public
		// counter on /appeals shows it at once.
		var opID int64
		if err := d.QueryRow(ctx, `SELECT id FROM accounts WHERE email = ?`, "operator@vpyshma.demo").Scan(&opID); err != nil {
			t.Fatal(err)
		}
		token, err := app.Accounts.CreateAPIToken(ctx, opID)
		if err != nil {
			t.Fatal(err)
		}
		today := time.Now().In(time.FixedZone("", 5*3600)).Format("2006-01-02")
		body, _ := json.Marshal(map[string]any{
			"channel": "written", "received_at": today, "type": "statement",
			"author": map[string]string{"last_name": "Соколов", "first_name": "Андрей", "email": "sokolov@example.ru", "postal_address": "624090, г. Верхняя Пышма, ул. Ленина, 1"},
			"text":   "Прошу отремонтировать подъезд.",
		})
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/appeals", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("register an appeal: %d", resp.StatusCode)
		}
		if body, hit := cachedGet(t, base, "/acts"); !hit || body != acts {
			t.Error("an appeal's registration emptied /acts")
		}
		after, _ := cachedGet(t, base, "/appeals")
		if got := appealsReceived(t, after); got != received+1 {
			t.Errorf("/appeals counts %d appeals received after a registration, want %d (a stale page)", got, received+1)
		}

		// An editor publishes news: /news and the home page show it at once.
		var deptID int64
		if err := d.QueryRow(ctx, `SELECT MIN(id) FROM departments`).Scan(&deptID); err != nil {
			t.Fatal(err)
		}
		title := "Новость, которую кеш не прячет"
		ed := app.as("admin@vpyshma.demo")
		if r := ed.post("/admin/site/news", url.Values{"title": {title}, "body": {"Текст новости."}, "department": {strconv.FormatInt(deptID, 10)}, "action": {"publish"}}); r.status != http.StatusSeeOther {
			t.Fatalf("publish news: %d %s", r.status, grepLines(r.body, "error"))
		}
		for _, p := range []string{"/news", "/"} {
			if page, _ := cachedGet(t, base, p); !strings.Contains(page, title) {
				t.Errorf("%s does not show news published a moment ago (a stale page)", p)
			}
		}
	})
}
