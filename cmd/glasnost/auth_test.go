package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/tenant"
)

func linkFrom(t *testing.T, body, path string) string {
	t.Helper()
	i := strings.Index(body, path)
	if i < 0 {
		t.Fatalf("no %s link in:\n%s", path, body)
	}
	return strings.Fields(body[i:])[0]
}

// TestResidentRegistersConfirmsAndResetsPassword walks the whole account
// life of a resident through real mail.
func TestResidentRegistersConfirmsAndResetsPassword(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		form := url.Values{"full_name": {"Анна Петрова"}, "email": {"anna@example.ru"}, "password": {"anna-password-1"}, "password2": {"anna-password-1"}}
		r := c.post("/register", form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "согласие") || !strings.Contains(r.body, `value="anna@example.ru"`) {
			t.Fatalf("registration without consent: %d", r.status)
		}
		if strings.Contains(r.body, "anna-password-1") {
			t.Fatal("a rejected form echoed the password")
		}
		form.Set("consent", "yes")
		if r := c.post("/register", form); r.status != 200 || !strings.Contains(r.body, "Проверьте почту") {
			t.Fatalf("register: %d", r.status)
		}
		// A second registration with the same address answers exactly as
		// the first (the form must not tell who has an account); the owner
		// of the address is told by mail instead.
		if r := c.post("/register", form); r.status != 200 || !strings.Contains(r.body, "Проверьте почту") || strings.Contains(r.body, "уже есть") {
			t.Fatalf("second registration with the same e-mail: %d", r.status)
		}
		app.mail.WaitFor(t, "anna@example.ru", "Попытка регистрации", 20*time.Second)
		if r := c.post("/login", url.Values{"email": {"anna@example.ru"}, "password": {"anna-password-1"}}); !strings.Contains(r.body, "не подтверждён") {
			t.Fatalf("unconfirmed login: %d", r.status)
		}
		msg := app.mail.WaitFor(t, "anna@example.ru", "Подтвердите", 20*time.Second)
		confirm := linkFrom(t, msg.Body, "/confirm?token=")
		if r := c.get(strings.TrimPrefix(confirm, app.Config.BaseURL)); r.status != http.StatusSeeOther {
			t.Fatalf("confirm: %d", r.status)
		}
		if r := c.post("/login", url.Values{"email": {"anna@example.ru"}, "password": {"anna-password-1"}}); r.status != http.StatusSeeOther {
			t.Fatalf("login after confirmation: %d", r.status)
		}
		var me map[string]any
		if err := json.Unmarshal([]byte(c.get("/api/v1/me").body), &me); err != nil || me["email"] != "anna@example.ru" {
			t.Fatalf("me: %v %v", me, err)
		}
		// Forgotten password: the same answer for known and unknown addresses.
		other := app.anonymous()
		r1 := other.post("/forgot", url.Values{"email": {"anna@example.ru"}})
		r2 := other.post("/forgot", url.Values{"email": {"nobody@example.ru"}})
		if r1.status != r2.status || r1.header.Get("Location") != r2.header.Get("Location") {
			t.Fatal("the reset form tells registered addresses from others")
		}
		reset := app.mail.WaitFor(t, "anna@example.ru", "Восстановление", 20*time.Second)
		tok := strings.TrimPrefix(linkFrom(t, reset.Body, "/reset?token="), "/reset?token=")
		if r := other.post("/reset", url.Values{"token": {tok}, "password": {"new-anna-password"}, "password2": {"new-anna-password"}}); r.status != http.StatusSeeOther {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		if r := other.post("/reset", url.Values{"token": {tok}, "password": {"third-password-x"}, "password2": {"third-password-x"}}); r.status != http.StatusUnprocessableEntity {
			t.Fatal("a reset link worked twice")
		}
		if r := other.post("/login", url.Values{"email": {"anna@example.ru"}, "password": {"new-anna-password"}}); r.status != http.StatusSeeOther {
			t.Fatalf("login with the new password: %d", r.status)
		}
	})
}

func TestLoginIsThrottled(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		var last response
		for i := 0; i < 8; i++ {
			last = c.post("/login", url.Values{"email": {"admin@vpyshma.demo"}, "password": {"guess-number-" + string(rune('a'+i))}})
		}
		if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "Слишком много попыток") {
			t.Fatalf("eighth wrong password: %d", last.status)
		}
		// Even the right password waits until the limit passes.
		if r := c.post("/login", url.Values{"email": {"admin@vpyshma.demo"}, "password": {DemoPassword}}); r.status != http.StatusTooManyRequests {
			t.Fatalf("right password during throttling: %d", r.status)
		}
	})
}

