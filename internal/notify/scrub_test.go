package notify_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/webtest"
)

// argsText reads every send_email job's arguments as text, by state.
func argsText(t *testing.T, d *db.DB) map[string][]string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT state, CAST(args AS TEXT) FROM river_job WHERE kind = 'send_email' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var state, args string
		if err := rows.Scan(&state, &args); err != nil {
			t.Fatal(err)
		}
		out[state] = append(out[state], args)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// After delivery the job table holds neither the recipient nor the text.
func TestDeliveredMailLeavesNoTrace(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		env.StartJobs()
		ctx := context.Background()
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return env.Mailer.Queue(ctx, tx, "tayna@example.ru", "confirm_email", map[string]any{"Municipality": "Город N", "Token": "sekret-token-42"})
		}); err != nil {
			t.Fatal(err)
		}
		env.Mail.WaitFor(t, "tayna@example.ru", "Подтвердите адрес", 20*time.Second)
		env.WaitJobsDone(t, 20*time.Second, "send_email")
		got := argsText(t, d)
		if len(got["completed"]) != 1 {
			t.Fatalf("jobs by state: %v", got)
		}
		for state, all := range got {
			for _, args := range all {
				if strings.Contains(args, "tayna") || strings.Contains(args, "sekret-token-42") || strings.Contains(args, "Подтвердите") {
					t.Errorf("a %s job keeps the message: %s", state, args)
				}
			}
		}
	})
}

// The sweep scrubs a delivered letter at once, a refused or cancelled one
// once it has been finished for RefusedKept (the administrator may send it
// again until then), and never a letter still to be sent.
func TestScrubFinishedEmailJobs(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		env.Server() // the queue inserts only: nothing is delivered here
		ctx := context.Background()
		// finished is how long ago the job finished, in hours; -1 for a
		// job not finished.
		cases := []struct {
			to, state string
			finished  int
			kept      bool
		}{
			{"delivered", "completed", 0, false},
			{"refused-today", "discarded", 1, true},
			{"refused-long-ago", "discarded", 25, false},
			{"cancelled-today", "cancelled", 0, true},
			{"cancelled-long-ago", "cancelled", 48, false},
			{"waiting", "available", -1, true},
			{"retrying", "retryable", -1, true},
			{"scheduled", "scheduled", -1, true},
		}
		for _, c := range cases {
			if err := d.InTx(ctx, func(tx *db.Tx) error {
				return env.Mailer.Queue(ctx, tx, c.to+"@example.ru", "confirm_email", map[string]any{"Municipality": "Город N", "Token": "t"})
			}); err != nil {
				t.Fatal(err)
			}
			// River's own form of the time on each engine.
			finalized := "NULL"
			if c.finished >= 0 {
				finalized = fmt.Sprintf("now() - interval '%d hours'", c.finished)
				if d.Dialect == db.SQLite {
					finalized = fmt.Sprintf("datetime('now', '-%d hours', 'subsec')", c.finished)
				}
			}
			if _, err := d.Exec(ctx, `UPDATE river_job SET state = ?, finalized_at = `+finalized+` WHERE id = (SELECT MAX(id) FROM river_job)`, c.state); err != nil {
				t.Fatal(err)
			}
		}
		n, err := env.Queue.ScrubFinished(ctx, "send_email", notify.RefusedKept)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("scrubbed %d jobs, want 3", n)
		}
		var all []string
		for _, args := range argsText(t, d) {
			all = append(all, args...)
		}
		joined := strings.Join(all, "\n")
		for _, c := range cases {
			if kept := strings.Contains(joined, c.to+"@example.ru"); kept != c.kept {
				t.Errorf("%s (%s, finished %d h ago): message kept %v, want %v", c.to, c.state, c.finished, kept, c.kept)
			}
		}
	})
}
