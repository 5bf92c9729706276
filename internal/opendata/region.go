package opendata

import (
	"context"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/portal"
)

// region is open data's part of the regional report: every dataset of the
// installation in one query (the list's columns), folded per municipality
// with Dataset.Overdue, the rule of the staff list and reminders. Overdue
// is judged at this moment, not at the end of today.
func (a *Area) region(ctx context.Context, _, _, _ deadline.Date) ([]portal.RegionFigure, error) {
	rows, err := a.DB.Query(ctx, `SELECT `+datasetColumns+datasetFrom)
	if err != nil {
		return nil, fmt.Errorf("datasets of the region: %w", err)
	}
	defer rows.Close()
	now := a.DB.Now()
	type sums struct {
		n, overdue int
		last       time.Time
	}
	by := map[int64]*sums{}
	var order []int64
	for rows.Next() {
		d, err := scanDataset(rows)
		if err != nil {
			return nil, fmt.Errorf("datasets of the region: %w", err)
		}
		s := by[d.MunicipalityID]
		if s == nil {
			s = &sums{}
			by[d.MunicipalityID] = s
			order = append(order, d.MunicipalityID)
		}
		s.n++
		if d.Overdue(now) {
			s.overdue++
		}
		for _, t := range []time.Time{d.ModifiedAt, d.LastVersionAt} {
			if t.After(s.last) {
				s.last = t
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("datasets of the region: %w", err)
	}
	var out []portal.RegionFigure
	for _, mun := range order {
		s := by[mun]
		out = append(out,
			portal.RegionFigure{MunicipalityID: mun, Key: portal.RegionDatasets, Value: s.n},
			portal.RegionFigure{MunicipalityID: mun, Key: portal.RegionDatasetsOverdue, Value: s.overdue},
			portal.RegionFigure{MunicipalityID: mun, Key: portal.RegionDatasetsChanged, At: s.last})
	}
	return out, nil
}
