package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserTraining takes the ethics course as the demo press secretary
// (who has not started it): reads a page, fails the quiz once, passes it,
// checks the certificate's code publicly; then the administrator opens the
// report and the course editor. axe-core checks every page.
func TestBrowserTraining(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		logout := func() { b.submit(nil, "header form[action='/logout'] button") }
		b.login("press@vpyshma.demo", DemoPassword)
		b.visit("/training")
		b.click("main .cards a")
		b.run(chromedp.WaitVisible(chromedp.CSS("#page-title")))
		b.checkA11y()
		href := get(b, chromedp.Evaluate[string](`location.pathname`))
		b.visit(href + "?page=3")
		if s := b.text("#page-title"); s != "Конфликт интересов и подарки" {
			t.Fatalf("page 3 title = %q", s)
		}
		b.visit(href + "/quiz")
		// Submitting with nothing chosen lists the questions to answer.
		b.submit(nil, "main form button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Ответьте на вопрос 1") {
			t.Fatalf("error summary = %q", s)
		}
		answer := func(choices []int) {
			for i, c := range choices {
				b.click(`input[name="q` + itoaInt(i+1) + `"][value="` + itoaInt(c) + `"]`)
			}
			b.submit(nil, "main form button[type=submit]")
		}
		answer([]int{0, 0, 0, 0, 1})
		if s := b.text("main"); !strings.Contains(s, "Тест не пройден") {
			t.Fatalf("after a wrong attempt: %q", s)
		}
		answer([]int{1, 1, 1, 1, 0})
		if s := b.text("main"); !strings.Contains(s, "Тест пройден") || !strings.Contains(s, "Код сертификата") {
			t.Fatalf("after passing: %q", s)
		}
		code := b.text("main .panel strong")
		logout()
		b.visit("/training/verify?code=" + code)
		if s := b.text("main"); !strings.Contains(s, "Сертификат действителен") || !strings.Contains(s, "М. П.") {
			t.Fatalf("verification: %q", s)
		}
		b.login("admin@vpyshma.demo", DemoPassword)
		b.visit("/admin/training/report")
		if s := b.text("main"); !strings.Contains(s, "Пресс-секретарь") {
			t.Fatalf("report: %q", s)
		}
		b.visit("/admin/training")
		b.click("main .cards h2 a")
		b.run(chromedp.WaitVisible(chromedp.CSS("#material")))
		b.checkA11y()
	})
}

func itoaInt(n int) string { return strconv.Itoa(n) }
