package appeals

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
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

// TestSubmitRedirectsAndCatchesRepeats: a submission answers with a
// redirect to its confirmation, so reloading the confirmation registers
// nothing; the same text to the same addressee by the same author within
// DuplicateWindow is shown as the appeal already registered.
func TestSubmitRedirectsAndCatchesRepeats(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := setup(t, d)
		env.Server()
		m := env.Municipality
		resident := env.Client("", auth.Resident)
		count := func() int {
			return dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals WHERE municipality_id = ? AND account_id = ?`, m.ID, resident.Account.ID)
		}
		tests := []struct {
			name      string
			text      string
			addressee string
			wantNew   bool
			wantNote  bool
		}{
			{"first submission", "Прошу убрать снег во дворе дома 5.", "administration", true, false},
			{"the same again (reloaded form, double click)", "Прошу убрать снег во дворе дома 5.", "administration", false, true},
			{"the same text to another addressee", "Прошу убрать снег во дворе дома 5.", "dept:" + strconv.FormatInt(env.Departments["housing"], 10), true, false},
			{"another text", "Прошу починить фонарь у дома 7.", "administration", true, false},
		}
		var first string
		for _, tt := range tests {
			before := count()
			r := resident.PostForm("/appeals", submitForm(url.Values{"text": {tt.text}, "addressee": {tt.addressee}}))
			loc := r.Header.Get("Location")
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/appeals/submitted/") {
				t.Fatalf("%s: %d %q", tt.name, r.Status, loc)
			}
			if got := count() - before; (got == 1) != tt.wantNew || got > 1 {
				t.Errorf("%s: %d appeals registered", tt.name, got)
			}
			page := resident.Get(loc)
			number := numberIn(t, page.Body)
			if first == "" {
				first = number
			}
			if tt.wantNote && (number != first || !strings.Contains(page.Body, "повторная отправка не создаёт нового обращения")) {
				t.Errorf("%s: the repeat is not shown as the first appeal %s: %s", tt.name, first, number)
			}
			// Reloading the confirmation registers nothing.
			n := count()
			for range 2 {
				if again := resident.Get(loc); again.Status != 200 {
					t.Fatalf("%s: reload %d", tt.name, again.Status)
				}
			}
			if count() != n {
				t.Errorf("%s: reloading the confirmation registered an appeal", tt.name)
			}
		}
		// Only the author sees the confirmation.
		if r := env.Client("", auth.Resident).Get("/appeals/submitted/" + url.PathEscape(first)); r.Status != 404 {
			t.Errorf("another resident's confirmation: %d", r.Status)
		}
	})
}
