package roadmap

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"reflect"
	"testing"
)

// testdata/libreoffice-plan.docx was saved by LibreOffice 7.4 (Debian 12's
// libreoffice-writer-nogui) from testdata/libreoffice-plan.fodt with
//
//	soffice --headless --convert-to docx:"MS Word 2007 XML" libreoffice-plan.fodt
//
// It holds a tracked insertion and a tracked deletion, a cell merged down
// (w:vMerge), a cell merged across (w:gridSpan) and a table nested in a cell.
func TestReadDOCXSavedByLibreOffice(t *testing.T) {
	data, err := os.ReadFile("testdata/libreoffice-plan.docx")
	if err != nil {
		t.Fatal(err)
	}
	r := importDOCX(t, data).Roadmap
	if r.Title != "План мероприятий («дорожная карта») открытости" {
		t.Errorf("title %q", r.Title)
	}
	if len(r.Mechanisms) != 2 || r.MeasureCount() != 3 {
		t.Fatalf("mechanisms %+v", r.Mechanisms)
	}
	m11, m12, m21 := r.Mechanisms[0].Measures[0], r.Mechanisms[0].Measures[1], r.Mechanisms[1].Measures[0]
	if m11.Text != "Первое, дополненное" {
		t.Errorf("1.1 %q: the tracked insertion is kept, the deletion dropped", m11.Text)
	}
	for _, ms := range []Measure{m11, m12} {
		if !reflect.DeepEqual(ms.Responsible, []string{"Отдел А", "Отдел Б"}) {
			t.Errorf("%s responsible %q: the cell merged down belongs to both rows", ms.Number, ms.Responsible)
		}
	}
	if m21.Text != "Третье, до конца года" || m21.Schedule.Text != "" {
		t.Errorf("2.1 %q, term %q: the cell merged across covers the term's column", m21.Text, m21.Schedule.Text)
	}
	if !reflect.DeepEqual(m21.Responsible, []string{"Отдел В", "Отдел Г"}) {
		t.Errorf("2.1 responsible %q: the nested table's cells are lines of the cell", m21.Responsible)
	}
}

// Word wraps text in more than runs: content controls, smart tags, fields,
// hyperlinks, text boxes drawn twice for old readers, tab stops in the
// paragraph properties. Each is written here in the shape Word 2016 saves it.
func TestReadDOCXWordMarkup(t *testing.T) {
	cell := func(x string) string {
		return `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>` + x + `</w:tc>`
	}
	p := func(x string) string {
		return `<w:p w:rsidR="00A1"><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr>` + x + `</w:p>`
	}
	r := func(s string) string {
		return `<w:r><w:rPr><w:lang w:val="ru-RU"/></w:rPr><w:t xml:space="preserve">` + s + `</w:t></w:r>`
	}
	d := &wdoc{}
	d.raw(`<w:sdt><w:sdtPr><w:alias w:val="Название"/></w:sdtPr><w:sdtContent>` + p(r("План открытости")) + `</w:sdtContent></w:sdt>`)
	d.raw(`<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
		`<w:tr>` + cell(p(r("№"))) + cell(p(r("Мероприятие"))) + cell(p(r("Срок"))) + cell(p(r("Ответственный"))) + `</w:tr>` +
		`<w:tr>` + cell(p(`<w:bookmarkStart w:id="0" w:name="m1"/>`+r("1.1")+`<w:bookmarkEnd w:id="0"/>`)) +
		cell(p(r("Опубликовать")+`<w:proofErr w:type="spellStart"/>`+
			`<w:sdt><w:sdtPr/><w:sdtContent>`+r(" план")+`</w:sdtContent></w:sdt>`+
			`<w:ins w:id="1" w:author="Юрист" w:date="2018-03-06T10:00:00Z">`+r(" на сайте")+`</w:ins>`+
			`<w:del w:id="2" w:author="Юрист" w:date="2018-03-06T10:00:00Z"><w:r><w:delText> в газете</w:delText></w:r></w:del>`+
			`<w:smartTag w:uri="urn:x" w:element="place">`+r(" Верхней Пышмы")+`</w:smartTag>`)) +
		cell(p(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \@ "yyyy" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+r("2019")+`<w:r><w:fldChar w:fldCharType="end"/></w:r>`+
			`<w:fldSimple w:instr=" SEQ год ">`+r(" год")+`</w:fldSimple>`)) +
		cell(p(`<w:hyperlink r:id="rId9" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+r("Отдел А")+`</w:hyperlink>`+
			`<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>(врезка)</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>`+
			`<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>(врезка)</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>`)) +
		`</w:tr></w:tbl>`)
	got := importDOCX(t, d.bytes(t)).Roadmap
	if got.Title != "План открытости" {
		t.Errorf("title %q: a content control's text is the paragraph's", got.Title)
	}
	if got.MeasureCount() != 1 {
		t.Fatalf("%+v", got.Mechanisms)
	}
	ms := got.Mechanisms[0].Measures[0]
	if ms.Text != "Опубликовать план на сайте Верхней Пышмы" {
		t.Errorf("measure %q", ms.Text)
	}
	if ms.Schedule.Text != "2019 год" {
		t.Errorf("term %q: a field shows its result, not its code", ms.Schedule.Text)
	}
	if !reflect.DeepEqual(ms.Responsible, []string{"Отдел А(врезка)"}) {
		t.Errorf("responsible %q: a link's text counts, a text box once", ms.Responsible)
	}
}

func TestReadDOCXBroken(t *testing.T) {
	zipOf := func(name, body string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(body))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for name, data := range map[string][]byte{
		"no main part":   zipOf("word/other.xml", "<x/>"),
		"truncated XML":  zipOf("word/document.xml", `<w:document xmlns:w="`+wml+`"><w:body><w:tbl><w:tr><w:tc><w:p>`),
		"not XML at all": zipOf("word/document.xml", "\x00\x01"),
	} {
		if _, err := ParseDOCX(bytes.NewReader(data), int64(len(data))); !errors.Is(err, ErrNotDOCX) {
			t.Errorf("%s: err = %v, want ErrNotDOCX", name, err)
		}
	}
}
