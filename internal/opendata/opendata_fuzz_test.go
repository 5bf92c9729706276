package opendata

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/fuzzcheck"
	"github.com/glasnost/glasnost/internal/web"
	"github.com/glasnost/glasnost/internal/webtest"
)

// fuzzFields is the structure uploaded files are checked against: one field of each format.
var fuzzFields = []Field{
	{Name: "name", Format: FormatString, MaxLen: 50}, {Name: "count", Format: FormatInteger},
	{Name: "share", Format: FormatDecimal}, {Name: "day", Format: FormatDate}, {Name: "flag", Format: FormatBoolean},
}

// Whatever file a person uploads as a new version, it is refused row by row
// with Russian messages (at most maxErrors of them), or its rows are the
// trimmed values, each of its field's format, and they read back the same
// once written out as CSV.
func FuzzUpload(f *testing.F) {
	f.Add("data.csv", []byte("name,count,share,day,flag\r\nШкола № 1,120,\"0,5\",2026-09-01,да\r\n\"С «кавычками» и, запятой\",-3,1.25,01.09.2026,false\r\n"))
	f.Add("data.csv", []byte("\xef\xbb\xbfname;count;share;day;flag\n  пробелы  ;+7;3;;1\n"))
	f.Add("data.csv", []byte("name,count,share,day,flag\nx,99999999999999999999,1e5,31.02.2026,maybe\nтолько одно\n"))
	f.Add("data.csv", []byte("name,count\n\"незакрытая,1\n"))
	f.Add("data.csv", []byte("name,count,share,day,flag\n\xcf\xf0\xe8,1,1,2026-01-01,1\n"))
	f.Add("data.csv", []byte(""))
	f.Add("data.xlsx", []byte("PK\x03\x04 not a workbook"))
	x := excelize.NewFile()
	_ = x.SetSheetRow("Sheet1", "A1", &[]any{"name", "count", "share", "day", "flag"})
	_ = x.SetSheetRow("Sheet1", "A2", &[]any{"Школа", 12, 0.5, "2026-09-01"})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add("data.xlsx", buf.Bytes())
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		table, errs := ReadTable(name, data)
		var rows [][]string
		if len(errs) == 0 {
			rows, errs = Validate(fuzzFields, table)
		}
		if len(errs) > 0 {
			if len(errs) > maxErrors {
				t.Fatalf("%d errors", len(errs))
			}
			for _, e := range errs {
				if e.Row < 1 {
					t.Fatalf("error %+v without a row", e)
				}
				if err := fuzzcheck.Russian(e.String(), string(data)); err != nil {
					t.Fatal(err)
				}
			}
			return
		}
		for _, r := range rows {
			for j, v := range r {
				if v != strings.TrimSpace(v) || CheckValue(fuzzFields[j], v) != "" {
					t.Fatalf("value %q of %s kept", v, fuzzFields[j].Name)
				}
			}
		}
		for _, r := range rows {
			for _, v := range r {
				if strings.ContainsRune(v, '\r') || !utf8.ValidString(v) {
					return // CSV turns a CR inside a value into a line break
				}
			}
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		_ = w.Write([]string{"name", "count", "share", "day", "flag"})
		_ = w.WriteAll(rows)
		table, errs = ReadTable("again.csv", out.Bytes())
		if len(errs) > 0 {
			t.Fatalf("written back: %v", errs)
		}
		again, errs := Validate(fuzzFields, table)
		if len(errs) > 0 || !reflect.DeepEqual(again, rows) {
			t.Fatalf("rows %q read back as %q (%v)", rows, again, errs)
		}
	})
}

