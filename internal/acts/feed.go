package acts

import (
	"encoding/xml"
	"net/http"
	"time"

	"github.com/glasnost/glasnost/internal/web"
)

// actsFeed is advertised by the register's pages.
var actsFeed = []web.Feed{{Title: "Муниципальные правовые акты", Href: "/acts.atom"}}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string   `xml:"title"`
	ID        string   `xml:"id"`
	Updated   string   `xml:"updated"`
	Published string   `xml:"published,omitempty"`
	Link      atomLink `xml:"link"`
	Summary   string   `xml:"summary"`
}

// base is the site's address for absolute links: the configured one, or the
// request's host when none is configured (development).
func (a *Area) base(r *http.Request) string {
	if a.BaseURL != "" {
		return a.abs("")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// feed serves the latest published acts as Atom, for feed readers and for
// the media who follow the administration's decisions.
func (a *Area) feed(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	list, _, err := a.Store.ListActs(r.Context(), a.DB, m.ID, Filter{PublicOnly: true}, 30, 0)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	base := a.base(r)
	f := atomFeed{Title: "Муниципальные правовые акты — " + m.Name, ID: base + "/acts", Author: atomAuthor{Name: m.Name},
		Links: []atomLink{{Href: base + "/acts.atom", Rel: "self", Type: "application/atom+xml"}, {Href: base + "/acts", Rel: "alternate", Type: "text/html"}}}
	var updated time.Time
	for _, act := range list {
		e := atomEntry{Title: act.Citation(), ID: base + act.URL(), Updated: act.UpdatedAt.UTC().Format(time.RFC3339),
			Link: atomLink{Href: base + act.URL(), Rel: "alternate", Type: "text/html"}, Summary: act.StatusLabel() + "."}
		if act.Department != "" {
			e.Summary += " Разработчик: " + act.Department + "."
		}
		if !act.PublishedAt.IsZero() {
			e.Published = act.PublishedAt.UTC().Format(time.RFC3339)
		}
		if act.UpdatedAt.After(updated) {
			updated = act.UpdatedAt
		}
		f.Entries = append(f.Entries, e)
	}
	if updated.IsZero() {
		updated = a.DB.Now()
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(f)
}
