package media

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/fuzzcheck"
	"github.com/glasnost/glasnost/internal/tenant"
)

// Whatever a monitored source answers, reading it as a feed gives entries of
// valid text within their limits, or an error in Russian; XML's own words
// after it (the line and what is wrong) are kept for whoever fixes the
// source.
func FuzzParseFeed(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "<!DOCTYPE html><html><body>Not found</body></html>", `<?xml version="1.0"?><urlset></urlset>`,
		`<?xml version="1.0" encoding="koi8-r"?><rss><channel></channel></rss>`,
		`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><rss><channel><title>&b;</title></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">&lt;script&gt;alert(1)&lt;/script&gt;</title><link href="javascript:alert(1)"/><updated>0000-00-00</updated></entry></feed>`,
		`<rss><channel><item><title><![CDATA[<b>Глава</b>]]></title><pubDate>Mon, 32 Jan 2026 25:00:00 +0300</pubDate></item></channel></rss>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		title, entries, err := ParseFeed(b)
		if err != nil {
			if !strings.ContainsFunc(err.Error(), func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
				t.Fatalf("error %q has no Russian words", err)
			}
			return
		}
		if !utf8.ValidString(title) || utf8.RuneCountInString(title) > 300 {
			t.Fatalf("title %q", title)
		}
		for _, e := range entries {
			if !utf8.ValidString(e.Title) || !utf8.ValidString(e.Summary) || utf8.RuneCountInString(e.Title) > 500 || utf8.RuneCountInString(e.Summary) > 2000 {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}

// Whatever workbook is uploaded as a media plan, it is refused with Russian
// messages naming the row, or every item it gives has a topic, a channel
// from the list and a week of the plan's year.
func FuzzPlanImport(f *testing.F) {
	depts := []tenant.Department{{ID: 7, Slug: "press", Name: "Пресс-служба"}}
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, 2026, depts); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04 not a workbook"))
	f.Add([]byte("Тема;Канал\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, errs := ParseImport(bytes.NewReader(data), 2026, depts)
		if len(errs) > 0 {
			for _, e := range errs {
				if err := fuzzcheck.Russian(e.String(), string(data)); err != nil {
					t.Fatal(err)
				}
			}
			return
		}
		if len(items) == 0 || len(items) > maxImportRows {
			t.Fatalf("%d items without errors", len(items))
		}
		for _, it := range items {
			if _, ok := ParseChannel(it.Channel); !ok || strings.TrimSpace(it.Topic) == "" {
				t.Fatalf("item %+v", it)
			}
			if w, err := time.Parse(time.DateOnly, it.WeekStart); err != nil || w.Weekday() != time.Monday {
				t.Fatalf("item %+v: week %q", it, it.WeekStart)
			}
		}
	})
}

// Whatever week number or date is typed for an item, it resolves to a
// Monday and, for a date, a day of the plan's year inside that week, or to
// a Russian message for the field at fault.
func FuzzResolveWhen(f *testing.F) {
	for _, c := range [][2]string{{"13", ""}, {"", "16.03.2026"}, {"", "2026-03-16"}, {"", "1.1.2026"}, {"53", ""}, {"0", ""},
		{"-1", ""}, {"", "31.02.2026"}, {"", "16.03.2027"}, {"99999999999999999999", ""}, {" 1 ", " 29.12.2025 "}} {
		f.Add(2026, c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, y int, week, date string) {
		if y < 2000 || y > 2100 {
			y = 2000 + (y%100+100)%100
		}
		monday, day, field, msg := ResolveWhen(y, week, date)
		if msg != "" {
			if field != "week" && field != "date" {
				t.Fatalf("message %q for field %q", msg, field)
			}
			if err := fuzzcheck.Russian(msg, week+date); err != nil {
				t.Fatal(err)
			}
			return
		}
		if monday == "" {
			return // neither given
		}
		m, err := time.Parse(time.DateOnly, monday)
		if err != nil || m.Weekday() != time.Monday {
			t.Fatalf("ResolveWhen(%d, %q, %q) = %q", y, week, date, monday)
		}
		if day != "" {
			d, err := time.Parse(time.DateOnly, day)
			if err != nil || d.Year() != y || d.Before(m) || d.Sub(m) >= 7*24*time.Hour {
				t.Fatalf("ResolveWhen(%d, %q, %q) = %q, %q", y, week, date, monday, day)
			}
		} else if n, _ := strconv.Atoi(strings.TrimSpace(week)); n < 1 {
			t.Fatalf("week %q accepted", week)
		}
	})
}
