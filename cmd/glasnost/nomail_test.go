package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// An installation without GLASNOST_SMTP_URL is usable and never says a
// letter was sent: a resident learns that registration cannot be finished
// by mail, and an administrator gets the staff invitation link to hand over.
func TestWithoutMailNothingClaimsALetterWasSent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestAppMail(t, d, false)
		c := app.anonymous()
		r := c.post("/register", url.Values{"full_name": {"Анна Петрова"}, "email": {"anna@example.ru"},
			"password": {"синий трамвай гудит"}, "password2": {"синий трамвай гудит"}, "consent": {"yes"}})
		if r.status != http.StatusOK || strings.Contains(r.body, "Проверьте почту") || !strings.Contains(r.body, "не настроена отправка почты") {
			t.Fatalf("registration without mail: %d\n%s", r.status, grepLines(r.body, "почт"))
		}
		r = c.post("/forgot", url.Values{"email": {"anna@example.ru"}})
		if next := c.get(r.header.Get("Location")); strings.Contains(next.body, "придёт письмо") || !strings.Contains(next.body, "не настроена отправка почты") {
			t.Fatalf("password reset without mail claims a letter:\n%s", grepLines(next.body, "почт"))
		}
		admin := app.as("admin@vpyshma.demo")
		// The administrator confirms the resident's address by hand; she
		// can then sign in, and the change is in the audit log.
		mun, err := app.Tenants.BySlug(context.Background(), "vpyshma")
		if err != nil {
			t.Fatal(err)
		}
		anna, err := app.Accounts.ByEmail(context.Background(), mun.ID, "anna@example.ru")
		if err != nil {
			t.Fatal(err)
		}
		edit := admin.get("/admin/users/" + strconv.FormatInt(anna.ID, 10))
		if !strings.Contains(edit.body, `name="confirm_email"`) {
			t.Fatal("no way to confirm the address by hand")
		}
		if r := admin.post("/admin/users/"+strconv.FormatInt(anna.ID, 10), url.Values{"full_name": {"Анна Петрова"}, "role": {"resident"}, "confirm_email": {"yes"}}); r.status != http.StatusSeeOther {
			t.Fatalf("confirm by hand: %d %s", r.status, grepLines(r.body, "error"))
		}
		if r := c.post("/login", url.Values{"email": {"anna@example.ru"}, "password": {"синий трамвай гудит"}}); r.status != http.StatusSeeOther {
			t.Fatalf("login after confirmation by hand: %d", r.status)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'account' AND entity_id = ? AND after_state LIKE '%"confirmed":true%'`, strconv.FormatInt(anna.ID, 10)); n != 1 {
			t.Fatalf("confirmation by hand audited %d times", n)
		}
		page := admin.get("/admin/users/new")
		if page.status != 200 {
			t.Fatalf("new user form: %d", page.status)
		}
		r = admin.post("/admin/users", url.Values{"email": {"new.editor@vpyshma.demo"}, "full_name": {"Новый Редактор"}, "role": {"editor"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create user: %d %s", r.status, grepLines(r.body, "error"))
		}
		list := admin.get(r.header.Get("Location"))
		if !strings.Contains(list.body, "письмо не отправлено") || !strings.Contains(list.body, "/reset?token=") {
			t.Fatalf("the administrator is not given the invitation link:\n%s", grepLines(list.body, "Учётная запись"))
		}
	})
}
