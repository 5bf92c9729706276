package polls

import (
	"context"
	"fmt"
	"time"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/tenant"
)

type demoSurvey struct {
	Title, Description string
	// Opens and Closes are days from today.
	Opens, Closes int
	Live          bool
	Questions     []Question
	Responses     int
	Texts         []string
}

var demoSurveys = []demoSurvey{
	{
		Title:       "Насколько полезен официальный сайт администрации",
		Description: "Мероприятие 2.2 дорожной карты открытости: расскажите, актуальна ли, полна ли и полезна ли информация на сайте и чего на нём не хватает. Опрос анонимный.",
		Opens:       -10, Closes: 30,
		Questions: []Question{
			{Kind: Single, Text: "Как часто вы заходите на сайт администрации?", Required: true, Options: []string{"Каждую неделю", "Раз в месяц", "Несколько раз в год", "Впервые"}},
			{Kind: Multiple, Text: "Какие разделы вы используете?", Options: []string{"Новости", "Правовые акты", "Обращения граждан", "Общественные обсуждения", "Открытые данные"}},
			{Kind: Scale, Text: "Насколько легко найти нужную информацию?", Required: true},
			{Kind: Matrix, Text: "Оцените информацию на сайте", Options: []string{"Плохо", "Удовлетворительно", "Хорошо"}, Rows: []string{"Актуальность", "Полнота", "Полезность"}},
			{Kind: Text, Text: "Какой информации вам не хватает на сайте?"},
		},
		Responses: 24,
		Texts:     []string{"Графики отключения воды по домам.", "Планы ремонта дорог на год.", "Контакты участковых."},
	},
	{
		Title:       "Благоустройство парка у Дворца культуры",
		Description: "Администрация выбирала, что сделать в первую очередь при благоустройстве парка. Опрос завершён, итоги опубликованы.",
		Opens:       -75, Closes: -25,
		Questions: []Question{
			{Kind: Single, Text: "Что сделать в первую очередь?", Required: true, Options: []string{"Освещение дорожек", "Детская площадка", "Скамейки и урны", "Спортивная площадка"}},
			{Kind: Multiple, Text: "Когда вы бываете в парке?", Options: []string{"Утром", "Днём", "Вечером", "В выходные"}},
			{Kind: Scale, Text: "Как вы оцениваете состояние парка сейчас?", Required: true},
			{Kind: Matrix, Text: "Насколько важны для вас", Required: true, Options: []string{"Не важно", "Важно", "Очень важно"}, Rows: []string{"Безопасность", "Чистота", "Тишина"}},
			{Kind: Text, Text: "Ваши предложения"},
		},
		Responses: 160,
		Texts:     []string{"Поставьте фонари у пруда.", "Нужен общественный туалет.", "Больше лавочек в тени.", "Площадка для выгула собак."},
	},
}

