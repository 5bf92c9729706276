package polls

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

// benchSurvey stores a published, open survey with one question of each
// kind and returns it.
func benchSurvey(b *testing.B, a *Area, munID int64) Survey {
	ctx := context.Background()
	now := a.DB.Now()
	s := Survey{Title: "Нагрузка", Audience: Anyone, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour)}
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		id, err := a.Store.Create(ctx, tx, munID, s)
		if err != nil {
			return err
		}
		s.ID = id
		for _, q := range demoSurveys[0].Questions {
			q.SurveyID = id
			if _, err := a.Store.AddQuestion(ctx, tx, munID, q); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE poll_surveys SET published_at = ? WHERE id = ?`, now, id)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	s, err = a.Store.Get(ctx, a.DB, munID, s.ID)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkSubmitAnswers measures the whole submission path on SQLite — an
// anonymous form POST through the middleware (session, municipality),
// the eligibility check, validation, and one transaction storing the
// response with its six answers — from 8 concurrent clients. It reports
// answers/s, and, measured in the same run on the same database, a bare
// single-row INSERT per transaction (the floor of any durable write) and
// the ratio of the two.
func BenchmarkSubmitAnswers(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	env := webtest.New(b, d)
	a, err := New(env.Deps(map[string]string{"GLASNOST_POLLS_IP_LIMIT": "off"}))
	if err != nil {
		b.Fatal(err)
	}
	a.Mount(env.Router)
	h := env.Handler()
	s := benchSurvey(b, a, env.Municipality.ID)
	ref := benchSurvey(b, a, env.Municipality.ID)
	q := s.Questions
	form := url.Values{
		q[0].Field(): {"1"}, q[1].Field(): {"0", "2"}, q[2].Field(): {"4"},
		q[3].RowField(0): {"2"}, q[3].RowField(1): {"1"}, q[3].RowField(2): {"0"},
	}.Encode()
	const clients = 8
	ctx := context.Background()

	run := func(n int, one func(i int) error) time.Duration {
		var next atomic.Int64
		var wg sync.WaitGroup
		var fail atomic.Value
		start := time.Now()
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1))
					if i > n {
						return
					}
					if err := one(i); err != nil {
						fail.Store(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if err, _ := fail.Load().(error); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	b.ResetTimer()
	refTime := run(b.N, func(i int) error {
		return d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO poll_responses (municipality_id, survey_id, respondent, created_at) VALUES (?, ?, ?, ?)`, env.Municipality.ID, ref.ID, fmt.Sprintf("ref:%d", i), d.Now())
			return err
		})
	})
	path := fmt.Sprintf("/polls/%d", s.ID)
	subTime := run(b.N, func(i int) error {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form))
		req.Host = "127.0.0.1"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			return fmt.Errorf("answer %d: status %d: %s", i, rec.Code, rec.Body.String())
		}
		return nil
	})
	b.StopTimer()
	if n := dbtest.Count(b, d, `SELECT COUNT(*) FROM poll_responses WHERE survey_id = ?`, s.ID); n != b.N {
		b.Fatalf("stored %d responses of %d", n, b.N)
	}
	answers := float64(b.N) / subTime.Seconds()
	bare := float64(b.N) / refTime.Seconds()
	b.ReportMetric(answers, "answers/s")
	b.ReportMetric(bare, "bare-inserts/s")
	b.ReportMetric(answers/bare, "ratio")
}
