package consult

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/db/dbtest"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/webtest"
)

// newArea builds the area over the webtest kernel stack.
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

// seed creates a published consultation of kind k in its open stage, with
// a draft, created by a new lawyer account.
func seed(t testing.TB, env *webtest.Env, a *Area, k Kind, draft string) Consultation {
	t.Helper()
	ctx := context.Background()
	lawyer := env.Account("legal", auth.Lawyer)
	proc := a.Procedures[k]
	today := a.today(env.Municipality)
	// Start one day ago so that the open stage (after a one-day published
	// stage, if any) is on today.
	start := today
	if proc.Stages[0] == StagePublished {
		start = today.AddDays(-1)
	}
	c := Consultation{MunicipalityID: env.Municipality.ID, Kind: k, Title: "Проект правил благоустройства", Summary: "Правила уборки дворов",
		DepartmentID: env.Departments["housing"], Participation: proc.Participation, Moderation: proc.Moderation, CreatedBy: lawyer.ID,
		Periods: DefaultSchedule(proc, ImpactNone, start)}
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := a.Store.Create(ctx, tx, &c, []int64{env.Spheres["housing"]}); err != nil {
			return err
		}
		v := Version{ConsultationID: c.ID, Body: draft}
		if err := a.Store.AddVersion(ctx, tx, &v, lawyer.ID); err != nil {
			return err
		}
		full, err := a.Store.Get(ctx, tx, c.MunicipalityID, c.ID)
		if err != nil {
			return err
		}
		if err := a.publishNow(ctx, tx, &full, env.Municipality, testEntry(env)); err != nil {
			return err
		}
		c = full
		return nil
	})
	if err != nil {
		t.Fatalf("seed consultation: %v", err)
	}
	return c
}

const testDraft = "# Глава 1\n\n1.1. Тротуары очищаются от снега в течение 6 часов.\n1.2. Уполномоченный орган вправе изменить границы.\n"

