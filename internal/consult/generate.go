package consult

import (
	"context"
	"fmt"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/progress"
	"github.com/glasnost/glasnost/internal/tenant"
)

// GeneratedComments is how many published comments each generated
// consultation gets; the load test measures a page with this many.
const GeneratedComments = 1000

// generatedBodies vary the comments so that pages are not one repeated
// string, which would compress and render unrealistically well.
var generatedBodies = []string{
	"Предлагаю сократить срок уборки тротуаров у школ и поликлиник до трёх часов после окончания снегопада.",
	"Нужно указать, кто отвечает за вывоз снега с придомовой территории, если дом обслуживает ТСЖ.",
	"Прошу добавить требование об освещении пешеходных дорожек в парках с 17 до 23 часов.",
	"Формулировка «в разумный срок» неконкретна: установите срок в рабочих днях.",
	"Поддерживаю проект, но штрафы для управляющих компаний стоит привязать к площади территории.",
	"Детские площадки нужно проверять не реже раза в неделю летом, а не раз в месяц.",
	"Предлагаю обязать подрядчиков восстанавливать газоны после земляных работ в течение 30 дней.",
	"Уточните, распространяются ли правила на частный сектор посёлков Исеть и Балтым.",
}

// Generate adds n published discussions, each with GeneratedComments
// published and answered comments, for `glasnost demo --scale`. Their
// titles contain «1000 комментариев» so that the load script can find one.
// It is not idempotent: each run adds n more. Each consultation is one
// transaction, so that a hundred of them take seconds, not minutes.
func (a *Area) Generate(ctx context.Context, m tenant.Municipality, n int, people DemoPeople) error {
	entry := audit.Entry{MunicipalityID: m.ID, Actor: "сгенерированные данные"}
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	var deptID int64
	for _, d := range depts {
		if d.Slug == "housing" {
			deptID = d.ID
		}
	}
	spheres, err := a.Tenants.Spheres(ctx, m.ID)
	if err != nil {
		return err
	}
	var sids []int64
	for _, s := range spheres {
		if s.Slug == "housing" || s.Slug == "urban" {
			sids = append(sids, s.ID)
		}
	}
	today := a.today(m)
	proc := a.Procedures[KindDiscussion]
	blocks := ParseDraft(demoRulesDraft)
	report := progress.From(ctx)
	report.Start("Замечания к проектам", n*GeneratedComments)
	defer report.Done()
	for i := 1; i <= n; i++ {
		c := Consultation{MunicipalityID: m.ID, Kind: KindDiscussion,
			Title:        fmt.Sprintf("Проект Правил благоустройства, редакция %d (нагрузочный тест, 1000 комментариев)", i),
			Summary:      "Сгенерированное обсуждение для нагрузочного теста: тысяча опубликованных предложений с ответами разработчика.",
			DepartmentID: deptID, Impact: ImpactMedium, Participation: proc.Participation, Moderation: proc.Moderation, CreatedBy: people.Lawyer}
		c.Periods = DefaultSchedule(proc, ImpactMedium, today.AddDays(-5))
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			if err := a.Store.Create(ctx, tx, &c, sids); err != nil {
				return err
			}
			draft := Version{ConsultationID: c.ID, Body: demoRulesDraft, Note: "Проект для обсуждения"}
			if err := a.Store.AddVersion(ctx, tx, &draft, people.Lawyer); err != nil {
				return err
			}
			full, err := a.Store.Get(ctx, tx, m.ID, c.ID)
			if err != nil {
				return err
			}
			if err := a.publishNow(ctx, tx, &full, m, entry); err != nil {
				return err
			}
			for j := 0; j < GeneratedComments; j++ {
				x := Comment{MunicipalityID: m.ID, ConsultationID: c.ID, VersionID: draft.ID, AuthorKind: AuthorResident,
					Body: fmt.Sprintf("%s (предложение %d)", generatedBodies[j%len(generatedBodies)], j+1), Status: StatusPublished, QuoteStart: -1, QuoteEnd: -1}
				if len(blocks) > 0 && j%3 != 0 {
					b := blocks[j%len(blocks)]
					x.Point, x.PointLabel = b.Anchor, b.Label()
				}
				if err := a.Store.AddComment(ctx, tx, &x); err != nil {
					return err
				}
				if j%2 == 0 {
					d := Decisions[j%len(Decisions)]
					if err := a.Store.Answer(ctx, tx, m.ID, x.ID, d, "Рассмотрено разработчиком; обоснование приведено в сводке предложений.", people.Lawyer); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("generated consultation %d: %w", i, err)
		}
		report.Add(GeneratedComments)
	}
	return nil
}
