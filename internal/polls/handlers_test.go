package polls

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/webtest"
)

var fixedNow = time.Date(2026, time.November, 29, 7, 0, 0, 0, time.UTC)

func newArea(t *testing.T, d *db.DB) (*webtest.Env, *Area) {
	t.Helper()
	d.Now = func() time.Time { return fixedNow }
	env := webtest.New(t, d)
	a, err := New(env.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	env.Portal.Add(a.Contribution())
	return env, a
}

// groups is a fake reference groups' directory.
type groups map[int64][]string

func (g groups) GroupMembers(context.Context, int64, []int64) ([]portal.GroupMember, error) {
	return nil, nil
}
func (g groups) GroupsOf(_ context.Context, _, id int64) ([]string, error) { return g[id], nil }

var idRe = regexp.MustCompile(`/admin/polls/(\d+)`)

// build creates a survey through the staff pages with one question of each
// kind and returns its id.
func build(t *testing.T, staff *webtest.Client, audience, group string, publish bool) string {
	t.Helper()
	r := staff.PostForm("/admin/polls/new", url.Values{"title": {"Опрос " + audience}, "audience": {audience}, "audience_group": {group}, "opens": {"2026-11-01"}, "closes": {"2026-12-31"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	id := idRe.FindStringSubmatch(r.Header.Get("Location"))[1]
	for _, q := range []url.Values{
		{"text": {"Один"}, "kind": {Single}, "required": {"1"}, "options": {"А\nБ\nВ"}},
		{"text": {"Несколько"}, "kind": {Multiple}, "options": {"X\nY\nZ"}},
		{"text": {"Шкала"}, "kind": {Scale}, "required": {"1"}},
		{"text": {"Матрица"}, "kind": {Matrix}, "options": {"Плохо\nХорошо"}, "rows": {"Сайт\nПриём"}},
		{"text": {"Текст"}, "kind": {Text}},
	} {
		if r := staff.PostForm("/admin/polls/"+id+"/questions", q); r.Status != http.StatusSeeOther {
			t.Fatalf("add question %v: %d %s", q, r.Status, r.Body)
		}
	}
	// The editor shows each question with its edit form; a bad edit comes
	// back with the error beside that question.
	qs := questionIDsOf(t, staff, id)
	if r := staff.PostForm(fmt.Sprintf("/admin/polls/%s/questions/%d", id, qs[0]), url.Values{"text": {"Один"}, "kind": {Single}, "options": {"только один"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Вопрос не сохранён") {
		t.Fatalf("bad question edit: %d", r.Status)
	}
	if r := staff.Get("/admin/polls/" + id); r.Status != http.StatusOK || strings.Count(r.Body, "Изменить вопрос") != 5 {
		t.Fatalf("editor page: %d", r.Status)
	}
	if publish {
		if r := staff.PostForm("/admin/polls/"+id+"/publish", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", r.Status, r.Body)
		}
	}
	return id
}

var questionRe = regexp.MustCompile(`id="question-(\d+)"`)

func questionIDsOf(t *testing.T, staff *webtest.Client, id string) []int64 {
	t.Helper()
	var out []int64
	for _, m := range questionRe.FindAllStringSubmatch(staff.Get("/admin/polls/"+id).Body, -1) {
		var n int64
		fmt.Sscan(m[1], &n)
		out = append(out, n)
	}
	if len(out) == 0 {
		t.Fatal("the editor lists no questions")
	}
	return out
}

func questionIDs(t *testing.T, a *Area, env *webtest.Env, id string) []int64 {
	t.Helper()
	var sid int64
	fmt.Sscan(id, &sid)
	qs, err := a.Store.Questions(context.Background(), a.DB, sid)
	if err != nil || len(qs) != 5 {
		t.Fatalf("questions: %v %d", err, len(qs))
	}
	out := make([]int64, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func answerForm(q []int64, single string, text string) url.Values {
	return url.Values{
		fmt.Sprintf("q%d", q[0]):   {single},
		fmt.Sprintf("q%d", q[1]):   {"0", "2"},
		fmt.Sprintf("q%d", q[2]):   {"4"},
		fmt.Sprintf("q%d_0", q[3]): {"1"},
		fmt.Sprintf("q%d_1", q[3]): {"0"},
		fmt.Sprintf("q%d", q[4]):   {text},
	}
}

func TestSurveyAnonymousOneAnswerPerBrowser(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		staff := env.Client("press", auth.Editor)
		id := build(t, staff, Anyone, "", true)
		q := questionIDs(t, a, env, id)
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'polls.survey_published' AND object_id = ?`, id); n != 1 {
			t.Fatalf("survey_published events: %d", n)
		}
		anon := env.Anonymous()
		page := anon.Get("/polls/" + id)
		for _, want := range []string{"один браузер ответил один раз", "cookie", "Отправить ответ", "<legend>Один"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("survey page lacks %q", want)
			}
		}
		// A missing required answer keeps what was typed.
		bad := answerForm(q, "", "мой текст")
		r := anon.PostForm("/polls/"+id, bad)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "обязательный вопрос") || !strings.Contains(r.Body, "мой текст") {
			t.Fatalf("missing required: %d", r.Status)
		}
		if r := anon.PostForm("/polls/"+id, answerForm(q, "1", "Добавьте расписание")); r.Status != http.StatusSeeOther {
			t.Fatalf("answer: %d %s", r.Status, r.Body)
		}
		if r := anon.PostForm("/polls/"+id, answerForm(q, "2", "")); r.Status != http.StatusConflict || !strings.Contains(r.Body, "уже ответили") {
			t.Fatalf("second answer from the same browser: %d", r.Status)
		}
		if !strings.Contains(anon.Get("/polls/"+id).Body, "Вы уже ответили") {
			t.Error("the page does not say the browser answered")
		}
		// Another browser may answer; a signed-in resident answers once.
		if r := env.Anonymous().PostForm("/polls/"+id, answerForm(q, "2", "")); r.Status != http.StatusSeeOther {
			t.Fatalf("other browser: %d", r.Status)
		}
		res := env.Client("", auth.Resident)
		if r := res.PostForm("/polls/"+id, answerForm(q, "2", "")); r.Status != http.StatusSeeOther {
			t.Fatalf("resident: %d", r.Status)
		}
		if r := res.PostForm("/polls/"+id, answerForm(q, "0", "")); r.Status != http.StatusConflict {
			t.Fatalf("resident twice: %d", r.Status)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM poll_responses`); n != 3 {
			t.Fatalf("responses: %d", n)
		}
		// Results are hidden from the public until the survey closes.
		if r := env.Anonymous().Get("/polls/" + id + "/results.csv"); r.Status != http.StatusNotFound {
			t.Fatalf("results before close: %d", r.Status)
		}
	})
}

func TestSurveyAnonymousRateLimit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		id := build(t, env.Client("press", auth.Editor), Anyone, "", true)
		q := questionIDs(t, a, env, id)
		limited := 0
		for range AnonBurst + 2 {
			r := env.Anonymous().PostForm("/polls/"+id, answerForm(q, "0", ""))
			if r.Status == http.StatusTooManyRequests {
				limited++
			}
		}
		if limited != 2 {
			t.Fatalf("limited %d of %d anonymous answers from one address, want 2", limited, AnonBurst+2)
		}
	})
}

func TestSurveyAudiences(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		staff := env.Client("press", auth.Editor)
		// Without a groups directory a group survey cannot be built.
		r := staff.PostForm("/admin/polls/new", url.Values{"title": {"Группа"}, "audience": {Group}, "audience_group": {"ЖКХ"}, "opens": {"2026-11-01"}, "closes": {"2026-12-31"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "не подключён") {
			t.Fatalf("group survey without directory: %d", r.Status)
		}
		res := build(t, staff, Residents, "", true)
		rq := questionIDs(t, a, env, res)
		if r := env.Anonymous().PostForm("/polls/"+res, answerForm(rq, "0", "")); r.Status != http.StatusConflict || !strings.Contains(r.Body, "войдите") {
			t.Fatalf("anonymous on a residents' survey: %d", r.Status)
		}
		if r := env.Anonymous().API("POST", "/api/v1/polls/"+res+"/answers", map[string]any{"answers": map[string]any{}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("anonymous API on a residents' survey: %d", r.Status)
		}
		member, other := env.Client("", auth.Resident), env.Client("", auth.Resident)
		env.Portal.Add(portal.Contribution{Name: "groups", Groups: groups{member.Account.ID: {"ЖКХ"}}})
		grp := build(t, staff, Group, "ЖКХ", true)
		gq := questionIDs(t, a, env, grp)
		if r := other.PostForm("/polls/"+grp, answerForm(gq, "0", "")); r.Status != http.StatusConflict || !strings.Contains(r.Body, "референтной группы") {
			t.Fatalf("non-member: %d", r.Status)
		}
		if r := member.PostForm("/polls/"+grp, answerForm(gq, "0", "")); r.Status != http.StatusSeeOther {
			t.Fatalf("member: %d %s", r.Status, r.Body)
		}
		// A draft is not public.
		draft := build(t, staff, Anyone, "", false)
		if r := env.Anonymous().Get("/polls/" + draft); r.Status != http.StatusNotFound {
			t.Fatalf("draft: %d", r.Status)
		}
		if r := env.Client("", auth.Resident).Get("/admin/polls"); r.Status != http.StatusForbidden {
			t.Fatalf("resident on admin: %d", r.Status)
		}
	})
}

func TestModerationResultsAndExports(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		staff := env.Client("press", auth.Editor)
		id := build(t, staff, Anyone, "", true)
		q := questionIDs(t, a, env, id)
		for i, text := range []string{"Публикуемый ответ", "Иванов Иван, тел. 123"} {
			if r := env.Anonymous().PostForm("/polls/"+id, answerForm(q, fmt.Sprint(i), text)); r.Status != http.StatusSeeOther {
				t.Fatalf("answer: %d", r.Status)
			}
		}
		var ids []int64
		rows, err := d.Query(context.Background(), `SELECT id FROM poll_answers WHERE text <> '' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, x)
		}
		rows.Close()
		if len(ids) != 2 {
			t.Fatalf("texts: %v", ids)
		}
		if !strings.Contains(staff.Get("/admin/polls/moderation").Body, "Иванов Иван") {
			t.Fatal("moderation queue lacks the pending answer")
		}
		tasks, err := a.tasks(context.Background(), env.Municipality, &webAdmin)
		if err != nil || len(tasks) == 0 || tasks[0].Count != 2 {
			t.Fatalf("tasks: %v %v", tasks, err)
		}
		staff.PostForm(fmt.Sprintf("/admin/poll-answers/%d", ids[0]), url.Values{"action": {Approved}})
		staff.PostForm(fmt.Sprintf("/admin/poll-answers/%d", ids[1]), url.Values{"action": {Hidden}})
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('polls.answer.approved', 'polls.answer.hidden')`); n != 2 {
			t.Fatalf("moderation audit records: %d", n)
		}
		// Close now: results published with their event.
		if r := staff.PostForm("/admin/polls/"+id+"/close", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'polls.results_published' AND object_id = ?`, id); n != 1 {
			t.Fatalf("results_published events: %d", n)
		}
		// The answering path's cached survey learnt of the closing at once.
		if r := env.Anonymous().PostForm("/polls/"+id, answerForm(q, "0", "")); r.Status != http.StatusConflict || !strings.Contains(r.Body, "завершён") {
			t.Fatalf("answer after closing: %d", r.Status)
		}
		page := env.Anonymous().Get("/polls/" + id)
		if !strings.Contains(page.Body, "Публикуемый ответ") || strings.Contains(page.Body, "Иванов") || !strings.Contains(page.Body, "<svg") {
			t.Fatal("results page: approved text missing, hidden text shown or no chart")
		}
		c := env.Anonymous().Get("/polls/" + id + "/results.csv")
		recs, err := csv.NewReader(strings.NewReader(c.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(recs[0], "|") != strings.Join(ExportHeader, "|") {
			t.Fatalf("csv header %v", recs[0])
		}
		found := map[string]bool{}
		for _, rec := range recs[1:] {
			found[strings.Join(rec, "|")] = true
		}
		for _, want := range []string{"Один||А|1|50", "Один||Б|1|50", "Несколько||X|2|100", "Шкала||4|2|100", "Матрица|Сайт|Хорошо|2|100", "Матрица|Приём|Плохо|2|100", "Текст||Публикуемый ответ||"} {
			if !found[want] {
				t.Errorf("csv lacks %q: %v", want, recs)
			}
		}
		for k := range found {
			if strings.Contains(k, "Иванов") {
				t.Error("csv has a hidden answer")
			}
		}
		x := env.Anonymous().Get("/polls/" + id + "/results.xlsx")
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
		if err != nil {
			t.Fatal(err)
		}
		xr, err := f.GetRows("Итоги")
		if err != nil {
			t.Fatal(err)
		}
		joined := ""
		for _, row := range xr {
			joined += strings.Join(row, "|") + "\n"
		}
		if !strings.Contains(joined, "Шкала||4|2|100") || !strings.Contains(joined, "Вопрос|Строка матрицы") {
			t.Fatalf("xlsx:\n%s", joined)
		}
		// The API and the open dataset agree.
		var api struct {
			Responses int `json:"responses"`
		}
		env.Anonymous().API("GET", "/api/v1/polls/"+id+"/results", nil).JSON(t, &api)
		if api.Responses != 2 {
			t.Fatalf("api responses %d", api.Responses)
		}
		ds, err := a.datasetRows(context.Background(), env.Municipality.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 3+3+5+4 {
			t.Fatalf("dataset rows %d: %v", len(ds), ds)
		}
	})
}

var webAdmin = web.Viewer{ID: 1, Roles: []string{auth.Administrator}}
