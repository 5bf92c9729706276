package search

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// defaultLabels are the Russian names of the document types that areas
// index, shown beside each result and in the type filter. cmd may add more
// with Label when an area brings a new type.
var defaultLabels = map[string]string{
	"page":            "Страница",
	"section":         "Раздел сайта",
	"news":            "Новость",
	"act":             "Правовой акт",
	"explanation":     "Пояснение к акту",
	"practice_review": "Обзор правоприменительной практики",
	"draft":           "Проект акта",
	"consultation":    "Общественное обсуждение",
	"declaration":     "Публичная декларация",
	"summary":         "Итоги обсуждения",
	"council":         "Общественный совет",
	"meeting":         "Заседание общественного совета",
	"group":           "Референтная группа",
	"dataset":         "Набор открытых данных",
	"poll":            "Опрос",
	"report":          "Отчёт",
	"appeals_report":  "Отчёт о работе с обращениями граждан",
	"publication":     "Публикация в СМИ",
	"measure":         "Мероприятие дорожной карты",
	"roadmap":         "Дорожная карта",
	"service":         "Сервис портала",
}

// fallbackLabel names a type nobody labelled.
const fallbackLabel = "Материал"

// Area serves the search page and the search API.
type Area struct {
	portal.Deps

	labels map[string]string
	// limiter throttles anonymous searches per address: a search costs far
	// more than a page view and must not become a way to load the server.
	limiter *web.Limiter
	// rankWithin and estimateAbove replace the package's bound of the
	// ranking and threshold of the counts in tests.
	rankWithin, estimateAbove int
}

// New builds the area and registers its template.
func New(d portal.Deps) (*Area, error) {
	sub, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	if err := d.Renderer.AddPages("search", sub); err != nil {
		return nil, err
	}
	if err := d.Renderer.Require("search/search"); err != nil {
		return nil, err
	}
	// Documents indexed before the current keys (an upgrade that changed
	// the dictionary) are rebuilt before the first search.
	if _, err := Reindex(context.Background(), d.DB); err != nil {
		return nil, err
	}
	if d.Queue != nil {
		// Hourly, and once at start: after a reindex, an import or the
		// demo's load the index is at its most fragmented.
		river.AddWorker(d.Queue.Workers(), &mergeWorker{db: d.DB})
		d.Queue.Every("search_merge", time.Hour, func() river.JobArgs { return MergeArgs{} })
	}
	labels := make(map[string]string, len(defaultLabels))
	for k, v := range defaultLabels {
		labels[k] = v
	}
	return &Area{Deps: d, labels: labels,
		limiter: web.NewLimiter(2*time.Second, 30)}, nil
}

// Contribution is what the area gives the rest of the portal: the layout
// links /search from every page's header, so it adds no menu entry.
func (a *Area) Contribution() portal.Contribution {
	return portal.Contribution{
		Name: "search", Title: "Поиск",
		Demo: func(ctx context.Context, m tenant.Municipality) error { return Demo(ctx, a.DB, m.ID) },
	}
}

// Label names a document type in Russian (or renames one).
func (a *Area) Label(typ, label string) { a.labels[typ] = label }

// TypeLabel is the Russian name of a document type.
func (a *Area) TypeLabel(typ string) string {
	if l, ok := a.labels[typ]; ok {
		return l
	}
	return fallbackLabel
}

