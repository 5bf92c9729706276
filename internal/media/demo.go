package media

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/events"
	"github.com/glasnost/glasnost/internal/tenant"
)

var demoTopics = []struct{ Topic, Channel, Material string }{
	{"Итоги работы администрации за год", "press_conference", "Пресс-релиз, фоторепортаж, видеозапись"},
	{"Ремонт дорог к школам", "site", "Новость с картой участков"},
	{"Приём документов в первые классы", "social", "Памятка для родителей"},
	{"Благоустройство набережной", "tv", "Сюжет местного телевидения"},
	{"Отчёт главы перед жителями", "newspaper", "Интервью главы"},
	{"Подготовка к паводку", "briefing", "Брифинг главы и МЧС"},
	{"Летний отдых детей", "radio", "Эфир с начальником управления образования"},
	{"Конкурс «Учитель года»", "site", "Новость и фотогалерея"},
}

// Demo loads the area's demo content: the media plan of the current year
// with its control, three monitored sources served by the portal itself,
// mentions with tonality, a weekly report, a digest, requests in every
// state and the accreditation register. It is idempotent: it does nothing
// when the plan of the year exists.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	today := a.today(m)
	year := today.Year()
	if _, err := PlanOfYear(ctx, a.DB, m.ID, year); err == nil {
		return nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return err
	}
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	var news []Publication
	if news, err = WeekNews(ctx, a.DB, m.ID, time.Date(year-1, 1, 1, 0, 0, 0, 0, time.UTC), a.DB.Now().Add(time.Hour)); err != nil {
		return err
	}
	now := a.DB.Now()
	sys := audit.Entry{MunicipalityID: m.ID, Actor: "демонстрационные данные"}
	err = a.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := a.demoPlan(ctx, tx, m, year, today, depts, news, now, sys); err != nil {
			return fmt.Errorf("plan: %w", err)
		}
		if err := a.demoMonitoring(ctx, tx, m.ID, now); err != nil {
			return fmt.Errorf("monitoring: %w", err)
		}
		return a.demoRequests(ctx, tx, m, today, sys)
	})
	if err != nil {
		return fmt.Errorf("media demo: %w", err)
	}
	last := MondayOf(today).AddDate(0, 0, -7).Format(time.DateOnly)
	if _, err := a.weekReport(ctx, m, last, false); err != nil {
		return fmt.Errorf("media demo report: %w", err)
	}
	if _, err := a.weekDigest(ctx, m, last, false); err != nil {
		return fmt.Errorf("media demo digest: %w", err)
	}
	return nil
}

func (a *Area) demoPlan(ctx context.Context, tx *db.Tx, m tenant.Municipality, year int, today time.Time, depts []tenant.Department,
	news []Publication, now time.Time, sys audit.Entry) error {
	p := Plan{Year: year, Title: fmt.Sprintf("Медиаплан администрации городского округа на %d год", year), ActNumber: "12-р",
		ActDate: fmt.Sprintf("%d-01-15", year), ActURL: "/acts"}
	if err := CreatePlan(ctx, tx, m.ID, &p, now); err != nil {
		return err
	}
	approved := time.Date(year, 1, 15, 6, 0, 0, 0, time.UTC)
	if approved.After(now) {
		approved = now
	}
	p.ApprovedAt = &approved
	if err := UpdatePlan(ctx, tx, m.ID, p, now); err != nil {
		return err
	}
	if err := events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: events.MediaPlanApproved, ObjectType: "media_plan",
		ObjectID: strconv.FormatInt(p.ID, 10), Title: p.Title + " (утверждён распоряжением № 12-р)", URL: "/media", OccurredAt: approved}); err != nil {
		return err
	}
	this := MondayOf(today)
	_, cw := today.ISOWeek()
	if today.Year() != year {
		cw = 1
	}
	weeks := map[int]bool{cw: true}
	if cw > 1 {
		weeks[cw-1] = true
	}
	for w := 2; w <= weeksIn(year); w += 3 {
		weeks[w] = true
	}
	n := 0
	for w := 1; w <= weeksIn(year); w++ {
		if !weeks[w] {
			continue
		}
		monday := WeekMonday(year, w)
		per := 1
		if w == cw || w == cw-1 {
			per = 3
		}
		for k := 0; k < per; k++ {
			t := demoTopics[(n+k)%len(demoTopics)]
			if w == cw && k == 0 {
				t = demoTopics[1] // matches a monitored publication of this week
			}
			it := Item{PlanID: p.ID, Topic: t.Topic, Channel: t.Channel, WeekStart: monday.Format(time.DateOnly), Material: t.Material}
			if k == 1 {
				it.PlannedDate = monday.AddDate(0, 0, 2).Format(time.DateOnly)
			}
			if len(depts) > 0 {
				it.DepartmentID = depts[(n+k)%len(depts)].ID
			}
			if err := SaveItem(ctx, tx, m.ID, &it, now); err != nil {
				return err
			}
			if !monday.Before(this) {
				continue
			}
			switch {
			case (n+k)%7 == 3 || w == cw-1 && k == 1:
				it.Status, it.StatusReason, it.MovedTo = StatusMoved, "Глава в командировке, перенесено по согласованию", monday.AddDate(0, 0, 9).Format(time.DateOnly)
			case (n+k)%11 == 5:
				it.Status, it.StatusReason = StatusCancelled, "Мероприятие отменено организаторами"
			default:
				it.Status = StatusDone
				if len(news) > 0 {
					pub := news[(n+k)%len(news)]
					it.PublicationURL, it.PublicationTitle = pub.URL, pub.Title
				} else {
					it.PublicationURL, it.PublicationTitle = "https://krasnoe-znamya.example/news/"+strconv.Itoa(n+k), t.Topic
				}
			}
			if err := SetItemControl(ctx, tx, m.ID, it, now); err != nil {
				return err
			}
		}
		n += per
	}
	e := sys
	e.Action, e.Entity, e.EntityID = "approve", "media_plan", strconv.FormatInt(p.ID, 10)
	return audit.Write(ctx, tx, now, e)
}

