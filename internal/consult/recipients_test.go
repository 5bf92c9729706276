package consult

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/notify"
)

// Followers of a consultation's spheres and its signed-in participants are
// told of it only while their account may be written to: auth decides that,
// and gives the address, for all of them in one query.
func TestRecipientsAreWrittenToOnlyWhileTheirAccountIsOpen(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.Server() // builds the job queue client that seed enqueues with
		c := seed(t, env, a, KindDiscussion, testDraft)
		subs := notify.NewSubscriptions(d)
		follower, disabled, elsewhere := env.Account("", auth.Resident), env.Account("", auth.Resident), env.Account("", auth.Resident)
		for _, acc := range []auth.Account{follower, disabled} {
			if err := subs.Set(ctx, acc.ID, c.SphereIDs()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.Exec(ctx, `UPDATE accounts SET disabled = TRUE WHERE id = ?`, disabled.ID); err != nil {
			t.Fatal(err)
		}
		// A resident who commented while signed in is a participant; auth
		// gives the address of the account.
		commenter := env.Client("", auth.Resident)
		if r := commenter.API("POST", fmt.Sprintf("/api/v1/consultations/%d/comments", c.ID), map[string]any{"text": "Прошу уточнить сроки уборки."}); r.Status != http.StatusCreated {
			t.Fatalf("comment: %d %s", r.Status, r.Body)
		}
		to, err := a.Recipients(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(to, follower.Email) {
			t.Errorf("a follower of the sphere is not told: %v", to)
		}
		if !slices.Contains(to, commenter.Account.Email) {
			t.Errorf("a participant who commented signed in is not told: %v", to)
		}
		if slices.Contains(to, disabled.Email) || slices.Contains(to, elsewhere.Email) {
			t.Errorf("a disabled account or one following nothing is told: %v", to)
		}
	})
}
