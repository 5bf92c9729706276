package main

// Two `glasnost serve` processes on one PostgreSQL database behave as one
// portal: a change saved through one is seen through the other within a
// second (the page cache hears it through LISTEN/NOTIFY), a session made on
// one works on the other, and periodic jobs run on one leader only.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

func TestTwoNodesOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary twice")
	}
	if dbtest.PostgresURL(t) == "" {
		t.Skip("no PostgreSQL")
	}
	bin := buildBinary(t)
	dbURL := dbtest.URL(t, db.Postgres)
	mail := webtest.StartMailServer(t).Addr
	addrA, addrB := freePort(t), freePort(t)
	dataDir := t.TempDir() // the files folder both nodes share
	env := func(addr string) []string {
		return append(os.Environ(), "GLASNOST_DATA_DIR="+dataDir, "GLASNOST_DATABASE_URL="+dbURL, "GLASNOST_BASE_URL=http://"+addr,
			fmt.Sprintf("GLASNOST_SMTP_URL=smtp://%s?from=portal@glasnost.test", mail))
	}
	mig := exec.Command(bin, "migrate")
	mig.Env = env(addrA)
	if out, err := mig.CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	a := startGlasnost(t, bin, env(addrA), addrA, filepath.Join(t.TempDir(), "a.log"), "--demo")
	b := startGlasnost(t, bin, env(addrB), addrB, filepath.Join(t.TempDir(), "b.log"))
	ctx := context.Background()
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	// Node B holds /news in its page cache.
	warm(t, b.base, "/news")

	// A session made on A works on B: the sessions live in the database.
	jar, _ := cookiejar.New(nil)
	staff := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	postForm := func(base, path string, v url.Values) int {
		resp, err := staff.PostForm(base+path, v)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := postForm(a.base, "/login", url.Values{"email": {"admin@vpyshma.demo"}, "password": {DemoPassword}}); st != http.StatusSeeOther {
		t.Fatalf("login on A: %d", st)
	}
	resp, err := staff.Get(b.base + "/admin/site/news")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the session made on A does not work on B: %d", resp.StatusCode)
	}

	// A change saved through A is seen through B within a second.
	var deptID int64
	if err := d.QueryRow(ctx, `SELECT MIN(id) FROM departments`).Scan(&deptID); err != nil {
		t.Fatal(err)
	}
	title := "Новость с узла А"
	if st := postForm(a.base, "/admin/site/news", url.Values{"title": {title}, "body": {"Текст."}, "department": {strconv.FormatInt(deptID, 10)}, "action": {"publish"}}); st != http.StatusSeeOther {
		t.Fatalf("publish news on A: %d", st)
	}
	saved := time.Now()
	for {
		page, _ := cachedGet(t, b.base, "/news")
		if strings.Contains(page, title) {
			break
		}
		if time.Since(saved) > time.Second {
			t.Fatalf("node B still serves /news without the news saved through A %v ago", time.Since(saved))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("B showed A's change %v after it was saved", time.Since(saved))

	// Periodic jobs: River elects one leader among the nodes, and only the
	// leader schedules them; each runs on start once, not once per node. The
	// election takes a few seconds on a loaded machine, so wait for the first
	// schedule, then give a second leader time to show itself.
	cleanups := func() int {
		return dbtest.Count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'session_cleanup'`)
	}
	for waited := time.Now(); cleanups() == 0; time.Sleep(200 * time.Millisecond) {
		if time.Since(waited) > 60*time.Second {
			t.Fatal("no node scheduled the hourly session clean-up within a minute")
		}
	}
	time.Sleep(3 * time.Second)
	if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM river_leader`); n != 1 {
		t.Errorf("%d queue leaders, want 1", n)
	}
	if n := cleanups(); n != 1 {
		t.Errorf("the hourly session clean-up was scheduled %d times by two nodes, want 1", n)
	}
}
