package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/config"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/webtest"
)

// lockedBuffer collects the log of the whole program from its goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var hrefRE = regexp.MustCompile(`(?:href|src|action)="([^"]+)"|<loc>([^<]+)</loc>`)

// TestAppealCanaryNeverPublic plants a unique string in every personal
// field of an appeal, and in the answer to it, takes the appeal through the
// whole workflow and into a published report, and then walks everything the
// public can reach — the pages linked from the home page and the sitemap,
// feeds, the search page and API, the OpenAPI document, the status lookup,
// error pages — and the program's log, proving the string is in none.
func TestAppealCanaryNeverPublic(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		var raw [6]byte
		_, _ = rand.Read(raw[:])
		tag := hex.EncodeToString(raw[:])
		canary := "Канарейка" + tag  // in names and texts
		mailCanary := "canary" + tag // in the e-mail address
		cyr := strings.ToLower(canary)

		// The clock steps a day ahead to publish a report of today: a
		// report is published only once its period has ended.
		var ahead atomic.Int64
		wall := d.Now
		d.Now = func() time.Time { return wall().Add(time.Duration(ahead.Load())) }

		logs := &lockedBuffer{}
		cfg := config.FromEnv(func(string) string { return "" })
		cfg.DataDir, cfg.DatabaseURL = t.TempDir(), "unused"
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		mail := webtest.StartMailServer(t)
		log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		app, err := newApp(context.Background(), cfg, log, d, appOptions{Sender: notify.SMTPSender{Config: mail.Config()}})
		if err != nil {
			t.Fatal(err)
		}
		if err := loadDemo(context.Background(), app); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(app.Handler)
		t.Cleanup(srv.Close)
		ta := &testApp{App: app, t: t, server: srv, mail: mail}

		// A resident submits an appeal full of the canary.
		resident := ta.as("resident@vpyshma.demo")
		r := resident.post("/appeals", url.Values{
			// The surname and name are the account's (547-FZ); the
			// account has no patronymic, so the canary goes there.
			"middle_name": {canary},
			"email":       {mailCanary + "@example.ru"}, "phone": {"+7 900 " + tag[:3] + "-" + tag[3:5] + "-" + tag[5:7]},
			"postal_address": {"624090, Верхняя Пышма, ул. " + canary}, "addressee": {"official"}, "official": {"Начальник " + canary},
			"text": {"Прошу разобраться: " + canary}, "collective": {"yes"}, "cosigners": {canary + " Соавтор"}, "consent": {"yes"},
		})
		if r.status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}
		r = resident.get(r.header.Get("Location")) // POST → redirect → GET
		i := strings.Index(r.body, `class="appeal-number">`)
		number := r.body[i+len(`class="appeal-number">`):]
		number = number[:strings.Index(number, "<")]
		enc := url.PathEscape(number)

		// Staff take it through to the answer, which carries the canary too.
		op, head := ta.as("operator@vpyshma.demo"), ta.as("admin@vpyshma.demo")
		dept, err := app.Tenants.DepartmentBySlug(context.Background(), ta.tenantID(), "housing")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			c *client
			v url.Values
		}{
			{op, url.Values{"action": {"assign"}, "department": {fmt.Sprint(dept.ID)}}},
			{head, url.Values{"action": {"draft"}, "answer": {"Ответ для " + canary}, "result": {"explained"}, "topic": {"0005.0005.0056.1154"}}},
			{head, url.Values{"action": {"approve"}}},
			{head, url.Values{"action": {"answer"}}},
		} {
			if r := s.c.post("/admin/appeals/"+enc+"/steps", s.v); r.status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", s.v.Get("action"), r.status, r.body)
			}
		}
		if r := op.get("/admin/appeals/console?q=" + url.QueryEscape(mailCanary+"@example.ru")); !strings.Contains(r.body, number) {
			t.Fatal("the operator cannot find the planted appeal: the test would prove nothing")
		}
		op.post("/admin/appeals/console/calls", url.Values{"number": {number}, "note": {"Звонил " + canary}})
		// And a report over the period it is in is published.
		var from, to string
		if err := d.QueryRow(context.Background(), `SELECT registered_on FROM appeals WHERE number = ?`, number).Scan(&from); err != nil {
			t.Fatal(err)
		}
		to = from
		r = head.post("/admin/appeals/reports", url.Values{"from": {from}, "to": {to}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("make report: %d", r.status)
		}
		reportURL := r.header.Get("Location")
		id := strings.TrimPrefix(reportURL, "/appeals/reports/")
		ahead.Store(int64(24 * time.Hour))
		if r := head.post("/admin/appeals/reports/"+id+"/publish", nil); r.status != http.StatusSeeOther {
			t.Fatalf("publish: %d", r.status)
		}
		ahead.Store(0)

		// The appellant sees it; the check below would be vacuous otherwise.
		if r := resident.get("/account/appeals/" + enc); !strings.Contains(strings.ToLower(r.body), cyr) {
			t.Fatal("the appellant does not see their own appeal")
		}

		leak := func(where, body string) {
			t.Helper()
			b := strings.ToLower(html.UnescapeString(body))
			if strings.Contains(b, cyr) || strings.Contains(b, mailCanary) || strings.Contains(b, strings.ToLower(url.QueryEscape(canary))) {
				t.Errorf("canary leaked in %s", where)
			}
		}
		anon := ta.anonymous()
		seen := map[string]bool{}
		queue := []string{"/", "/sitemap.xml", "/robots.txt", "/api/v1/openapi.json", "/appeals", "/appeals/reports", reportURL,
			reportURL + "/xlsx", reportURL + "/pdf", "/news/feed.atom",
			// The search page repeats the query, so it is asked for the
			// common part of the canary: a hit would show the rest.
			"/search?q=" + url.QueryEscape("Канарейка"), "/search?q=" + url.QueryEscape("Прошу разобраться"),
			"/appeals/status?" + url.Values{"number": {number}, "contact": {"wrong@example.ru"}}.Encode(),
			"/account/appeals/" + enc, "/admin/appeals/" + enc, "/api/v1/appeals/" + enc,
			"/appeals/reports/999999", "/no/such/" + enc,
		}
		for len(queue) > 0 && len(seen) < 500 {
			p := queue[0]
			queue = queue[1:]
			if seen[p] {
				continue
			}
			seen[p] = true
			r := anon.get(p)
			leak(p, r.body)
			leak(p+" (headers)", fmt.Sprint(r.header))
			if ct := r.header.Get("Content-Type"); !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") && !strings.Contains(ct, "json") {
				continue
			}
			for _, m := range hrefRE.FindAllStringSubmatch(r.body, -1) {
				link := html.UnescapeString(m[1] + m[2])
				if u, err := url.Parse(link); err == nil && u.Host != "" {
					if u.Host != strings.TrimPrefix(srv.URL, "http://") && !strings.Contains(cfg.BaseURL, u.Host) {
						continue
					}
					link = u.RequestURI()
				}
				if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/static/") {
					continue
				}
				if !seen[link] {
					queue = append(queue, link)
				}
			}
		}
		if len(seen) < 20 {
			t.Errorf("walked only %d public addresses", len(seen))
		}
		for _, q := range []string{canary, mailCanary, tag, "Прошу разобраться"} {
			var res struct {
				Total   int             `json:"total"`
				Results json.RawMessage `json:"results"`
			}
			r := anon.get("/api/v1/search?q=" + url.QueryEscape(q))
			if err := json.Unmarshal([]byte(r.body), &res); err != nil {
				t.Fatalf("search API: %v: %s", err, r.body)
			}
			if res.Total != 0 {
				t.Errorf("search for %q finds %d documents", q, res.Total)
			}
			leak("search API results for "+q, string(res.Results))
		}
		// The status answer is allowed to anyone with the contact, and holds
		// the status only.
		var st map[string]any
		sr := anon.get("/api/v1/appeals/status?" + url.Values{"number": {number}, "contact": {mailCanary + "@example.ru"}}.Encode())
		if err := json.Unmarshal([]byte(sr.body), &st); err != nil || len(st) != 4 || st["status"] != "answered" {
			t.Errorf("status API: %s", sr.body)
		}
		leak("status API", sr.body)
		// Another signed-in resident sees nothing of it either.
		other := ta.as("council@vpyshma.demo")
		for _, p := range []string{"/account/appeals/" + enc, "/account/appeals", "/api/v1/account/appeals", "/admin/appeals/" + enc, "/api/v1/appeals/" + enc} {
			r := other.get(p)
			leak("council "+p, r.body)
		}
		// Nothing public was recorded with it.
		var evs int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM public_events WHERE title LIKE ? OR url LIKE ?`, "%"+tag+"%", "%"+tag+"%").Scan(&evs); err != nil {
			t.Fatal(err)
		}
		var docs int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM search_docs WHERE title LIKE ? OR body LIKE ?`, "%"+tag+"%", "%"+tag+"%").Scan(&docs); err != nil {
			t.Fatal(err)
		}
		if evs != 0 || docs != 0 {
			t.Errorf("canary in public events (%d) or the search index (%d)", evs, docs)
		}
		leak("the program's log", logs.String())
		if !strings.Contains(logs.String(), "/appeals") {
			t.Error("the log captured no requests: the log check would prove nothing")
		}
	})
}

// tenantID is the demo municipality's id.
func (a *testApp) tenantID() int64 {
	m, err := a.Tenants.BySlug(context.Background(), "vpyshma")
	if err != nil {
		a.t.Fatal(err)
	}
	return m.ID
}
