package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
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

// The sweep scrubs every finished job and leaves those still to be sent.
func TestScrubFinishedEmailJobs(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env := webtest.New(t, d)
		env.Server() // the queue inserts only: nothing is delivered here
		ctx := context.Background()
		states := []struct {
			state string
			kept  bool
		}{
			{"completed", false},
			{"discarded", false},
			{"cancelled", false},
			{"available", true},
			{"retryable", true},
			{"scheduled", true},
		}
		for _, s := range states {
			if err := d.InTx(ctx, func(tx *db.Tx) error {
				return env.Mailer.Queue(ctx, tx, s.state+"@example.ru", "confirm_email", map[string]any{"Municipality": "Город N", "Token": "t"})
			}); err != nil {
				t.Fatal(err)
			}
			var finalized any
			if !s.kept {
				finalized = d.Now()
			}
			if _, err := d.Exec(ctx, `UPDATE river_job SET state = ?, finalized_at = ? WHERE id = (SELECT MAX(id) FROM river_job)`, s.state, finalized); err != nil {
				t.Fatal(err)
			}
		}
		n, err := env.Queue.ScrubFinished(ctx, "send_email")
		if err != nil {
			t.Fatal(err)
		}
		if n < 3 {
			t.Errorf("scrubbed %d jobs, want 3", n)
		}
		got := argsText(t, d)
		for _, s := range states {
			all := got[s.state]
			if len(all) != 1 {
				t.Fatalf("%s: %d jobs", s.state, len(all))
			}
			if kept := strings.Contains(all[0], s.state+"@example.ru"); kept != s.kept {
				t.Errorf("%s: message kept %v, want %v (%s)", s.state, kept, s.kept, all[0])
			}
		}
	})
}
