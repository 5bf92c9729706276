package consult

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
)

// DemoPeople are the demo accounts the demo content is attributed to.
type DemoPeople struct {
	Lawyer, Editor, Resident, Expert int64
	ResidentName                     string
}

type demoComment struct {
	point, quote, body, kind, name string
	decision                       Decision
	reason                         string
}

type demoConsultation struct {
	kind      Kind
	title     string
	summary   string
	dept      string
	spheres   []string
	impact    Impact
	startDays int // start of the first stage relative to today
	draft     string
	final     string
	comments  []demoComment
	results   bool
	act       [3]string
}

const demoRulesDraft = `Проект постановления администрации городского округа Верхняя Пышма

# Глава 1. Общие положения

1.1. Настоящие Правила устанавливают требования к благоустройству и содержанию территории городского округа Верхняя Пышма.
1.2. Правила обязательны для всех физических и юридических лиц, индивидуальных предпринимателей, являющихся собственниками, владельцами или пользователями земельных участков, зданий и сооружений.

# Глава 2. Содержание прилегающих территорий

2.1. Собственники зданий обеспечивают уборку прилегающей территории в границах, определённых схемой.
2.2. Границы прилегающей территории составляют 10 метров по периметру здания.
2.3. Уполномоченный орган вправе изменить границы прилегающей территории.

# Глава 3. Зимнее содержание

3.1. Тротуары и дворовые проезды очищаются от снега в течение 6 часов после окончания снегопада.
3.2. Вывоз снега с дворовых территорий производится по графику, утверждаемому управлением ЖКХ.
3.3. Сбрасывать снег с крыш на тротуары без ограждения опасной зоны запрещается.

# Глава 4. Детские и спортивные площадки

4.1. Покрытие детских площадок должно быть мягким, ударопоглощающим.
4.2. Осмотр оборудования площадок проводится не реже одного раза в месяц.
`

const demoDeclarationDraft = `Публичная декларация целей и задач администрации городского округа Верхняя Пышма на 2026 год

# Цель 1. Комфортная городская среда

1. Благоустроить 12 дворовых территорий по заявкам жителей.
2. Отремонтировать 8 км дорог местного значения.

# Цель 2. Доступные муниципальные услуги

3. Перевести 90 % массовых муниципальных услуг в электронный вид.
4. Сократить срок выдачи разрешений на строительство до 5 рабочих дней.

# Цель 3. Открытость администрации

5. Проводить общественное обсуждение всех проектов нормативных актов, затрагивающих права жителей.
`

const demoDeclarationFinal = `Публичная декларация целей и задач администрации городского округа Верхняя Пышма на 2026 год

# Цель 1. Комфортная городская среда

1. Благоустроить 15 дворовых территорий по заявкам жителей, в том числе 3 двора в посёлке Исеть.
2. Отремонтировать 8 км дорог местного значения.

# Цель 2. Доступные муниципальные услуги

3. Перевести 90 % массовых муниципальных услуг в электронный вид.
4. Сократить срок выдачи разрешений на строительство до 5 рабочих дней.

# Цель 3. Открытость администрации

5. Проводить общественное обсуждение всех проектов нормативных актов, затрагивающих права жителей, и публиковать ответы на каждое предложение.
6. Ежеквартально публиковать отчёт о ходе достижения целей декларации.
`

const demoExpertiseDraft = `Проект постановления «Об утверждении административного регламента предоставления муниципальной услуги «Выдача разрешения на вырубку зелёных насаждений»»

# Раздел 1. Общие положения

1.1. Регламент устанавливает порядок и сроки выдачи разрешения на вырубку (снос) зелёных насаждений на территории городского округа.
1.2. Заявителями являются физические и юридические лица, планирующие вырубку зелёных насаждений.

# Раздел 2. Стандарт предоставления услуги

2.1. Для получения разрешения заявитель представляет заявление, схему участка и иные документы по требованию уполномоченного органа.
2.2. Уполномоченный орган рассматривает заявление в разумный срок.
2.3. Должностное лицо может отказать в выдаче разрешения в случае ненадлежащего оформления документов.
2.4. Размер компенсационной стоимости определяется по методике, утверждаемой уполномоченным органом.
`

const demoUrbanDraft = `Проект внесения изменений в Правила землепользования и застройки городского округа Верхняя Пышма

# Статья 1. Изменение территориальной зоны

1. Изменить территориальную зону земельного участка с кадастровым номером 66:36:0102001:15 (ул. Машиностроителей) с зоны Ж-1 «Зона индивидуальной жилой застройки» на зону ОД-1 «Общественно-деловая зона».

# Статья 2. Градостроительный регламент зоны ОД-1

2. Предельная высота зданий — 4 этажа.
3. Минимальный отступ от красной линии — 5 метров.
4. Минимальное количество мест для стоянки автомобилей — 1 место на 50 кв. м общей площади.
`

