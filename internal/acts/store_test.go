package acts

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/webtest"
)

// newArea builds the area over the kernel stack of webtest.
func newArea(t testing.TB, d *db.DB) (*webtest.Env, *Area) {
	t.Helper()
	env := webtest.New(t, d)
	a, err := New(env.Deps(nil))
	if err != nil {
		t.Fatal(err)
	}
	a.Mount(env.Router)
	return env, a
}

func system(env *webtest.Env) Actor {
	return Actor{MunicipalityID: env.Municipality.ID, Name: "тест"}
}

func saveAct(t testing.TB, a *Area, ac Actor, act Act) Act {
	t.Helper()
	if err := a.DB.InTx(context.Background(), func(tx *db.Tx) error { return a.SaveAct(context.Background(), tx, ac, nil, &act) }); err != nil {
		t.Fatalf("save act %s: %v", act.Number, err)
	}
	return act
}

func count(t testing.TB, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestActLifecycle(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		ac := system(env)
		mun := env.Municipality.ID
		draft := saveAct(t, a, ac, Act{Kind: "resolution", Number: "1", Date: "2018-01-10", Title: "Проект о снеге", Status: StatusDraft})
		older := saveAct(t, a, ac, Act{Kind: "resolution", Number: "77", Date: "2020-02-03", Title: "О питании школьников", Status: StatusInForce,
			Spheres: []string{"education"}, Published: true, Text: "## Пункт\n\nТекст о питании.", DepartmentID: env.Departments["legal"]})
		newer := saveAct(t, a, ac, Act{Kind: "order", Number: "12", Date: "2021-05-06", Title: "Об отоплении", Status: StatusInForce,
			Spheres: []string{"housing", "education"}, Published: true})

		got, err := a.Store.GetAct(ctx, d, mun, older.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != older.Title || got.Department != "Юридический отдел" || len(got.Spheres) != 1 || !strings.Contains(got.HTML, "<h3") || got.PublishedAt.IsZero() {
			t.Fatalf("stored act: %+v", got)
		}
		if _, err := a.Store.GetAct(ctx, d, mun+100, older.ID); err == nil {
			t.Fatal("an act is found in another municipality")
		}

		list := func(f Filter, limit, offset int) ([]Act, int) {
			t.Helper()
			acts, total, err := a.Store.ListActs(ctx, d, mun, f, limit, offset)
			if err != nil {
				t.Fatal(err)
			}
			return acts, total
		}
		if acts, total := list(Filter{PublicOnly: true}, 10, 0); total != 2 || acts[0].ID != newer.ID || len(acts[0].Spheres) != 2 {
			t.Fatalf("public list: %d %+v", total, acts)
		}
		if _, total := list(Filter{}, 10, 0); total != 3 {
			t.Fatalf("staff list: %d", total)
		}
		if acts, total := list(Filter{PublicOnly: true}, 1, 1); total != 2 || len(acts) != 1 || acts[0].ID != older.ID {
			t.Fatalf("second page: %d %+v", total, acts)
		}
		for name, f := range map[string]Filter{
			"year":   {PublicOnly: true, Year: 2020},
			"sphere": {PublicOnly: true, Sphere: "education", Kind: "resolution"},
			"status": {PublicOnly: true, Status: StatusInForce, Year: 2020},
			"query":  {Query: "питан"},
		} {
			if acts, total := list(f, 10, 0); total != 1 || acts[0].ID != older.ID {
				t.Errorf("filter %s: %d %+v", name, total, acts)
			}
		}

		// Publishing is a public event and puts the act in the search index;
		// the draft is neither.
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'act.published' AND municipality_id = ?`, mun); n != 2 {
			t.Fatalf("act.published events: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'act' AND object_id = ?`, itoa(draft.ID)); n != 0 {
			t.Fatal("a draft is in the search index")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'act'`); n != 2 {
			t.Fatalf("indexed acts: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'act' AND action = 'create'`); n != 3 {
			t.Fatalf("audit records: %d", n)
		}

		// The newer act repeals the older one: its status follows, in the
		// register, the audit log and the index.
		err = d.InTx(ctx, func(tx *db.Tx) error { return a.AddLink(ctx, tx, ac, &newer, &older, LinkRepeals) })
		if err != nil {
			t.Fatal(err)
		}
		got, _ = a.Store.GetAct(ctx, d, mun, older.ID)
		if got.Status != StatusRepealed {
			t.Fatalf("repealed act has status %s", got.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'status_by_link' AND entity_id = ?`, itoa(older.ID)); n != 1 {
			t.Fatalf("status change not audited: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'act' AND object_id = ? AND body LIKE ?`, itoa(older.ID), "%Утратил силу%"); n != 1 {
			t.Fatal("the index does not know the act was repealed")
		}
		err = d.InTx(ctx, func(tx *db.Tx) error { return a.AddLink(ctx, tx, ac, &newer, &older, LinkRepeals) })
		if err != ErrLinkExists {
			t.Fatalf("duplicate link: %v", err)
		}
		err = d.InTx(ctx, func(tx *db.Tx) error { return a.AddLink(ctx, tx, ac, &older, &newer, LinkAmends) })
		if err == nil {
			t.Fatal("an older act amended a newer one")
		}
		out, in, err := a.Store.Links(ctx, d, mun, older.ID, true)
		if err != nil || len(out) != 0 || len(in) != 1 || in[0].Other.ID != newer.ID || in[0].Kind != LinkRepeals {
			t.Fatalf("links of the repealed act: %v %+v %+v", err, out, in)
		}

		// Withdrawing an act takes it out of the index.
		before := newer
		newer.Published = false
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.SaveAct(ctx, tx, ac, &before, &newer) }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'act' AND object_id = ?`, itoa(newer.ID)); n != 0 {
			t.Fatal("a withdrawn act stays in the index")
		}
		if _, in, _ := a.Store.Links(ctx, d, mun, older.ID, true); len(in) != 0 {
			t.Fatal("a public page links to an unpublished act")
		}

		// Number, kind and date identify an act.
		dup := Act{Kind: "order", Number: "12", Date: "2021-05-06", Title: "Дубль", Status: StatusInForce}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.SaveAct(ctx, tx, ac, nil, &dup) }); err != ErrDuplicate {
			t.Fatalf("duplicate act: %v", err)
		}
	})
}

func TestExplanationsAndReviews(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.Server() // builds the job queue, which SaveExplanation inserts into
		ac := system(env)
		mun := env.Municipality.ID
		act := saveAct(t, a, ac, Act{Kind: "resolution", Number: "5", Date: "2023-08-21", Title: "О питании", Status: StatusInForce, Spheres: []string{"education"}, Published: true})
		hidden := saveAct(t, a, ac, Act{Kind: "resolution", Number: "6", Date: "2023-08-22", Title: "Не опубликован", Status: StatusInForce})

		save := func(act *Act, before, x *Explanation) {
			t.Helper()
			if err := d.InTx(ctx, func(tx *db.Tx) error { return a.SaveExplanation(ctx, tx, ac, act, before, x) }); err != nil {
				t.Fatal(err)
			}
		}
		text := Explanation{Format: FormatText, Title: "Сколько стоит обед", Body: "Обед стоит 132 рубля.", Published: true}
		save(&act, nil, &text)
		mind := Explanation{Format: FormatMindMap, Title: "Схема", Body: "# Питание\n- Завтрак\n- Обед", Published: true}
		save(&act, nil, &mind)
		draft := Explanation{Format: FormatText, Title: "Черновик", Body: "Ещё пишем."}
		save(&act, nil, &draft)
		other := Explanation{Format: FormatText, Title: "К неопубликованному", Body: "Текст.", Published: true}
		save(&hidden, nil, &other)

		got, err := a.Store.GetExplanation(ctx, d, mun, act.ID, text.ID)
		if err != nil || got.AudioStatus != AudioPending || !strings.Contains(got.HTML, "132") {
			t.Fatalf("text explanation: %v %+v", err, got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'acts_explanation_speech'`); n != 3 {
			t.Fatalf("speech jobs queued: %d", n)
		}
		public, err := a.Store.Explanations(ctx, d, act.ID, true)
		if err != nil || len(public) != 2 || public[0].Format != FormatText || public[1].Format != FormatMindMap {
			t.Fatalf("public explanations: %v %+v", err, public)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'explanation'`); n != 2 {
			t.Fatalf("indexed explanations: %d (drafts and those of unpublished acts must not be)", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'explanation' AND object_id = ? AND body LIKE ?`, itoa(mind.ID), "%Завтрак%"); n != 1 {
			t.Fatal("a mind map is indexed by its outline")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'explanation.published'`); n != 2 {
			t.Fatalf("explanation events: %d", n)
		}

		// Unchanged text is not read aloud again.
		before := text
		text.Published = true
		save(&act, &before, &text)
		if n := count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'acts_explanation_speech'`); n != 3 {
			t.Fatalf("speech re-queued for unchanged text: %d", n)
		}

		// Publishing the hidden act makes its explanation public too.
		hb := hidden
		hidden.Published = true
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.SaveAct(ctx, tx, ac, &hb, &hidden) }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'explanation' AND object_id = ?`, itoa(other.ID)); n != 1 {
			t.Fatal("explanation of a newly published act not indexed")
		}

		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.DeleteExplanation(ctx, tx, ac, &act, &mind) }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM search_docs WHERE type = 'explanation' AND object_id = ?`, itoa(mind.ID)); n != 0 {
			t.Fatal("a deleted explanation stays in the index")
		}

		r := Review{Title: "Обзор за 2023 год", From: "2023-01-01", To: "2023-12-31", Text: "Суд признал незаконным отказ.", ActIDs: []int64{act.ID, hidden.ID}, Published: true}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.SaveReview(ctx, tx, ac, nil, &r) }); err != nil {
			t.Fatal(err)
		}
		gr, err := a.Store.GetReview(ctx, d, mun, r.ID)
		if err != nil || len(gr.ActIDs) != 2 || gr.Period() != "с 01.01.2023 по 31.12.2023" {
			t.Fatalf("review: %v %+v", err, gr)
		}
		if rs, err := a.Store.ReviewsOfAct(ctx, d, act.ID, true); err != nil || len(rs) != 1 {
			t.Fatalf("reviews of act: %v %d", err, len(rs))
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_events WHERE kind = 'practice_review.published' AND spheres = 'education'`); n != 1 {
			t.Fatalf("practice_review.published: %d", n)
		}
		if _, total, err := a.Store.ListReviews(ctx, d, mun, true, 10, 0); err != nil || total != 1 {
			t.Fatalf("public reviews: %v %d", err, total)
		}
		sm, err := a.Store.Sitemap(ctx, mun)
		if err != nil || len(sm) != 3 {
			t.Fatalf("sitemap: %v %+v", err, sm)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
