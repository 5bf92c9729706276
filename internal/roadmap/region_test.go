package roadmap

import (
	"context"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/portal"
)

// TestRegionAgreesWithThePlanPage: the regional figures of the demo plan,
// with events for some of its rules, are the plan page's tally.
func TestRegionAgreesWithThePlanPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		env.Portal.Add(a.Contribution())
		p := loadDemo(t, env, a)
		ctx := context.Background()
		full, err := a.Store.Get(ctx, env.Municipality.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, k := range RuleKinds(&full) {
			if n++; n%2 == 0 {
				continue // leave some rules without evidence
			}
			if _, err := d.Exec(ctx, `INSERT INTO public_events (municipality_id, kind, object_type, object_id, title, url, occurred_at) VALUES (?, ?, 'x', '1', 'Событие', '/x', ?)`,
				env.Municipality.ID, string(k), fixedNow.Add(-48*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		own, today, err := a.progress(ctx, env.Municipality, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		figs, err := a.region(ctx, deadline.DateOf(today), deadline.DateOf(today), deadline.DateOf(today))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, f := range figs {
			if f.MunicipalityID != env.Municipality.ID {
				t.Errorf("a figure of municipality %d", f.MunicipalityID)
			}
			got[f.Key] = f.Value
		}
		total := 0
		for _, s := range Statuses {
			total += own.Tally.Of(s)
		}
		if got[portal.RegionMeasures] != total || got[portal.RegionMeasuresDone] != own.Tally.Done() || got[portal.RegionMeasuresOverdue] != own.Tally.Of(StatusOverdue) {
			t.Errorf("region %v; the plan's page: %d measures, %d done, %d overdue", got, total, own.Tally.Done(), own.Tally.Of(StatusOverdue))
		}
		if own.Tally.Done() == 0 || total < 10 {
			t.Errorf("the demo plan proves little: %d measures, %d done", total, own.Tally.Done())
		}
	})
}