const demoProposalsDraft = `Сбор предложений в адресный перечень дворов для благоустройства в 2027 году

Предложите двор, который нужно благоустроить в 2027 году: укажите адрес и что нужно сделать (освещение, детская площадка, парковка, тротуары, озеленение).

1. Отбор проводит общественная комиссия по формированию комфортной городской среды.
2. Приоритет получают дворы, где собственники готовы участвовать в софинансировании.
`

func demoSet() []demoConsultation {
	return []demoConsultation{
		{kind: KindDiscussion, title: "Проект Правил благоустройства территории городского округа Верхняя Пышма",
			summary: "Новые правила уборки дворов и тротуаров, зимнего содержания и детских площадок. Касаются всех собственников зданий и жителей.",
			dept:    "housing", spheres: []string{"housing", "urban"}, impact: ImpactMedium, startDays: -5, draft: demoRulesDraft,
			comments: []demoComment{
				{point: "p-3-1", quote: "в течение 6 часов", body: "Предлагаю сократить срок очистки тротуаров у школ и поликлиник до 3 часов: утром там идут дети и пожилые люди.", kind: AuthorName, name: "Пётр Жителев", decision: PartlyAccepted, reason: "Срок 3 часа будет установлен для тротуаров у школ, детских садов и поликлиник; для остальных тротуаров сохраняется 6 часов из-за нехватки техники."},
				{point: "p-2-3", body: "Непонятно, в каких случаях орган может изменить границы. Нужно перечислить основания и сроки уведомления собственника.", kind: AuthorOrganisation, name: "ТСЖ «Уральская, 40»", decision: Accepted, reason: "Пункт 2.3 будет дополнен исчерпывающим перечнем оснований и обязанностью уведомить собственника за 30 дней."},
				{point: "p-4-2", body: "Раз в месяц мало: на площадке у дома 12 по ул. Победы качели сломаны полгода.", kind: AuthorResident},
			}},
		{kind: KindDeclaration, title: "Публичная декларация целей и задач администрации на 2026 год",
			summary: "Цели администрации на год и показатели, по которым жители могут проверить их достижение.",
			dept:    "economy", spheres: []string{"economy", "urban", "budget"}, startDays: -80, draft: demoDeclarationDraft, final: demoDeclarationFinal, results: true,
			act: [3]string{"112-п", "", "/acts"},
			comments: []demoComment{
				{point: "p-1", body: "Включите в перечень дворы посёлка Исеть — там благоустройства не было десять лет.", kind: AuthorName, name: "Пётр Жителев", decision: Accepted, reason: "Цель 1 дополнена: три двора в посёлке Исеть включены в план."},
				{point: "p-5", body: "Публикуйте не только итоги обсуждений, но и ответ на каждое предложение.", kind: AuthorOrganisation, name: "Общественная палата городского округа", decision: Accepted, reason: "Пункт 5 дополнен, ответы публикуются в сводке предложений."},
				{point: "p-2", body: "Предлагаю ремонтировать 15 км дорог вместо 8.", kind: AuthorResident, decision: NotAccepted, reason: "Объём ремонта ограничен утверждённым бюджетом дорожного фонда на 2026 год (8 км); предложение будет рассмотрено при планировании на 2027 год."},
				{body: "Хорошо, что цели измеримые. Прошу публиковать отчёт ежеквартально.", kind: AuthorResident, decision: Accepted, reason: "Добавлен пункт 6 о ежеквартальном отчёте."},
			}},
		{kind: KindExpertise, title: "Административный регламент «Выдача разрешения на вырубку зелёных насаждений»",
			summary: "Проект открыт для независимой антикоррупционной экспертизы аккредитованными экспертами.",
			dept:    "legal", spheres: []string{"ecology", "urban"}, startDays: -3, draft: demoExpertiseDraft},
		{kind: KindUrban, title: "Изменения в Правила землепользования и застройки: участок на ул. Машиностроителей",
			summary: "Общественные обсуждения по ст. 5.1 Градостроительного кодекса РФ об изменении территориальной зоны участка для строительства поликлиники.",
			dept:    "architecture", spheres: []string{"urban", "health"}, startDays: -2, draft: demoUrbanDraft},
		{kind: KindProposals, title: "Сбор предложений: дворы для благоустройства в 2027 году",
			summary: "Предложите двор, который нужно благоустроить, и что в нём сделать.",
			dept:    "housing", spheres: []string{"housing", "urban"}, startDays: -1, draft: demoProposalsDraft,
			comments: []demoComment{{body: "Двор домов 3 и 5 по ул. Кривоусова: нет освещения и тротуара к остановке.", kind: AuthorResident}}},
	}
}

