package consult

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

var diffBox = regexp.MustCompile(`(?s)<div class="consult-diff">(.*?)</div>`)

// The demo declaration's «Итоговая редакция» compares what the text says:
// a resident sees «Цель 1.», never the Markdown marker «# Цель 1.», and
// points keep their numbers as written.
func TestDemoDiffShowsTextNotMarkdown(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		env.Server()
		ctx := context.Background()
		people := DemoPeople{Lawyer: env.Account("legal", auth.Lawyer).ID, Editor: env.Account("editor", auth.Editor).ID,
			Resident: env.Account("", auth.Resident).ID, Expert: env.Account("", auth.Expert).ID, ResidentName: "Анна Петрова"}
		if err := a.Demo(ctx, env.Municipality, people); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := d.QueryRow(ctx, `SELECT MIN(consultation_id) FROM consultation_versions WHERE final`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		page := env.Anonymous().Get(fmt.Sprintf("/consultations/%d/diff", id))
		mustStatus(t, page, 200, "diff")
		m := diffBox.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatal("no diff on the page")
		}
		if strings.Contains(m[1], "#") || strings.Contains(m[1], "**") {
			t.Errorf("the diff shows Markdown markers:\n%s", m[1])
		}
		// Goal 2 starts at point 3: it keeps that number in the diff and
		// in the rendered final text, as people cite it.
		mustContain(t, m[1], "diff", "Цель 1.", "3. Перевести 90 %")
		mustContain(t, page.Body, "final text", `<ol start="3">`)
	})
}
