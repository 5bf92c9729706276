package main

import (
	"strings"
	"testing"
)

// TestBrowserSite reads the official site as a resident, rates a page, and
// maintains the site as the demo editor: every page passes axe-core.
func TestBrowserSite(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/")
		if s := b.text("main"); !strings.Contains(s, "Новости") || !strings.Contains(s, "Разделы сайта") {
			t.Fatal("home page lacks the news and the site menu")
		}
		b.visit("/sections")
		b.visit("/sections/administration")
		b.visit("/sections/administration/structure")
		if h := b.text("h1"); h != "Структура администрации" {
			t.Fatalf("page h1 = %q", h)
		}
		// Rate the page without an account.
		b.click(`.page-feedback input[name=relevance][value="5"]`)
		b.click(`.page-feedback input[name=completeness][value="3"]`)
		b.click(`.page-feedback input[name=usefulness][value="4"]`)
		b.submit(map[string]string{".page-feedback textarea": "Добавьте схему проезда"}, ".page-feedback button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "Спасибо") {
			t.Fatalf("after rating: flash %q", s)
		}
		// A rating without answers comes back with an error summary that
		// names the page by its title, not its address.
		b.submit(nil, ".page-feedback button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "хотя бы по одному вопросу или напишите, что добавить") {
			t.Fatalf("empty rating: %q", s)
		}
		if s := b.text("main"); !strings.Contains(s, "«Структура администрации»") {
			t.Fatalf("the rating form does not name the page by its title: %q", s)
		}
		b.visit("/news")
		b.visit("/news/1")
		b.visit("/catalogue")
		if s := b.text("main"); !strings.Contains(s, "Порядок поступления граждан на муниципальную службу") {
			t.Fatal("catalogue lacks article 13 items")
		}
		// The editor of «Управление делами» maintains the department's pages.
		b.login("editor@vpyshma.demo", DemoPassword)
		b.visit("/admin/site")
		b.visit("/admin/site/pages/1")
		b.submit(map[string]string{"#body": "## Почтовый адрес\n\n624090, г. Верхняя Пышма, ул. Красноармейская, д. 13.\n\nТелефон справочной службы: +7 (34368) 5-38-00."}, "main form.stack button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "опубликовано") {
			t.Fatalf("after saving the page: %q", s)
		}
		b.visit("/admin/site/pages/1/revisions")
		if s := b.text(".diff"); !strings.Contains(s, "[добавлено:") {
			t.Fatalf("diff: %q", s)
		}
		b.visit("/admin/site/news/new")
		b.submit(map[string]string{"#title": "Изменился телефон справочной службы"}, "main form.stack button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Текст новости") {
			t.Fatalf("news without text: %q", s)
		}
		if v := b.value("#title"); v != "Изменился телефон справочной службы" {
			t.Fatalf("rejected form lost the title: %q", v)
		}
		b.visit("/admin/site/catalogue")
		b.visit("/admin/site/catalogue/1")
		b.visit("/admin/site/feedback")
		if s := b.text("main"); !strings.Contains(s, "/sections/administration/structure") {
			t.Fatal("editor's feedback report lacks the rated page")
		}
		b.submit(nil, "header form[action='/logout'] button")
		b.login("admin@vpyshma.demo", DemoPassword)
		b.visit("/admin/site/feedback")
		b.visit("/admin/site/feedback/suggestions")
		if s := b.text("main"); !strings.Contains(s, "Добавьте схему проезда") {
			t.Fatal("administrator does not see the suggestion")
		}
		b.visit("/admin/site/sections/1")
		b.visit("/admin/site/news")
		t.Logf("axe-core checked %d pages: %v", len(b.Checked), b.Checked)
	})
}