// Demo loads the demo consultations for municipality m: one of each kind,
// the declaration finished with its summary, final text and goal progress,
// the expertise with an expert conclusion and its answer. It is idempotent:
// consultations are found by title and left alone when present.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality, people DemoPeople) error {
	entry := audit.Entry{MunicipalityID: m.ID, Actor: "демонстрационные данные"}
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	deptID := map[string]int64{}
	for _, d := range depts {
		deptID[d.Slug] = d.ID
	}
	spheres, err := a.Tenants.Spheres(ctx, m.ID)
	if err != nil {
		return err
	}
	sphereID := map[string]int64{}
	for _, s := range spheres {
		sphereID[s.Slug] = s.ID
	}
	today := a.today(m)
	var expertID int64
	if people.Expert != 0 {
		e, err := a.Store.ExpertByAccount(ctx, m.ID, people.Expert)
		if errors.Is(err, db.ErrNotFound) {
			e = Expert{AccountID: people.Expert, Kind: "person", Name: "Экспертова Елена Викторовна", AccreditationNumber: "1234-р", AccreditationDate: "2023-04-17"}
			err = a.DB.InTx(ctx, func(tx *db.Tx) error {
				if err := a.Store.SaveExpert(ctx, tx, m.ID, &e); err != nil {
					return err
				}
				return a.Store.VerifyExpert(ctx, tx, m.ID, e.ID, ExpertVerified, "", people.Lawyer)
			})
		}
		if err != nil {
			return fmt.Errorf("demo expert: %w", err)
		}
		expertID = e.ID
	}
	for _, dc := range demoSet() {
		var existing int64
		err := a.DB.QueryRow(ctx, `SELECT id FROM consultations WHERE municipality_id = ? AND title = ?`, m.ID, dc.title).Scan(&existing)
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("demo consultation lookup: %w", err)
		}
		if err := a.demoOne(ctx, m, dc, deptID, sphereID, today, people, expertID, entry); err != nil {
			return fmt.Errorf("demo consultation %q: %w", dc.title, err)
		}
	}
	return nil
}

