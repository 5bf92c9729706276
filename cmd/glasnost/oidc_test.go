package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/config"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/oidc"
)

// esiaUser is a person at the in-process provider, with the claims an
// ЕСИА gateway gives: the name in three parts and whether the identity is
// confirmed ("trusted").
type esiaUser struct {
	sub, surname, first, patronymic, email string
	trusted                                bool
	// nonce, when set, replaces the nonce of the ID token: an answer made
	// for another sign-in.
	nonce string
}

type esiaClaims struct {
	*mockoidc.IDTokenClaims
	FamilyName    string `json:"family_name,omitempty"`
	GivenName     string `json:"given_name,omitempty"`
	MiddleName    string `json:"middle_name,omitempty"`
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified"`
	Trusted       bool   `json:"trusted"`
}

func (u *esiaUser) ID() string { return u.sub }

func (u *esiaUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": u.sub})
}

func (u *esiaUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.nonce != "" {
		base.Nonce = u.nonce
	}
	return &esiaClaims{IDTokenClaims: base, FamilyName: u.surname, GivenName: u.first, MiddleName: u.patronymic, Email: u.email, EmailVerified: true, Trusted: u.trusted}, nil
}

// newOIDCApp is the whole program configured, through the environment's
// names, for a provider running inside the test.
func newOIDCApp(t *testing.T, d *db.DB) (*testApp, *mockoidc.MockOIDC) {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	env := map[string]string{
		"GLASNOST_OIDC_ISSUER": m.Issuer(), "GLASNOST_OIDC_CLIENT_ID": m.ClientID, "GLASNOST_OIDC_CLIENT_SECRET": m.ClientSecret,
		"GLASNOST_OIDC_SCOPES": "openid profile email",
	}
	oc, err := oidc.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	app := newTestAppConfig(t, d, true, func(c *config.Config) { c.OIDC = oc })
	return app, m
}

// oidcRedirect follows the portal's redirect to the provider and returns
// the provider's redirect back (the callback address with code and state).
func oidcRedirect(t *testing.T, c *client, start response) *url.URL {
	t.Helper()
	if start.status != http.StatusSeeOther {
		t.Fatalf("start of the sign-in: %d %s", start.status, start.body)
	}
	to, err := url.Parse(start.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := to.Query()
	if q.Get("state") == "" || q.Get("nonce") == "" || q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		t.Fatalf("the provider is not asked with state, nonce and PKCE: %s", to)
	}
	req, _ := http.NewRequest(http.MethodGet, to.String(), nil)
	back := c.do(req)
	if back.status != http.StatusFound {
		t.Fatalf("provider: %d %s", back.status, back.body)
	}
	cb, err := url.Parse(back.header.Get("Location"))
	if err != nil || cb.Path != "/login/oidc/callback" {
		t.Fatalf("provider sent back to %q", back.header.Get("Location"))
	}
	return cb
}

// oidcSignIn starts a sign-in on the login page's button and returns the
// callback address the provider sent the browser to.
func oidcSignIn(t *testing.T, c *client, m *mockoidc.MockOIDC, u *esiaUser, next string) *url.URL {
	t.Helper()
	m.QueueUser(u)
	return oidcRedirect(t, c, c.post("/login/oidc", url.Values{"next": {next}}))
}

