package media

import (
	"os"
	"strings"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFeedShapes(t *testing.T) {
	for _, c := range []struct {
		file, title string
		n           int
		first       Entry
	}{
		{"rss_enclosures.xml", "Уральский рабочий: Новости", 3, Entry{Title: "В Верхней Пышме отремонтируют дороги к школам",
			Link: "https://example.org/news/2026/03/17/dorogi", Summary: "Администрация городского округа Верхняя Пышма утвердила план ремонта дорог.",
			Published: time.Date(2026, 3, 17, 4, 0, 0, 0, time.UTC)}},
		{"atom.xml", "Телеграм-канал «Пышма онлайн»", 2, Entry{Title: "Глава округа провёл приём граждан", Link: "https://t.me/pyshma_online/1201",
			Summary: "Глава городского округа Верхняя Пышма ответил на вопросы жителей.", Published: time.Date(2026, 3, 17, 4, 30, 0, 0, time.UTC)}},
		{"bad_dates.xml", "Районка", 3, Entry{Title: "Верхняя Пышма: итоги недели", Link: "https://example.com/itogi"}},
		{"html_titles.xml", "ВК: Администрация", 2, Entry{Title: "Срочно: отключение воды в Верхней Пышме", Link: "https://vk.com/wall-1_2",
			Summary: "Плановые работы «Водоканала»", Published: time.Date(2026, 3, 18, 7, 0, 0, 0, time.UTC)}},
		{"win1251.xml", "Газета «Вести»", 1, Entry{Title: "Новости Верхней Пышмы — ёлка", Link: "https://vesti.example/1"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			title, entries, err := ParseFeed(fixture(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if title != c.title || len(entries) != c.n {
				t.Fatalf("title %q, %d entries", title, len(entries))
			}
			got := entries[0]
			got.GUID = ""
			if got != c.first {
				t.Errorf("first entry\n got %+v\nwant %+v", got, c.first)
			}
		})
	}
	_, entries, _ := ParseFeed(fixture(t, "html_titles.xml"))
	if e := entries[1].Title; strings.Contains(e, "<") || e != "Скандал & коррупция в администрации" {
		t.Errorf("escaped script in title: %q", e)
	}
	_, entries, _ = ParseFeed(fixture(t, "atom.xml"))
	if entries[1].Summary != "Детский сад на 120 мест." || entries[1].Published.IsZero() {
		t.Errorf("xhtml summary / updated date: %+v", entries[1])
	}
}

func TestParseFeedRefusesBrokenDocuments(t *testing.T) {
	for _, c := range []struct {
		name string
		doc  []byte
		want string
	}{
		{"truncated", fixture(t, "truncated.xml"), "лента оборвана"},
		{"html page", []byte("<!DOCTYPE html><html><body>Not found</body></html>"), "не является лентой"},
		{"not a feed", []byte(`<?xml version="1.0"?><urlset></urlset>`), "не является лентой"},
		{"empty", nil, "не является лентой"},
		{"koi8", []byte(`<?xml version="1.0" encoding="koi8-r"?><rss><channel></channel></rss>`), "кодировка"},
		{"entity bomb", []byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><rss><channel><title>&b;</title></channel></rss>`), "ошибка XML"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseFeed(c.doc)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %q", err, c.want)
			}
		})
	}
}
