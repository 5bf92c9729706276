package council

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

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

func TestAggregate(t *testing.T) {
	crit := []Criterion{{ID: 1, Title: "a", Weight: 3}, {ID: 2, Title: "b", Weight: 1}, {ID: 3, Title: "c", Weight: 2}}
	cases := []struct {
		name           string
		scores         []Score
		avg            []int
		total, scorers int
	}{
		{"none", nil, []int{0, 0, 0}, 0, 0},
		{"one member", []Score{{1, 10, 5, ""}, {2, 10, 1, ""}, {3, 10, 3, ""}}, []int{500, 100, 300}, (3*500 + 100 + 2*300 + 3) / 6, 1},
		{"two members, rounding half up", []Score{{1, 10, 4, ""}, {1, 11, 5, ""}, {2, 10, 2, ""}, {2, 11, 3, ""}, {3, 10, 1, ""}, {3, 11, 1, ""}}, []int{450, 250, 100}, 300, 2},
		{"thirds", []Score{{1, 1, 1, ""}, {1, 2, 1, ""}, {1, 3, 2, ""}}, []int{133, 0, 0}, 133, 3},
		{"unscored criterion left out of the weights", []Score{{1, 1, 4, ""}, {2, 1, 2, ""}}, []int{400, 200, 0}, 350, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, total, scorers := Aggregate(crit, c.scores)
			for i, r := range res {
				if r.AverageX100 != c.avg[i] {
					t.Errorf("criterion %d: average %d, want %d", r.CriterionID, r.AverageX100, c.avg[i])
				}
			}
			if total != c.total || scorers != c.scorers {
				t.Errorf("total %d scorers %d, want %d %d", total, scorers, c.total, c.scorers)
			}
		})
	}
}

