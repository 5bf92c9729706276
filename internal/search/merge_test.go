package search

import (
	"context"
	"fmt"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestMergeLeavesOneSegmentAndLosesNothing: documents published one at a
// time leave SQLite's full-text index in many segments, each of which every
// query word is looked up in; Merge folds them into one, and every document
// is still found. On PostgreSQL Merge has nothing to do and must not fail.
func TestMergeLeavesOneSegmentAndLosesNothing(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mun := municipality(t, d, "merge")
		for i := range 40 {
			put(t, d, Doc{MunicipalityID: mun, Type: "news", ObjectID: fmt.Sprint(i), Title: fmt.Sprintf("Благоустройство двора %d", i),
				Body: "Ремонт детской площадки.", URL: fmt.Sprintf("/news/%d", i), PublishedAt: day})
		}
		// Replaced and removed documents leave deleted rows in the index.
		put(t, d, Doc{MunicipalityID: mun, Type: "news", ObjectID: "0", Title: "Благоустройство двора 0", Body: "Ремонт детских площадок.", URL: "/news/0", PublishedAt: day})
		remove(t, d, mun, "news", "39")
		put(t, d, Doc{MunicipalityID: mun, Type: "news", ObjectID: "39", Title: "Благоустройство двора 39", Body: "Ремонт детской площадки.", URL: "/news/39", PublishedAt: day})
		segments := func() int {
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(DISTINCT segid) FROM search_fts_idx`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := 0
		if d.Dialect == db.SQLite {
			if before = segments(); before < 2 {
				t.Fatalf("40 transactions left %d segments; the test needs several", before)
			}
		}
		if err := Merge(ctx, d); err != nil {
			t.Fatal(err)
		}
		// Again, on an index already in one segment: the hourly job's usual
		// case, which must return at once.
		if err := Merge(ctx, d); err != nil {
			t.Fatal(err)
		}
		if d.Dialect == db.SQLite {
			if after := segments(); after != 1 {
				t.Errorf("segments: %d before the merge, %d after; want 1", before, after)
			}
		}
		r, err := Search(ctx, d, Query{MunicipalityID: mun, Text: "площадок"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 40 {
			t.Errorf("after the merge %d documents are found, want 40", r.Total)
		}
	})
}
