package search

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/fuzzcheck"
)

// Whatever a person types into the search box, neither engine answers with
// an error (FTS5 and tsquery syntax never reach the engine: quotes, stars,
// NEAR, AND, column filters, a lone «-» are only text), and the snippets are
// escaped text with <mark> alone.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{
		"обращение", "обращения граждан", `"`, `"обращ`, "обращ*", "*", "-", "- обращение", "NOT обращение", "обращение AND",
		"OR", "NEAR(обращение граждан)", "title:обращение", "^обращение", "(", ")", "{title body}:x", "+", ":", "'",
		"a & b | !c", "<->", "обращение:*", "\\", "ё Ё йод", "СРОК ОТВЕТА", "🙂 школа", "x\u0301y", "<script>alert(1)</script>",
		strings.Repeat("слово ", 60), strings.Repeat("я", MaxQueryLen+1),
	} {
		f.Add(s, 1)
	}
	ctx := context.Background()
	var engines []*db.DB
	var mun int64
	for _, e := range fuzzcheck.Databases(f) {
		// Two municipalities' worth of documents, all in the one searched.
		docs := corpus(e.MunicipalityID, e.MunicipalityID)
		err := e.DB.InTx(ctx, func(tx *db.Tx) error {
			for _, doc := range docs[:len(docs)-1] {
				if err := Put(ctx, tx, doc); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			f.Fatal(err)
		}
		engines, mun = append(engines, e.DB), e.MunicipalityID
	}
	f.Fuzz(func(t *testing.T, text string, page int) {
		// The guard at the edge refuses NUL and invalid UTF-8.
		if strings.IndexByte(text, 0) >= 0 || !utf8.ValidString(text) {
			t.Skip()
		}
		for _, d := range engines {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			res, err := Search(ctx, d, Query{MunicipalityID: mun, Text: text, Page: page % 600})
			cancel()
			if errors.Is(err, ErrQueryTooLong) && utf8.RuneCountInString(text) > MaxQueryLen {
				continue
			}
			if err != nil {
				t.Fatalf("%s: Search(%q): %v", dbtest.Name(d), text, err)
			}
			for _, h := range res.Hits {
				s := strings.ReplaceAll(strings.ReplaceAll(string(h.Snippet), "<mark>", ""), "</mark>", "")
				if strings.ContainsAny(s, "<>") {
					t.Fatalf("%s: snippet %q", dbtest.Name(d), h.Snippet)
				}
				if err := fuzzcheck.SafeHTML(string(h.Snippet)); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
