// Package webtest builds the kernel stack — a migrated database, one
// municipality, templates, router, sessions, accounts, the job queue and a
// real in-process SMTP server — for handler tests of any area, and gives
// tests HTTP clients signed in with a role.
package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/jobs"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// Password is the password of every account a test creates.
const Password = "test-password-123"

// passwordHash is Password hashed once per test binary: a bcrypt hash takes
// about a second under the race detector, and the tests create hundreds of
// accounts. Signing in still compares the password with its hash.
var passwordHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(Password) })

// Env is the kernel stack for one test.
type Env struct {
	T            testing.TB
	DB           *db.DB
	Log          *slog.Logger
	Tenants      *tenant.Store
	Municipality tenant.Municipality
	Renderer     *web.Renderer
	Errors       *web.Errors
	Router       *web.Router
	API          *web.APIDoc
	Sessions     *scs.SessionManager
	Accounts     *auth.Store
	Queue        *jobs.Queue
	Mailer       *notify.Mailer
	Mail         *MailServer
	Files        *files.Store
	Calendars    *deadline.Calendars
	Portal       *portal.Registry
	// Departments and Spheres of the test municipality by slug.
	Departments map[string]int64
	Spheres     map[string]int64

	server  *httptest.Server
	started bool
	seq     atomic.Int64
}

// Deps are the kernels as an area's New takes them. Getenv reads env, so a
// test may give an area settings without touching the process environment.
func (e *Env) Deps(env map[string]string) portal.Deps {
	return portal.Deps{
		Log: e.Log, DB: e.DB, BaseURL: "http://portal.test", DataDir: e.T.TempDir(),
		Getenv:  func(k string) string { return env[k] },
		Tenants: e.Tenants, People: e.Accounts, Sessions: e.Sessions, Queue: e.Queue, Mailer: e.Mailer,
		Subscriptions: notify.NewSubscriptions(e.DB), Files: e.Files, Calendars: e.Calendars,
		Renderer: e.Renderer, Errors: e.Errors, API: e.API, Portal: e.Portal,
	}
}

// New builds the stack over d. Areas then add pages to Renderer, mount on
// Router, and call Server or Client.
func New(t testing.TB, d *db.DB) *Env {
	t.Helper()
	ctx := context.Background()
	e := &Env{T: t, DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Departments: map[string]int64{}, Spheres: map[string]int64{}}
	e.Tenants = tenant.NewStore(d)
	e.Municipality = tenant.Municipality{Slug: "test", Name: "Тестовый городской округ", TimeZone: "Asia/Yekaterinburg", Hosts: []string{"127.0.0.1"}}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if err := e.Tenants.Create(ctx, tx, &e.Municipality); err != nil {
			return err
		}
		for slug, name := range map[string]string{"legal": "Юридический отдел", "affairs": "Управление делами", "press": "Пресс-секретарь", "housing": "Управление ЖКХ"} {
			id, err := e.Tenants.EnsureDepartment(ctx, tx, e.Municipality.ID, slug, name)
			if err != nil {
				return err
			}
			e.Departments[slug] = id
		}
		for slug, name := range map[string]string{"education": "Образование", "housing": "ЖКХ", "transport": "Транспорт"} {
			id, err := e.Tenants.EnsureSphere(ctx, tx, e.Municipality.ID, slug, name)
			if err != nil {
				return err
			}
			e.Spheres[slug] = id
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create test municipality: %v", err)
	}
	e.Municipality, _ = e.Tenants.BySlug(ctx, "test")
	e.Mail = StartMailServer(t)
	e.Queue = jobs.New(d, e.Log)
	e.Mailer, err = notify.NewMailer(e.Queue, notify.SMTPSender{Config: e.Mail.Config()}, "http://portal.test")
	if err != nil {
		t.Fatal(err)
	}
	e.Sessions = auth.NewSessions(d, false)
	assets, err := web.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	e.Renderer, err = web.NewRenderer(e.Log, assets, e.Sessions)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Renderer.AddPages("auth", auth.Templates()); err != nil {
		t.Fatal(err)
	}
	e.Errors = &web.Errors{Log: e.Log, Renderer: e.Renderer}
	e.Router = web.NewRouter(e.Errors)
	e.API = web.NewAPIDoc("glasnost", "test")
	e.Accounts = &auth.Store{DB: d}
	e.Files = &files.Store{DB: d, Storage: files.Disk{Dir: filepath.Join(t.TempDir(), "files")}, MaxSize: 5 << 20}
	if e.Calendars, err = deadline.NewCalendars(d); err != nil {
		t.Fatal(err)
	}
	e.Portal = portal.NewRegistry()
	(&auth.Handlers{Store: e.Accounts, DB: d, Tenants: e.Tenants, Sessions: e.Sessions, Renderer: e.Renderer, Errors: e.Errors, Mailer: e.Mailer, Subscriptions: notify.NewSubscriptions(d), Log: e.Log}).Mount(e.Router)
	return e
}