func (a *Area) demoOne(ctx context.Context, m tenant.Municipality, dc demoConsultation, deptID, sphereID map[string]int64, today deadline.Date, people DemoPeople, expertID int64, entry audit.Entry) error {
	proc := a.Procedures[dc.kind]
	c := Consultation{MunicipalityID: m.ID, Kind: dc.kind, Title: dc.title, Summary: dc.summary, DepartmentID: deptID[dc.dept], Impact: dc.impact,
		Participation: proc.Participation, Moderation: proc.Moderation, CreatedBy: people.Lawyer}
	c.Periods = DefaultSchedule(proc, dc.impact, today.AddDays(dc.startDays))
	var sids []int64
	for _, s := range dc.spheres {
		if id, ok := sphereID[s]; ok {
			sids = append(sids, id)
		}
	}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := a.Store.Create(ctx, tx, &c, sids); err != nil {
			return err
		}
		draft := Version{ConsultationID: c.ID, Body: dc.draft, Note: "Проект для обсуждения"}
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
		blocks := ParseDraft(dc.draft)
		for _, cm := range dc.comments {
			x := Comment{MunicipalityID: m.ID, ConsultationID: c.ID, VersionID: draft.ID, AuthorKind: cm.kind, Body: cm.body, Status: StatusPublished, QuoteStart: -1, QuoteEnd: -1}
			switch cm.kind {
			case AuthorName:
				x.AuthorName, x.AccountID = cm.name, people.Resident
			case AuthorOrganisation:
				x.Organisation = cm.name
			}
			if b, ok := FindBlock(blocks, cm.point); ok {
				x.Point, x.PointLabel = b.Anchor, b.Label()
				if cm.quote != "" {
					x.Quote = cm.quote
					x.QuoteStart, x.QuoteEnd = Quote(b.Heading+"\n"+b.Text, cm.quote)
				}
			}
			if err := a.Store.AddComment(ctx, tx, &x); err != nil {
				return err
			}
			if cm.decision != "" {
				if err := a.Store.Answer(ctx, tx, m.ID, x.ID, cm.decision, cm.reason, people.Lawyer); err != nil {
					return err
				}
			}
		}
		if dc.final != "" {
			fv := Version{ConsultationID: c.ID, Body: dc.final, Final: true, Note: "Итоговая редакция с учётом предложений"}
			if err := a.Store.AddVersion(ctx, tx, &fv, people.Lawyer); err != nil {
				return err
			}
		}
		if dc.act[0] != "" {
			if err := a.Store.SetAct(ctx, tx, m.ID, c.ID, dc.act[0], today.AddDays(-20).String(), dc.act[2]); err != nil {
				return err
			}
			full.ActNumber = dc.act[0]
		}
		if dc.results {
			if err := a.publishResultsTx(ctx, tx, &full, entry); err != nil {
				return err
			}
		}
		if dc.kind == KindDeclaration {
			goals := []Goal{
				{Title: "Комфортная городская среда", DepartmentID: deptID["housing"], Indicator: "Благоустроено дворовых территорий", Unit: "шт.", Target: "15"},
				{Title: "Доступные муниципальные услуги", DepartmentID: deptID["economy"], Indicator: "Доля массовых услуг в электронном виде", Unit: "%", Target: "90"},
				{Title: "Открытость администрации", DepartmentID: deptID["legal"], Indicator: "Доля проектов НПА, прошедших общественное обсуждение", Unit: "%", Target: "100"},
			}
			progress := [][]Progress{
				{{OnDate: today.AddDays(-60).String(), Planned: "4", Actual: "3", Comment: "Один двор перенесён из-за замены сетей водоснабжения."}, {OnDate: today.AddDays(-5).String(), Planned: "8", Actual: "8"}},
				{{OnDate: today.AddDays(-5).String(), Planned: "75", Actual: "78"}},
				{{OnDate: today.AddDays(-5).String(), Planned: "100", Actual: "100", Comment: "Все 14 проектов обсуждались на портале."}},
			}
			for i := range goals {
				goals[i].ConsultationID = c.ID
				if err := a.Store.AddGoal(ctx, tx, &goals[i]); err != nil {
					return err
				}
				for _, p := range progress[i] {
					if err := a.Store.AddProgress(ctx, tx, goals[i].ID, &p, people.Editor); err != nil {
						return err
					}
				}
			}
		}
		if dc.kind == KindExpertise && expertID != 0 {
			received := today.AddDays(-2)
			k := Conclusion{ConsultationID: c.ID, ExpertID: expertID, ShowName: true, ReceivedOn: received, DueOn: ExpertiseDue(a.Calendars.Shipped(), a.Rules, received),
				Factors: []FactorFinding{
					{Code: "3.2", Provisions: "п. 2.3: «Должностное лицо может отказать в выдаче разрешения»", Proposal: "Заменить на «отказывает в выдаче разрешения по основаниям, указанным в пункте 2.5» и привести исчерпывающий перечень оснований."},
					{Code: "4.1", Provisions: "п. 2.1: «иные документы по требованию уполномоченного органа»", Proposal: "Привести исчерпывающий перечень документов; запрашивать сведения у других органов в порядке межведомственного взаимодействия."},
					{Code: "3.7", Provisions: "п. 2.2: «в разумный срок»", Proposal: "Установить срок рассмотрения заявления — не более 10 рабочих дней."},
				},
				Body: "В проекте выявлены коррупциогенные факторы, предусмотренные подпунктами «б» пункта 3 и «а», «в» пункта 4 Методики. Рекомендуется устранить их до принятия акта."}
			if err := a.Store.AddConclusion(ctx, tx, m.ID, &k); err != nil {
				return err
			}
			if err := a.Store.AnswerConclusion(ctx, tx, m.ID, k.ID, "Заключение рассмотрено. Предложения по пунктам 2.1 и 2.2 учтены: перечень документов станет исчерпывающим, срок рассмотрения — 10 рабочих дней. По пункту 2.3 основания отказа будут перечислены в новом пункте 2.5.", people.Lawyer); err != nil {
				return err
			}
		}
		return nil
	})
}

// demo loads the demo consultations, written by the demo's lawyer, editor,
// resident and expert.
func (a *Area) demo(ctx context.Context, m tenant.Municipality) error {
	people := DemoPeople{}
	for email, id := range map[string]*int64{"lawyer@vpyshma.demo": &people.Lawyer, "editor@vpyshma.demo": &people.Editor,
		"resident@vpyshma.demo": &people.Resident, "expert@vpyshma.demo": &people.Expert} {
		acc, err := a.People.ByEmail(ctx, m.ID, email)
		if err != nil {
			return fmt.Errorf("consult demo: account %s: %w", email, err)
		}
		*id = acc.ID
	}
	return a.Demo(ctx, m, people)
}

func (a *Area) scale(ctx context.Context, m tenant.Municipality, n int) error {
	lawyer, err := a.People.ByEmail(ctx, m.ID, "lawyer@vpyshma.demo")
	if err != nil {
		return fmt.Errorf("consult scale: account lawyer@vpyshma.demo: %w", err)
	}
	return a.Generate(ctx, m, n, DemoPeople{Lawyer: lawyer.ID})
}
