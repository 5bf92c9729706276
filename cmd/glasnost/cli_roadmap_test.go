package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/tenant"
)

const (
	roadmapSeed    = "../../internal/roadmap/testdata/roadmap-verkhnyaya-pyshma-2018.txt"
	roadmapDOCX    = "../../internal/roadmap/testdata/roadmap-2018.docx"
	roadmapDOCXRow = "../../internal/roadmap/testdata/roadmap-2018-headings.docx"
	roadmapSummary = "../../internal/roadmap/testdata/roadmap-2018-summary.json"
)

type roadmapImportSummary struct {
	Mechanisms int      `json:"mechanisms"`
	Measures   int      `json:"measures"`
	Unparsed   []string `json:"unparsed"`
	Items      []struct {
		Number   string `json:"number"`
		Schedule struct {
			Kind string `json:"kind"`
		} `json:"schedule"`
	} `json:"items"`
}

// The seed and its DOCX version import whole from the command line, and a
// dry run prints the same summary without touching the database.
func TestCLIRoadmapImport(t *testing.T) {
	golden, err := os.ReadFile(roadmapSummary)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{roadmapSeed, roadmapDOCX, roadmapDOCXRow} {
		out, err := runCLI(t, dbtest.URL(t, db.SQLite), "", "roadmap", "import", "--file", file, "--dry-run")
		if err != nil {
			t.Fatalf("dry run of %s: %v %s", file, err, out)
		}
		var s roadmapImportSummary
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", file, err, out)
		}
		if s.Mechanisms != 10 || s.Measures != 33 || len(s.Unparsed) != 0 || len(s.Items) != 33 {
			t.Errorf("%s: %d mechanisms, %d measures, unparsed %q", file, s.Mechanisms, s.Measures, s.Unparsed)
		}
		for _, it := range s.Items {
			if it.Schedule.Kind == "unparsed" {
				t.Errorf("%s: measure %s unparsed", file, it.Number)
			}
		}
		if out != string(golden) {
			t.Errorf("%s: summary differs from %s", file, roadmapSummary)
		}
	}
	if _, err := runCLI(t, "x.db", "", "roadmap", "import"); err == nil || !strings.Contains(err.Error(), "--file") {
		t.Errorf("no --file: %v", err)
	}
	if _, err := runCLI(t, "x.db", "", "roadmap", "import", "--file", "no-such-file.docx", "--dry-run"); err == nil {
		t.Error("a missing file imported")
	}

	migratedCLI(t, func(t *testing.T, url string) {
		ctx := context.Background()
		d, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		ts := tenant.NewStore(d)
		m := tenant.Municipality{Slug: "vp", Name: "Городской округ Верхняя Пышма", TimeZone: "Asia/Yekaterinburg"}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := ts.Create(ctx, tx, &m); err != nil {
				return err
			}
			_, err := ts.EnsureDepartment(ctx, tx, m.ID, "affairs", "Управление делами")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		count := func(q string) int {
			var n int
			if err := d.QueryRow(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if out, err := runCLI(t, url, "", "roadmap", "import", "--file", roadmapDOCX, "--dry-run"); err != nil || count(`SELECT COUNT(*) FROM roadmaps`) != 0 {
			t.Fatalf("dry run saved: %v %s", err, out)
		}
		out, err := runCLI(t, url, "", "roadmap", "import", "--file", roadmapSeed, "--municipality", "vp")
		if err != nil || out != string(golden) {
			t.Fatalf("import: %v\n%s", err, out)
		}
		if n := count(`SELECT COUNT(*) FROM roadmap_measures`); n != 33 {
			t.Errorf("%d measures stored", n)
		}
		if n := count(`SELECT COUNT(*) FROM roadmap_units WHERE department_id IS NOT NULL`); n != 14 {
			t.Errorf("%d units mapped to «Управление делами», want 14", n)
		}
		if n := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'roadmap.import' AND actor = 'командная строка'`); n != 1 {
			t.Errorf("%d audit records", n)
		}
		if _, err := runCLI(t, url, "", "roadmap", "import", "--file", roadmapSeed, "--municipality", "nowhere"); err == nil {
			t.Error("imported into a municipality that does not exist")
		}
	})
}