// Demo loads one running and one closed survey with generated answers, and
// handles a few of the residents' suggestions. It is idempotent.
func (a *Area) Demo(ctx context.Context, m tenant.Municipality) error {
	now := a.DB.Now()
	today := time.Date(m.Local(now).Year(), m.Local(now).Month(), m.Local(now).Day(), 0, 0, 0, 0, m.Location)
	for _, ds := range demoSurveys {
		var n int
		if err := a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM poll_surveys WHERE municipality_id = ? AND title = ?`, m.ID, ds.Title).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		s := Survey{Title: ds.Title, Description: ds.Description, Audience: Anyone, LiveResults: ds.Live,
			OpensAt: today.AddDate(0, 0, ds.Opens).UTC(), ClosesAt: today.AddDate(0, 0, ds.Closes).UTC()}
		// Answers are taken while the survey is open: the demo publishes it
		// with its period still running, answers, then restores the dates.
		closes := s.ClosesAt
		if !now.Before(closes) {
			s.ClosesAt = now.Add(time.Hour)
		}
		entry := audit.Entry{Actor: "демонстрационные данные"}
		err := a.DB.InTx(ctx, func(tx *db.Tx) error {
			id, err := a.Store.Create(ctx, tx, m.ID, s)
			if err != nil {
				return err
			}
			s.ID = id
			for _, q := range ds.Questions {
				q.SurveyID = id
				if _, err := a.Store.AddQuestion(ctx, tx, m.ID, q); err != nil {
					return err
				}
			}
			return a.Publish(ctx, tx, m.ID, s, entry)
		})
		if err != nil {
			return fmt.Errorf("demo survey: %w", err)
		}
		qs, err := a.Store.Questions(ctx, a.DB, s.ID)
		if err != nil {
			return err
		}
		for i := range ds.Responses {
			answers := demoAnswers(qs, i, ds.Texts)
			if _, err := a.Store.Submit(ctx, m.ID, s.ID, fmt.Sprintf("demo:%d", i), answers); err != nil {
				return fmt.Errorf("demo answers: %w", err)
			}
		}
		// Publish most free texts, leave one for the moderators.
		if _, err := a.DB.Exec(ctx, `UPDATE poll_answers SET status = ? WHERE survey_id = ? AND status = ? AND id NOT IN (SELECT MAX(id) FROM poll_answers WHERE survey_id = ? AND text <> '')`, Approved, s.ID, Pending, s.ID); err != nil {
			return err
		}
		if !closes.Equal(s.ClosesAt) {
			err := a.DB.InTx(ctx, func(tx *db.Tx) error {
				tx.AfterCommit(func() { a.Store.Forget(s.ID) })
				if _, err := tx.Exec(ctx, `UPDATE poll_surveys SET closes_at = ? WHERE id = ?`, closes, s.ID); err != nil {
					return err
				}
				s.ClosesAt = closes
				return a.PublishResults(ctx, tx, m.ID, s)
			})
			if err != nil {
				return err
			}
		}
	}
	return a.demoWishes(ctx, m)
}

// demoAnswers makes the i-th generated response: varied, deterministic.
func demoAnswers(qs []Question, i int, texts []string) []Answer {
	var out []Answer
	for qi, q := range qs {
		k := i*7 + qi*3 + i/5
		switch q.Kind {
		case Single:
			out = append(out, Answer{QuestionID: q.ID, Choice: (k % 7) % len(q.Options)})
		case Multiple:
			for o := range q.Options {
				if (i+o*o)%3 == 0 {
					out = append(out, Answer{QuestionID: q.ID, Choice: o})
				}
			}
		case Scale:
			out = append(out, Answer{QuestionID: q.ID, Choice: 2 + (k%9)/3 + (i % 2)})
		case Matrix:
			for r := range q.Rows {
				out = append(out, Answer{QuestionID: q.ID, Row: r, Choice: (k + r*(i%3)) % len(q.Options)})
			}
		case Text:
			if i%6 == 0 && len(texts) > 0 {
				out = append(out, Answer{QuestionID: q.ID, Choice: -1, Text: texts[(i/6)%len(texts)]})
			}
		}
	}
	return out
}

// demoWishes handles a few of the site's demo suggestions.
func (a *Area) demoWishes(ctx context.Context, m tenant.Municipality) error {
	decisions := []struct{ text, status, reason string }{
		{"Добавьте часы работы каждого подразделения.", WishAccepted, ""},
		{"Сделайте подписку на новости по почте.", WishAnswered, ""},
		{"Не хватает размера зарплаты по вакансиям.", WishDeclined, "Размер оплаты указывается в объявлении о конкурсе на каждую вакансию."},
	}
	for _, d := range decisions {
		var id int64
		err := a.DB.QueryRow(ctx, `SELECT f.id FROM site_feedback f LEFT JOIN poll_wishes w ON w.feedback_id = f.id WHERE f.municipality_id = ? AND f.suggestion = ? AND w.feedback_id IS NULL ORDER BY f.id LIMIT 1`, m.ID, d.text).Scan(&id)
		if err != nil {
			continue // no such suggestion, or already handled
		}
		if err := a.HandleWish(ctx, m.ID, id, d.status, d.reason, audit.Entry{Actor: "демонстрационные данные", Action: "polls.wish." + d.status}); err != nil {
			return err
		}
	}
	return nil
}
