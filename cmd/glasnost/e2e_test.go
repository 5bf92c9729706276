package main

// Browser tests: build the binary, start `glasnost serve --demo` on a free
// port (SQLite, and PostgreSQL when configured), and drive headless Chromium
// through chromedp. Every page visited is checked with axe-core; any WCAG
// 2.1 A or AA violation fails the test.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary compiles glasnost once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "glasnost-e2e-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "glasnost")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// requireTool finds an external program the browser tests need: missing
// under CI=true fails, elsewhere skips with the reason.
func requireTool(t *testing.T, what, path string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	msg := fmt.Sprintf("%s not found at %s (see .ci/run for how to install it)", what, path)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func chromiumPath() string {
	if p := os.Getenv("GLASNOST_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

func axePath() string {
	if p := os.Getenv("GLASNOST_AXE_JS"); p != "" {
		return p
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", ".ci", "node_modules", "axe-core", "axe.min.js")
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is a running glasnost process.
type server struct {
	URL  string
	Mail *webtest.MailServer
	DB   string
}

// startServer runs `glasnost serve --demo` on a fresh database of the engine.
func startServer(t *testing.T, dialect db.Dialect) *server {
	t.Helper()
	bin := buildBinary(t)
	addr := freePort(t)
	dataDir := t.TempDir()
	dbURL := dbtest.URL(t, dialect)
	mail := webtest.StartMailServer(t)
	env := append(os.Environ(),
		"GLASNOST_DATA_DIR="+dataDir,
		"GLASNOST_DATABASE_URL="+dbURL,
		"GLASNOST_BASE_URL=http://"+addr,
		fmt.Sprintf("GLASNOST_SMTP_URL=smtp://%s?from=portal@glasnost.test", mail.Addr),
	)
	if dialect == db.Postgres {
		// PostgreSQL is migrated explicitly; serve refuses a schema behind.
		mig := exec.Command(bin, "migrate")
		mig.Env = env
		if out, err := mig.CombinedOutput(); err != nil {
			t.Fatalf("migrate: %v\n%s", err, out)
		}
	}
	cmd := exec.Command(bin, "serve", "--demo", "--addr", addr)
	cmd.Env = env
	logf, err := os.Create(filepath.Join(dataDir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("server log:\n%s", tail(string(b), 4000))
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("glasnost did not become healthy: %v\n%s", err, tail(string(b), 4000))
		}
		time.Sleep(200 * time.Millisecond)
	}
	return &server{URL: base, Mail: mail, DB: dbURL}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// browser is a headless Chromium tab that checks every page with axe-core.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	axe  string
	// Checked lists the pages that passed axe-core, for the test log.
	Checked []string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	requireTool(t, "Chromium", chromiumPath())
	requireTool(t, "axe-core", axePath())
	axe, err := os.ReadFile(axePath())
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Audio explanations are played by the tests without a click.
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base, axe: string(axe)}
}

// run performs actions, failing the test on error.
func (b *browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// get runs one action that returns a value.
func get[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return v
}

// click clicks the first element matching a CSS selector.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.run(chromedp.Click(chromedp.CSS(sel)))
}

// attr reads an attribute of the first element matching sel.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	return get(b, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

// visit opens a path and checks the page with axe-core.
func (b *browser) visit(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.base + path))
	b.checkA11y()
}

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
}

// checkA11y runs axe-core on the current page: any WCAG 2.1 A/AA violation fails.
func (b *browser) checkA11y() {
	b.t.Helper()
	b.run(chromedp.WaitReady(chromedp.CSS("body")))
	loc := get(b, chromedp.Location())
	script := b.axe + `;
(async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
  return JSON.stringify({violations: r.violations});
})()`
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe-core on %s: %v", loc, err)
	}
	var res axeResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		b.t.Fatalf("axe-core result on %s: %v", loc, err)
	}
	for _, v := range res.Violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target)+" "+tail(n.HTML, 160))
		}
		b.t.Errorf("axe-core on %s: %s (%s): %s\n  %s", loc, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
	}
	b.Checked = append(b.Checked, loc)
}

// text returns the visible text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return get(b, chromedp.Text(chromedp.CSS(sel)))
}

// submit fills fields (selector → value) and clicks the submit selector,
// then waits for the next page and checks it.
func (b *browser) submit(fields map[string]string, click string) {
	b.t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	for sel, v := range fields {
		acts = append(acts, chromedp.SetValue(chromedp.CSS(sel), v))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS(click)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitReady(chromedp.CSS("body")))
	b.run(acts...)
	b.checkA11y()
}