// TestStaffChangesAreAudited creates and changes an account as an
// administrator and finds both changes, with before and after, in the log.
func TestStaffChangesAreAudited(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.as("admin@vpyshma.demo")
		ctx := context.Background()
		m, _ := app.Tenants.BySlug(ctx, "vpyshma")
		legal, _ := app.Tenants.DepartmentBySlug(ctx, m.ID, "legal")
		r := admin.post("/admin/users", url.Values{"email": {"yurist2@vpyshma.demo"}, "full_name": {"Второй Юрист"}, "department": {itoa(legal.ID)}, "role": {"lawyer"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create staff: %d %s", r.status, r.body)
		}
		a, err := app.Accounts.ByEmail(ctx, m.ID, "yurist2@vpyshma.demo")
		if err != nil || a.DepartmentID != legal.ID || !a.Confirmed {
			t.Fatalf("created account: %+v %v", a, err)
		}
		welcome := app.mail.WaitFor(t, "yurist2@vpyshma.demo", "учётная запись", 20*time.Second)
		if !strings.Contains(welcome.Body, "/reset?token=") {
			t.Fatal("welcome letter has no link to set a password")
		}
		r = admin.post("/admin/users/"+itoa(a.ID), url.Values{"full_name": {"Второй Юрист"}, "department": {itoa(legal.ID)}, "role": {"lawyer", "editor"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("update staff: %d", r.status)
		}
		recs, total, err := audit.List(ctx, d, m.ID, audit.Filter{Entity: "account"}, 10, 0)
		if err != nil || total != 2 {
			t.Fatalf("audit records: %d %v", total, err)
		}
		if recs[0].Action != "update" || !strings.Contains(recs[0].After, "editor") || strings.Contains(recs[0].Before, "editor") || recs[0].Actor != "admin@vpyshma.demo" {
			t.Fatalf("update record: %+v", recs[0])
		}
		for _, rec := range recs {
			if strings.Contains(rec.Before+rec.After, "password") {
				t.Fatal("the audit log holds a password field")
			}
		}
		page := admin.get("/admin/audit?entity=account")
		if !strings.Contains(page.body, "yurist2@vpyshma.demo") {
			t.Fatal("audit page does not list the change")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestMunicipalitiesAreIsolated hosts two municipalities on one installation
// and checks that neither sees the other's accounts, tokens or audit log.
func TestMunicipalitiesAreIsolated(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		ctx := context.Background()
		second := tenant.Municipality{Slug: "revda", Name: "Городской округ Ревда", TimeZone: "Asia/Yekaterinburg", Hosts: []string{"revda.example"}}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return app.Tenants.Create(ctx, tx, &second) }); err != nil {
			t.Fatal(err)
		}
		vp, _ := app.Tenants.BySlug(ctx, "vpyshma")
		// Now that there are two, hosts decide.
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE municipalities SET hosts = ? WHERE id = ?`, "vpyshma.example", vp.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		revdaAdmin := &auth.Account{MunicipalityID: second.ID, Email: "admin@revda.example", Roles: []string{auth.Administrator}, Confirmed: true}
		hash, err := auth.HashPassword("revda-password-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := auth.EnsureAccount(ctx, app.Accounts, revdaAdmin, hash); err != nil {
			t.Fatal(err)
		}
		vpTok, err := app.Accounts.CreateAPIToken(ctx, mustAccount(t, app, vp.ID, "admin@vpyshma.demo").ID)
		if err != nil {
			t.Fatal(err)
		}
		app.Tenants.Forget()

		on := func(host, method, path, token string, form url.Values) response {
			req, _ := http.NewRequest(method, app.server.URL+path, strings.NewReader(form.Encode()))
			req.Host = host
			if form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return app.anonymous().do(req)
		}
		if r := on("revda.example", "GET", "/", "", nil); !strings.Contains(r.body, "Ревда") || strings.Contains(r.body, "Верхняя Пышма") {
			t.Fatalf("revda home shows the wrong municipality: %d", r.status)
		}
		if r := on("unknown.example", "GET", "/", "", nil); r.status != 404 {
			t.Fatalf("unknown host: %d", r.status)
		}
		// A Verkhnyaya Pyshma token means nothing on Revda's host.
		if r := on("revda.example", "GET", "/api/v1/me", vpTok, nil); r.status != 401 {
			t.Fatalf("foreign token accepted: %d %s", r.status, r.body)
		}
		if r := on("vpyshma.example", "GET", "/api/v1/me", vpTok, nil); r.status != 200 || !strings.Contains(r.body, "admin@vpyshma.demo") {
			t.Fatalf("own token refused: %d", r.status)
		}
		// Revda's administrator cannot sign in on Verkhnyaya Pyshma's host.
		if r := on("vpyshma.example", "POST", "/login", "", url.Values{"email": {"admin@revda.example"}, "password": {"revda-password-1"}}); r.status == http.StatusSeeOther {
			t.Fatal("an account of one municipality signed in on another")
		}
		// Lists are scoped: Revda's user list and audit log hold nothing of Verkhnyaya Pyshma.
		revdaTok, _ := app.Accounts.CreateAPIToken(ctx, revdaAdmin.ID)
		users := on("revda.example", "GET", "/admin/users", revdaTok, nil)
		if users.status != 200 || strings.Contains(users.body, "vpyshma.demo") || !strings.Contains(users.body, "admin@revda.example") {
			t.Fatalf("revda users page leaks or misses accounts: %d", users.status)
		}
		list, _, err := app.Accounts.List(ctx, second.ID, "", 100, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("revda accounts: %d %v", len(list), err)
		}
		// Periodic jobs may write Revda's own records; none may be about
		// Verkhnyaya Pyshma.
		recs, _, _ := audit.List(ctx, d, second.ID, audit.Filter{}, 100, 0)
		for _, rec := range recs {
			if strings.Contains(rec.Actor+rec.Before+rec.After, "vpyshma") {
				t.Fatalf("revda audit log holds a foreign record: %+v", rec)
			}
		}
	})
}

func mustAccount(t *testing.T, app *testApp, munID int64, email string) auth.Account {
	t.Helper()
	a, err := app.Accounts.ByEmail(context.Background(), munID, email)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
