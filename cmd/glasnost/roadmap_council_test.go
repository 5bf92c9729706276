package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
)

// TestRoadmapDemoCountsCouncilAndGroups checks that the demo's live plan
// counts measures 5.x and 6.x from the events of the council and groups
// areas' demo content: the measures the demo covers have evidence and no
// longer show «в портале пока нет инструмента».
func TestRoadmapDemoCountsCouncilAndGroups(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.anonymous()
		r := c.get("/api/v1/roadmaps")
		if r.status != http.StatusOK {
			t.Fatalf("roadmaps: %d", r.status)
		}
		var list struct {
			Items []struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(r.body), &list); err != nil {
			t.Fatal(err)
		}
		var id int64
		for _, p := range list.Items {
			if strings.HasPrefix(p.Title, "Демонстрационный план") {
				id = p.ID
			}
		}
		if id == 0 {
			t.Fatalf("no demo plan among %d plans", len(list.Items))
		}
		r = c.get(fmt.Sprintf("/api/v1/roadmaps/%d", id))
		if r.status != http.StatusOK {
			t.Fatalf("roadmap %d: %d", id, r.status)
		}
		var plan struct {
			Mechanisms []struct {
				Measures []struct {
					Number   string `json:"number"`
					Status   string `json:"status"`
					Evidence []struct {
						Kind string `json:"kind"`
					} `json:"evidence"`
				} `json:"measures"`
			} `json:"mechanisms"`
		}
		if err := json.Unmarshal([]byte(r.body), &plan); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"5.1": "council.regulations_approved", "5.2": "council.composition_approved", "5.4": "council.plan_approved", "6.1": "groups.registry_published"}
		seen := map[string]bool{}
		for _, m := range plan.Mechanisms {
			for _, ms := range m.Measures {
				if !strings.HasPrefix(ms.Number, "5.") && !strings.HasPrefix(ms.Number, "6.") {
					continue
				}
				kinds := map[string]bool{}
				for _, e := range ms.Evidence {
					kinds[e.Kind] = true
				}
				t.Logf("measure %s: %s, evidence %d", ms.Number, ms.Status, len(ms.Evidence))
				kind, ok := want[ms.Number]
				if !ok {
					continue
				}
				seen[ms.Number] = true
				if ms.Status == "notool" || !kinds[kind] {
					t.Errorf("measure %s: status %s, evidence kinds %v; want %s", ms.Number, ms.Status, kinds, kind)
				}
			}
		}
		if len(seen) != len(want) {
			t.Fatalf("measures found: %v", seen)
		}
	})
}
