package appeals

import (
	"context"
	"encoding/csv"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

func TestSSTUBucket(t *testing.T) {
	tests := []struct {
		st     Status
		result string
		want   string
	}{
		{StatusRegistered, "", "in_progress"},
		{StatusDrafted, "explained", "in_progress"},
		{StatusAnswered, "supported", "supported"},
		{StatusAnswered, "supported_measures", "measures"},
		{StatusAnswered, "explained", "explained"},
		{StatusAnswered, "not_supported", "not_supported"},
		{StatusAnswered, "site_visit", "answered"},
		{StatusForwarded, "forwarded", "forwarded"},
		{StatusLeft, "left_unanswered", "unanswered"},
		{StatusReturned, "left_unanswered", "unanswered"},
	}
	for _, tt := range tests {
		if got := SSTUBucket(tt.st, tt.result); got != tt.want {
			t.Errorf("SSTUBucket(%s, %q) = %q, want %q", tt.st, tt.result, got, tt.want)
		}
	}
}

// TestSSTUExportShape: the month's file has the ССТУ's columns, one line per
// ТОТКО question, and the result columns add up to the appeals received.
func TestSSTUExportShape(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := setup(t, d)
		env.Server()
		ctx := context.Background()
		m := env.Municipality
		today := a.Today(m)
		month := today.AddDays(-today.Day - 1) // a day of the previous month
		reg := month.AddDays(1 - month.Day)    // its first day
		type plan struct {
			q      string
			status Status
			result string
		}
		plans := []plan{
			{"0003.0009.0098.0720", StatusAnswered, "explained"},
			{"0003.0009.0098.0720", StatusAnswered, "supported_measures"},
			{"0003.0009.0098.0720", StatusRegistered, ""},
			{"0005.0005.0055.1112", StatusForwarded, "forwarded"},
			{"", StatusLeft, "left_unanswered"},
		}
		for i, p := range plans {
			in := paper(a, env, "Отчётов"+string(rune('А'+i)), reg)
			in.QuestionCode = p.q
			ap, err := a.Register(ctx, m, in, Actor{Staff: true}, false)
			if err != nil {
				t.Fatal(err)
			}
			if p.status != StatusRegistered {
				ap.Status, ap.Result, ap.ClosedOn = p.status, p.result, reg
				if err := d.InTx(ctx, func(tx *db.Tx) error { return a.store.Save(ctx, tx, &ap) }); err != nil {
					t.Fatal(err)
				}
			}
		}
		// One registered in this month does not count.
		if _, err := a.Register(ctx, m, paper(a, env, "Нынешний", today.AddDays(1-today.Day)), Actor{Staff: true}, false); err != nil {
			t.Fatal(err)
		}
		op := env.Client("appeals", auth.Operator)
		if r := op.Get("/admin/appeals/sstu?month=вчера"); r.Status != 422 {
			t.Errorf("bad month: %d", r.Status)
		}
		ym := reg.String()[:7]
		r := op.Get("/admin/appeals/sstu?" + url.Values{"month": {ym}}.Encode())
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "sstu-"+ym) {
			t.Fatalf("export: %d %s", r.Status, r.Header)
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
		cr.Comma = ';'
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(recs[0], SSTUHeader) {
			t.Fatalf("header %v", recs[0])
		}
		want := map[string][]int{ // received, then the nine result columns
			"0003.0009.0098.0720": {3, 1, 1, 1, 0, 0, 0, 0, 1},
			"0005.0005.0055.1112": {1, 0, 0, 0, 0, 0, 0, 1, 0},
			"":                    {1, 0, 0, 0, 0, 0, 1, 0, 0},
		}
		if len(recs)-1 != len(want) {
			t.Fatalf("%d question lines, want %d: %v", len(recs)-1, len(want), recs)
		}
		for _, rec := range recs[1:] {
			if len(rec) != len(SSTUHeader) {
				t.Fatalf("line %v has %d fields", rec, len(rec))
			}
			n := make([]int, 0, 9)
			for _, s := range rec[2:] {
				v, err := strconv.Atoi(s)
				if err != nil {
					t.Fatalf("not a number %q in %v", s, rec)
				}
				n = append(n, v)
			}
			// received, supported, measures, explained, not supported,
			// answered, unanswered, forwarded, in progress
			got := []int{n[0], n[1], n[2], n[3], n[4], n[6], n[7], n[8]}
			w := want[rec[0]]
			if w == nil {
				t.Errorf("unexpected line %v", rec)
				continue
			}
			exp := []int{w[0], w[1], w[2], w[3], w[4], w[6], w[7], w[8]}
			if !slices.Equal(got, exp) {
				t.Errorf("%q: %v, want %v", rec[0], got, exp)
			}
			if sum := n[1] + n[3] + n[4] + n[5] + n[6] + n[7] + n[8]; sum != n[0] {
				t.Errorf("%q: results add to %d of %d received", rec[0], sum, n[0])
			}
		}
		if r := env.Client("housing", auth.Editor).Get("/admin/appeals/sstu?month=" + ym); r.Status != 403 {
			t.Errorf("department staff downloaded the ССТУ file: %d", r.Status)
		}
	})
}

// TestReportNarrative: staff write the conclusions and measures taken into
// a draft; they are published with it and cannot change afterwards.
func TestReportNarrative(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, head, loc, id := draftReport(t, d)
		text := "Выводы: чаще всего жители пишут о дорогах. Меры: отремонтировано 3 км дорог."
		tests := []struct {
			name   string
			text   string
			status int
			stored string
		}{
			{"empty", "", 303, ""},
			{"written", text, 303, text},
		}
		for _, tt := range tests {
			if r := head.PostForm("/admin/appeals/reports/"+id+"/narrative", url.Values{"narrative": {tt.text}}); r.Status != tt.status {
				t.Fatalf("%s: %d", tt.name, r.Status)
			}
			got := dbtest.Count(t, d, `SELECT COUNT(*) FROM appeal_reports WHERE id = ? AND narrative = ?`, id, tt.stored)
			if got != 1 {
				t.Errorf("%s: narrative not stored as %q", tt.name, tt.stored)
			}
		}
		if r := head.PostForm("/admin/appeals/reports/"+id+"/publish", nil); r.Status != 303 {
			t.Fatalf("publish: %d", r.Status)
		}
		if r := env.Anonymous().Get(loc); r.Status != 200 || !strings.Contains(r.Body, "Выводы и принятые меры") || !strings.Contains(r.Body, "отремонтировано 3 км") {
			t.Errorf("published report: %d", r.Status)
		}
		if r := head.PostForm("/admin/appeals/reports/"+id+"/narrative", url.Values{"narrative": {"Другое"}}); r.Status != 404 {
			t.Errorf("narrative of a published report changed: %d", r.Status)
		}
	})
}
