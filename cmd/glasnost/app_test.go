package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/config"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/webtest"
)

// testApp is the whole wired program over a fresh database with the demo
// loaded, served by httptest.
type testApp struct {
	*App
	t      *testing.T
	server *httptest.Server
	mail   *webtest.MailServer
}

func newTestApp(t *testing.T, d *db.DB) *testApp {
	t.Helper()
	return newTestAppMail(t, d, true)
}

// newTestAppMail builds the app with the demo; withMail false leaves
// GLASNOST_SMTP_URL unset, as on an installation whose mail is not set up.
func newTestAppMail(t *testing.T, d *db.DB, withMail bool) *testApp {
	t.Helper()
	return newTestAppConfig(t, d, withMail, nil)
}

// newTestAppConfig is newTestAppMail with a change to the configuration
// (edit may be nil).
func newTestAppConfig(t *testing.T, d *db.DB, withMail bool, edit func(*config.Config)) *testApp {
	t.Helper()
	return buildTestApp(t, d, withMail, edit, true)
}

// newTestAppIdle is the app with the demo whose job queue never starts: no
// periodic job (open data generation, reminders) writes while a test counts
// exact figures. Jobs it enqueues stay queued.
func newTestAppIdle(t *testing.T, d *db.DB) *testApp {
	t.Helper()
	return buildTestApp(t, d, true, nil, false)
}

func buildTestApp(t *testing.T, d *db.DB, withMail bool, edit func(*config.Config), startJobs bool) *testApp {
	t.Helper()
	cfg := config.FromEnv(func(string) string { return "" })
	if edit != nil {
		edit(&cfg)
	}
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = "unused"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	mail := webtest.StartMailServer(t)
	opts := appOptions{Work: true, Sender: notify.SMTPSender{Config: mail.Config()}}
	if !withMail {
		opts.Sender = nil // cfg.SMTP is nil: letters go to the log only
	}
	app, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), d, opts)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	if err := loadDemo(context.Background(), app); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	if startJobs {
		if err := app.Queue.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = app.Queue.Stop(ctx)
		})
	}
	srv := httptest.NewServer(app.Handler)
	t.Cleanup(srv.Close)
	return &testApp{App: app, t: t, server: srv, mail: mail}
}

type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (a *testApp) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, base: a.server.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// as signs in with a demo account.
func (a *testApp) as(email string) *client {
	a.t.Helper()
	c := a.anonymous()
	r := c.post("/login", url.Values{"email": {email}, "password": {DemoPassword}})
	if r.status != http.StatusSeeOther {
		a.t.Fatalf("login %s: %d %s", email, r.status, r.body)
	}
	return c
}

type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

func (c *client) post(path string, v url.Values) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func TestHealthMetricsOpenAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		if r := c.get("/healthz"); r.status != 200 || !strings.Contains(r.body, `"ok"`) {
			t.Fatalf("healthz: %d %s", r.status, r.body)
		}
		c.get("/acts")
		c.get("/acts") // the second comes from the page cache and keeps its route
		r := c.get("/metrics")
		if r.status != 200 || !strings.Contains(r.body, "glasnost_http_requests_total") {
			t.Fatalf("metrics: %d", r.status)
		}
		if !strings.Contains(r.body, `glasnost_http_requests_total{method="GET",pattern="GET /acts",status="200"} 2`) {
			t.Fatalf("metrics do not count requests by route:\n%s", grepLines(r.body, "glasnost_http_requests_total"))
		}
		r = c.get("/api/v1/openapi.json")
		if r.status != 200 || !strings.Contains(r.body, `"openapi": "3.0.3"`) {
			t.Fatalf("openapi: %d", r.status)
		}
		// Every JSON endpoint that is routed is described.
		for _, route := range app.Router.Routes() {
			method, path, _ := strings.Cut(route.Pattern, " ")
			if !strings.HasPrefix(path, "/api/v1/") || path == "/api/v1/openapi.json" {
				continue
			}
			if !app.API.Has(method, path) {
				t.Errorf("%s is routed but not in the OpenAPI document", route.Pattern)
			}
		}
	})
}

func TestSecurityHeadersAndErrorPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		r := c.get("/")
		if r.status != 200 {
			t.Fatalf("home: %d", r.status)
		}
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Fatalf("CSP must forbid inline script: %q", csp)
		}
		for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
			if r.header.Get(h) == "" {
				t.Errorf("missing %s", h)
			}
		}
		nf := c.get("/no/such/page")
		if nf.status != 404 || !strings.Contains(nf.body, "Страница не найдена") || !strings.Contains(nf.body, `lang="ru"`) {
			t.Fatalf("404 page: %d %s", nf.status, nf.body)
		}
		forbidden := app.as("resident@vpyshma.demo").get("/admin/users")
		if forbidden.status != 403 || !strings.Contains(forbidden.body, "нет прав") {
			t.Fatalf("403 page: %d", forbidden.status)
		}
		api := c.get("/api/v1/me")
		if api.status != 401 || !strings.Contains(api.body, `"code": "unauthorized"`) {
			t.Fatalf("API 401: %d %s", api.status, api.body)
		}
		// Static assets are served under hashed names with a long lifetime.
		i := strings.Index(r.body, "/static/style.")
		if i < 0 {
			t.Fatal("no hashed stylesheet link")
		}
		href := r.body[i : i+strings.Index(r.body[i:], `"`)]
		s := c.get(href)
		if s.status != 200 || !strings.Contains(s.header.Get("Cache-Control"), "immutable") {
			t.Fatalf("static %s: %d %q", href, s.status, s.header.Get("Cache-Control"))
		}
		if c.get("/robots.txt").status != 200 || !strings.Contains(c.get("/sitemap.xml").body, "<urlset") {
			t.Fatal("robots.txt or sitemap.xml missing")
		}
	})
}

func TestCrossOriginFormIsRejected(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		req, _ := http.NewRequest(http.MethodPost, c.base+"/login", strings.NewReader("email=a%40b.ru&password=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		r := c.do(req)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "другого сайта") {
			t.Fatalf("cross-origin POST: %d", r.status)
		}
	})
}

func TestAccessibleVersionIsRemembered(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		r := c.post("/accessibility", url.Values{"action": {"on"}, "font": {"xlarge"}, "scheme": {"blue"}, "spacing": {"wide"}, "images": {"off"}, "return": {"/login"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
			t.Fatalf("save settings: %d %s", r.status, r.header.Get("Location"))
		}
		for _, page := range []string{"/", "/login", "/register"} {
			body := c.get(page).body
			for _, class := range []string{"a11y", "fs-xlarge", "scheme-blue", "sp-wide", "images-off"} {
				if !strings.Contains(body, class) {
					t.Errorf("%s: body lacks class %s after enabling the version for visually impaired users", page, class)
				}
			}
		}
		// An open redirect through the return field is refused.
		r = c.post("/accessibility", url.Values{"action": {"off"}, "return": {"//evil.example/"}})
		if r.header.Get("Location") != "/" {
			t.Fatalf("return to another site allowed: %s", r.header.Get("Location"))
		}
		if strings.Contains(c.get("/").body, "fs-xlarge") {
			t.Fatal("switching off did not restore the ordinary version")
		}
	})
}

// TestAdminIndexOffersOnlyWhatOpens signs in as each staff role and follows
// every link of the administration index: none may answer 403.
func TestAdminIndexOffersOnlyWhatOpens(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		for _, email := range []string{"admin@vpyshma.demo", "editor@vpyshma.demo", "press@vpyshma.demo", "lawyer@vpyshma.demo", "operator@vpyshma.demo"} {
			c := app.as(email)
			page := c.get("/admin")
			if page.status != 200 {
				t.Fatalf("%s: /admin answered %d", email, page.status)
			}
			main := page.body[strings.Index(page.body, "<main"):]
			links := 0
			for _, part := range strings.Split(main, `href="`)[1:] {
				href := part[:strings.IndexByte(part, '"')]
				if !strings.HasPrefix(href, "/admin") {
					continue
				}
				links++
				if r := c.get(href); r.status == 403 {
					t.Errorf("%s: the admin index offers %s, which answers 403", email, href)
				}
			}
			if links == 0 {
				t.Errorf("%s: the admin index offers nothing", email)
			}
		}
	})
}

// grepLines keeps the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
