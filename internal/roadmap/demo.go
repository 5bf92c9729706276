package roadmap

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

// seedPlan is the plan of the Verkhnyaya Pyshma administration that
// glasnost implements, as the demo loads it.
//
//go:embed seed/roadmap-verkhnyaya-pyshma-2018.txt
var seedPlan []byte

// SeedPlan parses the embedded seed plan.
func SeedPlan() (ImportResult, error) {
	return ParseTSV(bytes.NewReader(seedPlan))
}

// demoLink is a piece of evidence a person linked in the demo: for the
// measure, at a number of days before the end of its window (or of each of
// its ended windows, skipping one to show a missed period).
type demoLink struct {
	Number     string
	Title      string
	URL        string
	DaysBefore int
	EachPeriod bool
	SkipPeriod int // 1-based window left without evidence; 0 for none
}

// Measures whose tool the portal lacks (the council, the reference groups,
// the media plan) get no invented links: they show that no tool exists.
var demoLinks = []demoLink{
	{Number: "1.1", Title: "Распоряжение администрации «Об обеспечении доступа к информации о деятельности администрации городского округа Верхняя Пышма»", URL: "/acts", DaysBefore: 12},
	{Number: "4.1", Title: "Постановление администрации «Об утверждении порядка проведения общественных обсуждений»", URL: "/acts", DaysBefore: 9},
	{Number: "9.2", Title: "Аналитический отчёт о работе с обращениями граждан", URL: "/appeals/reports", DaysBefore: 3, EachPeriod: true, SkipPeriod: 2},
}

// demoAssessment is the stage and answers (one per default criterion) of a
// mechanism in the demo's self-assessment, for the last year and this one.
var demoAssessment = map[int][2][]int{
	1:  {{3, 2, 1, 2, 1, 1}, {4, 2, 2, 2, 2, 1}},
	2:  {{2, 1, 1, 1, 0, 0}, {3, 1, 2, 2, 1, 1}},
	3:  {{2, 0, 1, 1, 1, 0}, {3, 1, 1, 2, 1, 1}},
	4:  {{2, 1, 1, 1, 1, 0}, {3, 2, 1, 2, 1, 1}},
	5:  {{1, 0, 0, 0, 0, 0}, {2, 1, 1, 1, 0, 0}},
	6:  {{1, 0, 0, 0, 0, 0}, {3, 2, 2, 1, 1, 1}},
	7:  {{2, 1, 1, 1, 0, 0}, {2, 1, 1, 1, 1, 0}},
	8:  {{2, 2, 1, 1, 0, 0}, {2, 2, 1, 1, 1, 0}},
	9:  {{3, 2, 2, 2, 1, 1}, {4, 2, 2, 2, 2, 2}},
	10: {{2, 1, 1, 1, 1, 0}, {3, 2, 1, 2, 1, 1}},
}

// DemoPlan is the demo's live plan: clearly invented, with the measures of
// the seed plan moved by whole years so that its deadlines fall around
// today. It names no approving act: no act approved it.
func DemoPlan(seed Roadmap, today time.Time) Roadmap {
	p := seed.Redate(today)
	p.Title = fmt.Sprintf("Демонстрационный план мероприятий («дорожная карта») открытости на %d–%d годы — вымышленный, составлен по образцу плана 2018 года для показа возможностей портала",
		p.PeriodFrom.Year(), p.PeriodTo.Year())
	p.ApprovingAct = ""
	return p
}

