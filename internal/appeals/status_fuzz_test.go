package appeals

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/fuzzcheck"
	"github.com/glasnost/glasnost/internal/webtest"
)

// Whatever number and contact are typed into the public status lookup, the
// answer is the appeal's status only for its own number (in any case, with
// any dash) with its author's e-mail or phone, «not found» otherwise, and never an error of the
// database, on either engine.
func FuzzPublicStatus(f *testing.F) {
	for _, c := range [][2]string{{"", ""}, {"ВП-1999-000001", "a@b.ru"}, {"%", "_"}, {"' OR 1=1 --", "x"}, {"ВП-", "8 912 000-00-01"},
		{strings.Repeat("9", 300), strings.Repeat("@", 300)}, {"\\", "\\"}, {" ВП-2026-000001 ", "+7 (912) 000-00-01"}} {
		f.Add(c[0], c[1])
	}
	ctx := context.Background()
	type lookup struct {
		a      *Area
		munID  int64
		number string
		email  string
		phone  string
	}
	var areas []lookup
	for _, e := range fuzzcheck.Databases(f) {
		env := webtest.New(f, e.DB)
		a, err := New(env.Deps(nil))
		if err != nil {
			f.Fatal(err)
		}
		env.Server() // builds the job queue that the acknowledgement is queued on
		topics, err := ParseClassifier(bytes.NewReader(demoClassifier))
		if err != nil {
			f.Fatal(err)
		}
		if err := e.DB.InTx(ctx, func(tx *db.Tx) error {
			_, err := a.store.ImportTopics(ctx, tx, env.Municipality.ID, topics)
			return err
		}); err != nil {
			f.Fatal(err)
		}
		in := paper(a, env, "Иванов", a.Today(env.Municipality))
		ap, err := a.Register(ctx, env.Municipality, in, Actor{Name: "op@test.ru", Staff: true}, false)
		if err != nil {
			f.Fatal(err)
		}
		areas = append(areas, lookup{a, env.Municipality.ID, ap.Number, in.Author.Email, in.Author.Phone})
		f.Add(ap.Number, in.Author.Email)
		f.Add(ap.Number, in.Author.Phone)
	}
	f.Fuzz(func(t *testing.T, number, contact string) {
		// The guard at the edge refuses NUL and invalid UTF-8.
		if strings.IndexByte(number+contact, 0) >= 0 || !utf8.ValidString(number+contact) {
			t.Skip()
		}
		for _, l := range areas {
			p, err := l.a.PublicStatus(ctx, l.munID, number, contact)
			if errors.Is(err, ErrStatusNotFound) {
				if number == l.number && (contact == l.email || contact == l.phone) {
					t.Fatalf("the author's own lookup (%q, %q) not found", number, contact)
				}
				continue
			}
			if err != nil {
				t.Fatalf("PublicStatus(%q, %q): %v", number, contact, err)
			}
			given := NormalizePhone(contact)
			if strings.Contains(contact, "@") {
				given = NormalizeEmail(contact)
			}
			// A number is found in any case, without spaces and with any
			// dash (NumberCandidates), but only with the author's contact.
			c := NumberCandidates(number)
			if (c[0] != l.number && c[1] != l.number && c[2] != l.number) || (given != NormalizeEmail(l.email) && given != NormalizePhone(l.phone)) {
				t.Fatalf("PublicStatus(%q, %q) found %+v", number, contact, p)
			}
		}
	})
}
