package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// requireBenchTools skips the test when wrk or nginx is missing, and fails
// it under CI, where the load scripts must run.
func requireBenchTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"wrk", "nginx"} {
		if _, err := exec.LookPath(tool); err != nil {
			if _, serr := os.Stat("/usr/sbin/" + tool); serr == nil {
				continue
			}
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed (apt-get install nginx-light wrk)", tool)
			}
			t.Skipf("%s is not installed: apt-get install nginx-light wrk to run the load script smoke test", tool)
		}
	}
}

// runBenchScript runs a load script from the repository's root and returns
// its standard output; its tables go to a temporary folder, not bench/out,
// so that the test keeps the tree clean.
func runBenchScript(t *testing.T, script string, args ...string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{script}, args...)...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "BENCH_OUT="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", script, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// TestBenchSmoke runs the load script at its smallest (scale 1, one second
// per page, four connections) so that it cannot rot: it must build, load
// the data, find every page, start nginx and both glasnost servers, and
// print a row for every page. The figures themselves are not checked.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the load script smoke run is not short")
	}
	requireBenchTools(t)
	out := runBenchScript(t, "bench/run.sh", "--smoke")
	for _, want := range []string{"| page | glasnost req/s | nginx req/s |", "peak resident memory"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, page := range []string{"home", "act", "consultation", "appeals", "appeals-report", "search"} {
		row := ""
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "| "+page+" |") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("no row for page %s (a non-2xx answer marks the row):\n%s", page, out)
			continue
		}
		if cells := strings.Split(strings.Trim(row, "|"), "|"); len(cells) != 9 {
			t.Errorf("row for %s has %d cells, want 9: %s", page, len(cells), row)
		}
	}
}

// TestBenchScalesSmoke runs the script that measures the pages at two
// scales in one run at its smallest (scale 1 against 2, one round of one
// second): it must load both demos, start both portals, sign in, find
// every page on each and print a ratio for every page.
func TestBenchScalesSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the load script smoke run is not short")
	}
	requireBenchTools(t)
	// Its own ports and folders; the figures are not checked.
	t.Parallel()
	out := runBenchScript(t, "bench/scales.sh", "--smoke")
	if !strings.Contains(out, "| page | req/s scale 1 (median) | scale 2 (median) | ratio | ratio per round |") {
		t.Errorf("output lacks the table's header:\n%s", out)
	}
	for _, page := range []string{"home", "act", "consultation", "appeals", "appeals-report", "search"} {
		row := ""
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "| "+page+" |") {
				row = line
			}
		}
		cells := strings.Split(strings.Trim(row, "|"), "|")
		if len(cells) != 5 {
			t.Errorf("no row of 5 cells for page %s:\n%s", page, out)
			continue
		}
		for _, c := range cells[1:3] {
			if n, err := strconv.Atoi(strings.TrimSpace(c)); err != nil || n <= 0 {
				t.Errorf("page %s was not measured at both scales (a failed measure reads 0): %s", page, row)
			}
		}
	}
}

// TestBenchRegionSmoke runs the region load script at its smallest (the
// demo and three municipalities, two nodes behind nginx, one second per
// page, four connections) on a fresh PostgreSQL schema of its own: it must
// load the municipalities, start both nodes and nginx, spread the load over
// every municipality's host name and both nodes with no failed request, and
// print a row for every page with and without the page cache.
func TestBenchRegionSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the region load script smoke run is not short")
	}
	requireBenchTools(t)
	if dbtest.PostgresURL(t) == "" {
		t.Skip("no PostgreSQL (set GLASNOST_TEST_POSTGRES_URL)")
	}
	out := runBenchScript(t, "bench/region.sh", "--postgres", dbtest.URL(t, db.Postgres), "--smoke")
	for _, want := range []string{"| page | cache | region req/s |", "carried 4 of the 4 municipalities' host names", "All requests answered 2xx; both nodes served."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, cache := range []string{"cached", "uncached"} {
		for _, page := range []string{"home", "acts", "news"} {
			if !strings.Contains(out, "| "+page+" | "+cache+" |") {
				t.Errorf("no %s row for page %s:\n%s", cache, page, out)
			}
		}
		// Both nodes served part of the region's load.
		for _, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, cache+": node A served ") {
				continue
			}
			f := strings.Fields(line)
			a, _ := strconv.Atoi(f[4])
			b, _ := strconv.Atoi(strings.TrimSuffix(f[12], ";"))
			if a == 0 || b == 0 {
				t.Errorf("a node served nothing: %s", line)
			}
		}
	}
}
