package search

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/tenant"
)

// municipality creates a municipality for storage tests.
func municipality(t *testing.T, d *db.DB, slug string) int64 {
	t.Helper()
	m := tenant.Municipality{Slug: slug, Name: "Округ " + slug, TimeZone: "Asia/Yekaterinburg"}
	if err := d.InTx(context.Background(), func(tx *db.Tx) error { return tenant.NewStore(d).Create(context.Background(), tx, &m) }); err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func put(t *testing.T, d *db.DB, docs ...Doc) {
	t.Helper()
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		for _, doc := range docs {
			if err := Put(context.Background(), tx, doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
}

func remove(t *testing.T, d *db.DB, munID int64, typ, id string) {
	t.Helper()
	if err := d.InTx(context.Background(), func(tx *db.Tx) error { return Remove(context.Background(), tx, munID, typ, id) }); err != nil {
		t.Fatalf("remove: %v", err)
	}
}

var day = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// corpus is the documents every search test runs against.
func corpus(mun, other int64) []Doc {
	return []Doc{
		{MunicipalityID: mun, Type: "news", ObjectID: "1", Title: "Итоги работы с обращениями граждан за квартал",
			Body: "Отдел рассмотрел 312 обращений. Большинство обращений касалось благоустройства дворов.", URL: "/news/1", Spheres: []string{"housing"}, PublishedAt: day},
		{MunicipalityID: mun, Type: "act", ObjectID: "7", Title: "Постановление о порядке рассмотрения обращения",
			Body: "Утвердить порядок. Срок ответа на обращение — 30 дней.", URL: "/acts/7", Spheres: []string{"social"}, PublishedAt: day.Add(24 * time.Hour)},
		{MunicipalityID: mun, Type: "act", ObjectID: "8", Title: "Правовые акты администрации: перечень",
			Body: "Акты опубликованы в бюллетене.", URL: "/acts/8", PublishedAt: day},
		{MunicipalityID: mun, Type: "page", ObjectID: "hearings", Title: "Публичные слушания",
			Body: "Порядок организации и проведения публичных слушаний по проектам планировки.", URL: "/pages/hearings", Spheres: []string{"urban"}, PublishedAt: day},
		{MunicipalityID: mun, Type: "page", ObjectID: "budget", Title: "Бюджет для граждан",
			Body: "Проект бюджета обсуждается на публичных слушаниях в декабре.", URL: "/pages/budget", Spheres: []string{"budget", "urban"}, PublishedAt: day},
		{MunicipalityID: mun, Type: "news", ObjectID: "2", Title: "Школа № 3 открыла спортзал",
			Body: "Директор школы <b>рассказал</b> о ремонте <script>alert(1)</script> & планах.", URL: "/news/2", Spheres: []string{"education"}, PublishedAt: day},
		{MunicipalityID: other, Type: "news", ObjectID: "1", Title: "Обращения граждан в соседнем округе",
			Body: "Чужие обращения.", URL: "/news/1", PublishedAt: day},
	}
}

func urls(r Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.URL)
	}
	return out
}

func TestSearchTable(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "a")
		other := municipality(t, d, "b")
		put(t, d, corpus(mun, other)...)

		cases := []struct {
			name  string
			q     Query
			want  []string // URLs in rank order; nil means "exactly none"
			total int
			set   bool // only the set of URLs matters, not their order
		}{
			{name: "morphology: обращение finds обращения and обращений", q: Query{Text: "обращение"}, want: []string{"/news/1", "/acts/7"}, total: 2, set: true},
			{name: "morphology: plural acts", q: Query{Text: "акт"}, want: []string{"/acts/8"}, total: 1},
			{name: "morphology: phrase in another case", q: Query{Text: "публичных слушаний"}, want: []string{"/pages/hearings", "/pages/budget"}, total: 2},
			{name: "title outranks body", q: Query{Text: "слушания"}, want: []string{"/pages/hearings", "/pages/budget"}, total: 2},
			{name: "every word required", q: Query{Text: "обращения благоустройство"}, want: []string{"/news/1"}, total: 1},
			{name: "ё and е are the same letter", q: Query{Text: "ОБРАЩЁН"}, want: nil, total: 0},
			{name: "type filter", q: Query{Text: "обращения", Types: []string{"act"}}, want: []string{"/acts/7"}, total: 1},
			{name: "several types", q: Query{Text: "обращения", Types: []string{"act", "news"}}, want: []string{"/news/1", "/acts/7"}, total: 2, set: true},
			{name: "sphere filter", q: Query{Text: "слушания", Sphere: "budget"}, want: []string{"/pages/budget"}, total: 1},
			{name: "sphere with no match", q: Query{Text: "слушания", Sphere: "education"}, want: nil},
			{name: "pagination first page", q: Query{Text: "обращения", PerPage: 1}, total: 2, want: nil, set: true},
			{name: "pagination past the end", q: Query{Text: "обращения", PerPage: 1, Page: 5}, want: nil, total: 2},
			{name: "stop words only", q: Query{Text: "и в на"}, want: nil},
			{name: "empty", q: Query{Text: "   "}, want: nil},
			{name: "nothing matches", q: Query{Text: "космодром"}, want: nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.q.MunicipalityID = mun
				r, err := Search(ctx, d, c.q)
				if err != nil {
					t.Fatal(err)
				}
				if r.Total != c.total {
					t.Errorf("total = %d, want %d (%v)", r.Total, c.total, urls(r))
				}
				if c.name == "pagination first page" {
					if len(r.Hits) != 1 {
						t.Errorf("hits = %v, want one", urls(r))
					}
					return
				}
				got := urls(r)
				if c.set {
					if !sameSet(got, c.want) {
						t.Errorf("got %v, want %v", got, c.want)
					}
					return
				}
				if strings.Join(got, " ") != strings.Join(c.want, " ") {
					t.Errorf("got %v, want %v", got, c.want)
				}
			})
		}
	})
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestSearchPagesDoNotOverlap(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "a")
		var docs []Doc
		for i := range 7 {
			docs = append(docs, Doc{MunicipalityID: mun, Type: "news", ObjectID: fmt.Sprint(i), Title: fmt.Sprintf("Новость %d о ремонте дорог", i),
				Body: "Ремонт дорог продолжается.", URL: fmt.Sprintf("/news/%d", i), PublishedAt: day.Add(time.Duration(i) * time.Hour)})
		}
		put(t, d, docs...)
		seen := map[string]bool{}
		for page := 1; page <= 3; page++ {
			r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "ремонт дороги", Page: page, PerPage: 3})
			if err != nil {
				t.Fatal(err)
			}
			if r.Total != 7 {
				t.Fatalf("page %d: total %d, want 7", page, r.Total)
			}
			wantLen := map[int]int{1: 3, 2: 3, 3: 1}[page]
			if len(r.Hits) != wantLen {
				t.Fatalf("page %d: %d hits, want %d", page, len(r.Hits), wantLen)
			}
			for _, h := range r.Hits {
				if seen[h.URL] {
					t.Fatalf("page %d repeats %s", page, h.URL)
				}
				seen[h.URL] = true
			}
		}
		// Equal ranks: the newest first.
		r, _ := Search(ctx, d, Query{MunicipalityID: mun, Text: "ремонт", PerPage: 1})
		if len(r.Hits) != 1 || r.Hits[0].URL != "/news/6" {
			t.Fatalf("newest first: got %v", urls(r))
		}
	})
}

