package appeals

import (
	"context"
	"testing"
)

// BenchmarkQuarterReportBareSQLBothQuarters is the floor for the same rows
// the report reads: the report shows each figure beside the previous
// quarter's, so the honest bare aggregate is one COUNT(*) and six
// COUNT(*) … GROUP BY key over both quarters, split by quarter, scanned and
// thrown away — no labels, flags or structure. BenchmarkQuarterReportBareSQL
// (one quarter only) is the stricter floor of the wording.
func BenchmarkQuarterReportBareSQLBothQuarters(b *testing.B) {
	bd := benchSetup(b)
	from, to := PreviousQuarter(bd.today)
	prevFrom, _ := PreviousQuarter(from)
	ctx := context.Background()
	keys := []string{"channel", "kind", "section_code", "topic_code", "department_id", "result"}
	b.ResetTimer()
	for b.Loop() {
		count := func(q string, args ...any) {
			rows, err := bd.d.Query(ctx, q, args...)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var key any
				var cur, c int
				if err := rows.Scan(&key, &cur, &c); err != nil {
					b.Fatal(err)
				}
			}
			rows.Close()
		}
		count(`SELECT 0, CASE WHEN registered_on >= ? THEN 1 ELSE 0 END, COUNT(*) FROM appeals WHERE municipality_id = ? AND registered_on >= ? AND registered_on <= ? GROUP BY 2`,
			from.String(), bd.munID, prevFrom.String(), to.String())
		for _, k := range keys {
			count(`SELECT `+k+`, CASE WHEN registered_on >= ? THEN 1 ELSE 0 END, COUNT(*) FROM appeals WHERE municipality_id = ? AND registered_on >= ? AND registered_on <= ? GROUP BY 1, 2`,
				from.String(), bd.munID, prevFrom.String(), to.String())
		}
	}
}
