package acts

import (
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func validAct() Act {
	return Act{Kind: "order", Number: "118", Date: "2018-03-07", Title: "Об утверждении плана мероприятий", Status: StatusInForce, Spheres: []string{"education"}, Published: true}
}

func TestValidate(t *testing.T) {
	spheres := map[string]bool{"education": true, "housing": true}
	cases := []struct {
		name  string
		edit  func(a *Act)
		field string // "" = valid
	}{
		{"valid", func(a *Act) {}, ""},
		{"kind by Russian label", func(a *Act) { a.Kind = "распоряжение администрации" }, ""},
		{"status by label without ё", func(a *Act) { a.Status = "изменен" }, ""},
		{"unknown kind", func(a *Act) { a.Kind = "указ" }, "kind"},
		{"no number", func(a *Act) { a.Number = "  " }, "number"},
		{"long number", func(a *Act) { a.Number = strings.Repeat("1", 51) }, "number"},
		{"no date", func(a *Act) { a.Date = "" }, "date"},
		{"bad date", func(a *Act) { a.Date = "2018-02-30" }, "date"},
		{"Russian date", func(a *Act) { a.Date = "07.03.2018" }, ""},
		{"date far in the future", func(a *Act) { a.Date = "2208-03-07" }, "date"},
		{"date before 1991", func(a *Act) { a.Date = "1987-01-01" }, "date"},
		{"no title", func(a *Act) { a.Title = "" }, "title"},
		{"unknown status", func(a *Act) { a.Status = "в работе" }, "status"},
		{"unknown sphere", func(a *Act) { a.Spheres = []string{"space"} }, "spheres"},
		{"published draft", func(a *Act) { a.Status = StatusDraft }, "published"},
		{"unpublished draft", func(a *Act) { a.Status, a.Published = StatusDraft, false }, ""},
		{"text too long", func(a *Act) { a.Text = strings.Repeat("а", maxText+1) }, "text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := validAct()
			c.edit(&a)
			errs := Validate(a, spheres, today)
			if c.field == "" && len(errs) > 0 {
				t.Fatalf("want valid, got %v", errs)
			}
			if c.field != "" {
				if _, ok := errs[c.field]; !ok {
					t.Fatalf("want an error on %q, got %v", c.field, errs)
				}
				if len(errs) != 1 {
					t.Fatalf("want only %q, got %v", c.field, errs)
				}
			}
		})
	}
}

func TestLinkEffect(t *testing.T) {
	cases := []struct{ target, link, want string }{
		{StatusInForce, LinkAmends, StatusAmended},
		{StatusInForce, LinkRepeals, StatusRepealed},
		{StatusAmended, LinkAmends, StatusAmended},
		{StatusAmended, LinkRepeals, StatusRepealed},
		{StatusRepealed, LinkAmends, StatusRepealed}, // a repealed act is not revived by an amendment
		{StatusRepealed, LinkRepeals, StatusRepealed},
		{StatusDraft, LinkRepeals, StatusDraft}, // a draft has nothing to lose
		{StatusInForce, "mentions", StatusInForce},
	}
	for _, c := range cases {
		if got := LinkEffect(c.target, c.link); got != c.want {
			t.Errorf("LinkEffect(%s, %s) = %s, want %s", c.target, c.link, got, c.want)
		}
	}
}

