package appeals

import (
	"context"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestStatusLookupNumberSpellings: the status lookup finds an appeal by its
// number typed in any letter case, with spaces or another dash.
func TestStatusLookupNumberSpellings(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		ap, err := a.Register(ctx, m, paper(a, env, "Номеров", a.Today(m)), Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		lower := []rune(ap.Number)
		tests := []struct {
			name, typed string
			found       bool
		}{
			{"as issued", ap.Number, true},
			{"lower case", string([]rune("вп")) + string(lower[2:]), true},
			{"spaces around and inside", "  ВП - " + string(lower[3:7]) + " - " + string(lower[8:]) + " ", true},
			{"en dash", "ВП–" + string(lower[3:7]) + "–" + string(lower[8:]), true},
			{"em dash and lower case", "вп—" + string(lower[3:7]) + "—" + string(lower[8:]), true},
			{"another number", "ВП-1999-000001", false},
		}
		for _, tt := range tests {
			p, err := a.PublicStatus(ctx, m.ID, tt.typed, "+7 (912) 000-00-01")
			if tt.found && (err != nil || p.Number != ap.Number) {
				t.Errorf("%s (%q): %v, %v", tt.name, tt.typed, p.Number, err)
			}
			if !tt.found && err == nil {
				t.Errorf("%s (%q): found %s", tt.name, tt.typed, p.Number)
			}
		}
	})
}
