package acts

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/files/filestest"
)

// TestFileFromS3 serves an act's attachment kept in an S3-compatible bucket:
// the portal streams it with the same permission check and headers as from
// the local folder, answers a range request, and says "not found" (not
// "server error") when the object has gone from the bucket.
func TestFileFromS3(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		u, getenv := filestest.S3(t)
		st, err := files.OpenStorage(ctx, u, t.TempDir(), getenv)
		if err != nil {
			t.Fatal(err)
		}
		a.Files.Storage = st
		ac := system(env)
		act := saveAct(t, a, ac, Act{Kind: "order", Number: "7", Date: "2018-03-07", Title: "О порядке", Status: StatusInForce, Published: true})
		draft := saveAct(t, a, ac, Act{Kind: "order", Number: "8", Date: "2018-03-08", Title: "Проект", Status: StatusDraft})
		body := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("страница "), 100_000)...)
		meta, err := a.Files.Save(ctx, env.Municipality.ID, 0, "Приказ №7.pdf", bytes.NewReader(body), files.PDF)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return a.Store.AddAttachment(ctx, tx, act.ID, meta.ID, "Текст приказа")
		}); err != nil {
			t.Fatal(err)
		}
		anon := env.Anonymous()
		path := fmt.Sprintf("%s/files/%d", act.URL(), meta.ID)
		f := anon.Get(path)
		if f.Status != 200 || f.Body != string(body) || f.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(f.Header.Get("Content-Disposition"), "attachment; filename*=utf-8''") {
			t.Fatalf("download: %d %q %q (%d bytes)", f.Status, f.Header.Get("Content-Type"), f.Header.Get("Content-Disposition"), len(f.Body))
		}
		req, _ := http.NewRequest(http.MethodGet, env.URL()+path, nil)
		req.Header.Set("Range", "bytes=0-8")
		if r := anon.Do(req); r.Status != http.StatusPartialContent || r.Body != "%PDF-1.4\n" {
			t.Fatalf("range: %d %q", r.Status, r.Body)
		}
		if r := anon.Get(fmt.Sprintf("%s/files/%d", draft.URL(), meta.ID)); r.Status != 404 {
			t.Fatalf("a file through an unpublished act: %d", r.Status)
		}
		if err := st.Delete(ctx, meta.Key); err != nil {
			t.Fatal(err)
		}
		if r := anon.Get(path); r.Status != 404 {
			t.Fatalf("missing object: %d", r.Status)
		}
	})
}