func TestStoreConsultationLifecycle(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.Server() // builds the job queue client, needed to enqueue
		c := seed(t, env, a, KindDiscussion, testDraft)
		if c.Stage != StageDiscussion || !c.Published() || c.OpenedAt.IsZero() {
			t.Fatalf("after publishing: stage %q published %v opened %v", c.Stage, c.Published(), c.OpenedAt)
		}
		if len(c.Spheres) != 1 || c.Spheres[0].Slug != "housing" || len(c.Periods) != 5 || c.Department == "" {
			t.Fatalf("relations not loaded: %+v", c)
		}
		// The opening is a public event.
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM public_events WHERE kind = 'consultation.opened' AND object_id = ?`, fmt.Sprint(c.ID)).Scan(&n); err != nil || n != 1 {
			t.Fatalf("opened events: %d %v", n, err)
		}
		// Comments get sequential, unique receipts.
		vs, _ := a.Store.Versions(ctx, d, c.ID)
		var receipts []string
		for i, st := range []string{StatusPublished, StatusPublished, StatusPending, StatusPublished} {
			cm := Comment{MunicipalityID: c.MunicipalityID, ConsultationID: c.ID, VersionID: vs[0].ID, AuthorKind: AuthorResident, Body: "Предложение", Status: st, QuoteStart: -1, QuoteEnd: -1, Point: "p-1-1", Email: "person@example.ru"}
			if i == 3 {
				cm.Point, cm.Email = "", "other@example.ru"
			}
			if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.AddComment(ctx, tx, &cm) }); err != nil {
				t.Fatal(err)
			}
			receipts = append(receipts, cm.Receipt)
		}
		if receipts[0][:len(receipts[0])-4] == receipts[1][:len(receipts[1])-4] {
			t.Fatalf("receipts repeat: %v", receipts)
		}
		counts, err := a.Store.PointCounts(ctx, c.ID)
		if err != nil || counts["p-1-1"] != 2 || counts[""] != 1 {
			t.Fatalf("point counts %v %v", counts, err)
		}
		page, total, err := a.Store.Comments(ctx, c.ID, CommentFilter{Statuses: []string{StatusPublished}}, 2, 0)
		if err != nil || total != 3 || len(page) != 2 || page[1].Number != 2 {
			t.Fatalf("page: %d %d %v", total, len(page), err)
		}
		found, err := a.Store.CommentByReceipt(ctx, c.MunicipalityID, receipts[3])
		if err != nil {
			t.Fatal(err)
		}
		if pos, _ := a.Store.CommentNumber(ctx, found); pos != 3 {
			t.Fatalf("position in summary %d, want 3 (the pending one is not counted)", pos)
		}
		if _, err := a.Store.CommentByReceipt(ctx, c.MunicipalityID, "1-99999-XXXX"); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("unknown receipt: %v", err)
		}
		// Answers and the tally.
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return a.Store.Answer(ctx, tx, c.MunicipalityID, page[0].ID, Accepted, "Учтено в п. 1.1", 0)
		}); err != nil {
			t.Fatal(err)
		}
		tally, err := a.Store.Tally(ctx, c.ID)
		if err != nil || tally.Comments != 3 || tally.Participants != 2 || tally.Answered != 1 || tally.TakenIntoAccount() != 1 {
			t.Fatalf("tally %+v %v", tally, err)
		}
		accounts, addresses, err := a.Store.Participants(ctx, d, c.ID)
		if err != nil || len(accounts)+len(addresses) != 2 {
			t.Fatalf("participants: %d accounts, %d addresses, %v", len(accounts), len(addresses), err)
		}
		// Moderation and reversible bans.
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			return a.Store.Moderate(ctx, tx, c.MunicipalityID, []int64{found.ID}, StatusRejected, "Не по теме", 0)
		}); err != nil {
			t.Fatal(err)
		}
		if counts, _ := a.Store.PointCounts(ctx, c.ID); counts[""] != 0 || counts["p-1-1"] != 2 {
			t.Fatalf("counts after rejecting a published comment: %v", counts)
		}
		if _, total, _ := a.Store.Comments(ctx, c.ID, CommentFilter{Statuses: []string{StatusPublished}}, 10, 0); total != 2 {
			t.Fatalf("published total %d after rejection", total)
		}
		b := Ban{Email: "Person@Example.ru", Reason: "Оскорбления"}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.AddBlock(ctx, tx, c.MunicipalityID, &b, 0) }); err != nil {
			t.Fatal(err)
		}
		if blocked, _ := a.Store.Blocked(ctx, c.MunicipalityID, 0, "person@example.ru"); !blocked {
			t.Fatal("ban not effective")
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.LiftBlock(ctx, tx, c.MunicipalityID, b.ID, 0) }); err != nil {
			t.Fatal(err)
		}
		if blocked, _ := a.Store.Blocked(ctx, c.MunicipalityID, 0, "person@example.ru"); blocked {
			t.Fatal("lifted ban still effective")
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.LiftBlock(ctx, tx, c.MunicipalityID, b.ID, 0) }); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("lifting twice: %v", err)
		}
		// Lists and the scheduler's view.
		list, total, err := a.Store.List(ctx, c.MunicipalityID, Filter{PublicOnly: true, Open: true}, 10, 0)
		if err != nil || total != 1 || len(list[0].Periods) != 5 {
			t.Fatalf("list %d %v", total, err)
		}
		active, err := a.Store.Active(ctx)
		if err != nil || len(active) != 1 {
			t.Fatalf("active %d %v", len(active), err)
		}
		if _, err := a.Store.Get(ctx, d, c.MunicipalityID, c.ID+100); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("missing consultation: %v", err)
		}
	})
}

func TestStoreSettingsExpertsGoals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.Server()
		mun := env.Municipality.ID
		st, err := a.Store.Settings(ctx, mun)
		if err != nil || st.WordList != DefaultWordList || st.ModerationRules == "" {
			t.Fatalf("defaults: %v", err)
		}
		if _, err := ParseWordingRules(st.WordingRules); err != nil {
			t.Fatalf("default wording rules must parse back: %v", err)
		}
		st.WordList = "плохое\n"
		for i := 0; i < 2; i++ { // insert, then update
			if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.SaveSettings(ctx, tx, mun, st) }); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := a.Store.Settings(ctx, mun); got.WordList != "плохое\n" {
			t.Fatalf("saved word list %q", got.WordList)
		}
		acc := env.Account("", auth.Expert)
		e := Expert{AccountID: acc.ID, Kind: "person", Name: "Эксперт", AccreditationNumber: "1-р", AccreditationDate: "2024-01-10"}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.SaveExpert(ctx, tx, mun, &e) }); err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.VerifyExpert(ctx, tx, mun, e.ID, ExpertVerified, "", 0) }); err != nil {
			t.Fatal(err)
		}
		got, err := a.Store.ExpertByAccount(ctx, mun, acc.ID)
		if err != nil || got.Status != ExpertVerified || got.AccountID != acc.ID {
			t.Fatalf("expert %+v %v", got, err)
		}
		if emails, err := a.People.Emails(ctx, d, mun, []int64{got.AccountID}); err != nil || emails[got.AccountID] != acc.Email {
			t.Fatalf("the expert's address from auth: %v %v", emails, err)
		}
		// Resubmitting details sends the expert back for verification.
		e.AccreditationNumber = "2-р"
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.SaveExpert(ctx, tx, mun, &e) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Store.ExpertByAccount(ctx, mun, acc.ID); got.Status != ExpertPending || got.AccreditationNumber != "2-р" {
			t.Fatalf("resubmitted expert %+v", got)
		}
		c := seed(t, env, a, KindExpertise, testDraft)
		k := Conclusion{ConsultationID: c.ID, ExpertID: e.ID, Factors: []FactorFinding{{Code: "3.2", Provisions: "п. 1.2", Proposal: "Убрать «вправе»"}},
			ReceivedOn: deadline.NewDate(2026, 3, 2), DueOn: deadline.NewDate(2026, 4, 1)}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.AddConclusion(ctx, tx, mun, &k) }); err != nil {
			t.Fatal(err)
		}
		un, err := a.Store.UnansweredConclusions(ctx, mun)
		if err != nil || len(un) != 1 || un[0].Factors[0].Code != "3.2" || un[0].DueOn != k.DueOn {
			t.Fatalf("unanswered %+v %v", un, err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return a.Store.AnswerConclusion(ctx, tx, mun, k.ID, "Учтено", 0) }); err != nil {
			t.Fatal(err)
		}
		if un, _ := a.Store.UnansweredConclusions(ctx, 0); len(un) != 0 {
			t.Fatal("answered conclusion still listed")
		}
		decl := seed(t, env, a, KindDeclaration, "1. Цель.\n")
		g := Goal{ConsultationID: decl.ID, Title: "Дворы", DepartmentID: env.Departments["housing"], Indicator: "Благоустроено дворов", Unit: "шт.", Target: "15"}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := a.Store.AddGoal(ctx, tx, &g); err != nil {
				return err
			}
			for _, p := range []Progress{{OnDate: "2026-06-01", Planned: "5", Actual: "4"}, {OnDate: "2026-03-01", Planned: "2", Actual: "2"}} {
				if err := a.Store.AddProgress(ctx, tx, g.ID, &p, 0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		gs, err := a.Store.Goals(ctx, decl.ID)
		if err != nil || len(gs) != 1 || len(gs[0].Progress) != 2 || gs[0].Progress[0].OnDate != "2026-03-01" || gs[0].Department == "" {
			t.Fatalf("goals %+v %v", gs, err)
		}
		if _, err := a.Store.Goal(ctx, mun+1, g.ID); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("goal of another municipality: %v", err)
		}
	})
}

func TestTickAdvancesStagesAndReminds(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.Server()
		c := seed(t, env, a, KindExpertise, testDraft)
		if err := a.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := a.Store.Get(ctx, d, c.MunicipalityID, c.ID); got.Stage != StageDiscussion {
			t.Fatalf("stage %q before its end", got.Stage)
		}
		real := d.Now
		t.Cleanup(func() { d.Now = real })
		d.Now = func() time.Time { return real().AddDate(0, 0, 10) }
		if err := a.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		got, _ := a.Store.Get(ctx, d, c.MunicipalityID, c.ID)
		if got.Stage != StageSummary {
			t.Fatalf("stage %q, want summary after the expertise period", got.Stage)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM public_events WHERE kind = 'consultation.stage_changed' AND object_id = ?`, fmt.Sprint(c.ID)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("stage_changed events %d", n)
		}
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'consultation.stage' AND entity_id = ? AND actor = 'система'`, fmt.Sprint(c.ID)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("audited stage changes %d", n)
		}
		// Idempotent.
		if err := a.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM public_events WHERE object_id = ? AND kind LIKE 'consultation.%'`, fmt.Sprint(c.ID)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("a second tick must change nothing; events %d", n)
		}
	})
}

