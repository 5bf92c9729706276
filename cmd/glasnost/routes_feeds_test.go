package main

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// movedFeeds are the feed addresses used before one naming scheme
// (<list>/feed.atom): readers saved them, so each answers 301 to its new one.
var movedFeeds = map[string]string{
	"/acts.atom":             "/acts/feed.atom",
	"/news.atom":             "/news/feed.atom",
	"/opendata.atom":         "/opendata/feed.atom",
	"/appeals/reports.atom":  "/appeals/reports/feed.atom",
	"/council/meetings.atom": "/council/meetings/feed.atom",
	"/council/minutes.atom":  "/council/minutes/feed.atom",
}

// feedPages are the list pages and the feeds each must link from its
// <head> (rel=alternate), so that browsers and readers find them.
var feedPages = map[string][]string{
	"/news":            {"/news/feed.atom"},
	"/acts":            {"/acts/feed.atom"},
	"/consultations":   {"/consultations/feed.atom"},
	"/polls":           {"/polls/feed.atom"},
	"/opendata":        {"/opendata/feed.atom"},
	"/appeals/reports": {"/appeals/reports/feed.atom"},
	"/council":         {"/council/meetings/feed.atom", "/council/minutes/feed.atom"},
}

func init() {
	old := map[string]string{}
	for from := range movedFeeds {
		old["GET "+from] = "public"
	}
	addRoutes(old)
}

// TestFeedsFollowOneScheme checks that every feed the portal serves is named
// <list>/feed.atom, that every old address redirects permanently to the new
// one, and that every list page links its feeds from its <head>. A feed
// added under another name, or without a page that advertises it, fails.
func TestFeedsFollowOneScheme(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()

		linked := map[string]bool{}
		for _, feeds := range feedPages {
			for _, f := range feeds {
				linked[f] = true
			}
		}
		var served []string
		for _, r := range app.Router.Routes() {
			method, path, _ := strings.Cut(r.Pattern, " ")
			if method != http.MethodGet || !strings.HasSuffix(path, ".atom") || strings.Contains(path, "{") {
				continue
			}
			if _, old := movedFeeds[path]; old {
				continue
			}
			if !strings.HasSuffix(path, "/feed.atom") {
				t.Errorf("feed %s is not named <list>/feed.atom", path)
			}
			if !linked[path] {
				t.Errorf("feed %s is not linked from any list page in feedPages", path)
			}
			served = append(served, path)
		}
		sort.Strings(served)
		for _, f := range app.Portal.Feeds() {
			if !linked[f.Href] && !strings.HasPrefix(f.Href, "/sections/") {
				t.Errorf("the contributed feed %s has no list page in feedPages", f.Href)
			}
		}
		for _, path := range served {
			r := c.get(path)
			if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/atom+xml") {
				t.Errorf("%s: %d %s", path, r.status, r.header.Get("Content-Type"))
				continue
			}
			if !regexp.MustCompile(`href="[^"]*` + regexp.QuoteMeta(path) + `" rel="self"`).MatchString(r.body) {
				t.Errorf("%s: the feed's self link does not name its own address", path)
			}
		}
		for from, to := range movedFeeds {
			r := c.get(from + "?utm=reader")
			if r.status != http.StatusMovedPermanently || r.header.Get("Location") != to+"?utm=reader" {
				t.Errorf("%s: %d → %q, want 301 → %s", from, r.status, r.header.Get("Location"), to)
			}
		}
		for page, feeds := range feedPages {
			r := c.get(page)
			if r.status != http.StatusOK {
				t.Errorf("%s: %d", page, r.status)
				continue
			}
			head, _, _ := strings.Cut(r.body, "</head>")
			for _, f := range feeds {
				if !regexp.MustCompile(`<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="` + regexp.QuoteMeta(f) + `">`).MatchString(head) {
					t.Errorf("%s does not link its feed %s from <head>", page, f)
				}
			}
		}
	})
}
