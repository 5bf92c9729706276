package appeals

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
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
