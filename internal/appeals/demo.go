package appeals

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
)

// demoClassifier is a fictitious subset of the ТОТКО for the demo: the
// sections are real, the entries below them are invented (their codes do
// not match the published edition). An installation imports the real
// classifier at /admin/appeals/classifier.
//
//go:embed demo/totko.csv
var demoClassifier []byte

// DemoTopicMark ends the title of every invented demo classifier entry.
const DemoTopicMark = " (вымышленная запись демонстрационного классификатора)"

// demoTexts are appeal texts by classifier question, in the words residents
// use. They name no real person.
var demoTexts = map[string][]string{
	"0005.0005.0056.1154": {
		"Во дворе дома по ул. Чистова, 5 уже неделю не убирают снег, машины скорой помощи не могут подъехать к подъездам. Прошу организовать уборку.",
		"Управляющая компания не посыпает тротуары у дома по ул. Уральских рабочих, 44 — пожилые жители падают. Просим принять меры.",
	},
	"0005.0005.0056.1150": {
		"В доме по Успенскому проспекту, 113 третий день нет горячей воды, управляющая компания не отвечает на звонки. Прошу вмешаться.",
		"В квартирах на последних этажах дома по ул. Петрова, 37 батареи едва тёплые. Прошу проверить работу теплоснабжающей организации.",
	},
	"0005.0005.0056.1153": {"Контейнерную площадку у дома по ул. Менделеева, 8 не вывозят по нескольку дней, мусор разносит ветром. Прошу навести порядок."},
	"0005.0005.0056.1138": {"Прошу разъяснить, почему в квитанции за январь выросла плата за отопление, хотя тариф не менялся."},
	"0005.0005.0055.1112": {"Крыша дома по ул. Кривоусова, 17 протекает, капитальный ремонт переносят с 2023 года. Когда он будет проведён?"},
	"0005.0005.0055.1120": {"Наш дом в пос. Исеть признан аварийным в 2021 году. Прошу сообщить сроки расселения."},
	"0005.0005.0054.1093": {"Состою в очереди на улучшение жилищных условий с 2015 года. Прошу сообщить мой номер в очереди."},
	"0003.0009.0098.0720": {
		"На ул. Машиностроителей после зимы огромные ямы, повреждены колёса нескольких машин. Прошу включить участок в план ремонта.",
		"Прошу установить искусственную неровность у школы № 25: водители превышают скорость, дети переходят дорогу.",
	},
	"0003.0009.0097.0703": {"Автобус № 101 в выходные ходит раз в час, до Екатеринбурга невозможно уехать утром. Прошу увеличить число рейсов."},
	"0003.0009.0096.0697": {
		"Прошу установить детскую площадку во дворе домов по ул. Ленина, 9–11: во дворе живёт больше 60 детей, площадки нет.",
		"Просим благоустроить сквер у ДК «Металлург»: скамейки сломаны, освещения нет.",
	},
	"0003.0009.0096.0694": {"Прошу разъяснить, нужно ли разрешение на строительство бани на моём участке в пос. Красный."},
	"0003.0011.0122.0848": {"В парке за ул. Юбилейной вырубают деревья. Прошу сообщить, кто выдал разрешение и будет ли компенсационная посадка."},
	"0003.0008.0083.0294": {"Прошу сообщить, сколько средств бюджета городского округа направлено в 2025 году на ремонт дворов."},
	"0002.0013.0141.0340": {"Ребёнку три года, а места в детском саду в мкр. Центральный нам не дают. Прошу предоставить место ближе к дому."},
	"0002.0013.0141.0342": {"Родители учеников школы № 2 жалуются на качество питания в столовой. Просим провести проверку."},
	"0002.0013.0146.0396": {"Прошу продлить часы работы библиотеки в пос. Балтым по субботам."},
	"0002.0014.0153.0449": {"Предлагаю залить зимой каток на стадионе в пос. Половинный — детям негде кататься."},
	"0002.0006.0063.0218": {"Прошу разъяснить порядок получения земельного участка многодетной семьёй."},
	"0004.0016.0160.1090": {"На ул. Калинина стая бездомных собак нападает на прохожих. Прошу организовать отлов."},
	"0004.0016.0162.1122": {"Заброшенное здание по ул. Лесной, 3 регулярно поджигают. Прошу принять меры до начала пожароопасного сезона."},
	"0001.0002.0025.0103": {"Предлагаю проводить встречи главы администрации с жителями посёлков не реже раза в квартал."},
	"0001.0002.0025.0104": {"Прошу разъяснить, где опубликовано постановление о правилах благоустройства и как его обжаловать."},
	"0001.0002.0027.0133": {"Жалуюсь на грубость специалиста отдела при личном приёме 12 числа."},
	"0001.0001.0003.0027": {"Не согласен с ответом на моё прошлое обращение о ремонте дороги: работы не проведены."},
	"0001.0001.0003.0028": {"Ответ на моё обращение не получен в срок 30 дней. Прошу сообщить, на каком этапе рассмотрение."},
}