func TestPutReplacesAndRemoveRemoves(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "a")
		doc := Doc{MunicipalityID: mun, Type: "act", ObjectID: "5", Title: "Положение о конкурсе", Body: "Конкурс проектов благоустройства.",
			URL: "/acts/5", Spheres: []string{"urban"}, PublishedAt: day}
		put(t, d, doc)
		find := func(text string, sphere string) int {
			t.Helper()
			r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: text, Sphere: sphere})
			if err != nil {
				t.Fatal(err)
			}
			return r.Total
		}
		if find("конкурс", "") != 1 || find("конкурс", "urban") != 1 {
			t.Fatal("indexed document not found")
		}
		// The same object again replaces it: old words and spheres are gone.
		doc.Title, doc.Body, doc.Spheres = "Положение о субсидиях", "Субсидии предпринимателям.", []string{"economy", "economy"}
		put(t, d, doc)
		if n := find("конкурс", ""); n != 0 {
			t.Fatalf("old text still found: %d", n)
		}
		if find("субсидия", "") != 1 || find("субсидия", "economy") != 1 || find("субсидия", "urban") != 0 {
			t.Fatal("replaced document not found by its new text and spheres")
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("rows after replace: %d %v", n, err)
		}
		remove(t, d, mun, "act", "5")
		if find("субсидия", "") != 0 {
			t.Fatal("removed document still found")
		}
		// Removing again, or something never indexed, is fine.
		remove(t, d, mun, "act", "5")
		remove(t, d, mun, "news", "404")
		// And the document can come back.
		put(t, d, doc)
		if find("субсидия", "") != 1 {
			t.Fatal("re-published document not found")
		}
	})
}

