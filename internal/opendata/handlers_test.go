package opendata

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/webtest"
)

var fixedNow = time.Date(2026, time.December, 6, 5, 0, 0, 0, time.UTC)

// fakeSource is a register whose rows a test changes.
type fakeSource struct {
	mu   sync.Mutex
	rows [][]string
}

func (f *fakeSource) set(rows [][]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows = rows
}

func (f *fakeSource) source() portal.DatasetSource {
	return portal.DatasetSource{
		Code: "test_register", Title: "Тестовый реестр", Description: "Реестр для проверки", Keywords: []string{"тест", "реестр"},
		Department: "legal", Every: time.Hour,
		Structure: []portal.DatasetField{{Name: "name", Description: "Наименование", Format: "string"}, {Name: "count", Description: "Количество", Format: "integer"}},
		Rows: func(ctx context.Context, munID int64) ([][]string, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			return append([][]string(nil), f.rows...), nil
		},
	}
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newArea(t *testing.T, d *db.DB) (*webtest.Env, *Area, *fakeSource, *clock) {
	t.Helper()
	c := &clock{t: fixedNow}
	d.Now = c.now
	env := webtest.New(t, d)
	src := &fakeSource{rows: [][]string{{"Первая, с запятой", "1"}, {"Вторая \"в кавычках\"", "2"}, {"Третья\nс переносом", "3"}}}
	env.Portal.Add(portal.Contribution{Name: "fake", Datasets: []portal.DatasetSource{src.source()}})
	a, err := New(env.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	env.Portal.Add(a.Contribution())
	ctx := context.Background()
	err = d.InTx(ctx, func(tx *db.Tx) error {
		return a.Store.SaveSettings(ctx, tx, Settings{MunicipalityID: env.Municipality.ID, INN: "6606003385", PublisherName: "Управление делами", PublisherPhone: "+7 343 000-00-00", PublisherEmail: "od@example.org"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return env, a, src, c
}

func parseCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.Contains(body, "\r\n") {
		t.Errorf("lines do not end in CRLF (RFC 4180)")
	}
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse csv: %v\n%s", err, body)
	}
	return recs
}

func TestGenerateFilesAndVersions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a, src, clk := newArea(t, d)
		ctx := context.Background()
		res, err := a.Generate(ctx, env.Municipality, false)
		if err != nil || res.Published != 1 {
			t.Fatalf("first generation: %+v %v", res, err)
		}
		// Unchanged content makes no version, even when forced.
		clk.add(2 * time.Hour)
		if res, err := a.Generate(ctx, env.Municipality, true); err != nil || res.Published != 0 || res.Checked != 1 {
			t.Fatalf("unchanged generation: %+v %v", res, err)
		}
		// Not due yet: not even checked.
		if res, _ := a.Generate(ctx, env.Municipality, false); res.Checked != 0 {
			t.Fatalf("checked before its period: %+v", res)
		}
		// Another area's public event means the registers may have changed:
		// checked before the period ends.
		clk.add(time.Minute)
		if err := events.Record(ctx, d, events.Event{MunicipalityID: env.Municipality.ID, Kind: events.ActPublished, ObjectType: "act", ObjectID: "1", Title: "Акт", URL: "/acts/1", OccurredAt: clk.now()}); err != nil {
			t.Fatal(err)
		}
		if res, _ := a.Generate(ctx, env.Municipality, false); res.Checked != 1 || res.Published != 0 {
			t.Fatalf("not checked after a change: %+v", res)
		}
		c := env.Anonymous()
		id := "6606003385-test_register"
		first := c.Get("/opendata/" + id + "/data-20261206-structure-20261206.csv")
		if first.Status != 200 {
			t.Fatalf("first version: %d", first.Status)
		}
		recs := parseCSV(t, first.Body)
		want := [][]string{{"name", "count"}, {"Первая, с запятой", "1"}, {"Вторая \"в кавычках\"", "2"}, {"Третья\nс переносом", "3"}}
		if len(recs) != len(want) {
			t.Fatalf("rows: %q", recs)
		}
		for i := range want {
			if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("row %d: %q, want %q", i, recs[i], want[i])
			}
		}
		if !strings.Contains(first.Body, `"Вторая ""в кавычках"""`) {
			t.Errorf("quotes not doubled: %s", first.Body)
		}

		// The register changes the same day: a second version with a distinct
		// name; the first file stays byte for byte.
		src.set([][]string{{"Первая, с запятой", "10"}})
		clk.add(time.Hour)
		if res, err := a.Generate(ctx, env.Municipality, false); err != nil || res.Published != 1 {
			t.Fatalf("changed generation: %+v %v", res, err)
		}
		vs, _ := a.Store.Versions(ctx, d, env.Municipality.ID, 1)
		if len(vs[1]) != 2 || vs[1][0].Name != "data-20261206T130100-structure-20261206" {
			t.Fatalf("versions: %+v", vs[1])
		}
		again := c.Get("/opendata/" + id + "/data-20261206-structure-20261206.csv")
		if again.Body != first.Body {
			t.Errorf("the first version changed")
		}
		// The database refuses to rewrite a version.
		if _, err := d.Exec(ctx, `UPDATE opendata_versions SET content = ? WHERE dataset_id = 1`, []byte("x")); err == nil {
			t.Errorf("a version was rewritten")
		}
		if _, err := d.Exec(ctx, `DELETE FROM opendata_versions`); err == nil {
			t.Errorf("a version was deleted")
		}

		// list.csv: header, the standard's version, one row per dataset.
		list := parseCSV(t, c.Get("/opendata/list.csv").Body)
		if strings.Join(list[0], ",") != "property,title,value,format" || list[1][0] != "standardversion" || list[1][2] != StandardVersion {
			t.Fatalf("list.csv head: %q", list[:2])
		}
		if len(list) != 3 || list[2][0] != id || list[2][2] != "http://portal.test/opendata/"+id+"/meta.csv" || list[2][3] != "csv" {
			t.Fatalf("list.csv rows: %q", list)
		}
		// meta.csv: the properties in the methodology's order.
		meta := parseCSV(t, c.Get("/opendata/"+id+"/meta.csv").Body)
		var props []string
		values := map[string]string{}
		for _, r := range meta[1:] {
			props = append(props, r[0])
			values[r[0]] = r[1]
		}
		wantProps := "standardversion identifier title description creator created modified subject format data-20261206T130100-structure-20261206 data-20261206-structure-20261206 structure-20261206 publishername publisherphone publishermbox valid provenance"
		if strings.Join(meta[0], ",") != "property,value" || strings.Join(props, " ") != wantProps {
			t.Fatalf("meta.csv: %q", meta)
		}
		if values["identifier"] != id || values["created"] != "20261206" || values["subject"] != "тест,реестр" || values["publishermbox"] != "od@example.org" {
			t.Errorf("meta values: %v", values)
		}
		st := parseCSV(t, c.Get("/opendata/"+id+"/structure-20261206.csv").Body)
		if strings.Join(st[0], ",") != "field name,english description,russian description,format" || st[2][0] != "count" || st[2][3] != "integer" {
			t.Errorf("structure.csv: %q", st)
		}
		// The human page carries the passport as RDFa.
		page := c.Get("/opendata/" + id)
		for _, s := range []string{`typeof="dcat:Dataset"`, `property="identifier">` + id, `property="title"`, `property="dcat:downloadURL"`} {
			if !strings.Contains(page.Body, s) {
				t.Errorf("page lacks %s", s)
			}
		}
		if r := c.Get("/opendata/" + id + "/data-20990101-structure-20261206.csv"); r.Status != 404 {
			t.Errorf("missing version: %d", r.Status)
		}
		if r := c.Get("/opendata/1234567890-test_register"); r.Status != 404 {
			t.Errorf("wrong INN: %d", r.Status)
		}
		// Evidence: one dataset_published, then one version_published.
		pub := dbtest.Count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'opendata.dataset_published'`)
		ver := dbtest.Count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'opendata.version_published'`)
		if pub != 1 || ver != 1 {
			t.Errorf("events: %d published, %d versions", pub, ver)
		}
		var eventURL string
		if err := d.QueryRow(ctx, `SELECT url FROM public_events WHERE kind = 'opendata.dataset_published'`).Scan(&eventURL); err != nil {
			t.Fatal(err)
		}
		if eventURL != "/opendata/"+id {
			t.Errorf("event url %q", eventURL)
		}
		if docs := dbtest.Count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'dataset' AND url = ?`, "/opendata/"+id); docs != 1 {
			t.Errorf("search documents: %d", docs)
		}
	})
}

// The CKAN client's view of the API: the shapes decoded into structs.
type ckanEnvelope[T any] struct {
	Success bool `json:"success"`
	Result  T    `json:"result"`
	Error   *struct {
		Message string `json:"message"`
		Type    string `json:"__type"`
	} `json:"error"`
}

type ckanClientPackage struct {
	Name             string `json:"name"`
	Title            string `json:"title"`
	Notes            string `json:"notes"`
	MetadataCreated  string `json:"metadata_created"`
	MetadataModified string `json:"metadata_modified"`
	Organization     struct {
		Name  string `json:"name"`
		Title string `json:"title"`
	} `json:"organization"`
	Tags      []struct{ Name string } `json:"tags"`
	Resources []struct {
		ID, Name, URL, Format, Created string
	} `json:"resources"`
	NumResources int `json:"num_resources"`
}

func TestCKANAndDCAT(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a, src, clk := newArea(t, d)
		ctx := context.Background()
		if err := a.Demo(ctx, env.Municipality); err != nil {
			t.Fatal(err)
		}
		src.set([][]string{{"x", "1"}})
		clk.add(25 * time.Hour)
		if _, err := a.Generate(ctx, env.Municipality, false); err != nil {
			t.Fatal(err)
		}
		c := env.Anonymous()
		var list ckanEnvelope[[]string]
		c.Get("/api/3/action/package_list").JSON(t, &list)
		if !list.Success || len(list.Result) != 2 {
			t.Fatalf("package_list: %+v", list)
		}
		var show ckanEnvelope[ckanClientPackage]
		r := c.Get("/api/3/action/package_show?id=6606003385-test_register")
		r.JSON(t, &show)
		p := show.Result
		if r.Status != 200 || !show.Success || p.Name != "6606003385-test_register" || p.Title != "Тестовый реестр" || p.NumResources != 2 || len(p.Resources) != 2 {
			t.Fatalf("package_show: %d %+v", r.Status, show)
		}
		if p.Resources[0].Format != "CSV" || !strings.HasPrefix(p.Resources[0].URL, "http://portal.test/opendata/6606003385-test_register/data-2026120") ||
			len(p.Tags) != 2 || p.Tags[0].Name != "тест" || p.Organization.Name != "6606003385" {
			t.Errorf("package: %+v", p)
		}
		if _, err := time.Parse("2006-01-02T15:04:05.999999", p.MetadataCreated); err != nil {
			t.Errorf("metadata_created %q: %v", p.MetadataCreated, err)
		}
		// The resource's URL serves the file.
		u, _ := url.Parse(p.Resources[1].URL)
		if f := c.Get(u.Path); f.Status != 200 || !strings.HasPrefix(f.Body, "name,count\r\n") {
			t.Errorf("resource %s: %d", u.Path, f.Status)
		}
		var search ckanEnvelope[struct {
			Count   int                 `json:"count"`
			Results []ckanClientPackage `json:"results"`
		}]
		c.Get("/api/3/action/package_search?q="+url.QueryEscape("спорт")+"&rows=5&start=0").JSON(t, &search)
		if !search.Success || search.Result.Count != 1 || len(search.Result.Results) != 1 || search.Result.Results[0].Name != "6606003385-sport_grounds" {
			t.Fatalf("package_search: %+v", search)
		}
		c.Get("/api/3/action/package_search?rows=1&start=1").JSON(t, &search)
		if search.Result.Count != 2 || len(search.Result.Results) != 1 {
			t.Fatalf("paged search: %+v", search)
		}
		var missing ckanEnvelope[any]
		r = c.Get("/api/3/action/package_show?id=6606003385-nothing")
		r.JSON(t, &missing)
		if r.Status != 404 || missing.Success || missing.Error == nil || missing.Error.Type != "Not Found Error" {
			t.Fatalf("missing package: %d %+v", r.Status, missing)
		}
		// DCAT: a catalogue of both datasets with their distributions.
		var cat map[string]any
		r = c.Get("/opendata/catalog.jsonld")
		if err := json.Unmarshal([]byte(r.Body), &cat); err != nil {
			t.Fatal(err)
		}
		dss, _ := cat["dcat:dataset"].([]any)
		if cat["@type"] != "dcat:Catalog" || len(dss) != 2 {
			t.Fatalf("catalog: %v", cat)
		}
		first := dss[0].(map[string]any)
		if dists, _ := first["dcat:distribution"].([]any); len(dists) == 0 {
			t.Errorf("dataset without distributions: %v", first)
		}
	})
}

func TestValidateTable(t *testing.T) {
	fields := []Field{
		{Name: "name", Description: "Имя", Format: FormatString, MaxLen: 5},
		{Name: "n", Description: "Число", Format: FormatInteger},
		{Name: "x", Description: "Дробь", Format: FormatDecimal},
		{Name: "d", Description: "Дата", Format: FormatDate},
		{Name: "b", Description: "Флаг", Format: FormatBoolean},
	}
	cases := []struct {
		name string
		rows [][]string
		want []string // "row:col" of each error
	}{
		{"valid with comma and point", [][]string{{"abc", "12", "1,5", "2026-01-31", "да"}, {"", "-3", "2.25", "31.01.2026", "false"}}, nil},
		{"integer", [][]string{{"a", "1.5", "1", "2026-01-01", "1"}}, []string{"2:2"}},
		{"decimal", [][]string{{"a", "1", "1 000", "2026-01-01", "1"}}, []string{"2:3"}},
		{"date", [][]string{{"a", "1", "1", "2026-02-30", "1"}}, []string{"2:4"}},
		{"boolean", [][]string{{"a", "1", "1", "2026-01-01", "может быть"}}, []string{"2:5"}},
		{"length", [][]string{{"абвгде", "1", "1", "2026-01-01", "1"}}, []string{"2:1"}},
		{"column count", [][]string{{"a", "1"}, {"a", "1", "1", "2026-01-01", "1"}, {"b", "x", "1", "2026-01-01", "1"}}, []string{"2:0", "4:2"}},
		{"encoding", [][]string{{"a\xff", "1", "1", "2026-01-01", "1"}}, []string{"2:1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			table := append([][]string{{"name", "n", "x", "d", "b"}}, c.rows...)
			rows, errs := Validate(fields, table)
			var got []string
			for _, e := range errs {
				got = append(got, strings.Join([]string{itoa(e.Row), itoa(e.Column)}, ":"))
				if !strings.Contains(e.String(), "Строка") {
					t.Errorf("message not in Russian: %s", e.String())
				}
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Fatalf("errors %v, want %v (%v)", got, c.want, errs)
			}
			if len(errs) > 0 && rows != nil {
				t.Errorf("rows returned with errors")
			}
			if len(errs) == 0 && len(rows) != len(c.rows) {
				t.Errorf("rows: %d", len(rows))
			}
		})
	}
	if _, errs := Validate(fields, [][]string{{"name", "n", "x", "d", "wrong"}, {"a", "1", "1", "2026-01-01", "1"}}); len(errs) != 1 || errs[0].Row != 1 || errs[0].Column != 5 {
		t.Errorf("header check: %v", errs)
	}
	if _, errs := ReadTable("a.csv", []byte("name\n\xff\xfe\n")); len(errs) != 1 || errs[0].Row != 2 {
		t.Errorf("bad encoding: %v", errs)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func upload(t *testing.T, c *webtest.Client, env *webtest.Env, path, name string, data []byte) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, env.URL()+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

func TestUploadByHand(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a, _, _ := newArea(t, d)
		ctx := context.Background()
		ed := env.Client("housing", auth.Editor)
		r := ed.PostForm("/admin/opendata", url.Values{"code": {"Bad Code"}, "title": {"Парки"}, "description": {""}, "update_days": {"30"},
			"structure": {"name | Название | string\ncount | Число | integr"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Код набора") || !strings.Contains(r.Body, "integr") || !strings.Contains(r.Body, "Парки") {
			t.Fatalf("invalid form: %d", r.Status)
		}
		r = ed.PostForm("/admin/opendata", url.Values{"code": {"parks"}, "title": {"Парки"}, "description": {"Парки и скверы"}, "update_days": {"30"},
			"subject": {"парки, отдых"}, "structure": {"name | Название | string | 20\narea | Площадь, га | decimal\nopened | Открыт | date"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		ds, err := a.Store.ByCode(ctx, d, env.Municipality.ID, "parks")
		if err != nil {
			t.Fatal(err)
		}
		path := "/admin/opendata/" + itoa(int(ds.ID)) + "/upload"
		bad := "name,area,opened\r\nПарк Победы,12.5,2020-01-01\r\nСквер,один,2020-13-01\r\n"
		r = upload(t, ed, env, path, "parks.csv", []byte(bad))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Строка 3, столбец 2") || !strings.Contains(r.Body, "Строка 3, столбец 3") {
			t.Fatalf("bad upload: %d %s", r.Status, r.Body)
		}
		if got, _ := a.Store.ByCode(ctx, d, env.Municipality.ID, "parks"); got.Versions != 0 {
			t.Fatalf("a version was published from an invalid file")
		}
		// XLSX with a decimal comma and a trailing empty cell.
		f := excelize.NewFile()
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"name", "area", "opened"})
		_ = f.SetSheetRow("Sheet1", "A2", &[]any{"Парк Победы", "12,5", "01.01.2020"})
		_ = f.SetSheetRow("Sheet1", "A3", &[]any{"Сквер", "0.3"})
		var xb bytes.Buffer
		_ = f.Write(&xb)
		r = upload(t, ed, env, path, "parks.xlsx", xb.Bytes())
		if r.Status != http.StatusSeeOther {
			t.Fatalf("xlsx upload: %d %s", r.Status, r.Body)
		}
		got, _ := a.Store.ByCode(ctx, d, env.Municipality.ID, "parks")
		if got.Versions != 1 {
			t.Fatalf("versions after upload: %d", got.Versions)
		}
		if n := dbtest.Count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'opendata.upload'`); n != 1 {
			t.Errorf("audit entries: %d", n)
		}
		// A resident may not upload.
		if r := upload(t, env.Client("", auth.Resident), env, path, "parks.csv", []byte(bad)); r.Status != http.StatusForbidden {
			t.Errorf("resident upload: %d", r.Status)
		}
	})
}

