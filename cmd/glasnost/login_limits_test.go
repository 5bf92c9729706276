package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

// TestLoginThrottleCountsOnlyFailures: a person who signs in correctly
// twenty times in a row is never throttled; wrong passwords still lock
// the address after a few tries, the right one included.
func TestLoginThrottleCountsOnlyFailures(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		for i := range 20 {
			if r := c.post("/login", url.Values{"email": {"editor@vpyshma.demo"}, "password": {DemoPassword}}); r.status != http.StatusSeeOther {
				t.Fatalf("correct sign-in number %d: %d", i+1, r.status)
			}
		}
		other := app.anonymous()
		for i := range 5 {
			if r := other.post("/login", url.Values{"email": {"lawyer@vpyshma.demo"}, "password": {"wrong-" + string(rune('a'+i))}}); r.status != http.StatusUnprocessableEntity {
				t.Fatalf("wrong password number %d: %d", i+1, r.status)
			}
		}
		if r := other.post("/login", url.Values{"email": {"lawyer@vpyshma.demo"}, "password": {DemoPassword}}); r.status != http.StatusTooManyRequests {
			t.Fatalf("right password after five failures: %d", r.status)
		}
	})
}

// TestConfirmationLetterIsSentAgain: a resident whose letter did not come
// asks for another and gets it through real SMTP; a second request at
// once is refused; a confirmed or unknown address gets no letter, with
// the same answer.
func TestConfirmationLetterIsSentAgain(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		if r := c.post("/register", url.Values{"full_name": {"Анна Петрова"}, "email": {"anna@example.ru"}, "password": {"синий трамвай гудит"}, "password2": {"синий трамвай гудит"}, "consent": {"yes"}}); r.status != http.StatusOK {
			t.Fatalf("register: %d", r.status)
		}
		app.mail.WaitFor(t, "anna@example.ru", "Подтвердите", 20*time.Second)
		if r := c.get("/login"); !strings.Contains(r.body, `href="/confirm/resend"`) {
			t.Fatal("the login page does not offer a new confirmation letter")
		}
		r := c.post("/confirm/resend", url.Values{"email": {"Anna@Example.ru"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("resend: %d %s", r.status, grepLines(r.body, "error"))
		}
		if next := c.get(r.header.Get("Location")); !strings.Contains(next.body, "придёт новое письмо") {
			t.Fatalf("resend answer:\n%s", grepLines(next.body, "письм"))
		}
		deadline := time.Now().Add(20 * time.Second)
		for countTo(app, "anna@example.ru") < 2 {
			if time.Now().After(deadline) {
				t.Fatalf("the second confirmation letter did not come (%d letters)", countTo(app, "anna@example.ru"))
			}
			time.Sleep(100 * time.Millisecond)
		}
		var last webtest.Received
		for _, m := range app.mail.Messages() {
			if len(m.To) > 0 && m.To[0] == "anna@example.ru" {
				last = m
			}
		}
		confirm := linkFrom(t, last.Body, "/confirm?token=")
		if r := c.get(strings.TrimPrefix(confirm, app.Config.BaseURL)); r.status != http.StatusSeeOther {
			t.Fatalf("the new link does not confirm: %d", r.status)
		}
		if r := c.post("/confirm/resend", url.Values{"email": {"anna@example.ru"}}); r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Подождите") {
			t.Fatalf("second request at once: %d", r.status)
		}
		if r := app.anonymous().post("/confirm/resend", url.Values{"email": {"nobody@example.ru"}}); r.status != http.StatusSeeOther {
			t.Fatalf("unknown address: %d", r.status)
		}
		// Whatever the request queued is in the queue now: wait until
		// every letter job has run, then look at the mail server.
		for deadline := time.Now().Add(20 * time.Second); dbtest.Count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'send_email' AND state NOT IN ('completed', 'discarded', 'cancelled')`) > 0; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("letters still queued after 20 s")
			}
		}
		if n := countTo(app, "nobody@example.ru"); n != 0 {
			t.Fatalf("letters to an unknown address: %d", n)
		}
	})
}

// TestConfirmationLetterWithoutMail: without SMTP the page and the answer
// say that no letter can be sent, never that one was.
func TestConfirmationLetterWithoutMail(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestAppMail(t, d, false)
		c := app.anonymous()
		if r := c.get("/confirm/resend"); !strings.Contains(r.body, "не настроена отправка почты") {
			t.Fatalf("resend page without mail:\n%s", grepLines(r.body, "почт"))
		}
		r := c.post("/confirm/resend", url.Values{"email": {"resident@vpyshma.demo"}})
		next := c.get(r.header.Get("Location"))
		if strings.Contains(next.body, "придёт") || !strings.Contains(next.body, "отправить нельзя") {
			t.Fatalf("resend without mail claims a letter:\n%s", grepLines(next.body, "письм"))
		}
	})
}

func countTo(app *testApp, addr string) int {
	n := 0
	for _, m := range app.mail.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				n++
			}
		}
	}
	return n
}
