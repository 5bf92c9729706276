package markdown

import (
	"strings"
	"testing"
)

func TestHTMLIsSanitisedAndKeepsPointNumbers(t *testing.T) {
	m := New(3)
	tests := []struct {
		name, src string
		want      []string
		not       []string
	}{
		{"script stripped", "Текст <script>alert(1)</script>", []string{"Текст"}, []string{"<script", "alert(1)</script>"}},
		{"raw HTML is not rendered", "<img src=x onerror=alert(1)>", nil, []string{"onerror", "<img"}},
		{"event handlers and frames", `<a href="#" onclick="alert(1)">x</a><iframe src="https://evil.example"></iframe><div style="background:url(javascript:alert(1))">x</div>`, nil, []string{"onclick", "<iframe", "style="}},
		{"javascript link", "[ссылка](javascript:alert(1))", []string{"ссылка"}, []string{"javascript:"}},
		{"headings fit under the page", "# Раздел\n\n## Пункт", []string{"<h3", "<h4"}, []string{"<h1", "<h2"}},
		{"numbered points keep their numbers", "## Раздел 2\n\n3. Третий\n4. Четвёртый", []string{`<ol start="3">`}, nil},
		{"table header scoped", "| А | Б |\n|---|---|\n| 1 | 2 |", []string{`<th scope="col"`}, nil},
		{"external link is nofollow", "https://example.org", []string{`rel="nofollow noreferrer"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := m.HTML(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(h, w) {
					t.Errorf("%q lacks %q", h, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(h, n) {
					t.Errorf("%q has %q", h, n)
				}
			}
		})
	}
}

func TestPlainKeepsParagraphs(t *testing.T) {
	got := New(3).Plain("# Заголовок\n\nПервый **абзац** &laquo;тут&raquo;.\n\n- пункт &amp; ещё")
	if got != "Заголовок\n\nПервый абзац «тут».\n\nпункт & ещё" {
		t.Errorf("Plain = %q", got)
	}
}

func TestDiffMarksChangesForScreenReaders(t *testing.T) {
	d := string(Diff("один\nдва\n", "один\nтри <b>\n"))
	if !strings.Contains(d, "<del><span class=\"visually-hidden\">[удалено: </span>два") || !strings.Contains(d, "[добавлено: </span>три &lt;b&gt;") {
		t.Errorf("Diff = %s", d)
	}
	if a, r := DiffStats("один\nдва\n", "один\nтри\nчетыре\n"); a != 2 || r != 1 {
		t.Errorf("DiffStats = %d, %d", a, r)
	}
}

func TestPartsRebuildBothTextsAndRefineWords(t *testing.T) {
	before := "1. Благоустроить 12 дворов.\n2. Отремонтировать 8 км дорог.\n"
	after := "1. Благоустроить 15 дворов.\n2. Отремонтировать 8 км дорог.\n3. Публиковать отчёт.\n"
	parts := Parts(before, after)
	var ins, del, same, old, fresh strings.Builder
	for _, p := range parts {
		switch p.Op {
		case "ins":
			ins.WriteString(p.Text)
			fresh.WriteString(p.Text)
		case "del":
			del.WriteString(p.Text)
			old.WriteString(p.Text)
		default:
			same.WriteString(p.Text)
			old.WriteString(p.Text)
			fresh.WriteString(p.Text)
		}
	}
	if old.String() != before || fresh.String() != after {
		t.Fatalf("the parts must rebuild both texts:\n%q\n%q", old.String(), fresh.String())
	}
	if !strings.Contains(ins.String(), "Публиковать отчёт") {
		t.Fatalf("diff: ins %q del %q", ins.String(), del.String())
	}
	if !strings.Contains(same.String(), "Отремонтировать 8 км дорог") {
		t.Fatalf("unchanged line must be kept as is: %q", same.String())
	}
	if strings.Contains(del.String(), "Благоустроить") {
		t.Fatalf("a changed number must not delete the whole line: %q", del.String())
	}
	i, dd := ChangedRunes(parts)
	if i == 0 || dd == 0 {
		t.Fatal("stats")
	}
}
