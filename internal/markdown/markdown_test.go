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
	got := New(3).Plain("# Заголовок\n\nПервый **абзац**.\n\n- пункт &amp; ещё")
	if got != "Заголовок\n\nПервый абзац.\n\nпункт & ещё" {
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
