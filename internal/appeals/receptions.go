package appeals

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glasnost/glasnost/internal/audit"
	"github.com/glasnost/glasnost/internal/db"
	"github.com/glasnost/glasnost/internal/deadline"
	"github.com/glasnost/glasnost/internal/web"
)

// Sources tell an appeal received from the citizen directly from one
// forwarded by another body (art. 8 part 3 of 59-FZ), as the reports under
// Decree of the President No. 171 count them.
var Sources = []Option{
	{"direct", "Поступило непосредственно от заявителя"},
	{"forwarded", "Поступило из других органов (направлено по компетенции)"},
}

// ReceptionSums are the personal receptions of a report's period: counts
// only, never a citizen's name (the staff note stays in the staff form).
type ReceptionSums struct {
	Held          int   `json:"held"`
	Citizens      int   `json:"citizens"`
	Questions     int   `json:"questions"`
	PrevHeld      int   `json:"prev_held"`
	PrevCitizens  int   `json:"prev_citizens"`
	PrevQuestions int   `json:"prev_questions"`
	ByOfficial    []Row `json:"by_official"` // citizens received, by official
}

// Rows are the sums as report rows, for the page and the exports.
func (s ReceptionSums) Rows() []Row {
	return []Row{
		{Key: "held", Label: "Проведено личных приёмов", Count: s.Held, Prev: s.PrevHeld},
		{Key: "citizens", Label: "Принято граждан", Count: s.Citizens, Prev: s.PrevCitizens},
		{Key: "questions", Label: "Рассмотрено вопросов", Count: s.Questions, Prev: s.PrevQuestions},
	}
}

// receptionSums counts the receptions held in [from, to] and in the
// previous period [prevFrom, from).
func (s *Store) receptionSums(ctx context.Context, munID int64, from, to, prevFrom deadline.Date) (ReceptionSums, error) {
	var r ReceptionSums
	rows, err := s.DB.Query(ctx, `SELECT CASE WHEN held_on >= ? THEN 1 ELSE 0 END, official, COUNT(*), SUM(citizens), SUM(questions)
 FROM appeal_receptions WHERE municipality_id = ? AND held_on >= ? AND held_on <= ? GROUP BY 1, 2`,
		from.String(), munID, prevFrom.String(), to.String())
	if err != nil {
		return r, fmt.Errorf("report receptions: %w", err)
	}
	defer rows.Close()
	at := map[string]int{}
	for rows.Next() {
		var cur, held, citizens, questions int
		var official string
		if err := rows.Scan(&cur, &official, &held, &citizens, &questions); err != nil {
			return r, fmt.Errorf("report receptions: %w", err)
		}
		i, ok := at[official]
		if !ok {
			i = len(r.ByOfficial)
			at[official] = i
			r.ByOfficial = append(r.ByOfficial, Row{Key: official, Label: official})
		}
		if cur == 1 {
			r.Held, r.Citizens, r.Questions = r.Held+held, r.Citizens+citizens, r.Questions+questions
			r.ByOfficial[i].Count += citizens
		} else {
			r.PrevHeld, r.PrevCitizens, r.PrevQuestions = r.PrevHeld+held, r.PrevCitizens+citizens, r.PrevQuestions+questions
			r.ByOfficial[i].Prev += citizens
		}
	}
	sortRows(r.ByOfficial)
	return r, rows.Err()
}

// Reception is one personal reception of citizens by an official.
type Reception struct {
	ID        int64
	HeldOn    deadline.Date
	Official  string
	Citizens  int
	Questions int
	Note      string
	CreatedAt time.Time
}

// Limits of the reception form.
const (
	maxReceptionCitizens = 1000
	maxReceptionNote     = 5000
)

// ParseReception checks the staff form of a reception; errors by field in
// Russian, as the form shows them.
func ParseReception(f *web.Form, today deadline.Date) (Reception, bool) {
	var rc Reception
	var err error
	if rc.HeldOn, err = deadline.ParseDate(f.Get("held_on")); err != nil {
		f.Fail("held_on", "Укажите дату приёма в виде ГГГГ-ММ-ДД.")
	} else if rc.HeldOn.After(today) {
		f.Fail("held_on", "Приём ещё не состоялся: дата позже сегодняшней. Записывайте приём после того, как он прошёл.")
	} else if rc.HeldOn.Before(today.AddDays(-oldestReceipt)) {
		f.Fail("held_on", "Дата приёма раньше чем за пять лет до сегодняшнего дня: проверьте год.")
	}
	rc.Official = f.Get("official")
	switch n := utf8.RuneCountInString(rc.Official); {
	case n == 0:
		f.Fail("official", "Укажите должность и фамилию должностного лица, которое вело приём.")
	case n > 300:
		f.Fail("official", "Не длиннее 300 знаков.")
	}
	count := func(field, what string) int {
		n, err := strconv.Atoi(f.Get(field))
		switch {
		case err != nil || n < 0:
			f.Fail(field, "Укажите "+what+" целым числом, например 3.")
		case n > maxReceptionCitizens:
			f.Fail(field, fmt.Sprintf("Не больше %d за один приём: проверьте число.", maxReceptionCitizens))
		}
		return n
	}
	rc.Citizens = count("citizens", "число принятых граждан")
	rc.Questions = count("questions", "число рассмотренных вопросов")
	if f.Valid() && rc.Questions < rc.Citizens {
		f.Fail("questions", "Каждый принятый гражданин задаёт хотя бы один вопрос: вопросов не может быть меньше, чем граждан.")
	}
	rc.Note = strings.TrimSpace(f.Values.Get("note"))
	if utf8.RuneCountInString(rc.Note) > maxReceptionNote {
		f.Fail("note", fmt.Sprintf("Не длиннее %d знаков.", maxReceptionNote))
	}
	return rc, f.Valid()
}

