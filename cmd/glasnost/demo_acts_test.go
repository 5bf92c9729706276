package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestActsDemo checks the demo register a visitor of the demo sees: over
// fifty acts, the roadmap's own order with explanations in all five
// formats, practice reviews, and that loading the demo again adds nothing.
func TestActsDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		var acts, expl, reviews int
		counts := func() (int, int, int) {
			t.Helper()
			var a, e, r int
			if err := d.QueryRow(context.Background(), `SELECT (SELECT COUNT(*) FROM acts WHERE published = TRUE), (SELECT COUNT(*) FROM act_explanations), (SELECT COUNT(*) FROM practice_reviews)`).Scan(&a, &e, &r); err != nil {
				t.Fatal(err)
			}
			return a, e, r
		}
		acts, expl, reviews = counts()
		if acts < 50 || expl < 10 || reviews != 2 {
			t.Fatalf("demo register: %d acts, %d explanations, %d reviews", acts, expl, reviews)
		}
		list := c.get("/acts")
		if list.status != 200 || !strings.Contains(list.body, "Найдено") {
			t.Fatalf("/acts: %d", list.status)
		}
		r := c.get("/acts?year=2018&kind=order")
		m := regexp.MustCompile(`href="(/acts/\d+)">Распоряжение администрации от 07\.03\.2018 № 118<`).FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("order No. 118 is not in the register:\n%s", r.body)
		}
		page := c.get(m[1])
		for _, want := range []string{"Текст простым языком", "Инфографика", "Видео", "Интеллект-карта", "Понятность текста", "Открытость администрации"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("order No. 118 lacks %q", want)
			}
		}
		if !strings.Contains(c.get("/sitemap.xml").body, "/acts/") || !strings.Contains(c.get("/practice-reviews").body, "за 2019 год") {
			t.Fatal("acts missing from the sitemap or reviews from their list")
		}
		if err := loadDemo(context.Background(), app.App); err != nil {
			t.Fatal(err)
		}
		if a, e, rv := counts(); a != acts || e != expl || rv != reviews {
			t.Fatalf("loading the demo twice changed it: %d/%d/%d → %d/%d/%d", acts, expl, reviews, a, e, rv)
		}
	})
}
