package consult

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
)

// Residents were promised a period for comments. Ending it early needs a
// reason; the refusal keeps the person on the form; the summary then states
// the day the discussion really closed, the announced end and the reason.
func TestEarlyEndNeedsAReasonAndTheSummaryTellsTheRealDates(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		lawyer := env.Client("legal", auth.Lawyer)
		today := a.today(env.Municipality)
		r := lawyer.PostForm("/admin/consultations", url.Values{"kind": {"discussion"}, "title": {"Правила содержания кошек"}, "summary": {"Кошки во дворах"},
			"department": {fmt.Sprint(env.Departments["housing"])}, "spheres": {fmt.Sprint(env.Spheres["housing"])}, "start": {today.AddDays(-1).String()},
			"body": {testDraft}})
		id := idFromLocation(t, r, "/admin/consultations/")
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/publish", id), url.Values{"action": {"publish"}}), 303, "publish")
		c, err := a.Store.Get(context.Background(), d, env.Municipality.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		_, announced := OpenPeriod(c.Periods)
		if !today.Before(announced) {
			t.Fatalf("the discussion should still run after today (%s), it ends %s", today, announced)
		}

		// No reason: the same page, the message beside the reason field, the stage unchanged.
		refused := lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/stage", id), url.Values{"stage": {"summary"}})
		mustStatus(t, refused, http.StatusUnprocessableEntity, "early end without a reason")
		mustContain(t, refused.Body, "early end without a reason", `id="early_reason-error"`, "Приём замечаний объявлен до "+announced.Russian(), "Перевести на этап")
		if c, _ = a.Store.Get(context.Background(), d, env.Municipality.ID, id); c.Stage != StageDiscussion {
			t.Fatalf("the stage changed to %s without a reason", c.Stage)
		}
		api := lawyer.API("POST", fmt.Sprintf("/api/v1/consultations/%d/stage", id), map[string]any{"stage": "summary"})
		mustStatus(t, api, http.StatusUnprocessableEntity, "API early end without a reason")
		mustContain(t, api.Body, "API early end without a reason", earlyReasonCode)

		// With a reason: closed today, audited, and the summary says so.
		reason := "Проект отозван разработчиком для доработки"
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/stage", id), url.Values{"stage": {"summary"}, "early_reason": {reason}}), 303, "early end with a reason")
		if c, _ = a.Store.Get(context.Background(), d, env.Municipality.ID, id); c.Stage != StageSummary || c.ClosedEarlyOn != today || c.ClosedEarlyReason != reason {
			t.Fatalf("after the early end: stage %s, closed %s, reason %q", c.Stage, c.ClosedEarlyOn, c.ClosedEarlyReason)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'consultation.closed_early' AND entity_id = ?`, fmt.Sprint(id)); n != 1 {
			t.Errorf("%d audit entries of the early end, want 1", n)
		}
		mustStatus(t, lawyer.PostForm(fmt.Sprintf("/admin/consultations/%d/results", id), nil), 303, "results")
		sum := env.Anonymous().Get(fmt.Sprintf("/consultations/%d/summary", id))
		mustContain(t, sum.Body, "summary", "по "+today.Russian()+" (было объявлено до "+announced.Russian()+")",
			"Приём замечаний завершён досрочно "+today.Russian()+". Причина: "+reason+".")
	})
}

// endsEarly is the rule: only leaving the last open stage before the last
// announced day counts, in the order of the procedure.
func TestEndsEarly(t *testing.T) {
	d := func(y, m, dd int) deadline.Date { return deadline.NewDate(y, time.Month(m), dd) }
	c := Consultation{Stage: StageDiscussion, Periods: []Period{{StagePublished, d(2026, 3, 1), d(2026, 3, 1)}, {StageDiscussion, d(2026, 3, 2), d(2026, 3, 16)}, {StageSummary, d(2026, 3, 17), d(2026, 3, 23)}}}
	published := c
	published.Stage = StagePublished
	summary := c
	summary.Stage = StageSummary
	for _, tc := range []struct {
		name  string
		c     Consultation
		to    Stage
		today deadline.Date
		want  bool
	}{
		{"summary in the middle of the discussion", c, StageSummary, d(2026, 3, 10), true},
		{"summary on the last announced day", c, StageSummary, d(2026, 3, 16), true},
		{"summary after the announced end", c, StageSummary, d(2026, 3, 17), false},
		{"from publication straight to the summary", published, StageSummary, d(2026, 3, 1), true},
		{"opening the discussion", published, StageDiscussion, d(2026, 3, 1), false},
		{"back from the summary", summary, StagePublished, d(2026, 3, 18), false},
	} {
		if got := endsEarly(tc.c, tc.to, tc.today); got != tc.want {
			t.Errorf("%s: endsEarly = %v, want %v", tc.name, got, tc.want)
		}
	}
}
