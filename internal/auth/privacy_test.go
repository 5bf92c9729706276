package auth_test

import (
	"context"
	"fmt"
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

// The owner deletes an account from /account after a confirmation step:
// the personal data, consents, tokens and sessions go, an audit record
// without personal data stays; a staff account cannot delete itself.
func TestOwnerDeletesAccount(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		ctx := context.Background()
		c := env.Client("", auth.Resident)
		other := env.Client("", auth.Resident) // a second session of the same account
		other.Account = c.Account
		if r := other.PostForm("/login", url.Values{"email": {c.Account.Email}, "password": {webtest.Password}}); r.Status != http.StatusSeeOther {
			t.Fatalf("second login: %d", r.Status)
		}
		if r := c.Get("/account"); !strings.Contains(r.Body, `href="/account/delete"`) {
			t.Fatal("the account page has no deletion link")
		}
		if r := c.Get("/account/delete"); r.Status != http.StatusOK || !strings.Contains(r.Body, "без возможности восстановления") {
			t.Fatalf("confirmation page: %d", r.Status)
		}
		for _, tc := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"password": {webtest.Password}}, "Отметьте, что вы понимаете"},
			{url.Values{"confirm": {"yes"}, "password": {"wrong-password-1"}}, "Пароль неверен."},
			{url.Values{"confirm": {"yes"}}, "Пароль неверен."},
		} {
			r := c.PostForm("/account/delete", tc.form)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tc.want) {
				t.Errorf("%v: %d, want the error %q", tc.form, r.Status, tc.want)
			}
		}
		staff := env.Client("affairs", auth.Editor)
		if r := staff.PostForm("/account/delete", url.Values{"confirm": {"yes"}, "password": {webtest.Password}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "администратор") {
			t.Errorf("staff self-deletion: %d", r.Status)
		}

		if _, err := d.Exec(ctx, `INSERT INTO account_consents (municipality_id, account_id, version, text, given_at) VALUES (?, ?, ?, ?, ?)`, env.Municipality.ID, c.Account.ID, auth.ConsentVersion, "текст", d.Now()); err != nil {
			t.Fatal(err)
		}
		r := c.PostForm("/account/delete", url.Values{"confirm": {"yes"}, "password": {webtest.Password}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		for name, cl := range map[string]*webtest.Client{"this session": c, "another session": other} {
			if r := cl.Get("/account"); r.Status == http.StatusOK {
				t.Errorf("%s still signed in", name)
			}
		}
		if r := c.API("GET", "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("API token still works: %d", r.Status)
		}
		if r := env.Anonymous().PostForm("/login", url.Values{"email": {c.Account.Email}, "password": {webtest.Password}}); r.Status == http.StatusSeeOther {
			t.Error("the deleted account can sign in")
		}
		var email, name string
		if err := d.QueryRow(ctx, `SELECT email, full_name FROM accounts WHERE id = ?`, c.Account.ID).Scan(&email, &name); err != nil {
			t.Fatal(err)
		}
		if email != auth.DeletedEmail(c.Account.ID) || name != "" {
			t.Errorf("account kept %q %q", email, name)
		}
		for _, table := range []string{"account_consents", "account_roles", "api_tokens"} {
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE account_id = ?`, c.Account.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s: %d rows kept", table, n)
			}
		}
		var actor, after string
		if err := d.QueryRow(ctx, `SELECT actor, after_state FROM audit_log WHERE action = 'account.delete' AND entity_id = ?`, fmt.Sprint(c.Account.ID)).Scan(&actor, &after); err != nil {
			t.Fatalf("audit record: %v", err)
		}
		if strings.Contains(actor+after, c.Account.Email) {
			t.Errorf("the audit record keeps the address: %q %q", actor, after)
		}
	})
}