// TestIndexFollowsTheTransaction: a document written in a transaction that
// rolls back is never found, and one removed in a rolled-back transaction
// stays.
func TestIndexFollowsTheTransaction(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "a")
		kept := Doc{MunicipalityID: mun, Type: "page", ObjectID: "kept", Title: "Опубликованная страница о парках", URL: "/p/kept", PublishedAt: day}
		put(t, d, kept)
		boom := fmt.Errorf("content change failed")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := Put(ctx, tx, Doc{MunicipalityID: mun, Type: "page", ObjectID: "draft", Title: "Черновик о парках", URL: "/p/draft"}); err != nil {
				return err
			}
			if err := Remove(ctx, tx, mun, "page", "kept"); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("transaction: %v", err)
		}
		r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "парки"})
		if err != nil {
			t.Fatal(err)
		}
		if got := urls(r); len(got) != 1 || got[0] != "/p/kept" {
			t.Fatalf("after rollback: %v", got)
		}
	})
}

func TestSnippetsAreSafeHTML(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "a")
		put(t, d, corpus(mun, municipality(t, d, "b"))...)
		r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "директор школы"})
		if err != nil || len(r.Hits) != 1 {
			t.Fatalf("search: %v %v", err, urls(r))
		}
		s := string(r.Hits[0].Snippet)
		if strings.Contains(s, "<script") || strings.Contains(s, "<b>") {
			t.Fatalf("markup from the document reached the snippet: %s", s)
		}
		if !strings.Contains(s, "<mark>Директор</mark>") || !strings.Contains(s, "<mark>школы</mark>") {
			t.Fatalf("matched words not marked: %s", s)
		}
		if stripped := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s); strings.ContainsAny(stripped, "<>") {
			t.Fatalf("only <mark> may be markup: %s", s)
		}
		r, _ = Search(ctx, d, Query{MunicipalityID: mun, Text: "обращений", Types: []string{"news"}})
		if len(r.Hits) != 1 || !strings.Contains(string(r.Hits[0].Snippet), "<mark>обращений</mark>") {
			t.Fatalf("inflected form not marked: %+v", r.Hits)
		}
		// A document whose markup tries to look like a highlight.
		put(t, d, Doc{MunicipalityID: mun, Type: "page", ObjectID: "x", Title: "Проверка разметки",
			Body: "Текст </mark><img src=x onerror=alert(1)> \uE000разметки\uE001 и «кавычки» \"двойные\".", URL: "/x"})
		r, _ = Search(ctx, d, Query{MunicipalityID: mun, Text: "разметка"})
		if len(r.Hits) != 1 {
			t.Fatalf("hits: %v", urls(r))
		}
		s = string(r.Hits[0].Snippet)
		if strings.Contains(s, "<img") || strings.Count(s, "<mark>") != strings.Count(s, "</mark>") {
			t.Fatalf("unsafe snippet: %s", s)
		}
	})
}

