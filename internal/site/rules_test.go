package site

import (
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/web"
)

func day(y int, m time.Month, d int) deadline.Date { return deadline.NewDate(y, m, d) }

func calendar(t *testing.T) deadline.Calendar {
	t.Helper()
	c, err := deadline.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogueStatus(t *testing.T) {
	cal := calendar(t)
	zero := deadline.Date{}
	tests := []struct {
		name             string
		rule             string
		days             int
		updated, changed deadline.Date
		today            deadline.Date
		overdue          bool
		due              deadline.Date
	}{
		{"never published is overdue", RuleYearly, 0, zero, zero, day(2026, 3, 1), true, zero},
		{"monthly within the month", RuleMonthly, 0, day(2026, 3, 10), zero, day(2026, 4, 10), false, day(2026, 4, 10)},
		{"monthly a day late", RuleMonthly, 0, day(2026, 3, 10), zero, day(2026, 4, 11), true, day(2026, 4, 10)},
		{"monthly from 31 January ends on the last day of February, a Saturday", RuleMonthly, 0, day(2026, 1, 31), zero, day(2026, 3, 2), false, day(2026, 3, 2)},
		{"monthly due on a Saturday moves to Monday", RuleMonthly, 0, day(2026, 10, 7), zero, day(2026, 11, 9), false, day(2026, 11, 9)},
		{"quarterly", RuleQuarterly, 0, day(2026, 7, 15), zero, day(2026, 10, 16), true, day(2026, 10, 15)},
		{"yearly over New Year holidays moves to the first working day", RuleYearly, 0, day(2025, 1, 3), zero, day(2026, 1, 9), false, day(2026, 1, 12)},
		{"yearly overdue", RuleYearly, 0, day(2025, 10, 1), zero, day(2026, 11, 29), true, day(2026, 10, 1)},
		{"working days: no change recorded", RuleWorkingDays, 3, day(2026, 11, 2), zero, day(2026, 12, 30), false, zero},
		{"working days: change already reflected", RuleWorkingDays, 3, day(2026, 11, 20), day(2026, 11, 16), day(2026, 12, 30), false, zero},
		{"working days: within term (counts working days only)", RuleWorkingDays, 3, day(2026, 11, 2), day(2026, 11, 13), day(2026, 11, 18), false, day(2026, 11, 18)},
		{"working days: overdue", RuleWorkingDays, 3, day(2026, 11, 2), day(2026, 11, 13), day(2026, 11, 19), true, day(2026, 11, 18)},
		{"working days across the November holiday", RuleWorkingDays, 1, day(2026, 10, 1), day(2026, 11, 3), day(2026, 11, 5), false, day(2026, 11, 5)},
		{"current: five working days after a change", RuleCurrent, 0, day(2026, 11, 2), day(2026, 11, 16), day(2026, 11, 23), false, day(2026, 11, 23)},
		{"current: overdue", RuleCurrent, 0, day(2026, 11, 2), day(2026, 11, 16), day(2026, 11, 24), true, day(2026, 11, 23)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Status(tt.rule, tt.days, tt.updated, tt.changed, tt.today, cal)
			if st.Overdue != tt.overdue || st.Due != tt.due {
				t.Fatalf("Status = %+v, want overdue=%v due=%v", st, tt.overdue, tt.due)
			}
			if st.Overdue && st.Reason == "" {
				t.Fatal("an overdue item must say why")
			}
		})
	}
}

func TestArticle13IsComplete(t *testing.T) {
	codes := map[string]bool{}
	cats := map[string]int{}
	for _, it := range Article13 {
		if codes[it.Code] {
			t.Errorf("code %s twice", it.Code)
		}
		codes[it.Code] = true
		cats[it.Category]++
		if !ValidRule(it.Rule) || (it.Rule == RuleWorkingDays) != (it.Days > 0) {
			t.Errorf("%s: bad rule %s/%d", it.Code, it.Rule, it.Days)
		}
		if CategoryTitle(it.Category) == it.Category {
			t.Errorf("%s: unknown category %s", it.Code, it.Category)
		}
	}
	for _, c := range Categories {
		if cats[c.Slug] == 0 {
			t.Errorf("category %s (%s) has no items", c.Slug, c.Title)
		}
	}
	// Points 1 (а–з), 2 (а–е), 3, 4, 5, 6, 7 (а–в), 8 (а–е), 9 (а–в), 10.
	if len(Article13) != 31 {
		t.Errorf("article 13 has %d items, want 31", len(Article13))
	}
}

