package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestLemmasOf(t *testing.T) {
	l := dictionary()
	for w, want := range map[string]string{
		"площадок": "площадка", "заявок": "заявка", "отца": "отец", "дня": "день", "дней": "день",
		"ребенка": "ребенок", "благоустройства": "благоустройство", "госуслуг": "госуслуга",
	} {
		if got := l.lemmasOf(w); !slices.Contains(got, want) {
			t.Errorf("lemmasOf(%q) = %v, want %q among them", w, got, want)
		}
	}
	if got := l.lemmasOf("благоустроиство"); got != nil {
		t.Errorf("a misspelt word has lemmas %v", got)
	}
}

// TestWordFormsTable is the one table of word forms for both engines: a
// query in one form must find a document that has the word in another,
// where the Snowball stems differ (fleeting vowels, alternations), and the
// special tokens (ё, hyphens, abbreviations, numbers) must find themselves.
func TestWordFormsTable(t *testing.T) {
	cases := []struct {
		name, doc, query string
		found            bool
	}{
		{"fleeting vowel: площадок → площадка", "Ремонт детских площадок во дворах", "детская площадка", true},
		{"fleeting vowel: площадка → площадок", "Новая спортивная площадка", "площадок", true},
		{"fleeting vowel: заявок → заявка", "Приём заявок на субсидии", "заявка", true},
		{"fleeting vowel: заявка → заявок", "Подать заявку на участие", "заявок", true},
		{"alternation: отца → отец", "Награда отцу троих детей", "отец", true},
		{"alternation: отец → отца", "День отца в городе", "отца", true},
		{"alternation: день → дня", "Срок ответа — 30 дней", "день", true},
		{"alternation: дня → день", "Выходной день", "дня", true},
		{"ё and е", "Ёлка на площади", "елки", true},
		{"е and ё", "Елка на площади", "ёлка", true},
		{"hyphenated word", "Северо-западный микрорайон", "северо-западного", true},
		{"hyphenated query half", "Интернет-приёмная администрации", "приемной", true},
		{"abbreviation ЖКХ", "Реформа ЖКХ в округе", "жкх", true},
		{"abbreviation МКД", "Капремонт МКД по улице Ленина", "МКД", true},
		{"number with №", "Постановление № 118 от 07.03.2018", "№118", true},
		{"year", "План на 2026 год", "2026", true},
		{"another year", "План на 2026 год", "2025", false},
		{"another word", "Ремонт детских площадок", "заявка", false},
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "forms")
		var docs []Doc
		for i, c := range cases {
			docs = append(docs, Doc{MunicipalityID: mun, Type: "news", ObjectID: fmt.Sprint(i), Title: "Новость " + fmt.Sprint(i),
				Body: c.doc, URL: fmt.Sprintf("/news/%d", i), PublishedAt: day})
		}
		put(t, d, docs...)
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: c.query, PerPage: MaxPerPage})
				if err != nil {
					t.Fatal(err)
				}
				url := fmt.Sprintf("/news/%d", i)
				got := !r.Partial && slices.Contains(urls(r), url)
				if got != c.found {
					t.Errorf("query %q on %q: found %v, want %v (hits %v, partial %v)", c.query, c.doc, got, c.found, urls(r), r.Partial)
				}
				if c.found && !strings.Contains(string(r.Hits[slices.Index(urls(r), url)].Snippet), "<mark>") {
					t.Errorf("no word marked in %q", r.Hits[slices.Index(urls(r), url)].Snippet)
				}
			})
		}
	})
}

// TestPartialMatchesAndSuggestions: a query with a word that no document has
// shows the documents with most of its words, says so, and suggests the
// spelling the index has for a misspelt word.
func TestPartialMatchesAndSuggestions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "partial")
		other := municipality(t, d, "other")
		put(t, d,
			Doc{MunicipalityID: mun, Type: "news", ObjectID: "1", Title: "Питание в школе", Body: "Горячее питание школьников.", URL: "/news/1", PublishedAt: day},
			Doc{MunicipalityID: mun, Type: "news", ObjectID: "2", Title: "Питание в детском саду", Body: "Меню детского сада.", URL: "/news/2", PublishedAt: day.Add(time.Hour)},
			Doc{MunicipalityID: mun, Type: "act", ObjectID: "3", Title: "Программа благоустройства дворов", Body: "Благоустройство дворовых территорий.", URL: "/acts/3", PublishedAt: day},
			Doc{MunicipalityID: other, Type: "news", ObjectID: "1", Title: "Космодром", Body: "Только в другом округе.", URL: "/news/1", PublishedAt: day},
		)
		cases := []struct {
			q          string
			want       []string
			partial    bool
			suggestion string
		}{
			{"питание школа", []string{"/news/1"}, false, ""},
			// No document has «школьное питание» whole (школьный ≠ школа):
			// both meals documents have one word of two; the school one
			// has «школьников», which is not «школьный» either.
			{"питание в школе бассейн", []string{"/news/1", "/news/2"}, true, ""},
			{"благоустроиство", nil, false, "благоустройство"},
			{"благоустроиство дворов", []string{"/acts/3"}, true, "благоустройство дворов"},
			{"питание космодром", []string{"/news/1", "/news/2"}, true, ""},
			{"космодром", nil, false, ""},
		}
		for _, c := range cases {
			t.Run(c.q, func(t *testing.T) {
				r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: c.q})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(urls(r), c.want) || r.Partial != c.partial || r.Suggestion != c.suggestion {
					t.Errorf("got %v partial=%v suggestion=%q; want %v partial=%v suggestion=%q", urls(r), r.Partial, r.Suggestion, c.want, c.partial, c.suggestion)
				}
			})
		}
	})
}

