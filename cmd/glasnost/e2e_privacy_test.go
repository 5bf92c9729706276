package main

import (
	"strings"
	"testing"
)

// TestBrowserPrivacy walks the personal-data pages with axe-core: the
// policy from the footer, the registration consent, the appeal notice and
// the deletion of an account.
func TestBrowserPrivacy(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	e2eEngines(t, func(t *testing.T, srv *server, b *browser) {
		b.visit("/")
		if href := b.attr(".site-footer a[href='/privacy']", "href"); href != "/privacy" {
			t.Fatalf("footer policy link %q", href)
		}
		b.visit("/privacy")
		if s := b.text("main"); !strings.Contains(s, "Оператор") || !strings.Contains(s, "59-ФЗ") {
			t.Errorf("policy = %q", s)
		}
		b.visit("/register")
		if s := b.text(".consent-text"); !strings.Contains(s, "Отозвать") {
			t.Errorf("registration consent = %q", s)
		}
		b.login("resident@vpyshma.demo", DemoPassword)
		b.visit("/appeals/new")
		if s := b.text(".pd-notice"); !strings.Contains(s, "Согласие на это не требуется") {
			t.Errorf("appeal notice = %q", s)
		}
		b.visit("/account")
		b.visit("/account/delete")
		b.submit(map[string]string{"#password": DemoPassword}, "main form button[type=submit]")
		if s := b.text(".error-summary"); !strings.Contains(s, "Отметьте") {
			t.Fatalf("deletion without confirmation: %q", s)
		}
		b.click("#confirm")
		b.submit(map[string]string{"#password": DemoPassword}, "main form button[type=submit]")
		if s := b.text(".flash"); !strings.Contains(s, "Учётная запись удалена") {
			t.Errorf("after deletion: %q", s)
		}
	})
}
