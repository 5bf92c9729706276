package appeals

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/webtest"
)

// An appeal under 59-FZ is processed without consent (152-FZ art. 6 part 1
// item 2): the form shows a notice naming the operator and the purpose, and
// neither the form nor the API asks for consent (the API still accepts the
// field when a client sends it).
func TestAppealNeedsNoConsent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		ctx := context.Background()
		count := func() int {
			var n int
			if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM appeals").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		resident := env.Client("", auth.Resident)
		page := resident.Get("/appeals/new")
		if page.Status != http.StatusOK {
			t.Fatalf("form: %d", page.Status)
		}
		for _, want := range []string{"Обработка персональных данных", "Оператор персональных данных — администрация муниципального образования «" + env.Municipality.Name + "»", "59-ФЗ", "Согласие на это не требуется", `href="/privacy"`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("notice lacks %q", want)
			}
		}
		if strings.Contains(page.Body, `name="consent"`) {
			t.Error("the appeal form still asks for consent")
		}

		cases := []struct {
			name    string
			consent []string // nil: not sent
		}{
			{"no consent field", nil},
			{"empty consent", []string{""}},
			{"consent sent anyway", []string{"yes"}},
		}
		for _, c := range cases {
			before := count()
			form := submitForm(nil)
			form.Del("consent")
			// A distinct text each time: the same text again within minutes
			// is caught as a repeated submission.
			form.Set("text", form.Get("text")+" ("+c.name+")")
			if c.consent != nil {
				form["consent"] = c.consent
			}
			r := resident.PostForm("/appeals", form)
			if r.Status >= 400 || strings.Contains(r.Body, "согласи") && strings.Contains(r.Body, "field-error") {
				t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
			}
			if count() != before+1 {
				t.Errorf("%s: appeal not registered", c.name)
			}
		}
		var consented int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM appeals WHERE consent_at IS NOT NULL").Scan(&consented); err != nil {
			t.Fatal(err)
		}
		if consented != 0 {
			t.Errorf("%d appeals record a consent that was never asked", consented)
		}

		op := env.Client("appeals", auth.Operator)
		today := a.Today(env.Municipality)
		for _, consent := range []any{nil, true, false, "yes"} {
			body := map[string]any{
				"channel": "written", "received_at": today.String(),
				"author": map[string]string{"last_name": "Соколов", "first_name": "Андрей", "postal_address": "624090, г. Верхняя Пышма, ул. Ленина, 1"},
				"text":   "Прошу отремонтировать подъезд.",
			}
			if consent != nil {
				body["consent"] = consent
			}
			if r := op.API("POST", "/api/v1/appeals", body); r.Status != http.StatusCreated {
				t.Errorf("API with consent %v: %d %s", consent, r.Status, r.Body)
			}
		}
	})
}

// An appeal is kept its term after the answer (5 years by default, or
// GLASNOST_RETENTION_APPEALS_YEARS) and then anonymised by the retention
// job, with an audit record; a second run changes nothing.
func TestRetentionAnonymisesExpiredAppeals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   string
		years int
	}{{"default", "", 5}, {"setting", "2", 2}} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Engines(t, func(t *testing.T, d *db.DB) {
				env := webtest.New(t, d)
				a, err := New(env.Deps(map[string]string{"GLASNOST_RETENTION_APPEALS_YEARS": tc.env}))
				if err != nil {
					t.Fatal(err)
				}
				env.Server() // builds the job queue (insert-only)
				ctx := context.Background()
				m := env.Municipality
				today := a.Today(m)
				cutoff := RetentionCutoff(today, tc.years)
				cases := []struct {
					last   string
					closed deadline.Date // zero: still open
					gone   bool
				}{
					{"Давний", cutoff.AddDays(-1), true},
					{"Старый", cutoff.AddDays(-400), true},
					{"Пограничный", cutoff, false},
					{"Недавний", today.AddDays(-10), false},
					{"Открытый", deadline.Date{}, false},
				}
				ids := map[string]int64{}
				for _, c := range cases {
					in := paper(a, env, c.last, today)
					in.QuestionCode = "" // no classifier loaded here
					ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
					if err != nil {
						t.Fatal(err)
					}
					ids[c.last] = ap.ID
					if !c.closed.IsZero() {
						if _, err := d.Exec(ctx, `UPDATE appeals SET status = 'answered', closed_on = ?, answer = ? WHERE id = ?`, c.closed.String(), "Уважаемый "+c.last+"!", ap.ID); err != nil {
							t.Fatal(err)
						}
					}
				}
				n, err := a.AnonymiseExpired(ctx, m)
				if err != nil {
					t.Fatal(err)
				}
				if n != 2 {
					t.Errorf("anonymised %d, want 2", n)
				}
				for _, c := range cases {
					var last, email, phone, body, answer, number string
					if err := d.QueryRow(ctx, `SELECT last_name, email, phone, body, answer, number FROM appeals WHERE id = ?`, ids[c.last]).Scan(&last, &email, &phone, &body, &answer, &number); err != nil {
						t.Fatal(err)
					}
					blank := last == "" && email == "" && phone == "" && body == AnonymisedText && answer == ""
					if blank != c.gone {
						t.Errorf("%s closed %v: anonymised %v, want %v (%q %q %q)", c.last, c.closed, blank, c.gone, last, email, body)
					}
					if number == "" {
						t.Errorf("%s lost its number", c.last)
					}
				}
				var notes int
				if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_events WHERE appeal_id = ? AND note <> ''`, ids["Давний"]).Scan(&notes); err != nil {
					t.Fatal(err)
				}
				if notes != 0 {
					t.Errorf("%d history notes kept", notes)
				}
				var audits int
				if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'appeals.anonymise' AND municipality_id = ?`, m.ID).Scan(&audits); err != nil {
					t.Fatal(err)
				}
				if audits != 1 {
					t.Errorf("%d audit records, want 1", audits)
				}
				if n, err := a.AnonymiseExpired(ctx, m); err != nil || n != 0 {
					t.Errorf("second run: %d %v", n, err)
				}
			})
		})
	}
}

// A resident who deletes the account keeps the appeals for their term,
// without the link to the account.
func TestDeletedAccountLeavesAppeals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, _ := setup(t, d)
		ctx := context.Background()
		resident := env.Client("", auth.Resident)
		if r := resident.PostForm("/appeals", submitForm(nil)); r.Status >= 400 {
			t.Fatalf("submit: %d", r.Status)
		}
		var linked int
		count := func() int {
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appeals WHERE account_id = ?`, resident.Account.ID).Scan(&linked); err != nil {
				t.Fatal(err)
			}
			return linked
		}
		if count() != 1 {
			t.Fatal("the appeal is not linked to its author")
		}
		var appealID int64
		if err := d.QueryRow(ctx, `SELECT id FROM appeals WHERE account_id = ?`, resident.Account.ID).Scan(&appealID); err != nil {
			t.Fatal(err)
		}
		r := resident.PostForm("/account/delete", url.Values{"confirm": {"yes"}, "password": {webtest.Password}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		if count() != 0 {
			t.Error("the appeal still points to the deleted account")
		}
		var total int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appeals WHERE id = ?`, appealID).Scan(&total); err != nil {
			t.Fatal(err)
		}
		if total != 1 {
			t.Errorf("the appeal did not stay: %d", total)
		}
	})
}
