package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// labelLayoutJS finds every visible field of main that has its own
// <label for=…> and reports the fields whose label is not above them
// (label bottom at most 2 px below the field's top) and horizontally
// overlapping them. Labels that wrap their field (radio buttons, check
// boxes) and visually hidden labels are left out: they are not meant to
// sit above a box.
const labelLayoutJS = `(() => {
  const skip = new Set(['hidden', 'checkbox', 'radio', 'submit', 'button', 'reset', 'image']);
  const out = [];
  for (const f of document.querySelectorAll('main input, main textarea, main select')) {
    if (skip.has(f.type) || !f.id) continue;
    const fr = f.getBoundingClientRect();
    if (fr.width === 0 || fr.height === 0 || getComputedStyle(f).visibility === 'hidden') continue;
    const l = document.querySelector('label[for="' + CSS.escape(f.id) + '"]');
    if (!l || l.contains(f)) continue;
    const lr = l.getBoundingClientRect();
    if (lr.width <= 1 || lr.height <= 1) continue;
    const above = lr.bottom <= fr.top + 2;
    const overlap = lr.left < fr.right && fr.left < lr.right;
    if (!above || !overlap) {
      out.push('«' + l.textContent.trim().slice(0, 40) + '» for #' + f.id + ': label ' +
        [lr.left, lr.top, lr.right, lr.bottom].map(Math.round).join(',') + ', field ' +
        [fr.left, fr.top, fr.right, fr.bottom].map(Math.round).join(','));
    }
  }
  return JSON.stringify(out);
})()`

// checkForm checks the current page at the current width: each label sits
// above its own field, and nothing makes the page scroll sideways. It
// returns how many labelled fields it measured, so a page whose form
// disappeared does not pass silently.
func checkForm(t *testing.T, b *browser, width int) int {
	t.Helper()
	loc := get(b, chromedp.Location())
	var bad []string
	if err := json.Unmarshal([]byte(get(b, chromedp.Evaluate[string](labelLayoutJS))), &bad); err != nil {
		t.Fatal(err)
	}
	for _, s := range bad {
		t.Errorf("%d px, %s: label not above its field: %s", width, loc, s)
	}
	if wide := get(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`)); wide {
		over := get(b, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + '(' + Math.round(e.getBoundingClientRect().right) + ')').join(', ')`))
		t.Errorf("%d px, %s scrolls sideways (%s); too wide: %s", width, loc,
			get(b, chromedp.Evaluate[string](`document.documentElement.scrollWidth + ' > ' + document.documentElement.clientWidth`)), over)
	}
	return get(b, chromedp.Evaluate[int](`[...document.querySelectorAll('main label[for]')].filter(l => { const f = document.getElementById(l.getAttribute('for')); return f && !l.contains(f) && f.getBoundingClientRect().width > 0; }).length`))
}

// TestBrowserFormLabels walks the main forms at 1280 px and at 640 px
// (200 % zoom of a 1280-pixel window) and checks that every label is above
// the field it names — a label beside a field, or after the previous
// field, reads as the label of the wrong one — and that no page, including
// /admin/site, scrolls sideways. axe-core checks every page at both widths.
func TestBrowserFormLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		// check opens path at both widths; wantFields is the least number of
		// labelled fields the page must have, 0 for a page checked only for
		// sideways scrolling.
		check := func(path string, wantFields int) {
			t.Helper()
			for _, w := range []int{1280, 640} {
				if w == 1280 {
					b.run(chromedp.EmulateViewport(1280, 900))
				} else {
					b.run(chromedp.EmulateViewport(640, 900, chromedp.EmulateScale(2)))
				}
				b.visit(path)
				if n := checkForm(t, b, w); n < wantFields {
					t.Errorf("%d px, %s: %d labelled fields, want at least %d", w, path, n, wantFields)
				}
			}
		}
		logout := func() { b.submit(nil, "header form[action='/logout'] button") }

		check("/register", 4)
		check("/appeals/new", 2)

		// A resident: the appeal form signed in, and a consultation's comment form.
		b.login("resident@vpyshma.demo", DemoPassword)
		check("/appeals/new", 7)
		b.visit("/consultations")
		discussion := get(b, chromedp.Evaluate[string](`[...document.querySelectorAll('main a')].find(a => a.textContent.includes('Проект Правил благоустройства')).getAttribute('href')`))
		check(discussion, 2)
		logout()

		// The operator registers a paper appeal and assigns it to a department.
		b.login("operator@vpyshma.demo", DemoPassword)
		check("/admin/appeals/new", 7)
		b.submit(map[string]string{"#received_on": time.Now().Format("2006-01-02"), "#last_name": "Бумажкин", "#first_name": "Олег",
			"#postal_address": "624090, г. Верхняя Пышма, ул. Чистова, 3", "#text": "Письмо: прошу убрать сухое дерево во дворе."}, "main form button[type=submit]")
		card := strings.TrimPrefix(get(b, chromedp.Location()), srv.URL)
		affairs := get(b, chromedp.Evaluate[string](`[...document.querySelectorAll('#department option')].find(o => o.textContent.includes('Управление делами')).value`))
		b.run(chromedp.SetValue(chromedp.CSS("#department"), affairs))
		b.submit(nil, "form.step:has(input[value=assign]) button[type=submit]")
		logout()

		// The department's card with the answer form, and the news editor.
		b.login("editor@vpyshma.demo", DemoPassword)
		check(card, 5)
		if n := get(b, chromedp.Evaluate[int](`document.querySelectorAll('#answer, #result, #kind, #topic').length`)); n != 4 {
			t.Fatalf("the card %s has no answer form (%d fields)", card, n)
		}
		check("/admin/site/news/new", 3)
		check("/admin/site/news/1", 3)
		logout()

		// The administrator: the site's staff page, users, media and council.
		b.login("admin@vpyshma.demo", DemoPassword)
		check("/admin/site", 0)
		check("/admin/users/new", 2)
		check("/admin/media/requests/new", 2)
		check("/admin/council", 0)
		t.Logf("axe-core checked %d pages", len(b.Checked))
	})
}
