package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchSmoke runs the load script at its smallest (scale 1, one second
// per page, four connections) so that it cannot rot: it must build, load
// the data, find every page, start nginx and both glasnost servers, and
// print a row for every page. The figures themselves are not checked.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the load script smoke run is not short")
	}
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
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "bench/run.sh", "--smoke")
	cmd.Dir = root
	// The script writes its table to bench/out; the test keeps the tree clean.
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "BENCH_OUT="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("bench/run.sh --smoke: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"| page | glasnost req/s | nginx req/s |", "peak resident memory"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, page := range []string{"home", "act", "consultation", "appeals-report", "search"} {
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
