package consult

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/portal"
)

// TestSummaryShowsGroupTurnout checks that the summary counts, per
// reference group, the members who left a published comment, without
// their names.
func TestSummaryShowsGroupTurnout(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.Server()
		c := seed(t, env, a, KindDiscussion, testDraft)
		anna := env.Account("", auth.Resident)
		boris := env.Account("", auth.Resident)
		vera := env.Account("", auth.Resident)
		silent := env.Account("", auth.Resident)
		env.Portal.Add(portal.Contribution{Name: "groups", Groups: fakeGroups{[]portal.GroupMember{
			{AccountID: anna.ID, GroupID: 1, Group: "Советы домов", Name: "Анна Тайная", Email: anna.Email},
			{AccountID: boris.ID, GroupID: 1, Group: "Советы домов", Name: "Борис Тайный", Email: boris.Email},
			{AccountID: silent.ID, GroupID: 1, Group: "Советы домов", Name: "Молчун", Email: silent.Email},
			{AccountID: anna.ID, GroupID: 2, Group: "Городская среда", Name: "Анна Тайная", Email: anna.Email},
			{GroupID: 2, Group: "Городская среда", Name: "ТСЖ «Берёзка»", Email: "Tsj@example.ru"},
			{AccountID: silent.ID, GroupID: 3, Group: "Культура", Name: "Молчун", Email: silent.Email},
		}}})
		vs, err := a.Store.Versions(ctx, d, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		add := func(acc int64, email, status string) {
			cm := Comment{MunicipalityID: c.MunicipalityID, ConsultationID: c.ID, VersionID: vs[0].ID, AuthorKind: AuthorResident, AccountID: acc, Email: email,
				AuthorName: "Автор", Body: "Предложение по уборке дворов и тротуаров.", Status: status, QuoteStart: -1, QuoteEnd: -1}
			if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.AddComment(ctx, tx, &cm) }); err != nil {
				t.Fatal(err)
			}
		}
		add(anna.ID, anna.Email, StatusPublished)
		add(anna.ID, anna.Email, StatusPublished) // twice: still one member
		add(boris.ID, boris.Email, StatusPublished)
		add(vera.ID, vera.Email, StatusPublished)    // not in a group
		add(silent.ID, silent.Email, StatusRejected) // rejected: not counted
		add(0, "tsj@example.ru", StatusPublished)    // the organisation, by address
		full, err := a.Store.Get(ctx, d, c.MunicipalityID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.groupTurnout(ctx, full)
		if err != nil {
			t.Fatal(err)
		}
		want := []GroupTurnout{{"Городская среда", 2}, {"Советы домов", 2}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("turnout %v, want %v", got, want)
		}
		if _, err := d.Exec(ctx, `UPDATE consultations SET results_published_at = ? WHERE id = ?`, d.Now(), c.ID); err != nil {
			t.Fatal(err)
		}
		r := env.Anonymous().Get(fmt.Sprintf("/consultations/%d/summary", c.ID))
		if r.Status != http.StatusOK {
			t.Fatalf("summary: %d", r.Status)
		}
		mustContain(t, r.Body, "summary", "Участие референтных групп", "<th scope=\"row\">Советы домов</th><td>2</td>", "<th scope=\"row\">Городская среда</th><td>2</td>")
		for _, secret := range []string{"Тайн", "Молчун", "Берёзка", "Культура"} {
			if strings.Contains(r.Body, secret) {
				t.Errorf("the summary shows %q", secret)
			}
		}
	})
}
