package polls

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/web"
)

func TestTally(t *testing.T) {
	single := Question{ID: 1, Kind: Single, Options: []string{"А", "Б"}}
	scale := Question{ID: 2, Kind: Scale}
	matrix := Question{ID: 3, Kind: Matrix, Options: []string{"Нет", "Да"}, Rows: []string{"Р1", "Р2"}}
	multi := Question{ID: 4, Kind: Multiple, Options: []string{"X", "Y", "Z"}}
	text := Question{ID: 5, Kind: Text}
	for _, tc := range []struct {
		name     string
		q        Question
		cells    []Cell
		answered int
		want     [][]Option
		avg10    int
	}{
		{"no answers", single, nil, 0, [][]Option{{{"А", 0, 0}, {"Б", 0, 0}}}, 0},
		{"single", single, []Cell{{1, 0, 0, 1}, {1, 0, 1, 2}}, 3, [][]Option{{{"А", 1, 33}, {"Б", 2, 67}}}, 0},
		{"scale keeps the score and averages", scale, []Cell{{2, 0, 5, 3}, {2, 0, 4, 1}}, 4, [][]Option{{{"1", 0, 0}, {"2", 0, 0}, {"3", 0, 0}, {"4", 1, 25}, {"5", 3, 75}}}, 48},
		{"matrix rows", matrix, []Cell{{3, 0, 1, 2}, {3, 1, 0, 1}, {3, 1, 1, 1}}, 2, [][]Option{{{"Нет", 0, 0}, {"Да", 2, 100}}, {{"Нет", 1, 50}, {"Да", 1, 50}}}, 0},
		{"multiple sums over 100%", multi, []Cell{{4, 0, 0, 2}, {4, 0, 2, 2}}, 2, [][]Option{{{"X", 2, 100}, {"Y", 0, 0}, {"Z", 2, 100}}}, 0},
		{"other questions' cells ignored", single, []Cell{{9, 0, 0, 5}}, 0, [][]Option{{{"А", 0, 0}, {"Б", 0, 0}}}, 0},
		{"text has no rows", text, nil, 3, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := Tally([]Question{tc.q}, tc.cells, map[int64]int{tc.q.ID: tc.answered})
			var got [][]Option
			for _, r := range rs[0].Rows {
				got = append(got, r.Options)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if rs[0].Average10 != tc.avg10 || rs[0].Answered != tc.answered {
				t.Errorf("average×10 %d answered %d", rs[0].Average10, rs[0].Answered)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	qs := []Question{
		{ID: 1, Kind: Single, Required: true, Options: []string{"А", "Б"}},
		{ID: 2, Kind: Multiple, Options: []string{"X", "Y"}},
		{ID: 3, Kind: Scale},
		{ID: 4, Kind: Matrix, Required: true, Options: []string{"Нет", "Да"}, Rows: []string{"Р1", "Р2"}},
		{ID: 5, Kind: Text},
	}
	ok := url.Values{"q1": {"1"}, "q2": {"0", "1", "1"}, "q3": {"5"}, "q4_0": {"0"}, "q4_1": {"1"}, "q5": {" текст "}}
	for _, tc := range []struct {
		name   string
		change func(url.Values)
		field  string
		count  int
	}{
		{"valid", func(url.Values) {}, "", 7},
		{"required single missing", func(v url.Values) { v.Del("q1") }, "q1", 0},
		{"two choices in single", func(v url.Values) { v["q1"] = []string{"0", "1"} }, "q1", 0},
		{"option out of range", func(v url.Values) { v.Set("q1", "2") }, "q1", 0},
		{"not a number", func(v url.Values) { v.Set("q2", "x") }, "q2", 0},
		{"scale 0", func(v url.Values) { v.Set("q3", "0") }, "q3", 0},
		{"scale 6", func(v url.Values) { v.Set("q3", "6") }, "q3", 0},
		{"optional scale empty", func(v url.Values) { v.Del("q3") }, "", 6},
		{"required matrix row missing", func(v url.Values) { v.Del("q4_1") }, "q4", 0},
		{"text too long", func(v url.Values) { v.Set("q5", strings.Repeat("я", MaxText+1)) }, "q5", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{}
			for k, x := range ok {
				v[k] = append([]string(nil), x...)
			}
			tc.change(v)
			answers, errs := Validate(qs, FromForm(qs, v))
			if tc.field == "" && len(errs) > 0 || tc.field != "" && errs[tc.field] == "" {
				t.Fatalf("errors %v, want one on %q", errs, tc.field)
			}
			if len(answers) != tc.count {
				t.Fatalf("%d answers, want %d: %v", len(answers), tc.count, answers)
			}
		})
	}
}

func TestWishesQueue(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		for i, s := range []string{"Добавьте график приёма", "", "Нужна карта остановок"} {
			if _, err := d.Exec(ctx, `INSERT INTO site_feedback (municipality_id, path, relevance, completeness, usefulness, suggestion, ip_key, browser_key, day, created_at) VALUES (?, '/news', 4, 4, 4, ?, ?, ?, '2026-11-20', ?)`,
				env.Municipality.ID, s, fmt.Sprint("ip", i), fmt.Sprint("b", i), fixedNow); err != nil {
				t.Fatal(err)
			}
		}
		c, err := a.WishCounts(ctx, env.Municipality.ID)
		if err != nil || c.New != 2 || c.Total() != 2 {
			t.Fatalf("counts %+v %v", c, err)
		}
		staff := env.Client("press", auth.Editor)
		page := staff.Get("/admin/polls/wishes")
		if !strings.Contains(page.Body, "Нужна карта остановок") {
			t.Fatal("queue lacks a suggestion")
		}
		var first, second int64
		if err := d.QueryRow(ctx, `SELECT MIN(id), MAX(id) FROM site_feedback WHERE suggestion <> ''`).Scan(&first, &second); err != nil {
			t.Fatal(err)
		}
		r := staff.PostForm(fmt.Sprintf("/admin/poll-wishes/%d", first), url.Values{"status": {WishDeclined}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Укажите причину") {
			t.Fatalf("decline without a reason: %d", r.Status)
		}
		if r := staff.PostForm(fmt.Sprintf("/admin/poll-wishes/%d", first), url.Values{"status": {WishDeclined}, "reason": {"Уже есть на странице приёма"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("decline: %d", r.Status)
		}
		if r := staff.PostForm(fmt.Sprintf("/admin/poll-wishes/%d", second), url.Values{"status": {WishAccepted}}); r.Status != http.StatusSeeOther {
			t.Fatalf("accept: %d", r.Status)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('polls.wish.declined', 'polls.wish.accepted')`); n != 2 {
			t.Fatalf("audit records %d", n)
		}
		pub := env.Anonymous().Get("/polls").Body
		for _, want := range []string{"Включено в план развития сайта</th><td>1", "Отклонено</th><td>1", "Ещё не рассмотрено</th><td>0"} {
			if !strings.Contains(pub, want) {
				t.Errorf("/polls lacks %q", want)
			}
		}
		if r := env.Client("", auth.Resident).PostForm(fmt.Sprintf("/admin/poll-wishes/%d", first), url.Values{"status": {WishAccepted}}); r.Status != http.StatusForbidden {
			t.Fatalf("resident handles a wish: %d", r.Status)
		}
	})
}

func TestDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		for range 2 {
			if err := a.Demo(context.Background(), env.Municipality); err != nil {
				t.Fatal(err)
			}
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM poll_surveys`); n != 2 {
			t.Fatalf("surveys %d", n)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'polls.results_published'`); n != 1 {
			t.Fatalf("results events %d", n)
		}
		list, _, err := a.Store.List(context.Background(), env.Municipality.ID, ListFilter{Public: true}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		open, closed := 0, 0
		for _, s := range list {
			if s.Open(fixedNow) {
				open++
			}
			if s.Closed(fixedNow) && s.ResultsVisible(fixedNow) && s.Responses > 100 {
				closed++
			}
		}
		if open != 1 || closed != 1 {
			t.Fatalf("open %d closed with results %d", open, closed)
		}
	})
}

func TestFeedSitemapAndContribution(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		if err := a.Demo(context.Background(), env.Municipality); err != nil {
			t.Fatal(err)
		}
		f := env.Anonymous().Get("/polls/feed.atom")
		if f.Status != http.StatusOK || strings.Count(f.Body, "<entry>") != 3 || !strings.Contains(f.Body, "Итоги опроса: Благоустройство") {
			t.Fatalf("feed: %d\n%s", f.Status, f.Body)
		}
		urls, err := a.sitemap(context.Background(), env.Municipality.ID)
		if err != nil || len(urls) != 3 {
			t.Fatalf("sitemap %v %v", urls, err)
		}
		c := a.Contribution()
		if len(c.Mechanisms) != 1 || c.Mechanisms[0].Number != 2 || len(c.Evidence) != 2 || len(c.Datasets) != 1 || c.Datasets[0].Code != "poll_results" {
			t.Fatalf("contribution %+v", c)
		}
		// Staff see the demo's texts left for moderation; residents see no tasks.
		tasks, err := a.tasks(context.Background(), env.Municipality, &webAdmin)
		if err != nil || len(tasks) != 1 || tasks[0].Count != 2 {
			t.Fatalf("staff tasks %+v %v", tasks, err)
		}
		if tasks, _ := a.tasks(context.Background(), env.Municipality, &web.Viewer{ID: 2, Roles: []string{auth.Resident}}); len(tasks) != 0 {
			t.Fatalf("resident tasks %+v", tasks)
		}
	})
}