func (a *Area) demoMonitoring(ctx context.Context, tx *db.Tx, munID int64, now time.Time) error {
	var rules []Rule
	for _, r := range []Rule{{Phrase: "Верхняя Пышма", Topic: "Город"}, {Phrase: "глава округа", Topic: "Глава"},
		{Phrase: "дороги", Topic: "Дороги"}, {Phrase: "мусор", Topic: "ЖКХ"}, {Phrase: "школа", Topic: "Образование"}} {
		if err := CreateRule(ctx, tx, munID, &r, now); err != nil {
			return err
		}
		rules = append(rules, r)
	}
	matcher := NewMatcher(rules)
	base := strings.TrimSuffix(a.BaseURL, "/")
	for _, f := range demoFeeds {
		s := Source{Title: f.Title, URL: base + "/media/demo-feeds/" + f.Name}
		if err := CreateSource(ctx, tx, munID, &s, now); err != nil {
			return err
		}
		_, entries, err := ParseFeed(renderDemoFeed(f, now))
		if err != nil {
			return err
		}
		if err := RecordFetch(ctx, tx, munID, s, now, now.Add(FetchEvery), nil); err != nil {
			return err
		}
		if _, err := ingest(ctx, tx, munID, s.ID, entries, matcher, now); err != nil {
			return err
		}
	}
	// Staff rated most mentions; two wait for a decision.
	for word, tone := range map[string]string{"Жители жалуются%": Negative, "Скандал%": Negative, "%детский сад": Positive,
		"Благоустройство%": Positive, "Глава округа%": Neutral, "%наградили%": Positive, "%дороги к школам": Neutral} {
		if _, err := tx.Exec(ctx, `UPDATE media_mentions SET tonality = ?, tonality_by = 'press@vpyshma.demo', tonality_at = ? WHERE municipality_id = ? AND title LIKE ?`,
			tone, now, munID, word); err != nil {
			return err
		}
	}
	return nil
}

