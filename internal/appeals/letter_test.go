package appeals

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"net/url"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

func TestAnswerLetterPDF(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		in := paper(a, env, "Почтовый", today)
		in.Author.Email = ""
		in.Author.PostalAddress = "624090, г. Верхняя Пышма, ул. Ленина, д. 1, кв. 2"
		ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		enc := url.PathEscape(ap.Number)
		op := env.Client("appeals", auth.Operator)
		head := env.Client("affairs", auth.Administrator)
		housing := env.Client("housing", auth.Editor)
		legal := env.Client("legal", auth.Lawyer)
		for _, s := range []struct {
			c    *webtest.Client
			act  string
			body any
		}{
			{op, "assign", map[string]any{"department_id": env.Departments["housing"]}},
			{housing, "draft", map[string]any{"answer": "Ремонт дороги по улице Ленина включён в план на июнь.", "result": "supported_measures"}},
			{head, "approve", nil},
			{housing, "answer", nil},
		} {
			if r := s.c.API("POST", "/api/v1/appeals/"+enc+"/"+s.act, s.body); r.Status != 200 {
				t.Fatalf("%s: %d %s", s.act, r.Status, r.Body)
			}
		}
		ap, err = a.store.ByNumber(ctx, d, m.ID, ap.Number)
		if err != nil {
			t.Fatal(err)
		}
		l, err := a.LetterFor(ctx, m, ap)
		if err != nil {
			t.Fatal(err)
		}
		if l.AddresseeName != "Почтовый Иван" || !strings.Contains(l.PostalAddress, "ул. Ленина") || l.OutgoingNumber != ap.Number+"/исх" ||
			l.OutgoingDate != today.Russian() || !strings.Contains(l.Text, "включён в план") || l.OfficialName == "" || !strings.Contains(l.OfficialPost, "должностное лицо") {
			t.Errorf("letter data: %+v", l)
		}
		var buf bytes.Buffer
		if err := WriteLetter(&buf, l); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Почтовый Иван", "Исх. № " + l.OutgoingNumber, l.OfficialName} {
			if !pdfText(t, buf.Bytes(), want) {
				t.Errorf("the PDF does not show %q", want)
			}
		}
		if pdfText(t, buf.Bytes(), "Безответный") {
			t.Error("pdfText finds text that is not there")
		}

		// The card links the letter; the department and the desk get it.
		if r := housing.Get("/admin/appeals/" + enc); !strings.Contains(r.Body, "/admin/appeals/"+enc+"/letter.pdf") {
			t.Errorf("card lacks the letter link: %d", r.Status)
		}
		for _, c := range []*webtest.Client{housing, op} {
			r := c.Get("/admin/appeals/" + enc + "/letter.pdf")
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") || len(r.Body) < 10000 || !strings.Contains(r.Body, "%%EOF") {
				t.Errorf("letter: %d %s %d bytes", r.Status, r.Header.Get("Content-Type"), len(r.Body))
			} else if !pdfText(t, []byte(r.Body), "Почтовый Иван") {
				t.Error("the downloaded letter does not show the addressee")
			}
		}
		// The accessible HTML version carries the same letter, in order,
		// and is linked from the card beside the PDF.
		if r := housing.Get("/admin/appeals/" + enc); !strings.Contains(r.Body, "/admin/appeals/"+enc+"/letter\"") {
			t.Error("card lacks the accessible version of the letter")
		}
		html := housing.Get("/admin/appeals/" + enc + "/letter")
		body := html.Body
		iNum, iName, iText, iSign := strings.Index(body, "Исх. № "+l.OutgoingNumber), strings.Index(body, "Почтовый Иван"), strings.Index(body, "включён в план"), strings.Index(body, l.OfficialPost)
		if html.Status != 200 || iNum < 0 || iName < iNum || iText < iName || iSign < iText {
			t.Errorf("accessible letter: %d, positions %d %d %d %d", html.Status, iNum, iName, iText, iSign)
		}
		// Another department's staff does not see the appeal at all.
		for _, path := range []string{"/letter.pdf", "/letter"} {
			if r := legal.Get("/admin/appeals/" + enc + path); r.Status != 404 {
				t.Errorf("another department, %s: %d", path, r.Status)
			}
		}
		// An appeal with no answer has no letter.
		other, err := a.Register(ctx, m, paper(a, env, "Безответный", today), Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		if r := op.Get("/admin/appeals/" + url.PathEscape(other.Number) + "/letter.pdf"); r.Status != 404 {
			t.Errorf("no answer: %d", r.Status)
		}
		if r := op.Get("/admin/appeals/" + url.PathEscape(other.Number)); strings.Contains(r.Body, "letter.pdf") {
			t.Error("a card without an answer links a letter")
		}
	})
}

// pdfText reports whether a PDF made by pdfdoc shows text: fpdf writes
// UTF-8 fonts as Identity-H strings of UTF-16BE code units, so the text is
// found in the inflated content streams (with fpdf's escapes undone).
func pdfText(t *testing.T, pdf []byte, text string) bool {
	t.Helper()
	var want []byte
	for _, u := range utf16.Encode([]rune(text)) {
		want = append(want, byte(u>>8), byte(u))
	}
	unescape := strings.NewReplacer(`\\`, `\`, `\(`, `(`, `\)`, `)`, `\r`, "\r")
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return false
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			return false
		}
		zr, err := zlib.NewReader(bytes.NewReader(rest[:j]))
		if err != nil {
			continue // not compressed or not a flate stream
		}
		raw, _ := io.ReadAll(zr)
		if bytes.Contains([]byte(unescape.Replace(string(raw))), want) {
			return true
		}
		rest = rest[j:]
	}
}