// TestSignInThroughIdentityProvider walks the whole redirect flow against a
// real OIDC provider: a first sign-in makes a resident account with the
// verified name after consent; the provider's answer is refused when its
// state, code, nonce or token is wrong; an existing account is linked from
// the account page and is then entered through the provider.
func TestSignInThroughIdentityProvider(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app, m := newOIDCApp(t, d)
		ctx := context.Background()
		mun, err := app.Tenants.BySlug(ctx, "vpyshma")
		if err != nil {
			t.Fatal(err)
		}
		maria := &esiaUser{sub: "esia-1001", surname: "Иванова", first: "Мария", patronymic: "Сергеевна", email: "maria@example.ru", trusted: true}

		// The button is on the login page only when a provider is set.
		c := app.anonymous()
		if r := c.get("/login"); !strings.Contains(r.body, `action="/login/oidc"`) || !strings.Contains(r.body, oidc.DefaultLabel) {
			t.Fatalf("no provider button on the login page:\n%s", grepLines(r.body, "form"))
		}
		// Browsers apply form-action to the redirect after the button's form.
		if csp := c.get("/login").header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+strings.TrimSuffix(m.Issuer(), "/oidc")) {
			t.Fatalf("the login page's policy forbids the redirect to the provider: %s", csp)
		}

		// First sign-in: consent, then a resident account with the verified name.
		cb := oidcSignIn(t, c, m, maria, "/appeals/new")
		r := c.get(cb.RequestURI())
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login/oidc/new" {
			t.Fatalf("callback: %d %s %s", r.status, r.header.Get("Location"), grepLines(r.body, "<p"))
		}
		page := c.get("/login/oidc/new")
		if !strings.Contains(page.body, "Иванова Мария Сергеевна") || !strings.Contains(page.body, "Согласие на обработку персональных данных") {
			t.Fatalf("the new-account page:\n%s", grepLines(page.body, "<dd"))
		}
		if r := c.post("/login/oidc/new", url.Values{}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "нужно согласие") {
			t.Fatalf("account made without consent: %d", r.status)
		}
		if r := c.post("/login/oidc/new", url.Values{"consent": {"yes"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/appeals/new" {
			t.Fatalf("create account: %d %s", r.status, r.header.Get("Location"))
		}
		var me map[string]any
		if err := json.Unmarshal([]byte(c.get("/api/v1/me").body), &me); err != nil || me["email"] != "maria@example.ru" || me["name"] != "Иванова Мария Сергеевна" {
			t.Fatalf("signed in as %v (%v)", me, err)
		}
		acc, err := app.Accounts.ByIdentity(ctx, mun.ID, m.Issuer(), "esia-1001")
		if err != nil {
			t.Fatal(err)
		}
		if acc.IdentityLevel != auth.IdentityVerified || acc.HasPassword() || !acc.Confirmed || acc.Roles[0] != auth.Resident {
			t.Fatalf("account: level %q, password %v, confirmed %v, roles %v", acc.IdentityLevel, acc.HasPassword(), acc.Confirmed, acc.Roles)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM account_consents WHERE account_id = ?`, acc.ID); n != 1 {
			t.Fatalf("consents recorded: %d", n)
		}
		if !strings.Contains(c.get("/account").body, "подтверждена через Госуслуги") {
			t.Fatal("the account page does not show the verified identity")
		}

		// The same answer a second time: the started sign-in was used up.
		if r := c.get(cb.RequestURI()); r.status != http.StatusBadRequest || !strings.Contains(r.body, "срабатывает один раз") {
			t.Fatalf("replayed callback: %d", r.status)
		}
		// An old code under a new sign-in's state: the provider refuses
		// it, and so does the portal.
		other := app.anonymous()
		fresh := oidcSignIn(t, other, m, maria, "/")
		q := fresh.Query()
		q.Set("code", cb.Query().Get("code"))
		if r := other.get("/login/oidc/callback?" + q.Encode()); r.status != http.StatusBadRequest {
			t.Fatalf("replayed code: %d", r.status)
		}
		if r := other.get("/api/v1/me"); r.status == http.StatusOK {
			t.Fatal("a replayed code signed someone in")
		}

		// A state that is not the one the portal sent.
		bad := app.anonymous()
		cb = oidcSignIn(t, bad, m, maria, "/")
		q = cb.Query()
		q.Set("state", "forged-"+q.Get("state"))
		if r := bad.get("/login/oidc/callback?" + q.Encode()); r.status != http.StatusBadRequest || !strings.Contains(r.body, "Не удалось проверить") {
			t.Fatalf("wrong state: %d", r.status)
		}
		if r := bad.get("/api/v1/me"); r.status == http.StatusOK {
			t.Fatal("a wrong state signed someone in")
		}

		// An ID token made for another sign-in (wrong nonce).
		forged := *maria
		forged.nonce = "another-sign-in"
		cb = oidcSignIn(t, bad, m, &forged, "/")
		if r := bad.get(cb.RequestURI()); r.status != http.StatusBadRequest {
			t.Fatalf("wrong nonce: %d", r.status)
		}
		if r := bad.get("/api/v1/me"); r.status == http.StatusOK {
			t.Fatal("a wrong nonce signed someone in")
		}

		// An expired ID token: the provider's clock is half an hour behind.
		m.FastForward(-30 * time.Minute)
		cb = oidcSignIn(t, bad, m, maria, "/")
		r = bad.get(cb.RequestURI())
		m.FastForward(30 * time.Minute)
		if r.status != http.StatusBadRequest {
			t.Fatalf("expired token: %d", r.status)
		}
		if r := bad.get("/api/v1/me"); r.status == http.StatusOK {
			t.Fatal("an expired token signed someone in")
		}

		// A returning person is signed in without the consent page.
		back := app.anonymous()
		cb = oidcSignIn(t, back, m, maria, "/account")
		if r := back.get(cb.RequestURI()); r.status != http.StatusSeeOther || r.header.Get("Location") != "/account" {
			t.Fatalf("second sign-in: %d %s", r.status, r.header.Get("Location"))
		}

		// A first sign-in whose address belongs to a local account is not
		// joined to it by the address alone.
		petr := &esiaUser{sub: "esia-2002", surname: "Жителев", first: "Пётр", patronymic: "Ильич", email: "resident@vpyshma.demo", trusted: true}
		stranger := app.anonymous()
		m.QueueUser(petr)
		cb = oidcRedirect(t, stranger, stranger.post("/login/oidc", url.Values{}))
		if r := stranger.get(cb.RequestURI()); r.status != http.StatusConflict || !strings.Contains(r.body, "привяжите вход") {
			t.Fatalf("first sign-in with a taken address: %d", r.status)
		}

		// Linking from the account page of the local account.
		resident := app.as("resident@vpyshma.demo")
		if page := resident.get("/account"); !strings.Contains(page.body, `action="/account/identity"`) {
			t.Fatal("no way to link the provider on the account page")
		}
		m.QueueUser(petr)
		cb = oidcRedirect(t, resident, resident.post("/account/identity", url.Values{}))
		if r := resident.get(cb.RequestURI()); r.status != http.StatusSeeOther || r.header.Get("Location") != "/account#identity" {
			t.Fatalf("link: %d %s", r.status, r.header.Get("Location"))
		}
		linked := mustAccount(t, app, mun.ID, "resident@vpyshma.demo")
		if linked.IdentityLevel != auth.IdentityVerified || linked.FullName != "Жителев Пётр Ильич" || !linked.HasPassword() {
			t.Fatalf("linked account: %q %q password %v", linked.IdentityLevel, linked.FullName, linked.HasPassword())
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'account.link_identity'`); n != 1 {
			t.Fatalf("links audited: %d", n)
		}
		// The linked account is entered through the provider.
		again := app.anonymous()
		cb = oidcSignIn(t, again, m, petr, "/")
		if r := again.get(cb.RequestURI()); r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
			t.Fatalf("sign-in to the linked account: %d %s", r.status, r.header.Get("Location"))
		}
		if err := json.Unmarshal([]byte(again.get("/api/v1/me").body), &me); err != nil || me["email"] != "resident@vpyshma.demo" {
			t.Fatalf("signed in as %v", me)
		}
		// The same provider identity cannot be linked to a second account.
		m.QueueUser(petr)
		cb = oidcRedirect(t, c, c.post("/account/identity", url.Values{})) // Maria's session
		if r := c.get(cb.RequestURI()); r.status != http.StatusConflict {
			t.Fatalf("one identity linked to two accounts: %d", r.status)
		}
		// Staff see the level in the list of accounts.
		list := app.as("admin@vpyshma.demo").get("/admin/users?q=resident")
		if !strings.Contains(list.body, "подтверждена (Госуслуги)") {
			t.Fatalf("the account list does not show the identity level:\n%s", grepLines(list.body, "resident"))
		}
	})
}