// TestFacetsAndSort: counts by type, sphere and year for the query, each
// facet under the other filters, and the date order.
func TestFacetsAndSort(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "facets")
		y25 := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		put(t, d,
			Doc{MunicipalityID: mun, Type: "news", ObjectID: "1", Title: "Дороги: ремонт дорог", Body: "Ремонт дорог.", URL: "/news/1", Spheres: []string{"roads"}, PublishedAt: y25},
			Doc{MunicipalityID: mun, Type: "news", ObjectID: "2", Title: "Новости", Body: "Ремонт дороги на улице.", URL: "/news/2", Spheres: []string{"roads"}, PublishedAt: day},
			Doc{MunicipalityID: mun, Type: "act", ObjectID: "3", Title: "Постановление", Body: "О ремонте дорог и школ.", URL: "/acts/3", Spheres: []string{"roads", "education"}, PublishedAt: day.Add(time.Hour)},
			Doc{MunicipalityID: mun, Type: "act", ObjectID: "4", Title: "Другое", Body: "Про школы.", URL: "/acts/4", PublishedAt: day},
		)
		r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "дорога"})
		if err != nil {
			t.Fatal(err)
		}
		f := fmt.Sprint(r.Facets.Types, r.Facets.Spheres, r.Facets.Years)
		if want := "[{act 1} {news 2}] [{education 1} {roads 3}] [{2026 2} {2025 1}]"; f != want || r.Total != 3 {
			t.Errorf("facets %s total %d, want %s total 3", f, r.Total, want)
		}
		if urls(r)[0] != "/news/1" {
			t.Errorf("the title match is not first: %v", urls(r))
		}
		r, err = Search(ctx, d, Query{MunicipalityID: mun, Text: "дорога", Year: 2026, Types: []string{"news"}})
		if err != nil {
			t.Fatal(err)
		}
		f = fmt.Sprint(r.Facets.Types, r.Facets.Spheres, r.Facets.Years)
		if want := "[{act 1} {news 1}] [{roads 1}] [{2026 1} {2025 1}]"; f != want || r.Total != 1 || !slices.Equal(urls(r), []string{"/news/2"}) {
			t.Errorf("filtered: facets %s total %d hits %v, want %s total 1 [/news/2]", f, r.Total, urls(r), want)
		}
		r, err = Search(ctx, d, Query{MunicipalityID: mun, Text: "дорога", ByDate: true})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"/acts/3", "/news/2", "/news/1"}; !slices.Equal(urls(r), want) {
			t.Errorf("by date: %v, want %v", urls(r), want)
		}
	})
}

// TestCountsAreEstimatedAboveTheThreshold: above the threshold the facets
// are extrapolated from a sample, close to the true counts, and said to be
// estimates, while the total stays exact; a filter that leaves few matches
// is counted exactly.
func TestCountsAreEstimatedAboveTheThreshold(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "many")
		var docs []Doc
		for i := range 200 {
			typ := "news"
			if i%4 == 0 {
				typ = "act"
			}
			docs = append(docs, Doc{MunicipalityID: mun, Type: typ, ObjectID: fmt.Sprint(i), Title: fmt.Sprintf("Ремонт дороги %d", i),
				Body: "Ремонт дорог.", URL: fmt.Sprintf("/n/%d", i), PublishedAt: day})
		}
		put(t, d, docs...)
		r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "ремонт", estimateAbove: 100})
		if err != nil {
			t.Fatal(err)
		}
		if r.Estimated || r.Total != 200 || !r.Facets.Estimated || len(r.Hits) != DefaultPerPage {
			t.Errorf("total %d (estimated %v), facets estimated %v, %d hits; want an exact 200 and estimated facets", r.Total, r.Estimated, r.Facets.Estimated, len(r.Hits))
		}
		if acts := facetCount(r.Facets.Types, "act"); acts < 35 || acts > 65 {
			t.Errorf("estimated acts %d, want about 50 (%v)", acts, r.Facets.Types)
		}
		r, err = Search(ctx, d, Query{MunicipalityID: mun, Text: "ремонт", Types: []string{"act"}, estimateAbove: 100})
		if err != nil {
			t.Fatal(err)
		}
		if r.Estimated || r.Total != 50 {
			t.Errorf("a filter leaving few matches: total %d, estimated %v; want an exact 50", r.Total, r.Estimated)
		}
	})
}