// Demo loads two plans. The first is the seed plan as it was approved
// (order No. 118 of 07.03.2018), with its own dates: entered after its
// period ended, it shows what the portal knows of it (see Plan.Archive),
// never a re-dated copy of an official act. The second is DemoPlan, the
// invented live plan, with the default self-assessment criteria, a few
// links a staff member would have added and two years of self-assessment;
// its evidence counted from events comes from the other areas' demo
// content. It changes nothing when the plans are already there.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	res, err := SeedPlan()
	if err != nil {
		return fmt.Errorf("roadmap demo: %w", err)
	}
	now := a.DB.Now()
	today := Today(now, m.Location)
	official := res.Roadmap
	plan := DemoPlan(res.Roadmap, today)
	exists := func(title string) (bool, error) {
		_, err := a.Store.FindByTitle(ctx, a.DB, m.ID, title)
		if errors.Is(err, db.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	haveOfficial, err := exists(official.Title)
	if err != nil {
		return fmt.Errorf("roadmap demo: %w", err)
	}
	haveDemo, err := exists(plan.Title)
	if err != nil {
		return fmt.Errorf("roadmap demo: %w", err)
	}
	if haveOfficial && haveDemo {
		return nil
	}
	_, depts, err := a.departments(ctx, m.ID)
	if err != nil {
		return fmt.Errorf("roadmap demo: %w", err)
	}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		if !haveOfficial {
			if _, err := a.Store.SaveImport(ctx, tx, m.ID, official, SaveOptions{SourceName: "roadmap-verkhnyaya-pyshma-2018.txt", Departments: depts},
				audit.Entry{Actor: "демонстрационные данные", Action: "roadmap.import"}); err != nil {
				return err
			}
		}
		if haveDemo {
			return nil
		}
		id, err := a.Store.SaveImport(ctx, tx, m.ID, plan, SaveOptions{SourceName: "демонстрационный план", Departments: depts},
			audit.Entry{Actor: "демонстрационные данные", Action: "roadmap.import"})
		if err != nil {
			return err
		}
		if err := a.Store.EnsureCriteria(ctx, tx, m.ID); err != nil {
			return err
		}
		measureIDs := map[string]int64{}
		rows, err := tx.Query(ctx, `SELECT id, number FROM roadmap_measures WHERE roadmap_id = ?`, id)
		if err != nil {
			return fmt.Errorf("roadmap demo: %w", err)
		}
		for rows.Next() {
			var mid int64
			var n string
			if err := rows.Scan(&mid, &n); err != nil {
				rows.Close()
				return err
			}
			measureIDs[n] = mid
		}
		rows.Close()
		for _, l := range demoLinks {
			for _, on := range demoLinkDates(plan, l, today) {
				if err := a.Store.AddLink(ctx, tx, m.ID, 0, &Link{MeasureID: measureIDs[l.Number], Title: l.Title, URL: l.URL, DoneOn: on}); err != nil {
					return err
				}
			}
		}
		return a.demoAssess(ctx, tx, m.ID, id, today.Year())
	})
}

// demoLinkDates are the days a demo link is dated: before the end of the
// measure's window, or of each window that has ended, never after today.
func demoLinkDates(plan Roadmap, l demoLink, today time.Time) []time.Time {
	var s Schedule
	for _, m := range plan.Mechanisms {
		for _, ms := range m.Measures {
			if ms.Number == l.Number {
				s = ms.Schedule
			}
		}
	}
	var ends []time.Time
	if l.EachPeriod {
		for i, p := range s.Periods(today) {
			if i+1 != l.SkipPeriod && p.To.Before(today) {
				ends = append(ends, p.To)
			}
		}
	} else if !s.To.IsZero() {
		ends = append(ends, s.To)
	}
	var out []time.Time
	for _, e := range ends {
		d := e.AddDate(0, 0, -l.DaysBefore)
		if d.After(today) {
			continue
		}
		out = append(out, d)
	}
	return out
}

func (a *Area) demoAssess(ctx context.Context, tx *db.Tx, munID, roadmapID int64, year int) error {
	rows, err := tx.Query(ctx, `SELECT id, weight FROM roadmap_criteria WHERE municipality_id = ? AND retired = FALSE ORDER BY position, id`, munID)
	if err != nil {
		return fmt.Errorf("roadmap demo criteria: %w", err)
	}
	var crit []Criterion
	for rows.Next() {
		var c Criterion
		if err := rows.Scan(&c.ID, &c.Weight); err != nil {
			rows.Close()
			return err
		}
		crit = append(crit, c)
	}
	rows.Close()
	mrows, err := tx.Query(ctx, `SELECT id, number FROM roadmap_mechanisms WHERE roadmap_id = ?`, roadmapID)
	if err != nil {
		return fmt.Errorf("roadmap demo mechanisms: %w", err)
	}
	mechs := map[int]int64{}
	for mrows.Next() {
		var id int64
		var n int
		if err := mrows.Scan(&id, &n); err != nil {
			mrows.Close()
			return err
		}
		mechs[n] = id
	}
	mrows.Close()
	for n, years := range demoAssessment {
		mid, ok := mechs[n]
		if !ok {
			continue
		}
		for i, vals := range years {
			x := Assessment{MechanismID: mid, Year: year - 1 + i, Stage: vals[0]}
			for k, c := range crit {
				if k+1 < len(vals) {
					x.Answers = append(x.Answers, Answer{CriterionID: c.ID, Value: vals[k+1], Weight: c.Weight})
				}
			}
			if _, err := a.Store.SaveAssessment(ctx, tx, munID, &x); err != nil {
				return err
			}
		}
	}
	return nil
}
