package opendata

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/feed"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

const perPage = 20

var odFeed = []web.Feed{{Title: "Открытые данные: новые версии наборов", Href: "/opendata/feed.atom"}}

// withIdentifiers fills the identifiers of datasets from the INN.
func withIdentifiers(ds []Dataset, inn string) {
	for i := range ds {
		ds[i].Identifier = Identifier(inn, ds[i].Code)
	}
}

// passport fills the publisher fields a dataset leaves empty from the
// municipality's settings, and its identifier.
func passport(d Dataset, st Settings, m tenant.Municipality) Dataset {
	d.Identifier = Identifier(st.INN, d.Code)
	if d.PublisherName == "" {
		d.PublisherName = st.PublisherName
	}
	if d.PublisherPhone == "" {
		d.PublisherPhone = st.PublisherPhone
	}
	if d.PublisherEmail == "" {
		d.PublisherEmail = st.PublisherEmail
	}
	if d.Creator == "" {
		d.Creator = m.Name
	}
	return d
}

// lookup finds the published dataset a public address names by identifier.
func (a *Area) lookup(ctx context.Context, m tenant.Municipality, identifier string) (Dataset, Settings, error) {
	st, err := a.Store.Settings(ctx, a.DB, m.ID)
	if err != nil {
		return Dataset{}, st, err
	}
	code, ok := strings.CutPrefix(identifier, st.INN+"-")
	if !ok || !ValidCode(code) {
		return Dataset{}, st, fmt.Errorf("dataset %s: %w", identifier, db.ErrNotFound)
	}
	d, err := a.Store.ByCode(ctx, a.DB, m.ID, code)
	if err != nil {
		return d, st, err
	}
	if d.Versions == 0 {
		return d, st, fmt.Errorf("dataset %s has no version: %w", identifier, db.ErrNotFound)
	}
	return passport(d, st, m), st, nil
}

