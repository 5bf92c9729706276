package consult

import (
	"context"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// Each generated consultation is published, open and carries exactly
// GeneratedComments published comments, counted per point as the page
// counts them; its title lets the load script find it.
func TestGenerate(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		env.Server() // builds the job queue that publishing inserts into
		ctx := context.Background()
		people := DemoPeople{Lawyer: env.Account("legal", auth.Lawyer).ID}
		if err := a.Generate(ctx, env.Municipality, 2, people); err != nil {
			t.Fatal(err)
		}
		cs, total, err := a.Store.List(ctx, env.Municipality.ID, Filter{}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 {
			t.Fatalf("%d consultations, want 2", total)
		}
		for _, c := range cs {
			if !c.Published() || !strings.Contains(c.Title, "1000 комментариев") {
				t.Errorf("%q: published %v", c.Title, c.Published())
			}
			_, n, err := a.Store.Comments(ctx, c.ID, CommentFilter{Statuses: []string{StatusPublished}}, 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n != GeneratedComments {
				t.Errorf("%q: %d published comments, want %d", c.Title, n, GeneratedComments)
			}
			counts, err := a.Store.PointCounts(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, v := range counts {
				sum += v
			}
			if sum != GeneratedComments {
				t.Errorf("%q: point counts add up to %d, want %d", c.Title, sum, GeneratedComments)
			}
		}
	})
}
