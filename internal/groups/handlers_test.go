package groups

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/webtest"
)

func newArea(t testing.TB, d *db.DB, env map[string]string) (*webtest.Env, *Area) {
	t.Helper()
	e := webtest.New(t, d)
	a, err := New(e.Deps(env))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(e.Router)
	e.Portal.Add(a.Contribution())
	return e, a
}

func count(t testing.TB, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// letters counts queued letters to addr whose text contains word.
func letters(t testing.TB, d *db.DB, addr, word string) int {
	t.Helper()
	return count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'send_email' AND CAST(args AS TEXT) LIKE ? AND CAST(args AS TEXT) LIKE ?`, "%"+addr+"%", "%"+word+"%")
}

// addGroup saves a group of the housing department in the spheres.
func addGroup(t testing.TB, env *webtest.Env, a *Area, name string, spheres ...string) Group {
	t.Helper()
	g := Group{MunicipalityID: env.Municipality.ID, Name: name, DepartmentID: env.Departments["housing"]}
	for _, s := range spheres {
		g.Spheres = append(g.Spheres, tenant.Sphere{ID: env.Spheres[s], Slug: s})
	}
	err := a.DB.InTx(context.Background(), func(tx *db.Tx) error {
		return a.SaveGroup(context.Background(), tx, nil, &g, auditEntry(env))
	})
	if err != nil {
		t.Fatalf("save group %s: %v", name, err)
	}
	return g
}

func addMember(t testing.TB, env *webtest.Env, a *Area, g Group, m Member) Member {
	t.Helper()
	m.GroupID = g.ID
	if m.Status == "" {
		m.Status = StatusMember
	}
	err := a.DB.InTx(context.Background(), func(tx *db.Tx) error {
		return a.Store.Add(context.Background(), tx, env.Municipality.ID, &m, a.DB.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNinthGroupRefused(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d, nil)
		for i := 1; i <= 8; i++ {
			addGroup(t, env, a, fmt.Sprintf("Группа %d", i), "housing")
		}
		admin := env.Client("affairs", auth.Administrator)
		r := admin.PostForm("/admin/groups", url.Values{"name": {"Девятая группа"}, "spheres": {strconv.FormatInt(env.Spheres["education"], 10)},
			"department": {strconv.FormatInt(env.Departments["housing"], 10)}})
		if r.Status != 422 || !strings.Contains(r.Body, "Новую группу создать нельзя: в реестре уже 8 референтных групп") || !strings.Contains(r.Body, `value="Девятая группа"`) {
			t.Fatalf("ninth group: %d\n%s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM reference_groups`); n != 8 {
			t.Fatalf("%d groups after the refusal", n)
		}
		// The administrator raises the limit; the ninth group is accepted.
		if r := admin.PostForm("/admin/groups/settings", url.Values{"limit": {"0"}}); r.Status != 422 || !strings.Contains(r.Body, "от 1 до 50") {
			t.Fatalf("bad limit: %d", r.Status)
		}
		if r := admin.PostForm("/admin/groups/settings", url.Values{"limit": {"9"}}); r.Status != 303 {
			t.Fatalf("set limit: %d %s", r.Status, r.Body)
		}
		r = admin.PostForm("/admin/groups", url.Values{"name": {"Девятая группа"}, "spheres": {strconv.FormatInt(env.Spheres["education"], 10)},
			"department": {strconv.FormatInt(env.Departments["housing"], 10)}, "act_number": {"15"}, "act_date": {"2019-02-01"}, "act_title": {"Постановление"}})
		if r.Status != 303 {
			t.Fatalf("ninth group after raising the limit: %d\n%s", r.Status, r.Body)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('groups.limit', 'groups.create')`); n != 10 {
			t.Errorf("%d audit entries for the limit and nine groups", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = ?`, string(events.GroupsRegistryPublished)); n != 9 {
			t.Errorf("%d registry events, want 9", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = ?`, string(events.GroupsRegulationsApproved)); n != 1 {
			t.Errorf("%d regulations events, want 1", n)
		}
	})
}

func TestLimitFromEnvironment(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d, map[string]string{"GLASNOST_GROUPS_LIMIT": "2"})
		addGroup(t, env, a, "Первая", "housing")
		addGroup(t, env, a, "Вторая", "housing")
		g := Group{MunicipalityID: env.Municipality.ID, Name: "Третья", DepartmentID: env.Departments["housing"], Spheres: []tenant.Sphere{{ID: env.Spheres["housing"]}}}
		err := d.InTx(context.Background(), func(tx *db.Tx) error { return a.SaveGroup(context.Background(), tx, nil, &g, auditEntry(env)) })
		if err == nil || !strings.Contains(err.Error(), "предел для муниципального образования — 2") {
			t.Fatalf("third group with GLASNOST_GROUPS_LIMIT=2: %v", err)
		}
		if _, err := New(env.Deps(map[string]string{"GLASNOST_GROUPS_LIMIT": "много"})); err == nil {
			t.Error("a bad GLASNOST_GROUPS_LIMIT was accepted")
		}
	})
}

func TestJoinApproveDeclineLeave(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d, nil)
		g := addGroup(t, env, a, "Советы домов", "housing")
		resident := env.Client("", auth.Resident)
		other := env.Client("", auth.Resident)
		editor := env.Client("housing", auth.Editor)
		stranger := env.Client("affairs", auth.Editor)
		admin := env.Client("affairs", auth.Administrator)

		// An organisation's application needs its contact; the form keeps the input.
		r := resident.PostForm(g.URL()+"/apply", url.Values{"organisation": {"ТСЖ «Дом»"}, "note": {"Хотим участвовать"}})
		if r.Status != 422 || !strings.Contains(r.Body, "Укажите контакт организации") || !strings.Contains(r.Body, `value="ТСЖ «Дом»"`) {
			t.Fatalf("application without contact: %d\n%s", r.Status, r.Body)
		}
		if r := resident.PostForm(g.URL()+"/apply", url.Values{"organisation": {"ТСЖ «Дом»"}, "contact": {"+7 343 111-22-33"}}); r.Status != 303 {
			t.Fatalf("apply: %d %s", r.Status, r.Body)
		}
		if r := resident.PostForm(g.URL()+"/apply", nil); r.Status != 422 || !strings.Contains(r.Body, "ваша заявка ещё рассматривается") {
			t.Fatalf("second application: %d", r.Status)
		}
		if r := other.PostForm(g.URL()+"/apply", url.Values{"show_name": {"yes"}}); r.Status != 303 {
			t.Fatalf("apply: %d", r.Status)
		}
		pending, err := a.Store.Members(context.Background(), d, g.ID, StatusPending)
		if err != nil || len(pending) != 2 {
			t.Fatalf("pending: %v %v", pending, err)
		}
		// The staff page shows the contact; the public page never does.
		if r := editor.Get("/admin/groups/" + strconv.FormatInt(g.ID, 10)); r.Status != 200 || !strings.Contains(r.Body, "343 111-22-33") {
			t.Fatalf("staff page: %d", r.Status)
		}
		if r := env.Client("housing", auth.Editor).Get("/admin/groups"); !strings.Contains(r.Body, "Рассмотреть") {
			t.Error("the staff list does not show the applications")
		}
		// Only the responsible department (or an administrator) decides.
		if r := stranger.PostForm(fmt.Sprintf("/admin/groups/members/%d/approve", pending[0].ID), nil); r.Status != 422 || !strings.Contains(r.Body, "Решения по этой группе принимает") {
			t.Fatalf("editor of another department: %d", r.Status)
		}
		if r := editor.PostForm(fmt.Sprintf("/admin/groups/members/%d/approve", pending[0].ID), nil); r.Status != 303 {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		if r := editor.PostForm(fmt.Sprintf("/admin/groups/members/%d/approve", pending[0].ID), nil); r.Status != 422 {
			t.Fatalf("approving twice: %d", r.Status)
		}
		if r := admin.PostForm(fmt.Sprintf("/admin/groups/members/%d/decline", pending[1].ID), nil); r.Status != 422 || !strings.Contains(r.Body, "Укажите причину отказа") {
			t.Fatalf("decline without a reason: %d", r.Status)
		}
		if r := admin.PostForm(fmt.Sprintf("/admin/groups/members/%d/decline", pending[1].ID), url.Values{"reason": {"Вы не живёте в округе"}}); r.Status != 303 {
			t.Fatalf("decline: %d", r.Status)
		}
		if n := letters(t, d, resident.Account.Email, "одобрена"); n != 1 {
			t.Errorf("%d approval letters to the applicant", n)
		}
		if n := letters(t, d, other.Account.Email, "Вы не живёте в округе"); n != 1 {
			t.Errorf("%d refusal letters with the reason", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('groups.approve', 'groups.decline')`); n != 2 {
			t.Errorf("%d audit entries for the decisions", n)
		}
		names, err := directory{a}.GroupsOf(context.Background(), env.Municipality.ID, resident.Account.ID)
		if err != nil || len(names) != 1 || names[0] != "Советы домов" {
			t.Errorf("GroupsOf = %v, %v", names, err)
		}
		// The public page names the organisation, not the contact.
		r = env.Anonymous().Get(g.URL())
		if r.Status != 200 || !strings.Contains(r.Body, "ТСЖ «Дом»") || strings.Contains(r.Body, "111-22-33") {
			t.Fatalf("public page: %d\n%s", r.Status, r.Body)
		}
		// The member leaves; they are no longer told of anything.
		if r := resident.PostForm(g.URL()+"/leave", nil); r.Status != 303 {
			t.Fatalf("leave: %d", r.Status)
		}
		if r := resident.PostForm(g.URL()+"/leave", nil); r.Status != 422 {
			t.Fatalf("leaving twice: %d", r.Status)
		}
		ms, err := directory{a}.GroupMembers(context.Background(), env.Municipality.ID, []int64{env.Spheres["housing"]})
		if err != nil || len(ms) != 0 {
			t.Fatalf("members after leaving: %v %v", ms, err)
		}
		// Having left, one may apply again.
		if r := resident.PostForm(g.URL()+"/apply", nil); r.Status != 303 {
			t.Fatalf("apply again: %d", r.Status)
		}
	})
}

