package events

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// A page that asks about its own object's events gets those alone, in time
// order, and on SQLite through the index on the object rather than by
// reading the events of that kind of every object.
func TestListKeepsOneObjectsEvents(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var mun int64
		if err := d.WriteRow(ctx, `INSERT INTO municipalities (slug, name, time_zone, created_at) VALUES ('m', 'M', 'UTC', ?) RETURNING id`, d.Now()).Scan(&mun); err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		record := []Event{
			{Kind: GroupsInformed, ObjectType: "consultation", ObjectID: "7", OccurredAt: t0.Add(2 * time.Hour)},
			{Kind: GroupsInformed, ObjectType: "consultation", ObjectID: "8", OccurredAt: t0},
			{Kind: GroupsInformed, ObjectType: "consultation", ObjectID: "7", OccurredAt: t0.Add(time.Hour)},
			{Kind: ConsultationOpened, ObjectType: "consultation", ObjectID: "7", OccurredAt: t0},
			{Kind: GroupsInformed, ObjectType: "poll", ObjectID: "7", OccurredAt: t0},
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			for _, e := range record {
				e.MunicipalityID, e.Title, e.URL = mun, "Обсуждение", "/consultations/"+e.ObjectID
				if err := Record(ctx, tx, e); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name     string
			q        Query
			want     []string // object_id@hour after t0
			wantKind Kind
		}{
			{"one consultation, oldest first", Query{Kinds: []Kind{GroupsInformed}, ObjectType: "consultation", ObjectID: "7"}, []string{"7@1", "7@2"}, GroupsInformed},
			{"the first only", Query{Kinds: []Kind{GroupsInformed}, ObjectType: "consultation", ObjectID: "7", Limit: 1}, []string{"7@1"}, GroupsInformed},
			{"from a time", Query{Kinds: []Kind{GroupsInformed}, ObjectType: "consultation", ObjectID: "7", From: t0.Add(90 * time.Minute)}, []string{"7@2"}, GroupsInformed},
			{"another consultation", Query{Kinds: []Kind{GroupsInformed}, ObjectType: "consultation", ObjectID: "8"}, []string{"8@0"}, GroupsInformed},
			{"a consultation with none", Query{Kinds: []Kind{GroupsInformed}, ObjectType: "consultation", ObjectID: "9"}, nil, GroupsInformed},
			{"another kind of the same object", Query{Kinds: []Kind{ConsultationOpened}, ObjectType: "consultation", ObjectID: "7"}, []string{"7@0"}, ConsultationOpened},
			{"no object id: no object filter (the poll's event too)", Query{Kinds: []Kind{GroupsInformed}, ObjectType: "consultation"}, []string{"8@0", "7@0", "7@1", "7@2"}, GroupsInformed},
		} {
			c.q.MunicipalityID = mun
			es, err := List(ctx, d, c.q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for _, e := range es {
				if e.Kind != c.wantKind {
					t.Errorf("%s: kind %s", c.name, e.Kind)
				}
				got = append(got, e.ObjectID+"@"+strconv.Itoa(int(e.OccurredAt.Sub(t0).Hours())))
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
		if d.Dialect == db.SQLite {
			var plan strings.Builder
			rows, err := d.Query(ctx, `EXPLAIN QUERY PLAN SELECT id FROM public_events WHERE municipality_id = ? AND kind IN (?) AND object_type = ? AND object_id = ? AND occurred_at >= ? ORDER BY occurred_at, id LIMIT 1`,
				mun, string(GroupsInformed), "consultation", "7", t0)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan.WriteString(detail + "\n")
			}
			if !strings.Contains(plan.String(), "public_events_object") {
				t.Errorf("the events of one object are not read through their index:\n%s", plan.String())
			}
		}
	})
}
