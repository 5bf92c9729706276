package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserActs reads an act of the demo register the way a resident
// would: filters the list, opens the roadmap's own order, reads its
// explanations, plays the audio version and sees the mind map; then a
// lawyer opens the register's staff pages. axe-core checks every page.
func TestBrowserActs(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/acts")
		if h := b.text("h1"); h != "Муниципальные правовые акты" {
			t.Fatalf("/acts h1 = %q", h)
		}
		b.submit(map[string]string{"#f-year": "2018", "#f-kind": "order"}, "form.filters button[type=submit]")
		if s := b.text("main table"); !strings.Contains(s, "№ 118") {
			t.Fatalf("filtered list lacks order No. 118: %q", s)
		}
		href := get(b, chromedp.Evaluate[string](`[...document.querySelectorAll('main table a')].find(a => a.textContent.includes('№ 118')).getAttribute('href')`))
		b.visit(href)
		if h := b.text("h1"); !strings.Contains(h, "дорожной карты") {
			t.Fatalf("act page h1 = %q", h)
		}
		main := b.text("main")
		for _, want := range []string{"Распоряжение администрации от 07.03.2018 № 118", "Понятность текста", "Интеллект-карта", "Расшифровка видео", "Текст акта"} {
			if !strings.Contains(main, want) {
				t.Errorf("act page lacks %q", want)
			}
		}
		// The mind map is drawn by the server and loads as an image.
		loaded := get(b, chromedp.Evaluate[bool](`(() => { const i = document.querySelector('.mindmap img'); return !!i && i.complete && i.naturalWidth > 0; })()`))
		if !loaded {
			t.Error("the mind map image did not load")
		}
		// The infographic's description is there for everyone, images on:
		// its summary opens it and the text shows.
		shown := get(b, chromedp.Evaluate[bool](`(() => { const d = document.querySelector('.infographic details'); if (!d || d.querySelector('summary').textContent.trim() !== 'Текстовое описание') return false; d.querySelector('summary').click(); const p = d.querySelector('p'); return d.open && p.offsetHeight > 0 && p.textContent.trim().length > 20; })()`))
		if !shown {
			t.Error("the infographic's text description cannot be opened under the image")
		}
		// Play the audio version made by espeak-ng: it must have a duration
		// and advance.
		raw := get(b, chromedp.Evaluate[string](`(async () => {
  const a = document.querySelector('.explanation-audio audio');
  if (!a) return JSON.stringify({missing: true});
  a.muted = true;
  try { await a.play(); } catch (e) { return JSON.stringify({error: String(e)}); }
  await new Promise(r => setTimeout(r, 1200));
  return JSON.stringify({time: a.currentTime, duration: a.duration, paused: a.paused, code: a.error ? a.error.code : 0});
})()`, chromedp.EvalAwaitPromise))
		var played struct {
			Missing  bool    `json:"missing"`
			Error    string  `json:"error"`
			Time     float64 `json:"time"`
			Duration float64 `json:"duration"`
			Code     int     `json:"code"`
		}
		if err := json.Unmarshal([]byte(raw), &played); err != nil {
			t.Fatal(err)
		}
		if played.Missing || played.Error != "" || played.Code != 0 || played.Duration <= 0 || played.Time <= 0 {
			t.Fatalf("audio explanation did not play: %s", raw)
		}

		b.visit("/practice-reviews")
		b.click(`main .cards a`)
		b.run(chromedp.WaitVisible(chromedp.CSS("main h1")))
		b.checkA11y()

		// Staff pages.
		b.login("lawyer@vpyshma.demo", DemoPassword)
		b.visit("/admin/acts")
		b.submit(map[string]string{"#q": "дорожной карты"}, "form.filters button[type=submit]")
		b.click(`main table a[href^="/admin/acts/"]`)
		b.run(chromedp.WaitVisible(chromedp.CSS("#explanations")))
		b.checkA11y()
		// A rejected explanation keeps what was typed and says what is wrong.
		b.click(`a[href$="/explanations/new?format=infographic"]`)
		b.run(chromedp.WaitVisible(chromedp.CSS("#title")))
		b.checkA11y()
		b.submit(map[string]string{"#title": "Схема сроков"}, "main form button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Загрузите изображение") || !strings.Contains(s, "Опишите изображение") {
			t.Fatalf("error summary = %q", s)
		}
		if v := b.value("#title"); v != "Схема сроков" {
			t.Fatalf("rejected form lost the title: %q", v)
		}
		b.visit("/admin/practice-reviews/new")
	})
}