// openConsultation records the event the consult area writes when a
// consultation opens.
func openConsultation(t testing.TB, env *webtest.Env, id string, spheres ...string) {
	t.Helper()
	err := env.DB.InTx(context.Background(), func(tx *db.Tx) error {
		return events.Record(context.Background(), tx, events.Event{MunicipalityID: env.Municipality.ID, Kind: events.ConsultationOpened, ObjectType: "consultation",
			ObjectID: id, Title: "Проект правил благоустройства " + id, URL: "/consultations/" + id, Spheres: spheres, OccurredAt: env.DB.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestInformExactlyOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d, nil)
		env.Server() // builds the queue the letters go to
		housing := addGroup(t, env, a, "Советы домов", "housing")
		urban := addGroup(t, env, a, "Благоустройство", "housing", "transport")
		school := addGroup(t, env, a, "Родители", "education")
		both := env.Account("", auth.Resident)   // in two groups of the sphere
		one := env.Account("", auth.Resident)    // in one
		parent := env.Account("", auth.Resident) // in a group of another sphere
		gone := env.Account("", auth.Resident)   // left before the consultation opened
		addMember(t, env, a, housing, Member{AccountID: both.ID})
		addMember(t, env, a, urban, Member{AccountID: both.ID})
		addMember(t, env, a, urban, Member{AccountID: one.ID})
		addMember(t, env, a, housing, Member{Organisation: "ТСЖ «Дом»", ContactEmail: "tsj@example.ru"})
		addMember(t, env, a, school, Member{AccountID: parent.ID})
		addMember(t, env, a, housing, Member{AccountID: gone.ID, Status: StatusLeft})
		addMember(t, env, a, housing, Member{AccountID: parent.ID, Status: StatusPending})

		openConsultation(t, env, "41", "housing")
		openConsultation(t, env, "42", "culture") // no group works in it
		for run := 1; run <= 2; run++ {
			n, err := a.Inform(ctx, env.Municipality, informWindow)
			if err != nil {
				t.Fatal(err)
			}
			want := 3
			if run == 2 {
				want = 0
			}
			if n != want {
				t.Errorf("run %d queued %d letters, want %d", run, n, want)
			}
		}
		for addr, want := range map[string]int{both.Email: 1, one.Email: 1, "tsj@example.ru": 1, parent.Email: 0, gone.Email: 0} {
			if n := letters(t, d, addr, "Проект правил благоустройства 41"); n != want {
				t.Errorf("%s got %d letters, want %d", addr, n, want)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = ? AND object_id = '41'`, string(events.GroupsInformed)); n != 1 {
			t.Errorf("%d groups.informed events for the consultation, want 1", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = ?`, string(events.GroupsInformed)); n != 1 {
			t.Errorf("%d groups.informed events in all (none for a sphere without groups)", n)
		}
		if n := count(t, d, `SELECT groups_count FROM reference_group_informed WHERE consultation = '41'`); n != 2 {
			t.Errorf("%d groups recorded as informed, want 2", n)
		}
		ms, err := directory{a}.GroupMembers(ctx, env.Municipality.ID, []int64{env.Spheres["housing"]})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 4 { // both twice (two groups), one, the organisation
			t.Errorf("GroupMembers listed %d, want 4: %+v", len(ms), ms)
		}
	})
}

func TestInformJob(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d, nil)
		g := addGroup(t, env, a, "Советы домов", "housing")
		m := env.Account("", auth.Resident)
		addMember(t, env, a, g, Member{AccountID: m.ID})
		openConsultation(t, env, "7", "housing")
		env.StartJobs()
		env.Server()
		if err := a.Queue.Insert(context.Background(), InformArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		env.Mail.WaitFor(t, m.Email, "Обсуждение в сфере вашей референтной группы", 30e9)
	})
}

func TestPublicPagesAndAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d, nil)
		g := addGroup(t, env, a, "Советы домов", "housing")
		addGroup(t, env, a, "Родители", "education")
		named := env.Account("", auth.Resident)
		hidden := env.Account("", auth.Resident)
		addMember(t, env, a, g, Member{AccountID: named.ID, ShowName: true})
		addMember(t, env, a, g, Member{AccountID: hidden.ID})
		addMember(t, env, a, g, Member{Organisation: "ТСЖ «Дом»", Contact: "секретный телефон", ContactEmail: "tsj@example.ru"})
		anon := env.Anonymous()
		r := anon.Get("/groups")
		if r.Status != 200 || !strings.Contains(r.Body, "Советы домов") || !strings.Contains(r.Body, "В реестре 2 группы") || !strings.Contains(r.Body, "не более 8") {
			t.Fatalf("/groups: %d\n%s", r.Status, r.Body)
		}
		r = anon.Get(g.URL())
		if r.Status != 200 || !strings.Contains(r.Body, named.FullName) || !strings.Contains(r.Body, "1 житель") || !strings.Contains(r.Body, "Войдите") {
			t.Fatalf("group page: %d\n%s", r.Status, r.Body)
		}
		for _, secret := range []string{hidden.Email, "секретный телефон", "tsj@example.ru", named.Email} {
			if strings.Contains(r.Body, secret) {
				t.Errorf("the public page shows %q", secret)
			}
		}
		for _, bad := range []string{"<script", ` style="`} {
			if strings.Contains(r.Body, bad) {
				t.Errorf("group page contains %q", bad)
			}
		}
		if r := anon.Get("/groups/999"); r.Status != 404 {
			t.Errorf("missing group: %d", r.Status)
		}
		var list struct {
			Total  int `json:"total"`
			Limit  int `json:"limit"`
			Groups []struct {
				ID      int64  `json:"id"`
				Name    string `json:"name"`
				Members int    `json:"members"`
			} `json:"groups"`
		}
		anon.Get("/api/v1/groups").JSON(t, &list)
		if list.Total != 2 || list.Limit != 8 || len(list.Groups) != 2 || list.Groups[1].Name != "Советы домов" || list.Groups[1].Members != 3 {
			t.Fatalf("API list: %+v", list)
		}
		r = anon.Get(fmt.Sprintf("/api/v1/groups/%d", g.ID))
		var one struct {
			Name  string   `json:"name"`
			Named []string `json:"named_members"`
		}
		r.JSON(t, &one)
		if one.Name != "Советы домов" || len(one.Named) != 2 || strings.Contains(r.Body, "tsj@example.ru") || strings.Contains(r.Body, hidden.FullName+`"`) && hidden.FullName != named.FullName {
			t.Fatalf("API group: %s", r.Body)
		}
		for _, p := range []string{"/api/v1/groups", "/api/v1/groups/{id}"} {
			if !a.API.Has("GET", p) {
				t.Errorf("%s is not described", p)
			}
		}
		// Sitemap and tasks.
		urls, err := a.Contribution().Sitemap(context.Background(), env.Municipality.ID)
		if err != nil || len(urls) != 3 {
			t.Errorf("sitemap: %v %v", urls, err)
		}
	})
}

func TestTasks(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d, nil)
		g := addGroup(t, env, a, "Советы домов", "housing")
		p := env.Account("", auth.Resident)
		addMember(t, env, a, g, Member{AccountID: p.ID, Status: StatusPending})
		ctx := context.Background()
		for _, tc := range []struct {
			v    *webViewer
			want int
		}{
			{&webViewer{Roles: []string{auth.Administrator}}, 1},
			{&webViewer{Roles: []string{auth.Editor}, DepartmentID: env.Departments["housing"]}, 1},
			{&webViewer{Roles: []string{auth.Editor}, DepartmentID: env.Departments["affairs"]}, 0},
			{&webViewer{Roles: []string{auth.Lawyer}}, 0},
		} {
			ts, err := a.tasks(ctx, env.Municipality, tc.v)
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, x := range ts {
				got += x.Count
			}
			if got != tc.want {
				t.Errorf("tasks of %v: %d, want %d", tc.v.Roles, got, tc.want)
			}
		}
	})
}