// TestRegistrationRace: N places and 10·N concurrent registrations give
// exactly N accepted.
func TestRegistrationRace(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		const places = 3
		var id int64
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			id, err = a.Store.CreateMeeting(ctx, tx, env.Municipality.ID, Meeting{Kind: KindOpen, Title: "Открытое", StartsAt: fixedNow.Add(72 * time.Hour), Open: true, Capacity: places})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var accounts []int64
		for i := 0; i < 10*places; i++ {
			accounts = append(accounts, env.Account("", auth.Resident).ID)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		accepted, full := 0, 0
		var other []error
		for _, acc := range accounts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := d.InTx(ctx, func(tx *db.Tx) error {
					_, err := a.Store.Register(ctx, tx, env.Municipality.ID, id, acc, "resident", "", fixedNow)
					return err
				})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					accepted++
				case err == ErrFull:
					full++
				default:
					other = append(other, err)
				}
			}()
		}
		wg.Wait()
		if len(other) > 0 {
			t.Fatalf("unexpected errors: %v", other[0])
		}
		if accepted != places || full != 9*places {
			t.Fatalf("accepted %d, full %d; want %d and %d", accepted, full, places, 9*places)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM council_registrations WHERE meeting_id = ?`, id); n != places {
			t.Fatalf("%d registrations stored", n)
		}
	})
}

func TestRegistrationFlow(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		staff := env.Client("", auth.Editor)
		r := staff.API("POST", "/api/v1/council/meetings", map[string]any{"kind": "open", "title": "Открытое заседание о бюджете", "starts_at": "2026-12-10T15:00", "place": "Зал", "capacity": 1, "open": true})
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var created struct {
			ID  int64
			URL string
		}
		r.JSON(t, &created)
		mt, err := a.Store.Meeting(context.Background(), d, env.Municipality.ID, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := env.Municipality.Local(mt.StartsAt).Format("2006-01-02 15:04"); got != "2026-12-10 15:00" {
			t.Fatalf("starts at %s in the municipality's zone", got)
		}
		resident := env.Client("", auth.Resident)
		if r := resident.API("POST", "/api/v1/council/meetings/"+fmt.Sprint(created.ID)+"/registrations", map[string]any{}); r.Status != http.StatusCreated {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		if r := resident.API("POST", "/api/v1/council/meetings/"+fmt.Sprint(created.ID)+"/registrations", map[string]any{}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "already") {
			t.Fatalf("again: %d %s", r.Status, r.Body)
		}
		other := env.Client("", auth.Resident)
		if r := other.PostForm(created.URL+"/register", url.Values{"kind": {"journalist"}, "outlet": {""}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "средство массовой информации") {
			i := strings.Index(r.Body, "field-error")
			t.Fatalf("journalist without outlet: %d %s", r.Status, r.Body[max(i, 0):min(len(r.Body), max(i, 0)+400)])
		}
		if r := other.API("POST", "/api/v1/council/meetings/"+fmt.Sprint(created.ID)+"/registrations", map[string]any{}); r.Status != http.StatusConflict || !strings.Contains(r.Body, "full") {
			t.Fatalf("full: %d %s", r.Status, r.Body)
		}
		// The registered list is for staff only.
		if r := resident.Get("/admin/council/meetings/" + fmt.Sprint(created.ID)); r.Status == http.StatusOK {
			t.Fatal("a resident sees the registered list")
		}
		if r := staff.Get("/admin/council/meetings/" + fmt.Sprint(created.ID)); r.Status != http.StatusOK || !strings.Contains(r.Body, resident.Account.Email) {
			t.Fatalf("staff list: %d", r.Status)
		}
		if r := env.Anonymous().Get(created.URL); r.Status != http.StatusOK || strings.Contains(r.Body, resident.Account.Email) {
			t.Fatalf("public page: %d", r.Status)
		}
		env.StartJobs()
		env.Mail.WaitFor(t, resident.Account.Email, "Вы зарегистрированы", 10*time.Second)
	})
}

func TestDemoAndPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		for i := 0; i < 2; i++ {
			if err := a.Demo(ctx, env.Municipality); err != nil {
				t.Fatalf("demo %d: %v", i, err)
			}
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM council_compositions`); n != 2 {
			t.Fatalf("%d compositions after two demo loads", n)
		}
		for _, k := range []string{"council.regulations_approved", "council.composition_approved", "council.section_published", "council.plan_approved", "council.methodology_approved", "council.evaluation_published", "council.open_meeting_held"} {
			if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = ?`, k); n < 1 {
				t.Errorf("no event %s", k)
			}
		}
		anon := env.Anonymous()
		r := anon.Get("/council")
		if r.Status != http.StatusOK {
			t.Fatalf("/council: %d %s", r.Status, r.Body)
		}
		for _, want := range []string{"Корнилова Елена Викторовна", "Прежние составы", "Просроченные решения", "Опубликовать перечень дворов", "Положение об Общественном совете"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("/council lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "Провести выездной осмотр") || strings.Contains(r.Body, "Учесть предложения жителей") {
			t.Error("decisions not overdue are listed as overdue")
		}
		runs, err := a.Store.Runs(ctx, env.Municipality.ID, true)
		if err != nil || len(runs) != 2 {
			t.Fatalf("runs: %v %d", err, len(runs))
		}
		r = anon.Get(fmt.Sprintf("/council/evaluations/%d", runs[0].ID))
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "<svg") || !strings.Contains(r.Body, "Оценили членов совета: 8") || !strings.Contains(r.Body, "Предыдущая оценка") {
			t.Fatalf("evaluation page: %d", r.Status)
		}
		for _, p := range []string{fmt.Sprintf("/council/evaluations/%d/export.xlsx", runs[0].ID), fmt.Sprintf("/council/evaluations/%d/export.pdf", runs[0].ID),
			"/council/plan/2026/export.xlsx", "/council/plan/2026/export.pdf", "/council/meetings/feed.atom", "/council/minutes/feed.atom", "/api/v1/council"} {
			if r := anon.Get(p); r.Status != http.StatusOK || len(r.Body) < 100 {
				t.Errorf("%s: %d (%d bytes)", p, r.Status, len(r.Body))
			}
		}
		if r := anon.Get("/council?page=2"); r.Status != http.StatusOK || strings.Contains(r.Body, "О проекте бюджета") {
			t.Errorf("second page of meetings: %d", r.Status)
		}
		urls, err := a.sitemap(ctx, env.Municipality.ID)
		if err != nil || len(urls) != 1+3+2 {
			t.Fatalf("sitemap: %v %d", err, len(urls))
		}
		if r := anon.Get("/council/minutes/feed.atom"); !strings.Contains(r.Body, "Протокол: О благоустройстве") || strings.Contains(r.Body, "О проекте бюджета") {
			t.Errorf("minutes feed: %s", r.Body)
		}
		staff := env.Client("", auth.Administrator)
		if r := staff.Get("/admin/council"); r.Status != http.StatusOK {
			t.Fatalf("admin: %d %s", r.Status, r.Body)
		}
		tasks, err := a.tasks(ctx, env.Municipality, webViewer(auth.Editor))
		if err != nil || len(tasks) != 1 || tasks[0].Count != 1 {
			t.Fatalf("tasks: %v %+v", err, tasks)
		}
	})
}

func TestOverdueReminderOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		staff := env.Account("", auth.Editor)
		_ = staff
		deptSlug := ""
		for s := range env.Departments {
			deptSlug = s
			break
		}
		worker := env.Account(deptSlug, auth.Operator)
		var mid int64
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			mid, err = a.Store.CreateMeeting(ctx, tx, env.Municipality.ID, Meeting{Kind: KindRegular, Title: "Очередное", StartsAt: fixedNow.Add(-240 * time.Hour)})
			if err != nil {
				return err
			}
			if _, err := a.Store.AddDecision(ctx, tx, env.Municipality.ID, Decision{MeetingID: mid, Text: "Просроченное", DepartmentID: env.Departments[deptSlug], DueDate: "2026-11-01"}); err != nil {
				return err
			}
			_, err = a.Store.AddDecision(ctx, tx, env.Municipality.ID, Decision{MeetingID: mid, Text: "В срок", DepartmentID: env.Departments[deptSlug], DueDate: "2026-12-31"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		env.StartJobs()
		n, err := a.SendReminders(ctx, env.Municipality)
		if err != nil || n != 1 {
			t.Fatalf("first reminders: %d %v", n, err)
		}
		if n, err := a.SendReminders(ctx, env.Municipality); err != nil || n != 0 {
			t.Fatalf("second reminders: %d %v", n, err)
		}
		env.Mail.WaitFor(t, worker.Email, "Просрочено решение", 10*time.Second)
		if r := env.Anonymous().Get("/council"); !strings.Contains(r.Body, "Просроченное") || strings.Contains(r.Body, "В срок") {
			t.Fatal("overdue list on /council is wrong")
		}
	})
}

func TestScoringOncePerRun(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		var run int64
		var crit []Criterion
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			mid, err := a.Store.CreateMethodology(ctx, tx, env.Municipality.ID, Methodology{Title: "М", ScaleMax: 5, Criteria: []Criterion{{Title: "Открытость", Weight: 2}, {Title: "Сроки", Weight: 1}}})
			if err != nil {
				return err
			}
			if err := a.Store.ApproveMethodology(ctx, tx, env.Municipality.ID, mid, "1", "2026-01-01", ""); err != nil {
				return err
			}
			run, err = a.Store.OpenRun(ctx, tx, env.Municipality.ID, mid, "Оценка 2026")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		m, _ := a.Store.Methodology(ctx, d, env.Municipality.ID, 0)
		crit = m.Criteria
		member := env.Client("", auth.Council)
		path := fmt.Sprintf("/council/evaluations/%d/score", run)
		if r := member.PostForm(path, url.Values{fmt.Sprintf("score-%d", crit[0].ID): {"9"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad score: %d", r.Status)
		}
		form := url.Values{fmt.Sprintf("score-%d", crit[0].ID): {"5"}, fmt.Sprintf("score-%d", crit[1].ID): {"2"}, fmt.Sprintf("comment-%d", crit[0].ID): {"Хорошо"}}
		if r := member.PostForm(path, form); r.Status != http.StatusSeeOther {
			t.Fatalf("score: %d %s", r.Status, r.Body)
		}
		if r := member.PostForm(path, form); r.Status != http.StatusConflict {
			t.Fatalf("second score: %d", r.Status)
		}
		if r := env.Client("", auth.Resident).PostForm(path, form); r.Status == http.StatusSeeOther {
			t.Fatal("a resident scored")
		}
		staff := env.Client("", auth.Administrator)
		if r := staff.PostForm(fmt.Sprintf("/admin/council/runs/%d/close", run), nil); r.Status != http.StatusSeeOther {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		got, _ := a.Store.Run(ctx, d, env.Municipality.ID, run)
		if got.Status != "published" || got.Scorers != 1 || got.TotalX100 != 400 {
			t.Fatalf("run after close: %+v", got)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'council.run_close'`); n != 1 {
			t.Fatalf("%d audit records", n)
		}
	})
}

