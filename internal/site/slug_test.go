package site

import (
	"net/http"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestAddressFromTheRussianTitle: an editor need not invent a Latin
// address; left empty, it is made from the title, and the page is served
// there. A typed address still wins.
func TestAddressFromTheRussianTitle(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newTestSite(t, d)
		own := s.section(t, "affairs", "Управление делами", "affairs")
		editor := s.Client("affairs", auth.Editor)
		r := editor.PostForm("/admin/site/pages", form("section", itoa64(own.ID), "title", "Контакты администрации", "body", "Телефон 5-38-00", "action", ActionPublish))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("a page without an address: %d %s", r.Status, r.Body)
		}
		if p := s.Anonymous().Get("/sections/affairs/kontakty-administratsii"); p.Status != 200 || !strings.Contains(p.Body, "Телефон 5-38-00") {
			t.Fatalf("the page is not at the transliterated address: %d", p.Status)
		}
		r = editor.PostForm("/admin/site/pages", form("section", itoa64(own.ID), "title", "Вакансии", "slug", "jobs", "body", "Вакансий нет", "action", ActionPublish))
		if r.Status != http.StatusSeeOther || s.Anonymous().Get("/sections/affairs/jobs").Status != 200 {
			t.Fatalf("a typed address: %d", r.Status)
		}
		r = editor.PostForm("/admin/site/pages", form("section", itoa64(own.ID), "title", "«…»", "body", "x", "action", ActionDraft))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "из заголовка его составить не удалось") {
			t.Fatalf("a title with no letters: %d", r.Status)
		}
		admin := s.Client("", auth.Administrator)
		if r := admin.PostForm("/admin/site/sections", form("title", "Муниципальные услуги")); r.Status != http.StatusSeeOther {
			t.Fatalf("a section without an address: %d %s", r.Status, r.Body)
		}
		if p := s.Anonymous().Get("/sections/munitsipalnye-uslugi"); p.Status != 200 {
			t.Fatalf("the section is not at the transliterated address: %d", p.Status)
		}
	})
}
