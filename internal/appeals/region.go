package appeals

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/portal"
)

// regionSQL counts, for every municipality in one pass, the appeals
// registered in the period, those of them answered and answered within the
// term (the report's rules: status answered, not marked late), and the
// appeals open now and open past their answer term (Filter.Overdue's rule).
func regionSQL() string {
	open := `status IN (` + db.Placeholders(len(OpenStatuses)) + `)`
	period := `registered_on >= ? AND registered_on <= ?`
	return `SELECT municipality_id,
 SUM(CASE WHEN ` + period + ` THEN 1 ELSE 0 END),
 SUM(CASE WHEN ` + period + ` AND status = ? THEN 1 ELSE 0 END),
 SUM(CASE WHEN ` + period + ` AND status = ? AND NOT late THEN 1 ELSE 0 END),
 SUM(CASE WHEN ` + open + ` THEN 1 ELSE 0 END),
 SUM(CASE WHEN ` + open + ` AND answer_by < ? THEN 1 ELSE 0 END)
 FROM appeals GROUP BY municipality_id`
}

// region is the appeals' part of the regional report.
func (a *Area) region(ctx context.Context, from, to, today deadline.Date) ([]portal.RegionFigure, error) {
	f, t := from.String(), to.String()
	args := []any{f, t, f, t, string(StatusAnswered), f, t, string(StatusAnswered)}
	for range 2 {
		for _, s := range OpenStatuses {
			args = append(args, string(s))
		}
	}
	args = append(args, today.String())
	rows, err := a.DB.Query(ctx, regionSQL(), args...)
	if err != nil {
		return nil, fmt.Errorf("appeals of the region: %w", err)
	}
	defer rows.Close()
	var out []portal.RegionFigure
	for rows.Next() {
		var mun int64
		var received, answered, inTerm, open, overdue int
		if err := rows.Scan(&mun, &received, &answered, &inTerm, &open, &overdue); err != nil {
			return nil, fmt.Errorf("appeals of the region: %w", err)
		}
		out = append(out,
			portal.RegionFigure{MunicipalityID: mun, Key: portal.RegionAppealsReceived, Value: received},
			portal.RegionFigure{MunicipalityID: mun, Key: portal.RegionAppealsAnswered, Value: answered},
			portal.RegionFigure{MunicipalityID: mun, Key: portal.RegionAppealsInTerm, Value: inTerm},
			portal.RegionFigure{MunicipalityID: mun, Key: portal.RegionAppealsOpen, Value: open},
			portal.RegionFigure{MunicipalityID: mun, Key: portal.RegionAppealsOverdue, Value: overdue})
	}
	return out, rows.Err()
}
