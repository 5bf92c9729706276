package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"
)

// TestBrowserIdentity: in a real browser against the real program and an
// in-process OIDC provider, a resident signs in through the provider's
// button, consents and gets an account with the verified name; the pages
// of the flow, the confirmation-letter page and the appeals setting pass
// axe-core.
func TestBrowserIdentity(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	// The server started below reads these from its environment.
	t.Setenv("GLASNOST_OIDC_ISSUER", m.Issuer())
	t.Setenv("GLASNOST_OIDC_CLIENT_ID", m.ClientID)
	t.Setenv("GLASNOST_OIDC_CLIENT_SECRET", m.ClientSecret)
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/confirm/resend")
		b.visit("/login")
		if !strings.Contains(b.text("#oidc-login"), "Госуслуги") {
			t.Fatalf("provider button: %q", b.text("#oidc-login"))
		}
		m.QueueUser(&esiaUser{sub: "esia-b1", surname: "Смирнова", first: "Ольга", patronymic: "Петровна", email: "olga@example.ru", trusted: true})
		b.submit(nil, "#oidc-login")
		if loc := get(b, chromedp.Location()); !strings.HasSuffix(loc, "/login/oidc/new") {
			t.Fatalf("after the provider: %s", loc)
		}
		if !strings.Contains(b.text("main"), "Смирнова Ольга Петровна") {
			t.Fatal("the new-account page does not show the verified name")
		}
		b.submit(nil, "main form button[type=submit]") // without consent
		if !strings.Contains(b.text("main"), "нужно согласие") {
			t.Fatal("no error without consent")
		}
		b.run(chromedp.Click(chromedp.CSS("#consent")))
		b.submit(nil, "main form button[type=submit]")
		b.visit("/account")
		if !strings.Contains(b.text("main"), "подтверждена через Госуслуги") {
			t.Fatalf("account page:\n%s", b.text("main"))
		}
		b.submit(nil, "form[action='/logout'] button")
		b.login("admin@vpyshma.demo", DemoPassword)
		b.visit("/admin/appeals/settings")
		b.submit(nil, "main form button[type=submit]")
		b.visit("/admin/users?q=olga")
		if !strings.Contains(b.text("main"), "подтверждена (Госуслуги)") {
			t.Fatal("the account list does not show the identity level")
		}
	})
}