func TestOverdueTasksAndReminder(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a, _, clk := newArea(t, d)
		ctx := context.Background()
		ed := env.Account("housing", auth.Editor)
		ds := Dataset{MunicipalityID: env.Municipality.ID, Code: "late", Title: "Запоздавший набор", UpdateDays: 7, DepartmentID: env.Departments["housing"], ResponsibleID: ed.ID}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.Create(ctx, tx, &ds) }); err != nil {
			t.Fatal(err)
		}
		v := &web.Viewer{ID: ed.ID, Roles: []string{auth.Editor}, DepartmentID: env.Departments["housing"]}
		if ts, _ := a.tasks(ctx, env.Municipality, v); len(ts) != 0 {
			t.Fatalf("tasks before the period: %+v", ts)
		}
		clk.add(8 * 24 * time.Hour)
		ts, err := a.tasks(ctx, env.Municipality, v)
		if err != nil || len(ts) != 1 || ts[0].Count != 1 || !ts[0].Overdue {
			t.Fatalf("tasks: %+v %v", ts, err)
		}
		env.StartJobs()
		n, err := a.SendReminders(ctx, env.Municipality)
		if err != nil || n != 1 {
			t.Fatalf("reminders: %d %v", n, err)
		}
		if n, _ := a.SendReminders(ctx, env.Municipality); n != 0 {
			t.Errorf("second reminder in the same week: %d", n)
		}
		env.Mail.WaitFor(t, ed.Email, "Набор открытых данных не обновлён в срок", 10*time.Second)
		r := env.Client("housing", auth.Editor).Get("/admin/opendata?overdue=1")
		if r.Status != 200 || !strings.Contains(r.Body, "Запоздавший набор") {
			t.Errorf("overdue list: %d", r.Status)
		}
	})
}
