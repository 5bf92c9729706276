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
	"GET /{$}":                         "public",
	"GET /sitemap.xml":                 "public",
	"GET /robots.txt":                  "public",
	"GET /healthz":                     "public",
	"GET /metrics":                     "public",
	"GET /api/v1/openapi.json":         "public",
	"GET /static/{name}":               "public",
	"GET /favicon.ico":                 "public",
	"GET /accessibility":               "public",
	"POST /accessibility":              "public",
	"GET /login":                       "public",
	"POST /login":                      "public",
	"POST /logout":                     "signed-in",
	"GET /privacy":                     "public",
	"GET /register":                    "public",
	"POST /register":                   "public",
	"GET /confirm":                     "public",
	"GET /confirm/resend":              "public",
	"POST /confirm/resend":             "public",
	"POST /login/oidc":                 "public",
	"GET /login/oidc/callback":         "public",
	"GET /login/oidc/new":              "public",
	"POST /login/oidc/new":             "public",
	"POST /account/identity":           "signed-in",
	"GET /forgot":                      "public",
	"POST /forgot":                     "public",
	"GET /reset":                       "public",
	"POST /reset":                      "public",
	"GET /account":                     "signed-in",
	"GET /account/delete":              "signed-in",
	"POST /account/delete":             "signed-in",
	"POST /account/subscriptions":      "signed-in",
	"POST /account/tokens":             "signed-in",
	"POST /account/tokens/{id}/revoke": "signed-in",
	"GET /api/v1/me":                   "signed-in",
	"GET /search":                      "public",
	"GET /api/v1/search":               "public",
	"GET /admin":                       "administrator,editor,lawyer,operator,press,regional_admin",
	"GET /admin/users":                 "administrator",
	"GET /admin/users/new":             "administrator",
	"POST /admin/users":                "administrator",
	"GET /admin/users/{id}":            "administrator",
	"POST /admin/users/{id}":           "administrator",
	"GET /admin/audit":                 "administrator",
	// roadmap
	"GET /roadmap":                            "public",
	"GET /roadmap/{id}":                       "public",
	"GET /roadmap/{id}/export.xlsx":           "public",
	"GET /roadmap/{id}/export.pdf":            "public",
	"GET /roadmap/{id}/assessment":            "public",
	"GET /api/v1/roadmaps":                    "public",
	"GET /api/v1/roadmaps/{id}":               "public",
	"GET /admin/roadmaps":                     "administrator,editor,press",
	"GET /admin/roadmaps/import":              "administrator",
	"POST /admin/roadmaps/import":             "administrator",
	"POST /admin/roadmaps/import/save":        "administrator",
	"GET /admin/roadmaps/criteria":            "administrator",
	"POST /admin/roadmaps/criteria":           "administrator",
	"GET /admin/roadmaps/{id}":                "administrator,editor,press",
	"POST /admin/roadmaps/{id}/delete":        "administrator",
	"GET /admin/roadmaps/{id}/units":          "administrator",
	"POST /admin/roadmaps/{id}/units":         "administrator",
	"GET /admin/roadmaps/{id}/assessment":     "administrator",
	"POST /admin/roadmaps/{id}/assessment":    "administrator",
	"GET /admin/roadmap-measures/{id}":        "administrator,editor,press",
	"POST /admin/roadmap-measures/{id}":       "administrator,editor,press",
	"POST /admin/roadmap-measures/{id}/links": "administrator,editor,press",
	"POST /admin/roadmap-links/{id}/delete":   "administrator,editor,press",
	// acts
	"GET /acts/feed.atom":         "public",
	"GET /acts":                   "public",
	"GET /acts/{id}":              "public",
	"GET /acts/{id}/files/{file}": "public",
	"GET /acts/{id}/explanations/{explanation}/mindmap.svg":   "public",
	"GET /practice-reviews":                                   "public",
	"GET /practice-reviews/{id}":                              "public",
	"GET /admin/acts":                                         "administrator,editor,lawyer",
	"GET /admin/acts/new":                                     "administrator,editor,lawyer",
	"POST /admin/acts":                                        "administrator,editor,lawyer",
	"GET /admin/acts/{id}":                                    "administrator,editor,lawyer",
	"POST /admin/acts/{id}":                                   "administrator,editor,lawyer",
	"POST /admin/acts/{id}/files":                             "administrator,editor,lawyer",
	"POST /admin/acts/{id}/files/{file}/delete":               "administrator,editor,lawyer",
	"POST /admin/acts/{id}/links":                             "administrator,editor,lawyer",
	"POST /admin/acts/{id}/links/{link}/delete":               "administrator,editor,lawyer",
	"GET /admin/acts/{id}/explanations/new":                   "administrator,editor,lawyer",
	"POST /admin/acts/{id}/explanations":                      "administrator,editor,lawyer",
	"GET /admin/acts/{id}/explanations/{explanation}":         "administrator,editor,lawyer",
	"POST /admin/acts/{id}/explanations/{explanation}":        "administrator,editor,lawyer",
	"POST /admin/acts/{id}/explanations/{explanation}/delete": "administrator,editor,lawyer",
	"GET /admin/practice-reviews":                             "administrator,editor,lawyer",
	"GET /admin/practice-reviews/new":                         "administrator,editor,lawyer",
	"POST /admin/practice-reviews":                            "administrator,editor,lawyer",
	"GET /admin/practice-reviews/{id}":                        "administrator,editor,lawyer",
	"POST /admin/practice-reviews/{id}":                       "administrator,editor,lawyer",
	"GET /api/v1/acts":                                        "public",
	"GET /api/v1/acts/{id}":                                   "public",
	"POST /api/v1/acts":                                       "administrator,editor,lawyer",
	"PATCH /api/v1/acts/{id}":                                 "administrator,editor,lawyer",
	"POST /api/v1/acts/{id}":                                  "administrator,editor,lawyer",
	// appeals
	"GET /appeals":                             "public",
	"GET /appeals/new":                         "signed-in",
	"POST /appeals":                            "signed-in",
	"GET /appeals/status":                      "public",
	"GET /appeals/reports":                     "public",
	"GET /appeals/reports/{id}":                "public",
	"GET /appeals/reports/{id}/xlsx":           "public",
	"GET /appeals/reports/{id}/pdf":            "public",
	"GET /appeals/files/{id}":                  "signed-in",
	"GET /account/appeals":                     "signed-in",
	"GET /account/appeals/{number}":            "signed-in",
	"GET /admin/appeals":                       "administrator,editor,lawyer,operator,press",
	"GET /admin/appeals/new":                   "administrator,operator",
	"POST /admin/appeals":                      "administrator,operator",
	"GET /admin/appeals/console":               "administrator,operator",
	"POST /admin/appeals/console/calls":        "administrator,operator",
	"GET /admin/appeals/{number}":              "administrator,editor,lawyer,operator,press",
	"POST /admin/appeals/{number}/steps":       "administrator,editor,lawyer,operator,press",
	"GET /admin/appeals/classifier":            "administrator",
	"POST /admin/appeals/classifier":           "administrator",
	"GET /admin/appeals/calendar":              "administrator",
	"POST /admin/appeals/calendar":             "administrator",
	"GET /admin/appeals/reports":               "administrator",
	"POST /admin/appeals/reports":              "administrator",
	"POST /admin/appeals/reports/{id}/publish": "administrator",
	"POST /api/v1/appeals":                     "administrator,operator",
	"GET /api/v1/appeals/status":               "public",
	"GET /appeals/reports/feed.atom":           "public",
	"GET /api/v1/appeals/counter":              "public",
	"GET /api/v1/appeals/reports":              "public",
	"GET /api/v1/appeals/reports/{id}":         "public",
	"GET /api/v1/appeals/{number}":             "administrator,editor,lawyer,operator,press",
	"GET /api/v1/account/appeals":              "signed-in",
	"POST /api/v1/appeals/{number}/assign":     "administrator,operator",
	"POST /api/v1/appeals/{number}/draft":      "administrator,editor,lawyer,operator,press",
	"POST /api/v1/appeals/{number}/rework":     "administrator",
	"POST /api/v1/appeals/{number}/approve":    "administrator",
	"POST /api/v1/appeals/{number}/answer":     "administrator,editor,lawyer,operator,press",
	"POST /api/v1/appeals/{number}/forward":    "administrator,operator",
	"POST /api/v1/appeals/{number}/close":      "administrator",
	"POST /api/v1/appeals/{number}/extend":     "administrator",
	// site
	"GET /sections":                                  "public",
	"GET /sections/{path...}":                        "public",
	"GET /news":                                      "public",
	"GET /news/{id}":                                 "public",
	"GET /news/feed.atom":                            "public",
	"GET /catalogue":                                 "public",
	"POST /feedback":                                 "public",
	"GET /api/v1/sections":                           "public",
	"GET /api/v1/pages/{id}":                         "public",
	"GET /api/v1/news":                               "public",
	"GET /api/v1/news/{id}":                          "public",
	"GET /admin/site":                                "administrator,editor",
	"GET /admin/site/sections/new":                   "administrator,editor",
	"POST /admin/site/sections":                      "administrator,editor",
	"GET /admin/site/sections/{id}":                  "administrator,editor",
	"POST /admin/site/sections/{id}":                 "administrator,editor",
	"GET /admin/site/pages/new":                      "administrator,editor",
	"POST /admin/site/pages":                         "administrator,editor",
	"GET /admin/site/pages/{id}":                     "administrator,editor",
	"POST /admin/site/pages/{id}":                    "administrator,editor",
	"GET /admin/site/pages/{id}/revisions":           "administrator,editor",
	"GET /admin/site/news":                           "administrator,editor,press",
	"GET /admin/site/news/new":                       "administrator,editor,press",
	"POST /admin/site/news":                          "administrator,editor,press",
	"GET /admin/site/news/{id}":                      "administrator,editor,press",
	"POST /admin/site/news/{id}":                     "administrator,editor,press",
	"GET /admin/site/news/{id}/revisions":            "administrator,editor,press",
	"POST /admin/site/news/{id}/photos":              "administrator,editor,press",
	"POST /admin/site/news/{id}/documents":           "administrator,editor,press",
	"POST /admin/site/news/{id}/files/{file}/delete": "administrator,editor,press",
	"GET /admin/news/calendar":                       "administrator,editor,press",
	"GET /news/{id}/files/{file}":                    "public",
	"GET /admin/site/catalogue":                      "administrator,editor",
	"GET /admin/site/catalogue/{id}":                 "administrator,editor",
	"POST /admin/site/catalogue/{id}":                "administrator,editor",
	"GET /admin/site/feedback":                       "administrator,editor",
	"GET /admin/site/feedback/suggestions":           "administrator,editor",
	// consult
	"GET /consultations":                                        "public",
	"GET /consultations/feed.atom":                              "public",
	"GET /consultations/receipt":                                "public",
	"GET /consultations/{id}":                                   "public",
	"POST /consultations/{id}/comments":                         "public",
	"GET /consultations/{id}/summary":                           "public",
	"GET /consultations/{id}/summary.xlsx":                      "public",
	"GET /consultations/{id}/summary.pdf":                       "public",
	"GET /consultations/{id}/diff":                              "public",
	"GET /consultations/{id}/conclusion":                        "signed-in",
	"POST /consultations/{id}/conclusion":                       "signed-in",
	"GET /expertise":                                            "public",
	"GET /expertise/register":                                   "signed-in",
	"POST /expertise/register":                                  "signed-in",
	"GET /admin/consultations":                                  "administrator,editor,lawyer",
	"GET /admin/consultations/new":                              "administrator,editor,lawyer",
	"POST /admin/consultations":                                 "administrator,editor,lawyer",
	"GET /admin/consultations/{id}":                             "administrator,editor,lawyer",
	"POST /admin/consultations/{id}":                            "administrator,editor,lawyer",
	"POST /admin/consultations/{id}/versions":                   "administrator,editor,lawyer",
	"POST /admin/consultations/{id}/publish":                    "administrator,editor,lawyer",
	"POST /admin/consultations/{id}/stage":                      "administrator,editor,lawyer",
	"POST /admin/consultations/{id}/act":                        "administrator,editor,lawyer",
	"POST /admin/consultations/{id}/results":                    "administrator,editor,lawyer",
	"POST /admin/consultations/{id}/goals":                      "administrator,editor,lawyer",
	"GET /admin/consultations/{id}/comments":                    "administrator,editor,lawyer",
	"POST /admin/consult/comments/{id}/answer":                  "administrator,editor,lawyer",
	"POST /admin/consult/goals/{id}/progress":                   "administrator,editor,lawyer",
	"GET /admin/consult/moderation":                             "administrator,editor,lawyer",
	"POST /admin/consult/moderation":                            "administrator,editor,lawyer",
	"GET /admin/consult/blocks":                                 "administrator,editor,lawyer",
	"POST /admin/consult/blocks":                                "administrator,editor,lawyer",
	"POST /admin/consult/blocks/{id}/lift":                      "administrator,editor,lawyer",
	"GET /admin/consult/settings":                               "administrator",
	"POST /admin/consult/settings":                              "administrator",
	"GET /admin/consult/wording":                                "administrator,lawyer",
	"POST /admin/consult/wording":                               "administrator,lawyer",
	"GET /admin/consult/experts":                                "administrator,lawyer",
	"POST /admin/consult/experts/{id}":                          "administrator,lawyer",
	"GET /admin/consult/conclusions":                            "administrator,editor,lawyer",
	"POST /admin/consult/conclusions/{id}/answer":               "administrator,editor,lawyer",
	"GET /api/v1/consultations":                                 "public",
	"GET /api/v1/consultations/{id}":                            "public",
	"GET /api/v1/consultations/{id}/summary.xlsx":               "public",
	"GET /api/v1/consultations/{id}/summary.pdf":                "public",
	"POST /api/v1/consultations/{id}/comments":                  "public",
	"POST /api/v1/consultations/{id}/comments/{comment}/answer": "administrator,editor,lawyer",
	"POST /api/v1/consultations/{id}/stage":                     "administrator,editor,lawyer",
	"POST /api/v1/wording-check":                                "public",
}

// addRoutes adds an area's table of routes (each area keeps its own in
// routes_<area>_test.go and calls this from init); a route listed twice
// is a mistake.
func addRoutes(area map[string]string) {
	for route, access := range area {
		if _, dup := routeAccess[route]; dup {
			panic("route listed twice: " + route)
		}
		routeAccess[route] = access
	}
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
	auth.RegionalAdmin: "region@vpyshma.demo",
}

func TestEveryRouteHasAnAccessEntry(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
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
	})
}

// TestRoutesRefuseOtherRoles asks every route as every role and as nobody,
// and checks the server refuses exactly those the table refuses.
func TestRoutesRefuseOtherRoles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
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
	})
}

func containsRole(list, role string) bool {
	for _, r := range strings.Split(list, ",") {
		if r == role {
			return true
		}
	}
	return false
}
