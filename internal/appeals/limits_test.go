package appeals

import (
	"net/http"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// The probe stored a 3,000,014-character e-mail, a 3-million-character
// phone, megabytes of co-signers and an appeal received in year 1: each
// field now has a limit, and the receipt date a sensible range.
func TestAppealFieldLimitsAndDates(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		op := env.Client("appeals", auth.Operator)
		today := a.Today(env.Municipality)
		base := func() map[string]any {
			return map[string]any{
				"channel": "written", "received_at": today.AddDays(-1).String(),
				"author": map[string]any{"last_name": "Соколов", "first_name": "Андрей", "email": "sokolov@example.ru", "postal_address": "ул. Ленина, 1"},
				"text":   "Прошу отремонтировать подъезд.",
			}
		}
		author := func(k, v string) func(map[string]any) {
			return func(b map[string]any) { b["author"].(map[string]any)[k] = v }
		}
		cases := []struct {
			name, field string
			change      func(map[string]any)
			want        int
		}{
			{"ordinary", "", func(map[string]any) {}, http.StatusCreated},
			{"e-mail of 3,011 characters", "author.email", author("email", strings.Repeat("a", 3000)+"@example.ru"), 422},
			{"phone of 100,000 characters", "author.phone", author("phone", strings.Repeat("9", 100000)), 422},
			{"co-signer line of 4,000 characters", "cosigners", func(b map[string]any) { b["cosigners"] = []string{strings.Repeat("Иванов ", 600)} }, 422},
			{"received in year 1", "received_at", func(b map[string]any) { b["received_at"] = "0001-01-01" }, 422},
			{"received in 1900", "received_at", func(b map[string]any) { b["received_at"] = "1900-01-01" }, 422},
			{"received four years ago", "", func(b map[string]any) { b["received_at"] = today.AddDays(-4 * 365).String() }, http.StatusCreated},
		}
		for _, c := range cases {
			b := base()
			c.change(b)
			b["text"] = b["text"].(string) + " " + c.name // distinct texts: no repeated-submission catch
			r := op.API("POST", "/api/v1/appeals", b)
			if r.Status != c.want || (c.field != "" && !strings.Contains(r.Body, c.field)) {
				t.Errorf("%s: %d %.300s", c.name, r.Status, r.Body)
			}
		}
	})
}