// TestNoProviderButtonWithoutConfiguration: without GLASNOST_OIDC_ISSUER
// the login page offers no provider and its routes are not found.
func TestNoProviderButtonWithoutConfiguration(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		if r := c.get("/login"); strings.Contains(r.body, "/login/oidc") {
			t.Fatal("a provider button without a provider")
		}
		if r := c.post("/login/oidc", url.Values{}); r.status != http.StatusNotFound {
			t.Fatalf("start without a provider: %d", r.status)
		}
	})
}

// TestVerifiedIdentityForElectronicAppeals: when the municipality requires
// a verified identity (547-FZ), a resident who signed in with e-mail and
// password is told in Russian how to verify and the form keeps the text;
// after signing in through the provider the appeal is accepted, and staff
// see the author's identity level on the appeal's page.
func TestVerifiedIdentityForElectronicAppeals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app, m := newOIDCApp(t, d)
		appeal := url.Values{"email": {"resident@vpyshma.demo"}, "addressee": {"administration"},
			"text": {"Прошу отремонтировать освещение во дворе дома 5 по улице Ленина."}, "consent": {"yes"}}

		// Off by default: a local account's appeal is accepted and marked.
		resident := app.as("resident@vpyshma.demo")
		r := resident.post("/appeals", appeal)
		if r.status != http.StatusSeeOther {
			t.Fatalf("submit without the requirement: %d %s", r.status, grepLines(r.body, "error"))
		}
		first := strings.TrimPrefix(resident.get(r.header.Get("Location")).body, "")
		i := strings.Index(first, `class="appeal-number">`)
		number := first[i+len(`class="appeal-number">`):]
		number = number[:strings.Index(number, "<")]
		admin := app.as("admin@vpyshma.demo")
		if page := admin.get("/admin/appeals/" + url.PathEscape(number)); !strings.Contains(page.body, "не подтверждена: вход по адресу электронной почты") {
			t.Fatalf("staff do not see the identity level:\n%s", grepLines(page.body, "<dt"))
		}

		// Only an administrator turns the requirement on, and it is audited.
		if r := app.as("operator@vpyshma.demo").post("/admin/appeals/settings", url.Values{"require_verified": {"yes"}}); r.status != http.StatusForbidden {
			t.Fatalf("operator changed the setting: %d", r.status)
		}
		if r := admin.post("/admin/appeals/settings", url.Values{"require_verified": {"yes"}}); r.status != http.StatusSeeOther {
			t.Fatalf("turn on: %d", r.status)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'appeals_settings.require_verified' AND after_state LIKE '%true%'`); n != 1 {
			t.Fatalf("setting audited %d times", n)
		}

		// The unverified resident is told how to verify; the text stays.
		if page := resident.get("/appeals/new"); !strings.Contains(page.body, "547-ФЗ") {
			t.Fatal("the form does not say that a verified identity is required")
		}
		appeal.Set("text", "Прошу установить скамейку у подъезда дома 7 по улице Ленина.")
		r = resident.post("/appeals", appeal)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "через Госуслуги") || !strings.Contains(r.body, "Прошу установить скамейку у подъезда дома 7") {
			t.Fatalf("unverified submission: %d\n%s", r.status, grepLines(r.body, "Госуслуг"))
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals WHERE body LIKE '%скамейку%'`); n != 0 {
			t.Fatal("an unverified appeal was registered")
		}

		// Verified through the provider, the same resident is accepted.
		m.QueueUser(&esiaUser{sub: "esia-3003", surname: "Жителев", first: "Пётр", patronymic: "Ильич", email: "resident@vpyshma.demo", trusted: true})
		cb := oidcRedirect(t, resident, resident.post("/account/identity", url.Values{}))
		if r := resident.get(cb.RequestURI()); r.status != http.StatusSeeOther {
			t.Fatalf("link: %d", r.status)
		}
		r = resident.post("/appeals", appeal)
		if r.status != http.StatusSeeOther {
			t.Fatalf("verified submission: %d %s", r.status, grepLines(r.body, "error"))
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeals WHERE body LIKE '%скамейку%' AND identity_level = 'verified' AND last_name = 'Жителев'`); n != 1 {
			t.Fatalf("verified appeals recorded: %d", n)
		}
		// The staff list marks each appeal's level, so that the operator sees
		// it without opening the card.
		list := admin.get("/admin/appeals")
		if !strings.Contains(list.body, ">Личность</abbr></th>") || !strings.Contains(list.body, "<td>подтверждена</td>") || !strings.Contains(list.body, "<td>не подтверждена</td>") {
			t.Errorf("the staff list does not mark the identity levels:\n%s", grepLines(list.body, "<td"))
		}
	})
}
