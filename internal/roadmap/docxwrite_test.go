package roadmap

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
)

// The fixtures are written as WordprocessingML by hand, in the few parts Word
// needs to open a document: what the importer meets in a real file is tested
// on documents saved by LibreOffice (testdata/libreoffice-*.docx).

// wcell is a table cell: its paragraphs (a "\n" inside one is a w:br), its
// span over grid columns and its vertical merge ("", "restart" or "continue").
type wcell struct {
	paras []string
	span  int
	merge string
}

// wdoc is a document body under construction.
type wdoc struct{ body strings.Builder }

func escapeXML(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// runs writes text as runs, a w:br for each line break.
func runs(text string) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:r><w:br/></w:r>`)
		}
		if line != "" {
			b.WriteString(`<w:r><w:t xml:space="preserve">` + escapeXML(line) + `</w:t></w:r>`)
		}
	}
	return b.String()
}

func (d *wdoc) para(text string) {
	d.body.WriteString(`<w:p>` + runs(text) + `</w:p>`)
}

// raw adds body XML as it is (tracked changes, content controls).
func (d *wdoc) raw(x string) { d.body.WriteString(x) }

func (d *wdoc) table(rows [][]wcell) {
	d.body.WriteString(`<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:color="000000"/></w:tblBorders></w:tblPr>`)
	for _, r := range rows {
		d.body.WriteString(`<w:tr>`)
		for _, c := range r {
			d.body.WriteString(`<w:tc><w:tcPr>`)
			if c.span > 1 {
				d.body.WriteString(`<w:gridSpan w:val="` + strconv.Itoa(c.span) + `"/>`)
			}
			switch c.merge {
			case "restart":
				d.body.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				d.body.WriteString(`<w:vMerge/>`)
			}
			d.body.WriteString(`</w:tcPr>`)
			paras := c.paras
			if len(paras) == 0 {
				paras = []string{""} // a cell needs a paragraph to be valid OOXML
			}
			for _, p := range paras {
				d.body.WriteString(`<w:p>` + runs(p) + `</w:p>`)
			}
			d.body.WriteString(`</w:tc>`)
		}
		d.body.WriteString(`</w:tr>`)
	}
	d.body.WriteString(`</w:tbl>`)
}

// bytes zips the document with its content types and relationships, in a
// fixed order so that the same document gives the same bytes.
func (d *wdoc) bytes(t *testing.T) []byte {
	t.Helper()
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="` + wml + `" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14"><w:body>` + d.body.String() + `<w:sectPr/></w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
