package media

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"time"
)

// The demo monitors three feeds that the portal serves itself, so that the
// demo needs no internet: an outlet's RSS, a Telegram channel through an
// Atom bridge and a VK community's RSS. Their dates follow the clock.

type demoEntry struct {
	Title, Path, Summary string
	DaysAgo              int
}

type demoFeed struct {
	Name, Title, Site string
	Atom              bool
	Entries           []demoEntry
}

var demoFeeds = []demoFeed{
	{Name: "krasnoe-znamya.xml", Title: "Газета «Красное знамя»", Site: "https://krasnoe-znamya.example", Entries: []demoEntry{
		{"В Верхней Пышме отремонтируют дороги к школам", "/news/dorogi-k-shkolam", "Администрация городского округа утвердила план ремонта дорог на лето.", 1},
		{"Жители жалуются на мусор во дворах Верхней Пышмы", "/news/musor-vo-dvorah", "Жители нескольких домов пожаловались на переполненные контейнеры и свалки.", 2},
		{"Глава округа провёл приём граждан", "/news/priem-grazhdan", "На приём пришли 14 человек; вопросы касались дорог и ЖКХ.", 4},
		{"Погода в Екатеринбурге на выходные", "/news/pogoda", "Синоптики обещают снег.", 1},
		{"В Верхней Пышме открыли новый детский сад", "/news/detsky-sad", "Детский сад на 220 мест открыли в микрорайоне Центральный.", 9},
		{"Отключение воды в Верхней Пышме: адреса", "/news/otkluchenie-vody", "Плановые работы водоканала.", 10},
	}},
	{Name: "pyshma-online.atom", Title: "Telegram: Пышма онлайн", Site: "https://t.me/s/pyshma_online", Atom: true, Entries: []demoEntry{
		{"Глава округа провёл приём граждан", "/1201", "Перепечатка новости газеты.", 4},
		{"Скандал: в Верхней Пышме сорвали сроки ремонта школы", "/1202", "Подрядчик не успел к сроку, родители жалуются.", 3},
		{"Благоустройство набережной в Верхней Пышме завершено", "/1190", "Успешно завершено благоустройство набережной.", 8},
	}},
	{Name: "vk-admin.xml", Title: "ВКонтакте: Администрация ГО Верхняя Пышма", Site: "https://vk.com/vpyshma_admin", Entries: []demoEntry{
		{"Приём документов в первые классы школ Верхней Пышмы", "/wall-1_501", "Памятка для родителей.", 2},
		{"В Верхней Пышме наградили лучших учителей", "/wall-1_498", "Победители конкурса «Учитель года».", 9},
	}},
}

// renderDemoFeed writes a demo feed with dates counted back from now.
func renderDemoFeed(f demoFeed, now time.Time) []byte {
	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if f.Atom {
		fmt.Fprintf(&b, `<feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><id>%s</id><updated>%s</updated>`+"\n", esc(f.Title), esc(f.Site), now.Format(time.RFC3339))
		for _, e := range f.Entries {
			at := now.AddDate(0, 0, -e.DaysAgo).Format(time.RFC3339)
			fmt.Fprintf(&b, `<entry><title>%s</title><link rel="alternate" href="%s"/><id>%s</id><published>%s</published><updated>%s</updated><summary>%s</summary></entry>`+"\n",
				esc(e.Title), esc(f.Site+e.Path), esc(f.Site+e.Path), at, at, esc(e.Summary))
		}
		b.WriteString("</feed>\n")
		return b.Bytes()
	}
	fmt.Fprintf(&b, `<rss version="2.0"><channel><title>%s</title><link>%s</link><description>%s</description>`+"\n", esc(f.Title), esc(f.Site), esc(f.Title))
	for _, e := range f.Entries {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>`+"\n",
			esc(e.Title), esc(f.Site+e.Path), esc(f.Site+e.Path), now.AddDate(0, 0, -e.DaysAgo).Format(time.RFC1123Z), esc(e.Summary))
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// demoFeed serves a demo feed.
func (a *Area) demoFeed(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	for _, f := range demoFeeds {
		if f.Name == name {
			if f.Atom {
				w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
			} else {
				w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			}
			_, _ = w.Write(renderDemoFeed(f, a.DB.Now()))
			return
		}
	}
	http.NotFound(w, r)
}
