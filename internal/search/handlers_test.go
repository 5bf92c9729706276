package search

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

// env builds the kernel stack with the search area mounted and the test
// corpus indexed for the test municipality.
func env(t *testing.T, d *db.DB) (*webtest.Env, *Area) {
	t.Helper()
	e := webtest.New(t, d)
	a, err := New(e.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(e.Router)
	docs := corpus(e.Municipality.ID, municipality(t, d, "other"))
	for i := range docs {
		if docs[i].Spheres != nil {
			docs[i].Spheres = []string{"housing"}
		}
	}
	docs = append(docs, Doc{MunicipalityID: e.Municipality.ID, Type: "explanation", ObjectID: "7-1", Title: "Как подать обращение: пояснение простым языком",
		Body: "Обращение можно подать лично или через портал.", URL: "/acts/7#explanation-1", Spheres: []string{"education"}, PublishedAt: day})
	put(t, d, docs...)
	return e, a
}

func TestSearchPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e, _ := env(t, d)
		c := e.Anonymous()
		cases := []struct {
			name   string
			path   string
			status int
			want   []string
			not    []string
		}{
			{"empty form", "/search", 200,
				[]string{`role="search"`, `<label for="q">Что вы ищете?</label>`, `<label for="type">Тип материала</label>`, `<option value="act">Правовой акт</option>`,
					`<option value="housing">ЖКХ</option>`, "Поиск идёт по всем опубликованным материалам"},
				[]string{"Ничего не найдено", "search-hits"}},
			{"results with morphology", "/search?q=" + url.QueryEscape("обращение"), 200,
				[]string{"найдено 3 материала", `<ol class="search-hits" start="1">`, `href="/acts/7"`, `<span class="tag">Правовой акт</span>`,
					`<span class="tag">Новость</span>`, `<span class="tag">Пояснение к акту</span>`, "<mark>обращение</mark>", `<time datetime="2026-03-02T09:00:00Z">02.03.2026</time>`,
					`value="обращение"`},
				[]string{"соседнем округе"}},
			{"type filter keeps the choice", "/search?type=act&q=" + url.QueryEscape("обращения"), 200,
				[]string{"найден 1 материал", `href="/acts/7"`, `<option value="act" selected>`}, []string{`href="/news/1"`}},
			{"sphere filter", "/search?sphere=education&q=" + url.QueryEscape("обращения"), 200,
				[]string{"найден 1 материал", `href="/acts/7#explanation-1"`, `<option value="education" selected>`}, nil},
			{"nothing found gives advice", "/search?sphere=transport&q=" + url.QueryEscape("обращения"), 200,
				[]string{"Ничего не найдено", "с выбранными фильтрами", "проверьте, нет ли в запросе опечаток", `href="/search?q=%d0%be%d0%b1%d1%80%d0%b0%d1%89%d0%b5%d0%bd%d0%b8%d1%8f"`},
				[]string{"search-hits"}},
			{"query is escaped", "/search?q=" + url.QueryEscape(`<script>alert(1)</script>`), 200,
				[]string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert"}},
			{"too long query: error beside the field", "/search?q=" + strings.Repeat("a", MaxQueryLen+1), 422,
				[]string{`class="error-summary"`, `href="#q"`, `id="q-error"`, "сократите его до 200 знаков", `aria-invalid="true"`, `value="` + strings.Repeat("a", 20)},
				[]string{"search-hits"}},
			{"bad type", "/search?q=x&type=" + url.QueryEscape("<b>"), 422,
				[]string{`href="#type"`, "Выберите тип материала из списка."}, nil},
			{"bad page number is page one", "/search?page=-3&q=" + url.QueryEscape("обращение"), 200,
				[]string{"найдено 3 материала"}, nil},
			{"page past the end", "/search?page=9&q=" + url.QueryEscape("обращение"), 200,
				[]string{"На этой странице результатов нет", "Перейти к первой странице"}, nil},
			{"filters count the matches", "/search?q=" + url.QueryEscape("обращение"), 200,
				[]string{`<option value="act">Правовой акт (1)</option>`, `<option value="news">Новость (1)</option>`, `<option value="explanation">Пояснение к акту (1)</option>`,
					`<option value="housing">ЖКХ (2)</option>`, `<option value="education">Образование (1)</option>`, `<option value="2026">2026 (3)</option>`, `<label for="year">Год публикации</label>`},
				nil},
			{"year filter", "/search?year=2026&q=" + url.QueryEscape("обращение"), 200,
				[]string{"найдено 3 материала", `<option value="2026" selected>2026 (3)</option>`}, nil},
			{"year with nothing", "/search?year=2025&q=" + url.QueryEscape("обращение"), 200,
				[]string{"Ничего не найдено", `<option value="2025" selected>2025 (0)</option>`}, nil},
			{"bad year", "/search?year=abc&q=x", 422, []string{`href="#year"`, "Выберите год из списка."}, nil},
			{"sort by date", "/search?sort=date&q=" + url.QueryEscape("обращение"), 200,
				[]string{`<option value="date" selected>Сначала новые</option>`, "найдено 3 материала"}, nil},
			{"bad sort", "/search?sort=x&q=x", 422, []string{"Выберите порядок из списка."}, nil},
			{"partial results are said so", "/search?q=" + url.QueryEscape("обращения космодром"), 200,
				[]string{"Материалов, в которых есть все слова запроса, не нашлось", "search-hits", `href="/acts/7"`}, []string{"Ничего не найдено"}},
			{"misspelt word gets a suggestion", "/search?q=" + url.QueryEscape("благоустроиства"), 200,
				[]string{"Возможно, вы имели в виду <a href=\"/search?q=" + strings.ToLower(url.QueryEscape("благоустройства")) + "\">благоустройства</a>?", "Ничего не найдено"}, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := c.Get(tc.path)
				if r.Status != tc.status {
					t.Fatalf("status %d, want %d\n%s", r.Status, tc.status, r.Body)
				}
				for _, w := range tc.want {
					if !strings.Contains(r.Body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
				for _, w := range tc.not {
					if strings.Contains(r.Body, w) {
						t.Errorf("page has %q", w)
					}
				}
				if t.Failed() {
					t.Logf("body:\n%s", r.Body)
				}
			})
		}
	})
}

