package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/webtest"
)

func TestParseSMTPURL(t *testing.T) {
	cases := []struct {
		in      string
		ok      bool
		port    int
		tls     bool
		user    string
		errPart string
	}{
		{"smtp://mail.example.ru?from=portal@example.ru", true, 587, false, "", ""},
		{"smtp://u:p@mail.example.ru:2525?from=portal@example.ru", true, 2525, false, "u", ""},
		{"smtps://mail.example.ru?from=portal@example.ru", true, 465, true, "", ""},
		{"smtp://mail.example.ru", false, 0, false, "", "from"},
		{"imap://mail.example.ru?from=a@b.ru", false, 0, false, "", "схема"},
		{"smtp://mail.example.ru:99999?from=a@b.ru", false, 0, false, "", "порт"},
		{"mail.example.ru", false, 0, false, "", "smtp://"},
	}
	for _, c := range cases {
		got, err := notify.ParseSMTPURL(c.in)
		if c.ok != (err == nil) {
			t.Errorf("%s: err = %v", c.in, err)
			continue
		}
		if !c.ok {
			if !strings.Contains(err.Error(), c.errPart) {
				t.Errorf("%s: error %q lacks %q", c.in, err, c.errPart)
			}
			continue
		}
		if got.Port != c.port || got.TLS != c.tls || got.User != c.user {
			t.Errorf("%s: %+v", c.in, got)
		}
	}
}

// TestMailIsQueuedAndDelivered sends a confirmation letter through the job
// queue to a real SMTP server and reads it back.
func TestMailIsQueuedAndDelivered(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		env.StartJobs()
		ctx := context.Background()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return env.Mailer.Queue(ctx, tx, "zhitel@example.ru", "confirm_email", map[string]any{"Municipality": "Город N", "Token": "abc123"})
		})
		if err != nil {
			t.Fatal(err)
		}
		m := env.Mail.WaitFor(t, "zhitel@example.ru", "Подтвердите адрес", 20*time.Second)
		if !strings.Contains(m.Body, "http://portal.test/confirm?token=abc123") || !strings.Contains(m.Body, "«Город N»") {
			t.Fatalf("body:\n%s", m.Body)
		}
		if m.From != "portal@glasnost.test" {
			t.Errorf("from = %s", m.From)
		}
	})
}

func TestRolledBackChangeSendsNoMail(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		env.StartJobs()
		ctx := context.Background()
		_ = env.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := env.Mailer.Queue(ctx, tx, "never@example.ru", "confirm_email", map[string]any{"Token": "x"}); err != nil {
				return err
			}
			return context.Canceled // the change fails after queuing
		})
		_ = env.DB.InTx(ctx, func(tx *db.Tx) error {
			return env.Mailer.Queue(ctx, tx, "after@example.ru", "confirm_email", map[string]any{"Token": "y"})
		})
		env.Mail.WaitFor(t, "after@example.ru", "Подтвердите", 20*time.Second)
		for _, m := range env.Mail.Messages() {
			for _, to := range m.To {
				if to == "never@example.ru" {
					t.Fatal("a letter queued in a rolled-back transaction was sent")
				}
			}
		}
	})
}
