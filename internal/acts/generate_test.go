package acts

import (
	"context"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// The generator makes published, indexed acts, and a second run adds more
// rather than colliding with the first (act numbers continue).
func TestGenerate(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		m := env.Municipality
		for run, want := range []int{1200, 1250} {
			n := []int{1200, 50}[run]
			if err := a.Generate(ctx, m, n, uint64(run)); err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			if got := count(t, d, `SELECT COUNT(*) FROM acts WHERE municipality_id = ? AND published`, m.ID); got != want {
				t.Errorf("run %d: %d published acts, want %d", run, got, want)
			}
			if got := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE municipality_id = ? AND type = 'act'`, m.ID); got != want {
				t.Errorf("run %d: %d acts indexed, want %d", run, got, want)
			}
		}
		if got := count(t, d, `SELECT COUNT(*) FROM public_events WHERE municipality_id = ? AND kind = 'act.published'`, m.ID); got != 1250 {
			t.Errorf("%d act.published events, want 1250", got)
		}
	})
}
