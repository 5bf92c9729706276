package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestConsultDemo checks the consultations demo through the whole program:
// one consultation of each kind, the declaration finished with its summary,
// final text and goal progress, the expertise with a conclusion and its
// answer, and that loading the demo twice changes nothing.
func TestConsultDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		count := func(q string) int {
			var n int
			if err := d.QueryRow(ctx, q).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		const all = `SELECT (SELECT COUNT(*) FROM consultations) + (SELECT COUNT(*) FROM consultation_comments) + (SELECT COUNT(*) FROM consult_conclusions) + (SELECT COUNT(*) FROM consult_goal_progress) + (SELECT COUNT(*) FROM consult_experts)`
		before := count(all)
		if err := loadDemo(ctx, app.App); err != nil {
			t.Fatal(err)
		}
		if after := count(all); after != before {
			t.Fatalf("loading the demo twice changed the rows: %d → %d", before, after)
		}
		if n := count(`SELECT COUNT(DISTINCT kind) FROM consultations WHERE published_at IS NOT NULL`); n != 5 {
			t.Fatalf("published kinds %d, want 5", n)
		}
		c := app.anonymous()
		list := c.get("/consultations")
		if list.status != 200 {
			t.Fatalf("list: %d", list.status)
		}
		for _, want := range []string{"Публичная декларация целей и задач", "Независимая антикоррупционная экспертиза", "Общественные обсуждения (ст. 5.1", "Сбор предложений", "Общественное обсуждение проекта акта"} {
			if !strings.Contains(list.body, want) {
				t.Errorf("list lacks %q", want)
			}
		}
		var declID, expID int64
		if err := d.QueryRow(ctx, `SELECT id FROM consultations WHERE kind = 'declaration'`).Scan(&declID); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, `SELECT id FROM consultations WHERE kind = 'expertise'`).Scan(&expID); err != nil {
			t.Fatal(err)
		}
		decl := c.get(fmt.Sprintf("/consultations/%d", declID))
		for _, want := range []string{"Итоги обсуждения", "Итоговая редакция</strong>", "Ход достижения цели", "/summary.pdf", "/diff", "112-п"} {
			if !strings.Contains(decl.body, want) {
				t.Errorf("declaration page lacks %q", want)
			}
		}
		if r := c.get(fmt.Sprintf("/consultations/%d/summary", declID)); !strings.Contains(r.body, "Учтено — 3") {
			t.Errorf("declaration summary: %d", r.status)
		}
		if r := c.get(fmt.Sprintf("/consultations/%d/diff", declID)); r.status != 200 || !strings.Contains(r.body, "<ins>") {
			t.Errorf("declaration diff: %d", r.status)
		}
		exp := c.get(fmt.Sprintf("/consultations/%d", expID))
		for _, want := range []string{"Экспертова Елена Викторовна", "Мотивированный ответ администрации", "4.1 — наличие завышенных требований"} {
			if !strings.Contains(exp.body, want) {
				t.Errorf("expertise page lacks %q", want)
			}
		}
		home := c.get("/")
		for _, href := range []string{`href="/consultations"`, `href="/expertise"`, `href="/consultations?kind=declaration"`} {
			if !strings.Contains(home.body, href) {
				t.Errorf("home page lacks mechanism link %s", href)
			}
		}
		// Staff pages render for the lawyer; no page has inline script or style.
		lawyer := app.as("lawyer@vpyshma.demo")
		inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|\sstyle="`)
		pages := []struct {
			cl   *client
			path string
		}{
			{c, "/consultations"}, {c, "/expertise"}, {c, fmt.Sprintf("/consultations/%d", declID)}, {c, fmt.Sprintf("/consultations/%d", expID)},
			{c, "/consultations/receipt?number=1-00001-XXXX"},
			{lawyer, "/admin/consultations"}, {lawyer, fmt.Sprintf("/admin/consultations/%d", declID)}, {lawyer, fmt.Sprintf("/admin/consultations/%d", expID)},
			{lawyer, fmt.Sprintf("/admin/consultations/%d/comments", declID)}, {lawyer, "/admin/consult/moderation"}, {lawyer, "/admin/consult/blocks"},
			{lawyer, "/admin/consult/wording"}, {lawyer, "/admin/consult/experts"}, {lawyer, "/admin/consult/conclusions"}, {lawyer, "/admin/consultations/new"},
			{lawyer, "/expertise/register"}, {lawyer, fmt.Sprintf("/consultations/%d/conclusion", expID)},
		}
		for _, p := range pages {
			r := p.cl.get(p.path)
			if r.status != 200 {
				t.Errorf("%s: %d", p.path, r.status)
				continue
			}
			if inline.MatchString(r.body) {
				t.Errorf("%s has inline script or style", p.path)
			}
		}
	})
}
