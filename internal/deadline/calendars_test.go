package deadline_test

import (
	"context"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
)

// TestCalendarsTermEnd: the municipality's setting is stored, read back
// through For (so that every area counting terms gets it) and is the
// preceding working day until an administrator chooses otherwise.
func TestCalendarsTermEnd(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var mun, other int64
		for _, p := range []struct {
			slug string
			id   *int64
		}{{"a", &mun}, {"b", &other}} {
			if err := d.WriteRow(ctx, `INSERT INTO municipalities (slug, name, time_zone, created_at) VALUES (?, ?, 'UTC', ?) RETURNING id`, p.slug, p.slug, d.Now()).Scan(p.id); err != nil {
				t.Fatal(err)
			}
		}
		cals, err := deadline.NewCalendars(d)
		if err != nil {
			t.Fatal(err)
		}
		answer := deadline.DefaultRules().Answer
		registered := day(2026, time.May, 22) // 30 days: Sunday 21 June 2026
		tests := []struct {
			name string
			set  *deadline.TermEnd
			want deadline.Date
		}{
			{"never set: the preceding working day", nil, day(2026, time.June, 19)},
			{"article 193 chosen", ptr(deadline.NextWorkingDay), day(2026, time.June, 22)},
			{"back to the default", ptr(deadline.PrecedingWorkingDay), day(2026, time.June, 19)},
		}
		for _, tt := range tests {
			if tt.set != nil {
				if err := d.InTx(ctx, func(tx *db.Tx) error { return cals.SetTermEnd(ctx, tx, mun, *tt.set) }); err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
			}
			cal, err := cals.For(ctx, mun)
			if err != nil {
				t.Fatal(err)
			}
			if got := cal.Due(registered, answer); got != tt.want {
				t.Errorf("%s: Due = %s, want %s", tt.name, got, tt.want)
			}
			stored, err := cals.TermEnd(ctx, mun)
			if err != nil {
				t.Fatal(err)
			}
			if tt.set != nil && stored != *tt.set {
				t.Errorf("%s: stored %v", tt.name, stored)
			}
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return cals.SetTermEnd(ctx, tx, mun, deadline.NextWorkingDay) }); err != nil {
			t.Fatal(err)
		}
		cal, err := cals.For(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		if got := cal.Due(registered, answer); got != day(2026, time.June, 19) {
			t.Errorf("another municipality's setting leaked: Due = %s", got)
		}
	})
}

func ptr[T any](v T) *T { return &v }