// demoDepartmentFor maps a classifier section to the demo department that
// usually answers it.
var demoDepartmentFor = map[string][]string{
	"0001": {"affairs", "legal"},
	"0002": {"education"},
	"0003": {"architecture", "economy", "finance"},
	"0004": {"deputy-general"},
	"0005": {"housing"},
}

var demoLastNames = []string{"Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров"}
var demoFirstNames = [][2]string{{"Александр", "Александра"}, {"Сергей", "Светлана"}, {"Андрей", "Анна"}, {"Дмитрий", "Дарья"}, {"Евгений", "Елена"}, {"Михаил", "Мария"}, {"Владимир", "Валентина"}, {"Николай", "Наталья"}, {"Игорь", "Ирина"}, {"Павел", "Полина"}}
var demoMiddleNames = [][2]string{{"Александрович", "Александровна"}, {"Сергеевич", "Сергеевна"}, {"Иванович", "Ивановна"}, {"Петрович", "Петровна"}, {"Викторович", "Викторовна"}, {""}}
var demoStreets = []string{"ул. Ленина", "ул. Чистова", "Успенский пр-т", "ул. Петрова", "ул. Кривоусова", "ул. Уральских рабочих", "ул. Менделеева", "ул. Машиностроителей"}

// translit makes a Latin mailbox name from a Cyrillic surname.
func translit(s string) string {
	m := map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sch", 'ы': "y", 'э': "e", 'ю': "yu", 'я': "ya"}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		b.WriteString(m[r])
	}
	return b.String()
}

// demoPerson makes a plausible fictional author.
func demoPerson(rng *rand.Rand) Author {
	female := rng.IntN(2)
	last := demoLastNames[rng.IntN(len(demoLastNames))]
	if female == 1 {
		last += "а"
	}
	mid := demoMiddleNames[rng.IntN(len(demoMiddleNames))]
	middle := mid[0]
	if female == 1 && len(mid) > 1 {
		middle = mid[1]
	}
	a := Author{LastName: last, FirstName: demoFirstNames[rng.IntN(len(demoFirstNames))][female], MiddleName: middle}
	switch rng.IntN(4) {
	case 0:
		a.PostalAddress = fmt.Sprintf("624090, г. Верхняя Пышма, %s, д. %d, кв. %d", demoStreets[rng.IntN(len(demoStreets))], 1+rng.IntN(120), 1+rng.IntN(200))
	case 1:
		a.PostalAddress = fmt.Sprintf("624090, г. Верхняя Пышма, %s, д. %d", demoStreets[rng.IntN(len(demoStreets))], 1+rng.IntN(120))
		a.Email = fmt.Sprintf("%s%d@example.ru", translit(last), rng.IntN(1000))
	default:
		a.Email = fmt.Sprintf("%s%d@example.ru", translit(last), rng.IntN(1000))
	}
	if rng.IntN(2) == 0 {
		a.Phone = fmt.Sprintf("+7 912 %03d-%02d-%02d", rng.IntN(1000), rng.IntN(100), rng.IntN(100))
	}
	return a
}

