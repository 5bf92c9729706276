package media

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestMakeDigest(t *testing.T) {
	d := MakeDigest("2026-03-16", []Mention{
		{Source: "Газета", Topic: "ЖКХ", Tonality: Negative, Title: "Мусор", Link: "https://x/1"},
		{Source: "Газета", Topic: "Глава", Tonality: Positive},
		{Source: "ВК", Topic: "ЖКХ"},
	}, 5)
	if d.Total != 3 || d.Data.BySource[0] != (Count{"Газета", 2}) || d.Data.ByTopic[0] != (Count{"ЖКХ", 2}) ||
		len(d.Data.Negative) != 1 || d.Data.ByTonality[2] != (Count{"Негативная", 1}) || d.Data.ByTonality[3] != (Count{"Не оценена", 1}) {
		t.Errorf("digest %+v", d)
	}
	if d.Change() != "на 2 меньше, чем неделей ранее (5)" {
		t.Errorf("change = %q", d.Change())
	}
}

func TestWeekDigest(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		useClock(d, time.Date(2026, 3, 23, 3, 0, 0, 0, time.UTC))
		env, a := newArea(t, d)
		press := env.Account("press", auth.Press)
		mun := env.Municipality.ID
		err := d.InTx(ctx, func(tx *db.Tx) error {
			s := Source{Title: "Газета «Вести»", URL: "https://vesti.example/rss"}
			if err := CreateSource(ctx, tx, mun, &s, d.Now()); err != nil {
				return err
			}
			for i, m := range []Mention{
				{Title: "Жалобы на мусор", Link: "https://vesti.example/1", Topic: "ЖКХ", PublishedAt: time.Date(2026, 3, 17, 6, 0, 0, 0, time.UTC)},
				{Title: "Открыли детский сад", Link: "https://vesti.example/2", Topic: "Образование", PublishedAt: time.Date(2026, 3, 18, 6, 0, 0, 0, time.UTC)},
				{Title: "Прошлая неделя", Link: "https://vesti.example/0", Topic: "ЖКХ", PublishedAt: time.Date(2026, 3, 12, 6, 0, 0, 0, time.UTC)},
			} {
				m.SourceID = s.ID
				if _, err := AddMention(ctx, tx, mun, m, d.Now()); err != nil {
					return err
				}
				if i == 0 {
					if _, err := tx.Exec(ctx, `UPDATE media_mentions SET tonality = 'negative' WHERE link = ?`, m.Link); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// The Monday job makes the digest of the week just ended; made by
		// the job or by this call, whichever comes first, there is one.
		env.StartJobs()
		if _, err := a.WeekDigest(ctx, env.Municipality, "2026-03-16"); err != nil {
			t.Fatal(err)
		}
		env.WaitJobsDone(t, 20*time.Second, "media_week_report")
		list, _, err := Digests(ctx, d, mun, 10, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("digests: %v %d", err, len(list))
		}
		dg := list[0]
		if dg.WeekStart != "2026-03-16" || dg.Total != 2 || dg.PreviousTotal != 1 || len(dg.Data.Negative) != 1 {
			t.Fatalf("digest %+v", dg)
		}
		if again, err := a.WeekDigest(ctx, env.Municipality, "2026-03-16"); err != nil || again.ID != 0 {
			t.Errorf("second digest of the week: %+v %v", again, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'media.digest_published'`); n != 1 {
			t.Errorf("digest events: %d", n)
		}
		msg := env.Mail.WaitFor(t, press.Email, "Обзор мониторинга СМИ", 10*time.Second)
		if !strings.Contains(msg.Body, "Жалобы на мусор") {
			t.Errorf("mail lacks the negative mention:\n%s", msg.Body)
		}
		anon := env.Anonymous()
		page := anon.Get("/media/digests/" + itoa(dg.ID))
		if page.Status != http.StatusOK || strings.Count(page.Body, "<svg") != 3 || !strings.Contains(page.Body, `href="https://vesti.example/1"`) ||
			!strings.Contains(page.Body, "на 1 больше, чем неделей ранее (1)") {
			t.Errorf("digest page: %d\n%s", page.Status, page.Body)
		}
		noInlineCode(t, "/media/digests/{id}", page.Body)
		if r := anon.Get("/media/digests/" + itoa(dg.ID) + "/digest.pdf"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "%PDF") {
			t.Errorf("digest pdf: %d", r.Status)
		}
		if r := anon.Get("/media"); r.Status != http.StatusOK || !strings.Contains(r.Body, "/media/digests/"+itoa(dg.ID)) {
			t.Errorf("press centre: %d", r.Status)
		}
	})
}
