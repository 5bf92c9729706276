package auth_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

// Registration asks for a consent that names the operator, the purposes,
// the data, the term and the way to withdraw it, and keeps the version,
// the text and the time of the consent given; the policy is published at
// /privacy and linked from every page's footer.
func TestRegistrationConsentAndPolicy(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		ctx := context.Background()
		c := env.Anonymous()
		operator := "Администрация муниципального образования «" + env.Municipality.Name + "»"

		page := c.Get("/register")
		for _, want := range []string{operator, "Цели:", "Данные:", "Срок:", "Отозвать его можно", "удалив учётную запись", `href="/privacy"`, `name="consent"`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("registration form lacks %q", want)
			}
		}

		form := url.Values{"full_name": {"Анна Петрова"}, "email": {"anna@example.ru"}, "password": {"anna-password-1"}, "password2": {"anna-password-1"}}
		cases := []struct {
			consent string
			status  int
		}{
			{"", http.StatusUnprocessableEntity},
			{"no", http.StatusUnprocessableEntity},
			{"yes", http.StatusOK},
		}
		for _, cs := range cases {
			form.Set("consent", cs.consent)
			r := c.PostForm("/register", form)
			if r.Status != cs.status {
				t.Fatalf("consent %q: %d", cs.consent, r.Status)
			}
			if cs.status != http.StatusOK && !strings.Contains(r.Body, "Для регистрации нужно согласие") {
				t.Errorf("consent %q: no error shown", cs.consent)
			}
		}
		a, err := env.Accounts.ByEmail(ctx, env.Municipality.ID, "anna@example.ru")
		if err != nil {
			t.Fatal(err)
		}
		got, err := env.Accounts.Consents(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Version != auth.ConsentVersion || got[0].GivenAt.IsZero() || !strings.Contains(got[0].Text, operator) || !strings.Contains(got[0].Text, "Отозвать") {
			t.Fatalf("recorded consent: %+v", got)
		}

		p := c.Get("/privacy")
		if p.Status != http.StatusOK {
			t.Fatalf("/privacy: %d", p.Status)
		}
		for _, want := range []string{"Политика обработки персональных данных", operator, "59-ФЗ", "5 лет после ответа", "Роскомнадзор", `href="/account"`} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("policy lacks %q", want)
			}
		}
		for _, path := range []string{"/register", "/login", "/privacy"} {
			if r := c.Get(path); !strings.Contains(r.Body, `<a href="/privacy">Политика обработки персональных данных</a>`) {
				t.Errorf("%s: no policy link in the footer", path)
			}
		}
	})
}

func TestAppealRetentionYears(t *testing.T) {
	for _, c := range []struct {
		env  string
		want int
	}{{"", 5}, {"3", 3}, {" 10 ", 10}, {"0", 5}, {"-1", 5}, {"пять", 5}, {"76", 5}, {"75", 75}} {
		got := auth.AppealRetentionYears(func(string) string { return c.env })
		if got != c.want {
			t.Errorf("%q: %d, want %d", c.env, got, c.want)
		}
	}
}