// AddReception records a reception.
func (s *Store) AddReception(ctx context.Context, tx *db.Tx, munID, accountID int64, rc *Reception) error {
	rc.CreatedAt = s.DB.Now()
	var err error
	rc.ID, err = db.InsertID(ctx, tx, `INSERT INTO appeal_receptions (municipality_id, held_on, official, citizens, questions, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		munID, rc.HeldOn.String(), rc.Official, rc.Citizens, rc.Questions, rc.Note, idOrNil(accountID), rc.CreatedAt)
	if err != nil {
		return fmt.Errorf("record reception: %w", err)
	}
	return nil
}

// Receptions lists one page of receptions, the latest first.
func (s *Store) Receptions(ctx context.Context, munID int64, limit, offset int) ([]Reception, int, error) {
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appeal_receptions WHERE municipality_id = ?`, munID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count receptions: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT id, held_on, official, citizens, questions, note, created_at FROM appeal_receptions
 WHERE municipality_id = ? ORDER BY held_on DESC, id DESC LIMIT ? OFFSET ?`, munID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list receptions: %w", err)
	}
	defer rows.Close()
	var out []Reception
	for rows.Next() {
		var rc Reception
		var held string
		if err := rows.Scan(&rc.ID, &held, &rc.Official, &rc.Citizens, &rc.Questions, &rc.Note, &rc.CreatedAt); err != nil {
			return nil, 0, fmt.Errorf("list receptions: %w", err)
		}
		rc.HeldOn = dateOrZero(held)
		out = append(out, rc)
	}
	return out, total, rows.Err()
}

// receptionsPage is the staff journal of personal receptions with the form
// to record one.
func (a *Area) receptionsPage(w http.ResponseWriter, r *http.Request) {
	a.renderReceptions(w, r, http.StatusOK, web.NewForm(nil))
}

func (a *Area) renderReceptions(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	m := web.Municipality(r)
	p := web.NewPager(r.URL, 30)
	list, total, err := a.store.Receptions(r.Context(), m.ID, p.PerPage, p.Offset())
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	p.SetTotal(total)
	if f.Get("held_on") == "" && len(f.Errors) == 0 {
		f.Values.Set("held_on", a.Today(m).String())
	}
	a.Renderer.Page(w, r, status, "appeals/receptions", "Личный приём граждан", map[string]any{"Form": f, "Receptions": list, "Pager": p})
}

func (a *Area) receptionAdd(w http.ResponseWriter, r *http.Request) {
	m := web.Municipality(r)
	f, err := web.ParseForm(w, r, 64<<10)
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	rc, ok := ParseReception(f, a.Today(m))
	if !ok {
		a.renderReceptions(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	ac := actorOf(r)
	err = a.DB.InTx(r.Context(), func(tx *db.Tx) error {
		if err := a.store.AddReception(r.Context(), tx, m.ID, ac.AccountID, &rc); err != nil {
			return err
		}
		// The audit keeps the counts, not the note, which may name people.
		return audit.Write(r.Context(), tx, a.DB.Now(), audit.FromRequest(r, "appeals_reception.recorded", "appeals_reception", strconv.FormatInt(rc.ID, 10), nil,
			map[string]any{"held_on": rc.HeldOn.String(), "official": rc.Official, "citizens": rc.Citizens, "questions": rc.Questions}))
	})
	if err != nil {
		a.Errors.Render(w, r, err)
		return
	}
	web.SetFlash(a.Sessions, r, fmt.Sprintf("Приём %s записан: граждан — %d, вопросов — %d. Он войдёт в отчёт за период, на который приходится дата приёма.", rc.HeldOn.Russian(), rc.Citizens, rc.Questions))
	http.Redirect(w, r, "/admin/appeals/receptions", http.StatusSeeOther)
}