// Mount registers the routes and describes the API.
func (a *Area) Mount(rt *web.Router) {
	rt.HandleFunc("GET /search", web.Public(), a.page)
	rt.HandleFunc("GET /api/v1/search", web.Public(), a.api)
	a.API.Add("GET", "/api/v1/search", web.Operation{
		Summary: "Поиск по всем опубликованным материалам с учётом морфологии русского языка",
		Tags:    []string{"search"},
		Parameters: []map[string]any{
			web.QueryParam("q", "Что искать: слова в любой форме, все должны встретиться в материале (до 200 знаков)", true),
			web.QueryParam("type", "Тип материала (act, news, page, …); можно повторить или перечислить через запятую", false),
			web.QueryParam("sphere", "Сфера деятельности (код сферы, например education)", false),
			web.QueryParam("year", "Год публикации (например 2026)", false),
			web.QueryParam("sort", "Порядок: relevance — сначала самые подходящие (по умолчанию), date — сначала новые", false),
			web.QueryParam("page", "Номер страницы результатов, с 1", false),
			web.QueryParam("per_page", "Результатов на странице, от 1 до 50 (по умолчанию 20)", false),
		},
		Response: web.Obj(map[string]any{
			"total":    web.Int(),
			"page":     web.Int(),
			"per_page": web.Int(),
			"results": web.Arr(web.Obj(map[string]any{
				"type":         web.Str(),
				"type_label":   web.Str(),
				"title":        web.Str(),
				"url":          map[string]any{"type": "string", "description": "Адрес материала на портале (путь от корня сайта)"},
				"snippet":      map[string]any{"type": "string", "description": "Фрагмент текста в HTML: найденные слова в <mark>, остальное экранировано"},
				"published_at": map[string]any{"type": "string", "format": "date-time"},
			}, "type", "title", "url", "snippet")),
			"partial":          map[string]any{"type": "boolean", "description": "true, если ни в одном материале нет всех слов запроса и показаны материалы с частью слов (больше слов — выше)"},
			"total_estimated":  map[string]any{"type": "boolean", "description": "true, если при выбранных фильтрах совпадений больше 200 и total оценён по выборке; без фильтров total точен"},
			"facets_estimated": map[string]any{"type": "boolean", "description": "true, если совпадений больше 200 и счётчики фасетов оценены по равномерной выборке из них"},
			"ranked_within":    map[string]any{"type": "integer", "description": "при сортировке по релевантности и более чем 2000 совпадений — число самых новых совпадений, упорядоченных по релевантности (остальные доступны сортировкой по дате или фильтром по году); иначе 0"},
			"suggestion":       map[string]any{"type": "string", "description": "Исправленный запрос, если в запросе есть слово с опечаткой («Возможно, вы имели в виду …»)"},
			"facets": web.Obj(map[string]any{
				"types":   facetSchema,
				"spheres": facetSchema,
				"years":   facetSchema,
			}, "types", "spheres", "years"),
		}, "total", "results", "facets"),
	})
}

// facetSchema describes one facet in the API: values and their counts.
var facetSchema = web.Arr(web.Obj(map[string]any{"value": web.Str(), "label": web.Str(), "count": web.Int()}, "value", "count"))

// allowed applies the limit to anonymous requests; staff and residents who
// signed in are known and not throttled.
func (a *Area) allowed(w http.ResponseWriter, r *http.Request) bool {
	if web.ViewerFrom(r.Context()) != nil || a.limiter.Allow(web.ClientIP(r)) {
		return true
	}
	w.Header().Set("Retry-After", "60")
	a.Errors.Render(w, r, web.ErrTooManyRequests)
	return false
}

// params are the query parameters both endpoints read.
type params struct {
	Text    string
	Types   []string
	Sphere  string
	Year    int
	ByDate  bool
	Page    int
	PerPage int
}

// readParams reads and checks the parameters, recording problems in f
// under the field they concern. Query text is never logged: it may hold a
// name or an address.
func readParams(v url.Values, f *web.Form, perPage int) params {
	p := params{Text: strings.TrimSpace(v.Get("q")), Sphere: strings.TrimSpace(v.Get("sphere")), Page: 1, PerPage: perPage}
	if utf8.RuneCountInString(p.Text) > MaxQueryLen {
		f.Fail("q", "Запрос слишком длинный: сократите его до "+strconv.Itoa(MaxQueryLen)+" знаков.")
	}
	for _, t := range v["type"] {
		for _, s := range strings.Split(t, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			if !slugRE.MatchString(s) {
				f.Fail("type", "Выберите тип материала из списка.")
				continue
			}
			p.Types = append(p.Types, s)
		}
	}
	if p.Sphere != "" && !slugRE.MatchString(p.Sphere) {
		f.Fail("sphere", "Выберите сферу из списка.")
	}
	if s := strings.TrimSpace(v.Get("year")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < MinYear || n > MaxYear {
			f.Fail("year", "Выберите год из списка.")
		} else {
			p.Year = n
		}
	}
	switch v.Get("sort") {
	case "", "relevance":
	case "date":
		p.ByDate = true
	default:
		f.Fail("sort", "Выберите порядок из списка.")
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			f.Fail("page", "Номер страницы должен быть целым числом от 1.")
		} else {
			p.Page = n
		}
	}
	if s := v.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPerPage {
			f.Fail("per_page", "Число результатов на странице должно быть от 1 до "+strconv.Itoa(MaxPerPage)+".")
		} else {
			p.PerPage = n
		}
	}
	return p
}

