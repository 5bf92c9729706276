package main

import (
	"context"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
)

// TestAreasDeclareTheEventsTheyWrite loads every area's demo and checks
// that each event kind in the record is declared by the area contributions
// (so the roadmap can tell a measure with a tool from one without), and
// that every declared kind is one of the kernel's typed kinds.
func TestAreasDeclareTheEventsTheyWrite(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		declared := app.Portal.Evidence()
		for k := range declared {
			if !events.Known(k) {
				t.Errorf("an area declares the unknown event kind %q", k)
			}
		}
		rows, err := d.Query(context.Background(), `SELECT DISTINCT kind FROM public_events`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var k events.Kind
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			n++
			if !declared[k] {
				t.Errorf("the demo wrote %q, which no area declares in its contribution", k)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("the demo wrote no public events")
		}
		for _, c := range app.Portal.All() {
			if c.Name == "" {
				t.Errorf("a contribution without a name: %+v", c)
			}
		}
	})
}
