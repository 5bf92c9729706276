package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMedia walks the press centre as a resident, then works as the
// press secretary: the media plan, the weekly control, the report, the
// monitoring with tonality, and a journalist's request through the
// four-eyes check. axe-core checks every page.
func TestBrowserMedia(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/media")
		if h := b.text("h1"); h != "Пресс-центр" {
			t.Fatalf("/media h1 = %q", h)
		}
		if s := b.text("main"); !strings.Contains(s, "Утверждён актом № 12-р") || !strings.Contains(s, "14,2 км") {
			t.Errorf("press centre lacks the plan or the published answer")
		}
		b.visit("/media/digests")
		b.click(`main ul a[href^="/media/digests/"]`)
		b.run(chromedp.WaitVisible(chromedp.CSS("main svg.chart")))
		b.checkA11y()

		b.login("press@vpyshma.demo", DemoPassword)
		b.visit("/admin/media")
		b.click(`main table a[href^="/admin/media/plans/"]`)
		b.run(chromedp.WaitVisible(chromedp.CSS("#items")))
		b.checkA11y()
		// A rejected item keeps what was typed and says what is wrong.
		b.submit(map[string]string{"#topic": "День города", "#week": "99"}, `form[action$="/items#add"] button[type=submit]`)
		if s := b.text("main"); !strings.Contains(s, "Номер недели — число от 1 до") {
			t.Errorf("invalid item accepted or unexplained")
		}
		if v := b.value("#topic"); v != "День города" {
			t.Errorf("typed topic lost: %q", v)
		}

		// The weekly control: mark the first item done.
		b.visit("/admin/media/week")
		b.click(`form[action$="/control"] input[value="done"]`)
		b.submit(nil, `form[action$="/control"] button[type=submit]`)
		if s := b.text("main"); !strings.Contains(s, "Отметка сохранена") {
			t.Errorf("control mark not saved: %q", s)
		}
		b.visit("/admin/media/reports")
		b.click(`main table a[href^="/admin/media/reports/"]`)
		b.run(chromedp.WaitVisible(chromedp.CSS("main table")))
		b.checkA11y()

		// Monitoring: rate a mention the portal proposed a tonality for.
		b.visit("/admin/media/mentions?tonality=none")
		if s := b.text("main"); !strings.Contains(s, "Предложение портала") {
			t.Errorf("no proposal shown")
		}
		b.click(`form[action$="/tonality"] input[value="neutral"]`)
		b.submit(nil, `form[action$="/tonality"] button[type=submit]`)
		if s := b.text("main"); !strings.Contains(s, "Тональность сохранена") {
			t.Errorf("tonality not saved")
		}
		b.visit("/admin/media/sources")
		b.visit("/admin/media/lexicon")

		// A journalist's request: the answer drafted by an editor is
		// approved by the press secretary.
		b.visit("/admin/media/requests?status=review")
		b.click(`main table a[href^="/admin/media/requests/"]`)
		b.run(chromedp.WaitVisible(chromedp.CSS("#check")))
		b.checkA11y()
		b.click(`input[name="decision"][value="approve"]`)
		b.submit(nil, `form[action$="/check#check"] button[type=submit]`)
		if s := b.text("main"); !strings.Contains(s, "Ответ утверждён") || !strings.Contains(s, "Ответ дан") {
			t.Errorf("answer not approved: %q", s)
		}
		b.visit("/admin/media/accreditations")
		b.visit("/admin/media/requests/new")
	})
}