func testEntry(env *webtest.Env) (e audit.Entry) {
	e.MunicipalityID, e.Actor = env.Municipality.ID, "тест"
	return e
}

func TestRemindersOfConclusions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		env, a := newArea(t, d)
		env.StartJobs()
		c := seed(t, env, a, KindExpertise, testDraft)
		acc := env.Account("", auth.Expert)
		e := Expert{AccountID: acc.ID, Kind: "person", Name: "Эксперт", AccreditationNumber: "1-р", AccreditationDate: "2024-01-10"}
		today := a.today(env.Municipality)
		received := today.AddDays(-29)
		k := Conclusion{ConsultationID: c.ID, Factors: []FactorFinding{}, Body: "Факторы не выявлены.", ReceivedOn: received, DueOn: ExpertiseDue(a.Calendars.Shipped(), a.Rules, received)}
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := a.Store.SaveExpert(ctx, tx, env.Municipality.ID, &e); err != nil {
				return err
			}
			k.ExpertID = e.ID
			return a.Store.AddConclusion(ctx, tx, env.Municipality.ID, &k)
		})
		if err != nil {
			t.Fatal(err)
		}
		want := RemindersDue(a.Calendars.Shipped(), k.DueOn, today)
		if want == 0 {
			t.Fatalf("a conclusion due %s should be reminded of on %s", k.DueOn, today)
		}
		// Two runs of the job at once (the periodic run and a late one, or
		// the test's and the queue's): one of them writes, and a third,
		// later run sends nothing new.
		ticks := make(chan error, 2)
		for range 2 {
			go func() { ticks <- a.Tick(ctx) }()
		}
		for range 2 {
			if err := <-ticks; err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		var sent int
		var author string
		if err := d.QueryRow(ctx, `SELECT reminders_sent FROM consult_conclusions WHERE id = ?`, k.ID).Scan(&sent); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, `SELECT a.email FROM consultations c JOIN accounts a ON a.id = c.created_by WHERE c.id = ?`, c.ID).Scan(&author); err != nil {
			t.Fatal(err)
		}
		if sent != want {
			t.Fatalf("reminders sent %d, want %d", sent, want)
		}
		msg := env.Mail.WaitFor(t, author, "Срок ответа на заключение", 20*time.Second)
		if !strings.Contains(msg.Body, k.DueOn.Russian()) {
			t.Fatalf("reminder lacks the due date:\n%s", msg.Body)
		}
		env.WaitJobsDone(t, 20*time.Second, "send_email")
		n := 0
		for _, m := range env.Mail.Messages() {
			if strings.Contains(m.Subject, "Срок ответа") {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("reminder mails %d, want 1 (one author, no lawyers besides)", n)
		}
	})
}
