package media

import (
	"bytes"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/xlsxdoc"
)

func TestResolveWhen(t *testing.T) {
	for _, c := range []struct {
		name, week, date      string
		monday, day, errField string
	}{
		{"week 1 of 2026 starts 29 Dec 2025", "1", "", "2025-12-29", "", ""},
		{"week 12", "12", "", "2026-03-16", "", ""},
		{"date wins over week", "5", "18.03.2026", "2026-03-16", "2026-03-18", ""},
		{"ISO date", "", "2026-03-22", "2026-03-16", "2026-03-22", ""},
		{"date of another year", "", "01.01.2027", "", "", "date"},
		{"bad date", "", "32.01.2026", "", "", "date"},
		{"week 54", "54", "", "", "", "week"},
		{"week 0", "0", "", "", "", "week"},
		{"nothing", "", "", "", "", "week"},
	} {
		t.Run(c.name, func(t *testing.T) {
			monday, day, field, msg := ResolveWhen(2026, c.week, c.date)
			if field != c.errField || (c.errField != "") != (msg != "") {
				t.Fatalf("field %q msg %q, want field %q", field, msg, c.errField)
			}
			if monday != c.monday || day != c.day {
				t.Errorf("got %s %s, want %s %s", monday, day, c.monday, c.day)
			}
		})
	}
}

func TestWeekLabel(t *testing.T) {
	if got := WeekLabel("2026-03-16"); got != "неделя 12 (16.03–22.03.2026)" {
		t.Errorf("WeekLabel = %q", got)
	}
	if got := MondayOf(time.Date(2026, 3, 22, 15, 0, 0, 0, time.UTC)).Format(time.DateOnly); got != "2026-03-16" {
		t.Errorf("MondayOf Sunday = %s", got)
	}
}

func TestValidatePlanNeedsActToApprove(t *testing.T) {
	e := ValidatePlan(Plan{Title: "План"}, true)
	if e["act_number"] == "" || e["act_date"] == "" {
		t.Errorf("approval without act accepted: %v", e)
	}
	if e := ValidatePlan(Plan{Title: "План", ActNumber: "12", ActDate: "10.01.2026", ActURL: "javascript:alert(1)"}, true); e["act_url"] == "" {
		t.Errorf("javascript: link accepted")
	}
	if e := ValidatePlan(Plan{Title: "План", ActNumber: "12", ActDate: "10.01.2026", ActURL: "/acts/5"}, true); len(e) != 0 {
		t.Errorf("valid plan refused: %v", e)
	}
}

var testDepts = []tenant.Department{{ID: 7, Slug: "press", Name: "Пресс-секретарь"}, {ID: 8, Slug: "legal", Name: "Юридический отдел"}}

func TestTemplateImportsBack(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, 2026, testDepts); err != nil {
		t.Fatal(err)
	}
	items, errs := ParseImport(&buf, 2026, testDepts)
	if len(errs) != 0 {
		t.Fatalf("template's own rows refused: %v", errs)
	}
	if len(items) != 2 || items[0].Channel != "press_conference" || items[0].PlannedDate != "2026-01-25" || items[0].DepartmentID != 7 ||
		items[1].Channel != "site" || items[1].WeekStart != "2026-03-23" || items[1].PlannedDate != "" {
		t.Errorf("items = %+v", items)
	}
}

func TestImportReportsEveryRow(t *testing.T) {
	var buf bytes.Buffer
	err := xlsxdoc.Write(&buf, xlsxdoc.Meta{}, xlsxdoc.Sheet{Name: "Лист1", Title: "Медиаплан", Header: importHeader, Rows: [][]any{
		{"Хорошая строка", "Радио", "3", "", "Юридический отдел", ""},
		{"", "Голубиная почта", "", "", "Отдел снабжения", ""},
		{"Дата не того года", "ТВ", "", "01.02.2025", "", ""},
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, errs := ParseImport(&buf, 2026, testDepts)
	want := []string{
		"Строка 5: укажите тему.",
		"Строка 5: канал «Голубиная почта» не из списка (см. лист «Справочник»).",
		"Строка 5: укажите неделю или дату.",
		"Строка 5: подразделение «Отдел снабжения» не найдено (см. лист «Справочник»).",
		"Строка 6: дата должна относиться к 2026 году — году медиаплана.",
	}
	if len(errs) != len(want) {
		t.Fatalf("errors = %v", errs)
	}
	for i, e := range errs {
		if e.String() != want[i] {
			t.Errorf("error %d = %q, want %q", i, e.String(), want[i])
		}
	}
	if _, errs := ParseImport(bytes.NewReader([]byte("not a workbook")), 2026, nil); len(errs) != 1 || errs[0].Row != 0 {
		t.Errorf("garbage: %v", errs)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// clock is a test clock that tests move while servers and jobs read it.
type clock struct{ unix atomic.Int64 }

// useClock sets d's clock to t and returns it to be moved later.
func useClock(d *db.DB, t time.Time) *clock {
	c := &clock{}
	c.set(t)
	d.Now = func() time.Time { return time.Unix(c.unix.Load(), 0).UTC() }
	return c
}

func (c *clock) set(t time.Time) { c.unix.Store(t.Unix()) }
