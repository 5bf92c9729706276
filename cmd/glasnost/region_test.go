package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/roadmap"
	"github.com/glasnost/glasnost/internal/tenant"
)

// regionFixture writes known appeals, roadmap measures and datasets of
// municipalities straight into their tables.
type regionFixture struct {
	t   *testing.T
	d   *db.DB
	seq int
}

func (f *regionFixture) exec(q string, args ...any) int64 {
	f.t.Helper()
	id, err := db.InsertID(context.Background(), f.d, q, args...)
	if err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return id
}

func (f *regionFixture) municipality(slug, name string) int64 {
	f.t.Helper()
	m := tenant.Municipality{Slug: slug, Name: name, ShortName: name, TimeZone: "Asia/Yekaterinburg", Hosts: []string{slug + ".region.test"}}
	if err := tenant.NewStore(f.d).Create(context.Background(), f.d, &m); err != nil {
		f.t.Fatal(err)
	}
	return m.ID
}

// appeal adds an appeal registered on reg with the status; late marks an
// answer after the term, answerBy is its answer term.
func (f *regionFixture) appeal(mun int64, reg, status string, late bool, answerBy string) {
	f.seq++
	now := f.d.Now()
	var closed any
	if status == "answered" {
		closed = reg
	}
	f.exec(`INSERT INTO appeals (municipality_id, number, channel, status, kind, received_on, registered_on,
 register_by, forward_by, answer_by, answer_by_original, closed_on, late, addressee, department_id,
 last_name, first_name, middle_name, search_name, email, email_norm, phone, phone_norm, body,
 section_code, topic_code, question_code, result, created_at, updated_at)
 VALUES (?, ?, 'portal', ?, 'statement', ?, ?, ?, ?, ?, ?, ?, ?, 'Администрация', NULL, 'Иванов', 'Иван', '', 'иванов', '', '', '', '', 'Текст', '', '', '', '', ?, ?)`,
		mun, fmt.Sprintf("R-%d", f.seq), status, reg, reg, reg, reg, answerBy, answerBy, closed, late, now, now)
}

// fixtureMeasure is a measure ending on end, counting events of kind (or
// none), with evidence attached by hand or not.
type fixtureMeasure struct {
	end  string
	kind string
	link bool
}

// plan adds a roadmap with the measures.
func (f *regionFixture) plan(mun int64, measures ...fixtureMeasure) {
	now := f.d.Now()
	p := f.exec(`INSERT INTO roadmaps (municipality_id, title, created_at, updated_at) VALUES (?, 'План', ?, ?)`, mun, now, now)
	mech := f.exec(`INSERT INTO roadmap_mechanisms (municipality_id, roadmap_id, number, title) VALUES (?, ?, 1, 'Механизм')`, mun, p)
	for i, ms := range measures {
		m := f.exec(`INSERT INTO roadmap_measures (municipality_id, roadmap_id, mechanism_id, number, position, text, schedule_kind, schedule_to, rule_kinds)
 VALUES (?, ?, ?, ?, ?, 'Мероприятие', 'deadline', ?, ?)`, mun, p, mech, "1."+strconv.Itoa(i+1), i, ms.end, ms.kind)
		if ms.link {
			f.exec(`INSERT INTO roadmap_links (municipality_id, measure_id, title, url, done_on, created_at) VALUES (?, ?, 'Сделано', '/x', '2000-01-01', ?)`, mun, m, now)
		}
	}
}

// event records a public event of the kind a day ago.
func (f *regionFixture) event(mun int64, kind string) {
	f.exec(`INSERT INTO public_events (municipality_id, kind, object_type, object_id, title, url, occurred_at) VALUES (?, ?, 'act', '1', 'Акт', '/acts/1', ?)`,
		mun, kind, f.d.Now().Add(-24*time.Hour))
}