// Whatever is searched for in the catalogue (the page's box and the CKAN
// package_search q), neither engine answers with an error, and a dataset
// whose title holds the words as typed is found: «%», «_» and «\» are
// letters, not patterns.
func FuzzDatasetQuery(f *testing.F) {
	f.Add("Доходы бюджета на 50% больше", 14, 26)
	f.Add("Реестр мест_отдыха", 6, 17)
	f.Add(`Путь C:\data\ и 100%`, 5, 14)
	f.Add("школы", 0, 5)
	f.Add("a%b_c", 1, 4)
	ctx := context.Background()
	type engine struct {
		d     *db.DB
		store *Store
		munID int64
	}
	var engines []engine
	for _, e := range fuzzcheck.Databases(f) {
		engines = append(engines, engine{e.DB, &Store{DB: e.DB}, e.MunicipalityID})
	}
	n := 0
	f.Fuzz(func(t *testing.T, title string, from, to int) {
		// The guard at the edge refuses NUL and invalid UTF-8; titles are limited.
		if strings.IndexByte(title, 0) >= 0 || !utf8.ValidString(title) || len(title) > 300 || strings.TrimSpace(title) == "" {
			t.Skip()
		}
		from, to = max(0, min(from, len(title))), max(0, min(to, len(title)))
		q := ""
		if from < to && utf8.ValidString(title[from:to]) {
			q = title[from:to]
		}
		// Case folding differs between the engines (SQLite's LOWER knows
		// only ASCII); the property is about patterns, so q is taken as it
		// is written in the title and already in lower case.
		findable := strings.TrimSpace(q) != "" && q == strings.ToLower(q)
		for _, e := range engines {
			n++
			ds := Dataset{MunicipalityID: e.munID, Code: fmt.Sprintf("fuzz%d", n), Title: title}
			if err := e.d.InTx(ctx, func(tx *db.Tx) error { return e.store.Create(ctx, tx, &ds) }); err != nil {
				t.Fatalf("%s: create: %v", dbtest.Name(e.d), err)
			}
			list, _, err := e.store.List(ctx, e.d, e.munID, Filter{Query: q}, 1000, 0)
			if err != nil {
				t.Fatalf("%s: List(%q): %v", dbtest.Name(e.d), q, err)
			}
			found := false
			for _, d := range list {
				found = found || d.ID == ds.ID
			}
			if findable && !found {
				t.Fatalf("%s: %q not found in the title %q", dbtest.Name(e.d), q, title)
			}
			if _, err := e.d.Exec(ctx, `DELETE FROM opendata_datasets WHERE id = ?`, ds.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// Whatever parameters a harvester sends to the CKAN action API, it answers
// as CKAN does — JSON with success true, or false with an error of a type —
// and never with a server error, on either engine.
func FuzzCKAN(f *testing.F) {
	for _, q := range []string{"", "q=*:*", "q=школы&rows=5&start=0", "rows=-1", "rows=abc", "start=99999999999999999999", "rows=1001&start=2",
		"q=%25_%5C", "id=6606003385-test_register", "name_or_id=x", "id=" + strings.Repeat("a", 300), "q=%00", "q=%zz&rows=1", "q=%C0%AF"} {
		f.Add(uint8(0), q)
		f.Add(uint8(1), q)
	}
	actions := []string{"package_search", "package_show", "package_list"}
	var handlers []http.Handler
	for _, e := range fuzzcheck.Databases(f) {
		env := webtest.New(f, e.DB)
		a, err := New(env.Deps(nil))
		if err != nil {
			f.Fatal(err)
		}
		a.Mount(env.Router)
		if err := a.Demo(context.Background(), env.Municipality); err != nil {
			f.Fatal(err)
		}
		handlers = append(handlers, web.RejectBadText(env.Errors)(env.Handler()))
	}
	f.Fuzz(func(t *testing.T, action uint8, query string) {
		target := "/api/3/action/" + actions[int(action)%len(actions)]
		for _, h := range handlers {
			r := httptest.NewRequest("GET", target, nil)
			r.URL.RawQuery = query
			r.Host = "127.0.0.1"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code >= 500 {
				t.Fatalf("%s?%s: %d %s", target, query, w.Code, w.Body)
			}
			if w.Code == http.StatusBadRequest {
				continue // refused at the edge (NUL, invalid UTF-8)
			}
			var body struct {
				Success *bool `json:"success"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Success == nil || *body.Success != (w.Code == http.StatusOK) {
				t.Fatalf("%s?%s: %d %s", target, query, w.Code, w.Body)
			}
		}
	})
}