// option is one choice of a filter, with the number of matches it would
// give when a search was made.
type option struct {
	Value, Label string
	Count        int
	Counted      bool
}

// hitView is a hit with its type's Russian name.
type hitView struct {
	Hit
	Label string
}

type pageData struct {
	Form       *web.Form
	Query      string
	Searched   bool
	Total      int
	Partial    bool
	Suggestion string
	Hits       []hitView
	Start      int
	Pager      *web.Pager
	Types      []option
	Spheres    []option
	Years      []option
	Filtered   bool
	ByDate     bool
	Estimated  bool
	// FacetsEstimated marks the filters' counts as estimates.
	FacetsEstimated bool
	// RankedWithin is Result.RankedWithin: the page says that only the
	// newest matches were ranked, and pages by relevance stop there.
	RankedWithin int
}

func (a *Area) page(w http.ResponseWriter, r *http.Request) {
	m, _ := tenant.FromContext(r.Context())
	v := r.URL.Query()
	f := web.NewForm(v)
	// The select holds one type; the API takes several.
	p := readParams(url.Values{"q": {v.Get("q")}, "type": {v.Get("type")}, "sphere": {v.Get("sphere")}, "year": {v.Get("year")}, "sort": {v.Get("sort")}}, f, DefaultPerPage)
	// A bad ?page= in a link is not the user's error: show the first page.
	pager := web.NewPager(r.URL, DefaultPerPage)
	p.Page = pager.Page
	data := &pageData{Form: f, Query: p.Text, Filtered: len(p.Types) > 0 || p.Sphere != "" || p.Year != 0, ByDate: p.ByDate}
	title := "Поиск по сайту"
	status := http.StatusOK
	var facets *Facets
	switch {
	case !f.Valid():
		status = http.StatusUnprocessableEntity
	case p.Text != "":
		if !a.allowed(w, r) {
			return
		}
		res, err := Search(r.Context(), a.DB, Query{MunicipalityID: m.ID, Text: p.Text, Types: p.Types, Sphere: p.Sphere, Year: p.Year, ByDate: p.ByDate, Page: p.Page, PerPage: DefaultPerPage, rankWithin: a.rankWithin, estimateAbove: a.estimateAbove})
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		facets = &res.Facets
		data.Searched = true
		data.Total = res.Total
		data.Partial = res.Partial
		data.Estimated = res.Estimated
		data.FacetsEstimated = res.Facets.Estimated
		data.Suggestion = res.Suggestion
		data.Pager = pager
		data.RankedWithin = res.RankedWithin
		shown := min(res.Total, maxPage*DefaultPerPage)
		if res.RankedWithin > 0 {
			shown = min(shown, res.RankedWithin)
		}
		data.Pager.SetTotal(shown)
		data.Start = data.Pager.Offset() + 1
		for _, h := range res.Hits {
			data.Hits = append(data.Hits, hitView{Hit: h, Label: a.TypeLabel(h.Type)})
		}
		title = "Поиск: " + p.Text
	}
	var err error
	if data.Types, data.Spheres, data.Years, err = a.options(r, m.ID, p, facets); err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	a.Renderer.Page(w, r, status, "search/search", title, data)
}