// dataset adds a dataset created created ago, to be updated every
// updateDays, last modified at modified.
func (f *regionFixture) dataset(mun int64, created time.Duration, updateDays int, modified time.Time) {
	f.seq++
	f.exec(`INSERT INTO opendata_datasets (municipality_id, code, title, update_days, created_at, modified_at) VALUES (?, ?, 'Набор', ?, ?, ?)`,
		mun, fmt.Sprintf("ds%d", f.seq), updateDays, f.d.Now().Add(-created), modified)
}

// regionCells are the figures of one line of the report, in the columns'
// order, and the last change of its datasets.
func regionCells(fig ...int) []string {
	out := []string{}
	for _, n := range fig {
		out = append(out, strconv.Itoa(n))
	}
	return out
}

// TestRegionalReport: only the regional administrator opens the report;
// it shows every municipality with exact aggregates of appeals in the
// period, of its current roadmap and of its datasets, in the page, the
// CSV and the XLSX, with a totals line; and the areas ask the same number
// of questions for 3 municipalities as for 30.
func TestRegionalReport(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		// The open data generation job, run on start, would add the
		// generated datasets of the new municipalities while the test counts.
		app := newTestAppIdle(t, d)
		f := &regionFixture{t: t, d: d}
		year := deadline.DateOf(time.Now().In(time.UTC)).Year
		y := strconv.Itoa(year)
		prev := strconv.Itoa(year - 1)
		// Created out of the order of their names.
		gamma := f.municipality("gamma", "Гамма поселение")
		alpha := f.municipality("alpha", "Альфа округ")
		beta := f.municipality("beta", "Бета район")
		// Альфа: three appeals this year (one answered in the term, one
		// late, one open past its term), one open from last year.
		f.appeal(alpha, y+"-01-10", "answered", false, "2999-12-31")
		f.appeal(alpha, y+"-02-10", "answered", true, "2999-12-31")
		f.appeal(alpha, y+"-03-10", "assigned", false, "2000-01-01")
		f.appeal(alpha, prev+"-12-10", "assigned", false, "2999-12-31")
		// Its old plan is not counted; the current one has a measure done
		// by hand, one done by a published act, one past its term without
		// the report it wants, one still running, one past its term
		// without evidence attached by hand.
		old := fixtureMeasure{end: "2000-01-01", kind: "act.published"}
		f.plan(alpha, old, old, old, old, old)
		f.plan(alpha,
			fixtureMeasure{end: "2000-01-01", link: true},
			fixtureMeasure{end: "2999-12-31", kind: "act.published"},
			fixtureMeasure{end: "2000-01-01", kind: "appeals_report.published"},
			fixtureMeasure{end: "2999-12-31", kind: "appeals_report.published"},
			fixtureMeasure{end: "2000-01-01"})
		f.event(alpha, "act.published")
		changed := time.Date(year, 5, 2, 12, 0, 0, 0, time.UTC)
		f.dataset(alpha, 100*24*time.Hour, 30, time.Date(year, 3, 1, 10, 0, 0, 0, time.UTC))
		f.dataset(alpha, 0, 30, changed)
		// Бета: one appeal answered in the term in the second quarter.
		f.appeal(beta, y+"-04-15", "answered", false, "2999-12-31")
		// Гамма: appeals of last year only, a plan done, a dataset never due.
		f.appeal(gamma, prev+"-06-01", "answered", false, "2999-12-31")
		f.appeal(gamma, prev+"-07-01", "answered", false, "2999-12-31")
		f.plan(gamma, fixtureMeasure{end: "2000-01-01", link: true}, fixtureMeasure{end: "2999-12-31", link: true})
		f.dataset(gamma, 1000*24*time.Hour, 0, time.Date(year, 1, 5, 0, 0, 0, 0, time.UTC))
		app.Tenants.Forget()

		want := map[string][]string{
			// received, answered, in term, open, overdue, measures, done, overdue, datasets, overdue
			"Альфа округ":     regionCells(3, 2, 1, 2, 1, 5, 2, 2, 2, 1),
			"Бета район":      regionCells(1, 1, 1, 0, 0, 0, 0, 0, 0, 0),
			"Гамма поселение": regionCells(0, 0, 0, 0, 0, 2, 2, 0, 1, 0),
		}
		wantChanged := map[string]string{"Альфа округ": changed.Format(time.RFC3339), "Бета район": "", "Гамма поселение": time.Date(year, 1, 5, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)}

		// The plan's own page says the same of Альфа's current plan.
		var planID int64
		if err := d.QueryRow(context.Background(), `SELECT MAX(id) FROM roadmaps WHERE municipality_id = ?`, alpha).Scan(&planID); err != nil {
			t.Fatal(err)
		}
		loc, _ := time.LoadLocation("Asia/Yekaterinburg")
		own, err := (&roadmap.Store{DB: d, Tools: app.Portal.Evidence}).Progress(context.Background(), alpha, planID, loc, roadmap.Today(d.Now(), loc))
		if err != nil || own.Tally.Done() != 2 || own.Tally.Of(roadmap.StatusOverdue) != 2 {
			t.Errorf("the plan's page: done %d, overdue %d, %v", own.Tally.Done(), own.Tally.Of(roadmap.StatusOverdue), err)
		}

		// Who may open it.
		if r := app.anonymous().get("/admin/region"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
			t.Errorf("anonymous: %d %q", r.status, r.header.Get("Location"))
		}
		admin := app.as("admin@vpyshma.demo")
		for _, p := range []string{"/admin/region", "/admin/region.csv", "/admin/region.xlsx"} {
			if r := admin.get(p); r.status != http.StatusForbidden {
				t.Errorf("municipal administrator opens %s: %d", p, r.status)
			}
		}
		if r := admin.get("/admin"); strings.Contains(r.body, `href="/admin/region"`) {
			t.Error("the municipal administrator's index links the regional report")
		}
		regional := app.as("region@vpyshma.demo")
		if r := regional.get("/admin"); r.status != 200 || !strings.Contains(r.body, `href="/admin/region"`) {
			t.Errorf("regional index: %d", r.status)
		}

		// The page.
		page := regional.get("/admin/region?year=" + y)
		if page.status != 200 {
			t.Fatalf("page: %d\n%s", page.status, page.body)
		}
		ia, ib, ig := strings.Index(page.body, "Альфа округ"), strings.Index(page.body, "Бета район"), strings.Index(page.body, "Гамма поселение")
		if ia < 0 || ib < ia || ig < ib || !strings.Contains(page.body, "alpha.region.test") || !strings.Contains(page.body, "Итого") {
			t.Errorf("page rows not sorted by name or missing: %d %d %d", ia, ib, ig)
		}
		row := page.body[ia:ib]
		if !strings.Contains(row, "<td>3</td><td>2</td><td>1</td><td>2</td><td>1</td><td>5</td><td>2</td><td>2</td><td>2</td><td>1</td><td>"+changed.Format("02.01.2006")+"</td>") {
			t.Errorf("Альфа's row on the page: %s", row)
		}

		// The CSV: the same figures, and a totals line that sums them all.
		c := regional.get("/admin/region.csv?year=" + y)
		if c.status != 200 || !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %s", c.status, c.header.Get("Content-Type"))
		}
		recs, err := csv.NewReader(strings.NewReader(c.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		checkRegionTable(t, "csv", recs, want, wantChanged)

		// The XLSX read back.
		x := regional.get("/admin/region.xlsx?year=" + y)
		if x.status != 200 {
			t.Fatalf("xlsx: %d", x.status)
		}
		book, err := excelize.OpenReader(strings.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		cells, err := book.GetRows("Регион")
		if err != nil {
			t.Fatal(err)
		}
		for len(cells) > 0 && (len(cells[0]) == 0 || cells[0][0] != "Муниципальное образование") {
			cells = cells[1:]
		}
		for i := range cells[1:] {
			// Dates come back as the spreadsheet shows them; compare the figures.
			if len(cells[i+1]) == 13 {
				cells[i+1] = cells[i+1][:12]
			}
		}
		checkRegionTable(t, "xlsx", cells, want, nil)

		// The second quarter: only Бета's appeal.
		q2 := regional.get("/admin/region.csv?year=" + y + "&quarter=2")
		recs, _ = csv.NewReader(strings.NewReader(q2.body)).ReadAll()
		for _, r := range recs {
			if r[0] == "Альфа округ" && r[2] != "0" || r[0] == "Бета район" && r[2] != "1" {
				t.Errorf("second quarter: %v", r)
			}
		}

		// The same number of questions for 30 municipalities as for 3.
		count := func() int {
			// The municipalities, which every request reads, come from the
			// tenant store's cache: read them outside the count.
			app.Tenants.Forget()
			if _, err := app.Tenants.All(context.Background()); err != nil {
				t.Fatal(err)
			}
			ctx, reads := db.TrackReads(context.Background())
			today := deadline.DateOf(time.Now())
			for _, src := range app.Portal.Region() {
				if _, err := src(ctx, deadline.NewDate(year, 1, 1), deadline.NewDate(year, 12, 31), today); err != nil {
					t.Fatal(err)
				}
			}
			return reads.Queries()
		}
		before := count()
		for i := range 27 {
			m := f.municipality(fmt.Sprintf("more%d", i), fmt.Sprintf("Ещё %02d", i))
			f.appeal(m, y+"-01-10", "answered", false, "2999-12-31")
			f.plan(m, fixtureMeasure{end: "2000-01-01", kind: "act.published"})
			f.event(m, "act.published")
			f.dataset(m, 0, 30, changed)
		}
		// Appeals 1, open data 1, the roadmap 6: plans, mechanisms,
		// measures with units and links (3), events.
		if after := count(); after != before || before != 8 {
			t.Errorf("questions of the areas: %d for 4 municipalities, %d for 31; want 8", before, after)
		}
	})
}