func (a *Area) list(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	st, err := a.Store.Settings(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := web.NewPager(r.URL, perPage)
	list, total, err := a.Store.List(r.Context(), a.DB, m.ID, Filter{Published: true, Query: q}, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	withIdentifiers(list, st.INN)
	page := a.Renderer.NewPage(r, "Открытые данные", map[string]any{"Datasets": list, "Pager": p, "Total": total, "Query": q, "License": st.License()})
	page.Feeds = odFeed
	a.Renderer.Render(w, r, http.StatusOK, "opendata/list", page)
}

// versionView is a version with its file's address.
type versionView struct {
	Version
	Href          string
	StructureHref string
}

func (a *Area) show(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	d, settings, err := a.lookup(r.Context(), m, r.PathValue("identifier"))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, m.ID, d.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	st, err := a.Store.LatestStructure(r.Context(), a.DB, d.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	var views []versionView
	for _, v := range vs[d.ID] {
		views = append(views, versionView{Version: v, Href: d.URL() + "/" + v.File(), StructureHref: d.URL() + "/" + v.Structure + ".csv"})
	}
	base := feed.Base(r, a.BaseURL)
	page := a.Renderer.NewPage(r, d.Title, map[string]any{
		"D": d, "Versions": views, "Structure": st, "Base": base, "Formats": FormatLabels, "License": settings.License(),
		"Created": d.CreatedAt.Format("2006-01-02"), "Modified": d.ModifiedAt.Format("2006-01-02"),
	})
	page.Feeds = odFeed
	a.Renderer.Render(w, r, http.StatusOK, "opendata/show", page)
}

func writeCSV(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	_, _ = w.Write(b)
}

// allPublished lists every published dataset of the municipality, page by
// page (the register is small: tens of datasets).
func (a *Area) allPublished(ctx context.Context, m tenant.Municipality, f Filter) ([]Dataset, Settings, error) {
	st, err := a.Store.Settings(ctx, a.DB, m.ID)
	if err != nil {
		return nil, st, err
	}
	f.Published = true
	var out []Dataset
	for off := 0; ; off += 500 {
		list, _, err := a.Store.List(ctx, a.DB, m.ID, f, 500, off)
		if err != nil {
			return nil, st, err
		}
		for _, d := range list {
			out = append(out, passport(d, st, m))
		}
		if len(list) < 500 {
			return out, st, nil
		}
	}
}

// ListCSV is the register of datasets in the methodology's layout: the
// header, the standard's version, then one row per dataset pointing at its
// meta.csv.
func ListCSV(base string, ds []Dataset) ([]byte, error) {
	rows := [][]string{{"standardversion", "Версия методических рекомендаций", StandardVersion, ""}}
	for _, d := range ds {
		rows = append(rows, []string{d.Identifier, d.Title, base + d.URL() + "/meta.csv", "csv"})
	}
	return EncodeCSV([]string{"property", "title", "value", "format"}, rows)
}

func (a *Area) listCSV(w http.ResponseWriter, r *http.Request) {
	ds, _, err := a.allPublished(r.Context(), web.Municipality(r), Filter{})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	b, err := ListCSV(feed.Base(r, a.BaseURL), ds)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	writeCSV(w, "list.csv", b)
}

func ymd(t time.Time) string { return t.Format("20060102") }

// MetaCSV is a dataset's passport in the methodology's layout: property and
// value, every version (newest first) and every structure with its address.
func MetaCSV(base string, d Dataset, vs []Version, sts []Structure, loc *time.Location) ([]byte, error) {
	if loc == nil {
		loc = time.UTC
	}
	url := base + d.URL() + "/"
	rows := [][]string{
		{"standardversion", StandardVersion},
		{"identifier", d.Identifier},
		{"title", d.Title},
		{"description", d.Description},
		{"creator", d.Creator},
		{"created", ymd(d.CreatedAt.In(loc))},
		{"modified", ymd(d.ModifiedAt.In(loc))},
		{"subject", strings.Join(d.Keywords(), ",")},
		{"format", "csv"},
	}
	for _, v := range vs {
		rows = append(rows, []string{v.Name, url + v.File()})
	}
	for i := len(sts) - 1; i >= 0; i-- {
		rows = append(rows, []string{sts[i].Name, url + sts[i].Name + ".csv"})
	}
	valid := strings.ReplaceAll(d.Valid, "-", "")
	rows = append(rows,
		[]string{"publishername", d.PublisherName},
		[]string{"publisherphone", d.PublisherPhone},
		[]string{"publishermbox", d.PublisherEmail},
		[]string{"valid", valid},
		[]string{"provenance", d.Provenance},
	)
	return EncodeCSV([]string{"property", "value"}, rows)
}

func (a *Area) metaCSV(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	d, _, err := a.lookup(r.Context(), m, r.PathValue("identifier"))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	vs, err := a.Store.Versions(r.Context(), a.DB, m.ID, d.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	sts, err := a.Store.Structures(r.Context(), a.DB, d.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	b, err := MetaCSV(feed.Base(r, a.BaseURL), d, vs[d.ID], sts, m.Location)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	writeCSV(w, "meta.csv", b)
}

// file serves a version (data-….csv) or a structure (structure-….csv).
func (a *Area) file(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	d, _, err := a.lookup(r.Context(), m, r.PathValue("identifier"))
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	file := r.PathValue("file")
	name, ok := strings.CutSuffix(file, ".csv")
	switch {
	case ok && strings.HasPrefix(name, "data-"):
		b, err := a.Store.Content(r.Context(), a.DB, m.ID, d.ID, name)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		// A version never changes: caches may keep it.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		writeCSV(w, file, b)
		return
	case ok && strings.HasPrefix(name, "structure-"):
		sts, err := a.Store.Structures(r.Context(), a.DB, d.ID)
		if err != nil {
			a.Errors.Render(w, r, err)
			return
		}
		for _, st := range sts {
			if st.Name == name {
				b, err := StructureCSV(st.Fields)
				if err != nil {
					a.Errors.Render(w, r, err)
					return
				}
				writeCSV(w, file, b)
				return
			}
		}
	}
	a.Errors.Render(w, r, web.ErrNotFound)
}

func (a *Area) feedAtom(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	st, err := a.Store.Settings(r.Context(), a.DB, m.ID)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	vs, titles, codes, err := a.Store.Recent(r.Context(), a.DB, m.ID, 30)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := feed.Feed{Title: "Открытые данные — " + m.Name, Path: "/opendata", SelfPath: "/opendata/feed.atom", Author: m.Name}
	for i, v := range vs {
		path := "/opendata/" + Identifier(st.INN, codes[i]) + "/" + v.File()
		f.Entries = append(f.Entries, feed.Entry{Title: titles[i] + ": версия " + v.Name, Path: path, Updated: v.CreatedAt, Published: v.CreatedAt,
			Summary: strconv.Itoa(v.Rows) + " " + web.Plural(v.Rows, "строка", "строки", "строк") + "."})
	}
	if err := feed.Write(w, feed.Base(r, a.BaseURL), f); err != nil {
		a.Log.WarnContext(r.Context(), "opendata feed", "err", err)
	}
}

func (a *Area) sitemap(ctx context.Context, munID int64) ([]portal.SitemapURL, error) {
	st, err := a.Store.Settings(ctx, a.DB, munID)
	if err != nil {
		return nil, err
	}
	out := []portal.SitemapURL{{Loc: "/opendata"}}
	for off := 0; ; off += 500 {
		list, _, err := a.Store.List(ctx, a.DB, munID, Filter{Published: true}, 500, off)
		if err != nil {
			return nil, err
		}
		for _, d := range list {
			out = append(out, portal.SitemapURL{Loc: "/opendata/" + Identifier(st.INN, d.Code), LastMod: d.ModifiedAt})
		}
		if len(list) < 500 {
			return out, nil
		}
	}
}