func TestCanEdit(t *testing.T) {
	admin := &web.Viewer{ID: 1, Roles: []string{auth.Administrator}}
	editorA := &web.Viewer{ID: 2, Roles: []string{auth.Editor}, DepartmentID: 10}
	editorNoDept := &web.Viewer{ID: 3, Roles: []string{auth.Editor}}
	lawyerA := &web.Viewer{ID: 4, Roles: []string{auth.Lawyer}, DepartmentID: 10}
	tests := []struct {
		name string
		v    *web.Viewer
		dept int64
		want bool
	}{
		{"administrator, any department", admin, 99, true},
		{"administrator, unowned section", admin, 0, true},
		{"editor, own department", editorA, 10, true},
		{"editor, another department", editorA, 11, false},
		{"editor, unowned section", editorA, 0, false},
		{"editor without a department", editorNoDept, 0, false},
		{"another staff role in the department", lawyerA, 10, false},
		{"anonymous", nil, 10, false},
	}
	for _, tt := range tests {
		if got := CanEdit(tt.v, tt.dept); got != tt.want {
			t.Errorf("%s: CanEdit = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDecideAndDue(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	first := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	later := now.Add(48 * time.Hour)
	tests := []struct {
		name              string
		current           string
		publishedAt       time.Time
		action            string
		at                time.Time
		wantState         string
		wantPublishedAt   time.Time
		published, unpubl bool
		err               error
	}{
		{"draft stays draft", StateDraft, time.Time{}, ActionDraft, time.Time{}, StateDraft, time.Time{}, false, false, nil},
		{"publish a draft now", StateDraft, time.Time{}, ActionPublish, time.Time{}, StatePublished, now, true, false, nil},
		{"edit a published page keeps its date", StatePublished, first, ActionPublish, time.Time{}, StatePublished, first, false, false, nil},
		{"unpublish", StatePublished, first, ActionDraft, time.Time{}, StateDraft, first, false, true, nil},
		{"schedule", StateDraft, time.Time{}, ActionSchedule, later, StateScheduled, time.Time{}, false, false, nil},
		{"schedule without a time", StateDraft, time.Time{}, ActionSchedule, time.Time{}, "", time.Time{}, false, false, ErrScheduleMissing},
		{"schedule in the past", StateDraft, time.Time{}, ActionSchedule, now.Add(-time.Minute), "", time.Time{}, false, false, ErrScheduleInPast},
		{"reschedule a published item takes it down", StatePublished, first, ActionSchedule, later, StateScheduled, time.Time{}, false, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Decide(tt.current, tt.publishedAt, tt.action, tt.at, now)
			if err != tt.err {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if tr.State != tt.wantState || !tr.PublishedAt.Equal(tt.wantPublishedAt) || tr.Published != tt.published || tr.Unpublished != tt.unpubl {
				t.Fatalf("Decide = %+v", tr)
			}
		})
	}
	if _, err := Decide(StateDraft, time.Time{}, "delete-everything", time.Time{}, now); err == nil {
		t.Fatal("an unknown action must be refused")
	}
	due := []struct {
		state string
		at    time.Time
		want  bool
	}{
		{StateScheduled, now.Add(-time.Second), true},
		{StateScheduled, now, true},
		{StateScheduled, now.Add(time.Second), false},
		{StateScheduled, time.Time{}, false},
		{StateDraft, now.Add(-time.Hour), false},
		{StatePublished, now.Add(-time.Hour), false},
	}
	for _, d := range due {
		if got := DueForPublication(d.state, d.at, now); got != d.want {
			t.Errorf("DueForPublication(%s, %v) = %v", d.state, d.at, got)
		}
	}
}

func TestSlugsAndPaths(t *testing.T) {
	for s, ok := range map[string]bool{"contacts": true, "civil-service": true, "a1": true, "": false, "Contacts": false, "-x": false, "x-": false, "a--b": false, "feed.atom": false, "структура": false, "a/b": false, strings.Repeat("a", 61): false} {
		if ValidSlug(s) != ok {
			t.Errorf("ValidSlug(%q) != %v", s, ok)
		}
	}
	if ChildPath("", "a") != "a" || ChildPath("a/b", "c") != "a/b/c" {
		t.Fatal("ChildPath")
	}
	if CheckMove("a", "a/b") == nil || CheckMove("a", "a") == nil || CheckMove("a", "ab") != nil || CheckMove("a/b", "a") != nil || CheckMove("a", "") != nil {
		t.Fatal("CheckMove must refuse moving a section below itself only")
	}
}

func TestFeedbackRules(t *testing.T) {
	for s, want := range map[string]int{"1": 1, "5": 5, " 3 ": 3, "0": 0, "6": 0, "x": 0, "": 0} {
		n, ok := ParseScore(s)
		if n != want || ok != (want != 0) {
			t.Errorf("ParseScore(%q) = %d, %v", s, n, ok)
		}
	}
	for raw, want := range map[string]string{"/news": "/news", "/sections/a/b?utm=1": "/sections/a/b", "//evil.example/": "", "https://evil.example/": "", "news": "", `/\evil`: ""} {
		got, ok := CleanReturnPath(raw)
		if got != want || ok != (want != "") {
			t.Errorf("CleanReturnPath(%q) = %q, %v", raw, got, ok)
		}
	}
	k1 := RatingKey([]byte("s"), "ip", "10.0.0.1", "/news", "2026-11-29")
	if k1 == RatingKey([]byte("s"), "ip", "10.0.0.1", "/news", "2026-11-30") || k1 == RatingKey([]byte("t"), "ip", "10.0.0.1", "/news", "2026-11-29") ||
		k1 == RatingKey([]byte("s"), "ip", "10.0.0.1", "/", "2026-11-29") || strings.Contains(k1, "10.0.0.1") {
		t.Fatal("the rating key must depend on secret, page and day and hide the address")
	}
}

func TestParseLinks(t *testing.T) {
	links, err := ParseLinks("Структура | /sections/administration/structure\n\nЗакупки | https://zakupki.gov.ru\n")
	if err != nil || len(links) != 2 || links[1].URL != "https://zakupki.gov.ru" {
		t.Fatalf("ParseLinks = %+v, %v", links, err)
	}
	for _, bad := range []string{"без адреса", "x | javascript:alert(1)", "x | //evil.example", " | /a"} {
		if _, err := ParseLinks(bad); err == nil {
			t.Errorf("ParseLinks(%q) accepted", bad)
		}
	}
}