// TestQuerySyntaxIsNeverPassedThrough: characters that mean something to
// FTS5 or tsquery only separate words.
func TestQuerySyntaxIsNeverPassedThrough(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "a")
		put(t, d, corpus(mun, municipality(t, d, "b"))...)
		// found: the query's words (whatever surrounds them) are all in the
		// corpus; «title» and «near» are only words, which no document
		// has, so those queries find only part of their words.
		for q, found := range map[string]bool{
			`"`: false, `*`: false, `:`: false, `&`: false, `(`: false, `)`: false, `'`: false, `\`: false, "\x00": false,
			`{title}: x`: false, `title:обращения`: false, `NEAR(обращения граждан)`: false,
			`"обращения`: true, `обращения*`: true, `обращения & !граждан`: true, `(обращения`: true, `-обращения`: true,
			`обращения <-> граждан`: true, `^обращения`: true, `обращения OR граждан`: true, "обра\u0301щения": true, `"обращения граждан"`: true,
		} {
			r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: q})
			if err != nil {
				t.Errorf("%q: %v", q, err)
				continue
			}
			if found != (r.Total > 0 && !r.Partial) {
				t.Errorf("%q: found %d, want found=%v", q, r.Total, found)
			}
		}
		if _, err := Search(ctx, d, Query{MunicipalityID: mun, Text: strings.Repeat("я", MaxQueryLen+1)}); err != ErrQueryTooLong {
			t.Errorf("long query: %v", err)
		}
	})
}

func TestPutRejectsBadDocuments(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "a")
		good := Doc{MunicipalityID: mun, Type: "act", ObjectID: "1", Title: "Акт", URL: "/acts/1"}
		for name, mod := range map[string]func(*Doc){
			"no municipality":   func(x *Doc) { x.MunicipalityID = 0 },
			"no type":           func(x *Doc) { x.Type = "" },
			"type not a slug":   func(x *Doc) { x.Type = "Act One" },
			"no object id":      func(x *Doc) { x.ObjectID = "" },
			"no title":          func(x *Doc) { x.Title = "  " },
			"javascript url":    func(x *Doc) { x.URL = "javascript:alert(1)" },
			"scheme-relative":   func(x *Doc) { x.URL = "//evil.example/" },
			"sphere not a slug": func(x *Doc) { x.Spheres = []string{"ЖКХ"} },
		} {
			doc := good
			mod(&doc)
			err := d.InTx(ctx, func(tx *db.Tx) error { return Put(ctx, tx, doc) })
			if err == nil || !strings.Contains(err.Error(), "invalid document") {
				t.Errorf("%s: got %v", name, err)
			}
		}
		// Zero PublishedAt means now; NUL bytes and bad UTF-8 are cleaned.
		doc := good
		doc.Body = "текст\x00с нулём \xff и мусором"
		put(t, d, doc)
		r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "мусор"})
		if err != nil || r.Total != 1 || r.Hits[0].PublishedAt.IsZero() {
			t.Fatalf("cleaned document: %+v %v", r, err)
		}
	})
}

func TestTypes(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		mun := municipality(t, d, "a")
		put(t, d, corpus(mun, municipality(t, d, "b"))...)
		ts, err := Types(context.Background(), d, mun)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(ts); got != "[act news page]" {
			t.Fatalf("types: %s", got)
		}
		if ts, err := Types(context.Background(), d, municipality(t, d, "empty")); err != nil || len(ts) != 0 {
			t.Fatalf("a municipality with nothing indexed: %v %v", ts, err)
		}
	})
}