func webViewer(roles ...string) *web.Viewer { return &web.Viewer{ID: 1, Roles: roles} }

type fakeGroups struct{ member int64 }

func (f fakeGroups) GroupMembers(context.Context, int64, []int64) ([]portal.GroupMember, error) {
	return nil, nil
}

func (f fakeGroups) GroupsOf(_ context.Context, _, accountID int64) ([]string, error) {
	if accountID == f.member {
		return []string{"Городская среда"}, nil
	}
	return nil, nil
}

func TestGroupMemberRegistration(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		member := env.Client("", auth.Resident)
		stranger := env.Client("", auth.Resident)
		env.Portal.Add(portal.Contribution{Name: "groups", Groups: fakeGroups{member: member.Account.ID}})
		var id int64
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			id, err = a.Store.CreateMeeting(ctx, tx, env.Municipality.ID, Meeting{Kind: KindOpen, Title: "Открытое", StartsAt: fixedNow.Add(72 * time.Hour), Open: true, Capacity: 5})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/council/meetings/%d/registrations", id)
		if r := stranger.API("POST", path, map[string]any{"kind": "group"}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("not a group member: %d %s", r.Status, r.Body)
		}
		if r := member.API("POST", path, map[string]any{"kind": "group"}); r.Status != http.StatusCreated {
			t.Fatalf("group member: %d %s", r.Status, r.Body)
		}
		if r := env.Anonymous().API("POST", path, map[string]any{}); r.Status != http.StatusUnauthorized {
			t.Fatalf("anonymous: %d", r.Status)
		}
		if r := env.Anonymous().Get(fmt.Sprintf("/api/v1/council/meetings/%d", id)); r.Status != http.StatusOK || !strings.Contains(r.Body, `"free": 4`) {
			t.Fatalf("meeting API: %d %s", r.Status, r.Body)
		}
		if r := env.Anonymous().Get("/api/v1/council/meetings/999999"); r.Status != http.StatusNotFound {
			t.Fatalf("missing meeting: %d", r.Status)
		}
	})
}
