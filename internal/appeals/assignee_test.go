package appeals

import (
	"context"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// The assignee's and the operator's names come from auth, for a page at
// once, and stay after the employee's account is disabled: the history of
// who handled an appeal does not change when someone leaves.
func TestStaffNamedAfterTheAccountIsDisabled(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		staff := env.Account("housing", auth.Editor)
		ap, err := a.Register(ctx, m, paper(a, env, "Фомин", a.Today(m)), Actor{Staff: true}, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE appeals SET assignee_id = ? WHERE id = ?`, staff.ID, ap.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE accounts SET disabled = TRUE WHERE id = ?`, staff.ID); err != nil {
			t.Fatal(err)
		}
		got, err := a.store.ByNumber(ctx, d, m.ID, ap.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Assignee != staff.FullName {
			t.Errorf("the appeal's assignee is %q, want %q", got.Assignee, staff.FullName)
		}
		// The hotline's journal names the operator who took a call the same way.
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return a.store.LogCall(ctx, tx, m.ID, ap.ID, staff.ID, "Уточнил срок ответа")
		}); err != nil {
			t.Fatal(err)
		}
		calls, err := a.store.RecentCalls(ctx, m.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != 1 {
			t.Fatalf("the call journal has %d calls, want 1", len(calls))
		}
		if calls[0].Operator != staff.FullName || calls[0].Number != ap.Number {
			t.Errorf("the call is journalled by %q on %q, want %q on %q", calls[0].Operator, calls[0].Number, staff.FullName, ap.Number)
		}
		list, _, err := a.store.List(ctx, m.ID, Filter{}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Assignee != staff.FullName {
			t.Errorf("the list of %d appeals does not name the assignee %q", len(list), staff.FullName)
		}
	})
}