// TestEstimatedFacetsSpreadOverTheYears: the sample the facets are counted
// on is spread over the whole index, so that the years of an old archive
// and of this year are both counted (the first matches in the index order
// would all be the oldest, and the year facet would say nothing of this
// year).
func TestEstimatedFacetsSpreadOverTheYears(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "years")
		var docs []Doc
		for i := range 300 {
			at := day.AddDate(-6, 0, 0) // indexed first: the archive
			if i >= 150 {
				at = day
			}
			docs = append(docs, Doc{MunicipalityID: mun, Type: "act", ObjectID: fmt.Sprint(i), Title: fmt.Sprintf("О бюджете %d", i),
				Body: "Бюджет округа.", URL: fmt.Sprintf("/acts/%d", i), PublishedAt: at})
		}
		put(t, d, docs...)
		r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "бюджет", estimateAbove: 60})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Facets.Estimated {
			t.Fatalf("300 matches above a threshold of 60: facets not estimated")
		}
		old, now := facetCount(r.Facets.Years, strconv.Itoa(day.Year()-6)), facetCount(r.Facets.Years, strconv.Itoa(day.Year()))
		if old < 110 || old > 190 || now < 110 || now > 190 {
			t.Errorf("years %v: want about 150 in each of the two years", r.Facets.Years)
		}
	})
}

func facetCount(cs []Count, value string) int {
	for _, c := range cs {
		if c.Value == value {
			return c.Count
		}
	}
	return 0
}

// TestRankingIsBoundedToTheNewestMatches: with more matches than the
// ranking takes, the newest matches are ranked and the result says so; the
// best match among older ones is reached by the year filter or by date,
// and the total still counts every match.
func TestRankingIsBoundedToTheNewestMatches(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "bounded")
		old := day.AddDate(-3, 0, 0)
		// The best match is the oldest document: the word in its title
		// twice, where the newer ones have it once in the body.
		docs := []Doc{{MunicipalityID: mun, Type: "act", ObjectID: "old", Title: "Ремонт и ремонт дорог", Body: "Ремонт.", URL: "/acts/old", PublishedAt: old}}
		for i := range 30 {
			docs = append(docs, Doc{MunicipalityID: mun, Type: "news", ObjectID: fmt.Sprint(i), Title: fmt.Sprintf("Новость %d", i),
				Body: "Сегодня начат ремонт на одной из улиц, работы продлятся неделю и более.", URL: fmt.Sprintf("/n/%d", i), PublishedAt: day.Add(time.Duration(i) * time.Hour)})
		}
		put(t, d, docs...)
		search := func(q Query) Result {
			t.Helper()
			q.MunicipalityID, q.Text = mun, "ремонт"
			r, err := Search(ctx, d, q)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		cases := []struct {
			name      string
			q         Query
			first     string
			hits      int
			ranked    int
			wantTotal int
		}{
			{"every match ranked", Query{}, "/acts/old", DefaultPerPage, 0, 31},
			{"the newest ten ranked", Query{rankWithin: 10}, "/n/29", 10, 10, 31},
			{"the second page past the ranked", Query{rankWithin: 10, Page: 2}, "", 0, 10, 31},
			{"the year of the old act", Query{rankWithin: 10, Year: old.Year()}, "/acts/old", 1, 0, 1},
			{"by date, no bound", Query{rankWithin: 10, ByDate: true, PerPage: 50}, "/n/29", 31, 0, 31},
		}
		for _, c := range cases {
			r := search(c.q)
			first := ""
			if len(r.Hits) > 0 {
				first = r.Hits[0].URL
			}
			if first != c.first || len(r.Hits) != c.hits || r.RankedWithin != c.ranked || r.Total != c.wantTotal {
				t.Errorf("%s: first %q, %d hits, ranked within %d, total %d; want %q, %d, %d, %d",
					c.name, first, len(r.Hits), r.RankedWithin, r.Total, c.first, c.hits, c.ranked, c.wantTotal)
			}
			if c.ranked > 0 && len(r.Hits) > 0 && slicesContainsURL(r.Hits, "/acts/old") {
				t.Errorf("%s: the old act was ranked although it is not among the newest", c.name)
			}
		}
	})
}

func slicesContainsURL(hits []Hit, url string) bool {
	for _, h := range hits {
		if h.URL == url {
			return true
		}
	}
	return false
}