// Demo loads the classifier, a few hundred fictional appeals over the last
// five quarters (some overdue), and published reports for the past
// quarters. Running it again changes nothing.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	topics, err := ParseClassifier(bytes.NewReader(demoClassifier))
	if err != nil {
		return fmt.Errorf("demo classifier: %w", err)
	}
	// Only the five sections are the real ones; the entries below them are
	// an invented subset whose codes do not match the published edition, so
	// every one says so wherever it is shown.
	for i := range topics {
		if topics[i].Level > 1 {
			topics[i].Title += DemoTopicMark
		}
	}
	var have int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_topics WHERE municipality_id = ?`, m.ID).Scan(&have); err != nil {
		return fmt.Errorf("demo classifier: %w", err)
	}
	if have == 0 {
		if err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			_, err := a.store.ImportTopics(ctx, tx, m.ID, topics)
			return err
		}); err != nil {
			return fmt.Errorf("demo classifier: %w", err)
		}
	}
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeals WHERE municipality_id = ?`, m.ID).Scan(&n); err != nil {
		return fmt.Errorf("demo appeals: %w", err)
	}
	if n == 0 {
		if err := a.demoAppeals(ctx, m, topics, 320); err != nil {
			return fmt.Errorf("demo appeals: %w", err)
		}
		// Appeals that came through МЭДО were forwarded by another body.
		if _, err := a.DB.Exec(ctx, `UPDATE appeals SET received_from = ? WHERE municipality_id = ? AND channel = 'medo'`, demoForwarder, m.ID); err != nil {
			return fmt.Errorf("demo appeals: %w", err)
		}
	}
	if err := a.demoReceptions(ctx, m); err != nil {
		return fmt.Errorf("demo receptions: %w", err)
	}
	// Published reports for the four quarters before the current one.
	today := a.Today(m)
	from, _ := QuarterOf(today)
	for range 4 {
		from, _ = PreviousQuarter(from)
		_, to := QuarterOf(from)
		var exists int
		if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_reports WHERE municipality_id = ? AND period_from = ?`, m.ID, from.String()).Scan(&exists); err != nil {
			return fmt.Errorf("demo reports: %w", err)
		}
		if exists == 0 {
			if _, err := a.MakeReport(ctx, m, from, to, Actor{}, true); err != nil {
				return fmt.Errorf("demo report %s: %w", from, err)
			}
		}
	}
	return nil
}

func (a *Area) demoAppeals(ctx context.Context, m tenant.Municipality, topics []Topic, count int) error {
	rng := rand.New(rand.NewPCG(2018, 118))
	cal, err := a.Calendar(ctx, m.ID)
	if err != nil {
		return err
	}
	today := a.Today(m)
	qFrom, _ := QuarterOf(today)
	for range 4 {
		qFrom, _ = PreviousQuarter(qFrom)
	}
	span := 0
	for d := qFrom; !d.After(today); d = d.AddDays(1) {
		span++
	}
	var questions []string
	for _, t := range topics {
		if t.Level == 4 {
			questions = append(questions, t.Code)
		}
	}
	depts := map[string]tenant.Department{}
	for _, ds := range demoDepartmentFor {
		for _, slug := range ds {
			if d, err := a.Tenants.DepartmentBySlug(ctx, m.ID, slug); err == nil {
				depts[slug] = d
			}
		}
	}
	var residentID int64
	if acc, err := a.People.ByEmail(ctx, m.ID, "resident@vpyshma.demo"); err == nil {
		residentID = acc.ID
	} else if !errors.Is(err, db.ErrNotFound) {
		return err
	}
	// Registration dates first, so that numbers run in date order.
	type plan struct{ reg deadline.Date }
	plans := make([]plan, count)
	for i := range plans {
		plans[i].reg = cal.WorkingDayOnOrAfter(qFrom.AddDays(rng.IntN(span)))
		if plans[i].reg.After(today) {
			plans[i].reg = today
		}
	}
	sort.Slice(plans, func(i, j int) bool { return plans[i].reg.Before(plans[j].reg) })
	channels := []string{"electronic", "electronic", "electronic", "written", "written", "oral", "medo"}
	kinds := []string{"statement", "statement", "statement", "proposal", "complaint", "complaint"}
	results := []string{"explained", "explained", "explained", "supported", "supported_measures", "not_supported", "site_visit"}
	system := Actor{Display: "Отдел по работе с обращениями граждан"}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		for i, p := range plans {
			q := questions[rng.IntN(len(questions))]
			texts := demoTexts[q]
			text := "Прошу рассмотреть мой вопрос и дать ответ по существу."
			if len(texts) > 0 {
				text = texts[rng.IntN(len(texts))]
			}
			recv := p.reg.AddDays(-rng.IntN(3))
			ap := Appeal{MunicipalityID: m.ID, Channel: channels[rng.IntN(len(channels))], Kind: kinds[rng.IntN(len(kinds))], Status: StatusRegistered,
				ReceivedOn: recv, RegisteredOn: p.reg, Due: ComputeDue(cal, a.cfg.Rules, recv, p.reg), Addressee: "Администрация",
				Author: demoPerson(rng), Text: text, QuestionCode: q, Repeated: rng.IntN(12) == 0}
			if rng.IntN(15) == 0 {
				ap.Collective = true
				ap.Cosigners = []string{"Жители дома (подписи 24 человек)"}
			}
			if ap.Channel == "electronic" {
				ap.ConsentAt = time.Date(p.reg.Year, p.reg.Month, p.reg.Day, 5, 0, 0, 0, time.UTC)
				if i%9 == 0 && residentID != 0 {
					ap.AccountID = residentID
					ap.Author = Author{LastName: "Жителев", FirstName: "Пётр", MiddleName: "Иванович", Email: "resident@vpyshma.demo"}
				}
			}
			if err := a.store.Create(ctx, tx, &ap, a.cfg.NumberFormat); err != nil {
				return err
			}
			if err := a.store.AddEntry(ctx, tx, ap.ID, 0, system.Display, "received", StatusReceived, "Поступило "+recv.Russian()+": "+ChannelLabel(ap.Channel), true); err != nil {
				return err
			}
			if err := a.store.AddEntry(ctx, tx, ap.ID, 0, system.Display, string(ActRegister), StatusRegistered, "Регистрационный номер "+ap.Number, true); err != nil {
				return err
			}
			age := 0
			for d := p.reg; d.Before(today); d = d.AddDays(1) {
				age++
			}
			slugs := demoDepartmentFor[Section(q)]
			if d, ok := depts[slugs[rng.IntN(len(slugs))]]; ok && (age > 2 || rng.IntN(2) == 0) {
				ap.Status, ap.DepartmentID = StatusAssigned, d.ID
				if err := a.store.AddEntry(ctx, tx, ap.ID, 0, system.Display, string(ActAssign), StatusAssigned, "Исполнитель: "+d.Name, true); err != nil {
					return err
				}
			}
			closeOn := func(days int) deadline.Date {
				d := p.reg.AddDays(days)
				if d.After(today) {
					d = today
				}
				return cal.WorkingDayOnOrAfter(d)
			}
			roll := rng.IntN(100)
			switch {
			case age > 35 && roll < 6:
				ap.Status, ap.Result, ap.ForwardedTo, ap.ClosedOn = StatusForwarded, "forwarded", "Министерство энергетики и ЖКХ Свердловской области", closeOn(3+rng.IntN(4))
			case age > 35 && roll < 9:
				ap.Status, ap.Result, ap.CloseGround, ap.ClosedOn = StatusLeft, "left_unanswered", "no_substance", closeOn(5)
			case age > 35 && roll < 13 && ap.DepartmentID != 0:
				// Overdue: still open long after its deadline.
				ap.Status = StatusDrafted
				ap.Answer, ap.Result = "Проект ответа готовится.", "explained"
			case (age > 35 || (age > 10 && roll < 50)) && ap.DepartmentID != 0:
				ap.Status, ap.Result = StatusAnswered, results[rng.IntN(len(results))]
				ap.Answer = "Ваше обращение рассмотрено. Сообщаем, что по изложенному вопросу приняты меры в пределах полномочий администрации; подробности — в тексте письма."
				ap.ClosedOn = closeOn(10 + rng.IntN(24))
				ap.Late = ap.ClosedOn.After(ap.Due.AnswerBy)
			case age > 5 && roll < 70 && ap.DepartmentID != 0:
				ap.Status, ap.Answer, ap.Result = StatusDrafted, "Проект ответа: вопрос изучается, направлен запрос в управляющую компанию.", "explained"
			}
			if ap.Status != StatusRegistered && ap.Status != StatusAssigned {
				if err := a.store.Save(ctx, tx, &ap); err != nil {
					return err
				}
				if err := a.store.AddEntry(ctx, tx, ap.ID, 0, system.Display, demoAction(ap.Status), ap.Status, "", true); err != nil {
					return err
				}
			} else if ap.DepartmentID != 0 {
				if err := a.store.Save(ctx, tx, &ap); err != nil {
					return err
				}
			}
		}
		return a.demoNewPaths(ctx, tx, m, cal, today, system)
	})
}

// demoNewPaths adds one appeal under each path of the law the random ones do
// not show: an anonymous written appeal (ч. 1 ст. 11), a call to the hotline
// with a phone number only, an answer published for an indefinite circle of
// persons (ч. 4 ст. 10) and an appeal closed with the link to it (ч. 5.1
// ст. 11). The people are invented.
func (a *Area) demoNewPaths(ctx context.Context, tx *db.Tx, m tenant.Municipality, cal deadline.Calendar, today deadline.Date, system Actor) error {
	add := func(ap *Appeal, reg deadline.Date) error {
		ap.MunicipalityID, ap.Status, ap.ReceivedOn, ap.RegisteredOn = m.ID, StatusRegistered, reg, reg
		ap.Due, ap.Addressee = ComputeDue(cal, a.cfg.Rules, reg, reg), "Администрация"
		if err := a.store.Create(ctx, tx, ap, a.cfg.NumberFormat); err != nil {
			return err
		}
		if err := a.store.AddEntry(ctx, tx, ap.ID, 0, system.Display, "received", StatusReceived, "Поступило "+reg.Russian()+": "+ChannelLabel(ap.Channel), true); err != nil {
			return err
		}
		return a.store.AddEntry(ctx, tx, ap.ID, 0, system.Display, string(ActRegister), StatusRegistered, "Регистрационный номер "+ap.Number, true)
	}
	reg := cal.AddWorkingDays(today, -2)
	anon := &Appeal{Channel: "written", Kind: "complaint", Text: "Письмо без подписи и обратного адреса: во дворе дома по ул. Кривоусова ночью шумят автомобили."}
	if err := add(anon, reg); err != nil {
		return err
	}
	call := &Appeal{Channel: "phone", Kind: "statement", Author: Author{Phone: "+7 343 680-00-00"}, Text: "Звонок на справочную линию: не горит уличный фонарь у остановки «Площадь»."}
	if err := add(call, reg); err != nil {
		return err
	}
	call.AnswerMethod = "phone" // the caller asked to be called back
	if err := a.store.saveExtras(ctx, tx, call); err != nil {
		return err
	}
	// Art. 10 p. 4: an answered appeal on a question of every resident,
	// published without personal data.
	oldReg := cal.AddWorkingDays(today, -25)
	pub := &Appeal{Channel: "written", Kind: "complaint", Author: Author{LastName: "Примерова", FirstName: "Анна", PostalAddress: "624090, г. Верхняя Пышма, ул. Вымышленная, 1"},
		Text: "Почему в городе не вывозят мусор по графику?"}
	if err := add(pub, oldReg); err != nil {
		return err
	}
	pub.Status, pub.Result, pub.ClosedOn = StatusAnswered, "explained", cal.AddWorkingDays(oldReg, 10)
	pub.Answer = "График вывоза твёрдых коммунальных отходов утверждён региональным оператором; с 1-го числа следующего месяца вывоз ведётся ежедневно."
	if err := a.store.Save(ctx, tx, pub); err != nil {
		return err
	}
	if err := a.store.AddEntry(ctx, tx, pub.ID, 0, system.Display, string(ActAnswer), StatusAnswered, "Ответ направлен почтой по адресу, указанному в обращении", true); err != nil {
		return err
	}
	var answerID int64
	answerID, err := db.InsertID(ctx, tx, `INSERT INTO appeal_published_answers (municipality_id, appeal_id, question, answer, published_on, published_at) VALUES (?, ?, ?, ?, ?, ?)`,
		m.ID, pub.ID, "О графике вывоза мусора в городе", pub.Answer, pub.ClosedOn.String(), a.DB.Now())
	if err != nil {
		return err
	}
	if err := a.store.AddEntry(ctx, tx, pub.ID, 0, system.Display, "publish_answer", StatusAnswered, "Ответ размещён на портале без персональных данных (ч. 4 ст. 10 Федерального закона № 59-ФЗ)", true); err != nil {
		return err
	}
	// Art. 11 p. 5.1: the same question again, answered with the link.
	again := &Appeal{Channel: "written", Kind: "statement", Author: Author{LastName: "Образцов", FirstName: "Олег", PostalAddress: "624090, г. Верхняя Пышма, ул. Придуманная, 2"},
		Text: "Прошу сообщить график вывоза мусора."}
	if err := add(again, reg); err != nil {
		return err
	}
	g, _ := GroundByCode("published")
	link := fmt.Sprintf("/appeals/answers#answer-%d", answerID)
	letter, err := renderLetter(g, *again, link)
	if err != nil {
		return err
	}
	again.Status, again.Result, again.CloseGround, again.ClosedOn = StatusLeft, "left_unanswered", g.Code, today
	if err := a.store.Save(ctx, tx, again); err != nil {
		return err
	}
	return a.store.AddEntry(ctx, tx, again.ID, 0, system.Display, string(ActClose), StatusLeft, g.Basis+": "+g.Title+". Сообщение заявителю направлено в семидневный срок. "+letter, true)
}

func demoAction(s Status) string {
	switch s {
	case StatusForwarded:
		return string(ActForward)
	case StatusLeft:
		return string(ActClose)
	case StatusDrafted:
		return string(ActDraft)
	default:
		return string(ActAnswer)
	}
}

// demoForwarder is the body the demo's МЭДО appeals came from.
const demoForwarder = "Правительство Свердловской области (демонстрационные данные)"

// demoReceptions records a personal reception on the 10th of each of the
// last fifteen months, once; the officials are invented.
func (a *Area) demoReceptions(ctx context.Context, m tenant.Municipality) error {
	var n int
	if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_receptions WHERE municipality_id = ?`, m.ID).Scan(&n); err != nil || n > 0 {
		return err
	}
	today := a.Today(m)
	officials := []string{"Глава городского округа (демонстрационные данные)", "Заместитель главы администрации (демонстрационные данные)"}
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		for i := 0; i < 15; i++ {
			held := deadline.NewDate(today.Year, today.Month-time.Month(i), 10)
			if held.After(today) {
				continue
			}
			citizens := 2 + (i*5)%7
			rc := Reception{HeldOn: held, Official: officials[i%2], Citizens: citizens, Questions: citizens + i%3}
			if err := a.store.AddReception(ctx, tx, m.ID, 0, &rc); err != nil {
				return err
			}
		}
		return nil
	})
}