// login signs in through the form.
func (b *browser) login(email, password string) {
	b.t.Helper()
	b.visit("/login")
	b.submit(map[string]string{"#email": email, "#password": password}, "main form button[type=submit]")
}

// e2eEngines runs a browser scenario against a server on each engine.
func e2eEngines(t *testing.T, fn func(t *testing.T, srv *server, b *browser)) {
	t.Run("sqlite", func(t *testing.T) {
		srv := startServer(t, db.SQLite)
		fn(t, srv, newBrowser(t, srv.URL))
	})
	if dbtest.PostgresURL(t) != "" {
		t.Run("postgres", func(t *testing.T) {
			srv := startServer(t, db.Postgres)
			fn(t, srv, newBrowser(t, srv.URL))
		})
	}
}

func TestBrowserFoundation(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		// Home page.
		b.visit("/")
		if h := b.text("h1"); !strings.Contains(h, "Верхняя Пышма") {
			t.Fatalf("home h1 = %q", h)
		}
		// Switch on the version for visually impaired users, change the
		// scheme, and check it persists on other pages.
		b.submit(nil, "header form button.link-button")
		class := b.attr("body", "class")
		if !strings.Contains(class, "a11y") || !strings.Contains(class, "fs-large") {
			t.Fatalf("version for visually impaired users not on: body class %q", class)
		}
		b.click(`.a11y-form input[value="wb"]`)
		b.click(`.a11y-form input[value="xlarge"]`)
		b.submit(nil, ".a11y-form button[type=submit]")
		b.visit("/register")
		class = b.attr("body", "class")
		if !strings.Contains(class, "scheme-wb") || !strings.Contains(class, "fs-xlarge") {
			t.Fatalf("settings not remembered across pages: %q", class)
		}
		// Register a resident; the form keeps what was typed on error.
		b.submit(map[string]string{"#full_name": "Анна Петрова", "#email": "anna@example.ru", "#password": "short", "#password2": "short"}, "main form button[type=submit]")
		if v := b.value("#email"); v != "anna@example.ru" {
			t.Fatalf("rejected form lost the e-mail: %q", v)
		}
		if s := b.text(".error-summary"); !strings.Contains(s, "не короче") {
			t.Fatalf("error summary = %q", s)
		}
		b.click("#consent")
		b.submit(map[string]string{"#password": "anna-password-2026", "#password2": "anna-password-2026"}, "main form button[type=submit]")
		if h := b.text("h1"); !strings.Contains(h, "Проверьте почту") {
			t.Fatalf("after registration h1 = %q", h)
		}
		msg := srv.Mail.WaitFor(t, "anna@example.ru", "Подтвердите", 30*time.Second)
		i := strings.Index(msg.Body, "/confirm?token=")
		if i < 0 {
			t.Fatalf("confirmation link not in mail:\n%s", msg.Body)
		}
		link := strings.Fields(msg.Body[i:])[0]
		b.visit(link)
		b.login("anna@example.ru", "anna-password-2026")
		b.visit("/account")
		if s := b.text("main"); !strings.Contains(s, "anna@example.ru") {
			t.Fatal("resident's account page does not show the e-mail")
		}
		b.submit(nil, "header form[action='/logout'] button")
		// Administrator: users and audit log.
		b.login("admin@vpyshma.demo", DemoPassword)
		b.visit("/admin")
		b.visit("/admin/users")
		b.visit("/admin/users/new")
		b.submit(map[string]string{"#email": "new.editor@vpyshma.demo", "#full_name": "Новый Редактор"}, "main form button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "роль") {
			t.Fatalf("missing role accepted: %q", s)
		}
		b.click(`input[name=role][value=editor]`)
		b.submit(nil, "main form button[type=submit]")
		b.visit("/admin/audit")
		if s := b.text("main table"); !strings.Contains(s, "new.editor@vpyshma.demo") {
			t.Fatalf("audit log lacks the account creation: %q", s)
		}
		b.visit("/accessibility")
		b.visit("/no-such-page")
		t.Logf("axe-core checked %d pages: %v", len(b.Checked), b.Checked)
	})
}

// value reads a form field's current value.
func (b *browser) value(sel string) string {
	b.t.Helper()
	return get(b, chromedp.Value(chromedp.CSS(sel)))
}
