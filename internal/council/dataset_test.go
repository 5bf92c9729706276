package council

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestCouncilDatasets: the council's meetings and decisions are open data
// in the municipality's local time, and nobody who registered for a meeting
// appears in them.
func TestCouncilDatasets(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		env, a := newArea(t, d)
		ctx := context.Background()
		m := env.Municipality
		resident := env.Account("", auth.Resident)
		dep, err := a.Tenants.DepartmentBySlug(ctx, m.ID, "housing")
		if err != nil {
			t.Fatal(err)
		}
		// 10:00 UTC is 15:00 in Yekaterinburg.
		starts := time.Date(2026, time.December, 10, 10, 0, 0, 0, time.UTC)
		var meetingID int64
		err = d.InTx(ctx, func(tx *db.Tx) error {
			var err error
			meetingID, err = a.Store.CreateMeeting(ctx, tx, m.ID, Meeting{Kind: KindOpen, Title: "О благоустройстве дворов", StartsAt: starts, Place: "Зал заседаний", Open: true, Capacity: 20})
			if err != nil {
				return err
			}
			if _, err := a.Store.Register(ctx, tx, m.ID, meetingID, resident.ID, "resident", "", fixedNow); err != nil {
				return err
			}
			_, err = a.Store.AddDecision(ctx, tx, m.ID, Decision{MeetingID: meetingID, Text: "Рекомендовать план благоустройства на 2027 год", DepartmentID: dep.ID, DueDate: "2027-02-01"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sources := a.datasets()
		meetings, err := sources[0].Rows(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(meetings) != 1 || len(meetings[0]) != len(sources[0].Structure) {
			t.Fatalf("meetings: %v", meetings)
		}
		row := meetings[0]
		if row[3] != "2026-12-10" || row[4] != "15:00" || row[6] != "true" || row[8] != "1" || row[10] != "1" || !strings.HasSuffix(row[11], "/council/meetings/"+strconv.FormatInt(meetingID, 10)) {
			t.Errorf("meeting row: %q", row)
		}
		decisions, err := sources[1].Rows(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(decisions) != 1 || len(decisions[0]) != len(sources[1].Structure) {
			t.Fatalf("decisions: %v", decisions)
		}
		if row := decisions[0]; row[2] != "2026-12-10" || row[5] != dep.Name || row[6] != "2027-02-01" || row[7] != "на исполнении" {
			t.Errorf("decision row: %q", row)
		}
		for _, rows := range [][][]string{meetings, decisions} {
			for _, r := range rows {
				for _, cell := range r {
					if strings.Contains(cell, resident.Email) || (resident.FullName != "" && strings.Contains(cell, resident.FullName)) {
						t.Errorf("a registered resident appears in open data: %q", cell)
					}
				}
			}
		}
	})
}
