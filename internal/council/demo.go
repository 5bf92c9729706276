package council

import (
	"context"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/auth"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
)

var demoMembers = []struct{ name, position, represents, bio string }{
	{"Корнилова Елена Викторовна", "chair", "Совет ветеранов городского округа", "Педагог, 25 лет руководила городской школой № 2."},
	{"Лаптев Игорь Сергеевич", "deputy", "Союз предпринимателей Верхней Пышмы", "Предприниматель, член референтной группы по развитию предпринимательства."},
	{"Шарипова Гульнара Рашитовна", "secretary", "Референтная группа «Городская среда»", "Архитектор, автор проектов благоустройства дворов."},
	{"Демидов Алексей Петрович", "member", "Референтная группа «ЖКХ и энергосбережение»", "Председатель совета многоквартирного дома."},
	{"Ожгибесова Марина Юрьевна", "member", "Референтная группа «Образование»", "Председатель родительского совета гимназии."},
	{"Трофимов Павел Андреевич", "member", "Референтная группа «Спорт и молодёжь»", "Тренер детской спортивной школы."},
	{"Захарова Наталья Олеговна", "member", "Референтная группа «Социальная защита»", "Руководитель общественной организации инвалидов."},
	{"Бельков Дмитрий Иванович", "member", "Референтная группа «Транспорт и дороги»", "Инженер-дорожник, общественный контролёр."},
	{"Петрова Анастасия Сергеевна", "member", "Местное отделение Российского Красного Креста", "Врач, волонтёр."},
}

var demoCriteria = []Criterion{
	{Title: "Открытость и доступность информации о деятельности администрации", Weight: 3},
	{Title: "Учёт мнения жителей при подготовке решений", Weight: 3},
	{Title: "Качество и сроки ответов на обращения", Weight: 2},
	{Title: "Исполнение решений общественного совета", Weight: 2},
}

