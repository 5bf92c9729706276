package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// lighthousePages are the main public pages, which must pass Lighthouse's
// best-practices and SEO audits in full: what browsers and search engines
// expect of a page (no console errors, a description, link texts, a valid
// robots.txt, a lang, a viewport, …).
var lighthousePages = []string{"/", "/news", "/acts", "/consultations", "/appeals", "/opendata"}

func lighthousePath() string {
	if p := os.Getenv("GLASNOST_LIGHTHOUSE"); p != "" {
		return p
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", ".ci", "node_modules", ".bin", "lighthouse")
}

// lighthouseReport is the part of Lighthouse's JSON report the test reads.
type lighthouseReport struct {
	Categories map[string]struct {
		Score     *float64 `json:"score"`
		AuditRefs []struct {
			ID     string  `json:"id"`
			Weight float64 `json:"weight"`
		} `json:"auditRefs"`
	} `json:"categories"`
	Audits map[string]struct {
		Title            string   `json:"title"`
		Score            *float64 `json:"score"`
		ScoreDisplayMode string   `json:"scoreDisplayMode"`
	} `json:"audits"`
	RuntimeError *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"runtimeError"`
}

// failing lists the category's audits that count towards its score and
// did not pass.
func (r lighthouseReport) failing(category string) []string {
	var out []string
	for _, ref := range r.Categories[category].AuditRefs {
		a, ok := r.Audits[ref.ID]
		if !ok || ref.Weight == 0 || a.Score == nil || *a.Score >= 1 {
			continue
		}
		out = append(out, fmt.Sprintf("%s (%s, score %.2f)", ref.ID, a.Title, *a.Score))
	}
	sort.Strings(out)
	return out
}

// TestLighthouse boots the portal with the demo and runs Lighthouse (npm,
// .ci/package.json) with Debian's Chromium on each main public page: the
// best-practices and SEO scores must be 1.0, or the failing audits are
// listed. Without CI=true a missing tool skips; under CI it fails.
func TestLighthouse(t *testing.T) {
	if testing.Short() {
		t.Skip("Lighthouse is not short")
	}
	lh, chromium := lighthousePath(), chromiumPath()
	requireTool(t, "lighthouse", lh)
	requireTool(t, "Chromium", chromium)
	app := newTestApp(t, dbtest.Open(t, db.SQLite))
	// Lighthouse treats localhost as a secure origin, as browsers do.
	base := strings.Replace(app.server.URL, "127.0.0.1", "localhost", 1)
	for _, page := range lighthousePages {
		t.Run(strings.Trim(strings.ReplaceAll(page, "/", "_"), "_")+"_", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, lh, base+page, "--only-categories=best-practices,seo", "--output=json", "--output-path=stdout",
				"--quiet", "--chrome-flags=--headless --no-sandbox --disable-gpu")
			cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("lighthouse %s: %v\n%s", page, err, stderr.String())
			}
			var rep lighthouseReport
			if err := json.Unmarshal(out, &rep); err != nil {
				t.Fatalf("lighthouse report of %s: %v", page, err)
			}
			if rep.RuntimeError != nil && rep.RuntimeError.Code != "" {
				t.Fatalf("lighthouse %s: %s %s", page, rep.RuntimeError.Code, rep.RuntimeError.Message)
			}
			for _, c := range []string{"best-practices", "seo"} {
				cat, ok := rep.Categories[c]
				if !ok || cat.Score == nil {
					t.Errorf("%s: no %s score", page, c)
					continue
				}
				if *cat.Score < 1 {
					t.Errorf("%s: %s score %.2f; failing: %s", page, c, *cat.Score, strings.Join(rep.failing(c), "; "))
				}
			}
		})
	}
}
