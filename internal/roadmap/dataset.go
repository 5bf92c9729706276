package roadmap

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/portal"
	"github.com/glasnost/glasnost/internal/tenant"
)

// datasets are the open datasets generated from the roadmaps: every
// measure with its term, responsible units and status as counted today.
// The counts of evidence are left out: open data's own events are evidence
// of measure 2.1, so a count would change with every version of this very
// dataset and make a new version each time.
func (a *Area) datasets() []portal.DatasetSource {
	return []portal.DatasetSource{{
		Code:        "roadmap_measures",
		Title:       "Мероприятия дорожной карты открытости и их исполнение",
		Description: "Мероприятия планов («дорожных карт») по внедрению механизмов открытости: срок, ответственные, ожидаемый результат и статус исполнения.",
		Keywords:    []string{"дорожная карта", "открытость", "мероприятия", "исполнение"},
		Department:  "affairs",
		Every:       24 * time.Hour,
		Structure: []portal.DatasetField{
			{Name: "plan", Description: "План (дорожная карта)", Format: "string"},
			{Name: "mechanism", Description: "Номер механизма", Format: "integer"},
			{Name: "number", Description: "Номер мероприятия", Format: "string"},
			{Name: "measure", Description: "Мероприятие", Format: "string"},
			{Name: "term", Description: "Срок исполнения", Format: "string"},
			{Name: "responsible", Description: "Ответственные", Format: "string"},
			{Name: "expected_result", Description: "Ожидаемый результат", Format: "string"},
			{Name: "status", Description: "Статус исполнения", Format: "string"},
		},
		Rows: a.datasetRows,
	}}
}

func (a *Area) datasetRows(ctx context.Context, munID int64) ([][]string, error) {
	ms, err := a.Tenants.All(ctx)
	if err != nil {
		return nil, err
	}
	var m tenant.Municipality
	for _, x := range ms {
		if x.ID == munID {
			m = x
		}
	}
	if m.ID == 0 {
		return nil, fmt.Errorf("roadmap dataset: municipality %d not found", munID)
	}
	today := a.today(m)
	var out [][]string
	for page := 0; ; page++ {
		plans, _, err := a.Store.List(ctx, munID, 50, page*50)
		if err != nil {
			return nil, err
		}
		if len(plans) == 0 {
			return out, nil
		}
		for _, head := range plans {
			p, err := a.Store.Progress(ctx, munID, head.ID, m.Location, today)
			if err != nil {
				return nil, err
			}
			for _, mech := range p.Mechanisms {
				for _, ms := range mech.Measures {
					var units []string
					for _, u := range ms.Units {
						units = append(units, u.Name)
					}
					out = append(out, []string{p.Title, strconv.Itoa(mech.Number), ms.Number, ms.Text, ms.Schedule.Text,
						strings.Join(units, "; "), ms.ExpectedResult, ms.Progress.Status.Label()})
				}
			}
		}
	}
}