func TestSearchPagePagination(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e, _ := env(t, d)
		var docs []Doc
		for i := range DefaultPerPage + 5 {
			docs = append(docs, Doc{MunicipalityID: e.Municipality.ID, Type: "news", ObjectID: fmt.Sprint(100 + i), Title: fmt.Sprintf("Ремонт дороги № %d", i), URL: fmt.Sprintf("/news/%d", 100+i), PublishedAt: day})
		}
		put(t, d, docs...)
		c := e.Anonymous()
		r := c.Get("/search?q=" + url.QueryEscape("ремонт дорог"))
		for _, w := range []string{"найдено 25 материалов", "Страница 1 из 2", `rel="next"`, "Показаны результаты с 1 по 20"} {
			if !strings.Contains(r.Body, w) {
				t.Errorf("page 1 lacks %q", w)
			}
		}
		if n := strings.Count(r.Body, `class="search-hit"`); n != DefaultPerPage {
			t.Errorf("page 1 has %d hits", n)
		}
		r = c.Get("/search?page=2&q=" + url.QueryEscape("ремонт дорог"))
		for _, w := range []string{`<ol class="search-hits" start="21">`, "Страница 2 из 2", `rel="prev"`, "Показаны результаты с 21 по 25"} {
			if !strings.Contains(r.Body, w) {
				t.Errorf("page 2 lacks %q", w)
			}
		}
	})
}

func TestSearchAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e, _ := env(t, d)
		c := e.Anonymous()
		var out struct {
			Total   int `json:"total"`
			Page    int `json:"page"`
			Results []struct {
				Type, TypeLabel, Title, URL, Snippet string
			} `json:"results"`
		}
		r := c.API("GET", "/api/v1/search?q="+url.QueryEscape("публичных слушаний"), nil)
		if r.Status != 200 {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		r.JSON(t, &out)
		if out.Total != 2 || len(out.Results) != 2 || out.Results[0].URL != "/pages/hearings" || out.Results[0].Type != "page" ||
			out.Results[0].Title != "Публичные слушания" || !strings.Contains(out.Results[0].Snippet, "<mark>публичных</mark> <mark>слушаний</mark>") {
			t.Fatalf("results: %+v", out)
		}
		if !strings.Contains(r.Body, `"type_label": "Страница"`) || !strings.Contains(r.Body, `"published_at": "2026-03-01T09:00:00Z"`) {
			t.Errorf("body: %s", r.Body)
		}
		// Several types, comma-separated or repeated; pagination.
		for _, q := range []string{"type=act,news", "type=act&type=news"} {
			out.Results = nil
			c.API("GET", "/api/v1/search?q="+url.QueryEscape("обращения")+"&"+q, nil).JSON(t, &out)
			if out.Total != 2 {
				t.Errorf("%s: total %d", q, out.Total)
			}
		}
		out.Results = nil
		c.API("GET", "/api/v1/search?per_page=1&page=2&q="+url.QueryEscape("обращения"), nil).JSON(t, &out)
		if out.Total != 3 || out.Page != 2 || len(out.Results) != 1 {
			t.Errorf("page 2: %+v", out)
		}
		// Facets, a partial match and a suggestion.
		var f struct {
			Partial    bool   `json:"partial"`
			Suggestion string `json:"suggestion"`
			Facets     struct {
				Types, Spheres, Years []struct {
					Value, Label string
					Count        int
				}
			} `json:"facets"`
		}
		c.API("GET", "/api/v1/search?q="+url.QueryEscape("обращение"), nil).JSON(t, &f)
		if fmt.Sprint(f.Facets.Types) != "[{act Правовой акт 1} {explanation Пояснение к акту 1} {news Новость 1}]" ||
			fmt.Sprint(f.Facets.Spheres) != "[{education Образование 1} {housing ЖКХ 2}]" || fmt.Sprint(f.Facets.Years) != "[{2026  3}]" || f.Partial {
			t.Errorf("facets: %+v", f)
		}
		c.API("GET", "/api/v1/search?q="+url.QueryEscape("благоустроиство дворов"), nil).JSON(t, &f)
		if !f.Partial || f.Suggestion != "благоустройство дворов" {
			t.Errorf("partial: %+v", f)
		}
		// Nothing found is an empty list, not null.
		r = c.API("GET", "/api/v1/search?q="+url.QueryEscape("космодром"), nil)
		if r.Status != 200 || !strings.Contains(r.Body, `"results": []`) || !strings.Contains(r.Body, `"total": 0`) {
			t.Errorf("empty: %d %s", r.Status, r.Body)
		}
		for _, bad := range []string{"", "?q=", "?q=" + strings.Repeat("я", MaxQueryLen+1), "?q=x&per_page=500", "?q=x&page=zero", "?q=x&type=" + url.QueryEscape("a b")} {
			r := c.API("GET", "/api/v1/search"+bad, nil)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"code": "invalid"`) {
				t.Errorf("%q: %d %s", bad, r.Status, r.Body)
			}
		}
		if !e.API.Has("GET", "/api/v1/search") {
			t.Error("the endpoint is not in the OpenAPI document")
		}
	})
}

func TestAnonymousSearchIsRateLimited(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e, _ := env(t, d)
		anon := e.Anonymous()
		limited := 0
		for range 40 {
			if r := anon.Get("/search?q=" + url.QueryEscape("обращения")); r.Status == http.StatusTooManyRequests {
				limited++
				if r.Header.Get("Retry-After") == "" || !strings.Contains(r.Body, "Слишком много запросов") {
					t.Fatalf("429 without Retry-After or Russian message: %s", r.Body)
				}
			}
		}
		if limited == 0 {
			t.Fatal("40 searches in a row were all answered")
		}
		if r := anon.API("GET", "/api/v1/search?q=x", nil); r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, `"rate_limited"`) {
			t.Errorf("API from the same address: %d %s", r.Status, r.Body)
		}
		// The empty form costs nothing and is not limited.
		if r := anon.Get("/search"); r.Status != 200 {
			t.Errorf("empty form: %d", r.Status)
		}
		// A signed-in user is not limited.
		staff := e.Client("press", auth.Press)
		for range 40 {
			if r := staff.Get("/search?q=" + url.QueryEscape("обращения")); r.Status != 200 {
				t.Fatalf("signed-in search: %d", r.Status)
			}
		}
	})
}

func TestDemoIsIdempotent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "demo")
		snapshot := func() string {
			var n int
			var at string
			if err := d.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(CAST(indexed_at AS TEXT)), '') FROM search_docs`).Scan(&n, &at); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(n, at)
		}
		if err := Demo(ctx, d, mun); err != nil {
			t.Fatal(err)
		}
		first := snapshot()
		if err := Demo(ctx, d, mun); err != nil {
			t.Fatal(err)
		}
		if again := snapshot(); again != first {
			t.Fatalf("second run changed the index: %s → %s", first, again)
		}
		r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "версия для слабовидящих"})
		if err != nil || r.Total != 1 || r.Hits[0].URL != "/accessibility" {
			t.Fatalf("demo page not found: %+v %v", r, err)
		}
	})
}