// WaitJobsDone waits until no job of the kinds is waiting or running, so a
// test can count what the jobs did (letters sent) without sleeping for a
// guessed time.
func (e *Env) WaitJobsDone(t testing.TB, timeout time.Duration, kinds ...string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var n int
		err := e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job WHERE kind IN (`+db.Placeholders(len(kinds))+`)
 AND state IN ('available', 'pending', 'running', 'retryable', 'scheduled')`, anySlice(kinds)...).Scan(&n)
		if err != nil {
			t.Fatalf("count unfinished jobs: %v", err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs of %v still unfinished after %s", n, kinds, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func anySlice(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// StartJobs runs the job workers (mail delivery and whatever areas added)
// until the test ends. Call it after areas have added their workers.
func (e *Env) StartJobs() {
	e.T.Helper()
	if e.started {
		return
	}
	e.buildQueue(true)
	if err := e.Queue.Start(context.Background()); err != nil {
		e.T.Fatal(err)
	}
	e.started = true
	e.T.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = e.Queue.Stop(ctx)
	})
}

func (e *Env) buildQueue(work bool) {
	if err := e.Queue.Build(work); err != nil {
		e.T.Fatal(err)
	}
}

// Handler is the full middleware chain around the router.
func (e *Env) Handler() http.Handler {
	return web.Chain(e.Router,
		web.Recover(e.Errors),
		web.AssignRequestID,
		web.SecurityHeaders,
		e.Sessions.LoadAndSave,
		web.CrossOrigin(e.Errors),
		web.ResolveMunicipality(e.Tenants, e.Errors),
		auth.Authenticate(e.Accounts, e.Sessions, e.Errors),
	)
}

// Server starts the HTTP server (once). The job queue is built insert-only
// unless StartJobs was called first.
func (e *Env) Server() *httptest.Server {
	e.T.Helper()
	if e.server == nil {
		if !e.started {
			e.buildQueue(false)
		}
		e.server = httptest.NewServer(e.Handler())
		e.T.Cleanup(e.server.Close)
	}
	return e.server
}

// Account creates a confirmed account with the roles (and department slug
// for staff, "" for none).
func (e *Env) Account(dept string, roles ...string) auth.Account {
	e.T.Helper()
	n := e.seq.Add(1)
	a := auth.Account{MunicipalityID: e.Municipality.ID, Email: fmt.Sprintf("%s%d@test.ru", strings.Join(roles, "-"), n), FullName: "Тест " + strings.Join(roles, " "), DepartmentID: e.Departments[dept], Roles: roles, Confirmed: true}
	hash, err := passwordHash()
	if err != nil {
		e.T.Fatal(err)
	}
	if err := e.DB.InTx(context.Background(), func(tx *db.Tx) error { return e.Accounts.CreateHashed(context.Background(), tx, &a, hash) }); err != nil {
		e.T.Fatalf("create account: %v", err)
	}
	return a
}

// Client is an HTTP client with its own cookies.
type Client struct {
	e       *Env
	http    *http.Client
	Account auth.Account
	Token   string
}

// Anonymous returns a client that is not signed in.
func (e *Env) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Client returns a client signed in (through the login form) as a new
// account with the roles; dept is a department slug or "".
func (e *Env) Client(dept string, roles ...string) *Client {
	e.T.Helper()
	c := e.Anonymous()
	c.Account = e.Account(dept, roles...)
	r := c.PostForm("/login", url.Values{"email": {c.Account.Email}, "password": {Password}})
	if r.Status != http.StatusSeeOther {
		e.T.Fatalf("login as %v: status %d: %s", roles, r.Status, r.Body)
	}
	tok, err := e.Accounts.CreateAPIToken(context.Background(), c.Account.ID)
	if err != nil {
		e.T.Fatal(err)
	}
	c.Token = tok
	return c
}

// Response is a read response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode JSON (status %d): %v\n%s", r.Status, err, r.Body)
	}
}

func (c *Client) do(req *http.Request) Response {
	c.e.T.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// Get fetches a path.
func (c *Client) Get(path string) Response {
	c.e.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.Server().URL+path, nil)
	return c.do(req)
}

// PostForm submits a form.
func (c *Client) PostForm(path string, v url.Values) Response {
	c.e.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.e.Server().URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// Do sends a request built by the caller (multipart uploads), with cookies.
func (c *Client) Do(req *http.Request) Response {
	c.e.T.Helper()
	return c.do(req)
}

// API calls a JSON endpoint with the client's bearer token (none when the
// client is anonymous). body is encoded as JSON unless nil.
func (c *Client) API(method, path string, body any) Response {
	c.e.T.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.e.T.Fatal(err)
		}
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, c.e.Server().URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	jar := c.http.Jar
	c.http.Jar = nil // the token alone must authenticate
	defer func() { c.http.Jar = jar }()
	return c.do(req)
}

// URL is the server's base URL.
func (e *Env) URL() string { return e.Server().URL }
