package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRoadmap walks the roadmap as a resident and as an
// administrator: the public plan with its statuses and evidence, the
// self-assessment, the exports, and the import of the DOCX plan through its
// preview; axe-core checks every page.
func TestBrowserRoadmap(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	docx, err := filepath.Abs(roadmapDOCX)
	if err != nil {
		t.Fatal(err)
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/roadmap")
		href := b.attr(".rm-plans h2 a", "href")
		if !strings.HasPrefix(href, "/roadmap/") {
			t.Fatalf("roadmap link %q", href)
		}
		b.visit(href)
		if h := b.text("h1"); !strings.Contains(h, "дорожная карта") {
			t.Fatalf("roadmap h1 = %q", h)
		}
		main := b.text("main")
		for _, want := range []string{"Ход исполнения", "выполнено", "просрочено", "срок не наступил", "Аналитический отчёт о работе с обращениями граждан"} {
			if !strings.Contains(main, want) {
				t.Errorf("the public roadmap lacks %q", want)
			}
		}
		// The periods of a recurring measure open without script.
		b.click("#measure-9\\.2 details summary")
		if s := b.text("#measure-9\\.2 .rm-periods"); !strings.Contains(s, "просрочено") {
			t.Errorf("9.2 periods = %q", s)
		}
		b.visit(href + "/assessment")
		if s := b.text("main table"); !strings.Contains(s, "из 100") {
			t.Errorf("assessment table = %q", s)
		}
		for ext, magic := range map[string]string{"xlsx": "PK", "pdf": "%PDF"} {
			resp, err := http.Get(srv.URL + href + "/export." + ext)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.HasPrefix(string(body), magic) {
				t.Errorf("export.%s: %d", ext, resp.StatusCode)
			}
		}

		// The administrator imports the DOCX version of the plan.
		b.login("admin@vpyshma.demo", DemoPassword)
		b.visit("/admin/roadmaps")
		b.visit("/admin/roadmaps/import")
		b.submit(nil, "main form button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Выберите файл") {
			t.Fatalf("empty upload: %q", s)
		}
		b.run(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{docx}))
		b.submit(nil, "main form button[type=submit]")
		if s := b.text("main"); !strings.Contains(s, "распознано 10 механизмов и 33 мероприятия") {
			t.Fatalf("preview: %q", s[:min(len(s), 400)])
		}
		b.submit(map[string]string{"#title": "План мероприятий, загруженный из Word"}, "main form[action='/admin/roadmaps/import/save'] button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "33 мероприятия") {
			t.Fatalf("after save: %q", s)
		}
		// A staff member links evidence to a measure; a wrong address is explained beside the field.
		b.click("main table tbody th a")
		b.checkA11y()
		b.submit(map[string]string{"#link_title": "Распоряжение о доступе к информации", "#link_url": "ftp://x"}, "main form[action$='/links'] button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "адрес страницы портала") {
			t.Fatalf("bad link: %q", s)
		}
		if v := b.value("#link_title"); v != "Распоряжение о доступе к информации" {
			t.Errorf("the rejected form lost the title: %q", v)
		}
		b.submit(map[string]string{"#link_url": "/acts"}, "main form[action$='/links'] button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "Подтверждение исполнения добавлено") {
			t.Fatalf("link: %q", s)
		}
		t.Logf("axe-core checked %d pages: %v", len(b.Checked), b.Checked)
	})
}
