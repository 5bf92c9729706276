package pdfdoc

import (
	"bytes"
	"strings"
	"testing"
)

func TestCyrillicDocument(t *testing.T) {
	pdf := New("P", Meta{Title: "Сводка предложений", Author: "Городской округ Верхняя Пышма"})
	pdf.AddPage()
	pdf.SetFont(Font, "B", 12)
	pdf.MultiCell(0, 6, "Замечания и предложения жителей: учтено 3 из 5", "", "L", false)
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatalf("write pdf: %v", err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "%PDF-") {
		t.Fatal("output is not a PDF")
	}
	// The font is embedded, so the document reads on machines without it.
	if !strings.Contains(out, "/FontFile2") || !strings.Contains(out, "/CIDFontType2") {
		t.Fatal("the Cyrillic font is not embedded")
	}
}
