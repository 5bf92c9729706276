package site

import (
	"encoding/xml"
	"net/http"
	"sort"
	"time"

	"github.com/glasnost/glasnost/internal/web"
)

// Atom (RFC 4287) documents, written with encoding/xml.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Base     string      `xml:"xml:base,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
	Categories []atomCategory `xml:"category"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// writeFeed finishes and sends a feed. Entry ids are the entries' permanent
// public addresses, which never change; the feed's updated time is that of
// its newest entry, so that it changes only when the content does.
func (a *Area) writeFeed(w http.ResponseWriter, r *http.Request, f atomFeed, selfPath, altPath string) {
	m := web.Municipality(r)
	f.Lang = "ru"
	// The HTML content carries the site's relative links (/acts/12).
	f.Base = a.BaseURL + "/"
	f.ID = a.BaseURL + selfPath
	f.Author = atomPerson{Name: m.Name}
	f.Links = []atomLink{{Href: a.BaseURL + selfPath, Rel: "self", Type: "application/atom+xml"}, {Href: a.BaseURL + altPath, Rel: "alternate", Type: "text/html"}}
	sort.SliceStable(f.Entries, func(i, j int) bool { return f.Entries[i].Updated > f.Entries[j].Updated })
	f.Updated = rfc3339(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(f.Entries) > 0 {
		f.Updated = f.Entries[0].Updated
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		a.Log.ErrorContext(r.Context(), "write atom feed", "err", err)
	}
}

func (a *Area) newsEntry(n News) atomEntry {
	e := atomEntry{Title: n.Title, ID: a.BaseURL + n.URL(), Updated: rfc3339(n.UpdatedAt), Published: rfc3339(n.PublishedAt),
		Links: []atomLink{{Href: a.BaseURL + n.URL(), Rel: "alternate", Type: "text/html"}}, Content: &atomText{Type: "html", Body: n.BodyHTML}}
	if n.Summary != "" {
		e.Summary = &atomText{Type: "text", Body: n.Summary}
	}
	for _, s := range n.Spheres {
		e.Categories = append(e.Categories, atomCategory{Term: s.Slug, Label: s.Name})
	}
	return e
}

func (a *Area) pageEntry(p Page) atomEntry {
	e := atomEntry{Title: p.Title, ID: a.BaseURL + p.URL(), Updated: rfc3339(p.UpdatedAt), Published: rfc3339(p.PublishedAt),
		Links: []atomLink{{Href: a.BaseURL + p.URL(), Rel: "alternate", Type: "text/html"}}, Content: &atomText{Type: "html", Body: p.BodyHTML}}
	if p.Summary != "" {
		e.Summary = &atomText{Type: "text", Body: p.Summary}
	}
	return e
}

func (a *Area) newsFeed(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	news, _, err := a.Store.ListNews(r.Context(), m.ID, NewsFilter{PublishedOnly: true}, 30, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := atomFeed{Title: "Новости — " + m.Name}
	for _, n := range news {
		f.Entries = append(f.Entries, a.newsEntry(n))
	}
	a.writeFeed(w, r, f, "/news.atom", "/news")
}

// sectionFeed lists the section's (and its subsections') recently changed
// pages and news.
func (a *Area) sectionFeed(w http.ResponseWriter, r *http.Request, path string) {
	m := web.Municipality(r)
	sec, err := a.Store.SectionByPath(r.Context(), m.ID, path)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	pages, err := a.Store.RecentPages(r.Context(), m.ID, sec.Path, 30)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	news, _, err := a.Store.ListNews(r.Context(), m.ID, NewsFilter{PublishedOnly: true, SectionPath: sec.Path}, 30, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := atomFeed{Title: sec.Title + " — " + m.Name, Subtitle: sec.Description}
	for _, p := range pages {
		f.Entries = append(f.Entries, a.pageEntry(p))
	}
	for _, n := range news {
		f.Entries = append(f.Entries, a.newsEntry(n))
	}
	if len(f.Entries) > 30 {
		sort.SliceStable(f.Entries, func(i, j int) bool { return f.Entries[i].Updated > f.Entries[j].Updated })
		f.Entries = f.Entries[:30]
	}
	a.writeFeed(w, r, f, sec.URL()+"/feed.atom", sec.URL())
}