// TestSearchPageSaysTheRankingIsBounded: with more matches than the ranking
// takes (45 news and one document of the test setup against 20), the page
// says that the newest were ranked and how to reach the rest, and its pages
// by relevance stop at the ranked ones.
func TestSearchPageSaysTheRankingIsBounded(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e, a := env(t, d)
		a.rankWithin = 20
		var docs []Doc
		for i := range 45 {
			docs = append(docs, Doc{MunicipalityID: e.Municipality.ID, Type: "news", ObjectID: fmt.Sprint(200 + i), Title: fmt.Sprintf("Ремонт дороги № %d", i), URL: fmt.Sprintf("/news/%d", 200+i), PublishedAt: day})
		}
		put(t, d, docs...)
		c := e.Anonymous()
		r := c.Get("/search?q=" + url.QueryEscape("ремонт"))
		for _, w := range []string{"найдено 46 материалов", "упорядочены 20 самых новых", "отсортируйте результаты по дате"} {
			if !strings.Contains(r.Body, w) {
				t.Errorf("the page lacks %q", w)
			}
		}
		if strings.Contains(r.Body, `rel="next"`) {
			t.Error("the pages by relevance go on past the ranked matches")
		}
		r = c.Get("/search?sort=date&q=" + url.QueryEscape("ремонт"))
		if strings.Contains(r.Body, "самых новых из них") || !strings.Contains(r.Body, "Страница 1 из 3") {
			t.Error("by date every match is paged and no bound is said")
		}
		api := c.Get("/api/v1/search?q=" + url.QueryEscape("ремонт"))
		if !strings.Contains(api.Body, `"ranked_within": 20`) || !strings.Contains(api.Body, `"total": 46`) {
			t.Errorf("the API does not say the bound: %s", api.Body)
		}
	})
}

// TestSearchPageSaysTheFacetCountsAreEstimates: above the threshold the
// filters' counts are marked «около» on the page and in the API, and the
// total without a filter stays exact.
func TestSearchPageSaysTheFacetCountsAreEstimates(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e, a := env(t, d)
		a.estimateAbove = 10
		var docs []Doc
		for i := range 45 {
			docs = append(docs, Doc{MunicipalityID: e.Municipality.ID, Type: "news", ObjectID: fmt.Sprint(300 + i), Title: fmt.Sprintf("Вывоз снега № %d", i), URL: fmt.Sprintf("/news/%d", 300+i), PublishedAt: day})
		}
		put(t, d, docs...)
		c := e.Anonymous()
		r := c.Get("/search?q=" + url.QueryEscape("снег"))
		if !strings.Contains(r.Body, "найдено 45 материалов") || !regexp.MustCompile(`Новость \(около \d+\)`).MatchString(r.Body) {
			t.Errorf("the page does not give the exact total and the estimated counts:\n%s", r.Body)
		}
		api := c.Get("/api/v1/search?q=" + url.QueryEscape("снег"))
		if !strings.Contains(api.Body, `"facets_estimated": true`) || !strings.Contains(api.Body, `"total_estimated": false`) || !strings.Contains(api.Body, `"total": 45`) {
			t.Errorf("the API does not say which counts are estimates: %s", api.Body)
		}
	})
}