func checkRegionTable(t *testing.T, format string, recs [][]string, want map[string][]string, changed map[string]string) {
	t.Helper()
	if len(recs) < 2 || recs[0][0] != "Муниципальное образование" || recs[0][2] != "Обращений поступило" {
		t.Fatalf("%s header: %v", format, recs)
	}
	sums := make([]int, 10)
	var names []string
	for _, r := range recs[1 : len(recs)-1] {
		names = append(names, r[0])
		for i := range sums {
			n, err := strconv.Atoi(r[2+i])
			if err != nil {
				t.Fatalf("%s: %v in %v", format, err, r)
			}
			sums[i] += n
		}
		if w, ok := want[r[0]]; ok && !slices.Equal(r[2:12], w) {
			t.Errorf("%s: %s has %v, want %v", format, r[0], r[2:12], w)
		}
		if w, ok := changed[r[0]]; ok && r[12] != w {
			t.Errorf("%s: %s changed %q, want %q", format, r[0], r[12], w)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("%s: not sorted by name: %v", format, names)
	}
	for name := range want {
		if !slices.Contains(names, name) {
			t.Errorf("%s: %s missing", format, name)
		}
	}
	total := recs[len(recs)-1]
	if total[0] != "Итого" || !slices.Equal(total[2:12], regionCells(sums...)) {
		t.Errorf("%s totals: %v, want %v", format, total, sums)
	}
}

// TestRegionalRoleIsNotGrantedByTheMunicipality: the users page neither
// offers the regional role nor accepts it, and saving an account keeps the
// role the command line gave.
func TestRegionalRoleIsNotGrantedByTheMunicipality(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		admin := app.as("admin@vpyshma.demo")
		ctx := context.Background()
		m, _ := app.Tenants.BySlug(ctx, "vpyshma")
		store := &auth.Store{DB: d}
		self, err := store.ByEmail(ctx, m.ID, "admin@vpyshma.demo")
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(self.ID, 10)
		if r := admin.get("/admin/users/" + id); r.status != 200 || strings.Contains(r.body, `value="regional_admin"`) {
			t.Errorf("the users page offers the regional role: %d", r.status)
		}
		r := admin.post("/admin/users/"+id, url.Values{"full_name": {"Ирина"}, "role": {"administrator", "regional_admin"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("granting oneself the regional role: %d", r.status)
		}
		if r := admin.post("/admin/users", url.Values{"email": {"new@vpyshma.demo"}, "full_name": {"Новый"}, "role": {"regional_admin"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("creating a regional administrator: %d", r.status)
		}
		if a, _ := store.ByEmail(ctx, m.ID, "admin@vpyshma.demo"); slices.Contains(a.Roles, auth.RegionalAdmin) {
			t.Fatal("the municipal administrator made himself regional")
		}
		if r := admin.get("/admin/region"); r.status != http.StatusForbidden {
			t.Errorf("after the attempt: %d", r.status)
		}
		// Editing the regional administrator's account keeps the role,
		// which stands for a chosen role, and the page says why.
		reg, _ := store.ByEmail(ctx, m.ID, "region@vpyshma.demo")
		regID := strconv.FormatInt(reg.ID, 10)
		if r := admin.get("/admin/users/" + regID); !strings.Contains(r.body, "glasnost region grant") {
			t.Error("the edit page does not say where the regional role comes from")
		}
		if r := admin.post("/admin/users/"+regID, url.Values{"full_name": {"Галина"}}); r.status != http.StatusSeeOther {
			t.Errorf("saving the regional administrator without another role: %d", r.status)
		}
		r = admin.post("/admin/users/"+strconv.FormatInt(reg.ID, 10), url.Values{"full_name": {"Галина"}, "role": {"resident"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.status, r.body)
		}
		if a, _ := store.ByEmail(ctx, m.ID, "region@vpyshma.demo"); !slices.Contains(a.Roles, auth.RegionalAdmin) || !slices.Contains(a.Roles, auth.Resident) {
			t.Errorf("roles after the municipal edit: %v", a.Roles)
		}
	})
}

// TestRegionGrantCLI: the command line gives and takes the role, audited,
// and refuses an unknown account.
func TestRegionGrantCLI(t *testing.T) {
	migratedCLI(t, func(t *testing.T, url string) {
		if out, err := runCLI(t, url, "", "municipality", "add", "--slug", "north", "--name", "Северный округ"); err != nil {
			t.Fatalf("municipality: %v %s", err, out)
		}
		if out, err := runCLI(t, url, "long-password-1\n", "user", "add", "--email", "chief@north.ru", "--role", "administrator"); err != nil {
			t.Fatalf("user add: %v %s", err, out)
		}
		if _, err := runCLI(t, url, "", "region", "grant", "--email", "nobody@north.ru"); err == nil || !strings.Contains(err.Error(), "не найдена") {
			t.Errorf("unknown account: %v", err)
		}
		out, err := runCLI(t, url, "", "region", "grant", "--municipality", "north", "--email", "Chief@North.ru")
		if err != nil || !strings.Contains(out, "Администратор региона") {
			t.Fatalf("grant: %v %s", err, out)
		}
		if out, _ := runCLI(t, url, "", "region", "grant", "--email", "chief@north.ru"); !strings.Contains(out, "уже есть") {
			t.Errorf("second grant: %s", out)
		}
		d, err := db.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		roles := func() []string {
			var out []string
			rows, err := d.Query(context.Background(), `SELECT r.role FROM account_roles r JOIN accounts a ON a.id = r.account_id WHERE a.email = 'chief@north.ru' ORDER BY r.role`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var r string
				_ = rows.Scan(&r)
				out = append(out, r)
			}
			return out
		}
		if got := roles(); !slices.Equal(got, []string{"administrator", "regional_admin"}) {
			t.Errorf("roles after grant: %v", got)
		}
		if out, err := runCLI(t, url, "", "region", "revoke", "--email", "chief@north.ru"); err != nil || !strings.Contains(out, "снята") {
			t.Fatalf("revoke: %v %s", err, out)
		}
		if got := roles(); !slices.Equal(got, []string{"administrator"}) {
			t.Errorf("roles after revoke: %v", got)
		}
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action IN ('account.region_grant', 'account.region_revoke') AND actor = 'командная строка'`).Scan(&n); err != nil || n != 2 {
			t.Errorf("audit entries: %d %v", n, err)
		}
	})
}
