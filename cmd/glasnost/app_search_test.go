package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestSearchOverTheDemo searches the whole program's demo content: what the
// areas publish is found through the one index, every type they index has
// a Russian name, and nothing personal is in the index.
func TestSearchOverTheDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()

		r := c.get("/search")
		if r.status != 200 || !strings.Contains(r.body, `<select id="type" name="type">`) {
			t.Fatalf("search page: %d", r.status)
		}
		if strings.Contains(r.body, ">Материал</option>") {
			t.Errorf("an indexed type has no Russian name in the type filter:\n%s", r.body)
		}

		r = c.get("/api/v1/search?q=" + url.QueryEscape("слабовидящего"))
		if r.status != 200 || !strings.Contains(r.body, `"url": "/accessibility"`) {
			t.Fatalf("API: %d %s", r.status, r.body)
		}

		// Every indexed URL is a public page of the portal that answers.
		rows, err := d.Query(context.Background(), `SELECT DISTINCT type, url FROM search_docs ORDER BY type, url`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		perType := map[string]string{}
		for rows.Next() {
			var typ, u string
			if err := rows.Scan(&typ, &u); err != nil {
				t.Fatal(err)
			}
			if _, seen := perType[typ]; !seen {
				perType[typ] = u
			}
			if strings.HasPrefix(typ, "appeal") && typ != "appeals_report" {
				t.Errorf("citizens' appeals must never be indexed: %s %s", typ, u)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		for typ, u := range perType {
			path, _, _ := strings.Cut(u, "#")
			if resp := c.get(path); resp.status != 200 {
				t.Errorf("%s result %s answers %d to an anonymous visitor", typ, u, resp.status)
			}
		}
		t.Logf("indexed types in the demo: %v", perType)
	})
}
