package media

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestDemoIsCompleteAndIdempotent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		useClock(d, time.Date(2026, 5, 14, 6, 0, 0, 0, time.UTC)) // a Thursday
		env, a := newArea(t, d)
		for i := 0; i < 2; i++ {
			if err := a.Demo(ctx, env.Municipality); err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM media_plans WHERE approved_at IS NOT NULL`:           1,
			`SELECT COUNT(*) FROM media_sources WHERE failures = 0`:                    3,
			`SELECT COUNT(*) FROM media_week_reports WHERE week_start = '2026-05-04'`:  1,
			`SELECT COUNT(*) FROM media_digests WHERE week_start = '2026-05-04'`:       1,
			`SELECT COUNT(DISTINCT status) FROM media_requests`:                        6,
			`SELECT COUNT(*) FROM media_requests WHERE published = TRUE`:               1,
			`SELECT COUNT(*) FROM public_events WHERE kind = 'media.plan_approved'`:    1,
			`SELECT COUNT(*) FROM public_events WHERE kind = 'media.week_controlled'`:  1,
			`SELECT COUNT(*) FROM public_events WHERE kind = 'media.digest_published'`: 1,
			`SELECT COUNT(*) FROM public_events WHERE kind = 'media.request_answered'`: 1,
			`SELECT COUNT(*) FROM media_plan_items WHERE week_start = '2026-05-11'`:    3,
			`SELECT COUNT(*) FROM media_mentions WHERE tonality = ''`:                  2,
			`SELECT COUNT(*) FROM media_mentions WHERE title LIKE 'Погода%'`:           0,
			`SELECT COUNT(*) FROM media_mentions WHERE republished > 0`:                1,
		} {
			if n := count(t, d, q); n != want {
				t.Errorf("%s = %d, want %d", q, n, want)
			}
		}
		// The demo's feeds are served by the portal itself and parse.
		r := env.Anonymous().Get("/media/demo-feeds/pyshma-online.atom")
		if r.Status != http.StatusOK {
			t.Fatalf("demo feed: %d", r.Status)
		}
		if _, entries, err := ParseFeed([]byte(r.Body)); err != nil || len(entries) != 3 {
			t.Errorf("demo feed parses: %v %d", err, len(entries))
		}
		if r := env.Anonymous().Get("/media"); !strings.Contains(r.Body, "Утверждён актом № 12-р") || !strings.Contains(r.Body, "14,2 км") {
			t.Errorf("press centre lacks the demo")
		}
	})
}
