package appeals

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/notify"
	"github.com/glasnost/glasnost/internal/webtest"
)

// queuedMail is what the queue holds for addr, oldest first: the letters
// as rendered when queued (the jobs are not run here, so that the periodic
// reminder job cannot race the runs under test).
func queuedMail(t *testing.T, d *db.DB, addr string) []notify.Message {
	t.Helper()
	// River keeps the arguments as JSONB on both engines; json() gives
	// SQLite's as text.
	args := `json(args)`
	if d.Dialect == db.Postgres {
		args = `args::text`
	}
	rows, err := d.Query(context.Background(), `SELECT `+args+` FROM river_job WHERE kind = 'send_email' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []notify.Message
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var args notify.SendEmailArgs
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			t.Fatal(err)
		}
		if args.Message.To == addr {
			out = append(out, args.Message)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The heads hear of overdue appeals in one letter per run that lists each
// appeal newly overdue, split past the most one letter lists; each appeal
// is still reported once, with a line in its history.
func TestOverdueAppealsReachHeadsInOneLetterPerRun(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		op := env.Client("appeals", auth.Operator)
		head := env.Client("affairs", auth.Administrator)
		housing := env.Client("housing", auth.Editor)
		create := func(daysAgo int, surname, email string) string {
			t.Helper()
			return createAssigned(t, env, op, housing, today.AddDays(-daysAgo), surname, email).Number
		}
		var overdue []string
		for _, s := range []string{"Лебедев", "Соколов", "Морозов", "Волков", "Зайцев"} {
			overdue = append(overdue, create(45, s, "author@example.ru"))
		}
		// Registered a week ago: its answer is not due yet.
		notDue := create(7, "Павлов", "pavlov@example.ru")

		// Two to a letter: five overdue appeals make three letters.
		if _, err := a.sendReminders(ctx, m, 2); err != nil {
			t.Fatal(err)
		}
		letters := queuedMail(t, d, head.Account.Email)
		if len(letters) != 3 {
			t.Fatalf("letters to the head: %d, want 3 (five appeals, two to a letter)", len(letters))
		}
		// The assignee, reminded of the appeal due within 5 working days
		// or not, gets no letter about the overdue ones: they go to the heads.
		for _, l := range queuedMail(t, d, housing.Account.Email) {
			for _, n := range overdue {
				if strings.Contains(l.Body, n) {
					t.Errorf("the assignee is told of overdue %s: %s", n, l.Subject)
				}
			}
		}
		// The first two list two appeals each; the third, with one left,
		// names it in the subject.
		for i, l := range letters[:2] {
			if n := strings.Count(l.Body, "/admin/appeals/"); n != 2 || l.Subject != "Просрочено обращений: 2" || !strings.Contains(l.Body, "/admin/appeals?overdue=yes") {
				t.Errorf("letter %d lists %d appeals under %q:\n%s", i+1, n, l.Subject, l.Body)
			}
		}
		if !strings.HasPrefix(letters[2].Subject, "Просрочено обращение № ") || strings.Count(letters[2].Body, "/admin/appeals/") != 1 {
			t.Errorf("letter 3: %q\n%s", letters[2].Subject, letters[2].Body)
		}
		all := letters[0].Body + letters[1].Body + letters[2].Body
		for _, n := range overdue {
			if strings.Count(all, "/admin/appeals/"+url.PathEscape(n)+"\n") != 1 || !strings.Contains(all, n+" истёк") && !strings.Contains(all, n+": срок рассмотрения истёк") {
				t.Errorf("appeal %s is not listed exactly once:\n%s", n, all)
			}
			if got := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeal_events h JOIN appeals a ON a.id = h.appeal_id WHERE a.number = ? AND h.note LIKE ?`, n, "%сообщено руководителю%"); got != 1 {
				t.Errorf("history of %s: %d entries about the head, want 1", n, got)
			}
		}
		if strings.Contains(all, notDue) {
			t.Errorf("an appeal not yet due is reported")
		}

		// A rerun repeats nothing; an appeal that becomes overdue later
		// comes alone in the next letter.
		if n, err := a.sendReminders(ctx, m, 2); err != nil || n != 0 {
			t.Errorf("second run queued %d letters, %v: each appeal is reported once", n, err)
		}

		// Three answers due within days: the assignee gets one letter
		// listing them, with the working days left.
		var soon []string
		for range 3 {
			soon = append(soon, create(28, "Никитин", "author@example.ru"))
		}
		before := len(queuedMail(t, d, housing.Account.Email))
		if _, err := a.SendReminders(ctx, m); err != nil {
			t.Fatal(err)
		}
		due := queuedMail(t, d, housing.Account.Email)[before:]
		if len(due) != 1 || due[0].Subject != "Истекают сроки по обращениям: 3" || strings.Count(due[0].Body, "осталось рабочих дней") != 3 {
			t.Fatalf("letters to the assignee: %d, want one listing three appeals: %+v", len(due), due)
		}
		for _, n := range soon {
			if !strings.Contains(due[0].Body, "№ "+n+": срок рассмотрения истекает") {
				t.Errorf("appeal %s missing from the assignee's letter:\n%s", n, due[0].Body)
			}
		}
		if got := len(queuedMail(t, d, head.Account.Email)); got != 3 {
			t.Errorf("the head got a letter about appeals not yet overdue: %d letters", got)
		}

		late := create(40, "Егоров", "author@example.ru")
		if n, err := a.SendReminders(ctx, m); err != nil || n < 1 {
			t.Fatalf("third run: %d, %v", n, err)
		}
		// Alone in its letter, it is named in the subject.
		letters = queuedMail(t, d, head.Account.Email)
		if len(letters) != 4 || letters[3].Subject != "Просрочено обращение № "+late || !strings.Contains(letters[3].Body, "/admin/appeals/"+url.PathEscape(late)) {
			t.Errorf("the newly overdue appeal, alone in a fourth letter: %d letters, last: %q\n%s", len(letters), letters[len(letters)-1].Subject, letters[len(letters)-1].Body)
		}
	})
}

// createAssigned has op register a complaint received on day through the API and
// assigns it to assignee in the housing department, so that of its
// deadlines only the answer's is left to pass.
func createAssigned(t *testing.T, env *webtest.Env, op, assignee *webtest.Client, day deadline.Date, surname, email string) APIAppeal {
	t.Helper()
	r := op.API("POST", "/api/v1/appeals", map[string]any{"channel": "medo", "received_at": day.String(), "registered_at": day.String(),
		"author": map[string]string{"last_name": surname, "first_name": "Игорь", "email": email}, "text": "Нет отопления.", "type": "complaint"})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var c APIAppeal
	r.JSON(t, &c)
	if r := op.API("POST", "/api/v1/appeals/"+url.PathEscape(c.Number)+"/assign", map[string]any{"department_id": env.Departments["housing"], "assignee_id": assignee.Account.ID}); r.Status != 200 {
		t.Fatalf("assign: %d %s", r.Status, r.Body)
	}
	return c
}