// options lists the filters' choices: the types present in the index, the
// municipality's spheres and the years of the matches, each with its count
// when a search was made; a chosen value that is not among them is kept so
// the form shows what was asked.
func (a *Area) options(r *http.Request, munID int64, p params, f *Facets) (types, spheres, years []option, err error) {
	typeCount, sphereCount := map[string]int{}, map[string]int{}
	if f != nil {
		for _, c := range f.Types {
			typeCount[c.Value] = c.Count
		}
		for _, c := range f.Spheres {
			sphereCount[c.Value] = c.Count
		}
		for _, c := range f.Years {
			years = append(years, option{Value: c.Value, Label: c.Value, Count: c.Count, Counted: true})
		}
	}
	present, err := Types(r.Context(), a.DB, munID)
	if err != nil {
		return nil, nil, nil, err
	}
	seen := map[string]bool{}
	for _, t := range present {
		types = append(types, option{Value: t, Label: a.TypeLabel(t), Count: typeCount[t], Counted: f != nil})
		seen[t] = true
	}
	for _, t := range p.Types {
		if !seen[t] && slugRE.MatchString(t) {
			types = append(types, option{Value: t, Label: a.TypeLabel(t), Counted: f != nil})
		}
	}
	sort.SliceStable(types, func(i, j int) bool { return types[i].Label < types[j].Label })
	ss, err := a.Tenants.Spheres(r.Context(), munID)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, s := range ss {
		spheres = append(spheres, option{Value: s.Slug, Label: s.Name, Count: sphereCount[s.Slug], Counted: f != nil})
	}
	if p.Year != 0 {
		y := strconv.Itoa(p.Year)
		if !slices.ContainsFunc(years, func(o option) bool { return o.Value == y }) {
			years = append(years, option{Value: y, Label: y, Counted: f != nil})
		}
	}
	return types, spheres, years, nil
}

// apiFacet is one value of a facet in the API.
type apiFacet struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
	Count int    `json:"count"`
}

func apiFacets(cs []Count, label func(string) string) []apiFacet {
	out := make([]apiFacet, 0, len(cs))
	for _, c := range cs {
		f := apiFacet{Value: c.Value, Count: c.Count}
		if label != nil {
			f.Label = label(c.Value)
		}
		out = append(out, f)
	}
	return out
}

// apiHit is one result in the API.
type apiHit struct {
	Type        string    `json:"type"`
	TypeLabel   string    `json:"type_label"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	Snippet     string    `json:"snippet"`
	PublishedAt time.Time `json:"published_at"`
}

func (a *Area) api(w http.ResponseWriter, r *http.Request) {
	m, _ := tenant.FromContext(r.Context())
	f := web.NewForm(nil)
	p := readParams(r.URL.Query(), f, DefaultPerPage)
	if p.Text == "" {
		f.Fail("q", "Укажите, что искать, в параметре q.")
	}
	if !f.Valid() {
		web.APIFieldError(w, f.Errors)
		return
	}
	if !a.allowed(w, r) {
		return
	}
	res, err := Search(r.Context(), a.DB, Query{MunicipalityID: m.ID, Text: p.Text, Types: p.Types, Sphere: p.Sphere, Year: p.Year, ByDate: p.ByDate, Page: p.Page, PerPage: p.PerPage, rankWithin: a.rankWithin, estimateAbove: a.estimateAbove})
	if errors.Is(err, ErrQueryTooLong) {
		web.APIFieldError(w, map[string]string{"q": "Запрос слишком длинный."})
		return
	}
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	out := make([]apiHit, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, apiHit{Type: h.Type, TypeLabel: a.TypeLabel(h.Type), Title: h.Title, URL: h.URL, Snippet: string(h.Snippet), PublishedAt: h.PublishedAt})
	}
	ss, err := a.Tenants.Spheres(r.Context(), m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	spheres := map[string]string{}
	for _, s := range ss {
		spheres[s.Slug] = s.Name
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{
		"total": res.Total, "page": p.Page, "per_page": p.PerPage, "results": out,
		"partial": res.Partial, "suggestion": res.Suggestion, "total_estimated": res.Estimated, "facets_estimated": res.Facets.Estimated, "ranked_within": res.RankedWithin,
		"facets": map[string]any{
			"types":   apiFacets(res.Facets.Types, a.TypeLabel),
			"spheres": apiFacets(res.Facets.Spheres, func(s string) string { return spheres[s] }),
			"years":   apiFacets(res.Facets.Years, nil),
		},
	})
}