// Demo loads the council's demo content into m; it does nothing when the
// municipality already has a composition.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM council_compositions WHERE municipality_id = ?`, m.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	now := a.DB.Now()
	local := m.Local(now)
	year := local.Year()
	day := func(days int) string { return local.AddDate(0, 0, days).Format("2006-01-02") }
	at := func(days, hour int) time.Time {
		d := local.AddDate(0, 0, days)
		loc := m.Location
		if loc == nil {
			loc = time.UTC
		}
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, loc).UTC()
	}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := a.addRegulations(ctx, tx, m, Document{Kind: "regulations", Title: "Положение об Общественном совете городского округа Верхняя Пышма",
			Number: "412", ActDate: fmt.Sprintf("%d-02-14", year-2), URL: "https://movp.ru/council/regulations"}); err != nil {
			return err
		}
		old, err := a.Store.CreateComposition(ctx, tx, m.ID, Composition{Title: "Состав общественного совета первого созыва", TermFrom: fmt.Sprintf("%d-03-01", year-5), TermTo: fmt.Sprintf("%d-02-28", year-2)})
		if err != nil {
			return err
		}
		for i, dm := range demoMembers[:7] {
			pos := dm.position
			if i > 2 {
				pos = "member"
			}
			if _, err := a.Store.AddMember(ctx, tx, m.ID, Member{CompositionID: old, FullName: dm.name, Position: pos, Represents: dm.represents}); err != nil {
				return err
			}
		}
		if err := a.Store.ApproveComposition(ctx, tx, m.ID, old, "95", fmt.Sprintf("%d-02-20", year-5), ""); err != nil {
			return err
		}
		cur, err := a.Store.CreateComposition(ctx, tx, m.ID, Composition{Title: "Состав общественного совета второго созыва", TermFrom: fmt.Sprintf("%d-03-01", year-2), TermTo: fmt.Sprintf("%d-02-28", year+1)})
		if err != nil {
			return err
		}
		var members []int64
		for _, dm := range demoMembers {
			id, err := a.Store.AddMember(ctx, tx, m.ID, Member{CompositionID: cur, FullName: dm.name, Position: dm.position, Represents: dm.represents, Bio: dm.bio,
				TermFrom: fmt.Sprintf("%d-03-01", year-2), TermTo: fmt.Sprintf("%d-02-28", year+1)})
			if err != nil {
				return err
			}
			members = append(members, id)
		}
		if err := a.Store.ApproveComposition(ctx, tx, m.ID, cur, "418", fmt.Sprintf("%d-02-21", year-2), ""); err != nil {
			return err
		}
		if err := a.record(ctx, tx, m, events.CouncilCompositionApproved, "council_composition", cur, "Состав общественного совета", "/council"); err != nil {
			return err
		}

		plan, err := a.Store.EnsurePlan(ctx, tx, m.ID, year)
		if err != nil {
			return err
		}
		items := []PlanItem{
			{Quarter: 1, Title: "Рассмотрение отчёта главы о результатах деятельности администрации", MemberID: members[0], Status: "done", Link: "/council"},
			{Quarter: 1, Title: "Общественная экспертиза проекта программы благоустройства дворов", MemberID: members[2], Status: "done"},
			{Quarter: 2, Title: "Открытое заседание о доступности общественного транспорта", MemberID: members[7], Status: "moved", Reason: "перенесено на IV квартал по просьбе перевозчиков"},
			{Quarter: 3, Title: "Оценка деятельности администрации по утверждённой методике", MemberID: members[1], Status: "done"},
			{Quarter: 4, Title: "Открытое заседание о бюджете на следующий год", MemberID: members[0], Status: "planned"},
			{Quarter: 4, Title: "Мониторинг исполнения решений совета", MemberID: members[2], Status: "planned"},
		}
		for _, it := range items {
			if _, err := a.Store.AddPlanItem(ctx, tx, m.ID, plan, it); err != nil {
				return err
			}
		}
		if err := a.Store.ApprovePlan(ctx, tx, m.ID, plan, "7", fmt.Sprintf("%d-01-25", year), ""); err != nil {
			return err
		}
		if err := a.record(ctx, tx, m, events.CouncilPlanApproved, "council_plan", plan, fmt.Sprintf("План работы общественного совета на %d год", year), "/council"); err != nil {
			return err
		}

		past, err := a.Store.CreateMeeting(ctx, tx, m.ID, Meeting{Kind: KindOpen, Title: "О благоустройстве дворовых территорий", StartsAt: at(-40, 17), Place: "Администрация, ул. Красноармейская, 13, зал заседаний",
			Agenda: "1. Итоги программы благоустройства дворов.\n2. Предложения жителей на следующий год.", Open: true, Capacity: 40, VideoURL: "https://vk.com/video-demo-council"})
		if err != nil {
			return err
		}
		if err := a.publishMinutes(ctx, tx, m, past, "Присутствовали 8 членов совета и 23 жителя. Заслушан доклад управления ЖКХ; рассмотрены 14 предложений жителей. Приняты решения, перечисленные ниже."); err != nil {
			return err
		}
		dept := int64(0)
		if len(depts) > 0 {
			dept = depts[0].ID
		}
		decs := []Decision{
			{Text: "Опубликовать перечень дворов, включённых в программу, с графиком работ", DueDate: day(-10)},
			{Text: "Провести выездной осмотр дворов с участием членов совета", DueDate: day(20)},
			{Text: "Учесть предложения жителей при формировании программы на следующий год", DueDate: day(60)},
		}
		for i, d := range decs {
			d.MeetingID, d.DepartmentID = past, dept
			id, err := a.Store.AddDecision(ctx, tx, m.ID, d)
			if err != nil {
				return err
			}
			if i == 2 {
				if err := a.Store.SetDecisionStatus(ctx, tx, m.ID, id, "done"); err != nil {
					return err
				}
			}
		}
		if _, err := a.Store.CreateMeeting(ctx, tx, m.ID, Meeting{Kind: KindRegular, Title: "О плане работы совета", StartsAt: at(-70, 16), Place: "Администрация, зал заседаний"}); err != nil {
			return err
		}
		next, err := a.Store.CreateMeeting(ctx, tx, m.ID, Meeting{Kind: KindOpen, Title: "О проекте бюджета городского округа на следующий год", StartsAt: at(10, 17),
			Place: "Дворец культуры, пр. Успенский, 48, малый зал", Agenda: "1. Доклад финансового управления о проекте бюджета.\n2. Вопросы и предложения жителей.",
			Documents: "Проект бюджета размещён в разделе «Обсуждения».", Open: true, Capacity: 30, ClosesAt: at(9, 18)})
		if err != nil {
			return err
		}
		guests, err := a.People.Recipients(ctx, tx, m.ID, auth.Audience{Roles: []string{auth.Press, auth.Expert}})
		if err != nil {
			return err
		}
		for i, g := range guests {
			kind, outlet := "resident", ""
			if i == 0 {
				kind, outlet = "journalist", "Газета «Красное знамя»"
			}
			if _, err := a.Store.Register(ctx, tx, m.ID, next, g.ID, kind, outlet, now); err != nil {
				return err
			}
		}

		meth, err := a.Store.CreateMethodology(ctx, tx, m.ID, Methodology{Title: "Методика оценки деятельности администрации общественным советом", ScaleMax: 5,
			Scorers: "Члены общественного совета действующего состава", Criteria: demoCriteria})
		if err != nil {
			return err
		}
		if err := a.Store.ApproveMethodology(ctx, tx, m.ID, meth, "3", fmt.Sprintf("%d-09-10", year-1), ""); err != nil {
			return err
		}
		if err := a.record(ctx, tx, m, events.CouncilMethodologyApproved, "council_methodology", meth, "Методика оценки деятельности администрации", "/council"); err != nil {
			return err
		}
		mt, err := a.Store.Methodology(ctx, tx, m.ID, meth)
		if err != nil {
			return err
		}
		// Two published runs (paper ballots entered by the secretary, keyed
		// by member) and one open for the demo council account.
		for k, title := range []string{fmt.Sprintf("Оценка деятельности администрации за %d год", year-1), fmt.Sprintf("Оценка деятельности администрации за I полугодие %d года", year)} {
			run, err := a.Store.OpenRun(ctx, tx, m.ID, meth, title)
			if err != nil {
				return err
			}
			for j, mem := range members[:7+k] {
				var scores []Score
				for c, cr := range mt.Criteria {
					scores = append(scores, Score{CriterionID: cr.ID, Score: 2 + (j+c+k)%4, Comment: ""})
				}
				if err := a.Store.SubmitScores(ctx, tx, m.ID, run, -mem, scores); err != nil {
					return err
				}
			}
			if err := a.publishRun(ctx, tx, m, run); err != nil {
				return err
			}
		}
		_, err = a.Store.OpenRun(ctx, tx, m.ID, meth, fmt.Sprintf("Оценка деятельности администрации за %d год", year))
		return err
	})
}
