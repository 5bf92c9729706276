package roadmap

import (
	"reflect"
	"testing"
	"time"
)

func TestRoadmapShift(t *testing.T) {
	orig := importSeed(t).Roadmap
	keep := importSeed(t).Roadmap
	moved := orig.Shift(7, 0)
	if !reflect.DeepEqual(orig, keep) {
		t.Fatal("Shift changed the original roadmap")
	}
	if !moved.PeriodFrom.Equal(Date(2025, 1, 1)) || !moved.PeriodTo.Equal(Date(2026, 12, 31)) {
		t.Errorf("period %v – %v", moved.PeriodFrom, moved.PeriodTo)
	}
	m := moved.Mechanisms[6].Measures[2] // 7.3
	if m.Schedule.Text != "Декабрь 2025-январь 2026 годов" || !m.Schedule.To.Equal(Date(2026, 1, 31)) {
		t.Errorf("7.3 schedule %+v", m.Schedule)
	}
	// The shifted wording still reads as the shifted dates.
	for _, mech := range moved.Mechanisms {
		for _, ms := range mech.Measures {
			s, back := ms.Schedule, ParseSchedule(ms.Schedule.Text)
			if back.Kind != s.Kind || (s.Kind != ScheduleRecurring && (!back.From.Equal(s.From) || !back.To.Equal(s.To))) {
				t.Errorf("%s: %q reads as %+v, holds %+v", ms.Number, s.Text, back, s)
			}
		}
	}
	if moved.MeasureCount() != 33 {
		t.Errorf("%d measures", moved.MeasureCount())
	}
}

func TestRoadmapRedate(t *testing.T) {
	r := importSeed(t).Roadmap
	for _, tt := range []struct {
		now      time.Time
		wantFrom time.Time
	}{
		{Date(2026, 5, 10), Date(2025, 1, 1)},
		{Date(2026, 1, 10), Date(2025, 1, 1)},
		{Date(2025, 12, 20), Date(2025, 1, 1)},
		{Date(2026, 9, 1), Date(2026, 1, 1)},
		{Date(2018, 6, 1), Date(2017, 1, 1)},
	} {
		got := r.Redate(tt.now)
		if !got.PeriodFrom.Equal(tt.wantFrom) {
			t.Errorf("Redate(%v): period from %v, want %v", tt.now.Format(time.DateOnly), got.PeriodFrom, tt.wantFrom)
		}
		if tt.now.Before(got.PeriodFrom) || tt.now.After(got.PeriodTo) {
			t.Errorf("Redate(%v): now is outside %v – %v", tt.now.Format(time.DateOnly), got.PeriodFrom, got.PeriodTo)
		}
	}
	if got := (Roadmap{Title: "без сроков"}).Redate(Date(2026, 1, 1)); got.Title != "без сроков" {
		t.Errorf("an undated roadmap: %+v", got)
	}
}
