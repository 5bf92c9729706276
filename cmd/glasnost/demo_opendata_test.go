package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestOpendataDemo checks the open data a visitor of the demo sees: six or
// more datasets generated from the registers and one uploaded by hand, each
// listed in list.csv and the CKAN API with a version that downloads, the
// home page's mechanism 2 linked, and that loading the demo again makes no
// new version.
func TestOpendataDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		c := app.anonymous()
		var generated, uploaded, versions int
		if err := d.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM opendata_datasets WHERE generated = TRUE), (SELECT COUNT(*) FROM opendata_datasets WHERE generated = FALSE), (SELECT COUNT(*) FROM opendata_versions)`).Scan(&generated, &uploaded, &versions); err != nil {
			t.Fatal(err)
		}
		if generated < 6 || uploaded < 1 || versions < generated+uploaded {
			t.Fatalf("demo open data: %d generated, %d uploaded, %d versions", generated, uploaded, versions)
		}
		var responsible int64
		if err := d.QueryRow(ctx, `SELECT COALESCE(responsible_id, 0) FROM opendata_datasets WHERE code = 'sport_grounds'`).Scan(&responsible); err != nil || responsible == 0 {
			t.Errorf("the uploaded dataset has no responsible official: %v", err)
		}
		r := c.get("/opendata/list.csv")
		recs, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
		if err != nil || r.status != 200 {
			t.Fatalf("list.csv: %d %v", r.status, err)
		}
		if len(recs) != 2+generated+uploaded || recs[1][0] != "standardversion" {
			t.Fatalf("list.csv rows: %d", len(recs))
		}
		for _, rec := range recs[2:] {
			if !strings.HasPrefix(rec[0], "6606003385-") {
				t.Errorf("identifier %q", rec[0])
			}
		}
		var list struct {
			Success bool     `json:"success"`
			Result  []string `json:"result"`
		}
		if err := json.Unmarshal([]byte(c.get("/api/3/action/package_list").body), &list); err != nil || !list.Success || len(list.Result) != generated+uploaded {
			t.Fatalf("package_list: %+v %v", list, err)
		}
		for _, id := range list.Result {
			var show struct {
				Result struct {
					Resources []struct{ URL string } `json:"resources"`
				} `json:"result"`
			}
			if err := json.Unmarshal([]byte(c.get("/api/3/action/package_show?id="+id).body), &show); err != nil || len(show.Result.Resources) == 0 {
				t.Fatalf("package_show %s: %v", id, err)
			}
			path := strings.TrimPrefix(show.Result.Resources[0].URL, "http://localhost")
			if i := strings.Index(path, "/opendata/"); i >= 0 {
				path = path[i:]
			}
			f := c.get(path)
			if f.status != 200 {
				t.Errorf("%s: %d", path, f.status)
			}
			recs, err := csv.NewReader(strings.NewReader(f.body)).ReadAll()
			// Every register of the demo has rows; the appeals statistics
			// only once a quarter has ended since the demo's appeals began.
			if err != nil || (len(recs) < 2 && !strings.HasSuffix(id, "-appeals_statistics")) {
				t.Errorf("%s: %d records, %v", path, len(recs), err)
			}
			if p := c.get("/opendata/" + id); p.status != 200 {
				t.Errorf("page of %s: %d", id, p.status)
			}
		}
		if home := c.get("/"); !strings.Contains(home.body, `href="/opendata"`) {
			t.Error("the home page does not link open data")
		}
		if err := loadDemo(ctx, app.App); err != nil {
			t.Fatal(err)
		}
		var again int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM opendata_versions`).Scan(&again); err != nil {
			t.Fatal(err)
		}
		if again != versions {
			t.Fatalf("loading the demo twice made versions: %d → %d", versions, again)
		}
	})
}
