package appeals

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/tenant"
	"github.com/glasnost/glasnost/internal/web"
)

// PublishedAnswer is an answer published on the portal under article 10
// part 4 of 59-FZ: the question and the answer as staff wrote them for
// everyone, with no personal data, and never the appeal's number or author.
type PublishedAnswer struct {
	ID          int64
	Question    string
	Answer      string
	PublishedOn deadline.Date
}

// Anchor is the answer's place on /appeals/answers, the link an article 11
// part 5.1 letter gives.
func (p PublishedAnswer) Anchor() string { return fmt.Sprintf("/appeals/answers#answer-%d", p.ID) }

// ValidatePublishedAnswer checks what staff publish; confirmed is the
// official's statement that the appeal concerns an indefinite circle of
// persons and the text holds no personal data.
func ValidatePublishedAnswer(question, answer string, confirmed bool) map[string]string {
	errs := map[string]string{}
	if q := strings.TrimSpace(question); q == "" || utf8.RuneCountInString(q) > 1000 {
		errs["question"] = "Сформулируйте вопрос без персональных данных (до 1000 символов)."
	}
	if msg := ValidateText(answer, 50000); msg != "" {
		errs["published_answer"] = "Напишите текст ответа для публикации."
	}
	if !confirmed {
		errs["indefinite"] = "Подтвердите, что обращение затрагивает интересы неопределённого круга лиц и текст не содержит персональных данных (ч. 4 ст. 10 Федерального закона № 59-ФЗ)."
	}
	return errs
}

// PublishAnswer publishes the answer of an answered appeal on the portal.
func (a *Area) PublishAnswer(ctx context.Context, m tenant.Municipality, number, question, answer string, confirmed bool, actor Actor) (PublishedAnswer, error) {
	var out PublishedAnswer
	if errs := ValidatePublishedAnswer(question, answer, confirmed); len(errs) > 0 {
		return out, FieldErrors(errs)
	}
	munID := m.ID
	err := a.DB.InTx(ctx, func(tx *db.Tx) error {
		ap, err := a.store.ByNumber(ctx, tx, munID, number)
		if err != nil {
			return err
		}
		if ap.Status != StatusAnswered {
			return ErrWrongState
		}
		out = PublishedAnswer{Question: strings.TrimSpace(question), Answer: strings.TrimSpace(answer), PublishedOn: a.Today(m)}
		out.ID, err = db.InsertID(ctx, tx, `INSERT INTO appeal_published_answers (municipality_id, appeal_id, question, answer, published_on, published_at) VALUES (?, ?, ?, ?, ?, ?)`,
			munID, ap.ID, out.Question, out.Answer, out.PublishedOn.String(), a.DB.Now())
		if err != nil {
			return fmt.Errorf("publish answer: %w", err)
		}
		if err := a.store.AddEntry(ctx, tx, ap.ID, actor.AccountID, actor.Display, "publish_answer", ap.Status, "Ответ размещён на портале без персональных данных (ч. 4 ст. 10 Федерального закона № 59-ФЗ)", true); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a.DB.Now(), actor.auditEntry(munID, "appeal.answer_published", ap.Number, nil, map[string]any{"published_answer": out.ID}))
	})
	return out, err
}

// PublishedAnswers lists a page of published answers, newest first.
func (s *Store) PublishedAnswers(ctx context.Context, munID int64, limit, offset int) ([]PublishedAnswer, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_published_answers WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count published answers: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT id, question, answer, published_on FROM appeal_published_answers WHERE municipality_id = ? ORDER BY published_on DESC, id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list published answers: %w", err)
	}
	defer rows.Close()
	var out []PublishedAnswer
	for rows.Next() {
		var p PublishedAnswer
		var on string
		if err := rows.Scan(&p.ID, &p.Question, &p.Answer, &on); err != nil {
			return nil, 0, err
		}
		p.PublishedOn = dateOrZero(on)
		out = append(out, p)
	}
	return out, total, rows.Err()
}

func (a *Area) answersPage(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 20)
	list, total, err := a.store.PublishedAnswers(r.Context(), m.ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	a.Renderer.Page(w, r, http.StatusOK, "appeals/answers", "Ответы на обращения, затрагивающие интересы неопределённого круга лиц", map[string]any{"Answers": list, "Pager": p})
}

func (a *Area) adminPublishAnswer(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := web.ParseForm(w, r, 128<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	_, err = a.PublishAnswer(r.Context(), m, r.PathValue("number"), f.Get("question"), f.Values.Get("published_answer"), f.Get("indefinite") == "yes", actorOf(r))
	var fe FieldErrors
	switch {
	case errors.Is(err, ErrWrongState):
		a.Errors.Render(w, r, &web.Error{Status: http.StatusConflict, Code: "conflict", Message: "Опубликовать можно только ответ, уже направленный заявителю."})
	case err == nil:
		web.SetFlash(a.Sessions, r, "Ответ размещён на странице «Ответы на обращения».")
		http.Redirect(w, r, "/admin/appeals/"+Appeal{Number: r.PathValue("number")}.Href(), http.StatusSeeOther)
	case errors.As(err, &fe):
		failAll(f, fe)
		cur, gerr := a.store.ByNumber(r.Context(), a.DB, m.ID, r.PathValue("number"))
		if gerr != nil {
			a.Errors.Render(w, r, gerr)
			return
		}
		a.renderAppeal(w, r, http.StatusUnprocessableEntity, cur, f, "publish_answer")
	default:
		a.Errors.Render(w, r, err)
	}
}
