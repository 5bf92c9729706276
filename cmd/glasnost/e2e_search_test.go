package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSearch: a resident finds a page from the header's search link
// by a word in another grammatical form, follows the result, narrows the
// search by type, gets advice when nothing is found and an error beside the
// field for an overlong query; axe-core checks every page on the way.
func TestBrowserSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/")
		b.click(`header a[href="/search"]`)
		b.run(chromedp.WaitVisible(chromedp.CSS("#q")))
		b.checkA11y()
		if h := b.text("h1"); h != "Поиск по сайту" {
			t.Fatalf("search page h1 = %q", h)
		}

		// «слабовидящего» finds the page about the version for «слабовидящих».
		b.submit(map[string]string{"#q": "версию для слабовидящего"}, "form[role=search] button[type=submit]")
		if h := b.text("#results-title"); !strings.Contains(h, "найден") {
			t.Fatalf("results heading = %q", h)
		}
		marks := get(b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.search-hit mark')).map(m => m.textContent.toLowerCase())`))
		if m := strings.Join(marks, " "); !strings.Contains(m, "слабовидящих") || !strings.Contains(m, "версия") {
			t.Fatalf("highlighted word = %q", m)
		}
		if v := b.value("#q"); v != "версию для слабовидящего" {
			t.Fatalf("the query was not kept in the field: %q", v)
		}
		b.click(`.search-hit a[href="/accessibility"]`)
		b.run(chromedp.WaitVisible(chromedp.CSS("h1")))
		b.checkA11y()
		if h := b.text("h1"); !strings.Contains(h, "слабовидящих") {
			t.Fatalf("result led to %q", h)
		}

		// Narrow by type: the choice is kept and the result stays.
		b.visit("/search?q=" + "слабовидящих")
		b.run(chromedp.SetValue(chromedp.CSS("#type"), "service"))
		b.submit(nil, "form[role=search] button[type=submit]")
		if v := b.value("#type"); v != "service" {
			t.Fatalf("type filter not kept: %q", v)
		}
		if s := b.text(".search-hit .tag"); s != "Сервис портала" {
			t.Fatalf("type label = %q", s)
		}

		// Nothing found: advice, not an empty page.
		b.submit(map[string]string{"#q": "космодром"}, "form[role=search] button[type=submit]")
		if h := b.text("#results-title"); h != "Ничего не найдено" {
			t.Fatalf("no-results heading = %q", h)
		}
		if s := b.text(".search-results"); !strings.Contains(s, "опечаток") {
			t.Fatalf("no advice: %q", s)
		}

		// An overlong query: the error summary links to the field.
		b.submit(map[string]string{"#q": strings.Repeat("очень длинный запрос ", 12)}, "form[role=search] button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "слишком длинный") {
			t.Fatalf("error summary = %q", s)
		}
		if href := b.attr(".error-summary a", "href"); href != "#q" {
			t.Fatalf("error summary links to %q", href)
		}

		// A misspelt word: the page offers the correction as a link, and
		// the corrected search finds something.
		b.visit("/search?q=" + "постоновление")
		if s := b.text(".search-suggestion"); !strings.Contains(s, "Возможно, вы имели в виду постановление") {
			t.Fatalf("suggestion = %q", s)
		}
		b.visit(b.attr(".search-suggestion a", "href"))
		if h := b.text("#results-title"); !strings.HasPrefix(h, "По запросу «постановление»") {
			t.Fatalf("corrected search: %q", h)
		}
		// A word no document has: the documents with the other words,
		// and the page says so.
		b.visit("/search?q=" + "постановление космодром")
		if s := b.text(".search-partial"); !strings.Contains(s, "не нашлось") {
			t.Fatalf("partial notice = %q", s)
		}
		// Filters by year and the order by date, with counts, without script.
		year := b.attr("#year option:nth-child(2)", "value")
		b.run(chromedp.SetValue(chromedp.CSS("#year"), year), chromedp.SetValue(chromedp.CSS("#sort"), "date"))
		b.submit(map[string]string{"#q": "постановление"}, "form[role=search] button[type=submit]")
		if v := b.value("#year"); v != year {
			t.Fatalf("year filter not kept: %q, want %q", v, year)
		}
		if v := b.value("#sort"); v != "date" {
			t.Fatalf("order not kept: %q", v)
		}

		// Pagination, when the demo content is large enough to have pages.
		b.visit("/search?q=" + "постановление")
		next := get(b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.pager a[rel=next]')).map(a => a.getAttribute('href'))`))
		if len(next) > 0 {
			b.visit(next[0])
			if start := b.attr(".search-hits", "start"); start != "21" {
				t.Fatalf("second page starts at %q", start)
			}
		}
		t.Logf("axe-core checked %d pages: %v", len(b.Checked), b.Checked)
	})
}
