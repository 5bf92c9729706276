package consult

import (
	"strings"
	"testing"
)

func TestParseDraft(t *testing.T) {
	src := "Проект постановления\n\n# Глава 1. Общие положения\n\n1.1. Правила устанавливают требования.\nпродолжение пункта\n1.2. Второй пункт:\nа) первый подпункт;\nб) второй подпункт.\n\n## Статья 5\n\n2. Отдельный пункт.\n\n# Заключительные положения\n\nТекст без номера.\n"
	blocks := ParseDraft(src)
	var got []string
	for _, b := range blocks {
		got = append(got, b.Anchor+"|"+b.Label())
	}
	want := []string{
		"preamble|преамбула",
		"s-1|Глава 1. Общие положения",
		"p-1-1|п. 1.1",
		"p-1-2|п. 1.2",
		"p-1-2-а|п. 1.2 а)",
		"p-1-2-б|п. 1.2 б)",
		"s-5|Статья 5",
		"p-2|п. 2",
		"s-заключительные-положения|Заключительные положения",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if b, _ := FindBlock(blocks, "p-1-1"); !strings.Contains(b.Text, "продолжение пункта") {
		t.Errorf("a point keeps its continuation lines: %q", b.Text)
	}
	// The same point keeps its anchor when text around it changes.
	edited := strings.Replace(src, "Правила устанавливают требования.", "Правила устанавливают новые требования.", 1)
	edited = "# Введение\n\nНовый абзац.\n\n" + edited
	if _, ok := FindBlock(ParseDraft(edited), "p-1-2-б"); !ok {
		t.Error("anchor of п. 1.2 б) must survive edits elsewhere")
	}
	// Repeated numbers stay addressable.
	dup := ParseDraft("1. Первый.\n1. Опять первый.\n")
	if dup[0].Anchor != "p-1" || dup[1].Anchor != "p-1-2" {
		t.Errorf("duplicate anchors: %q %q", dup[0].Anchor, dup[1].Anchor)
	}
}

func TestMarkFindings(t *testing.T) {
	text := "Орган вправе отказать. Иные документы."
	fs := CheckWording(text, DefaultWordingRules())
	parts := MarkFindings(text, fs)
	var joined strings.Builder
	marks := 0
	for _, p := range parts {
		joined.WriteString(p.Text)
		if p.Mark {
			marks++
		}
	}
	if joined.String() != text {
		t.Fatalf("marking must not change the text: %q", joined.String())
	}
	if marks == 0 {
		t.Fatalf("no marks for %v", fs)
	}
}
