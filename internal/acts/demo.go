package acts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os/exec"
	"strconv"
	"time"

	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/files"
	"github.com/glasnost/glasnost/internal/tenant"
)

// demoAct is an act of the demo register. Links name other demo acts by key.
type demoAct struct {
	Key     string
	Kind    string
	Number  string
	Date    string
	Title   string
	Dept    string
	Spheres []string
	Text    string
	Amends  []string
	Repeals []string
	Expl    []demoExplanation
}

type demoExplanation struct {
	Format   string
	Title    string
	Body     string
	VideoURL string
	Bars     []int // infographic: bar heights, 0–100
}

// Demo loads the register of the Verkhnyaya Pyshma administration: acts
// from 2018 to the present month, a handful written out in full with
// explanations in all five formats, links that amend and repeal, and two
// reviews of law-enforcement practice. Acts that exist are left alone, so
// running it twice changes nothing. Audio is made at once when espeak-ng is
// installed; otherwise the queued jobs make it when the workers run.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	ac := Actor{MunicipalityID: m.ID, Name: "демонстрационные данные"}
	depts, err := a.Tenants.Departments(ctx, m.ID)
	if err != nil {
		return err
	}
	deptID := map[string]int64{}
	for _, d := range depts {
		deptID[d.Slug] = d.ID
	}
	spheres, err := a.Store.SphereIDs(ctx, a.DB, m.ID)
	if err != nil {
		return err
	}
	now := a.DB.Now()
	list := append(demoFullActs(), demoGeneratedActs(now)...)
	ids := map[string]int64{}
	created := map[string]bool{}
	for _, d := range list {
		if d.Date > now.Format(time.DateOnly) {
			continue
		}
		id, err := a.Store.FindAct(ctx, a.DB, m.ID, d.Kind, d.Number, d.Date)
		if err == nil {
			ids[d.Key] = id
			continue
		}
		if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		var sp []string
		for _, s := range d.Spheres {
			if _, ok := spheres[s]; ok {
				sp = append(sp, s)
			}
		}
		date, _ := time.Parse(time.DateOnly, d.Date)
		act := Act{Kind: d.Kind, Number: d.Number, Date: d.Date, Title: d.Title, Status: StatusInForce, DepartmentID: deptID[d.Dept],
			Text: d.Text, Spheres: sp, Published: true, PublishedAt: date.Add(2*24*time.Hour + 9*time.Hour)}
		if err := a.DB.InTx(ctx, func(tx *db.Tx) error { return a.SaveAct(ctx, tx, ac, nil, &act) }); err != nil {
			return fmt.Errorf("demo act %s: %w", d.Key, err)
		}
		ids[d.Key], created[d.Key] = act.ID, true
		for i, e := range d.Expl {
			if err := a.demoExplanation(ctx, ac, &act, e, i); err != nil {
				return fmt.Errorf("demo explanation of %s: %w", d.Key, err)
			}
		}
	}
	// Links once every act exists, oldest first, so that statuses follow.
	for _, d := range list {
		if !created[d.Key] {
			continue
		}
		for kind, targets := range map[string][]string{LinkAmends: d.Amends, LinkRepeals: d.Repeals} {
			for _, t := range targets {
				if ids[t] == 0 {
					continue
				}
				err := a.DB.InTx(ctx, func(tx *db.Tx) error {
					from, err := a.Store.GetAct(ctx, tx, m.ID, ids[d.Key])
					if err != nil {
						return err
					}
					to, err := a.Store.GetAct(ctx, tx, m.ID, ids[t])
					if err != nil {
						return err
					}
					return a.AddLink(ctx, tx, ac, &from, &to, kind)
				})
				if err != nil && !errors.Is(err, ErrLinkExists) {
					return fmt.Errorf("demo link %s → %s: %w", d.Key, t, err)
				}
			}
		}
	}
	if err := a.demoReviews(ctx, ac, ids); err != nil {
		return err
	}
	return a.demoSpeech(ctx, m.ID)
}

