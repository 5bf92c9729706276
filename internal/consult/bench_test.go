package consult

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/web"
)

// benchConsultation seeds a published discussion with n answered comments
// spread over its points, on SQLite.
func benchConsultation(b *testing.B, n int) (*Area, http.Handler, Consultation) {
	b.Helper()
	d := dbtest.Open(b, db.SQLite)
	env, a := newArea(b, d)
	env.Server()
	c := seed(b, env, a, KindDiscussion, testDraft)
	ctx := context.Background()
	vs, err := a.Store.Versions(ctx, d, c.ID)
	if err != nil {
		b.Fatal(err)
	}
	points := []string{"", "s-1", "p-1-1", "p-1-2"}
	err = d.InTx(ctx, func(tx *db.Tx) error {
		for i := 0; i < n; i++ {
			cm := Comment{MunicipalityID: c.MunicipalityID, ConsultationID: c.ID, VersionID: vs[0].ID, AuthorKind: AuthorResident, Point: points[i%len(points)],
				Body: fmt.Sprintf("Предложение № %d: сократить срок уборки тротуаров у школ и поликлиник до трёх часов после окончания снегопада.", i), Status: StatusPublished, QuoteStart: -1, QuoteEnd: -1}
			if err := a.Store.AddComment(ctx, tx, &cm); err != nil {
				return err
			}
			if err := a.Store.Answer(ctx, tx, c.MunicipalityID, cm.ID, Decisions[i%len(Decisions)], "Рассмотрено разработчиком, решение обосновано в сводке.", 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return a, env.Handler(), c
}

func benchPage(b *testing.B, n int) {
	_, h, c := benchConsultation(b, n)
	req := httptest.NewRequest(http.MethodGet, c.URL(), nil)
	req.Host = "127.0.0.1"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkConsultationPage10 and …10000 render the public page of a
// consultation with 10 and 10,000 comments: pagination keeps them close.
func BenchmarkConsultationPage10(b *testing.B)    { benchPage(b, 10) }
func BenchmarkConsultationPage10000(b *testing.B) { benchPage(b, 10000) }

// BenchmarkSummaryExport writes the summary of proposals as XLSX and PDF.
func BenchmarkSummaryExport(b *testing.B) {
	for _, n := range []int{10, 10000} {
		a, _, c := benchConsultation(b, n)
		t, err := a.Store.Tally(context.Background(), c.ID)
		if err != nil {
			b.Fatal(err)
		}
		h := SummaryHead{Municipality: "Тестовый городской округ", Title: c.Title, KindLabel: "Общественное обсуждение проекта акта", Conclusion: ConclusionText(c, "Общественное обсуждение", t)}
		rows := func(fn func(Comment) error) error {
			return a.Store.EachComment(context.Background(), c.ID, CommentFilter{Statuses: []string{StatusPublished}}, fn)
		}
		b.Run(fmt.Sprintf("xlsx-%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := WriteXLSX(io.Discard, h, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("pdf-%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := WritePDF(io.Discard, h, rows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCommentInsert measures comment writes per second on SQLite
// through the whole submission path: participation, validation against the
// draft, the word list and the insert with its receipt number.
func BenchmarkCommentInsert(b *testing.B) {
	a, _, c := benchConsultation(b, 0)
	ctx := context.Background()
	in := CommentInput{Point: "p-1-1", Quote: "в течение 6 часов", Body: "Сократить срок уборки у школ до трёх часов.", AuthorKind: AuthorResident}
	var v *web.Viewer
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, errs, err := a.submitComment(ctx, c, v, in); err != nil || len(errs) > 0 {
			b.Fatalf("%v %v", err, errs)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}
