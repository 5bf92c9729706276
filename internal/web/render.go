package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/glasnost/glasnost/internal/tenant"
)

// NavItem is one entry of the main navigation, added by the area that serves it.
type NavItem struct {
	Order int
	Href  string
	Label string
}

// Feed is an Atom feed advertised by a page.
type Feed struct {
	Title string
	Href  string
}

// Page is what every template receives.
type Page struct {
	Title        string
	Viewer       *Viewer
	Municipality tenant.Municipality
	A11y         A11y
	Path         string
	Query        string
	Flash        string
	Nav          []NavItem
	Feeds        []Feed
	Data         any
	// Description is the page's <meta name="description">, a plain-text
	// summary of at most 160 characters (see Summary); empty falls back to
	// a sentence about the municipality's portal.
	Description string
	// OGType, when set ("article", "website"), adds Open Graph and Twitter
	// card tags so that a shared link shows a title, summary and picture.
	OGType string
	// OGImage, when set, is the path of the picture a shared link shows
	// (a news item's first photo) instead of the portal's icon, with
	// OGImageAlt its description.
	OGImage, OGImageAlt string
	// BaseURL is the portal's absolute address, without a trailing slash.
	BaseURL string
	// Icons are the municipality's favicon, touch icon and header picture.
	Icons Icons
}

// Icons are the addresses of a municipality's coat of arms as the browser
// tab (Favicon, of FaviconType), the home-screen and link-preview picture
// (Touch, a 180×180 PNG) and the header picture. An empty field means the
// portal's neutral default.
type Icons struct {
	Favicon     string
	FaviconType string
	Touch       string
	Header      string
}

// MetaDescription is the page's description, or the portal's by default.
func (p *Page) MetaDescription() string {
	if p.Description != "" {
		return p.Description
	}
	name := p.Municipality.Name
	if name == "" {
		name = "Муниципальное образование"
	}
	return name + ": портал открытости администрации — правовые акты, новости, общественные обсуждения, обращения граждан и открытые данные."
}

// Summary cuts plain text to at most n characters at a word boundary,
// adding an ellipsis when it cuts, for descriptions and previews.
func Summary(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if r[n-1] != ' ' { // the cut falls inside a word: drop it
		if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, " ,.;:—-") + "…"
}

// Renderer holds the templates, parsed once at start.
type Renderer struct {
	log      *slog.Logger
	assets   *Assets
	sessions *scs.SessionManager
	base     *template.Template
	pages    map[string]*template.Template
	nav      []NavItem
	funcs    template.FuncMap
	// BaseURL is the configured public address (GLASNOST_BASE_URL); when
	// empty, pages use the request's host.
	BaseURL string
	// IconsFor, when set, gives a municipality's own icons (its coat of
	// arms); fields it leaves empty take the neutral default.
	IconsFor func(ctx context.Context, municipalityID int64) Icons
}

// DefaultIcons are the portal's neutral icons, used where a municipality
// has not uploaded its coat of arms.
func (r *Renderer) DefaultIcons() Icons {
	fav, _ := r.assets.URL("favicon.svg")
	touch, _ := r.assets.URL("apple-touch-icon.png")
	return Icons{Favicon: fav, FaviconType: "image/svg+xml", Touch: touch, Header: fav}
}

// icons are the municipality's icons with the defaults filled in.
func (r *Renderer) icons(ctx context.Context, munID int64) Icons {
	def := r.DefaultIcons()
	if r.IconsFor == nil || munID == 0 {
		return def
	}
	ic := r.IconsFor(ctx, munID)
	if ic.Favicon == "" {
		ic.Favicon, ic.FaviconType = def.Favicon, def.FaviconType
	}
	if ic.Touch == "" {
		ic.Touch = def.Touch
	}
	if ic.Header == "" {
		ic.Header = def.Header
	}
	return ic
}

//go:embed templates
var templatesFS embed.FS