func (a *Area) demoExplanation(ctx context.Context, ac Actor, act *Act, e demoExplanation, i int) error {
	x := Explanation{Format: e.Format, Title: e.Title, Body: e.Body, VideoURL: e.VideoURL, Published: true,
		PublishedAt: act.PublishedAt.Add(time.Duration(i+1) * 24 * time.Hour)}
	if e.Format == FormatInfographic {
		meta, err := a.Files.Save(ctx, ac.MunicipalityID, 0, "infografika.png", bytes.NewReader(DemoChart(e.Bars)), files.PNG)
		if err != nil {
			return err
		}
		x.FileID = meta.ID
	}
	if e.Format == FormatAudio {
		// An uploaded recording needs a synthesiser in the demo; without
		// one the text explanations still get their audio from the queue.
		if _, err := exec.LookPath(a.Espeak); err != nil {
			return nil
		}
		wav, err := Synthesize(ctx, a.Espeak, a.explText.Plain(e.Body))
		if err != nil {
			return err
		}
		meta, err := a.Files.Save(ctx, ac.MunicipalityID, 0, "obrashchenie.wav", bytes.NewReader(wav), files.WAV)
		if err != nil {
			return err
		}
		x.FileID = meta.ID
	}
	return a.DB.InTx(ctx, func(tx *db.Tx) error { return a.SaveExplanation(ctx, tx, ac, act, nil, &x) })
}

// demoSpeech runs the pending speech jobs at once, so that the demo plays
// audio from its first page view.
func (a *Area) demoSpeech(ctx context.Context, munID int64) error {
	if _, err := exec.LookPath(a.Espeak); err != nil {
		return nil
	}
	pending, err := a.Store.PendingAudio(ctx, a.DB, munID)
	if err != nil {
		return err
	}
	for _, id := range pending {
		src, err := a.Store.AudioSourceOf(ctx, a.DB, id)
		if err != nil {
			return err
		}
		if err := a.Speak(ctx, id, src.Hash); err != nil {
			return fmt.Errorf("demo speech: %w", err)
		}
	}
	return nil
}