func TestValidateLink(t *testing.T) {
	older := Act{ID: 1, Date: "2018-03-07"}
	newer := Act{ID: 2, Date: "2020-01-10"}
	cases := []struct {
		name     string
		from, to Act
		kind     string
		ok       bool
	}{
		{"newer amends older", newer, older, LinkAmends, true},
		{"same day", Act{ID: 3, Date: "2018-03-07"}, older, LinkRepeals, true},
		{"older cannot change newer", older, newer, LinkRepeals, false},
		{"not itself", older, older, LinkAmends, false},
		{"unknown kind", newer, older, "cites", false},
	}
	for _, c := range cases {
		err := ValidateLink(c.from, c.to, c.kind)
		if (err == nil) != c.ok {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
}

func TestValidateExplanation(t *testing.T) {
	cases := []struct {
		name    string
		x       Explanation
		hasFile bool
		fields  []string
	}{
		{"text", Explanation{Format: FormatText, Title: "Кратко", Body: "Текст."}, false, nil},
		{"text without body", Explanation{Format: FormatText, Title: "Кратко"}, false, []string{"body"}},
		{"no title", Explanation{Format: FormatText, Body: "Текст."}, false, []string{"title"}},
		{"infographic needs alt", Explanation{Format: FormatInfographic, Title: "Схема"}, true, []string{"body"}},
		{"infographic needs image", Explanation{Format: FormatInfographic, Title: "Схема", Body: "Описание"}, false, []string{"file"}},
		{"infographic", Explanation{Format: FormatInfographic, Title: "Схема", Body: "Описание"}, true, nil},
		{"audio needs transcript", Explanation{Format: FormatAudio, Title: "Запись"}, true, []string{"body"}},
		{"video by link", Explanation{Format: FormatVideo, Title: "Видео", Body: "Расшифровка", VideoURL: "https://video.example.org/x"}, false, nil},
		{"video needs file or link", Explanation{Format: FormatVideo, Title: "Видео", Body: "Расшифровка"}, false, []string{"file"}},
		{"video link must be http", Explanation{Format: FormatVideo, Title: "Видео", Body: "Расшифровка", VideoURL: "javascript:alert(1)"}, false, []string{"video_url"}},
		{"video needs transcript", Explanation{Format: FormatVideo, Title: "Видео", VideoURL: "https://video.example.org/x"}, false, []string{"body"}},
		{"mind map", Explanation{Format: FormatMindMap, Title: "Карта", Body: "# Тема\n- ветвь"}, false, nil},
		{"empty mind map", Explanation{Format: FormatMindMap, Title: "Карта", Body: "  "}, false, []string{"body"}},
		{"unknown format", Explanation{Format: "comic", Title: "Комикс"}, false, []string{"format"}},
	}
	for _, c := range cases {
		errs := ValidateExplanation(c.x, c.hasFile)
		if len(errs) != len(c.fields) {
			t.Errorf("%s: errors %v, want fields %v", c.name, errs, c.fields)
			continue
		}
		for _, f := range c.fields {
			if errs[f] == "" {
				t.Errorf("%s: no error on %s: %v", c.name, f, errs)
			}
		}
	}
}

func TestValidateReview(t *testing.T) {
	ok := Review{Title: "Обзор за 2019 год", From: "2019-01-01", To: "2019-12-31", Text: "Текст"}
	if errs := ValidateReview(ok, today); len(errs) > 0 {
		t.Fatalf("valid review: %v", errs)
	}
	bad := ok
	bad.To = "2018-12-31"
	if errs := ValidateReview(bad, today); errs["to"] == "" {
		t.Fatalf("period ending before it starts accepted: %v", errs)
	}
	bad = Review{}
	errs := ValidateReview(bad, today)
	for _, f := range []string{"title", "from", "to", "text"} {
		if errs[f] == "" {
			t.Errorf("empty review: no error on %s", f)
		}
	}
}

func TestParseCitations(t *testing.T) {
	cits, bad := ParseCitations("№ 118 от 07.03.2018\n/acts/12\nhttps://portal.example/acts/7?x=1; 15\nот 16.07.2018 г. № 563\n\nпостановление про снег")
	want := []Citation{{Number: "118", Date: "2018-03-07"}, {ID: 12}, {ID: 7}, {ID: 15}, {Number: "563", Date: "2018-07-16"}}
	if len(cits) != len(want) {
		t.Fatalf("got %+v", cits)
	}
	for i, w := range want {
		if cits[i].ID != w.ID || cits[i].Number != w.Number || cits[i].Date != w.Date {
			t.Errorf("citation %d: got %+v, want %+v", i, cits[i], w)
		}
	}
	if len(bad) != 1 || bad[0] != "постановление про снег" {
		t.Fatalf("bad = %q", bad)
	}
}

func TestActPresentation(t *testing.T) {
	a := validAct()
	if got := a.Heading(); got != "Распоряжение администрации от 07.03.2018 № 118" {
		t.Fatalf("heading %q", got)
	}
	if a.StatusLabel() != "Действует" || StatusLabel(StatusRepealed) != "Утратил силу" {
		t.Fatal("status labels")
	}
	a.Status = StatusDraft
	if a.Public() {
		t.Fatal("a draft is never public")
	}
	for n, want := range map[int64]string{512: "512 Б", 2048: "2 КБ", 1572864: "1,5 МБ"} {
		if got := SizeLabel(n); got != want {
			t.Errorf("SizeLabel(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	cases := []struct{ name, want string }{
		{"act.pdf", `attachment; filename=act.pdf`},
		{`evil"; filename=x.exe`, `attachment; filename="evil__ filename=x.exe"`},
		{"../../etc/passwd", `attachment; filename=.._.._etc_passwd`},
		{"Распоряжение №118.pdf", `attachment; filename*=utf-8''%D0%A0%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%8F%D0%B6%D0%B5%D0%BD%D0%B8%D0%B5%20%E2%84%96118.pdf; filename="document.pdf"`},
		{"line\r\nbreak.pdf", `attachment; filename=line__break.pdf`},
	}
	for _, c := range cases {
		if got := ContentDisposition("attachment", c.name); got != c.want {
			t.Errorf("%q: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestIsWAV(t *testing.T) {
	wav := append([]byte("RIFF\x24\x08\x00\x00WAVEfmt "), make([]byte, 64)...)
	if !IsWAV(wav) || IsWAV([]byte("RIFF")) || IsWAV(append([]byte("RIFF0000AVI "), make([]byte, 64)...)) {
		t.Fatal("IsWAV")
	}
	if png := DemoChart([]int{10, 50, 100}); string(png[1:4]) != "PNG" {
		t.Fatal("DemoChart does not make a PNG")
	}
}
