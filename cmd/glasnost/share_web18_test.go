package main

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestPageMetadata checks what browsers, search engines and social networks
// read from a page's <head>: a description on every page (specific to the
// act, news item, consultation and report), Open Graph and Twitter-card tags
// with absolute addresses, the icons and the Atom feed of the list, and that
// /favicon.ico answers, on both engines.
func TestPageMetadata(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		base := app.Renderer.BaseURL
		if base == "" {
			t.Fatal("the renderer has no base URL")
		}
		meta := func(body, attr, name string) string {
			m := regexp.MustCompile(`<meta ` + attr + `="` + regexp.QuoteMeta(name) + `" content="([^"]*)">`).FindStringSubmatch(body)
			if m == nil {
				return ""
			}
			return html.UnescapeString(m[1])
		}
		first := func(list, pattern string) string {
			t.Helper()
			r := c.get(list)
			m := regexp.MustCompile(pattern).FindStringSubmatch(r.body)
			if r.status != http.StatusOK || m == nil {
				t.Fatalf("%s: %d, no link %s", list, r.status, pattern)
			}
			return m[1]
		}
		act := first("/acts", `href="(/acts/\d+)"`)
		news := first("/news", `href="(/news/\d+)"`)
		cons := first("/consultations", `href="(/consultations/\d+)"`)
		report := first("/appeals/reports", `href="(/appeals/reports/\d+)"`)
		home := c.get("/").body
		fallback := meta(home, "name", "description")
		if fallback == "" || !strings.Contains(home, `rel="icon"`) || !strings.Contains(home, `rel="apple-touch-icon"`) {
			t.Fatalf("home page lacks a description or icons:\n%s", home[:min(len(home), 2000)])
		}
		for _, tc := range []struct {
			path, feed string
			og         bool
		}{
			{"/", "/news/feed.atom", true},
			{"/acts", "/acts/feed.atom", true},
			{act, "/acts/feed.atom", true},
			{"/news", "/news/feed.atom", true},
			{news, "/news/feed.atom", true},
			{"/consultations", "/consultations/feed.atom", true},
			{cons, "/consultations/feed.atom", true},
			{"/appeals/reports", "/appeals/reports/feed.atom", true},
			{report, "/appeals/reports/feed.atom", true},
			{"/council", "/council/minutes/feed.atom", false},
			{"/search", "", false},
		} {
			r := c.get(tc.path)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d", tc.path, r.status)
			}
			d := meta(r.body, "name", "description")
			if d == "" || utf8.RuneCountInString(d) > 200 {
				t.Errorf("%s: description %q", tc.path, d)
			}
			specific := tc.path == act || tc.path == news || tc.path == cons || tc.path == report
			if specific && (d == fallback || utf8.RuneCountInString(d) > 160) {
				t.Errorf("%s: description is not the item's own excerpt: %q", tc.path, d)
			}
			if tc.feed != "" && !regexp.MustCompile(`<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="`+regexp.QuoteMeta(tc.feed)+`">`).MatchString(r.body) {
				t.Errorf("%s: no alternate link to %s", tc.path, tc.feed)
			}
			if !tc.og {
				if meta(r.body, "property", "og:title") != "" {
					t.Errorf("%s: unexpected Open Graph tags", tc.path)
				}
				continue
			}
			if got := meta(r.body, "property", "og:url"); got != base+tc.path {
				t.Errorf("%s: og:url %q, want %q", tc.path, got, base+tc.path)
			}
			// A news item with photos shares its first photo (the site's press
			// centre); every other page the portal's icon.
			wantImg, card := base+"/static/apple-touch-icon.", "summary"
			if strings.Contains(r.body, `<figure class="news-photo">`) {
				wantImg, card = base+tc.path+"/files/", "summary_large_image"
			}
			img := meta(r.body, "property", "og:image")
			if !strings.HasPrefix(img, wantImg) {
				t.Errorf("%s: og:image %q, want %s…", tc.path, img, wantImg)
			}
			if meta(r.body, "property", "og:title") == "" || meta(r.body, "property", "og:description") != d ||
				meta(r.body, "property", "og:locale") != "ru_RU" || meta(r.body, "name", "twitter:card") != card {
				t.Errorf("%s: incomplete Open Graph / Twitter tags", tc.path)
			}
			if specific && meta(r.body, "property", "og:type") != "article" {
				t.Errorf("%s: og:type %q", tc.path, meta(r.body, "property", "og:type"))
			}
			if img != "" {
				if ir := c.get(strings.TrimPrefix(img, base)); ir.status != http.StatusOK || ir.header.Get("Content-Type") != "image/png" {
					t.Errorf("og:image %s: %d %s", img, ir.status, ir.header.Get("Content-Type"))
				}
			}
		}
		fav := c.get("/favicon.ico")
		if fav.status != http.StatusMovedPermanently || !strings.HasPrefix(fav.header.Get("Location"), "/static/apple-touch-icon.") {
			t.Fatalf("/favicon.ico: %d %q", fav.status, fav.header.Get("Location"))
		}
		if r := c.get(fav.header.Get("Location")); r.status != http.StatusOK {
			t.Fatalf("favicon target: %d", r.status)
		}
	})
}
