package consult

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestBlockNamesTheAccountOfTheAddress: blocking an address that has an
// account blocks the account too (whatever case the moderator typed);
// an address without one is blocked as an address.
func TestBlockNamesTheAccountOfTheAddress(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := newArea(t, d)
		resident := env.Account("", auth.Resident)
		mod := env.Client("", auth.Administrator)
		for _, email := range []string{strings.ToUpper(resident.Email), "stranger@example.ru"} {
			if r := mod.PostForm("/admin/consult/blocks", url.Values{"email": {email}, "reason": {"Оскорбления в комментариях"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("block %s: %d %s", email, r.Status, r.Body)
			}
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM consult_blocks WHERE account_id = ?`, resident.ID); n != 1 {
			t.Errorf("blocks naming the resident's account: %d", n)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM consult_blocks WHERE account_id IS NULL OR account_id = 0`); n != 1 {
			t.Errorf("blocks of an address without an account: %d", n)
		}
	})
}
