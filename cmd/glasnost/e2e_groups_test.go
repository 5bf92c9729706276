package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserGroups reads the registry of reference groups, applies to a
// group as the demo resident and approves the application as the
// administrator; the resident is told by mail. axe-core checks every page.
func TestBrowserGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		logout := func() { b.submit(nil, "header form[action='/logout'] button") }
		b.visit("/groups")
		if h := b.text("h1"); h != "Референтные группы" {
			t.Fatalf("/groups h1 = %q", h)
		}
		if s := b.text("main"); !strings.Contains(s, "В реестре 6 групп") || !strings.Contains(s, "Экология и зелёный город") {
			t.Fatalf("/groups: %q", s)
		}
		href := get(b, chromedp.Evaluate[string](`[...document.querySelectorAll('main .cards a')].find(a => a.textContent.includes('Экология')).getAttribute('href')`))
		b.visit(href)
		if s := b.text("main"); !strings.Contains(s, "Экология и зелёный город") || !strings.Contains(s, "Татьяна Морозова") || !strings.Contains(s, "Войдите") {
			t.Fatalf("group page: %q", s)
		}

		b.login("resident@vpyshma.demo", DemoPassword)
		b.visit(href)
		b.submit(map[string]string{"#note": "Живу у лесопарка, хочу участвовать в обсуждениях."}, `form[action$="/apply"] button[type=submit]`)
		if s := b.text("main"); !strings.Contains(s, "Заявка подана") || !strings.Contains(s, "рассматривается") {
			t.Fatalf("after applying: %q", s)
		}
		logout()

		b.login("admin@vpyshma.demo", DemoPassword)
		b.visit("/admin/groups")
		if s := b.text("#applications"); !strings.Contains(s, "Пётр Жителев") {
			t.Fatalf("applications: %q", s)
		}
		b.visit("/admin/groups/" + strings.TrimPrefix(href, "/groups/"))
		b.submit(nil, `form[action$="/approve"] button[type=submit]`)
		if s := b.text("main"); !strings.Contains(s, "Заявка одобрена") || !strings.Contains(s, "Пётр Жителев") {
			t.Fatalf("after approving: %q", s)
		}
		srv.Mail.WaitFor(t, "resident@vpyshma.demo", "Вы приняты в референтную группу", 30*time.Second)
		b.visit("/admin/groups/new")
		logout()
	})
}
