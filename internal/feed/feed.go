// Package feed writes Atom feeds (RFC 4287) of what the portal publishes:
// one writer for every area, so that every feed has the same shape, ids and
// dates.
package feed

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Feed is one Atom feed. Links are paths on the portal ("/acts/12"); Write
// makes them absolute with the base address.
type Feed struct {
	Title    string
	Subtitle string
	// Path is the HTML page the feed follows ("/acts"); SelfPath the feed
	// itself ("/acts/feed.atom").
	Path, SelfPath string
	Author         string
	Entries        []Entry
}

// Entry is one published item.
type Entry struct {
	Title   string
	Path    string
	Summary string
	// HTML is the item's sanitised content, if the feed carries it; its
	// relative links resolve against the portal's address (xml:base).
	HTML       string
	Categories []Category
	Updated    time.Time
	Published  time.Time
}

// Category is a sphere or kind an entry belongs to.
type Category struct {
	Term, Label string
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	Base     string      `xml:"xml:base,attr"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomAuthor  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
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
	Link       atomLink       `xml:"link"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
	Categories []atomCategory `xml:"category"`
}

// Base is the portal's address for absolute links: the configured one, or
// the request's host when none is configured (development).
func Base(r *http.Request, configured string) string {
	if configured != "" {
		return strings.TrimRight(configured, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Write serves f as Atom with absolute links under base, newest entries
// first. Entry ids are the entries' permanent public addresses; the feed's
// updated time is its newest entry's, so that an unchanged feed reads the
// same.
func Write(w http.ResponseWriter, base string, f Feed) error {
	af := atomFeed{Lang: "ru", Base: base + "/", Title: f.Title, Subtitle: f.Subtitle, ID: base + f.SelfPath, Author: atomAuthor{Name: f.Author},
		Links: []atomLink{{Href: base + f.SelfPath, Rel: "self", Type: "application/atom+xml"}, {Href: base + f.Path, Rel: "alternate", Type: "text/html"}}}
	var updated time.Time
	for _, e := range f.Entries {
		up := e.Updated
		if up.IsZero() {
			up = e.Published
		}
		ae := atomEntry{Title: e.Title, ID: base + e.Path, Updated: stamp(up), Link: atomLink{Href: base + e.Path, Rel: "alternate", Type: "text/html"}}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Body: e.Summary}
		}
		if e.HTML != "" {
			ae.Content = &atomText{Type: "html", Body: e.HTML}
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory(c))
		}
		if !e.Published.IsZero() {
			ae.Published = stamp(e.Published)
		}
		if up.After(updated) {
			updated = up
		}
		af.Entries = append(af.Entries, ae)
	}
	if updated.IsZero() {
		updated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	sort.SliceStable(af.Entries, func(i, j int) bool { return af.Entries[i].Updated > af.Entries[j].Updated })
	af.Updated = stamp(updated)
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(af); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
