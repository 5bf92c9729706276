package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserOpendata walks open data as a resident and as an editor: the
// register of datasets, a dataset's page with its passport, a new dataset
// described by hand, an upload rejected row by row and one published;
// axe-core checks every page.
func TestBrowserOpendata(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(bad, []byte("name,visitors\r\nБиблиотека им. Пушкина,много\r\n\"Музей, краеведческий\",1200\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("name,visitors\r\nБиблиотека им. Пушкина,5400\r\n\"Музей, краеведческий\",1200\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/opendata")
		if s := b.text("main"); !strings.Contains(s, "Реестр муниципальных правовых актов") || !strings.Contains(s, "Спортивные площадки") {
			t.Fatalf("the register lacks the demo datasets: %q", s[:min(len(s), 400)])
		}
		b.visit("/opendata/6606003385-sport_grounds")
		if s := b.text("main"); !strings.Contains(s, "6606003385-sport_grounds") || !strings.Contains(s, "data-") {
			t.Errorf("dataset page: %q", s[:min(len(s), 400)])
		}

		b.login("editor@vpyshma.demo", DemoPassword)
		b.visit("/admin/opendata")
		b.visit("/admin/opendata/new")
		b.submit(map[string]string{"#code": "Музеи!", "#title": "Посещаемость учреждений культуры"}, "main form button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Код набора") {
			t.Fatalf("invalid dataset: %q", s)
		}
		if v := b.value("#title"); v != "Посещаемость учреждений культуры" {
			t.Errorf("the form lost the title: %q", v)
		}
		b.submit(map[string]string{"#code": "culture_visitors", "#description": "Число посетителей учреждений культуры за год.",
			"#structure": "name | Учреждение | string | 200\nvisitors | Посетителей за год | integer"}, "main form button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "Набор создан") {
			t.Fatalf("after create: %q", s)
		}
		b.run(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}))
		b.submit(nil, "main form[enctype] button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Строка 2, столбец 2") {
			t.Fatalf("bad upload: %q", s)
		}
		b.run(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{good}))
		b.submit(nil, "main form[enctype] button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "Опубликована версия data-") {
			t.Fatalf("good upload: %q", s)
		}
		b.visit("/opendata/6606003385-culture_visitors")
		if s := b.text("main"); !strings.Contains(s, "Посетителей за год") {
			t.Errorf("new dataset page: %q", s[:min(len(s), 400)])
		}
	})
}
