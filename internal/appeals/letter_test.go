package appeals

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

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

		// The card links the letter; the department and the desk get it.
		if r := housing.Get("/admin/appeals/" + enc); !strings.Contains(r.Body, "/admin/appeals/"+enc+"/letter.pdf") {
			t.Errorf("card lacks the letter link: %d", r.Status)
		}
		for _, c := range []*webtest.Client{housing, op} {
			r := c.Get("/admin/appeals/" + enc + "/letter.pdf")
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") || len(r.Body) < 10000 || !strings.Contains(r.Body, "%%EOF") {
				t.Errorf("letter: %d %s %d bytes", r.Status, r.Header.Get("Content-Type"), len(r.Body))
			}
		}
		// Another department's staff does not see the appeal at all.
		if r := legal.Get("/admin/appeals/" + enc + "/letter.pdf"); r.Status != 404 {
			t.Errorf("another department: %d", r.Status)
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
