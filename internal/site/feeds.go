package site

import (
	"net/http"
	"slices"

	"github.com/glasnost/glasnost/internal/feed"
	"github.com/glasnost/glasnost/internal/web"
)

// writeFeed sends a feed through the portal's one Atom writer.
func (a *Area) writeFeed(w http.ResponseWriter, r *http.Request, f feed.Feed) {
	f.Author = web.Municipality(r).Name
	if err := feed.Write(w, feed.Base(r, a.BaseURL), f); err != nil {
		a.Log.ErrorContext(r.Context(), "write atom feed", "err", err)
	}
}

func newsEntry(n News) feed.Entry {
	e := feed.Entry{Title: n.Title, Path: n.URL(), Updated: n.UpdatedAt, Published: n.PublishedAt, Summary: n.Summary, HTML: n.BodyHTML}
	for _, s := range n.Spheres {
		e.Categories = append(e.Categories, feed.Category{Term: s.Slug, Label: s.Name})
	}
	return e
}

func pageEntry(p Page) feed.Entry {
	return feed.Entry{Title: p.Title, Path: p.URL(), Updated: p.UpdatedAt, Published: p.PublishedAt, Summary: p.Summary, HTML: p.BodyHTML}
}

func (a *Area) newsFeed(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	news, _, err := a.Store.ListNews(r.Context(), m.ID, NewsFilter{PublishedOnly: true}, 30, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	f := feed.Feed{Title: "Новости — " + m.Name, Path: "/news", SelfPath: "/news/feed.atom"}
	for _, n := range news {
		f.Entries = append(f.Entries, newsEntry(n))
	}
	a.writeFeed(w, r, f)
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
	f := feed.Feed{Title: sec.Title + " — " + m.Name, Subtitle: sec.Description, Path: sec.URL(), SelfPath: sec.URL() + "/feed.atom"}
	for _, p := range pages {
		f.Entries = append(f.Entries, pageEntry(p))
	}
	for _, n := range news {
		f.Entries = append(f.Entries, newsEntry(n))
	}
	// The newest 30 of both.
	slices.SortStableFunc(f.Entries, func(x, y feed.Entry) int { return y.Updated.Compare(x.Updated) })
	f.Entries = f.Entries[:min(len(f.Entries), 30)]
	a.writeFeed(w, r, f)
}
