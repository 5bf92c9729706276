package main

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// routeAccess lists every route with who may use it. A route added without
// an entry here fails the test: permissions are decided, not defaulted.
// "public" — everyone; "signed-in" — any account; otherwise the roles.
var routeAccess = map[string]string{
	"GET /{$}":                    "public",
	"GET /sitemap.xml":            "public",
	"GET /robots.txt":             "public",
	"GET /healthz":                "public",
	"GET /metrics":                "public",
	"GET /api/v1/openapi.json":    "public",
	"GET /static/{name}":          "public",
	"GET /accessibility":          "public",
	"POST /accessibility":         "public",
	"GET /login":                  "public",
	"POST /login":                 "public",
	"POST /logout":                "signed-in",
	"GET /register":               "public",
	"POST /register":              "public",
	"GET /confirm":                "public",
	"GET /forgot":                 "public",
	"POST /forgot":                "public",
	"GET /reset":                  "public",
	"POST /reset":                 "public",
	"GET /account":                "signed-in",
	"POST /account/subscriptions": "signed-in",
	"GET /api/v1/me":              "signed-in",
	"GET /admin":                  "administrator,editor,lawyer,operator,press",
	"GET /admin/users":            "administrator",
	"GET /admin/users/new":        "administrator",
	"POST /admin/users":           "administrator",
	"GET /admin/users/{id}":       "administrator",
	"POST /admin/users/{id}":      "administrator",
	"GET /admin/audit":            "administrator",
}

// demoAccountFor is the demo account holding exactly one role.
var demoAccountFor = map[string]string{
	auth.Administrator: "admin@vpyshma.demo",
	auth.Editor:        "editor@vpyshma.demo",
	auth.Lawyer:        "lawyer@vpyshma.demo",
	auth.Operator:      "operator@vpyshma.demo",
	auth.Council:       "council@vpyshma.demo",
	auth.Expert:        "expert@vpyshma.demo",
	auth.Resident:      "resident@vpyshma.demo",
}

func TestEveryRouteHasAnAccessEntry(t *testing.T) {
	app := newTestApp(t, dbtest.Open(t, db.SQLite))
	seen := map[string]bool{}
	for _, r := range app.Router.Routes() {
		seen[r.Pattern] = true
		want, ok := routeAccess[r.Pattern]
		if !ok {
			t.Errorf("route %q has no entry in routeAccess: decide who may use it", r.Pattern)
			continue
		}
		if got := r.Access.String(); got != want {
			t.Errorf("route %q: access is %q, table says %q", r.Pattern, got, want)
		}
	}
	var stale []string
	for p := range routeAccess {
		if !seen[p] {
			stale = append(stale, p)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("routeAccess lists routes that do not exist: %v", stale)
	}
}

// TestRoutesRefuseOtherRoles asks every route as every role and as nobody,
// and checks the server refuses exactly those the table refuses.
func TestRoutesRefuseOtherRoles(t *testing.T) {
	app := newTestApp(t, dbtest.Open(t, db.SQLite))
	clients := map[string]*client{"anonymous": app.anonymous()}
	for role, email := range demoAccountFor {
		clients[role] = app.as(email)
	}
	for _, r := range app.Router.Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		path = strings.NewReplacer("{$}", "", "{id}", "1", "{name}", "style.css", "{number}", "1", "{slug}", "x").Replace(path)
		if method == http.MethodPost && (path == "/logout") {
			continue // would end the shared session
		}
		for who, c := range clients {
			allowed := r.Access.String() == "public" || (r.Access.String() == "signed-in" && who != "anonymous") || containsRole(r.Access.String(), who)
			var resp response
			if method == http.MethodGet {
				resp = c.get(path)
			} else {
				resp = c.post(path, nil)
			}
			refused := resp.status == http.StatusForbidden || resp.status == http.StatusUnauthorized ||
				(resp.status == http.StatusSeeOther && strings.HasPrefix(resp.header.Get("Location"), "/login?next="))
			if allowed && refused {
				t.Errorf("%s %s as %s: refused (%d), but the table allows it", method, path, who, resp.status)
			}
			if !allowed && !refused {
				t.Errorf("%s %s as %s: answered %d, but the table refuses it", method, path, who, resp.status)
			}
		}
	}
}

func containsRole(list, role string) bool {
	for _, r := range strings.Split(list, ",") {
		if r == role {
			return true
		}
	}
	return false
}