func (a *Area) demoReviews(ctx context.Context, ac Actor, ids map[string]int64) error {
	for _, d := range demoReviewList() {
		var n int
		if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM practice_reviews WHERE municipality_id = ? AND title = ?`, ac.MunicipalityID, d.Title).Scan(&n); err != nil {
			return fmt.Errorf("find demo review: %w", err)
		}
		if n > 0 {
			continue
		}
		if d.From > a.DB.Now().Format(time.DateOnly) {
			continue
		}
		r := d.Review
		for _, k := range d.Acts {
			if ids[k] != 0 {
				r.ActIDs = append(r.ActIDs, ids[k])
			}
		}
		var dept int64
		if x, err := a.Tenants.DepartmentBySlug(ctx, ac.MunicipalityID, "legal"); err == nil {
			dept = x.ID
		}
		r.DepartmentID, r.Published = dept, true
		to, _ := time.Parse(time.DateOnly, r.To)
		r.PublishedAt = to.AddDate(0, 0, 40).Add(9 * time.Hour)
		if now := a.DB.Now(); r.PublishedAt.After(now) {
			r.PublishedAt = now
		}
		if err := a.DB.InTx(ctx, func(tx *db.Tx) error { return a.SaveReview(ctx, tx, ac, nil, &r) }); err != nil {
			return fmt.Errorf("demo review: %w", err)
		}
	}
	return nil
}

// DemoChart draws a bar chart as a PNG: the demo's infographics. The bars
// are the only content; the explanation's text alternative says what they
// mean.
func DemoChart(bars []int) []byte {
	const w, h, margin = 640, 360, 40
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{0xf7, 0xf9, 0xfc, 0xff}
	axis := color.RGBA{0x33, 0x33, 0x33, 0xff}
	palette := []color.RGBA{{0x1d, 0x4e, 0x89, 0xff}, {0x2e, 0x7d, 0x32, 0xff}, {0xb2, 0x6a, 0x00, 0xff}, {0x6a, 0x1b, 0x9a, 0xff}, {0x00, 0x69, 0x7c, 0xff}}
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			for x := max(x0, 0); x < min(x1, w); x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	fill(0, 0, w, h, bg)
	fill(margin, h-margin, w-margin, h-margin+2, axis)
	fill(margin, margin, margin+2, h-margin, axis)
	if len(bars) > 0 {
		slot := (w - 2*margin) / len(bars)
		for i, v := range bars {
			v = max(0, min(v, 100))
			top := h - margin - (h-2*margin)*v/100
			fill(margin+i*slot+slot/5, top, margin+(i+1)*slot-slot/5, h-margin, palette[i%len(palette)])
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// demoGeneratedActs are the everyday acts of an administration, several a
// year across the spheres, with numbers that grow through the year as
// registers' numbers do.
func demoGeneratedActs(now time.Time) []demoAct {
	type tpl struct {
		kind, dept, title string
		month, day        int
		spheres           []string
		every             int // 1: every year, 2: even years
	}
	tpls := []tpl{
		{"resolution", "education", "Об организации отдыха и оздоровления детей в каникулярное время в %d году", 2, 14, []string{"education", "social"}, 1},
		{"resolution", "deputy-general", "О временном ограничении движения транспортных средств по автомобильным дорогам местного значения в весенний период %d года", 3, 20, []string{"transport"}, 1},
		{"resolution", "deputy-general", "Об обеспечении первичных мер пожарной безопасности в весенне-летний пожароопасный период %d года", 4, 3, []string{"safety"}, 1},
		{"order", "housing", "О проведении весеннего месячника по санитарной очистке и благоустройству территории городского округа Верхняя Пышма в %d году", 4, 10, []string{"ecology", "urban"}, 1},
		{"resolution", "housing", "О подготовке объектов жилищно-коммунального хозяйства городского округа Верхняя Пышма к работе в отопительный период %d/%d годов", 5, 15, []string{"housing"}, 1},
		{"resolution", "education", "О закреплении муниципальных общеобразовательных организаций за территориями городского округа Верхняя Пышма на %d год", 1, 25, []string{"education"}, 1},
		{"order", "affairs", "О проведении праздничных мероприятий, посвящённых Дню города Верхняя Пышма, в %d году", 8, 1, []string{"culture"}, 1},
		{"resolution", "deputy-general", "Об обеспечении безопасности людей на водных объектах городского округа Верхняя Пышма в зимний период %d/%d годов", 11, 8, []string{"safety"}, 1},
		{"duma_decision", "finance", "О бюджете городского округа Верхняя Пышма на %d год и плановый период %d и %d годов", 12, 19, []string{"budget"}, 1},
		{"resolution", "economy", "О проведении Всероссийской массовой лыжной гонки «Лыжня России – %d» на территории городского округа Верхняя Пышма", 1, 30, []string{"sport"}, 2},
		{"resolution", "economy", "О проведении конкурса «Лучший предприниматель городского округа Верхняя Пышма» в %d году", 6, 5, []string{"economy"}, 2},
	}
	var out []demoAct
	for year := 2018; year <= now.Year(); year++ {
		for i, t := range tpls {
			if year%t.every != 0 {
				continue
			}
			date := time.Date(year, time.Month(t.month), t.day, 0, 0, 0, 0, time.UTC)
			if date.After(now) {
				continue
			}
			var title string
			switch t.kind + "/" + strconv.Itoa(t.month) {
			case "resolution/5", "resolution/11":
				title = fmt.Sprintf(t.title, year, year+1)
			case "duma_decision/12":
				title = fmt.Sprintf(t.title, year+1, year+2, year+3)
			default:
				title = fmt.Sprintf(t.title, year)
			}
			// Registers number acts through the year; the administration
			// signs more resolutions each year (about 3 a day in 2018, 7 in 2025).
			number := strconv.Itoa(int(float64(date.YearDay())*(2.9+0.6*float64(year-2018))) + i)
			switch t.kind {
			case "order":
				number = strconv.Itoa(int(float64(date.YearDay())*1.7) + i)
			case "duma_decision":
				number = fmt.Sprintf("%d/%d", (year-2018)*12+date.YearDay()/30, 3+i)
			}
			text := "В соответствии с Федеральным законом от 6 октября 2003 года № 131-ФЗ «Об общих принципах организации местного самоуправления в Российской Федерации», руководствуясь Уставом городского округа Верхняя Пышма,\n\n"
			if h := map[string]string{"resolution": "## ПОСТАНОВЛЯЕТ:\n\n", "duma_decision": "## Дума городского округа Верхняя Пышма РЕШИЛА:\n\n"}[t.kind]; h != "" {
				text += h
			}
			if t.kind == "duma_decision" {
				text += fmt.Sprintf("1. Утвердить бюджет городского округа Верхняя Пышма на %d год по доходам и расходам согласно приложениям 1–3.\n"+
					"2. Утвердить ведомственную структуру расходов на плановый период %d и %d годов (приложение 4).\n3. Опубликовать настоящее решение в газете «Красное знамя».", year+1, year+2, year+3)
			} else {
				text += "1. Утвердить план мероприятий (прилагается).\n2. Руководителям структурных подразделений администрации обеспечить выполнение плана в установленные сроки.\n" +
					"3. Опубликовать настоящий акт на официальном интернет-портале правовой информации городского округа Верхняя Пышма.\n4. Контроль за исполнением настоящего акта возложить на заместителя главы администрации по общим вопросам."
			}
			d := demoAct{Key: fmt.Sprintf("gen-%d-%d", year, i), Kind: t.kind, Number: number, Date: date.Format(time.DateOnly), Title: title, Dept: t.dept, Spheres: t.spheres, Text: text}
			// Each budget is amended once, in the summer of its year.
			if t.kind == "duma_decision" && year > 2018 {
				prev := fmt.Sprintf("gen-%d-%d", year-1, i)
				amend := time.Date(year, time.June, 27, 0, 0, 0, 0, time.UTC)
				if !amend.After(now) {
					out = append(out, demoAct{Key: fmt.Sprintf("amend-%d", year), Kind: "duma_decision", Number: fmt.Sprintf("%d/%d", (year-2018)*12+6, 2),
						Date: amend.Format(time.DateOnly), Title: fmt.Sprintf("О внесении изменений в решение Думы городского округа Верхняя Пышма «О бюджете городского округа Верхняя Пышма на %d год и плановый период %d и %d годов»", year, year+1, year+2),
						Dept: "finance", Spheres: []string{"budget"}, Amends: []string{prev},
						Text: "Дума городского округа Верхняя Пышма РЕШИЛА:\n\n1. Внести в решение Думы о бюджете городского округа изменения, увеличив расходы на содержание автомобильных дорог и ремонт образовательных организаций.\n2. Опубликовать настоящее решение в газете «Красное знамя»."})
				}
			}
			out = append(out, d)
		}
	}
	return out
}

// demoReview is a review with the keys of the demo acts it concerns.
type demoReview struct {
	Review
	Acts []string
}

func demoReviewList() []demoReview {
	return []demoReview{
		{Review: Review{Title: "Обзор правоприменительной практики администрации городского округа Верхняя Пышма за 2019 год", From: "2019-01-01", To: "2019-12-31",
			Text: "## Решения судов, вступившие в законную силу\n\nВ 2019 году вступили в законную силу 4 решения судов о признании незаконными решений и действий администрации и её должностных лиц.\n\n" +
				"1. **Отказ в предоставлении земельного участка без торгов.** Суд признал отказ незаконным: администрация сослалась на основание, не предусмотренное статьёй 39.16 Земельного кодекса Российской Федерации.\n" +
				"2. **Нарушение срока ответа на обращение гражданина.** Ответ направлен на 12-й день позже срока, установленного Федеральным законом № 59-ФЗ.\n" +
				"3. **Отказ в выдаче разрешения на строительство индивидуального жилого дома.** Уведомление о несоответствии параметров направлено без указания конкретных несоответствий.\n" +
				"4. **Бездействие по содержанию автомобильной дороги местного значения.** Суд обязал администрацию устранить выбоины на участке дороги по улице Менделеева.\n\n" +
				"## Принятые меры\n\n- Юридический отдел провёл занятие для специалистов по земельным отношениям и архитектуре.\n- Введён контроль сроков ответов на обращения в системе электронного документооборота.\n- Внесены изменения в административный регламент выдачи уведомлений о планируемом строительстве.\n- Ремонт дороги выполнен в июне 2020 года.",
		}, Acts: []string{"order118", "procedure"}},
		{Review: Review{Title: "Обзор правоприменительной практики за первое полугодие 2024 года", From: "2024-01-01", To: "2024-06-30",
			Text: "## Итоги полугодия\n\nЗа первое полугодие 2024 года вступили в законную силу 2 решения суда.\n\n" +
				"1. Признано недействительным постановление об отказе в переводе нежилого помещения в жилое: заявителю не предложили устранить недостатки документов.\n" +
				"2. Признано незаконным бездействие по организации вывоза снега с придомовой территории муниципального жилого дома.\n\n" +
				"## Меры по устранению причин\n\nУправление архитектуры и градостроительства пересмотрело перечень документов, которые запрашиваются у заявителя. Управление ЖКХ утвердило график вывоза снега и публикует его на портале.",
		}, Acts: []string{"improvement2022", "meals2023"}},
	}
}