// NewRenderer parses the layout and the kernel's own pages.
func NewRenderer(log *slog.Logger, assets *Assets, sessions *scs.SessionManager) (*Renderer, error) {
	r := &Renderer{log: log, assets: assets, sessions: sessions, pages: map[string]*template.Template{}}
	r.funcs = Funcs(assets)
	base, err := template.New("layout").Funcs(r.funcs).ParseFS(templatesFS, "templates/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	r.base = base
	sub, err := fs.Sub(templatesFS, "templates/pages")
	if err != nil {
		return nil, err
	}
	if err := r.AddPages("web", sub); err != nil {
		return nil, err
	}
	return r, nil
}

// AddFuncs adds template functions before pages that use them are parsed.
func (r *Renderer) AddFuncs(fm template.FuncMap) {
	for k, v := range fm {
		r.funcs[k] = v
	}
	r.base.Funcs(fm)
}

// AddPages parses every *.html file of fsys as a page named area/file
// (without .html). A page defines "content" and may define "head".
func (r *Renderer) AddPages(area string, fsys fs.FS) error {
	files, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return err
	}
	partials, _ := fs.Glob(fsys, "_*.html")
	for _, f := range files {
		if strings.HasPrefix(f, "_") {
			continue
		}
		t, err := r.base.Clone()
		if err != nil {
			return err
		}
		if len(partials) > 0 {
			if t, err = t.ParseFS(fsys, partials...); err != nil {
				return fmt.Errorf("parse partials of %s: %w", area, err)
			}
		}
		if t, err = t.ParseFS(fsys, f); err != nil {
			return fmt.Errorf("parse template %s/%s: %w", area, f, err)
		}
		r.pages[area+"/"+strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return nil
}

// Require fails unless every named page exists; areas call it when they are
// built so that a missing template stops the start, not a request.
func (r *Renderer) Require(names ...string) error {
	for _, n := range names {
		if _, ok := r.pages[n]; !ok {
			return fmt.Errorf("template %q is missing", n)
		}
	}
	return nil
}

// AddNav adds an entry to the main navigation.
func (r *Renderer) AddNav(items ...NavItem) {
	r.nav = append(r.nav, items...)
	sort.SliceStable(r.nav, func(i, j int) bool { return r.nav[i].Order < r.nav[j].Order })
}

// NewPage builds the data every layout needs from the request.
func (r *Renderer) NewPage(req *http.Request, title string, data any) *Page {
	m, _ := tenant.FromContext(req.Context())
	p := &Page{
		Title:        title,
		Viewer:       ViewerFrom(req.Context()),
		Municipality: m,
		A11y:         A11yFrom(req),
		Path:         req.URL.Path,
		Query:        req.URL.RawQuery,
		Nav:          r.nav,
		Data:         data,
		BaseURL:      strings.TrimRight(r.BaseURL, "/"),
		Icons:        r.icons(req.Context(), m.ID),
	}
	if p.BaseURL == "" {
		scheme := "http"
		if req.TLS != nil {
			scheme = "https"
		}
		p.BaseURL = scheme + "://" + req.Host
	}
	if r.sessions != nil {
		p.Flash = popFlash(r.sessions, req)
	}
	return p
}

// popFlash reads the one-time message. Error pages can be rendered outside
// the session middleware (static files, health checks), where scs panics.
func popFlash(s *scs.SessionManager, req *http.Request) (msg string) {
	defer func() {
		if recover() != nil {
			msg = ""
		}
	}()
	return s.PopString(req.Context(), "flash")
}

// Page renders a named page inside the layout.
func (r *Renderer) Page(w http.ResponseWriter, req *http.Request, status int, name, title string, data any) {
	r.Render(w, req, status, name, r.NewPage(req, title, data))
}

// Render renders a named page with prepared page data.
func (r *Renderer) Render(w http.ResponseWriter, req *http.Request, status int, name string, p *Page) {
	t, ok := r.pages[name]
	if !ok {
		r.log.ErrorContext(req.Context(), "missing template", "name", name)
		http.Error(w, "Ошибка сервера", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		r.log.ErrorContext(req.Context(), "render template", "name", name, "err", err)
		http.Error(w, "Ошибка сервера", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// Funcs are the template functions every page may use.
func Funcs(assets *Assets) template.FuncMap {
	return template.FuncMap{
		"asset": assets.URL,
		"date": func(m tenant.Municipality, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return m.Local(t).Format("02.01.2006")
		},
		"datetime": func(m tenant.Municipality, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return m.Local(t).Format("02.01.2006 15:04")
		},
		"isodate": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		// rudate writes a civil date kept as YYYY-MM-DD (an act's date, a
		// due date) as Russians write it; anything else is shown as it is.
		"rudate": RussianDate,
		"add":    func(a, b int) int { return a + b },
		"plural": Plural,
		"join":   strings.Join,
		"has":    func(v *Viewer, roles ...string) bool { return v.Has(roles...) },
		"current": func(p *Page, href string) bool {
			if href == "/" {
				return p.Path == "/"
			}
			return p.Path == href || strings.HasPrefix(p.Path, href+"/")
		},
		"fieldError": func(f *Form, name string) string {
			if f == nil {
				return ""
			}
			return f.Errors[name]
		},
		"fields": func(f *Form, name, label, typ, hint, auto string) map[string]any {
			return map[string]any{"F": f, "Name": name, "Label": label, "Type": typ, "Hint": hint, "Auto": auto}
		},
		"value": func(f *Form, name string) string {
			if f == nil {
				return ""
			}
			return f.Get(name)
		},
	}
}

// Plural picks the Russian plural form for n: one (1, 21), few (2–4, 22–24), many.
func Plural(n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	switch {
	case n%10 == 1 && n%100 != 11:
		return one
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 10 || n%100 >= 20):
		return few
	default:
		return many
	}
}

// SetFlash leaves a one-time message for the next page the user sees.
func SetFlash(sessions *scs.SessionManager, req *http.Request, msg string) {
	sessions.Put(req.Context(), "flash", msg)
}

// RussianDate writes a civil date kept as YYYY-MM-DD as DD.MM.YYYY; any
// other text (empty, a year alone) comes back unchanged.
func RussianDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("02.01.2006")
}
