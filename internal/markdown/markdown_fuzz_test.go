package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/fuzzcheck"
)

// hostile are texts written to get markup past the renderer: raw HTML,
// links with scripts in every disguise, and Markdown constructs that a
// naive renderer turns into attributes.
var hostile = []string{
	"Текст <script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	`<a href="#" onclick="alert(1)">x</a><iframe src="https://evil.example"></iframe>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	"[ссылка](javascript:alert(1))",
	"[ссылка](JaVaScRiPt:alert(1))",
	"[ссылка](java\tscript:alert(1))",
	"[ссылка](&#106;avascript:alert(1))",
	"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"![x](javascript:alert(1))",
	"![x\" onerror=\"alert(1)](https://example.org/a.png)",
	"[x](https://example.org \"title\\\" onmouseover=alert(1)\")",
	"<svg/onload=alert(1)>",
	"<!-- <script>alert(1)</script> -->",
	"`<script>alert(1)</script>`",
	"```html\n<script>alert(1)</script>\n```",
	"<scr<script>ipt>alert(1)</script>",
	"www.example.org/<script>",
	"https://example.org/\"><script>alert(1)</script>",
	"| <b onclick=x>А</b> | Б |\n|---|---|\n| 1 | 2 |",
	"1. <style>body{}</style>\n2. пункт",
	"# Раздел\n\n## Пункт\n\n###### Глубже",
	"Строка с  **жирным** и _курсивом_ и ~~зачёркнутым~~.",
	"[ref]: javascript:alert(1)\n\n[ref]",
	"<details open ontoggle=alert(1)>",
	"on=1 onclick=2 текст, не атрибут",
}

// Whatever anyone writes, the rendered HTML runs no script and loads no
// active content, headings start at the level asked for, and the plain text
// of it can be made.
func FuzzMarkdown(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	flat, shifted := New(0), New(3)
	f.Fuzz(func(t *testing.T, src string) {
		h, err := flat.HTML(src)
		if err != nil {
			t.Fatalf("HTML(%q): %v", src, err)
		}
		if err := fuzzcheck.SafeHTML(h); err != nil {
			t.Fatalf("HTML(%q): %v", src, err)
		}
		h, err = shifted.HTML(src)
		if err != nil {
			t.Fatalf("HTML(%q): %v", src, err)
		}
		if err := fuzzcheck.SafeHTML(h); err != nil {
			t.Fatalf("HTML(%q) from level 3: %v", src, err)
		}
		if strings.Contains(h, "<h1") || strings.Contains(h, "<h2") {
			t.Fatalf("HTML(%q) from level 3 has a heading above it: %s", src, h)
		}
		if err := fuzzcheck.SafeHTML(string(shifted.Safe(src))); err != nil {
			t.Fatalf("Safe(%q): %v", src, err)
		}
		_ = shifted.Plain(src)
		_ = OneLine(h)
	})
}

// A comparison of two versions shows both of them whole (the same and the
// removed parts rebuild the old text, the same and the added ones the new),
// and its HTML is escaped text in ins and del only.
func FuzzDiff(f *testing.F) {
	f.Add("1. Благоустроить 12 дворов.\n2. Отремонтировать 8 км дорог.\n", "1. Благоустроить 15 дворов.\n2. Отремонтировать 8 км дорог.\n3. Публиковать отчёт.\n")
	f.Add("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
	f.Add("", "текст")
	f.Add("по понедельникам", "по вторникам")
	f.Fuzz(func(t *testing.T, before, after string) {
		if !utf8.ValidString(before) || !utf8.ValidString(after) {
			t.Skip("the forms that submit texts refuse invalid UTF-8")
		}
		var old, fresh strings.Builder
		for _, p := range Parts(before, after) {
			switch p.Op {
			case "ins":
				fresh.WriteString(p.Text)
			case "del":
				old.WriteString(p.Text)
			case "same":
				old.WriteString(p.Text)
				fresh.WriteString(p.Text)
			default:
				t.Fatalf("part %+v", p)
			}
		}
		if old.String() != before || fresh.String() != after {
			t.Fatalf("Parts(%q, %q) rebuild %q and %q", before, after, old.String(), fresh.String())
		}
		if err := fuzzcheck.SafeHTML(string(Diff(before, after))); err != nil {
			t.Fatal(err)
		}
	})
}
