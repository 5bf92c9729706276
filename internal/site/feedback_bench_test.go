package site

import (
	"context"
	"strconv"
	"testing"

	"github.com/glasnost/glasnost/internal/deadline"
)

// BenchmarkFeedbackInsert measures the vote of the portal — a «was this
// page useful?» rating — on SQLite, through what the handler does after
// validation: the secret, the section of the page, the two per-day keys and
// the insert, each rating from another address so that none is refused.
func BenchmarkFeedbackInsert(b *testing.B) {
	_, s := benchSite(b)
	ctx := context.Background()
	m := s.Municipality
	day := deadline.DateOf(m.Local(s.Area.DB.Now())).String()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		path := "/sections/about"
		secret, err := s.Area.Store.FeedbackSecret(ctx, m.ID)
		if err != nil {
			b.Fatal(err)
		}
		fb := Feedback{Path: path, Relevance: 5, Completeness: 4, Usefulness: 5}
		if fb.SectionID, err = s.Area.Store.SectionForPath(ctx, m.ID, path); err != nil {
			b.Fatal(err)
		}
		addr := "10.0." + strconv.Itoa(i/250%250) + "." + strconv.Itoa(i%250)
		who := strconv.Itoa(i)
		if err := s.Area.Store.InsertFeedback(ctx, m.ID, fb, RatingKey(secret, "ip", addr+"/"+who, path, day), RatingKey(secret, "browser", who, path, day), day); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "votes/s")
}
