package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCouncil reads the council's section, registers a resident for
// the demo's upcoming open meeting, and opens the staff page with the
// registered list; axe-core checks every page.
func TestBrowserCouncil(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/council")
		main := b.text("main")
		for _, want := range []string{"Положение об Общественном совете", "Корнилова Елена Викторовна", "Прежние составы", "План работы на", "Просроченные решения", "Оценка деятельности администрации"} {
			if !strings.Contains(main, want) {
				t.Errorf("/council lacks %q", want)
			}
		}
		href := get(b, chromedp.Evaluate[string](`[...document.querySelectorAll('main table a')].find(a => a.textContent.includes('О проекте бюджета')).getAttribute('href')`))
		if !strings.HasPrefix(href, "/council/meetings/") {
			t.Fatalf("open meeting link %q", href)
		}
		b.visit(href)
		if s := b.text("main"); !strings.Contains(s, "Войдите") {
			t.Errorf("anonymous meeting page = %q", s)
		}
		b.login("resident@vpyshma.demo", DemoPassword)
		b.visit(href)
		b.submit(map[string]string{}, `form[action$="/register"] button[type=submit]`)
		if s := b.text("main"); !strings.Contains(s, "Вы зарегистрированы на это заседание") {
			t.Fatalf("after registration: %q", s)
		}
		eval := get(b, chromedp.Evaluate[string](`(document.querySelector('main a[href^="/council/evaluations/"]') || {getAttribute: () => ''}).getAttribute('href')`))
		_ = eval

		admin := newBrowser(t, srv.URL)
		admin.login("admin@vpyshma.demo", DemoPassword)
		admin.visit("/admin/council")
		admin.visit("/admin" + href)
		if s := admin.text("main"); !strings.Contains(s, "resident@vpyshma.demo") {
			t.Errorf("the staff list lacks the resident: %q", s)
		}
		admin.visit("/council")
		ev := admin.attr(`main a[href^="/council/evaluations/"]`, "href")
		admin.visit(ev)
		if s := admin.text("main"); !strings.Contains(s, "Оценили членов совета") {
			t.Errorf("evaluation page = %q", s)
		}

		member := newBrowser(t, srv.URL)
		member.login("council@vpyshma.demo", DemoPassword)
		member.visit("/council/cabinet")
		score := member.attr(`main a[href$="/score"]`, "href")
		member.visit(score)
	})
}
