package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPress is the press secretary's work on the site: another
// department's news item edited and published, a photo refused without
// its description and then added with it, the public page showing the
// figure, and the publication calendar. Every page passes axe-core.
func TestBrowserPress(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 40))
	for x := 0; x < 64; x++ {
		for y := 0; y < 40; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), 0x80, uint8(y * 6), 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "IMG_0042.png")
	if err := os.WriteFile(photo, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.login("press@vpyshma.demo", DemoPassword)
		b.visit("/admin/site/news")
		if s := b.text("main"); !strings.Contains(s, "В Верхней Пышме начался отопительный сезон") || strings.Contains(s, "Показаны новости вашего подразделения") {
			t.Fatal("the press secretary's news list lacks the other departments' news")
		}
		// The heating news belongs to «Управление жилищно-коммунального хозяйства».
		b.visit("/admin/site/news/2")
		if h := b.text("h1"); !strings.Contains(h, "отопительный сезон") {
			t.Fatalf("news 2 is %q", h)
		}
		b.submit(map[string]string{"#summary": "Тепло подано во все жилые дома округа."}, `main form[action="/admin/site/news/2"] button[type=submit]`)
		if s := b.text(".flash"); !strings.Contains(s, "опубликовано") {
			t.Fatalf("after saving another department's news: %q", s)
		}
		// A photo without its description is refused; the caption stays.
		b.run(chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{photo}))
		b.submit(map[string]string{"#caption": "Фото: пресс-служба администрации"}, `form[action$="/photos"] button[type=submit]`)
		if s := b.text(".error-summary"); !strings.Contains(s, "Опишите, что изображено") {
			t.Fatalf("photo without alt: %q", s)
		}
		if v := b.value("#caption"); v != "Фото: пресс-служба администрации" {
			t.Fatalf("the refused form lost the caption: %q", v)
		}
		b.run(chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{photo}))
		b.submit(map[string]string{"#alt": "Работник теплосети открывает задвижку в тепловом пункте"}, `form[action$="/photos"] button[type=submit]`)
		if s := b.text(".flash"); !strings.Contains(s, "Фотография добавлена") {
			t.Fatalf("after adding the photo: %q", s)
		}
		b.visit("/news/2")
		if alt := b.attr("figure.news-photo img", "alt"); alt != "Работник теплосети открывает задвижку в тепловом пункте" {
			t.Fatalf("public photo alt = %q", alt)
		}
		if s := b.text("main"); !strings.Contains(s, "Тепло подано во все жилые дома округа.") {
			t.Fatal("the public page lacks the edited summary")
		}
		// The calendar: the heating news in September, the press conference
		// scheduled two days after the demo was loaded.
		b.visit("/admin/news/calendar?month=2026-09")
		if s := b.text("table.calendar"); !strings.Contains(s, "В Верхней Пышме начался отопительный сезон") || !strings.Contains(s, "Управление жилищно-коммунального хозяйства") {
			t.Fatalf("September calendar: %q", s)
		}
		ekb, err := time.LoadLocation("Asia/Yekaterinburg")
		if err != nil {
			t.Fatal(err)
		}
		b.visit("/admin/news/calendar?month=" + time.Now().In(ekb).AddDate(0, 0, 2).Format("2006-01"))
		if s := b.text("table.calendar"); !strings.Contains(s, "Пресс-конференция главы округа по итогам года") || !strings.Contains(s, "запланировано") {
			t.Fatalf("calendar lacks the scheduled press conference: %q", s)
		}
		b.click(`a[rel="next"]`)
		b.checkA11y()
		t.Logf("axe-core checked %d pages: %v", len(b.Checked), b.Checked)
	})
}