func (a *Area) demoRequests(ctx context.Context, tx *db.Tx, m tenant.Municipality, today time.Time, sys audit.Entry) error {
	day := func(n int) string { return today.AddDate(0, 0, -n).Format(time.DateOnly) }
	for _, acc := range []Accreditation{
		{Outlet: "Газета «Красное знамя»", Person: "Смирнова Ольга Петровна", ValidFrom: fmt.Sprintf("%d-01-01", today.Year()), ValidTo: fmt.Sprintf("%d-12-31", today.Year()), Status: "active"},
		{Outlet: "Телеканал «ВП-ТВ»", Person: "Кузнецов Игорь Андреевич", ValidFrom: fmt.Sprintf("%d-01-01", today.Year()-1), ValidTo: fmt.Sprintf("%d-12-31", today.Year()-1), Status: "active"},
	} {
		if err := CreateAccreditation(ctx, tx, m.ID, &acc, a.DB.Now()); err != nil {
			return err
		}
	}
	type demoReq struct {
		r       Request
		ago     int
		status  string
		draft   string
		notice  *Notice
		publish bool
		remarks string
	}
	list := []demoReq{
		{r: Request{Outlet: "Газета «Красное знамя»", Certificate: "ПИ № ТУ66-00123", Journalist: "Смирнова Ольга Петровна", Contact: "smirnova@krasnoe-znamya.example",
			Question: "Сколько километров дорог будет отремонтировано в этом году и на какие средства?"}, ago: 12, status: ReqAnswered,
			draft: "В этом году будет отремонтировано 14,2 км дорог: 9,8 км за счёт областного бюджета и 4,4 км за счёт местного. Перечень участков опубликован на портале в разделе «Новости».", publish: true},
		{r: Request{Outlet: "Телеканал «ВП-ТВ»", Journalist: "Кузнецов Игорь Андреевич", Contact: "+7 343 680-00-00",
			Question: "Когда откроется детский сад в микрорайоне Центральный?"}, ago: 1, status: ReqRegistered},
		{r: Request{Outlet: "Интернет-издание «Пышма.ру»", Journalist: "Орлов Денис Сергеевич", Contact: "orlov@pyshma.example",
			Question: "Каков бюджет празднования Дня города?"}, ago: 3, status: ReqReview, draft: "Бюджет празднования составляет 2,1 млн рублей, смета опубликована на портале."},
		{r: Request{Outlet: "Газета «Красное знамя»", Journalist: "Смирнова Ольга Петровна", Contact: "smirnova@krasnoe-znamya.example",
			Question: "Сколько жалоб на вывоз мусора поступило за квартал?"}, ago: 5, status: ReqReturned, draft: "Поступило много жалоб.", remarks: "Укажите точное число и принятые меры."},
		{r: Request{Outlet: "Радио «Пышма FM»", Journalist: "Белова Анна Викторовна", Contact: "belova@radio.example",
			Question: "Какие подрядчики выполняли ремонт школы № 2 и во сколько он обошёлся?"}, ago: 2, status: ReqDeferred,
			notice: &Notice{Kind: NoticeDeferral, Reason: "Акты приёмки работ ещё не подписаны", Until: today.AddDate(0, 0, 14).Format(time.DateOnly), Official: "Глава городского округа И. В. Соломин"}},
		{r: Request{Outlet: "Блог «Городские слухи»", Journalist: "Аноним", Contact: "gossip@example.org",
			Question: "Сообщите домашние адреса сотрудников администрации."}, ago: 9, status: ReqRefused,
			notice: &Notice{Kind: NoticeRefusal, Reason: "Запрошены персональные данные, доступ к которым ограничен федеральным законом (ст. 40 Закона о СМИ, Федеральный закон № 152-ФЗ)", Official: "Глава городского округа И. В. Соломин"}},
	}
	for _, d := range list {
		r := d.r
		r.ReceivedOn, r.Channel = day(d.ago), "email"
		e := sys
		e.Action, e.Entity = "create", "media_request"
		if err := a.RegisterRequestQuiet(ctx, tx, m, &r, e); err != nil {
			return err
		}
		if d.notice != nil {
			r.NoticeKind, r.NoticeReason, r.NoticeUntil, r.NoticeOfficial = d.notice.Kind, d.notice.Reason, d.notice.Until, d.notice.Official
			r.NoticeText = NoticeLetter(m.Name, r, *d.notice)
			r.Status = d.status
			if d.status == ReqDeferred {
				r.AnswerBy = d.notice.Until
			}
			if err := SaveNotice(ctx, tx, m.ID, r, a.DB.Now()); err != nil {
				return err
			}
		}
		if d.draft != "" {
			r.Draft, r.DraftedBy = d.draft, "Иван Редактор (editor@vpyshma.demo)"
			if err := SaveDraft(ctx, tx, m.ID, r, a.DB.Now()); err != nil {
				return err
			}
			if d.status == ReqAnswered || d.status == ReqReturned {
				r.Status, r.CheckedBy, r.Remarks = d.status, "Мария Пресс-секретарь (press@vpyshma.demo)", d.remarks
				if d.status == ReqAnswered {
					r.Answer = d.draft
				}
				at := today.AddDate(0, 0, -d.ago+4).Add(9 * time.Hour)
				if err := SaveCheck(ctx, tx, m.ID, r, at); err != nil {
					return err
				}
			}
			if d.status == ReqAnswered {
				if err := events.Record(ctx, tx, events.Event{MunicipalityID: m.ID, Kind: events.MediaRequestAnswered, ObjectType: "media_request",
					ObjectID: strconv.FormatInt(r.ID, 10), Title: "Дан ответ на запрос СМИ № " + r.Number, URL: "/media", OccurredAt: a.DB.Now()}); err != nil {
					return err
				}
			}
		}
		if d.publish {
			if err := SetPublished(ctx, tx, m.ID, r.ID, true); err != nil {
				return err
			}
		}
	}
	return nil
}
