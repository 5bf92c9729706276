package site

import (
	"errors"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/web"
)

func TestCanEditNews(t *testing.T) {
	const own, other = 10, 11
	tests := []struct {
		name  string
		roles []string
		dept  int64 // the viewer's department
		news  int64 // the news item's or page's department (0: none)
		want  bool  // news
		pages bool  // pages and sections of the same department
	}{
		{"administrator, any department", []string{auth.Administrator}, own, other, true, true},
		{"administrator, no department", []string{auth.Administrator}, 0, 0, true, true},
		{"press secretary, own department", []string{auth.Press}, own, own, true, false},
		{"press secretary, another department", []string{auth.Press}, own, other, true, false},
		{"press secretary, news without a department", []string{auth.Press}, own, 0, true, false},
		{"press secretary without a department", []string{auth.Press}, 0, other, true, false},
		{"press secretary who is also an editor, another department", []string{auth.Press, auth.Editor}, own, other, true, false},
		{"press secretary who is also an editor, own department's page", []string{auth.Press, auth.Editor}, own, own, true, true},
		{"editor, own department", []string{auth.Editor}, own, own, true, true},
		{"editor, another department", []string{auth.Editor}, own, other, false, false},
		{"editor, news without a department", []string{auth.Editor}, own, 0, false, false},
		{"lawyer, own department", []string{auth.Lawyer}, own, own, false, false},
		{"operator, own department", []string{auth.Operator}, own, own, false, false},
		{"resident", []string{auth.Resident}, 0, own, false, false},
	}
	for _, tt := range tests {
		v := &web.Viewer{ID: 1, Roles: tt.roles, DepartmentID: tt.dept}
		if got := CanEditNews(v, tt.news); got != tt.want {
			t.Errorf("%s: CanEditNews = %v, want %v", tt.name, got, tt.want)
		}
		// The press role gives nothing over pages and sections.
		if got := CanEdit(v, tt.news); got != tt.pages {
			t.Errorf("%s: CanEdit (pages) = %v, want %v", tt.name, got, tt.pages)
		}
	}
	if CanEditNews(nil, own) {
		t.Error("anonymous may edit news")
	}
}

func TestCheckAlt(t *testing.T) {
	long := ""
	for len([]rune(long)) <= MaxAltChars {
		long += "Фото "
	}
	tests := []struct {
		alt, file string
		want      error
	}{
		{"Глава округа вручает награды выпускникам", "IMG_0001.jpg", nil},
		{"  Субботник в сквере  ", "", nil},
		{"", "photo.jpg", ErrAltMissing},
		{"   ", "photo.jpg", ErrAltMissing},
		{"IMG_0001", "IMG_0001.jpg", ErrAltIsName},
		{"img_0001.JPG", "IMG_0001.jpg", ErrAltIsName},
		{"фото.jpg", "фото.jpg", ErrAltIsName},
		{"photo of the mayor", "x.jpg", ErrAltNotWords},
		{"12345", "x.jpg", ErrAltNotWords},
		{long, "x.jpg", ErrAltTooLong},
	}
	for _, tt := range tests {
		if got := CheckAlt(tt.alt, tt.file); !errors.Is(got, tt.want) {
			t.Errorf("CheckAlt(%q, %q) = %v, want %v", tt.alt, tt.file, got, tt.want)
		}
	}
}

func TestMonthGrid(t *testing.T) {
	ekb := time.FixedZone("Asia/Yekaterinburg", 5*3600)
	item := func(id int64, utc time.Time) CalendarItem {
		return CalendarItem{News: News{ID: id}, At: utc.In(ekb)}
	}
	dec := time.Date(2026, 12, 1, 0, 0, 0, 0, ekb)
	items := []CalendarItem{
		// 30 November 20:00 UTC is 1 December 01:00 in Yekaterinburg.
		item(1, time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC)),
		item(2, time.Date(2026, 12, 15, 6, 0, 0, 0, time.UTC)),
		item(3, time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)),
		// 31 December 19:30 UTC is already January locally: not in December.
		item(4, time.Date(2026, 12, 31, 19, 30, 0, 0, time.UTC)),
	}
	weeks := MonthGrid(dec, items, time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC))
	// December 2026 begins on a Tuesday and ends on a Thursday: five weeks.
	if len(weeks) != 5 {
		t.Fatalf("weeks = %d, want 5", len(weeks))
	}
	if weeks[0][0].Day != 0 || weeks[0][1].Day != 1 || weeks[4][3].Day != 31 || weeks[4][4].Day != 0 {
		t.Fatalf("first week %v, last week %v", weeks[0], weeks[4])
	}
	byDay := map[int][]int64{}
	today := 0
	for _, w := range weeks {
		if len(w) != 7 {
			t.Fatalf("a week of %d days", len(w))
		}
		for _, d := range w {
			for _, it := range d.Items {
				byDay[d.Day] = append(byDay[d.Day], it.ID)
			}
			if d.Today {
				today = d.Day
			}
		}
	}
	if len(byDay[1]) != 1 || byDay[1][0] != 1 || len(byDay[15]) != 2 || byDay[15][0] != 2 || len(byDay) != 2 {
		t.Fatalf("items by day: %v", byDay)
	}
	if today != 6 {
		t.Fatalf("today is marked on %d, want 6", today)
	}
	// A month starting on Monday has no leading blanks (June 2026).
	if w := MonthGrid(time.Date(2026, 6, 1, 0, 0, 0, 0, ekb), nil, dec); w[0][0].Day != 1 {
		t.Fatalf("June 2026 starts with %+v", w[0][0])
	}
}

func TestParseMonth(t *testing.T) {
	ekb := time.FixedZone("Asia/Yekaterinburg", 5*3600)
	now := time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC) // 1 December locally
	if got, err := ParseMonth("", now, ekb); err != nil || got.Month() != time.December || got.Day() != 1 {
		t.Fatalf("empty month: %v %v", got, err)
	}
	if got, err := ParseMonth("2027-02", now, ekb); err != nil || got.Year() != 2027 || got.Month() != time.February || got.Location() != ekb {
		t.Fatalf("2027-02: %v %v", got, err)
	}
	for _, bad := range []string{"2026-13", "12.2026", "1999-12", "2026-1", "x"} {
		if _, err := ParseMonth(bad, now, ekb); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
